"""`babelwire process` on Dask (issue 8): the same store as one process, even when a worker dies.

The stages run on workers batch by batch; the client writes the results in
article order. So a run on Dask must export exactly what a one-process run
exports, and a worker SIGKILLed in the middle of a batch must cost nothing but
time: Dask runs the batch again elsewhere, and every article is written once.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path

import pytest

from babelwire import Database
from babelwire.assembly import make_ingestor
from babelwire.export import write_jsonl
from babelwire.processing import Processor
from babelwire.record import Article
from babelwire.samples import sample_paths
from babelwire.settings import Settings
from babelwire.stages.language import LanguageStage
from babelwire.stages.quotes import QuotesStage

from .dask_stages import StagesWithKillPoint, make_fifos

distributed = pytest.importorskip("distributed")

ARTICLES = 60
BATCH = 8
STAGES = "language.cld2.v1,quotes.rules.v1"


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store of ARTICLES sample-corpus articles ingested with segmentation only."""
    folder = tmp_path_factory.mktemp("dask-corpus")
    lines = [line for path in sample_paths()
             for line in path.read_text(encoding="utf-8").splitlines()]
    corpus = folder / "corpus.jsonl"
    corpus.write_text("\n".join(lines[:: len(lines) // ARTICLES][:ARTICLES]) + "\n",
                      encoding="utf-8")
    settings = Settings(db_path=str(folder / "store.db"), stages=("segment.rules.v1",))
    db = Database(settings.db_path)
    report = make_ingestor(settings, db).ingest([str(corpus)])
    db.close()
    assert (report.inserted, report.failed) == (ARTICLES, 0)
    return Path(settings.db_path)


def _copy(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def _export(path: Path) -> str:
    db = Database(path)
    out = io.StringIO()
    write_jsonl(db.iter_articles(), out)
    db.close()
    return out.getvalue()


def _one_process_export(stored: Path, folder: Path) -> str:
    db = Database(_copy(stored, folder / "one-process.db"))
    Processor(db, [LanguageStage(), QuotesStage()], batch_size=BATCH).process()
    db.close()
    return _export(folder / "one-process.db")


class _CountingStore:
    """The store, counting how often each article is written (a re-run batch must not be)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.writes: Counter[str] = Counter()

    def iter_articles(self) -> Iterator[Article]:
        return self.db.iter_articles()

    def update_articles(self, articles: Sequence[Article], fields: Sequence[str]) -> int:
        self.writes.update(a.id for a in articles)
        return self.db.update_articles(articles, fields)


def test_process_on_two_in_process_dask_workers_exports_what_one_process_does(
        stored: Path, tmp_path: Path) -> None:
    from babelwire.dask_runner import DaskRunner, local_cluster
    from babelwire.processing import process_pipeline

    expected = _one_process_export(stored, tmp_path)
    db = Database(_copy(stored, tmp_path / "dask.db"))
    store = _CountingStore(db)
    with local_cluster(2, processes=False) as cluster, \
            distributed.Client(cluster) as client:
        runner = DaskRunner(client, lambda: [LanguageStage(), QuotesStage()])
        report = Processor(store, [LanguageStage(), QuotesStage()],  # type: ignore[arg-type]
                           batch_size=BATCH, runner=runner).process()
    db.close()
    assert (report.articles, report.batches, report.failed) == (ARTICLES, 8, 0)
    assert set(store.writes.values()) == {1} and len(store.writes) == ARTICLES
    assert _export(tmp_path / "dask.db") == expected
    assert process_pipeline([LanguageStage()]).rewritten == ("lang", "lang_score", "lang_method",
                                                             "failures")


@pytest.mark.slow
def test_cli_process_with_two_local_dask_workers_exports_what_one_process_does(
        stored: Path, tmp_path: Path) -> None:
    expected = _one_process_export(stored, tmp_path)
    db = _copy(stored, tmp_path / "cli.db")
    done = subprocess.run(
        [sys.executable, "-m", "babelwire", "--db", str(db), "--set",
         f"pipeline.stages={STAGES}", "process", "--batch", str(BATCH), "--workers", "2"],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == {
        "articles": ARTICLES, "batches": 8, "failed": 0, "stages_run": ["language", "quotes"],
        "stages_skipped": [], "steps_run": []}
    assert _export(db) == expected


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.reliability("crash safety")
def test_dask_worker_sigkilled_mid_batch_loses_and_duplicates_nothing(
        stored: Path, tmp_path: Path, record_property: pytest.RecordProperty) -> None:
    from babelwire.dask_runner import DaskRunner, local_cluster

    expected = _one_process_export(stored, tmp_path)
    db = Database(_copy(stored, tmp_path / "killed.db"))
    target = list(islice(db.iter_articles(), 3 * BATCH + 3))[-1].id  # mid-way in batch 4
    make_fifos(tmp_path)
    store = _CountingStore(db)
    outcome: dict[str, object] = {}
    with local_cluster(2) as cluster, \
            distributed.Client(cluster) as client:
        pids_before = set(client.run(os.getpid).values())
        runner = DaskRunner(client, StagesWithKillPoint(str(tmp_path), target))
        processor = Processor(store, [LanguageStage(), QuotesStage()],  # type: ignore[arg-type]
                              batch_size=BATCH, runner=runner)
        run = threading.Thread(target=lambda: outcome.update(report=processor.process()))
        run.start()
        with open(tmp_path / "pid") as fifo:  # blocks until a worker holds the target
            killed = int(fifo.read())
        os.kill(killed, signal.SIGKILL)
        run.join(timeout=600)
        client.wait_for_workers(2, timeout=120)
        pids_after = set(client.run(os.getpid).values())
    report = outcome["report"]
    assert killed in pids_before and killed not in pids_after
    assert (report.articles, report.batches, report.failed) == (  # type: ignore[attr-defined]
        ARTICLES, 8, 0)
    assert set(store.writes.values()) == {1} and len(store.writes) == ARTICLES
    db.close()
    with sqlite3.connect(tmp_path / "killed.db") as conn:
        rows = conn.execute("SELECT count(*), count(DISTINCT id), count(DISTINCT content_hash)"
                            " FROM articles").fetchone()
    assert rows == (ARTICLES, ARTICLES, ARTICLES)
    assert _export(tmp_path / "killed.db") == expected
    record_property("figure:lost articles", ARTICLES - len(store.writes))
    record_property("figure:articles written twice", sum(n > 1 for n in store.writes.values()))


@pytest.mark.slow
def test_cli_process_on_a_running_dask_scheduler_exports_what_one_process_does(
        stored: Path, tmp_path: Path) -> None:
    from babelwire.dask_runner import local_cluster

    expected = _one_process_export(stored, tmp_path)
    db = _copy(stored, tmp_path / "scheduler.db")
    with local_cluster(2, processes=False) as cluster:
        done = subprocess.run(
            [sys.executable, "-m", "babelwire", "--db", str(db), "--set",
             f"pipeline.stages={STAGES}", "process", "--batch", str(BATCH),
             "--scheduler", cluster.scheduler_address],
            capture_output=True, text=True, timeout=600,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["articles"] == ARTICLES
    assert _export(db) == expected


def test_cli_process_refuses_both_a_scheduler_and_local_workers(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from babelwire.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "process",
                                      "--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: give --scheduler or --workers, not both"


def _process_cli(db: Path, stages: str, *extra: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "babelwire", "--db", str(db), "--set",
         f"pipeline.stages={stages}", "process", "--batch", str(BATCH), *extra],
        capture_output=True, text=True, timeout=900,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout))


def _embeddings(path: Path) -> dict[str, bytes]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT id, embedding FROM articles"))


@pytest.mark.slow
def test_process_embedding_on_dask_workers_clusters_stories_in_the_client_as_one_process_does(
        stored: Path, tmp_path: Path) -> None:
    stages = "language.cld2.v1,embed.e5.v1"
    here, there = _copy(stored, tmp_path / "here.db"), _copy(stored, tmp_path / "there.db")
    one = _process_cli(here, stages)
    dask = _process_cli(there, stages, "--workers", "2")
    assert one == dask == {"articles": ARTICLES, "batches": 8, "failed": 0,
                           "stages_run": ["language", "embed"], "stages_skipped": [],
                           "steps_run": ["stories.cluster"]}
    assert _embeddings(here) == _embeddings(there)
    exported = _export(there)
    assert exported == _export(here)
    assert all(json.loads(line)["story_id"] for line in exported.splitlines())
