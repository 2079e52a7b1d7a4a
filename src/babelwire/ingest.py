"""Ingestion: read inputs, run the pipeline, store the results, keep every failure.

This is the one place where sources, the pipeline and the store meet. A bad
input becomes a recorded failure naming the input; the rest of the batch goes
on. The report says how many articles were stored, recognised as exact or near
duplicates, or failed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO, Protocol

from .db.store import AddOutcome, IngestFailure, Store
from .errors import BabelwireError, SourceError, StageError, StorageError
from .fingerprint import MinHasher
from .pipeline import Pipeline
from .record import Article, ArticleKind, article_id_for
from .sources import SourceOptions, read_input

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did, by outcome, with the failures it recorded."""

    inserted: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    sidebar_only_pages: int = 0
    failures: list[IngestFailure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def seen(self) -> int:
        return self.inserted + self.duplicates + self.near_duplicates + self.failed

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "duplicates": self.duplicates,
                "near_duplicates": self.near_duplicates,
                "sidebar_only_pages": self.sidebar_only_pages, "failed": self.failed}


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestOptions:
    """Options of one ingest run."""

    sources: SourceOptions = field(default_factory=SourceOptions)
    min_text_chars: int = 1


ProgressCallback = Callable[[str], None]


class AfterIngest(Protocol):
    """Work over the store as a whole, run once when an ingest run has stored its articles.

    For what a stage cannot do: a stage sees one article before the store has
    decided whether it is new, and holds no store (stages do no I/O). Entity
    resolution is the example: it links the newly stored mentions against the
    store's entities under the user's decisions
    (`babelwire.entities.catalog.ResolveAfterIngest`).
    """

    name: str

    def __call__(self, report: IngestReport) -> None: ...


