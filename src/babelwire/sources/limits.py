"""Reading bytes with a size limit, including decompression that could be a bomb."""

from __future__ import annotations

import zlib
from typing import BinaryIO

from ..errors import InputTooLarge, ParseError

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK_BYTES = 1 << 16
MAX_ARTICLE_CHARS = 20_000_000
"""Longest text or HTML one article may have.

ingest.max_bytes bounds a file, which may hold thousands of articles (JSONL, WARC);
this bounds one article. A 100,000,000-character text article peaked at 1.98 GB of
resident memory in the default pipeline (the clean stage alone held ~13 bytes per
character, pycld2 and MinHash took 32 s and 40 s; tests/hostile, issue 9); at 20M
characters one article stays near 0.3 GB. No news article comes near it.
"""


def read_limited(stream: BinaryIO, max_bytes: int, *, input_ref: str) -> bytes:
    """Read all of ``stream``, failing once more than ``max_bytes`` arrive."""
    chunks = []
    total = 0
    while chunk := stream.read(_CHUNK_BYTES):
        total += len(chunk)
        if total > max_bytes:
            raise InputTooLarge(
                f"{input_ref}: input is larger than the {max_bytes:,}-byte limit"
                " (ingest.max_bytes); split it or raise the limit with"
                " --set ingest.max_bytes=N",
                input_ref=input_ref,
            )
        chunks.append(chunk)
    return b"".join(chunks)


def gunzip_limited(data: bytes, max_bytes: int, *, input_ref: str) -> bytes:
    """Decompress gzip data (all members), failing past ``max_bytes`` of output."""
    out = []
    total = 0
    decompressor = zlib.decompressobj(wbits=47)  # 32 + 15: gzip or zlib header
    pending = data
    try:
        while True:
            chunk = decompressor.decompress(pending, _CHUNK_BYTES)
            total += len(chunk)
            if total > max_bytes:
                raise InputTooLarge(
                    f"{input_ref}: gzip data decompresses to more than the {max_bytes:,}-byte"
                    " limit (ingest.max_bytes); possibly a decompression bomb, not read",
                    input_ref=input_ref,
                )
            out.append(chunk)
            pending = decompressor.unconsumed_tail
            if decompressor.eof:
                pending = decompressor.unused_data
                if not pending.strip(b"\x00"):
                    break
                decompressor = zlib.decompressobj(wbits=47)  # another gzip member follows
            elif not pending and not chunk:
                raise ParseError(
                    f"{input_ref}: gzip data is truncated (ends inside a compressed stream);"
                    " re-download the file",
                    input_ref=input_ref,
                )
    except zlib.error as error:
        raise ParseError(
            f"{input_ref}: corrupt gzip data ({error}); re-download or decompress it by hand",
            input_ref=input_ref,
        ) from error
    return b"".join(out)


def refuse_long_article(chars: int, what: str, *, input_ref: str) -> None:
    """Raise `InputTooLarge` if an article's ``what`` ("text", "HTML") is too long to process."""
    if chars > MAX_ARTICLE_CHARS:
        raise InputTooLarge(
            f"{input_ref}: article {what} is {chars:,} characters, over the"
            f" {MAX_ARTICLE_CHARS:,}-character limit for one article; split it into"
            " articles (one per file, JSONL line or feed entry)", input_ref=input_ref)
