"""Property tests of the readers on arbitrary bytes: they yield articles or refusals only.

The atheris harnesses (scripts/fuzz_*.py, tests/fuzz/test_atheris.py, slow) search
with coverage feedback; these bounded hypothesis runs are in the fast suite and need
no atheris: random bytes, and seeds with bytes spliced in, for every format name.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from babelwire.errors import SourceError
from babelwire.record import Article
from babelwire.sources.reader import SourceOptions, read_bytes

pytestmark = pytest.mark.reliability("fuzzing")

OPTIONS = SourceOptions(max_bytes=1_000_000)
SEEDS = [
    b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>T</title><link>'
    b"https://news.example/a</link><description>A storm hit.</description></item></channel>"
    b"</rss>",
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title><summary>S</summary>'
    b"</entry></feed>",
    b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/a\r\n"
    b"Content-Type: application/http; msgtype=response\r\nContent-Length: 60\r\n\r\n"
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>The port opened.</p>\r\n\r\n",
    b'{"id": "a1", "title": "T", "text": "Body", "date": "2024-05-01", "url": "http://x/"}\n',
    b"<html><head><meta charset=\"utf-8\"></head><body><p>Caf\xc3\xa9</p></body></html>",
    b"Title\n\nBody text.\n",
]
NAMES = ["x.rss", "x.atom", "x.xml", "x.warc", "x.jsonl", "x.html", "x.txt", "x.gz", ""]


@st.composite
def spliced(draw: st.DrawFn) -> bytes:
    seed = draw(st.sampled_from(SEEDS))
    at = draw(st.integers(0, len(seed)))
    cut = draw(st.integers(0, 16))
    return seed[:at] + draw(st.binary(max_size=40)) + seed[at + cut:]


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(spliced(), st.binary(max_size=300)), name=st.sampled_from(NAMES))
def test_readers_yield_only_articles_or_refusals_on_any_bytes(data: bytes, name: str) -> None:
    try:
        items = list(read_bytes(data, f"fuzz/{name}", OPTIONS, name=name))
    except SourceError as error:  # the whole input refused, with a message naming it
        assert str(error).startswith("fuzz/")
        return
    assert all(isinstance(item, Article | SourceError) for item in items)
    assert all(str(item).startswith("fuzz/") for item in items if isinstance(item, SourceError))
    assert all(item.input_ref.startswith("fuzz/") for item in items if isinstance(item, Article))
