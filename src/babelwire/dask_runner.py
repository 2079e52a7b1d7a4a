"""Running `babelwire process`'s stateless stages on Dask workers, batch by batch.

Why Dask and batches: the stages of `babelwire.processing` are pure functions
of a batch of stored articles, so any worker may run any batch; a task costs
about 3 ms of scheduling, so one task per article would waste much of a cheap
stage's time, while one per batch (tens to hundreds of articles) does not.

Why only the stages go out: the client (this process) reads the batches in
article order, keeps a few in flight per worker and takes the results back in
that same order, so the writes, and the store-wide steps after them (story
clustering), happen in one place and in the order a one-process run uses; the
store ends the same either way (tests/scale/test_dask_process.py).

Idempotence: a worker that dies under a batch loses only that task; the
scheduler runs it again on another (or the restarted) worker, and since a batch's
output depends only on its articles, the answer is the same. Only the result the
client receives is written, once.

Each worker builds its own pipeline once, in a `WorkerPlugin` (models load on
the worker, and a restarted worker builds it again); the plugin's name carries
a run token, so two runs sharing one scheduler do not use each other's stages.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import dask
from distributed import Client, Future, LocalCluster, WorkerPlugin, get_worker, wait

from .assembly import SettingsStages
from .errors import ConfigError
from .pipeline import ErrorPolicy, Pipeline, Stage
from .processing import BatchResult, process_pipeline, run_batch
from .record import Article
from .settings import Settings

IN_FLIGHT_PER_WORKER = 2
"""Unfinished batches per worker: one running and one waiting, so a worker never idles
while the client writes; finished ones held for ordering add at most as many again."""

LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}
"""Dask settings of the clusters `local_cluster` starts: its housekeeping made rarer.

