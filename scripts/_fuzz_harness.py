"""What every atheris harness in scripts/fuzz_*.py does around its own test function.

A corpus folder given empty is seeded with the harness's examples (libFuzzer mutates
from them); a file argument is one input re-run (such as a crash-* artifact); every
other argument passes through to libFuzzer (-max_total_time, -rss_limit_mb, ...).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import atheris


def seed(folder: Path, seeds: list[bytes]) -> None:
    """Write ``seeds`` into an empty corpus folder."""
    folder.mkdir(parents=True, exist_ok=True)
    if not any(folder.iterdir()):
        for number, data in enumerate(seeds):
            (folder / f"seed-{number}").write_bytes(data)


def read_and_check(data: bytes, name: str) -> None:
    """Read ``data`` as the source file ``name``; a refusal is fine, anything else is a finding.

    The reader may refuse the whole input (SourceError raised) or one item (SourceError
    yielded); any other exception, or an item that is neither, is a bug. babelwire is
    imported here, not at the top, so that each harness imports it first inside its own
    ``atheris.instrument_imports`` block.
    """
    from babelwire.errors import SourceError
    from babelwire.record import Article
    from babelwire.sources.reader import SourceOptions, read_bytes

    try:
        items = list(read_bytes(data, name, SourceOptions(max_bytes=1_000_000), name=name))
    except SourceError:
        return
    for item in items:
        if not isinstance(item, Article | SourceError):
            raise TypeError(f"reader yielded {type(item).__name__}")


def run(test_one_input: Callable[[bytes], None], seeds: list[bytes]) -> None:
    """Seed the corpus folders named on the command line, then fuzz ``test_one_input``."""
    for argument in sys.argv[1:]:
        if not argument.startswith("-") and not Path(argument).is_file():
            seed(Path(argument), seeds)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
