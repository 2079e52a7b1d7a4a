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


def reach_keys(idf: dict[str, float], min_overlap: float) -> list[str]:
    """The fewest highest-IDF keys of which an earlier story must hold one to pass the overlap.

    Why it is exact: a story holding none of them holds at most the rest's mass, which is
    below ``min_overlap`` of the total (with a margin far above float rounding), so it
    cannot reach `_shared_mass` ≥ ``min_overlap``.
    """
    total = sum(idf.values())
    rest, below = total, min_overlap * total * (1.0 - OVERLAP_MARGIN)
    keys = []
    for key, weight in sorted(idf.items(), key=_heaviest_first):
        if rest < below:
            break
        keys.append(key)
        rest -= weight
    return keys


OVERLAP_MARGIN = 1e-6
"""Relative margin of `reach_keys`' bound: keeps a key whose omission the subtraction's
rounding (~1e-16 per key) might wrongly allow."""
COSINE_MARGIN = 1e-4
"""Archived candidates are kept from this far below ``min_cosine`` (float32 products in
another order than `ThreadLinker._best_earlier`'s, which decides)."""
ARCHIVE_REACH_CAP = 256
"""Archived stories reached through a new story's `reach_keys` beyond which it is answered by
one exact scan of the archive's centroids instead (common names reach thousands of stories,
whose cosines one by one would cost more than the scan)."""


def _heaviest_first(item: tuple[str, float]) -> tuple[float, str]:
    return -item[1], item[0]


LiveCandidates = Callable[[np.ndarray, int], list[list[StoryState]]]
"""The live stories nearest each row of a matrix (the clusterer's own index)."""


class _Postings:
    """Archived story slots by main name or entity, for `ThreadLinker`'s candidates.

    A forgotten story's slots stay in the lists until the dead entries outnumber the
    live ones (then the lists are rebuilt): removing a slot from a common name's list
    would cost a walk through tens of thousands of entries at every forget.
    """

    def __init__(self) -> None:
        self._slots: dict[str, list[int]] = {}
        self._entries = 0
        self._dead = 0

    def add(self, slot: int, story: StoryState) -> None:
        """Post an archived story under each of its names and entities."""
        for key in story.key_counts:
            if key_kind(key) in THREAD_KINDS:
                self._slots.setdefault(key, []).append(slot)
                self._entries += 1

    def forget(self, story: StoryState, stories: Sequence[StoryState | None]) -> None:
        """Count a forgotten story's entries as dead; rebuild once they are the majority."""
        self._dead += sum(1 for key in story.key_counts if key_kind(key) in THREAD_KINDS)
        if self._dead > max(self._entries - self._dead, 10_000):
            self._slots, self._entries, self._dead = {}, 0, 0
            for slot, held in enumerate(stories):
                if held is not None:
                    self.add(slot, held)

    def reaching(self, keys: Sequence[str], cap: int) -> list[int] | None:
        """The slots posted under any of ``keys`` (dead ones too), ascending; None past ``cap``."""
        found: set[int] = set()
        for key in keys:
            slots = self._slots.get(key)
            if slots:
                found.update(slots)
                if len(found) > cap:
                    return None
        return sorted(found)


class ThreadLinker:
    """Stories that left the live window but not the thread window, and the linking rule.

    Candidates for a new story's thread are the live stories nearest its centroid
    (asked of the clusterer's index) and every archived story that can pass the rule:
    those holding one of its `reach_keys` (a posting list per name and entity), kept
    when their centroid cosine reaches ``min_cosine``; when those keys reach too many
    stories, every archived story whose cosine does (one exact scan of the archive's
    centroids). Why not the nearest archived stories in an HNSW graph, as before: the
    graph's adds and searches cost ~80-90 µs per article at 20,000 articles a day,
    and the nearest ten could miss the best story that passes the overlap.
    Archived stories are compacted (`StoryState.compact`) and forgotten in order of
    their last day (a heap), so memory and time per batch stay bounded by the thread
    window.
    """

    def __init__(self, dim: int, options: ThreadOptions | None = None,
                 index_options: CentroidIndexOptions | None = None) -> None:
        self.options = options or ThreadOptions()
        self.index = CentroidIndex(dim, index_options)
        self._stories: list[StoryState | None] = []
        self._slot: dict[str, int] = {}
        self._by_end: list[tuple[float, int]] = []
        self._postings = _Postings()
        self.scanned = 0  # new stories answered by a scan of the archive (for measurements)

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
        self._postings.add(slot, story)
        heapq.heappush(self._by_end, (story.last_day if story.last_day is not None
                                      else float("inf"), slot))

    def link_many(self, stories: Sequence[StoryState], stats: KeyStats,
                  live: LiveCandidates) -> None:
        """Give each new story its thread: the best earlier story's, else its own id."""
        if not stories:
            return
        centroids = np.vstack([s.centroid() for s in stories])
        near_live = live(centroids, self.options.candidates)
        weights = [stats.idf_many(main_keys(s)) for s in stories]  # `stats` holds still here
        near_archived = self._archived_near(stories, centroids, weights)
        for story, idf, nearby, archived in zip(stories, weights, near_live, near_archived,
                                                strict=True):
            best = self._best_earlier(story, idf, [*nearby, *archived])
            story.thread_id = best.thread_id if best is not None and best.thread_id else story.id

    def _archived_near(self, stories: Sequence[StoryState], centroids: np.ndarray,
                       weights: Sequence[dict[str, float]]) -> list[list[StoryState]]:
        """Per new story, the archived stories that might pass the rule (a superset)."""
        floor = self.options.min_cosine - COSINE_MARGIN
        found: list[list[int]] = []
        scan: list[int] = []
        for n, (story, idf) in enumerate(zip(stories, weights, strict=True)):
            keys = reach_keys(idf, self.options.min_overlap) if story.first_day is not None else []
            slots = self._postings.reaching(keys, ARCHIVE_REACH_CAP) if keys else []
            if slots is None:
                scan.append(n)
                slots = []
            slots = [s for s in slots if self._stories[s] is not None]
            if slots:
                cosines = self.index.cosines(centroids[n], slots)
                slots = [s for s, c in zip(slots, cosines.tolist(), strict=True) if c >= floor]
            found.append(slots)
        if scan:
            self.scanned += len(scan)
            for n, slots in zip(scan, self.index.above(centroids[scan], floor), strict=True):
                found[n] = sorted(slots)
        return [[held for s in slots if (held := self._stories[s]) is not None]
                for slots in found]

    def _best_earlier(self, story: StoryState, idf: dict[str, float],
                      others: Sequence[StoryState]) -> StoryState | None:
        if story.first_day is None:
            return None
        centroid = story.centroid()
        best, best_cosine = None, -1.0
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
            self._postings.forget(story, self._stories)
            dropped.append(story)
        return dropped
