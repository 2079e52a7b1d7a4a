"""Atheris harness: the feed reader (defusedxml check, feedparser, entries) on any bytes.

A finding is any exception other than babelwire's own SourceError (the reader's
way to refuse an input), or an item that is neither an Article nor a SourceError.

Usage (libFuzzer flags pass through; a corpus folder given empty is seeded; a file is
one input re-run, such as a crash-* artifact):
    python scripts/fuzz_feed.py fuzz-corpus/feed -max_total_time=600 -rss_limit_mb=2048
"""

from __future__ import annotations

import atheris
from _fuzz_harness import read_and_check, run

with atheris.instrument_imports(include=["babelwire", "feedparser", "defusedxml"]):
    import babelwire.sources.reader  # noqa: F401  (instrumented before the harness reads)

SEEDS = [
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>Storm'
    b"</title><link>https://news.example/a</link><pubDate>Mon, 06 May 2024 10:00:00 GMT"
    b"</pubDate><description>A storm hit the coast.</description></item></channel></rss>",
    b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    b'<title>F</title><entry><title>T</title><link href="https://news.example/b"/>'
    b"<updated>2024-05-06T10:00:00Z</updated><content type=\"html\">&lt;p&gt;Text&lt;/p&gt;"
    b"</content></entry></feed>",
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "x">]><rss version="2.0"><channel>'
    b"<item><title>&a;</title><description>d</description></item></channel></rss>",
]


def test_one_input(data: bytes) -> None:
    """Read ``data`` as a feed named .rss; refusals are fine, anything else is a finding."""
    read_and_check(data, "fuzz.rss")


def main() -> None:
    run(test_one_input, SEEDS)


if __name__ == "__main__":
    main()
