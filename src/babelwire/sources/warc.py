"""WARC archives: every HTML response record becomes an article."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import ParseError, SourceError
from ..record import Article
from ..text.decode import decode_bytes
from .dates import parse_date
from .links import checked_link

_HTML_TYPES = ("text/html", "application/xhtml")


def read_warc(data: bytes, ref: str, *, source: str | None) -> Iterator[Article | SourceError]:
    """Yield an article per HTML response; skip requests, metadata and non-HTML responses."""
    if not data.lstrip()[:5].upper().startswith(b"WARC/"):
        raise ParseError(
            f"{ref}: not a WARC file (it does not start with 'WARC/'); check the file or"
            " its name", input_ref=ref)
    found = 0
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data)), start=1):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = (record.http_headers.get_header("Content-Type") or "").lower()
            if not content_type.startswith(_HTML_TYPES):
                continue
            found += 1
            yield _article(record, f"{ref}#record={number}", source)
    except ArchiveLoadFailed as error:
        raise ParseError(f"{ref}: not a readable WARC file ({error})", input_ref=ref) from error
    if found == 0:
        raise ParseError(f"{ref}: WARC file holds no HTML response records", input_ref=ref)


def _article(record: Any, record_ref: str, source: str | None) -> Article | SourceError:
    url = record.rec_headers.get_header("WARC-Target-URI")
    date = record.rec_headers.get_header("WARC-Date")
    try:
        body = record.content_stream().read()
        _refuse_cut_off(record, record_ref)
        decoded = decode_bytes(body, input_ref=record_ref)
    except SourceError as error:
        return error
    except Exception as error:  # noqa: BLE001 - warcio raises many kinds on broken records
        return ParseError(f"{record_ref}: cannot read record body ({error})", input_ref=record_ref)
    url, failures = checked_link(url, record_ref)
    host = url.split("/")[2].removeprefix("www.") if url and url.count("/") >= 2 else ""
    return Article(html=decoded.text, url=url, source=source or host or "warc",
                   failures=failures,
                   fetched_at=parse_date(date) if date else None, input_ref=record_ref)


def _refuse_cut_off(record: Any, record_ref: str) -> None:
    """Raise if the file ended inside the record: warcio hands it over without complaint."""
    missing = record.raw_stream.limit  # bytes of the declared Content-Length never read
    if missing > 0:
        raise ParseError(
            f"{record_ref}: record is cut off ({missing:,} of its {record.length:,} bytes are"
            " missing); re-download the WARC file", input_ref=record_ref)
