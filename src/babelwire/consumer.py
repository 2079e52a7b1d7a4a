"""The queue consumer: `babelwire process --queue URL` processes the articles `watch` announces.

Why: `babelwire watch --queue URL` stores new articles and pushes one message
(``{"article_id", "feed"}``) per article; N consumers on as many machines share
that queue (one consumer group) and run the processing stages over the named
articles, so ingest and the expensive stages (NER, embed) scale apart.

One batch, in this order: re-claim messages another consumer left pending for
longer than ``idle_s`` (it died), then take new ones; read the named articles
(ids the store does not hold are acknowledged and counted as missing); run the
stages as `babelwire process` does (`processing.run_batch` on a `BatchRunner`);
write the batch in one transaction (`processing.store_batch`); run the
store-wide steps (entity resolution, story clustering); only then acknowledge.
A consumer killed before its acknowledgement leaves the messages pending, and
another consumer processes them again: the work is idempotent (a batch's output
depends only on the stored article, and resolution replays when the articles
already had mentions), so the store ends as if nothing had died.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from types import FrameType
from typing import Any

from .db.store import Store
from .ingest import AfterIngest
from .processing import (
    BatchRunner,
    LocalRunner,
    ProcessPipeline,
    ProcessReport,
    run_after_steps,
    store_batch,
)
from .queue import ArticleQueue, QueueMessage
from .record import Article

logger = logging.getLogger(__name__)

CONSUMER_BATCH = 32
"""Messages per batch: small, so a message waits little and a dead consumer leaves little
to redo; each batch pays one transaction and one round of store-wide steps."""
IDLE_S = 60.0
"""How long a message may stay pending before another consumer re-claims it: longer than
the slowest batch takes (NER + embed of CONSUMER_BATCH articles), or live work is redone."""
BLOCK_S = 2.0
"""How long one wait for new messages lasts: also the longest a stop signal waits."""


@dataclass(frozen=True, slots=True)
class ConsumerOptions:
    """Who this consumer is and how it takes messages.

    Attributes:
        consumer: its name in the consumer group (unique per process).
        batch_size: most messages per batch.
        idle_s: pending time after which another consumer's message is re-claimed.
        block_s: how long to wait for new messages when there are none.
        once: stop when the queue holds nothing to take (else wait for more).
    """

    consumer: str
    batch_size: int = CONSUMER_BATCH
    idle_s: float = IDLE_S
    block_s: float = BLOCK_S
    once: bool = False


@dataclass(frozen=True, slots=True)
class AfterBatch:
    """The store-wide steps after a batch: incremental ones, and the replaying variant.

    Why two lists: new mentions of articles that had none are resolved
    incrementally (cheap, the replay's outcome); mentions that replaced stored
    ones (an article processed again) need a replay, as after `babelwire process`.
    """

    incremental: Sequence[AfterIngest] = ()
    replay: Sequence[AfterIngest] = ()

    def for_batch(self, had_mentions: bool) -> Sequence[AfterIngest]:
        """The steps for a batch whose stored articles had (or had no) mentions before."""
        return self.replay if had_mentions else self.incremental


@dataclass(slots=True)
class ConsumerReport:
    """What a consumer did: batches, articles processed, ids not stored, messages re-claimed."""

    batches: int = 0
    articles: int = 0
    failed: int = 0
    missing: int = 0
    reclaimed: int = 0
    acked: int = 0
    stopped_by: str = ""
    stages_run: list[str] = field(default_factory=list)
    stages_skipped: list[str] = field(default_factory=list)
    steps_run: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Batch:
    """The messages of one batch and the stored articles they name."""

    messages: list[QueueMessage]
    articles: list[Article]
    missing: list[str]
    reclaimed: int


class QueueConsumer:
    """Processes the articles queue messages name, batch by batch, acknowledging after store."""

    def __init__(self, store: Store, queue: ArticleQueue, plan: ProcessPipeline,
                 options: ConsumerOptions, *, after: AfterBatch | None = None,
                 runner: BatchRunner | None = None) -> None:
        self.store = store
        self.queue = queue
        self.plan = plan
        self.options = options
        self.after = after or AfterBatch()
        self.runner = runner or LocalRunner(plan.pipeline)

    def run(self, stop: threading.Event | None = None, *,
            progress: Callable[[str], None] | None = None) -> ConsumerReport:
        """Take and process batches until ``stop`` is set (or, with ``once``, the queue is empty).

        ``stop`` is checked between batches: a batch begun is finished, stored and
        acknowledged before the consumer returns.
        """
        stop = stop or threading.Event()
        report = ConsumerReport(stages_run=[s.name for s in self.plan.pipeline.stages],
                                stages_skipped=list(self.plan.skipped))
        while not stop.is_set():
            took = self.step(report)
            if not took and self.options.once:
                report.stopped_by = "empty queue"
                return report
            if took and progress is not None:
                progress(f"{report.batches} batches, {report.articles} articles")
        report.stopped_by = "stop signal"
        return report

    def step(self, report: ConsumerReport) -> bool:
        """Take one batch and process it; False when there was no message to take."""
        batch = self._take()
        if not batch.messages:
            return False
        report.missing += len(batch.missing)
        report.reclaimed += batch.reclaimed
        if batch.articles:
            self._process(batch.articles, report)
        report.acked += self.queue.ack([m.id for m in batch.messages])
        return True

    def _take(self) -> _Batch:
        """Re-claimed messages first (their consumer died), then new ones, up to a batch."""
        size = self.options.batch_size
        messages = self.queue.reclaim_stale(self.options.consumer,
                                            idle_s=self.options.idle_s, count=size)
        reclaimed = len(messages)
        if len(messages) < size:
            no_wait = bool(messages) or self.options.once  # --once drains, never waits
            messages += self.queue.consume(self.options.consumer, count=size - len(messages),
                                           block_s=0.0 if no_wait else self.options.block_s)
        articles, missing = self._read(messages)
        return _Batch(messages, articles, missing, reclaimed)

    def _read(self, messages: Sequence[QueueMessage]) -> tuple[list[Article], list[str]]:
        """The stored articles the messages name, each once, in message order; and the ids
        the store does not hold (an article deleted since, or a message from another store)."""
        articles: dict[str, Article] = {}
        missing: list[str] = []
        for message in messages:
            article_id = message.payload.get("article_id", "")
            if article_id in articles:
                continue
            article = self.store.get_article(article_id) if article_id else None
            if article is None:
                logger.warning("queue message %s names article %r, which the store does not"
                               " hold; acknowledged without processing", message.id, article_id)
                missing.append(article_id)
            else:
                articles[article_id] = article
        return list(articles.values()), missing

    def _process(self, articles: list[Article], report: ConsumerReport) -> None:
        """Run the stages over the batch, store it, then the store-wide steps (before the ack)."""
        # NER replaces stored mentions; the incremental resolver state cannot take them back.
        had_mentions = ("entities" in self.plan.rewritten
                        and any(article.entities for article in articles))
        written = ProcessReport()
        for result in self.runner.run([articles]):
            store_batch(self.store, self.plan, result, written)
        report.batches += written.batches
        report.articles += written.articles
        report.failed += written.failed
        for name in run_after_steps(self.after.for_batch(had_mentions)):
            if name not in report.steps_run:
                report.steps_run.append(name)


def default_consumer_name() -> str:
    """``HOST-PID``: unique per process, and says where a pending message's consumer ran."""
    return f"{socket.gethostname()}-{os.getpid()}"


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[threading.Event]:
    """Set ``stop`` on SIGTERM or SIGINT while the block runs (a graceful stop), then restore.

    Why not exit at once: the batch in work is finished, stored and
    acknowledged, so a deployment's restart redoes nothing. Only the main
    thread may install handlers; elsewhere the signals keep their handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handle(signum: int, _frame: FrameType | None) -> None:
        logger.warning("consumer: %s received; finishing the current batch, then stopping",
                       signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
