"""The streaming clusterer: each article joins the best live story above a threshold, or starts one.

Per batch of articles (in the order given; callers sort by publication time):

1. the batch's keys and vectors update the document frequencies (`KeyStats`) and
   the language means (`LanguageMeans`) first, so that IDF and the calibration do
   not depend on where in the batch an article sits;
2. the live stories nearest each article's centred vector are retrieved at once
   (`CentroidIndex`), and the stories the batch itself has touched are added to
   each article's candidates (the index catches up only at the batch's end);
3. candidates outside the live window, or barred by a user's split, are dropped;
   the model scores the rest (`StoryModel`), and the article joins the most probable
   at or above the threshold, else starts a story; a user's merge forces the join;
4. at the batch's end the touched centroids are re-indexed, stories whose last
   article is older than the live window leave the index (they stay in the store,
   and in memory for thread linking while within the thread window), and the new
   stories are linked to threads (`ThreadLinker`).
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from .decisions import Constraints
from .features import ArticleFeatures, KeyStats, LanguageMeans
from .index import CentroidIndex, CentroidIndexOptions, Nearest, Scan, top_k_columns
from .model import StoryModel, candidate_features
from .story import StoryState
from .threads import LiveCandidates, ThreadLinker, ThreadOptions


@dataclass(frozen=True, slots=True, kw_only=True)
class ClustererOptions:
    """How the clusterer runs (settings ``stories.*``)."""

    window_days: float = 3.0
    candidates: int = 5
    batch_size: int = 256
    index: CentroidIndexOptions = field(default_factory=CentroidIndexOptions)
    archive_index: CentroidIndexOptions = field(default_factory=CentroidIndexOptions)
    threads: ThreadOptions = field(default_factory=ThreadOptions)
    compact_archived: bool = True


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went: its story, whether it started it, and the model's probability.

    ``probability`` is that of the joined story, or of the best rejected candidate
    for a new story (0 when there was none); ``forced`` marks a user's merge.
    """

    article_id: str
    story_id: str
    is_new: bool
    probability: float
    forced: bool = False


def story_id_for(first_article_id: str) -> str:
    """A story's id from its first article's: stable while re-clustering keeps that one first."""
    return "story:" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:16]


