"""`process --queue` against a real redis-server (issue 8): a killed consumer costs nothing.

A consumer process is SIGKILLed after it stored a batch and before it
acknowledged it (the worst moment: the work is done, the queue does not know);
a second consumer, the CLI, re-claims that batch, processes it again and
finishes the queue. The store must then export exactly what an unkilled
`babelwire process` exports. The doomed consumer meets the test through two
FIFOs (as tests/scale/dask_stages.py does), not through sleeps.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from babelwire import Database
from babelwire.assembly import make_ingestor
from babelwire.db.store import Store
from babelwire.processing import Processor
from babelwire.queue import open_queue
from babelwire.settings import Settings
from babelwire.stages.language import LanguageStage
from babelwire.stages.quotes import QuotesStage
from tests.db.conftest import postgres_template, postgres_url  # noqa: F401  (fixtures)
from tests.sample_store import copy_store, export_jsonl, sample_corpus
from tests.scale.conftest import RunningService, postgres_cluster  # noqa: F401  (fixture)

ARTICLES = 24
BATCH = 5
STAGES = "language.cld2.v1,quotes.rules.v1"
INGEST_STAGES = ("clean.trafilatura.v1", "segment.rules.v1")
# A deadline for another process, not a speed claim.
DEADLINE_S = 600

_DOOMED = """
import os, sys
from babelwire.assembly import make_queue_consumer, open_store
from babelwire.consumer import AfterBatch, ConsumerOptions
from babelwire.settings import Settings

db_path, queue_url, folder, stages = sys.argv[1:5]


class HoldAfterSecondBatch:
    '''After the second batch is stored (and before its ack): tell the test, then wait to die.'''

    name = "hold"
    calls = 0

    def __call__(self, report):
        self.calls += 1
        if self.calls < 2:
            return
        with open(os.path.join(folder, "pid"), "w") as fifo:
            fifo.write(str(os.getpid()))
        with open(os.path.join(folder, "hold")) as never_written:
            never_written.read()
        raise AssertionError("the hold FIFO was written: the test should have killed us")


settings = Settings(db_path=db_path, stages=tuple(stages.split(",")))
db = open_store(settings)
consumer = make_queue_consumer(settings, db, queue_url, ConsumerOptions(
    consumer="doomed", batch_size=int(sys.argv[5]), once=True))
consumer.after = AfterBatch(incremental=[HoldAfterSecondBatch()])
consumer.run()
"""


def _ingest(store: Store, corpus: Path) -> list[str]:
    """Ingest as `watch` does before it pushes (clean and segment only); the new ids."""
    report = make_ingestor(Settings(db_path=":memory:", stages=INGEST_STAGES),
                           store).ingest([str(corpus)])  # type: ignore[arg-type]
    assert (report.inserted, report.failed) == (ARTICLES, 0)
    return list(report.article_ids)


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A SQLite store of ARTICLES sample articles, and their ids in ingest order."""
    folder = tmp_path_factory.mktemp("queue-consumer")
    with Database(folder / "store.db") as db:
        ids = _ingest(db, sample_corpus(folder, ARTICLES))
    return folder / "store.db", ids


def _unkilled_export(stored: Path, folder: Path) -> str:
    with Database(copy_store(stored, folder / "unkilled.db")) as db:
        Processor(db, [LanguageStage(), QuotesStage()]).process()
        return export_jsonl(db)


@pytest.fixture
def queue_url(redis_server: RunningService) -> Iterator[str]:
    """A Redis database of its own (the CLI uses the default stream name), emptied first."""
    import redis

    url = f"{redis_server.url.rsplit('/', 1)[0]}/7"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


def _push(queue_url: str, ids: list[str]) -> None:
    queue = open_queue(queue_url)
    for article_id in ids:
        queue.push({"article_id": article_id, "feed": "https://example.org/feed.xml"})
    queue.close()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


def _cli_consumer(db: str, queue_url: str, *extra: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "babelwire", "--db", db, "--set", f"pipeline.stages={STAGES}",
         "process", "--queue", queue_url, "--batch", str(BATCH), "--once", *extra],
        capture_output=True, text=True, timeout=DEADLINE_S, env=_env())
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout))


