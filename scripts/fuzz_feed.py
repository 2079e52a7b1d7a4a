"""Atheris harness: the feed reader (defusedxml check, feedparser, entries) on any bytes.

A finding is any exception other than babelwire's own SourceError (the reader's
way to refuse an input), or an item that is neither an Article nor a SourceError.

Usage (libFuzzer flags pass through; a corpus folder given empty is seeded; a file is
one input re-run, such as a crash-* artifact):
    python scripts/fuzz_feed.py fuzz-corpus/feed -max_total_time=600 -rss_limit_mb=2048
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["babelwire", "feedparser", "defusedxml"]):
    from babelwire.errors import SourceError
    from babelwire.record import Article
    from babelwire.sources.reader import SourceOptions, read_bytes

OPTIONS = SourceOptions(max_bytes=1_000_000)
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
    try:
        items = list(read_bytes(data, "fuzz.rss", OPTIONS, name="fuzz.rss"))
    except SourceError:
        return
    for item in items:
        if not isinstance(item, Article | SourceError):
            raise TypeError(f"reader yielded {type(item).__name__}")


def seed(folder: Path, seeds: list[bytes]) -> None:
    """Write ``seeds`` into an empty corpus folder (libFuzzer mutates from them)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not any(folder.iterdir()):
        for number, data in enumerate(seeds):
            (folder / f"seed-{number}").write_bytes(data)


def main() -> None:
    for argument in sys.argv[1:]:
        if not argument.startswith("-") and not Path(argument).is_file():
            seed(Path(argument), SEEDS)  # a file argument is one input to re-run
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