Why: with Dask's defaults an idle local cluster of 2 workers spent 150-170 ms of CPU a
second (the client process with the scheduler 33-38, the 2 workers 46-54, their 2
nannies 64-78; measured with psutil at load 4-5), about 8 % of a 2-core machine taken
from the stages; with these ~25 ms/s (6-7, 6, 12-16). Each knob took a share: the
workers' statistical profiler (a stack sample every 10 ms, for a dashboard we do not
start), the event-loop health tick (20 ms), the system and memory monitors (0.5 s and
0.1 s; the nanny's memory limit still acts within a second).
"""

StageFactory = Callable[[], Sequence[Stage]]
"""Builds the pipeline's stages on a worker; must pickle (`assembly.SettingsStages`)."""


@dataclass(frozen=True, slots=True)
class ClusterRequest:
    """Which Dask cluster a run uses: a running scheduler's address, or N local workers."""

    scheduler: str | None = None
    workers: int | None = None


class ProcessPlugin(WorkerPlugin):
    """Builds the process pipeline once on each worker (and again on a restarted one)."""

    def __init__(self, factory: StageFactory, policy: ErrorPolicy) -> None:
        self.factory = factory
        self.policy = policy
        self.pipeline: Pipeline | None = None

    def setup(self, worker: Any) -> None:
        """Called by Dask when the plugin reaches a worker."""
        self.pipeline = process_pipeline(self.factory(), self.policy).pipeline


def _run_on_worker(plugin_name: str, batch: list[Article]) -> BatchResult:
    """The task: the batch through the worker's pipeline (built by `ProcessPlugin`)."""
    plugin = get_worker().plugins[plugin_name]
    assert isinstance(plugin, ProcessPlugin) and plugin.pipeline is not None
    return run_batch(plugin.pipeline, batch)


def _warm_worker(plugin_name: str, batch: list[Article], dask_worker: Any) -> int:
    """`DaskRunner.warm` on one worker (``dask_worker`` is passed in by `Client.run`)."""
    plugin = dask_worker.plugins[plugin_name]
    assert isinstance(plugin, ProcessPlugin) and plugin.pipeline is not None
    return len(run_batch(plugin.pipeline, batch).articles)


class DaskRunner:
    """A `BatchRunner` that sends batches to a Dask cluster and yields results in order."""

    def __init__(self, client: Client, factory: StageFactory,
                 policy: ErrorPolicy = ErrorPolicy.RECORD) -> None:
        self.client = client
        self.plugin_name = f"babelwire-process-{uuid.uuid4().hex}"
        client.register_plugin(ProcessPlugin(factory, policy), name=self.plugin_name)
        workers = len(client.scheduler_info()["workers"])
        self.in_flight = max(workers, 1) * IN_FLIGHT_PER_WORKER

    def warm(self, batch: list[Article]) -> None:
        """Run ``batch`` once on every worker, results dropped: models load before a timing."""
        self.client.run(_warm_worker, self.plugin_name, batch)

    def run(self, batches: Iterable[list[Article]]) -> Iterator[BatchResult]:
        """Submit batches as workers free up and yield each result in input order.

        At most `in_flight` batches are unfinished at a time, and at most twice that
        are held (finished ones wait in order). Why not submit only after the oldest
        is yielded: whenever the oldest batch is the slowest (long articles), the
        other workers would finish theirs and idle until it returns.
        """
        held: dict[int, Future] = {}  # submitted and not yet yielded, by batch number
        source = iter(batches)
        run = uuid.uuid4().hex[:8]  # a key is never reused: Dask would return its old result
        submitted = yielded = 0
        try:
            while True:
                while len(held) < 2 * self.in_flight and _unfinished(held) < self.in_flight:
                    batch = next(source, None)
                    if batch is None:
                        break
                    held[submitted] = self.client.submit(
                        _run_on_worker, self.plugin_name, batch, pure=False,
                        key=f"{self.plugin_name}-{run}-batch-{submitted}")
                    submitted += 1
                if not held:
                    return
                if not held[yielded].done():
                    wait([f for f in held.values() if not f.done()], return_when="FIRST_COMPLETED")
                    continue
                yield held.pop(yielded).result()
                yielded += 1
        finally:
            if held:
                self.client.cancel(list(held.values()))


def _unfinished(futures: dict[int, Future]) -> int:
    return sum(not future.done() for future in futures.values())


@contextmanager
def dask_client(request: ClusterRequest) -> Iterator[Client]:
    """A client of the requested cluster; a local one (processes on 127.0.0.1, no
    dashboard, one thread each) is started here and stopped at the end.

    Raises:
        ConfigError: neither or both of scheduler and workers given.
    """
    if request.scheduler is not None and request.workers is None:
        with Client(request.scheduler) as client:
            yield client
    elif request.workers is not None and request.scheduler is None:
        with local_cluster(request.workers) as cluster, Client(cluster) as client:
            yield client
    else:
        raise ConfigError(f"give either a scheduler address or a number of workers, not"
                          f" {request}")


def local_cluster(workers: int, *, processes: bool = True) -> LocalCluster:
    """A Dask cluster of ``workers`` one-thread workers on 127.0.0.1 (TCP), no dashboard.

    The scheduler's HTTP server (health and metrics routes) still starts; it is put on
    a free loopback port, not 8787, which another cluster on the machine may hold.
    Housekeeping runs at the rarer intervals of `LOCAL_CLUSTER_CONFIG`.
    """
    with dask.config.set(LOCAL_CLUSTER_CONFIG):  # read as the scheduler and nannies start
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                            host="127.0.0.1", protocol="tcp", dashboard_address=None,
                            scheduler_kwargs={"dashboard": False,
                                              "dashboard_address": "127.0.0.1:0"})


@contextmanager
def open_runner(settings: Settings, request: ClusterRequest) -> Iterator[DaskRunner]:
    """A `DaskRunner` of the settings' stages on the requested cluster, for one run."""
    with dask_client(request) as client:
        yield DaskRunner(client, SettingsStages(settings), ErrorPolicy(settings.error_policy))