class StreamingClusterer:
    """Live stories and the rule that puts each new article into one of them."""

    def __init__(self, model: StoryModel, options: ClustererOptions | None = None, *,
                 dim: int = 384, constraints: Constraints | None = None,
                 stats: KeyStats | None = None, means: LanguageMeans | None = None,
                 make_id: Callable[[str], str] = story_id_for) -> None:
        self.model = model
        self.options = options or ClustererOptions()
        self.dim = dim
        self.constraints = constraints or Constraints()
        self.stats = stats or KeyStats()
        self.means = means or LanguageMeans(dim, prior=model.prior())
        self.make_id = make_id
        self.stories: list[StoryState | None] = []
        self.slot_of: dict[str, int] = {}
        self.index = CentroidIndex(dim, self.options.index)
        self.threads = ThreadLinker(dim, self.options.threads, self.options.archive_index)
        self.clock: float | None = None
        self.retired: list[StoryState] = []
        self._live: set[int] = set()
        self._live_by_end: list[tuple[float, int]] = []

    # -- public ------------------------------------------------------------------------

    def add(self, articles: Iterable[ArticleFeatures], *,
            observed: bool = False) -> list[Assignment]:
        """Cluster ``articles`` in order, batch by batch; return where each went.

        ``observed``: their keys and vectors were already counted (`observe`).
        """
        out: list[Assignment] = []
        for batch in _chunks(articles, self.options.batch_size):
            if not observed:
                self.observe(batch)
            out.extend(self._add_batch(batch))
        return out

    def observe(self, articles: Iterable[ArticleFeatures]) -> None:
        """Count articles in the document frequencies and language means."""
        for article in articles:
            self.stats.add(article.keys)
            self.means.add(article.lang, article.vector)

    def load(self, story: StoryState) -> None:
        """Make a story read from the store live again (its centroid, keys and span)."""
        slot = self._register(story)
        self._make_live(slot)
        self.index.put(slot, story.centroid(), story.size)

    def story(self, story_id: str) -> StoryState | None:
        """The story with this id, while it is in memory."""
        slot = self.slot_of.get(story_id)
        return None if slot is None else self.stories[slot]

    def in_memory(self) -> Iterator[StoryState]:
        """Every story held now (live or kept for thread linking)."""
        return (s for s in self.stories if s is not None)

    # -- one batch ---------------------------------------------------------------------

    def _add_batch(self, batch: Sequence[ArticleFeatures]) -> list[Assignment]:
        means = self.means.snapshot()
        centred = [_centre(a.vector, self.means.mean_for(means, a.lang)) for a in batch]
        queries = np.stack(centred)
        k = self.options.candidates
        # one scan for the candidates and for the thread linking of the batch's new stories
        exact = self.index.mode == "exact"  # before the scan: a graph may start at a put
        found, full = self.index.nearest_and_scan(queries,
                                                  max(k, self.options.threads.candidates))
        touched = _Touched(self.dim, len(batch))
        created: dict[int, int] = {}  # new story's slot -> row of the article that made it
        members: dict[int, list[int]] = {}  # new story's slot -> rows of all its articles
        out = []
        for n, (article, vector) in enumerate(zip(batch, centred, strict=True)):
            hits = (found.slots[n][:k], found.cosines[n][:k])
            assignment, slot = self._place(article, vector, hits, touched)
            if assignment.is_new:
                created[slot] = n
                members[slot] = [n]
            elif slot in members:
                members[slot].append(n)
            story = self.stories[slot]
            assert story is not None
            touched.update(slot, story.centroid())
            out.append(assignment)
            self._tick(article.day)
        scan = _BatchScan(queries, found, max(k, self.options.threads.candidates),
                          exact=exact, full=full, members=members)
        self._finish_batch(touched, created, scan)
        return out

    def _place(self, article: ArticleFeatures, vector: np.ndarray,
               hits: tuple[list[int], list[float]],
               touched: _Touched) -> tuple[Assignment, int]:
        forced = self.constraints.forced_slot(article.id) if self.constraints else None
        if forced is not None and self.stories[forced] is not None:
            return self._join(article, vector, forced, 1.0, forced=True), forced
        slots, stories, cosines = self._candidates(article, vector, hits, touched)
        if not slots:
            return self._start(article, vector, 0.0)
        rows = candidate_features(article, vector, stories, self.stats.idf_many(article.keys),
                                  cosines)
        probabilities = self.model.probabilities(rows)
        pick = int(np.argmax(probabilities))
        best, probability = slots[pick], float(probabilities[pick])
        if probability >= self.model.threshold:
            return self._join(article, vector, best, probability), best
        return self._start(article, vector, probability)

    def _candidates(self, article: ArticleFeatures, vector: np.ndarray,
                    hits: tuple[list[int], list[float]],
                    touched: _Touched) -> tuple[list[int], list[StoryState], list[float]]:
        """The nearest retrieved or batch-touched live stories within the window and allowed.

        Up to ``candidates`` of them (slots, stories, centroid cosines), nearest centroid
        first: the index's hits and the stories this batch touched (the index sees them
        only at the batch's end, so a touched hit's cosine is taken from the batch's own
        current centroids).
        """
        k, window, day = self.options.candidates, self.options.window_days, article.day
        live, everything = self._live, self.stories
        constraints = self.constraints if self.constraints else None
        near = touched.near(vector, k)
        if near.row:
            scores, row_of = near.scores, near.row
            cosine_of = {}
            for slot, cosine in zip(*hits, strict=True):
                row = row_of.get(slot)
                cosine_of[slot] = cosine if row is None else float(scores[row])
            cosine_of.update(near.nearest)
        else:
            cosine_of = dict(zip(*hits, strict=True))
        found: list[tuple[int, StoryState, float]] = []
        for slot, cosine in cosine_of.items():
            if slot not in live:  # a story out of memory is not live
                continue
            story = everything[slot]
            assert story is not None
            first, last = story.first_day, story.last_day
            if (day is not None and first is not None and last is not None
                    and max(0.0, first - day, day - last) > window):
                continue  # `StoryState.gap_days`, inlined: this runs ten times per article
            if constraints is not None and not constraints.allows(article.id, slot):
                continue
            found.append((slot, story, cosine))
        found.sort(key=_by_cosine)  # stable: equal cosines keep the order found
        del found[k:]
        return [f[0] for f in found], [f[1] for f in found], [f[2] for f in found]

    def _join(self, article: ArticleFeatures, vector: np.ndarray, slot: int,
              probability: float, *, forced: bool = False) -> Assignment:
        story = self.stories[slot]
        assert story is not None
        story.add(article, vector)
        if self.constraints:
            self.constraints.placed(article.id, slot)
        return Assignment(article.id, story.id, False, probability, forced)

    def _start(self, article: ArticleFeatures, vector: np.ndarray,
               best_probability: float) -> tuple[Assignment, int]:
        story = StoryState(id=self._unique_id(article.id), dim=self.dim)
        story.add(article, vector)
        slot = self._register(story)
        self._make_live(slot)
        if self.constraints:
            self.constraints.placed(article.id, slot)
        return Assignment(article.id, story.id, True, best_probability), slot

    def _unique_id(self, article_id: str) -> str:
        story_id = self.make_id(article_id)
        n = 1
        while story_id in self.slot_of:  # the same article clustered twice: keep ids distinct
            n += 1
            story_id = self.make_id(f"{article_id}#{n}")
        return story_id

    def _register(self, story: StoryState) -> int:
        slot = len(self.stories)
        self.stories.append(story)
        self.slot_of[story.id] = slot
        return slot

    def _make_live(self, slot: int) -> None:
        self._live.add(slot)
        story = self.stories[slot]
        end = story.last_day if story is not None and story.last_day is not None else None
        if end is not None:
            heapq.heappush(self._live_by_end, (end, slot))

    def _live_near(self, vectors: np.ndarray, k: int) -> list[list[StoryState]]:
        """The live stories nearest each row of ``vectors`` (for thread linking)."""
        return self._stories_at(self.index.nearest(vectors, k).slots)

    def _stories_at(self, found: Iterable[Sequence[int]]) -> list[list[StoryState]]:
        """The stories in memory at each list of slots, in order."""
        return [[story for slot in slots if (story := self.stories[slot]) is not None]
                for slots in found]

    def _new_stories_near(self, new: Sequence[StoryState], rows: Sequence[int | None],
                          touched: _Touched, scan: _BatchScan) -> LiveCandidates:
        """`_live_near` for the batch's new stories (row n of the matrix is ``new[n]``),
        answered from the batch's own scan where that is exact.

        Why it can be: at the batch's end the index holds the rows the batch scanned, with
        the touched stories' rows replaced or added. A new story that still has one member
        has that article's centred vector as its centroid, so its nearest live stories are
        the best of (the scan's hits the batch did not touch) and (every touched story,
        scored now) — provided at least ``k`` of those score at least the scan's ``k``-th
        best (no untouched story past the scan's hits can then come in). Otherwise, and for
        stories that grew in the batch, the scan's whole cosine matrix answers (a story made
        in the batch has only batch articles, so its centroid's cosine with an untouched row
        is its members' scanned cosines summed over the norm of their sum), and the index is
        asked only when there is no such matrix (a graph, or the sketch).
        """
        def near(vectors: np.ndarray, k: int) -> list[list[StoryState]]:
            answers: list[list[int] | None] = [None] * len(new)
            reusable = [n for n, row in enumerate(rows) if row is not None] if scan.exact else []
            if reusable:
                query_rows = [row for row in rows if row is not None]
                scores = scan.queries[query_rows] @ touched.centroids().T
                for n, row, touched_scores in zip(reusable, query_rows, scores, strict=True):
                    answers[n] = _merged_nearest(scan, row, touched, touched_scores, k)
            missing = [n for n, answer in enumerate(answers) if answer is None]
            if missing and scan.full is not None and self.index.mode == "exact":
                untouched = ~np.isin(scan.full.slots, touched.slots)
                all_scores = vectors[missing] @ touched.centroids().T
                for n, touched_scores in zip(missing, all_scores, strict=True):
                    story = new[n]
                    answers[n] = _nearest_in_scan(scan.full, untouched,
                                                  scan.members[self.slot_of[story.id]],
                                                  story, touched, touched_scores, k)
                missing = []
            if missing:
                asked = self.index.nearest(vectors[missing], k).slots
                for n, slots in zip(missing, asked, strict=True):
                    answers[n] = slots
            return self._stories_at(a for a in answers if a is not None)
        return near

    def _tick(self, day: float | None) -> None:
        if day is not None and (self.clock is None or day > self.clock):
            self.clock = day

    def _finish_batch(self, touched: _Touched, created: dict[int, int],
                      scan: _BatchScan) -> None:
        for slot in touched.slots:
            story = self.stories[slot]
            if story is not None and slot in self._live:
                self.index.put(slot, story.centroid(), story.size)
        new, rows = [], []
        for slot, row in created.items():
            story = self.stories[slot]
            if story is not None:
                new.append(story)
                rows.append(row if story.size == 1 else None)
        self.threads.link_many(new, self.stats, self._new_stories_near(new, rows, touched, scan))
        self._age_out()

    def _age_out(self) -> None:
        """Stories past the live window leave the index for the thread archive; past the thread
        window, they leave memory (kept in `retired` for a caller that stores them)."""
        if self.clock is None:
            return
        live_from = self.clock - self.options.window_days
        while self._live_by_end and self._live_by_end[0][0] < live_from:
            end, slot = heapq.heappop(self._live_by_end)
            story = self.stories[slot]
            if story is None or slot not in self._live:
                continue
            if story.last_day is not None and story.last_day > end:
                heapq.heappush(self._live_by_end, (story.last_day, slot))  # it grew since
                continue
            self._live.discard(slot)
            self.index.remove(slot)
            self.threads.archive(story, compact=self.options.compact_archived)
        for story in self.threads.forget_before(self.clock):
            held = self.slot_of.get(story.id)
            if held is not None and held not in self._live:
                del self.slot_of[story.id]
                self.stories[held] = None
                self.retired.append(story)

    def take_retired(self) -> list[StoryState]:
        """The stories dropped from memory since the last call (for a caller that stores them)."""
        retired, self.retired = self.retired, []
        return retired


