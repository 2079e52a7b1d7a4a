"""Run each atheris harness in scripts/ for a bounded time; a finding fails the test.

BABELWIRE_FUZZ_SECONDS sets the time per harness (default 10; CI may use 60, `make
fuzz` runs longer without pytest). The harness is a child process: libFuzzer stops it
at -max_total_time and exits 0 when nothing was found; any other exit code means a
crash or a memory blow-up (-rss_limit_mb), and its output names the input. The
subprocess timeout is only a hang catcher, set far above the fuzzing time.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = [pytest.mark.reliability("fuzzing"), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
HARNESSES = sorted(p.stem.removeprefix("fuzz_") for p in (ROOT / "scripts").glob("fuzz_*.py"))
RSS_LIMIT_MB = 2048
"""How much a harness may grow; libFuzzer reports a blow-up above it."""


def rss_limit_mb() -> int:
    """libFuzzer's -rss_limit_mb: `RSS_LIMIT_MB` above the peak the child starts with.

    Why not `RSS_LIMIT_MB` itself: libFuzzer reads the peak RSS from getrusage, and
    Linux carries a process's peak over fork and exec, so a harness started by a
    test worker that once held the encoder (2 GB) "starts" at that peak and is
    reported out of memory on its first input.
    """
    inherited = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return inherited + RSS_LIMIT_MB


def fuzz_seconds() -> int:
    return int(os.environ.get("BABELWIRE_FUZZ_SECONDS", "10"))


def test_there_is_a_harness_for_the_html_feed_and_warc_readers() -> None:
    assert HARNESSES == ["feed", "html", "warc"]


@pytest.mark.parametrize("harness", HARNESSES)
def test_harness_finds_nothing_in_its_time(
    harness: str, tmp_path: Path, record_property: Callable[[str, object], None],
) -> None:
    pytest.importorskip("atheris", reason="atheris has no wheel for this Python")
    seconds = fuzz_seconds()
    command = [sys.executable, str(ROOT / "scripts" / f"fuzz_{harness}.py"),
               str(tmp_path / "corpus"), f"-max_total_time={seconds}",
               f"-rss_limit_mb={rss_limit_mb()}", "-timeout=120",
               f"-artifact_prefix={tmp_path}/"]
    done = subprocess.run(command, capture_output=True, text=True, errors="replace",
                          timeout=seconds * 5 + 300, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    runs = re.search(r"Done (\d+) runs", done.stderr)
    record_property(f"figure:atheris {harness} runs", int(runs.group(1)) if runs else 0)
    record_property(f"figure:atheris {harness} seconds", seconds)
    assert (done.returncode, list(tmp_path.glob("crash-*"))) == (0, []), done.stderr[-3000:]
    assert runs is not None and int(runs.group(1)) > 0
