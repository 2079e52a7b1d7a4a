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


def run(test_one_input: Callable[[bytes], None], seeds: list[bytes]) -> None:
    """Seed the corpus folders named on the command line, then fuzz ``test_one_input``."""
    for argument in sys.argv[1:]:
        if not argument.startswith("-") and not Path(argument).is_file():
            seed(Path(argument), seeds)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
