"""Dispatch an input reference to the reader for its format.

Formats are recognised by name first (``.jsonl``, ``.warc``, ``.rss``, ...) and
by content otherwise (``<rss``, ``<html``, ``WARC/1.0``, ``{``), because feeds
and pages fetched from URLs rarely have telling names.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from ..errors import InputTooLarge, SourceError
from ..record import Article
from ..text.decode import decode_bytes
from . import feed, fetch, jsonl, text, warc
from .address_policy import AddressPolicy
from .limits import GZIP_MAGIC, gunzip_limited, read_limited, refuse_long_article

SourceItem = Article | SourceError
"""What readers yield: an article, or the error that stood in for one."""

_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
"""Any ``scheme://`` reference goes to the fetcher, which refuses all but http(s) by name
(``file://``, ``ftp://``, ``gopher://``) instead of reporting "no such file"."""
_FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<div", b"<p>")
_SUFFIX_FORMATS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".warc": "warc", ".arc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".html": "html", ".htm": "html",
    ".xhtml": "html", ".txt": "text", ".text": "text", ".md": "text",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceOptions:
    """How sources read: limits and the provenance to give articles."""

    max_bytes: int = 100_000_000
    fetch_timeout_s: float = 20.0
    fetch_policy: AddressPolicy = field(default_factory=AddressPolicy)
    source_name: str | None = None


@dataclass(frozen=True, slots=True)
class InputRef:
    """Where an input came from: a path, a URL, or ``-`` for standard input."""

    ref: str

    @property
    def is_url(self) -> bool:
        return bool(_URL_RE.match(self.ref))


def read_input(
    ref: str, options: SourceOptions, *, stdin: BinaryIO | None = None
) -> Iterator[SourceItem]:
    """Yield the articles (or per-item errors) of one input reference."""
    try:
        if ref == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = read_limited(stream, options.max_bytes, input_ref="<stdin>")
            yield from read_bytes(data, "<stdin>", options, name="")
        elif _URL_RE.match(ref):
            yield from _read_url(ref, options)
        else:
            yield from _read_path(Path(ref), options)
    except SourceError as error:
        yield error


def _read_url(url: str, options: SourceOptions) -> Iterator[SourceItem]:
    page = fetch.fetch_url(url, max_bytes=options.max_bytes, timeout_s=options.fetch_timeout_s,
                           policy=options.fetch_policy)
    yield from read_bytes(
        page.body, url, options, name=Path(page.final_url.split("?")[0]).name,
        content_type=page.content_type, url=page.final_url,
    )


def _read_path(path: Path, options: SourceOptions) -> Iterator[SourceItem]:
    if path.is_dir():
        yield from _read_directory(path, options)
        return
    ref = str(path)
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise InputTooLarge(
                f"{ref}: file is {size:,} bytes, over the {options.max_bytes:,}-byte limit"
                " (ingest.max_bytes); split it or raise the limit with --set ingest.max_bytes=N",
                input_ref=ref,
            )
        with path.open("rb") as stream:
            data = read_limited(stream, options.max_bytes, input_ref=ref)
    except FileNotFoundError:
        raise SourceError(f"{ref}: no such file or directory", input_ref=ref) from None
    except IsADirectoryError:
        raise SourceError(f"{ref}: is a directory that cannot be listed", input_ref=ref) from None
    except OSError as error:
        raise SourceError(f"{ref}: cannot read ({error.strerror}); check the path and its"
                          " permissions", input_ref=ref) from error
    yield from read_bytes(data, ref, options, name=path.name)


def _read_directory(path: Path, options: SourceOptions) -> Iterator[SourceItem]:
    """Every regular file under ``path``, recursively, in name order; hidden entries are skipped.

    Linked folders are followed, each real folder once (so a link loop ends). Other
    entries are recorded, not read: opening a FIFO nobody writes to would block the
    batch forever. A folder that cannot be listed is recorded too.
    """
    unlistable: list[OSError] = []
    seen: set[str] = set()
    for root, dirs, files in os.walk(path, onerror=unlistable.append, followlinks=True):
        yield from _unlistable_errors(unlistable)
        real = os.path.realpath(root)
        if real in seen:
            dirs.clear()  # a link back to a folder already read
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(f for f in files if not f.startswith(".")):
            file = os.path.join(root, name)
            kind = _special_kind(file)
            if kind is None:
                yield from read_input(file, options)
            else:
                yield SourceError(f"{file}: is a {kind}, not a regular file; skipped (name it"
                                  " directly to read from it)", input_ref=file)
    yield from _unlistable_errors(unlistable)


def _unlistable_errors(errors: list[OSError]) -> Iterator[SourceError]:
    for error in errors:
        ref = str(error.filename)
        yield SourceError(f"{ref}: cannot list directory ({error.strerror}); check its"
                          " permissions", input_ref=ref)
    errors.clear()


def _special_kind(path: str) -> str | None:
    """What a directory entry is if not a regular file (or a link to one); None otherwise."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # a dangling link and the like: reading it reports why
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    return "socket" if stat.S_ISSOCK(mode) else "device or other special file"


def read_bytes(
    data: bytes,
    ref: str,
    options: SourceOptions,
    *,
    name: str,
    content_type: str = "",
    url: str | None = None,
) -> Iterator[SourceItem]:
    """Yield the articles in ``data``, dispatching on its name, content type and content."""
    if data.startswith(GZIP_MAGIC):
        data = gunzip_limited(data, options.max_bytes, input_ref=ref)
        name = name.removesuffix(".gz").removesuffix(".gzip")
    kind = detect_format(data, name, content_type)
    fetched_at = datetime.now(UTC)
    source = options.source_name or _source_for(url)
    if kind == "warc":
        yield from warc.read_warc(data, ref, source=options.source_name,
                                  max_bytes=options.max_bytes)
        return
    decoded = decode_bytes(data, input_ref=ref)
    if kind == "jsonl":
        yield from jsonl.read_jsonl(decoded.text, ref, default_source=source)
    elif kind == "feed":
        yield from feed.read_feed(decoded.text, ref, source=options.source_name)
    elif kind == "html":
        refuse_long_article(len(decoded.text), "HTML", input_ref=ref)
        yield Article(html=decoded.text, url=url, source=source, fetched_at=fetched_at,
                      input_ref=ref)
    else:
        refuse_long_article(len(decoded.text), "text", input_ref=ref)
        yield text.read_text(decoded.text, ref, source=source, url=url, fetched_at=fetched_at)


def detect_format(data: bytes, name: str, content_type: str = "") -> str:
    """Return ``jsonl``, ``warc``, ``feed``, ``html`` or ``text`` for these bytes."""
    suffix = Path(name).suffix.lower()
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix in _SUFFIX_FORMATS and not (suffix == ".xml" and not _is_feed(head)):
        return _SUFFIX_FORMATS[suffix]
    if head.startswith(b"warc/"):
        return "warc"
    if "html" in content_type or any(marker in head for marker in _HTML_MARKERS):
        return "html" if not _is_feed(head) else "feed"
    if "xml" in content_type or "rss" in content_type or "atom" in content_type or _is_feed(head):
        return "feed"
    if head.startswith(b"<?xml"):
        return "feed"  # other XML (a sitemap, SVG): the feed reader names its root and refuses it
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def _is_feed(head: bytes) -> bool:
    return any(marker in head for marker in _FEED_MARKERS)


def _source_for(url: str | None) -> str:
    if url:
        host = url.split("/")[2] if url.count("/") >= 2 else url
        return host.removeprefix("www.")
    return "local"
