"""The whole hostile corpus as one `babelwire ingest` batch, in a child process.

The per-case tests call the ingest library; this one runs the command a user runs,
with every fast file case of tests/hostile in one invocation between two good
articles. It pins the exit code (1: some items failed, the batch finished), that
the store holds exactly the failures the cases expect, that every article they keep
is accounted for (the cases share texts, so many are exact or near duplicates of an
earlier case's article: counted, not stored twice), and the child's peak memory,
read from wait4's rusage for that child alone.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from babelwire import Database

from . import test_bytes, test_markup, test_records
from .batch import GOOD_ONE, GOOD_TITLES, GOOD_TWO, RECORD, Case, Env

pytestmark = [pytest.mark.reliability("hostile input"), pytest.mark.timeout(900)]

SRC = Path(__file__).resolve().parents[2] / "src"
MAX_PROCESS_RSS_MB = 2048
"""Peak of the whole process (interpreter, pipeline, ~140 inputs, the 100 MB one among
them). Measured 775 MB when this test runs alone and 1,296 MB inside the full suite
under xdist (the cause of the difference is not found yet; the environment's
BABELWIRE_* variables are removed and the folder is the test's own)."""


def _default_environment() -> dict[str, str]:
    """This environment without BABELWIRE_* settings: the child runs the default pipeline.

    That is the full one (NER and the encoder), so the batch also shows that a hostile
    20-million-character text costs NER only `stages.ner.MAX_TAGGED_CHARS` of reading.
    """
    return {**{k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")},
            "PYTHONPATH": str(SRC)}


def batch_cases() -> list[Case]:
    """Cases a default-settings batch can hold: not slow, not known-wrong, not tuned."""
    cases = [*test_bytes.CASES, *test_markup.CASES, *test_records.CASES]
    return [case for case in cases if case.settings is RECORD
            and not any(mark.name in ("slow", "xfail") for mark in case.marks)]


def test_the_hostile_corpus_as_one_cli_batch_exits_1_and_stores_everything_it_should(
    tmp_path: Path, loopback: object, record_property: Callable[[str, object], None],
) -> None:
    expected_failures: list[tuple[str, str, str]] = []
    expected_kept = len(GOOD_TITLES)
    refs = []
    for number, case in enumerate(batch_cases()):
        folder = tmp_path / f"case-{number:03d}"
        folder.mkdir()
        ref = case.build(Env(folder, loopback))  # type: ignore[arg-type]
        refs.append(ref)
        expected_failures += [(s, e, m.replace("{ref}", ref)) for s, e, m in case.failures]
        expected_kept += len(case.stored) + case.duplicates
    (tmp_path / "good-1.txt").write_text(GOOD_ONE, encoding="utf-8")
    (tmp_path / "good-2.txt").write_text(GOOD_TWO, encoding="utf-8")
    store = tmp_path / "store.db"
    command = [sys.executable, "-m", "babelwire", "--db", str(store), "ingest",
               str(tmp_path / "good-1.txt"), *refs, str(tmp_path / "good-2.txt")]
    with (tmp_path / "stderr.txt").open("wb") as stderr:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, cwd=tmp_path,
                              env=_default_environment()) as child:
            assert child.stdout is not None
            report = json.loads(child.stdout.read())
            _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage
            child.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024
    # Linux carries the peak RSS over fork and exec: the child's peak is at least this
    # test process's, whatever the child did (see tests/fuzz/test_atheris.rss_limit_mb).
    inherited_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    record_property("figure:CLI batch peak RSS MB", round(peak_mb, 1))
    record_property("figure:CLI batch inputs", len(refs) + 2)
    with Database(store) as db:
        failures = sorted((f.stage, f.error, f.message) for f in db.failures())
        titles = {a.title for a in db.iter_articles()}
    assert child.returncode == 1
    assert failures == sorted(expected_failures)
    assert report["failed"] == len(expected_failures)
    assert report["inserted"] + report["duplicates"] + report["near_duplicates"] == expected_kept
    assert titles >= set(GOOD_TITLES)
    assert peak_mb < max(MAX_PROCESS_RSS_MB, inherited_mb + 1), (
        f"the child peaked at {peak_mb:,.0f} MB (this process: {inherited_mb:,.0f} MB)")
    assert loopback.hits == []  # type: ignore[attr-defined]
