"""Concurrency and load (issue 9): pages stay up while a big ingest writes the same store.

A real `babelwire serve` (loopback, a free port, stopped by its PID) serves a
synthetic store while `babelwire ingest` adds 10,000 articles to the same file
and 50 concurrent clients read story, article and full-text search pages in a
loop until the ingest ends (or a hard cap). No request may fail (no 5xx, no
transport error or timeout), neither process may log "database is locked",
and the ingest must store every article. Latencies are recorded as figures
(p50/p95 per page kind), never asserted: the machine is shared.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import numpy as np
import pytest

from babelwire import Database
from babelwire.db.synthetic import SyntheticSpec, SyntheticStore, fill

from ..web.live_server import serving
from .corpus import VOCABULARY, marker, write_batch
from .store_checks import count_articles

INGESTED = 10_000
CLIENTS = 50
HARD_CAP_S = 300.0
"""Clients stop after this even if the ingest goes on (the ingest is then awaited alone)."""
REQUEST_TIMEOUT_S = 60.0
SERVED = SyntheticSpec(articles=2_000, entities=200, embedded=0, days=30,
                       stories_per_window=40, threads=5, chunk=2_000)
CHEAP_STAGES = "segment.rules.v1,language.cld2.v1"
LOCKED = "database is locked"


@dataclass(slots=True)
class LoadLog:
    """What the clients saw: latencies (ms) and statuses per page kind, and transport errors."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, status: int, ms: float) -> None:
        self.latencies.setdefault(kind, []).append(ms)
        self.statuses.setdefault(kind, Counter())[status] += 1


def _served_store(path: Path) -> SyntheticStore:
    Database(path).close()  # migrations
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        return fill(conn, SERVED)
    finally:
        conn.close()


def _page_urls(store: SyntheticStore) -> dict[str, list[str]]:
    """Stored stories and articles; searches for stored words and for articles still arriving."""
    words = [*store.query_words[:40], *VOCABULARY["en"].split()[:10],
             *(marker(n) for n in range(0, INGESTED, INGESTED // 40))]
    return {"story": [f"/stories/{quote(s, safe='')}" for s in store.story_ids],
            "article": [f"/articles/{quote(a, safe='')}" for a in store.article_ids],
            "search": [f"/search?mode=text&q={quote(w)}" for w in words]}


async def _read_until_done(base: str, urls: dict[str, list[str]],
                           ingest: subprocess.Popen[bytes], log: LoadLog) -> None:
    deadline = time.monotonic() + HARD_CAP_S
    kinds = list(urls)
    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S,
                                 limits=limits) as client:
        async def reader(number: int) -> None:
            step = number
            while ingest.poll() is None and time.monotonic() < deadline:
                kind = kinds[step % len(kinds)]
                url = urls[kind][(step // len(kinds)) % len(urls[kind])]
                began = time.perf_counter()
                try:
                    status = (await client.get(url)).status_code
                except httpx.HTTPError as error:
                    log.errors.append(f"{url}: {type(error).__name__}: {error}")
                    return
                log.add(kind, status, (time.perf_counter() - began) * 1000)
                step += CLIENTS

        await asyncio.gather(*(reader(n) for n in range(CLIENTS)))


@pytest.mark.slow
@pytest.mark.reliability("concurrency")
def test_pages_answer_without_errors_while_an_ingest_writes_the_same_store(
        tmp_path: Path, record_property: pytest.RecordProperty) -> None:
    db = tmp_path / "store.db"
    urls = _page_urls(_served_store(db))
    corpus = write_batch(tmp_path / "batch.jsonl", INGESTED)
    log = LoadLog()
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    with serving(db) as base, (tmp_path / "ingest.log").open("w") as ingest_err:
        began = time.monotonic()
        ingest = subprocess.Popen(
            [sys.executable, "-m", "babelwire", "--db", str(db), "--set",
             f"pipeline.stages={CHEAP_STAGES}", "ingest", str(corpus)],
            stdout=subprocess.PIPE, stderr=ingest_err, env=env)
        asyncio.run(_read_until_done(base, urls, ingest, log))
        under_load = ingest.poll() is not None
        out, _ = ingest.communicate(timeout=1800)
        ingest_s = time.monotonic() - began
        wal = db.with_name(db.name + "-wal")
        wal_mb = wal.stat().st_size / 2**20 if wal.exists() else 0.0
    server_log = "\n".join(p.read_text() for p in tmp_path.glob("serve-*.log"))
    ingest_log = (tmp_path / "ingest.log").read_text()

    assert ingest.returncode == 0, ingest_log[-2000:]
    assert json.loads(out)["inserted"] == INGESTED
    assert count_articles(db) == SERVED.articles + INGESTED
    assert log.errors == []
    assert {k: sorted(s for s in c if s >= 500) for k, c in log.statuses.items()} == {
        "story": [], "article": [], "search": []}
    assert {k: c[200] > 0 for k, c in log.statuses.items()} == dict.fromkeys(urls, True)
    assert (LOCKED in server_log, LOCKED in ingest_log) == (False, False)
    assert ("Traceback" in server_log, "Traceback" in ingest_log) == (False, False)
    _record_figures(record_property, log, ingest_s, under_load)
    record_property("wal_mb_after_ingest", round(wal_mb, 1))


def _record_figures(record_property: pytest.RecordProperty, log: LoadLog, ingest_s: float,
                    under_load: bool) -> None:
    for kind, values in log.latencies.items():
        ms = np.asarray(values)
        record_property(f"requests_{kind}", len(values))
        record_property(f"p50_ms_{kind}", round(float(np.percentile(ms, 50)), 1))
        record_property(f"p95_ms_{kind}", round(float(np.percentile(ms, 95)), 1))
        record_property(f"max_ms_{kind}", round(float(ms.max()), 1))
        record_property(f"statuses_{kind}", dict(sorted(log.statuses[kind].items())))
    record_property("ingest_s", round(ingest_s, 1))
    record_property("ingest_articles_per_s", round(INGESTED / ingest_s, 1))
    record_property("ingest_ended_under_load", under_load)
    record_property("load_average", os.getloadavg()[0])
