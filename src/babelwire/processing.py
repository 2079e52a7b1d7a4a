"""Processing stored articles again: the pipeline's stages over the store, batch by batch.

Why: a stage that changed (a better language detector, new quote rules, an
embedder) should reach the articles stored before it without ingesting them
again. Only stages whose fields the store can rewrite in place can run here
(language, quotes, embed): one that rewrites the title or text (clean, segment)
would change the content hash, the article's identity, which only ingest
assigns; NER's entities would also need their mentions re-queued and resolved,
which is not built yet. Such stages are left out, and the report names them.

Crash safety: every batch is written in one transaction, and a stage's output
depends only on the stored article (the failures those stages recorded on it
before are dropped first, so a rerun does not repeat them). A run killed
half-way and run again therefore leaves the store as one uninterrupted run
does (tests/reliability/test_crash_safety.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields

from .db.rows import STAGE_COLUMNS
from .db.store import Store
from .errors import ConfigError, StageError
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


class Processor:
    """Runs the stages that only add to an article over every stored article."""

    def __init__(self, store: Store, stages: Sequence[Stage], *,
                 policy: ErrorPolicy = ErrorPolicy.RECORD,
                 batch_size: int = PROCESS_BATCH) -> None:
        runnable = [s for s in stages if set(s.assigns) <= set(STAGE_COLUMNS)]
        self.skipped = {s.name: sorted(set(s.assigns) - set(STAGE_COLUMNS))
                        for s in stages if s not in runnable}
        if not runnable:
            raise ConfigError(
                f"no stage of the pipeline ({', '.join(s.name for s in stages)}) can run"
                f" over stored articles: each assigns a field process cannot rewrite"
                f" ({self.skipped}); list stages that assign only {sorted(STAGE_COLUMNS)},"
                " e.g. --set pipeline.stages=language.cld2.v1,quotes.rules.v1")
        self.store = store
        # A stored article holds every field, so a stage may need one no earlier stage assigns.
        self.pipeline = Pipeline(runnable, policy=policy,
                                 provided=[f.name for f in fields(Article)])
        self.rewritten = tuple(dict.fromkeys(
            [*(name for s in runnable for name in s.assigns), "failures"]))
        self.batch_size = batch_size

    def process(self, *, progress: Callable[[str], None] | None = None) -> ProcessReport:
        """Process every stored article, oldest first, one transaction per batch."""
        report = ProcessReport(stages_run=[s.name for s in self.pipeline.stages],
                               stages_skipped=list(self.skipped))
        for name, assigned in self.skipped.items():
            logger.warning("process: stage %s left out: it assigns %s, which process cannot"
                           " rewrite on a stored article (ingest runs it)", name, assigned)
        for batch in _batches(self.store.iter_articles(), self.batch_size):
            done = [self._run(article, report) for article in batch]
            self.store.update_articles(done, self.rewritten)
            report.articles += len(done)
            report.batches += 1
            if progress is not None:
                progress(done[-1].id)
        return report

    def _run(self, article: Article, report: ProcessReport) -> Article:
        names = {stage.name for stage in self.pipeline.stages}
        article.failures = [f for f in article.failures if f.stage not in names]
        before = len(article.failures)
        try:
            [output] = self.pipeline.run(article)
        except StageError as error:  # policy "raise": stop, earlier batches stay written
            raise StageError(f"process stopped at article {article.id!r}: {error}",
                             stage=error.stage, article_id=article.id) from error
        report.failed += len(output.failures) > before
        return output


def _batches(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