@dataclass(frozen=True, slots=True)
class _Near:
    """The touched stories' current cosines with one vector, and the ``k`` best of them."""

    scores: np.ndarray
    row: dict[int, int]
    nearest: dict[int, float]


class _Touched:
    """The stories one batch created or joined, their centroids kept as matrix rows."""

    def __init__(self, dim: int, capacity: int) -> None:
        self.slots: list[int] = []
        self._row: dict[int, int] = {}
        self._matrix = np.zeros((max(capacity, 1), dim), dtype=np.float32)

    def update(self, slot: int, centroid: np.ndarray) -> None:
        """Record (or refresh) a touched story's centroid."""
        row = self._row.get(slot)
        if row is None:
            row = self._row[slot] = len(self.slots)
            self.slots.append(slot)
        self._matrix[row] = centroid

    @property
    def row_of(self) -> dict[int, int]:
        """Touched story slot -> its row in `centroids`."""
        return self._row

    def centroids(self) -> np.ndarray:
        """The touched stories' current centroids, one row each in `slots` order."""
        return self._matrix[:len(self.slots)]

    def near(self, vector: np.ndarray, k: int) -> _Near:
        """The cosines of ``vector`` with every touched story's centroid, and the ``k`` best."""
        count = len(self.slots)
        if not count:
            return _Near(_NO_SCORES, self._row, {})
        scores = self._matrix[:count] @ vector
        if count <= k:
            return _Near(scores, self._row, dict(zip(self.slots, scores.tolist(), strict=True)))
        top = np.argpartition(-scores, k - 1)[:k].tolist()
        return _Near(scores, self._row, {self.slots[i]: float(scores[i]) for i in top})


