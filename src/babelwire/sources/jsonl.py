"""JSON Lines: one article object per line.

Accepts babelwire's own export and the common shapes of news dumps: ``title``,
``text`` (or ``body``/``content``), optional ``html`` instead of text, ``url``,
``source``, ``lang``, ``date``/``published_at``, ``licence``, and an ``id`` that
becomes the article id. A bad line is one error; the other lines go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from ..errors import ParseError, SourceError
from ..record import Article
from ..text.normalize import strip_unsafe
from .dates import parse_date
from .limits import refuse_long_article
from .links import checked_link

_TEXT_KEYS = ("text", "body", "content")
_DATE_KEYS = ("published_at", "date", "published", "pubdate")


def read_jsonl(content: str, ref: str, *, default_source: str) -> Iterator[Article | SourceError]:
    """Yield one article (or error) per non-empty line of ``content``."""
    fetched_at = datetime.now(UTC)
    # split("\n"), not splitlines(): JSON strings may hold U+2028, U+0085 or a form feed
    # unescaped (json.dumps(ensure_ascii=False) writes them so); only "\n" ends a record.
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        line_ref = f"{ref}#line={number}"
        try:
            yield _article(_parse_line(line, line_ref), line_ref, default_source, fetched_at)
        except SourceError as error:
            yield error


def _parse_line(line: str, line_ref: str) -> dict[str, Any]:
    try:
        record = json.loads(line, parse_int=_int_or_digits)
    except json.JSONDecodeError as error:
        raise ParseError(f"{line_ref}: invalid JSON ({error.msg}: column {error.colno})",
                         input_ref=line_ref) from error
    except RecursionError as error:
        raise ParseError(
            f"{line_ref}: JSON nested too deeply to read (past Python's recursion limit);"
            " an article record is a flat object of fields", input_ref=line_ref) from error
    if not isinstance(record, dict):
        raise ParseError(
            f"{line_ref}: expected a JSON object per line, got {type(record).__name__}",
            input_ref=line_ref,
        )
    return record


def _int_or_digits(digits: str) -> int | str:
    """An integer, or its digits as text past Python's 4,300-digit conversion limit.

    int() refuses longer numbers with a ValueError that json.loads lets through; a
    runaway counter in one field must not cost the article its text.
    """
    try:
        return int(digits)
    except ValueError:
        return digits


def _article(record: dict[str, Any], line_ref: str, default_source: str,
             fetched_at: datetime) -> Article:
    text = next((record[k] for k in _TEXT_KEYS if isinstance(record.get(k), str)), None)
    html = record.get("html") if isinstance(record.get("html"), str) else None
    if text is None and html is None:
        raise ParseError(
            f"{line_ref}: record has no text: expected a string in one of"
            f" {', '.join(_TEXT_KEYS)} or html", input_ref=line_ref)
    refuse_long_article(len(text if text is not None else html or ""),
                        "text" if text is not None else "HTML", input_ref=line_ref)
    raw_date = next((record[k] for k in _DATE_KEYS if record.get(k)), None)
    url, failures = checked_link(_string(record.get("url")), line_ref)
    return Article(
        id=_record_id(record.get("id"), line_ref),
        title=_string(record.get("title")),
        text=text or "",
        html=html if text is None else None,
        url=url,
        failures=failures,
        source=_string(record.get("source")) or default_source,
        licence=_string(record.get("licence") or record.get("license")) or None,
        published_at=parse_date(raw_date) if isinstance(raw_date, str) else None,
        fetched_at=fetched_at,
        input_ref=line_ref,
    )


def _record_id(value: object, line_ref: str) -> str:
    """The record's own id as text; "" (a content hash is used) when it has none.

    An id is kept exactly (exports keep corpus ids), so one that cannot be kept
    exactly (control characters, lone surrogates: SQLite refuses the latter) or that
    is not a string or integer is refused with its record.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ParseError(f"{line_ref}: id must be a string or an integer, got"
                         f" {type(value).__name__}", input_ref=line_ref)
    text = str(value)
    if strip_unsafe(text) != text:
        raise ParseError(
            f"{line_ref}: id {ascii(text[:80])} holds control characters or lone surrogates;"
            " give the record a plain-text id (or drop the id field to use a hash)",
            input_ref=line_ref)
    return text


def _string(value: object) -> str:
    """A string field with the characters no stage or SQLite can hold removed; "" if absent.

    Titles and texts are cleaned by the clean stage; fields that go to the store as
    they are (url, source, licence) are made safe here.
    """
    return strip_unsafe(value) if isinstance(value, str) else ""
