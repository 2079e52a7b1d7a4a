"""``babelwire bench web``: page latency under concurrent requests over a big synthetic store.

The store is filled by `db.synthetic` (a million articles by default), served
by a real ``babelwire serve`` subprocess on a free loopback port (stopped by its
PID), and each kind of page is requested ``requests`` times by ``concurrency``
clients at once. Reported per page: p50, p95, p99 and max latency as the client
saw it, requests per second and errors. No thresholds here: the issue's targets
(story page p95 < 100 ms, front page < 200 ms) are read off the report.

Page kinds: the front page (this week's biggest stories), unfiltered and for one
language; a story page, stories drawn by size (big stories are read more); an
article page; an entity page for an entity drawn uniformly (most
are small) and for one of the ten most mentioned (the worst case: the top
entity is in several per cent of all articles); full-text search for a
mid-frequency word; search by meaning (the server's real query encoder; the
stored vectors are random, which costs the same to scan).

With ``workers`` above 1, two servers run at once over the same store, one
process and ``serve --workers N``, and each kind of page is timed on both in
`ROUNDS` alternating rounds (1 then N, N then 1, ...) over the same URLs: on a
shared machine whose load changes by the minute, a change falls on both, and the
ratio of the two means more than either number. Each round opens new
connections, so ``--workers``' connections are spread over its workers anew.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import numpy as np

from ..db.database import Database
from ..db.synthetic import SyntheticSpec, SyntheticStore, fill

START_TIMEOUT_S = 120
FEWER_REQUESTS: dict[str, int] = {}
"""Kinds timed with ``requests // n`` requests, for a page too slow to time fully. Empty
since migration 014: the hot entities' pages (``entity_top10``) took seconds at 1M and
were timed with a tenth of the requests; they take tens of milliseconds now."""
REQUEST_TIMEOUT_S = 60
WARM_UP_REQUESTS = 20
"""Per server and kind, not timed: the first requests load the encoder and caches."""
ROUNDS = 4
"""Alternating rounds per kind when two servers are compared (one round otherwise). A first
run timed all of one server then all of the other, kind by kind, at load 15-30: front
pages differed 1.5-3.5x between the two within a minute, noise bigger than the effect."""


@dataclass(frozen=True, slots=True)
class PageTiming:
    """Latencies of one kind of page, in milliseconds, as the clients measured them."""

    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    per_s: float


@dataclass(slots=True)
class WebBenchmark:
    """One run: the store's size, how it was loaded, and each page kind's timing."""

    articles: int
    entities: int
    mentions: int
    embedded: int
    stories: int
    fill_s: float
    db_mb: float
    concurrency: int
    pages: dict[str, PageTiming] = field(default_factory=dict)
    workers: int = 1
    """Server processes of the compared server (1: no comparison)."""
    pages_workers: dict[str, PageTiming] = field(default_factory=dict)
    """Each kind timed against ``serve --workers`` right after `pages` (same run)."""
    reused: bool = False
    """The store was there already (``--reuse``): ``fill_s`` is the time to open it."""


def bench_web(path: Path, spec: SyntheticSpec, *, requests: int = 200, concurrency: int = 8,
              reuse: bool = False, workers: int = 1,
              log: Callable[[str], None] = lambda _: None) -> WebBenchmark:
    """Fill (or reuse) the store at ``path``, serve it, and time every kind of page (also
    against ``serve --workers workers``, kind by kind, when ``workers`` > 1)."""
    started = time.perf_counter()
    store, reused = _prepared_store(path, spec, reuse, log)
    fill_s = time.perf_counter() - started
    result = WebBenchmark(articles=store.articles, entities=store.entities,
                          mentions=store.mentions, embedded=store.embedded,
                          stories=store.stories,
                          fill_s=round(fill_s, 1), db_mb=round(path.stat().st_size / 2**20, 1),
                          concurrency=concurrency, workers=workers,
                          reused=reused)
    with _serving(path) as base, _serving(path, workers) if workers > 1 else nullcontext(
            None) as base_workers:
        servers = {1: base} if base_workers is None else {1: base, workers: base_workers}
        for kind, urls in page_urls(store).items():
            count = max(requests // FEWER_REQUESTS.get(kind, 1), concurrency)
            log(f"timing {kind}: {count} requests, {concurrency} at a time, on"
                f" {' and '.join(f'{n} worker(s)' for n in servers)}")
            timings = _time_kind(servers, urls, count, concurrency)
            result.pages[kind] = timings[1]
            if workers > 1:
                result.pages_workers[kind] = timings[workers]
    return result


def _time_kind(servers: dict[int, str], urls: list[str], count: int,
               concurrency: int) -> dict[int, PageTiming]:
    """Warm every server up, then time ``count`` requests on each, in alternating rounds."""
    samples = {workers: _Samples() for workers in servers}
    for base in servers.values():
        asyncio.run(_time_pages(base, urls, range(min(WARM_UP_REQUESTS, count)), concurrency,
                                _Samples()))
    rounds = ROUNDS if len(servers) > 1 else 1
    for number in range(rounds):
        part = range(number * count // rounds, (number + 1) * count // rounds)
        order = list(servers) if number % 2 == 0 else list(reversed(servers))
        for workers in order:
            asyncio.run(_time_pages(servers[workers], urls, part, concurrency,
                                    samples[workers]))
    return {workers: sample.timing() for workers, sample in samples.items()}


def page_urls(store: SyntheticStore) -> dict[str, list[str]]:
    """Paths to request per page kind, drawn from the store's own ids and words."""
    words = store.query_words
    return {
        "front": ["/"],
        "front_lang": [f"/?lang={lang}" for lang in ("en", "de", "fr", "es", "ru")],
        "story": [f"/stories/{quote(s, safe='')}" for s in store.story_ids],
        "article": [f"/articles/{quote(a, safe='')}" for a in store.article_ids],
        "entity": [f"/entities/{quote(e, safe='')}" for e in store.entity_ids],
        "entity_top10": [f"/entities/{quote(e, safe='')}" for e in store.top_entity_ids],
        "search_text": [f"/search?mode=text&q={w}" for w in words],
        "search_semantic": [f"/search?mode=semantic&q={w}+{v}" for w, v in
                            zip(words, reversed(words), strict=True)],
    }