_NO_SCORES = np.zeros(0, dtype=np.float32)


@dataclass(frozen=True, slots=True)
class _BatchScan:
    """The batch's scan of the live index (its ``asked`` nearest per article), kept for the
    thread linking of the batch's new stories; ``exact``: the index was scanned, not a graph."""

    queries: np.ndarray
    found: Nearest
    asked: int
    exact: bool
    full: Scan | None = None  # every cosine of the scan (exact scans only)
    members: dict[int, list[int]] = field(default_factory=dict)  # new slot -> its rows


def _nearest_in_scan(full: Scan, untouched: np.ndarray, rows: list[int], story: StoryState,
                     touched: _Touched, touched_scores: np.ndarray, k: int) -> list[int]:
    """The ``k`` live stories nearest a story the batch made (its articles are scan ``rows``)
    at the batch's end, from the scan's every cosine: the best untouched columns (the sum
    of the members' cosines over the norm of their sum: the centroid's cosine) merged with
    every touched story scored now, highest first, equal cosines in slot order."""
    if len(rows) == 1:
        scores = full.scores[rows[0]]
    else:
        total = story.vector_sum
        scores = full.scores[rows].sum(axis=0) / float(np.sqrt(total @ total))
    columns = np.flatnonzero(untouched)
    best = columns[top_k_columns(scores[columns][None, :], k)[0]] if len(columns) else columns
    merged = list(zip((-scores[best]).tolist(), full.slots[best].tolist(), strict=True))
    merged += zip((-touched_scores).tolist(), touched.slots, strict=True)
    merged.sort()
    return [slot for _, slot in merged[:k]]


