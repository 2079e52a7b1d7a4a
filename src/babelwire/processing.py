"""Processing stored articles again: the pipeline's stages over the store, batch by batch.

Why: a stage that changed (a better language detector, new quote rules, an
embedder) should reach the articles stored before it without ingesting them
again. Only stages whose fields the store can rewrite in place can run here
(language, NER, quotes, embed): one that rewrites the title or text (clean,
segment) would change the content hash, the article's identity, which only
ingest assigns; such stages are left out, and the report names them. NER's new
mentions replace the article's stored ones, and entity resolution then replays
every mention (`entities.catalog.ReplayAfterProcess`, from `assembly.make_processor`).

Where the work runs: the stages are stateless (a batch's output depends only on
the batch), so a `BatchRunner` may run batches anywhere: `LocalRunner` here, in
this process, or `babelwire.dask_runner.DaskRunner` on Dask workers. Writes and
the store-wide steps after them (entity resolution, story clustering of newly embedded articles)
stay here, in article order, so where the stages ran does not change the result.

Crash safety: every batch is written in one transaction, and a stage's output
depends only on the stored article (the failures those stages recorded on it
before are dropped first, so a rerun does not repeat them). A run killed
half-way and run again therefore leaves the store as one uninterrupted run
does (tests/reliability/test_crash_safety.py); a batch run twice (a Dask worker
died under it) gives the same articles twice, and only one answer is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Protocol

from .db.rows import STAGE_COLUMNS
from .db.store import Store
from .errors import ConfigError, StageError
from .ingest import AfterIngest, IngestReport
from .pipeline import ErrorPolicy, Pipeline, Stage
from .record import Article

logger = logging.getLogger(__name__)

PROCESS_BATCH = 200
"""Articles per transaction: big enough that commits cost little, small enough that a
kill loses little work and a reader never waits long for the writer."""


@dataclass(slots=True)
class ProcessReport:
    """What a processing run did: articles rewritten, stages run and left out, failures."""

    articles: int = 0
    batches: int = 0
    failed: int = 0
    stages_run: list[str] = field(default_factory=list)
    stages_skipped: list[str] = field(default_factory=list)
    steps_run: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BatchResult:
    """One batch after the stages: its articles, in order, and how many gained a failure."""

    articles: list[Article]
    failed: int


class BatchRunner(Protocol):
    """Runs the process pipeline over batches, wherever; yields results in input order."""

    def run(self, batches: Iterable[list[Article]]) -> Iterator[BatchResult]: ...


@dataclass(frozen=True, slots=True)
class ProcessPipeline:
    """The runnable part of a pipeline over stored articles, and the stages left out."""

    pipeline: Pipeline
    skipped: dict[str, list[str]]

    @property
    def rewritten(self) -> tuple[str, ...]:
        """The article fields a batch's write sets again."""
        return tuple(dict.fromkeys(
            [*(name for s in self.pipeline.stages for name in s.assigns), "failures"]))


def process_pipeline(stages: Sequence[Stage],
                     policy: ErrorPolicy = ErrorPolicy.RECORD) -> ProcessPipeline:
    """The pipeline of the stages that can run over stored articles; the others named.

    Raises:
        ConfigError: no stage can run (each assigns a field a stored article cannot take).
    """
    runnable = [s for s in stages if set(s.assigns) <= set(STAGE_COLUMNS)]
    skipped = {s.name: sorted(set(s.assigns) - set(STAGE_COLUMNS))
               for s in stages if s not in runnable}
    if not runnable:
        raise ConfigError(
            f"no stage of the pipeline ({', '.join(s.name for s in stages)}) can run"
            f" over stored articles: each assigns a field process cannot rewrite"
            f" ({skipped}); list stages that assign only {sorted(STAGE_COLUMNS)},"
            " e.g. --set pipeline.stages=language.cld2.v1,quotes.rules.v1")
    # A stored article holds every field, so a stage may need one no earlier stage assigns.
    pipeline = Pipeline(runnable, policy=policy, provided=[f.name for f in fields(Article)])
    return ProcessPipeline(pipeline, skipped)


