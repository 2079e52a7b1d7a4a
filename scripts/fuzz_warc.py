"""Atheris harness: the WARC reader (warcio, record checks, body decoding) on any bytes.

A finding is any exception other than babelwire's own SourceError, or an item that
is neither an Article nor a SourceError. Inputs start with "WARC/1.0" half the time,
so that mutations reach the record parser instead of the "not a WARC file" guard.

Usage (libFuzzer flags pass through; a corpus folder given empty is seeded; a file is
one input re-run, such as a crash-* artifact):
    python scripts/fuzz_warc.py fuzz-corpus/warc -max_total_time=600 -rss_limit_mb=2048
"""

from __future__ import annotations

import atheris
from _fuzz_harness import read_and_check, run

with atheris.instrument_imports(include=["babelwire", "warcio"]):
    import babelwire.sources.reader  # noqa: F401  (instrumented before the harness reads)

_BODY = b"<html><body><article><p>The port reopened on Friday.</p></article></body></html>"
_BLOCK = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
          + str(len(_BODY)).encode() + b"\r\n\r\n" + _BODY)
SEEDS = [
    b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/a\r\n"
    b"WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
    b"Content-Type: application/http; msgtype=response\r\nContent-Length: "
    + str(len(_BLOCK)).encode() + b"\r\n\r\n" + _BLOCK + b"\r\n\r\n",
    b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\n",
]


def test_one_input(data: bytes) -> None:
    """Read ``data`` as a WARC file; refusals are fine, anything else is a finding."""
    if data[:1] and data[0] & 1:
        data = b"WARC/1.0\r\n" + data[1:]
    read_and_check(data, "fuzz.warc")


def main() -> None:
    run(test_one_input, SEEDS)


if __name__ == "__main__":
    main()
