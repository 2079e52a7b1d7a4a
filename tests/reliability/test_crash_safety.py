"""Crash safety (issue 9): a SIGKILLed ingest or process, run again, loses and doubles nothing.

`babelwire ingest` runs as a subprocess on a 5,000-article JSONL batch and is
killed (SIGKILL: no cleanup, no atexit) once the store holds a given share of
the batch; the same command is then run to the end. The store must hold every
article exactly once, pass SQLite's and FTS5's integrity checks, and record no
duplicate sightings of the articles the first run had stored, nor the failures
of the batch's ten broken lines twice.

`babelwire process` (language and quotes again over the stored batch) is
killed the same way once that share of the articles is rewritten, and run
again: its export must equal the export of an uninterrupted run on a copy of
the same store.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .corpus import marker, write_batch
from .store_checks import backup, census, count_articles, fts_matches

BATCH = 5_000
CHEAP_STAGES = "segment.rules.v1,language.cld2.v1"
PROCESS_STAGES = "language.cld2.v1,quotes.rules.v1"
PROCESSED = "lang_method != ''"
"""Articles `process` has rewritten (the ingest for it runs segment only, no language)."""
"""No neural stage: the test is about the write path, and 5,000 articles must stay cheap."""
RUN_TIMEOUT_S = 600
POLL_S = 0.02
BROKEN_EVERY = 500
BROKEN = BATCH // BROKEN_EVERY
"""Truncated JSON lines in the ingest batch: their failures must be recorded once each."""


def _command(db: Path, *args: str, stages: str = CHEAP_STAGES) -> list[str]:
    return [sys.executable, "-m", "babelwire", "--db", str(db), "--set",
            f"pipeline.stages={stages}", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "OMP_NUM_THREADS": "1"}


def _kill_when_counted(command: list[str], db: Path, target: int, where: str,
                       log: Path) -> int:
    """Start ``command``, SIGKILL it once ``target`` articles match ``where``; the count then."""
    with log.open("w") as err:
        run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=_env())
        deadline = time.monotonic() + RUN_TIMEOUT_S
        try:
            while count_articles(db, where) < target:
                if run.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{command[5:]} ended (exit {run.returncode}) or timed out"
                                f" before {target} articles matched {where!r}:"
                                f" {log.read_text()[-1500:]}")
                time.sleep(POLL_S)
            os.kill(run.pid, signal.SIGKILL)
        finally:
            run.wait(timeout=60)
    assert run.returncode == -signal.SIGKILL
    return count_articles(db, where)


def _run_to_end(command: list[str], exit_code: int = 0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                          env=_env(), check=False)
    assert done.returncode == exit_code, (
        f"{command[5:]} exited {done.returncode}: {done.stderr[-2000:]}")
    return done


@pytest.mark.slow
@pytest.mark.reliability("crash safety")
@pytest.mark.parametrize("share", [0.2, 0.5, 0.8])
def test_ingest_killed_midway_and_rerun_stores_every_article_once(
        tmp_path: Path, share: float, record_property: pytest.RecordProperty) -> None:
    db = tmp_path / "store.db"
    corpus = write_batch(tmp_path / "batch.jsonl", BATCH, broken_every=BROKEN_EVERY)
    ingest = _command(db, "ingest", str(corpus))
    stored_at_kill = _kill_when_counted(ingest, db, int(BATCH * share), "1",
                                        tmp_path / "killed.log")
    assert 0 < stored_at_kill < BATCH, f"the kill came too late: {stored_at_kill} stored"

    report = json.loads(_run_to_end(ingest, exit_code=1).stdout)  # 1: some lines failed
    assert (report["inserted"], report["duplicates"], report["failed"]) == (
        BATCH - stored_at_kill, stored_at_kill, BROKEN)

    found = census(db, BATCH)
    assert (found.articles, found.distinct_ids, found.distinct_hashes) == (BATCH, BATCH, BATCH)
    assert (found.missing, found.misfiled) == ([], [])
    assert (found.aliases, found.failures) == (0, BROKEN), "the rerun recorded things twice"
    assert found.ingested_sources == BATCH
    assert (found.integrity, found.fts_check, found.fts_docs) == ("ok", "ok", BATCH)
    last = f"rel-{BATCH - 1:06d}"
    assert fts_matches(db, marker(BATCH - 1)) == [last]
    searched = _run_to_end(_command(db, "search", marker(BATCH - 1)))
    assert [json.loads(line)["id"] for line in searched.stdout.splitlines()] == [last]
    record_property("killed_at_articles", stored_at_kill)
    record_property("lost_articles", BATCH - found.distinct_ids)
    record_property("duplicated_articles", found.articles - found.distinct_hashes)


@pytest.fixture(scope="module")
def unprocessed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The batch ingested with segmentation only: `process` has everything left to do."""
    db = tmp_path_factory.mktemp("unprocessed") / "store.db"
    corpus = write_batch(db.parent / "batch.jsonl", BATCH)
    _run_to_end(_command(db, "ingest", str(corpus), stages="segment.rules.v1"))
    return db


@pytest.fixture(scope="module")
def processed_export(unprocessed: Path) -> str:
    """The export after one uninterrupted `process` run on a copy of the store."""
    db = backup(unprocessed, unprocessed.parent / "uninterrupted.db")
    report = json.loads(_run_to_end(_command(db, "process", stages=PROCESS_STAGES)).stdout)
    assert (report["articles"], report["failed"]) == (BATCH, 0)
    return _run_to_end(_command(db, "export", "--format", "jsonl")).stdout


@pytest.mark.slow
@pytest.mark.reliability("crash safety")
@pytest.mark.parametrize("share", [0.2, 0.5, 0.8])
def test_process_killed_midway_and_rerun_exports_what_one_run_does(
        unprocessed: Path, processed_export: str, tmp_path: Path, share: float,
        record_property: pytest.RecordProperty) -> None:
    db = backup(unprocessed, tmp_path / "store.db")
    process = _command(db, "process", stages=PROCESS_STAGES)
    done_at_kill = _kill_when_counted(process, db, int(BATCH * share), PROCESSED,
                                      tmp_path / "killed.log")
    assert 0 < done_at_kill < BATCH, f"the kill came too late: {done_at_kill} processed"

    report = json.loads(_run_to_end(process).stdout)
    assert (report["articles"], report["failed"]) == (BATCH, 0)
    assert _run_to_end(_command(db, "export", "--format", "jsonl")).stdout == processed_export
    found = census(db, BATCH)
    assert (found.articles, found.distinct_hashes, found.missing) == (BATCH, BATCH, [])
    assert (found.integrity, found.fts_check, found.quotes_fts_check) == ("ok", "ok", "ok")
    assert found.quotes == found.quotes_expected > 0
    record_property("killed_at_processed", done_at_kill)
    record_property("quotes", found.quotes)
