"""``babelwire bench scale``: `process`'s stateless stages on 1 and 2 local Dask workers,
over a SQLite and a PostgreSQL store, throughput ratios taken in one run.

The workload: the sample-corpus articles are stored once per store (clean and
segment, not timed), then `babelwire process`'s stages (language, quotes and
the encoder's embed; segment and NER cannot run over stored articles, see
`babelwire.processing`) run over them on a local Dask cluster of N worker
processes, one thread and one encoder thread each, with the writes in this
process. Store-wide steps (story clustering) are left out: they run once in
one place whatever the worker count, and are not what scales.

Each timed run comes after a warm-up batch on every worker (models loaded),
and runs again over the same stored articles: `process` is idempotent, so each
round does the same work. Rounds are interleaved across configurations and
the best counts, so a burst of load from another process hurts one round, not
one configuration. The machine is shared: the CPU time per article (workers'
and this process's) and the load average are reported beside each rate.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from .pipeline_benchmark import sample_input
from .settings import Settings

if TYPE_CHECKING:
    from distributed import Client

    from .dask_runner import DaskRunner
    from .db.store import Store

SCALE_STAGES = ("language.cld2.v1", "quotes.rules.v1", "embed.e5.v1")
"""The stages timed: every stage of the default full pipeline that `process` can run."""
FILL_STAGES = ("clean.trafilatura.v1", "segment.rules.v1")
"""What the stores are filled with (not timed): the rest is left to `process`."""


@dataclass(frozen=True, slots=True)
class ScaleOptions:
    """What `bench_scale` runs."""

    articles: int = 160
    batch: int = 32
    repeats: int = 1
    workers: tuple[int, ...] = (1, 2)
    postgres_dsn: str | None = None
    stages: tuple[str, ...] = SCALE_STAGES


@dataclass(frozen=True, slots=True)
class ScaleRun:
    """The best round of one configuration (store × workers)."""

    store: str
    workers: int
    articles: int
    seconds: float
    articles_per_s: float
    worker_cpu_ms_per_article: float
    client_cpu_ms_per_article: float
    load_before: float
    load_after: float


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
    """Time `process`'s stages on every (store, workers) configuration of ``options``."""
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
        runners: dict[int, DaskRunner] = {}
        for count in options.workers:
            client = stack.enter_context(dask_client(ClusterRequest(workers=count)))
            runners[count] = _warmed_runner(client, settings, stores["sqlite"], options.batch)
        best: dict[tuple[str, int], ScaleRun] = {}
        for _ in range(options.repeats):
            for count, runner in runners.items():
                for name, store in stores.items():
                    run = _timed_run(name, store, runner, settings, options.batch)
                    key = (name, count)
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


def _warmed_runner(client: Client, settings: Settings, store: Store, batch: int) -> DaskRunner:
    """A runner of the settings' stages whose workers have each run one batch (models loaded)."""
    from .assembly import SettingsStages
    from .dask_runner import DaskRunner
    from .pipeline import ErrorPolicy

    runner = DaskRunner(client, SettingsStages(settings, encoder_threads=1), ErrorPolicy.RECORD)
    runner.warm(list(islice(store.iter_articles(), batch)))
    return runner


def _timed_run(name: str, store: Store, runner: DaskRunner, settings: Settings,
               batch: int) -> ScaleRun:
    """One `process` run over ``store`` on ``runner``'s workers, timed, no store-wide steps."""
    from .assembly import build_pipeline
    from .processing import Processor

    processor = Processor(store, build_pipeline(settings).stages, batch_size=batch,
                          runner=runner)
    load_before = os.getloadavg()[0]
    workers_before = sum(runner.client.run(time.process_time).values())
    client_before = time.process_time()
    started = time.perf_counter()
    report = processor.process()
    seconds = time.perf_counter() - started
    client_cpu = time.process_time() - client_before
    worker_cpu = sum(runner.client.run(time.process_time).values()) - workers_before
    workers = len(runner.client.scheduler_info()["workers"])
    return ScaleRun(
        store=name, workers=workers, articles=report.articles, seconds=round(seconds, 2),
        articles_per_s=round(report.articles / seconds, 2),
        worker_cpu_ms_per_article=round(1000 * worker_cpu / report.articles, 1),
        client_cpu_ms_per_article=round(1000 * client_cpu / report.articles, 1),
        load_before=round(load_before, 2), load_after=round(os.getloadavg()[0], 2))


def throughput_ratios(runs: list[ScaleRun]) -> dict[str, float]:
    """Throughput ratios: more workers over one worker per store, PostgreSQL over SQLite."""
    rate = {(r.store, r.workers): r.articles_per_s for r in runs}
    ratios: dict[str, float] = {}
    for (store, workers), value in rate.items():
        if workers > 1 and (store, 1) in rate:
            ratios[f"{store}: {workers} workers / 1"] = round(value / rate[(store, 1)], 3)
        if store != "sqlite" and ("sqlite", workers) in rate:
            ratios[f"{store} / sqlite, {workers} worker(s)"] = round(
                value / rate[("sqlite", workers)], 3)
    return ratios


def to_json(result: ScaleBenchmark) -> str:
    """One JSON object of the run."""
    return json.dumps(asdict(result))


def render_markdown(result: ScaleBenchmark, command: str) -> str:
    """The docs/BENCHMARKS.md "Scale" section of a run."""
    rows = "\n".join(
        f"| {r.store} | {r.workers} | {r.articles} | {r.seconds} | {r.articles_per_s} |"
        f" {r.worker_cpu_ms_per_article} | {r.client_cpu_ms_per_article} |"
        f" {r.load_before} → {r.load_after} |" for r in result.runs)
    ratios = "\n".join(f"| {name} | {value} |" for name, value in result.ratios.items())
    return (
        f"## Scale (`{command}`)\n\n"
        f"`babelwire process`'s stateless stages ({', '.join(result.stages)}) over"
        f" {result.articles} stored sample-corpus articles, batches of {result.batch}, on a"
        " local Dask cluster of 1 or 2 worker processes (one thread and one encoder thread"
        " each), writes in the client; SQLite and PostgreSQL"
        f" ({result.postgres}). Best of {result.repeats} interleaved round(s) after a warm-up"
        f" batch per worker, {result.cpu_count} cores shared with other jobs: CPU time per"
        " article and the 1-minute load average are given beside each rate (client CPU: this"
        " process, which reads, writes and hosts the Dask scheduler; PostgreSQL's server CPU is"
        " not counted). Story clustering (one place, whatever the workers) is not timed.\n\n"
        "| store | workers | articles | seconds | articles/s | worker CPU ms/article |"
        " client CPU ms/article | load |\n|---|---|---|---|---|---|---|---|\n" + rows + "\n\n"
        "| throughput ratio | value |\n|---|---|\n" + ratios + "\n")

