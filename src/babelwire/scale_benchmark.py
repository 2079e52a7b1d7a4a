"""``babelwire bench scale``: `process`'s stateless stages on 1 and 2 local Dask workers,
over a SQLite and a PostgreSQL store, throughput ratios taken in one run.

The workload: the sample-corpus articles are stored once per store (clean and
segment, not timed), then the rest of the default pipeline (language, NER,
quotes, embed: every stage `babelwire process` can run over stored articles,
see `babelwire.processing`) runs over them on a local Dask cluster of N worker
processes, one thread and one encoder thread each. Two measurements per worker
count, each labelled for what it is:

- **stateless**: the stored articles are read into memory first (not timed),
  then the same batches go through the workers and this process only collects
  the results: no store, no writes. This is what the issue's "≥ 1.8× with 2
  workers on the stateless stages" is about.
- **end-to-end** (per store): `Processor.process` as `babelwire process` runs
  it: batches read from the store, the stages on the workers, each batch written
  here in one transaction. The store-wide steps after it (entity resolution,
  story clustering) are not timed: they run once, in one place, whatever the
  worker count.

Each timed run comes after a warm-up batch on every worker (models loaded),
and runs again over the same stored articles: `process` is idempotent, so each
round does the same work. Rounds are interleaved across configurations and
the best counts, so a burst of load from another process hurts one round, not
one configuration. The machine is shared: the CPU time of each process (the
workers; this process's main thread, which reads and writes; its Dask event-loop
thread, which hosts the scheduler and receives the results) and the load
average are reported beside each rate, and the workers' busy share (their CPU
over workers × seconds) says how much of the run they spent computing.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from .pipeline_benchmark import sample_input
from .processing import in_batches
from .settings import FULL_STAGES, Settings

if TYPE_CHECKING:
    import psutil
    from distributed import Client

    from .dask_runner import DaskRunner
    from .db.store import Store
    from .record import Article

FILL_STAGES = ("clean.trafilatura.v1", "segment.rules.v1")
"""What the stores are filled with (not timed): the stages that set the text, which only
ingest runs (they decide the article's identity)."""
SCALE_STAGES = tuple(name for name in FULL_STAGES if name not in FILL_STAGES)
"""The stages timed: the rest of the default pipeline (language, NER, quotes, embed)."""
STATELESS = "stateless"
"""`ScaleRun.store` of the runs without a store: the workers' stages and the transfers."""


@dataclass(frozen=True, slots=True)
class ScaleOptions:
    """What `bench_scale` runs."""

    articles: int = 160
    batch: int = 8
    repeats: int = 1
    workers: tuple[int, ...] = (1, 2)
    postgres_dsn: str | None = None
    stages: tuple[str, ...] = SCALE_STAGES


@dataclass(frozen=True, slots=True)
class ScaleRun:
    """The best round of one configuration (store or `STATELESS` × workers).

    CPU per article: ``worker_cpu`` all worker processes; ``client_cpu`` this whole
    process, of which ``loop_cpu`` its Dask event-loop thread (scheduler, result
    transfers); ``nanny_cpu`` the workers' nanny processes (Dask's supervisors);
    ``workers_busy`` the workers' CPU over workers × seconds.
    """

    store: str
    workers: int
    articles: int
    seconds: float
    articles_per_s: float
    worker_cpu_ms_per_article: float
    client_cpu_ms_per_article: float
    load_before: float
    load_after: float
    loop_cpu_ms_per_article: float = 0.0
    workers_busy: float = 0.0
    nanny_cpu_ms_per_article: float = 0.0


@dataclass(frozen=True, slots=True)
class ScaleBenchmark:
    """A run of `bench_scale`: every configuration's best round and the ratios between them."""

    articles: int
    batch: int
    repeats: int
    stages: tuple[str, ...]
    cpu_count: int
    postgres: str
    backends: dict[str, str] = field(default_factory=dict)
    runs: list[ScaleRun] = field(default_factory=list)
    ratios: dict[str, float] = field(default_factory=dict)


def bench_scale(options: ScaleOptions) -> ScaleBenchmark:
    """Time `process`'s stages on every (stateless or store, workers) configuration."""
    from .dask_runner import ClusterRequest, dask_client

    with tempfile.TemporaryDirectory(prefix="babelwire-scale-") as folder, ExitStack() as stack:
        settings = Settings(db_path=str(Path(folder) / "scale.db"), stages=options.stages,
                            error_policy="record")
        source = sample_input(Path(folder), options.articles)
        stores = {"sqlite": _filled(stack.enter_context(_opened(settings.db_path)), source)}
        if options.postgres_dsn:
            dsn = stack.enter_context(_fresh_postgres_database(options.postgres_dsn))
            stores["postgresql"] = _filled(stack.enter_context(_opened(dsn)), source)
        backends = {name: type(store).__name__ for name, store in stores.items()}
        batches = list(in_batches(stores["sqlite"].iter_articles(), options.batch))
        runners: dict[int, DaskRunner] = {}
        for count in options.workers:
            client = stack.enter_context(dask_client(ClusterRequest(workers=count)))
            runners[count] = _warmed_runner(client, settings, batches[0])
        best: dict[tuple[str, int], ScaleRun] = {}
        for _ in range(options.repeats):
            for count, runner in runners.items():
                rounds = [_timed(STATELESS, runner, _collect(runner, batches))]
                rounds += [_timed(name, runner, _processed(store, runner, settings,
                                                           options.batch))
                           for name, store in stores.items()]
                for run in rounds:
                    key = (run.store, count)
                    if key not in best or run.seconds < best[key].seconds:
                        best[key] = run
    runs = list(best.values())
    return ScaleBenchmark(
        articles=runs[0].articles, batch=options.batch, repeats=options.repeats,
        stages=options.stages, cpu_count=os.cpu_count() or 1,
        postgres="measured" if options.postgres_dsn else "not measured: no --postgres DSN",
        backends=backends, runs=runs, ratios=throughput_ratios(runs))


@contextmanager
def _opened(path_or_dsn: str) -> Iterator[Store]:
    from . import assembly

    store = assembly.open_store(Settings(db_path=path_or_dsn))
    try:
        yield store
    finally:
        store.close()


def _filled(store: Store, source: Path) -> Store:
    """``store`` with the sample articles ingested through `FILL_STAGES`."""
    from . import assembly

    settings = Settings(stages=FILL_STAGES, error_policy="record")
    report = assembly.make_ingestor(settings, store).ingest([str(source)])  # type: ignore[arg-type]
    if report.failed:
        raise RuntimeError(f"bench scale: {report.failed} sample articles failed to ingest:"
                           f" {report.failures[0].message}")
    return store


@contextmanager
def _fresh_postgres_database(dsn: str) -> Iterator[str]:
    """A new, empty database on the server of ``dsn`` (dropped at the end): its URL.

    Raises:
        ConfigError: ``dsn`` is not a ``postgresql://`` URL (`--db` opens only those).
    """
    import psycopg

    from .db.postgres import is_postgres_url
    from .errors import ConfigError

    if not is_postgres_url(dsn):
        raise ConfigError(f"--postgres needs a postgresql:// URL, got {dsn!r}; e.g. the"
                          " \"dsn\" of scripts/postgres_test_cluster.py start")
    name = f"babelwire_scale_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(dsn)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _warmed_runner(client: Client, settings: Settings, batch: list[Article]) -> DaskRunner:
    """A runner of the settings' stages whose workers have each run one batch (models loaded)."""
    from .assembly import SettingsStages
    from .dask_runner import DaskRunner
    from .pipeline import ErrorPolicy

    runner = DaskRunner(client, SettingsStages(settings, encoder_threads=1), ErrorPolicy.RECORD)
    runner.warm(batch)
    return runner


def _collect(runner: DaskRunner, batches: list[list[Article]]) -> Callable[[], int]:
    """The stateless run: ``batches`` through the workers, results only counted here."""
    return lambda: sum(len(result.articles) for result in runner.run(batches))


def _processed(store: Store, runner: DaskRunner, settings: Settings,
               batch: int) -> Callable[[], int]:
    """The end-to-end run: `process` over ``store`` on the workers, no store-wide steps."""
    from .assembly import build_pipeline
    from .processing import Processor

    stages = build_pipeline(settings).stages  # built here, not timed: the workers have theirs
    return lambda: Processor(store, stages, batch_size=batch, runner=runner).process().articles


def _timed(name: str, runner: DaskRunner, work: Callable[[], int]) -> ScaleRun:
    """Run ``work`` (it returns the articles done) once; wall time and each process's CPU."""
    client = runner.client
    load_before = os.getloadavg()[0]
    workers_before = sum(client.run(time.process_time).values())
    nannies = _nanny_processes(client)
    nannies_before = _cpu_seconds(nannies)
    loop_before = client.run_on_scheduler(time.thread_time)
    client_before = time.process_time()
    started = time.perf_counter()
    articles = work()
    seconds = time.perf_counter() - started
    client_cpu = time.process_time() - client_before
    loop_cpu = client.run_on_scheduler(time.thread_time) - loop_before
    worker_cpu = sum(client.run(time.process_time).values()) - workers_before
    nanny_cpu = _cpu_seconds(nannies) - nannies_before
    workers = len(client.scheduler_info()["workers"])
    return ScaleRun(
        store=name, workers=workers, articles=articles, seconds=round(seconds, 2),
        articles_per_s=round(articles / seconds, 2),
        worker_cpu_ms_per_article=round(1000 * worker_cpu / articles, 1),
        client_cpu_ms_per_article=round(1000 * client_cpu / articles, 1),
        load_before=round(load_before, 2), load_after=round(os.getloadavg()[0], 2),
        loop_cpu_ms_per_article=round(1000 * loop_cpu / articles, 1),
        workers_busy=round(worker_cpu / (workers * seconds), 3),
        nanny_cpu_ms_per_article=round(1000 * nanny_cpu / articles, 1))


def _nanny_processes(client: Client) -> list[psutil.Process]:
    """The workers' parent processes (their nannies), whose CPU `process_time` cannot see."""
    import psutil

    return [psutil.Process(pid) for pid in client.run(os.getppid).values()]


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    return sum(p.cpu_times().user + p.cpu_times().system for p in processes)


def throughput_ratios(runs: list[ScaleRun]) -> dict[str, float]:
    """Throughput ratios, each named for what it compares: more workers over one worker
    (stateless stages alone, and end-to-end per store), PostgreSQL over SQLite end-to-end."""
    rate = {(r.store, r.workers): r.articles_per_s for r in runs}
    ratios: dict[str, float] = {}
    for (store, workers), value in rate.items():
        if workers > 1 and (store, 1) in rate:
            ratios[f"{run_label(store)}: {workers} workers / 1"] = round(
                value / rate[(store, 1)], 3)
        if store not in ("sqlite", STATELESS) and ("sqlite", workers) in rate:
            ratios[f"end-to-end {store} / sqlite, {workers} worker(s)"] = round(
                value / rate[("sqlite", workers)], 3)
    return ratios


def run_label(store: str) -> str:
    """What a run with this ``store`` measures, as the report names it."""
    return "stateless stages (no store)" if store == STATELESS else f"end-to-end {store}"


def to_json(result: ScaleBenchmark) -> str:
    """One JSON object of the run."""
    return json.dumps(asdict(result))


def render_markdown(result: ScaleBenchmark, command: str) -> str:
    """The docs/BENCHMARKS.md "Scale" section of a run."""
    rows = "\n".join(
        f"| {run_label(r.store)} | {r.workers} | {r.articles} | {r.seconds} |"
        f" {r.articles_per_s} | {r.worker_cpu_ms_per_article} | {r.workers_busy} |"
        f" {r.client_cpu_ms_per_article} | {r.loop_cpu_ms_per_article} |"
        f" {r.nanny_cpu_ms_per_article} |"
        f" {r.load_before} → {r.load_after} |" for r in result.runs)
    ratios = "\n".join(f"| {name} | {value} |" for name, value in result.ratios.items())
    return (
        f"## Scale (`{command}`)\n\n"
        f"The default pipeline's stages that `babelwire process` runs ({', '.join(result.stages)})"
        f" over {result.articles} stored sample-corpus articles, batches of {result.batch}, on a"
        " local Dask cluster of 1 or 2 worker processes (one thread and one encoder thread"
        " each). *Stateless stages*: the batches, read beforehand, go through the workers and"
        " the client only collects the results (the issue's goal, ≥ 1.8× with 2 workers, is"
        " about these). *End-to-end*: `process` itself, reading and writing each batch in the"
        f" client, SQLite and PostgreSQL ({result.postgres}); entity resolution and story"
        " clustering after it run once in one place and are not timed. Best of"
        f" {result.repeats} interleaved round(s) after a warm-up batch per worker,"
        f" {result.cpu_count} cores shared with other jobs. CPU per article: workers (all"
        " worker processes), busy (worker CPU over workers × seconds), client (this process:"
        " reads, writes, the Dask scheduler), of which loop (its Dask event-loop thread:"
        " scheduler and result transfers), nannies (Dask's worker supervisors);"
        " PostgreSQL's server CPU is not counted.\n\n"
        "| run | workers | articles | seconds | articles/s | worker CPU ms/article | busy |"
        " client CPU ms/article | of which loop | nannies | load |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n" + rows + "\n\n"
        "| throughput ratio | value |\n|---|---|\n" + ratios + "\n")