def _prepared_store(path: Path, spec: SyntheticSpec, reuse: bool,
                    log: Callable[[str], None]) -> tuple[SyntheticStore, bool]:
    """The store to time, and whether it was reused (else it was filled here)."""
    if path.exists() and not reuse:
        raise FileExistsError(f"{path} exists; give --reuse to time it again or another --db")
    Database(path).close()  # migrations
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if reuse and conn.execute("SELECT count(*) FROM articles").fetchone()[0]:
            log(f"reusing {path}")
            return _described(conn, spec), True
        log(f"filling {path} with {spec.articles:,} articles")
        return fill(conn, spec), False
    finally:
        conn.close()


def _described(conn: sqlite3.Connection, spec: SyntheticSpec) -> SyntheticStore:
    """The ids and words a reused store is timed with (same seed, same draws)."""
    rng = np.random.default_rng(spec.seed + 1)
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    entities = [r[0] for r in conn.execute("SELECT id FROM entities ORDER BY mentions DESC")]
    words = _first_title_words(conn)
    return SyntheticStore(
        articles=articles, entities=len(entities),
        mentions=conn.execute("SELECT count(*) FROM entity_mentions").fetchone()[0],
        embedded=conn.execute("SELECT count(*) FROM articles WHERE embedding IS NOT NULL"
                              ).fetchone()[0],
        article_ids=[f"bench-{int(n):07d}" for n in rng.integers(0, articles, 500)],
        entity_ids=[entities[int(n)] for n in rng.integers(0, len(entities), 500)],
        top_entity_ids=entities[:10], query_words=[w.lower() for w in words],
        stories=conn.execute("SELECT count(*) FROM stories").fetchone()[0],
        story_ids=[r[0] for r in conn.execute(
            "SELECT id FROM stories ORDER BY size DESC LIMIT 500")])


def _first_title_words(conn: sqlite3.Connection, *, distinct: int = 400,
                       kept: int = 200) -> list[str]:
    """The first words of titles in storage order: the first ``distinct`` different ones,
    those longer than two letters, ``kept`` of them.

    In storage (rowid) order, not whatever order an index gives DISTINCT: a covering
    index holding titles made the planner read another index, and two stores with
    the same articles were then timed on different words.
    """
    seen: dict[str, None] = {}
    for (title,) in conn.execute("SELECT title FROM articles ORDER BY rowid"):
        seen.setdefault(title.split(" ", 1)[0], None)
        if len(seen) >= distinct:
            break
    return [word for word in seen if len(word) > 2][:kept]


