"""RSS and Atom feeds, read with feedparser after a defusedxml safety check.

feedparser is lenient with broken feeds, which we want, but it would expand
entity declarations; so the document is first parsed by defusedxml, and a feed
that declares entities (the "billion laughs" shape) or pulls external ones is
refused. A feed that is merely malformed still goes to feedparser.

feedparser is given the document as a stream: given a string it fetches URLs and
opens file paths. The text is already decoded, so its XML declaration is rewritten to name UTF-8
first (both parsers get the same text): a declared ``encoding="UTF-16"`` made
the check fail as malformed and let feedparser expand the entities, and an
unknown one made expat raise LookupError.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import defusedxml.ElementTree as safe_xml
import feedparser
from defusedxml import DefusedXmlException

from ..errors import ParseError, SourceError
from ..record import Article
from .dates import parse_date
from .limits import refuse_long_article
from .links import checked_link

_XML_DECLARATION_RE = re.compile(r"\A\s*<\?xml\b[^>]*\?>")
_UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


def read_feed(content: str, ref: str, *, source: str | None) -> Iterator[Article | SourceError]:
    """Yield an article per feed entry; the entry's HTML content goes to the clean stage."""
    content = _XML_DECLARATION_RE.sub(_UTF8_DECLARATION, content, count=1)
    root = _safe_root(content, ref)
    # A stream, never a str: feedparser fetches a str that looks like a URL (http, ftp,
    # file) and opens one that names a local file; a feed file holding only
    # "http://169.254.169.254/..." was fetched by urllib (found by scripts/fuzz_feed.py).
    try:
        parsed = feedparser.parse(io.BytesIO(content.encode("utf-8", "surrogatepass")),
                                  sanitize_html=False, resolve_relative_uris=False)
    except Exception as error:  # noqa: BLE001 - feedparser raises many kinds on garbage
        raise ParseError(f"{ref}: feedparser cannot read this feed ({type(error).__name__}:"
                         f" {error})", input_ref=ref) from error
    if not parsed.entries:
        if root is not None and not parsed.version:
            raise ParseError(
                f"{ref}: XML whose root element is <{root}>, not an RSS or Atom feed;"
                " babelwire reads feeds, HTML, text, JSONL and WARC", input_ref=ref)
        reason = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        raise ParseError(f"{ref}: feed has no entries{reason}", input_ref=ref)
    feed_title = parsed.feed.get("title") or ""
    fetched_at = datetime.now(UTC)
    for number, entry in enumerate(parsed.entries, start=1):
        entry_ref = f"{ref}#entry={number}"
        body = _entry_body(entry)
        if not body.strip():
            yield ParseError(f"{entry_ref}: feed entry has neither content nor summary",
                             input_ref=entry_ref)
            continue
        try:
            refuse_long_article(len(body), "HTML", input_ref=entry_ref)
        except SourceError as error:
            yield error
            continue
        url, failures = checked_link(entry.get("link"), entry_ref)
        yield Article(
            title=entry.get("title", ""),
            html=f"<html><body><article>{body}</article></body></html>",
            url=url,
            failures=failures,
            source=source or feed_title or "feed",
            published_at=_entry_date(entry),
            author=entry.get("author"),
            fetched_at=fetched_at,
            input_ref=entry_ref,
        )


def _safe_root(content: str, ref: str) -> str | None:
    """The root element's local name; refuse entity declarations. None if malformed."""
    try:
        root = safe_xml.fromstring(content.encode("utf-8", "surrogatepass"), forbid_dtd=False,
                                   forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise ParseError(
            f"{ref}: feed refused: it declares XML entities or external references"
            f" ({type(error).__name__}), the shape of an entity-expansion attack",
            input_ref=ref) from error
    except (safe_xml.ParseError, LookupError, ValueError):
        # malformed (or naming an encoding expat lacks) but harmless: feedparser's loose
        # parser gets it, and that one expands no declared entity
        return None
    return str(root.tag).rpartition("}")[2]


def _entry_body(entry: Any) -> str:
    contents = entry.get("content") or []
    values = [c.get("value", "") for c in contents if c.get("value")]
    if values:
        return max(values, key=len)
    return str(entry.get("summary", ""))


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published", "updated", "created"):
        # dict.get: feedparser's own get maps a missing "updated" to "published" with a
        # DeprecationWarning (its issue 310); the keys are asked for one by one here.
        value = dict.get(entry, key)
        if isinstance(value, str):
            parsed = parse_date(value)
            if parsed is not None:
                return parsed
    return None
