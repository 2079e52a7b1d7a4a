"""WARC archives: every HTML response record becomes an article."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import ParseError, SourceError
from ..record import Article
from ..text.decode import decode_bytes
from .dates import parse_date
from .limits import read_limited, refuse_long_article
from .links import checked_link

_HTML_TYPES = ("text/html", "application/xhtml")


def read_warc(data: bytes, ref: str, *, source: str | None,
              max_bytes: int = 100_000_000) -> Iterator[Article | SourceError]:
    """Yield an article per HTML response; skip requests, metadata and non-HTML responses.

    A record whose header cannot be read ends the file (its length, and so where the
    next record starts, is unknown); the records before it are kept. ``max_bytes``
    bounds each record's decoded body: warcio undoes a gzip Content-Encoding.
    """
    if not data.lstrip()[:5].upper().startswith(b"WARC/"):
        raise ParseError(
            f"{ref}: not a WARC file (it does not start with 'WARC/'); check the file or"
            " its name", input_ref=ref)
    found = 0
    records = iter(ArchiveIterator(io.BytesIO(data)))
    for number in itertools.count(1):
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as error:  # noqa: BLE001 - warcio raises many kinds on broken headers
            raise _unreadable(ref, number, error) from error
        if record.rec_type != "response" or record.http_headers is None:
            continue
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        if not content_type.startswith(_HTML_TYPES):
            continue
        found += 1
        yield _article(record, f"{ref}#record={number}", source, max_bytes)
    if found == 0:
        raise ParseError(f"{ref}: WARC file holds no HTML response records", input_ref=ref)


def _unreadable(ref: str, number: int, error: Exception) -> ParseError:
    reason = " ".join(str(error).split())  # warcio's messages end in the raw line
    if isinstance(error, ArchiveLoadFailed) and number == 1:
        return ParseError(f"{ref}: not a readable WARC file ({reason})", input_ref=ref)
    record_ref = f"{ref}#record={number}"
    kind = "" if isinstance(error, ArchiveLoadFailed) else f"{type(error).__name__}: "
    return ParseError(
        f"{record_ref}: record header cannot be read ({kind}{reason}); {number - 1:,} record(s)"
        " before it were read, the rest of the file is skipped", input_ref=record_ref)


def _article(record: Any, record_ref: str, source: str | None,
             max_bytes: int) -> Article | SourceError:
    url = record.rec_headers.get_header("WARC-Target-URI")
    date = record.rec_headers.get_header("WARC-Date")
    try:
        body = read_limited(record.content_stream(), max_bytes, input_ref=record_ref)
        _refuse_cut_off(record, record_ref)
        decoded = decode_bytes(body, input_ref=record_ref)
        refuse_long_article(len(decoded.text), "HTML", input_ref=record_ref)
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
