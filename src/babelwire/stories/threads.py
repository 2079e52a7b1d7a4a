"""Threads: stories about one ongoing matter (rounds of a negotiation, a trial's hearings).

A new story joins the thread of an earlier story when the two share their main
actors and their topic: the earlier story ended at most ``window_days`` before the
new one began (days to weeks, much longer than the live window of stories), their
centroids are close (``min_cosine``, centred vectors as everywhere in stories),
and the IDF mass of the new story's main names and entities found among the
earlier story's is at least ``min_overlap``. Main keys are those a story's
members share (all of a one-article story's). Otherwise the story starts its own
thread, whose id is the story's id.

The thresholds are hand-set priors, not learned: the development data has no
thread labels. The MEANTIME topics are a loose check (a thread should stay within a
topic): over every pair of its gold stories, cosine ≥ 0.3 and overlap ≥ 0.2 link
20 % of the same-topic pairs and none of the 9,916 cross-topic pairs (0.45 / 0.3
linked 5 % and none); see docs/issues/issue-6-progress.md.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass

import numpy as np

from .features import KeyStats, key_kind
from .index import CentroidIndex, CentroidIndexOptions
from .story import StoryState

THREAD_KINDS = ("names", "entities")
"""Who a story is about: name keys from the text and canonical entities (places are too broad:
every story about France would share a thread)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreadOptions:
    """When two stories are one thread (settings ``stories.thread_*``)."""

    window_days: float = 21.0
    min_cosine: float = 0.3
    min_overlap: float = 0.2
    candidates: int = 10


def main_keys(story: StoryState) -> set[str]:
    """The names and entities at least half of the story's members carry."""
    need = max(1, (story.size + 1) // 2)
    return {k for k, n in story.key_counts.items() if n >= need and key_kind(k) in THREAD_KINDS}


def actor_overlap(new: set[str], earlier: Container[str], stats: KeyStats) -> float:
    """The IDF mass of ``new``'s main keys that ``earlier`` shares, as a fraction."""
    return _shared_mass(stats.idf_many(new), earlier)


def _shared_mass(idf: dict[str, float], earlier: Container[str]) -> float:
    """The fraction of the IDF mass of ``idf``'s keys that ``earlier`` holds (0 without keys)."""
    total = sum(idf.values())
    return sum(w for k, w in idf.items() if k in earlier) / total if total else 0.0


LiveCandidates = Callable[[np.ndarray, int], list[list[StoryState]]]
"""The live stories nearest each row of a matrix (the clusterer's own index)."""


class ThreadLinker:
    """Stories that left the live window but not the thread window, and the linking rule.

    Candidates for a new story's thread are the live stories nearest its centroid
    (asked of the clusterer's index) and the nearest archived ones (this object's
    own index, one entry per story, added when the story leaves the live window, so
    its centroid no longer moves). Archived stories are compacted (`StoryState.compact`)
    and forgotten in order of their last day (a heap), so memory and time per batch
    stay bounded by the thread window.
    """

    def __init__(self, dim: int, options: ThreadOptions | None = None,
                 index_options: CentroidIndexOptions | None = None) -> None:
        self.options = options or ThreadOptions()
        self.index = CentroidIndex(dim, index_options)
        self._stories: list[StoryState | None] = []
        self._slot: dict[str, int] = {}
        self._by_end: list[tuple[float, int]] = []

    def archive(self, story: StoryState, *, compact: bool = True) -> None:
        """Hold a story that left the live window as a possible earlier story of later ones."""
        if story.id in self._slot:
            return
        if compact:
            story.compact()
        slot = len(self._stories)
        self._stories.append(story)
        self._slot[story.id] = slot
        self.index.put(slot, story.centroid())
        heapq.heappush(self._by_end, (story.last_day if story.last_day is not None
                                      else float("inf"), slot))

    def link_many(self, stories: Sequence[StoryState], stats: KeyStats,
                  live: LiveCandidates) -> None:
        """Give each new story its thread: the best earlier story's, else its own id."""
        if not stories:
            return
        centroids = np.vstack([s.centroid() for s in stories])
        k = self.options.candidates
        near_live = live(centroids, k)
        near_archived = self.index.search(centroids, k)
        for story, nearby, archived in zip(stories, near_live, near_archived, strict=True):
            others = [*nearby, *(o for s in archived if (o := self._stories[int(s)]) is not None)]
            best = self._best_earlier(story, stats, others)
            story.thread_id = best.thread_id if best is not None and best.thread_id else story.id

    def _best_earlier(self, story: StoryState, stats: KeyStats,
                      others: Sequence[StoryState]) -> StoryState | None:
        if story.first_day is None:
            return None
        centroid = story.centroid()
        best, best_cosine = None, -1.0
        idf = stats.idf_many(main_keys(story))  # once per story: `stats` holds still here
        for other in others:
            if other is None or other.id == story.id or not self._is_earlier(other, story):
                continue
            cosine = float(centroid @ other.centroid())
            if cosine < self.options.min_cosine or cosine <= best_cosine:
                continue
            if _shared_mass(idf, other.key_counts) >= self.options.min_overlap:
                best, best_cosine = other, cosine
        return best

    def _is_earlier(self, other: StoryState, story: StoryState) -> bool:
        if other.first_day is None or other.last_day is None or story.first_day is None:
            return False
        if (other.first_day, other.id) >= (story.first_day, story.id):
            return False
        return story.first_day - other.last_day <= self.options.window_days

    def forget_before(self, clock: float) -> list[StoryState]:
        """Drop (and return) the archived stories that ended before the thread window."""
        horizon = clock - self.options.window_days
        dropped = []
        while self._by_end and self._by_end[0][0] < horizon:
            _, slot = heapq.heappop(self._by_end)
            story = self._stories[slot]
            if story is None:
                continue
            self._stories[slot] = None
            del self._slot[story.id]
            self.index.remove(slot)
            dropped.append(story)
        return dropped
