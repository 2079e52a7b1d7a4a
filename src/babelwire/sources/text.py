"""Plain-text articles: the first non-empty line is the title, the rest the body."""

from __future__ import annotations

from datetime import datetime

from ..errors import ParseError
from ..record import Article


def read_text(
    content: str, ref: str, *, source: str, url: str | None, fetched_at: datetime
) -> Article:
    """Split ``content`` into title and body."""
    lines = content.splitlines()
    for index, line in enumerate(lines):
        if line.strip():
            title = line.strip()
            body = "\n".join(lines[index + 1 :])
            return Article(title=title, text=body, url=url, source=source,
                           fetched_at=fetched_at, input_ref=ref)
    raise ParseError(f"{ref}: no text (only whitespace)", input_ref=ref)
