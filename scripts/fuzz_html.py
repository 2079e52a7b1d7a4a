"""Atheris harness: HTML bytes through decoding and the clean stage (trafilatura).

A finding is any exception other than a SourceError from decoding, or a clean-stage
failure other than NoMainText (a page without article text), or a cleaned text
holding characters `strip_unsafe` removes (controls, lone surrogates).

Usage (libFuzzer flags pass through; a corpus folder given empty is seeded; a file is
one input re-run, such as a crash-* artifact):
    python scripts/fuzz_html.py fuzz-corpus/html -max_total_time=600 -rss_limit_mb=2048
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["babelwire"]):
    from babelwire.errors import SourceError
    from babelwire.pipeline import ErrorPolicy, Pipeline
    from babelwire.record import Article
    from babelwire.sources.reader import SourceOptions, read_bytes
    from babelwire.stages.clean import CleanStage
    from babelwire.text.normalize import strip_unsafe

OPTIONS = SourceOptions(max_bytes=1_000_000)
PIPELINE = Pipeline([CleanStage()], policy=ErrorPolicy("record"))
SEEDS = [
    b"<html><head><title>Harbour reopens</title><meta charset=\"utf-8\"></head><body>"
    b"<article><h1>Harbour reopens</h1><p>The harbour authority reopened the port on Friday"
    b" after the storm had passed.</p><p>Ferries resume on Saturday.</p></article></body>"
    b"</html>",
    b"<!DOCTYPE html><html><body><div><div><p>Caf\xe9 cr\xe8me: the caf\xe9 reopened on"
    b" Monday after a long renovation.</p></div></div><nav><a href=\"/\">Home</a></nav>"
    b"</body></html>",
]


def test_one_input(data: bytes) -> None:
    """Decode ``data`` as a page and clean it; see the module docstring for findings."""
    try:
        items = list(read_bytes(data, "fuzz.html", OPTIONS, name="fuzz.html"))
    except SourceError:
        return
    for item in items:
        if not isinstance(item, Article):
            continue
        for article in PIPELINE.run(item):
            unexpected = [f for f in article.failures if f.error != "NoMainText"]
            if unexpected:
                raise RuntimeError(f"clean stage failed: {unexpected[0]}")
            if strip_unsafe(article.text) != article.text:
                raise ValueError("cleaned text holds control characters or surrogates")


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