def _merged_nearest(scan: _BatchScan, row: int, touched: _Touched,
                    touched_scores: np.ndarray, k: int) -> list[int] | None:
    """The ``k`` live stories nearest query ``row`` of the scan at the batch's end (None
    when the scan cannot tell): its hits the batch did not touch, with the touched stories
    scored now (``touched_scores``, in `_Touched.slots` order).

    Only the touched stories scoring at least the ``k``-th best touched score can be among
    the ``k`` (ties at it included), so only those are sorted with the hits: a batch
    touches up to its size of stories, the answer needs ``k``.
    """
    slots, cosines = scan.found.slots[row], scan.found.cosines[row]
    moved = touched.row_of
    merged = [(-cosine, slot) for slot, cosine in zip(slots, cosines, strict=True)
              if slot not in moved]
    touched_slots = touched.slots
    if len(touched_slots) > k:
        kth = np.partition(touched_scores, len(touched_slots) - k)[len(touched_slots) - k]
        rows = np.flatnonzero(touched_scores >= kth).tolist()
        merged += [(-float(touched_scores[i]), touched_slots[i]) for i in rows]
    else:
        merged += zip((-s for s in touched_scores.tolist()), touched_slots, strict=True)
    merged.sort()  # highest cosine first, equal cosines in slot order (as the index)
    best = merged[:k]
    complete = len(slots) < scan.asked  # the scan returned every story it had
    if not complete and (len(best) < k or -best[-1][0] <= cosines[-1]):
        return None  # a story past the scan's hits might score higher than the k-th here
    return [slot for _, slot in best]


def _by_cosine(candidate: tuple[int, StoryState, float]) -> float:
    """Sort key of `StreamingClusterer._candidates`: highest cosine first."""
    return -candidate[2]


def _centre(vector: np.ndarray, mean: np.ndarray | None) -> np.ndarray:
    if mean is None:
        return vector
    centred = vector - mean
    norm = float(np.linalg.norm(centred))
    return (centred / norm).astype(np.float32) if norm > 0 else vector


def _chunks(items: Iterable[ArticleFeatures], size: int) -> Iterator[list[ArticleFeatures]]:
    chunk: list[ArticleFeatures] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