class Ingestor:
    """Runs inputs through sources, the pipeline and the store, then the after-ingest steps."""

    def __init__(self, store: Store, pipeline: Pipeline, options: IngestOptions,
                 *, after: Iterable[AfterIngest] = ()) -> None:
        self.store = store
        self.pipeline = pipeline
        self.options = options
        self.after = list(after)
        self._hasher = MinHasher()

    def ingest(
        self,
        refs: Iterable[str],
        *,
        stdin: BinaryIO | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Ingest every input in ``refs`` (paths, directories, URLs or ``-``)."""
        report = IngestReport()
        for ref in refs:
            for item in self._read(ref, report, stdin):
                if isinstance(item, SourceError):
                    self._fail(report, item.input_ref or ref, "ingest", item)
                else:
                    self.ingest_article(item, report)
                if progress is not None:
                    progress(ref)
        self.finish(report)
        return report

    def finish(self, report: IngestReport) -> None:
        """Run the after-ingest steps; a failing one is recorded, the stored articles stay."""
        for step in self.after:
            try:
                step(report)
            except BabelwireError as error:  # its message says what failed and what to do
                self._record(report, _failure(step.name, step.name, type(error).__name__,
                                              f"{step.name}: {error}"))
            except Exception as error:  # noqa: BLE001 - recorded with its type; articles are kept
                logger.exception("after-ingest step %s failed", step.name)
                self._record(report, _failure(
                    step.name, step.name, type(error).__name__,
                    f"{step.name}: unexpected {type(error).__name__}: {error}; the articles are"
                    " stored; this is a babelwire bug, please report it"))

    def record_source_error(self, report: IngestReport, error: SourceError,
                            input_ref: str) -> None:
        """Record an item a caller read itself (a `babelwire watch` feed entry) as failed."""
        self._fail(report, error.input_ref or input_ref, "ingest", error)

    def _read(self, ref: str, report: IngestReport,
              stdin: BinaryIO | None) -> Iterator[Article | SourceError]:
        """The items of one input; a reader's own bug ends that input, not the batch."""
        items = read_input(ref, self.options.sources, stdin=stdin)
        while True:
            try:
                item = next(items)
            except StopIteration:
                return
            except Exception as error:  # noqa: BLE001 - recorded with its type, then go on
                logger.exception("%s: reader failed", ref)
                self._record(report, _failure(
                    ref, "ingest", type(error).__name__,
                    f"{ref}: reading stopped on an unexpected {type(error).__name__}: {error};"
                    " this is a babelwire bug, please report it with the input"))
                return
            yield item

    def ingest_article(self, article: Article, report: IngestReport) -> None:
        """Run one raw article through the pipeline and store what comes out.

        An input an earlier run stored (same source key) is counted as a duplicate
        without running the stages: that is what makes a killed ingest cheap to resume.
        """
        key = source_key(article)
        if self.store.is_ingested(key):
            report.duplicates += 1
            logger.debug("%s: stored by an earlier ingest; skipped", article.input_ref)
            return
        try:
            outputs = self.pipeline.run(article)
        except StageError as error:
            self._fail(report, article.input_ref, error.stage, error)
            return
        page_id: str | None = None
        has_briefs = len(outputs) > 1
        for number, output in enumerate(outputs, start=1):
            if output.kind is ArticleKind.BRIEF:
                output.parent_id = page_id
            elif has_briefs and not output.text.strip():
                report.sidebar_only_pages += 1  # the page was nothing but its sidebar
                logger.info("%s: page held only sidebar briefs", output.input_ref)
                continue
            # Only the last output marks the input done: a kill between a page and its
            # briefs must leave the input to be read again, not half skipped.
            stored_id = self._store(output, report, key if number == len(outputs) else None)
            if output.kind is ArticleKind.ARTICLE:
                page_id = stored_id

    def _store(self, article: Article, report: IngestReport,
               key: str | None = None) -> str | None:
        for failed in article.failures:
            where = failed.input or article.input_ref
            self._record(report, _failure(where, failed.stage, failed.error,
                                          f"{where}: {failed.stage} stage: {failed.message}"))
        if article.failures and not article.text.strip():
            return None  # nothing to keep; the failure says why
        # An article with text is stored even if a later stage failed: its failures are
        # kept on the row, so nothing the sources delivered is lost.
        if len(article.text.strip()) < self.options.min_text_chars:
            self._record(report, _failure(
                article.input_ref, "ingest", "EmptyArticle",
                f"{article.input_ref}: article text is {len(article.text.strip())} characters"
                f" after cleaning, under the minimum of {self.options.min_text_chars}"
                " (ingest.min_text_chars); nothing stored"))
            return None
        if not article.id:
            article.id = article_id_for(article.title, article.text)
        try:
            result = self.store.add_article(article, self._hasher.fingerprint(article.text),
                                            source_key=key)
        except StorageError as error:  # its message names the article, not the input
            self._record(report, _failure(article.input_ref, "store", type(error).__name__,
                                          f"{article.input_ref}: {error}"))
            return None
        except Exception as error:  # noqa: BLE001 - one article's bug must not end the batch
            # Not a refusal the store foresaw (e.g. a value no encoder accepts): a bug to
            # report with its traceback, and this article only is lost (issue 9).
            logger.exception("%s: storing the article failed unexpectedly", article.input_ref)
            self._record(report, _failure(
                article.input_ref, "store", type(error).__name__,
                f"{article.input_ref}: storing the article failed unexpectedly ({error}); the"
                " rest of the batch goes on; please report this with the log's traceback"))
            return None
        if result.outcome is AddOutcome.INSERTED:
            report.inserted += 1
            report.article_ids.append(result.article_id)
        elif result.outcome is AddOutcome.DUPLICATE:
            report.duplicates += 1
        else:
            report.near_duplicates += 1
        return result.article_id

    def _fail(self, report: IngestReport, input_ref: str, stage: str,
              error: BabelwireError) -> None:
        self._record(report, _failure(input_ref, stage, type(error).__name__, str(error)))

    def _record(self, report: IngestReport, failure: IngestFailure) -> None:
        logger.warning("%s", failure.message)
        report.failures.append(failure)
        self.store.record_failure(failure)


def source_key(article: Article) -> str:
    """A hash of what the source delivered and where it was read (not when).

    Equal keys mean the same input read again, so its stored result stands; any
    change to the content, its provenance or the input's name gives a new key.
    """
    delivered = [article.input_ref, article.url, article.source, article.id, article.title,
                 article.text, article.html, article.licence, article.author,
                 None if article.published_at is None else article.published_at.isoformat()]
    payload = json.dumps(delivered, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def _failure(input_ref: str, stage: str, error: str, message: str) -> IngestFailure:
    return IngestFailure(input_ref=input_ref, stage=stage, error=error, message=message,
                         at=datetime.now(UTC))
