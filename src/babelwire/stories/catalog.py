"""The stories of a store: cluster new articles, re-cluster a date range, merge and split.

Why after ingest and not a pipeline stage: clustering needs the store (the live
stories, the statistics, the user's decisions, and for NER pipelines the
canonical ids that entity resolution writes after the articles are stored), and a
stage sees one article before the store knows whether it is new. So ingest stores
each article without a story, and `ClusterAfterIngest` then clusters every
embedded article still without one, oldest first: one batch per run, so its
statistics are counted before any article is placed (order within the run does not
matter), and an article a crashed run left behind is clustered by the next.

Each run loads only the stories that can matter: those whose span reaches within
the thread window of the batch's days. Re-clustering a range dissolves the stories
with an article in it (their members outside the range too) and clusters those
articles again, under the decisions in force; the statistics are not counted
again.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..db import story_tables as tables
from ..db.shared_sql import TableStore
from ..errors import BabelwireError, StorageError
from ..record import Article
from .clusterer import ClustererOptions, StreamingClusterer
from .decisions import Constraints, StoryDecision, StoryDecisionKind
from .features import ArticleFeatures, FeatureExtractor, KeyStats, LanguageMeans, day_of
from .model import StoryModel, load_model
from .story import StoryState

if TYPE_CHECKING:
    from ..ingest import IngestReport


class StoryError(BabelwireError):
    """A story operation that cannot be done (unknown story, bad split)."""


@dataclass(frozen=True, slots=True)
class ClusterReport:
    """What one clustering run did."""

    articles: int
    new_stories: int
    joined: int
    stories_loaded: int
    threads_linked: int = 0


@dataclass(slots=True)
class StoryCatalog:
    """Clusters the articles of ``db`` into stories and keeps them there."""

    db: TableStore
    model: StoryModel = field(default_factory=load_model)
    options: ClustererOptions = field(default_factory=ClustererOptions)
    cache_dir: Path | None = None
    feature_extractor: FeatureExtractor | None = None

    def extractor(self) -> FeatureExtractor:
        """The feature extractor (its gazetteer loads on first use, from ``cache_dir``)."""
        if self.feature_extractor is None:
            from ..entities.places import Gazetteer
            from ..evidence import EvidenceExtractor

            self.feature_extractor = FeatureExtractor(
                EvidenceExtractor(gazetteer=Gazetteer(self.cache_dir)))
        return self.feature_extractor

    def cluster_pending(self) -> ClusterReport:
        """Cluster every embedded article that has no story yet, oldest first."""
        articles = tables.unclustered_articles(self.db)
        if not articles:
            return ClusterReport(0, 0, 0, 0)
        return self._cluster(articles)

    def recluster(self, since: datetime, until: datetime) -> ClusterReport:
        """Dissolve the stories with an article in [since, until], cluster their articles anew."""
        first, last = day_of(since), day_of(until)
        assert first is not None and last is not None
        if last < first:
            raise StoryError(f"--until {until.date()} is before --since {since.date()};"
                             " give the earlier date first")
        tables.dissolve_stories(self.db, tables.stories_with_articles_between(self.db, first,
                                                                              last))
        return self.cluster_pending()

    def merge(self, story_ids: Sequence[str]) -> ClusterReport:
        """Record that these stories are one, and re-cluster their articles under it."""
        if len(set(story_ids)) < 2:
            raise StoryError("merge needs at least two different story ids")
        members = self._members(story_ids)
        tables.add_decision(self.db, StoryDecisionKind.MERGE.value, sorted(members), [])
        tables.dissolve_stories(self.db, sorted(set(story_ids)))
        return self.cluster_pending()

    def split(self, story_id: str, article_ids: Sequence[str]) -> ClusterReport:
        """Record that ``article_ids`` leave ``story_id`` (together), and re-cluster the story."""
        members = self._members([story_id])
        moved = sorted(set(article_ids))
        outside = [a for a in moved if a not in members]
        if outside:
            raise StoryError(f"articles {outside} are not in story {story_id!r}; its members:"
                             f" {', '.join(sorted(members)[:10])}")
        kept = sorted(set(members) - set(moved))
        if not kept or not moved:
            raise StoryError(f"a split of {story_id!r} must leave at least one article on each"
                             " side; to move every article, merge instead")
        tables.add_decision(self.db, StoryDecisionKind.SPLIT.value, moved, kept)
        tables.dissolve_stories(self.db, [story_id])
        return self.cluster_pending()

    def decisions(self) -> list[StoryDecision]:
        """The user's decisions, oldest first."""
        return [StoryDecision(kind=StoryDecisionKind(kind), moved=tuple(moved),
                              kept=tuple(kept), made_at=made_at)
                for kind, moved, kept, made_at in tables.read_decisions(self.db)]

    def _members(self, story_ids: Sequence[str]) -> dict[str, str]:
        members = tables.members_of(self.db, list(story_ids))
        missing = sorted(set(story_ids) - set(members.values()))
        if missing:
            raise StoryError(f"no story with id {missing[0]!r}; `babelwire stories list` shows"
                             " story ids")
        return members

    # -- one run ---------------------------------------------------------------------

    def _cluster(self, articles: list[Article]) -> ClusterReport:
        features = [self.extractor().extract(a) for a in articles]
        counted = tables.counted_flags(self.db, [f.id for f in features])
        fresh = [f for f in features if f.id not in counted]
        stats = self._key_stats(features)
        means = self._language_means(len(features[0].vector))
        options = dataclasses.replace(self.options, compact_archived=False)  # all are saved
        clusterer = StreamingClusterer(self.model, options, dim=len(features[0].vector),
                                       constraints=self._constraints(), stats=stats,
                                       means=means)
        clusterer.observe(fresh)
        loaded = self._load_context(clusterer, features)
        assignments = clusterer.add(features, observed=True)
        states = {s.id: s for s in (*clusterer.in_memory(), *clusterer.take_retired())}
        touched = [states[i] for i in dict.fromkeys(a.story_id for a in assignments)]
        tables.save_clustering(self.db, tables.ClusteringResult(
            stories=[_row(s) for s in touched],
            assignments={a.article_id: a.story_id for a in assignments},
            counted=[f.id for f in fresh], key_counts=_key_counts(fresh),
            language_sums=_language_sums(fresh)))
        new = sum(a.is_new for a in assignments)
        return ClusterReport(articles=len(assignments), new_stories=new,
                             joined=len(assignments) - new, stories_loaded=loaded,
                             threads_linked=sum(1 for s in touched if s.thread_id != s.id))

    def _key_stats(self, features: Sequence[ArticleFeatures]) -> KeyStats:
        documents, frequency = tables.read_key_stats(self.db,
                                                     (k for f in features for k in f.keys))
        return KeyStats(Counter(frequency), documents)

    def _language_means(self, dim: int) -> LanguageMeans:
        means = LanguageMeans(dim, prior=self.model.prior())
        for lang, (n, total) in tables.read_language_stats(self.db).items():
            means.sums[lang] = total
            means.counts[lang] = n
        return means

    def _constraints(self) -> Constraints:
        return Constraints.from_decisions(self.decisions())

    def _load_context(self, clusterer: StreamingClusterer,
                      features: Sequence[ArticleFeatures]) -> int:
        """Load the stored stories within reach of the batch's days into the clusterer."""
        days = [f.day for f in features if f.day is not None]
        if not days:
            return 0
        reach = max(self.options.window_days, self.options.threads.window_days)
        stored = tables.stories_in_range(self.db, min(days) - reach,
                                         max(days) + self.options.window_days)
        for story in stored:
            clusterer.load(_state(story, clusterer.dim))
        if clusterer.constraints and stored:
            named = [a for d in self.decisions() for a in (*d.moved, *d.kept)]
            for article, story_id in tables.story_of_articles(self.db, named).items():
                slot = clusterer.slot_of.get(story_id)
                if slot is not None:
                    clusterer.constraints.placed(article, slot)
        return len(stored)


