"""Plain-text articles: the first non-empty line is the title, the rest the body."""

from __future__ import annotations

from datetime import datetime

from ..errors import ParseError
from ..record import Article

TITLE_MAX_CHARS = 300
"""A first line longer than this is body text, not a headline."""


def read_text(
    content: str, ref: str, *, source: str, url: str | None, fetched_at: datetime
) -> Article:
    """Split ``content`` into title and body."""
    # split("\n"), not splitlines(): form feeds and U+0085 are not paragraph breaks here
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            title = line.strip()
            body = "\n".join(lines[index + 1 :])
            if len(title) > TITLE_MAX_CHARS:  # a whole text on one line has no title line
                title, body = "", content
            return Article(title=title, text=body, url=url, source=source,
                           fetched_at=fetched_at, input_ref=ref)
    raise ParseError(f"{ref}: no text (only whitespace)", input_ref=ref)
