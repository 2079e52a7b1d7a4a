"""Stages and the pipeline that runs them in order.

A stage is any object with ``name``, ``requires`` and ``assigns`` (field names
of `Article`) and ``__call__(article) -> Article``. A stage that turns one
article into several (page segmentation splits sidebars into briefs) sets
``expands = True`` and returns a list instead.

The pipeline checks at build time that every field a stage requires is assigned
by an earlier stage (or by the source, see `SOURCE_FIELDS`), so that a wrong
order fails when the pipeline is built rather than on the thousandth article.

Error policy is per stage and explicit: ``raise`` (the default, used in tests)
or ``record`` (append a `StageFailure` to the article, log it, count it, go on).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Protocol, runtime_checkable

from .errors import ConfigError, StageError
from .record import Article, StageFailure

logger = logging.getLogger(__name__)

SOURCE_FIELDS = frozenset(
    {"id", "url", "source", "fetched_at", "html", "input_ref", "licence", "title", "text",
     "published_at", "author"}
)
"""Fields a source may fill before the first stage runs."""

ARTICLE_FIELDS = frozenset(f.name for f in fields(Article))


class ErrorPolicy(StrEnum):
    """What the pipeline does when a stage raises."""

    RAISE = "raise"
    RECORD = "record"


@runtime_checkable
class Stage(Protocol):
    """A named transform of one article."""

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, article: Article) -> Article | list[Article]: ...


@dataclass(slots=True)
class PipelineStats:
    """Counts of what a pipeline run did, per stage."""

    processed: int = 0
    failures: Counter[str] = field(default_factory=Counter)


class Pipeline:
    """An ordered list of named stages, validated when built."""

    def __init__(
        self,
        stages: Sequence[Stage],
        *,
        policy: ErrorPolicy | dict[str, ErrorPolicy] = ErrorPolicy.RAISE,
        provided: Iterable[str] = SOURCE_FIELDS,
    ) -> None:
        self.stages = list(stages)
        self._policies = self._resolve_policies(policy)
        self.stats = PipelineStats()
        check_order(self.stages, provided)

    @property
    def names(self) -> list[str]:
        """The stage names, in order."""
        return [stage.name for stage in self.stages]

    def _resolve_policies(
        self, policy: ErrorPolicy | dict[str, ErrorPolicy]
    ) -> dict[str, ErrorPolicy]:
        if isinstance(policy, ErrorPolicy):
            return {stage.name: policy for stage in self.stages}
        unknown = sorted(set(policy) - set(self.names))
        if unknown:
            raise ConfigError(
                f"error policy names unknown stage(s) {unknown};"
                f" stages are: {', '.join(self.names)}"
            )
        return {stage.name: policy.get(stage.name, ErrorPolicy.RAISE) for stage in self.stages}

    def run(self, article: Article) -> list[Article]:
        """Run every stage on one article; returns it and any articles split from it."""
        batch = [article]
        for stage in self.stages:
            batch = [out for item in batch for out in self._run_stage(stage, item)]
        self.stats.processed += len(batch)
        return batch

    def run_batch(self, articles: Iterable[Article]) -> list[Article]:
        """Run the pipeline over many articles; one failure never stops the others."""
        return [out for article in articles for out in self.run(article)]

    def _run_stage(self, stage: Stage, article: Article) -> list[Article]:
        try:
            result = stage(article)
        except Exception as error:  # noqa: BLE001 - policy decides: re-raise or record
            if self._policies[stage.name] is ErrorPolicy.RAISE:
                raise StageError(
                    f"stage {stage.name!r} failed on article {article.id or article.input_ref!r}:"
                    f" {type(error).__name__}: {error}",
                    stage=stage.name,
                    article_id=article.id,
                ) from error
            self._record(stage, article, error)
            return [article]
        return _check_result(stage, result)

    def _record(self, stage: Stage, article: Article, error: Exception) -> None:
        failure = StageFailure(
            stage=stage.name,
            error=type(error).__name__,
            message=str(error),
            input=article.input_ref or article.url or article.id,
        )
        article.failures.append(failure)
        self.stats.failures[stage.name] += 1
        logger.warning("stage %s failed on %s: %s", stage.name, failure.input, failure.message)


def _check_result(stage: Stage, result: object) -> list[Article]:
    if isinstance(result, Article):
        return [result]
    if getattr(stage, "expands", False) and isinstance(result, list):
        if all(isinstance(item, Article) for item in result):
            return result
    raise StageError(
        f"stage {stage.name!r} returned {type(result).__name__}, expected an Article"
        + (" or a list of Articles" if getattr(stage, "expands", False) else ""),
        stage=stage.name,
    )


def check_order(stages: Sequence[Stage], provided: Iterable[str] = SOURCE_FIELDS) -> None:
    """Raise `ConfigError` if a stage requires a field no earlier stage assigns."""
    available = set(provided)
    seen: set[str] = set()
    for stage in stages:
        if stage.name in seen:
            raise ConfigError(f"stage {stage.name!r} appears twice in the pipeline; list it once")
        seen.add(stage.name)
        bad = sorted((set(stage.requires) | set(stage.assigns)) - ARTICLE_FIELDS)
        if bad:
            raise ConfigError(f"stage {stage.name!r} names unknown Article field(s) {bad}")
        missing = sorted(set(stage.requires) - available)
        if missing:
            raise ConfigError(
                f"stage {stage.name!r} requires {missing}, which no earlier stage assigns;"
                f" move it after the stage that assigns them"
            )
        available |= set(stage.assigns)