@dataclass(slots=True)
class ClusterAfterIngest:
    """The after-ingest step that puts every newly stored, embedded article into a story."""

    catalog: StoryCatalog
    name: str = "stories.cluster"
    last: ClusterReport | None = None

    def __call__(self, report: IngestReport) -> None:
        try:
            self.last = self.catalog.cluster_pending()
        except (StorageError, OSError, ValueError) as error:
            raise StoryError(f"story clustering after ingest failed: {error}; the articles are"
                             " stored without a story, `babelwire stories cluster` retries"
                             ) from error


def _state(story: tables.StoredStory, dim: int) -> StoryState:
    state = StoryState(id=story.id, dim=dim, thread_id=story.thread_id,
                       size_before_load=story.size, first_day=story.first_day,
                       last_day=story.last_day, headlines=dict(story.headlines))
    state.vector_sum = story.centroid.astype(np.float32)
    state.member_vectors = list(story.member_vectors)
    state.member_langs = list(story.member_langs)
    state.key_counts = Counter(story.keys)
    state.languages = Counter(story.languages)
    state.changed()
    return state


def _row(story: StoryState) -> tables.StoryRow:
    return tables.StoryRow(
        id=story.id, label=story.label(), thread_id=story.thread_id or story.id,
        size=story.size, first_day=story.first_day, last_day=story.last_day,
        languages=dict(sorted(story.languages.items())), headlines=dict(story.headlines),
        top_entities=story.top_entities(), keys=story.top_keys(), centroid=story.vector_sum,
        member_vectors=story.member_vectors, member_langs=story.member_langs)


def _key_counts(features: Sequence[ArticleFeatures]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for f in features:
        counts.update(f.keys)
    return counts


def _language_sums(features: Sequence[ArticleFeatures]) -> dict[str, tuple[int, np.ndarray]]:
    sums: dict[str, tuple[int, np.ndarray]] = {}
    for f in features:
        n, total = sums.get(f.lang, (0, np.zeros(len(f.vector))))
        sums[f.lang] = (n + 1, total + f.vector)
    return sums