def run_batch(pipeline: Pipeline, batch: list[Article]) -> BatchResult:
    """Run ``pipeline`` over one batch of stored articles; a pure function of the batch.

    The failures these stages recorded on an article before are dropped first,
    so running a batch again (a rerun, a retried Dask task) gives the same output.

    Raises:
        StageError: under the "raise" policy, naming the article the run stopped at.
    """
    names = {stage.name for stage in pipeline.stages}
    done: list[Article] = []
    failed = 0
    for article in batch:
        article.failures = [f for f in article.failures if f.stage not in names]
        before = len(article.failures)
        try:
            [output] = pipeline.run(article)
        except StageError as error:  # policy "raise": stop, earlier batches stay written
            raise StageError(f"process stopped at article {article.id!r}: {error}",
                             stage=error.stage, article_id=article.id) from error
        failed += len(output.failures) > before
        done.append(output)
    return BatchResult(done, failed)


@dataclass(frozen=True, slots=True)
class LocalRunner:
    """Runs every batch here, in this process, one after the other."""

    pipeline: Pipeline

    def run(self, batches: Iterable[list[Article]]) -> Iterator[BatchResult]:
        """Yield each batch's result as soon as it is computed."""
        for batch in batches:
            yield run_batch(self.pipeline, batch)


class Processor:
    """Runs the stages that only add to an article over every stored article."""

    def __init__(self, store: Store, stages: Sequence[Stage], *,
                 policy: ErrorPolicy = ErrorPolicy.RECORD,
                 batch_size: int = PROCESS_BATCH, runner: BatchRunner | None = None,
                 after: Iterable[AfterIngest] = ()) -> None:
        self.plan = process_pipeline(stages, policy)
        self.skipped = self.plan.skipped
        self.pipeline = self.plan.pipeline
        self.store = store
        self.rewritten = self.plan.rewritten
        self.batch_size = batch_size
        self.runner = runner or LocalRunner(self.pipeline)
        self.after = list(after)

    def process(self, *, progress: Callable[[str], None] | None = None) -> ProcessReport:
        """Process every stored article, oldest first, one transaction per batch; then the
        store-wide steps (clustering the newly embedded articles), here, once."""
        report = ProcessReport(stages_run=[s.name for s in self.pipeline.stages],
                               stages_skipped=list(self.skipped))
        for name, assigned in self.skipped.items():
            logger.warning("process: stage %s left out: it assigns %s, which process cannot"
                           " rewrite on a stored article (ingest runs it)", name, assigned)
        batches = in_batches(self.store.iter_articles(), self.batch_size)
        for result in self.runner.run(batches):
            store_batch(self.store, self.plan, result, report)
            if progress is not None:
                progress(result.articles[-1].id)
        report.steps_run += run_after_steps(self.after)
        return report


def store_batch(store: Store, plan: ProcessPipeline, result: BatchResult,
                report: ProcessReport) -> None:
    """Write one processed batch (one transaction) and count it in ``report``.

    Shared by `Processor` (batches read from the store) and
    `babelwire.consumer.QueueConsumer` (batches named by queue messages), so
    both write exactly the fields the plan's stages assign.
    """
    store.update_articles(result.articles, plan.rewritten)
    report.articles += len(result.articles)
    report.failed += result.failed
    report.batches += 1


def run_after_steps(steps: Iterable[AfterIngest]) -> list[str]:
    """Run the store-wide steps after processed batches were written; return their names.

    Nothing was newly inserted, so each step gets an empty `IngestReport` and takes
    what the store holds pending (queued mentions, embedded articles without a story).
    """
    names = []
    for step in steps:
        step(IngestReport())
        names.append(step.name)
    return names


def in_batches(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    """``articles`` in lists of ``size`` (the last one shorter), in order."""
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