def _processed(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        sql = "SELECT count(*) FROM articles WHERE lang_method != ''"  # language stage ran
        return int(conn.execute(sql).fetchone()[0])


@pytest.mark.slow
@pytest.mark.timeout(DEADLINE_S)
@pytest.mark.reliability("crash safety")
def test_consumer_sigkilled_after_storing_before_acking_is_redone_by_another_consumer(
        stored: tuple[Path, list[str]], tmp_path: Path, queue_url: str,
        record_property: pytest.RecordProperty) -> None:
    path, ids = stored
    expected = _unkilled_export(path, tmp_path)
    db = copy_store(path, tmp_path / "killed.db")
    _push(queue_url, ids)
    os.mkfifo(tmp_path / "pid")
    os.mkfifo(tmp_path / "hold")
    doomed = subprocess.Popen([sys.executable, "-c", _DOOMED, str(db), queue_url, str(tmp_path),
                               STAGES, str(BATCH)], env=_env())
    with doomed, open(tmp_path / "pid") as fifo:  # blocks until batch 2 is stored, not acked
        assert int(fifo.read()) == doomed.pid
        stored_before_kill = _processed(db)
        queue = open_queue(queue_url)
        pending_at_kill = queue.pending()
        os.kill(doomed.pid, signal.SIGKILL)
        assert doomed.wait(timeout=DEADLINE_S) == -signal.SIGKILL
    assert (stored_before_kill, pending_at_kill) == (2 * BATCH, BATCH)

    report = _cli_consumer(str(db), queue_url, "--consumer", "survivor", "--idle-s", "0")
    assert {k: report[k] for k in ("articles", "reclaimed", "missing", "acked", "failed")} == {
        "articles": ARTICLES - BATCH, "reclaimed": BATCH, "missing": 0,
        "acked": ARTICLES - BATCH, "failed": 0}
    assert queue.pending() == 0
    assert queue.consume("late", count=100) == []
    queue.close()
    with Database(db) as store:
        assert export_jsonl(store) == expected
    record_property("figure:articles processed twice", BATCH)


def _without_fetched_at(export: str) -> list[dict[str, object]]:
    """Export records minus ``fetched_at`` (a local file's is the clock at ingest)."""
    return [{k: v for k, v in json.loads(line).items() if k != "fetched_at"}
            for line in export.splitlines()]


@pytest.mark.slow
@pytest.mark.timeout(DEADLINE_S)
def test_cli_consumer_on_a_postgresql_store_exports_what_process_does_on_sqlite(
        stored: tuple[Path, list[str]], tmp_path: Path, queue_url: str,
        postgres_url: str) -> None:  # noqa: F811
    from babelwire.db.postgres.database import PostgresDatabase

    path, _ = stored
    expected = _unkilled_export(path, tmp_path)
    with PostgresDatabase(postgres_url) as pg:
        ids = _ingest(pg, sample_corpus(tmp_path, ARTICLES))
    _push(queue_url, ids)
    report = _cli_consumer(postgres_url, queue_url)
    assert (report["articles"], report["batches"], report["acked"]) == (ARTICLES, 5, ARTICLES)
    with PostgresDatabase(postgres_url) as pg:
        assert _without_fetched_at(export_jsonl(pg)) == _without_fetched_at(expected)


def _wait_until_drained(queue_url: str, db: Path, expected: int) -> int:
    """Poll until every pushed message is acknowledged and ``expected`` articles are processed
    (the consumer works on its own clock); return the processed count."""
    queue = open_queue(queue_url)
    deadline = time.monotonic() + DEADLINE_S
    try:
        while time.monotonic() < deadline:
            if _processed(db) == expected and queue.pending() == 0:
                break
            time.sleep(0.1)
    finally:
        queue.close()
    return _processed(db)


@pytest.mark.slow
@pytest.mark.timeout(DEADLINE_S)
def test_cli_consumer_waiting_for_messages_stops_on_sigterm_with_exit_0_and_its_report(
        stored: tuple[Path, list[str]], tmp_path: Path, queue_url: str) -> None:
    path, ids = stored
    db = copy_store(path, tmp_path / "sigterm.db")
    _push(queue_url, ids)
    consumer = subprocess.Popen(
        [sys.executable, "-m", "babelwire", "--db", str(db), "--set", f"pipeline.stages={STAGES}",
         "process", "--queue", queue_url, "--batch", str(BATCH)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    with consumer:
        processed = _wait_until_drained(queue_url, db, ARTICLES)
        consumer.send_signal(signal.SIGTERM)  # it now waits in XREADGROUP BLOCK for more
        out, err = consumer.communicate(timeout=DEADLINE_S)
    assert (processed, consumer.returncode) == (ARTICLES, 0), err[-2000:]
    report = json.loads(out)
    assert (report["articles"], report["acked"], report["stopped_by"]) == (
        ARTICLES, ARTICLES, "stop signal")
    assert "SIGTERM received; finishing the current batch, then stopping" in err