@dataclass(slots=True)
class _Samples:
    """Latencies and errors gathered over one or more rounds."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed_s: float = 0.0

    def timing(self) -> PageTiming:
        ms = np.asarray(self.latencies_ms)
        return PageTiming(requests=len(ms), errors=self.errors,
                          p50_ms=round(float(np.percentile(ms, 50)), 1),
                          p95_ms=round(float(np.percentile(ms, 95)), 1),
                          p99_ms=round(float(np.percentile(ms, 99)), 1),
                          max_ms=round(float(ms.max()), 1),
                          per_s=round(len(ms) / self.elapsed_s, 1))


async def _time_pages(base: str, urls: list[str], indices: range, concurrency: int,
                      samples: _Samples) -> None:
    """Request ``urls[i % len(urls)]`` for each ``i`` in ``indices``, ``concurrency`` at a
    time on new connections, into ``samples``."""
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S,
                                 limits=limits) as client:
        async def one(url: str) -> None:
            async with gate:
                began = time.perf_counter()
                try:
                    failed = (await client.get(url)).status_code != 200
                except httpx.TimeoutException:  # counted, and its wait is in the latencies
                    failed = True
                samples.latencies_ms.append((time.perf_counter() - began) * 1000)
                samples.errors += failed

        began = time.perf_counter()
        await asyncio.gather(*(one(urls[i % len(urls)]) for i in indices))
        samples.elapsed_s += time.perf_counter() - began


class _serving:
    """``babelwire serve`` over ``path`` on a free loopback port, stopped by its PID."""

    def __init__(self, path: Path, workers: int = 1) -> None:
        self.path = path
        self.workers = workers
        self.server: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        port = _free_port()
        self.server = subprocess.Popen(
            # The search rate limit guards a public server from one client; the bench is
            # that one client on purpose, so the limit is off for its server.
            [sys.executable, "-m", "babelwire", "--db", str(self.path),
             "--set", "web.search_rate_per_minute=0", "serve", "--host",
             "127.0.0.1", "--port", str(port), "--workers", str(self.workers)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "OMP_NUM_THREADS": "1"})
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"serve exited {self.server.returncode} before answering")
            try:
                httpx.get(f"{base}/openapi.json", timeout=2)
                return base
            except httpx.TransportError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"serve did not answer at {base} within {START_TIMEOUT_S} s")

    def __exit__(self, *exc: object) -> None:
        if self.server is not None and self.server.poll() is None:
            os.kill(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.server.pid, signal.SIGKILL)
                self.server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


REPORT_START = "<!-- bench web: start -->"
REPORT_END = "<!-- bench web: end -->"


def write_report(result: WebBenchmark, path: Path, command: str) -> None:
    """Put the web section into docs/BENCHMARKS.md, replacing an earlier one."""
    servers = "`babelwire serve` (one process)"
    if result.pages_workers:
        servers += (f" and `babelwire serve --workers {result.workers}` (both running, each"
                    f" kind timed in {ROUNDS} rounds alternating between them)")
    section = (
        f"{REPORT_START}\n## Web pages (`{command}`)\n\n"
        f"A synthetic store of {result.articles:,} articles in {result.stories:,} stories,"
        f" {result.entities:,} entities and {result.mentions:,} mentions"
        f" ({result.embedded:,} with embeddings; {result.db_mb:,} MB,"
        f" {'reused: opening it took' if result.reused else 'filled in'} {result.fill_s} s),"
        f" served by {servers} on"
        f" loopback, {result.concurrency} concurrent clients on the same shared 2-core machine."
        " Latency in ms as the clients measured it, after 20 warm-up requests per kind.\n\n"
        + _report_table(result) + f"\n{REPORT_END}\n")
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if REPORT_START in text and REPORT_END in text:
        head, rest = text.split(REPORT_START, 1)
        text = head + section + rest.split(REPORT_END, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def _report_table(result: WebBenchmark) -> str:
    """One row per page kind; with a workers comparison, both servers' p50/p95 and the ratio."""
    if not result.pages_workers:
        return ("| page | requests | errors | p50 | p95 | p99 | max | req/s |\n"
                "|---|---|---|---|---|---|---|---|\n" + "\n".join(
                    f"| {kind} | {t.requests} | {t.errors} | {t.p50_ms} | {t.p95_ms} |"
                    f" {t.p99_ms} | {t.max_ms} | {t.per_s} |"
                    for kind, t in result.pages.items()))
    n = result.workers
    rows = []
    for kind, one in result.pages.items():
        many = result.pages_workers[kind]
        ratio = round(many.p95_ms / one.p95_ms, 2) if one.p95_ms else float("nan")
        rows.append(f"| {kind} | {one.requests} | {one.errors} / {many.errors} |"
                    f" {one.p50_ms} / {one.p95_ms} | {many.p50_ms} / {many.p95_ms} | {ratio} |"
                    f" {one.per_s} / {many.per_s} |")
    return (f"| page | requests | errors (1 / {n}) | p50 / p95, 1 process |"
            f" p50 / p95, {n} workers | p95 ratio {n}/1 | req/s (1 / {n}) |\n"
            "|---|---|---|---|---|---|---|\n" + "\n".join(rows))
