"""Candidate retrieval: the live stories whose centroids are nearest an article's vector.

The centroids are the first rows of one contiguous float32 matrix (a story's row
is overwritten in place when its centroid moves; a removed story's row is filled
with the last row, so the matrix never has holes). A batch of queries is one
matrix product against those rows, and the top k of each row is selected exactly
(`top_k_columns`). Why exact and per batch: an HNSW graph costs more CPU per
article than the scan at the live window's ~17,000 stories (its adds and rebuilds
follow every move of a centroid) and misses some stories (pairwise F1 0.99 against
1.0 on the bench stream, docs/issues/issue-6-progress.md).

Only when ``CentroidIndexOptions.exact_below`` is set and reached, and faiss is
installed (the ``babelwire[index]`` extra, as for `babelwire.db.vector_index`), do
the rows also go into an HNSW graph, whose search cost grows with the logarithm of
its size. No default uses it now: the thread archive (`babelwire.stories.threads`),
which did past 40,000 stories, finds its candidates through posting lists of names
and answers the rest with `CentroidIndex.above`.

In graph mode, centroids move without re-indexing at every join: HNSW cannot
update or remove a vector. A row is re-added (and its old entry becomes a
tombstone, filtered out of results) when the story has doubled in size since it
was last indexed, and the graph is rebuilt when tombstones pass half its entries.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

HNSW_M = 16
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 64
"""Candidates per query in the graph; the clusterer asks for 10 stories, so 64 keeps recall of
the true nearest ones high at a quarter of `babelwire.db.vector_index`'s 128's cost. M = 16
(not 32 as there): centroids are added far more often than articles are searched for, and
adds cost about half."""
REBUILD_DEAD_FRACTION = 0.5


GROUP_ROWS = 16
"""Scores per group in `top_k_columns`: ~1,000 groups for 17,000 live stories. Measured per
query, k = 10 (one core, session 6): 13,000 stories 25.3 µs with 64 per group, 17.3 with 32,
12.0 with 16, 11.0 with 8; 17,000: 28.7 / 18.6 / 14.5 / 13.6; 40,000 (the thread archive
before its graph): 28.0 with 64, 22.9 with 16, 61.8 with 8 (the partition of the maxima
grows with the groups)."""


def top_k_columns(scores: np.ndarray, k: int) -> np.ndarray:
    """The columns of each row's ``k`` highest scores, highest first (exact, ties aside).

    Why not one `np.argpartition` of the rows: it costs ~5 ns per score (83 µs per query over
    17,000 stories, more than the matrix product). Column ``c`` of the first
    ``GROUP_ROWS * g`` columns belongs to group ``c mod g``. The k best scores of a row lie in
    the k groups with the highest maxima (a group holding one of them has a maximum at least
    the k-th best score, and at most k groups can), or past the grouped columns; so one
    elementwise maximum over ``GROUP_ROWS`` slices (~1 ns per score; a maximum along
    contiguous runs costs 3) and two small partitions do.
    """
    rows, n = scores.shape
    k = min(k, n)
    groups = n // GROUP_ROWS
    if groups <= 2 * k:
        cols = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    else:
        head = groups * GROUP_ROWS
        maxima = scores[:, :head].reshape(rows, GROUP_ROWS, groups).max(axis=1)
        best = np.argpartition(-maxima, k - 1, axis=1)[:, :k]
        cols = (best[:, :, None] + groups * np.arange(GROUP_ROWS)).reshape(rows, -1)
        if head < n:
            tail = np.broadcast_to(np.arange(head, n), (rows, n - head))
            cols = np.hstack([cols, tail])
        part = np.argpartition(-np.take_along_axis(scores, cols, 1), k - 1, axis=1)[:, :k]
        cols = np.take_along_axis(cols, part, 1)
    order = np.argsort(-np.take_along_axis(scores, cols, 1), axis=1, kind="stable")
    return np.take_along_axis(cols, order, 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class CentroidIndexOptions:
    """When (if ever) to add the faiss graph, and its search depth.

    ``exact_below``: None (the live stories) keeps the exact scan at any size.
    ``sketch_dim`` > 0: from ``sketch_from`` stories on, the scan first ranks them by a
    projection to that many dimensions, then ranks its ``sketch_candidates`` best exactly
    (a sixth of the matrix product; approximate). ``sketch_basis``: ``"live"`` projects on
    the principal directions of the live centroids (refitted every `SKETCH_REFIT_PUTS`
    puts), ``"random"`` on a fixed random orthonormal basis. Why "live" is the default
    basis: real e5 vectors are far from isotropic, and on 1,588 of them the exact nearest
    is among the sketch's 5 for 98.9 % of queries with it at d = 64, K = 32, 92.1 % with
    the random basis (docs/issues/issue-6-progress.md, session 15).
    """

    exact_below: int | None = None
    ef_search: int = HNSW_EF_SEARCH
    use_faiss: bool = True
    sketch_dim: int = 0
    sketch_from: int = 4096
    sketch_candidates: int = 32
    sketch_basis: str = "live"

    def __post_init__(self) -> None:
        if self.sketch_basis not in SKETCH_BASES:
            raise ValueError(f"sketch_basis must be one of {', '.join(SKETCH_BASES)},"
                             f" not {self.sketch_basis!r}")


SKETCH_BASES = ("live", "random")
SKETCH_REFIT_PUTS = 50_000
"""Puts between two fits of the "live" sketch basis (about one put per clustered article):
a fit is one 384 × 384 product over the live rows, an eigendecomposition and the re-projection
of every row (~0.1 s at 14,000 live stories: ~2 µs per article at this interval)."""


SKETCH_SEED = 20_260_601
"""Seed of the sketch's projection: fixed, so a stream is clustered alike in every run."""


def _projection(dim: int, sketch_dim: int) -> np.ndarray:
    """A random ``dim`` × ``sketch_dim`` matrix with orthonormal columns (empty for 0)."""
    if not sketch_dim:
        return np.zeros((dim, 0), dtype=np.float32)
    gaussian = np.random.default_rng(SKETCH_SEED).standard_normal((dim, sketch_dim))
    return np.linalg.qr(gaussian)[0].astype(np.float32)


def principal_basis(rows: np.ndarray, sketch_dim: int) -> np.ndarray:
    """The ``sketch_dim`` directions carrying most of the rows' energy, as orthonormal columns.

    Why the uncentred second moment: the sketch approximates inner products with the rows
    themselves, and the queries are centred like them; the best ``d``-dimensional
    subspace for that is spanned by the top eigenvectors of ``rows.T @ rows``. Each
    column's sign is fixed (largest entry positive) so that a fit does not depend on the
    solver's choice of sign.
    """
    moment = rows.T.astype(np.float64) @ rows.astype(np.float64)
    _, vectors = np.linalg.eigh(moment)
    basis = vectors[:, ::-1][:, :sketch_dim]
    signs = np.sign(basis[np.abs(basis).argmax(axis=0), np.arange(basis.shape[1])])
    return (basis * np.where(signs == 0, 1.0, signs)).astype(np.float32)


@dataclass(frozen=True, slots=True)
class Nearest:
    """Per query: the nearest stories' slots and their cosines, nearest first."""

    slots: list[list[int]]
    cosines: list[list[float]]


@dataclass(frozen=True, slots=True)
class Scan:
    """An exact scan's cosines (one row per query, one column per indexed row) and the story
    slot of each column then (the index's rows move only when a story is removed)."""

    scores: np.ndarray
    slots: np.ndarray


@dataclass(slots=True)
class _Graph:
    """The faiss HNSW side: entry ids are their own numbers, mapped to story slots."""

    index: Any
    slot_of: list[int] = field(default_factory=list)  # faiss id -> slot, -1 once dead
    dead: int = 0


class CentroidIndex:
    """Live story centroids by slot number (the clusterer's story list position).

    Rows ``0 .. live-1`` of one matrix hold the centroids (no holes: a removed
    story's row takes the last row), so an exact scan covers exactly the live stories.
    """

    def __init__(self, dim: int, options: CentroidIndexOptions | None = None) -> None:
        self.dim = dim
        self.options = options or CentroidIndexOptions()
        self._rows = np.zeros((1024, dim), dtype=np.float32)
        self._indexed_size = np.zeros(1024, dtype=np.int64)  # row -> story size when added
        self._slot_at = np.full(1024, -1, dtype=np.int64)  # row -> slot, -1 when free
        self._entry = np.full(1024, -1, dtype=np.int64)  # row -> faiss id
        self._row_of: dict[int, int] = {}
        self._graph: _Graph | None = None
        self._faiss: ModuleType | None = None
        self._faiss_missing = False
        self._pending: dict[int, None] = {}  # rows waiting to be (re-)added to the graph
        self._projection = _projection(dim, self.options.sketch_dim)
        self._sketch = np.zeros((1024, self.options.sketch_dim), dtype=np.float32)
        self._puts_since_fit: int | None = None  # None: the "live" basis was never fitted

    @property
    def live(self) -> int:
        """Stories in the index."""
        return len(self._row_of)

    @property
    def mode(self) -> str:
        """``exact`` or ``faiss``: how searches are answered now."""
        return "faiss" if self._graph is not None else "exact"

    def put(self, slot: int, vector: np.ndarray, size: int = 1) -> None:
        """Index (or move) the centroid of story ``slot``, which has ``size`` members."""
        row = self._row_of.get(slot)
        if row is None:
            row = self._new_row(slot)
        self._rows[row] = vector
        if self.options.sketch_dim:
            self._sketch[row] = vector @ self._projection
            if self._puts_since_fit is not None:
                self._puts_since_fit += 1
        if self._graph is not None:
            if self._entry[row] < 0 or size >= 2 * self._indexed_size[row]:
                self._pending[row] = None  # added with the others before the next search
                self._indexed_size[row] = max(size, 1)
        elif self.options.exact_below is not None and self.live >= self.options.exact_below:
            self._start_graph()

    def remove(self, slot: int) -> None:
        """Take story ``slot`` out of the index (it aged out); the last row fills its row."""
        row = self._row_of.pop(slot, None)
        if row is None:
            return
        self._pending.pop(row, None)
        if self._graph is not None:
            self._kill_entry(row)
        last = len(self._row_of)  # the row count before this removal, minus one
        if row != last:
            self._move_row(last, row)
        self._slot_at[last] = -1
        self._entry[last] = -1

    def search(self, queries: np.ndarray, k: int) -> list[np.ndarray]:
        """The slots of the ``k`` nearest live centroids of each query row, nearest first."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if self.live == 0 or k <= 0:
            return [np.empty(0, dtype=np.int64) for _ in queries]
        if self._graph is None:
            return self._search_exact(queries, k)
        return self._search_graph(queries, k)

    def nearest(self, queries: np.ndarray, k: int) -> Nearest:
        """The ``k`` nearest live centroids of each query row with their cosines, nearest first.

        Why the cosines: the clusterer's candidates are ranked by them, and the scan has
        them already (in graph mode they are recomputed from the rows, which are current).
        """
        return self.nearest_and_scan(queries, k)[0]

    def nearest_and_scan(self, queries: np.ndarray, k: int) -> tuple[Nearest, Scan | None]:
        """`nearest`, and the exact scan's whole cosine matrix when it made one (else None).

        Why: the clusterer answers its new stories' thread candidates from the batch's own
        scan; with every cosine kept it never has to scan the index a second time.
        """
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if self.live == 0 or k <= 0:
            return Nearest([[] for _ in queries], [[] for _ in queries]), None
        if self._graph is None:
            cols, scores, full = self._scan(queries, k)
            slots = self._slot_at[cols]
            # equal cosines in slot order: what a tie yields must not depend on row layout
            # or on the BLAS kernel's rounding (the clusterer's merged answers use this order)
            order = np.lexsort((slots, -scores), axis=-1)
            found = Nearest(np.take_along_axis(slots, order, 1).tolist(),
                            np.take_along_axis(scores, order, 1).tolist())
            scan = None if full is None else Scan(full, self._slot_at[:self.live].copy())
            return found, scan
        hits = self._search_graph(queries, k)
        cosines = [(self._rows[[self._row_of[int(s)] for s in near]] @ query).tolist()
                   for near, query in zip(hits, queries, strict=True)]
        return Nearest([near.tolist() for near in hits], cosines), None

    def cosines(self, query: np.ndarray, slots: Sequence[int]) -> np.ndarray:
        """The cosines of one query with the centroids of these indexed ``slots``, in order."""
        rows = [self._row_of[slot] for slot in slots]
        return self._rows[rows] @ np.asarray(query, dtype=np.float32)

    def above(self, queries: np.ndarray, threshold: float) -> list[list[int]]:
        """Per query row, the slots of every indexed centroid with a cosine ≥ ``threshold``
        (exact: one scan of all rows, whatever the mode), in row order."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if self.live == 0:
            return [[] for _ in queries]
        scores = queries @ self._rows[:self.live].T
        return [self._slot_at[np.flatnonzero(row >= threshold)].tolist() for row in scores]

    def _new_row(self, slot: int) -> int:
        row = len(self._row_of)
        self._grow(row + 1)
        self._slot_at[row] = slot
        self._entry[row] = -1
        self._indexed_size[row] = 0
        self._row_of[slot] = row
        return row

    def _move_row(self, source: int, target: int) -> None:
        """Copy row ``source`` (a live story's) into the free row ``target``."""
        slot = int(self._slot_at[source])
        self._rows[target] = self._rows[source]
        self._sketch[target] = self._sketch[source]
        self._slot_at[target] = slot
        self._entry[target] = self._entry[source]
        self._indexed_size[target] = self._indexed_size[source]
        self._row_of[slot] = target
        if self._pending.pop(source, 0) is None:
            self._pending[target] = None

    def _search_exact(self, queries: np.ndarray, k: int) -> list[np.ndarray]:
        return list(self._slot_at[self._scan(queries, k)[0]])

    def _scan(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray,
                                                          np.ndarray | None]:
        """The rows of each query's ``k`` highest cosines, those cosines, and every row's
        cosine when the scan was exact (None after the sketch)."""
        options = self.options
        wide = options.sketch_candidates
        if not options.sketch_dim or self.live < max(options.sketch_from, 2 * wide):
            scores = queries @ self._rows[:self.live].T
            cols = top_k_columns(scores, k)
            return cols, np.take_along_axis(scores, cols, 1), scores
        self._fit_sketch()
        rough = (queries @ self._projection) @ self._sketch[:self.live].T
        wide_cols = top_k_columns(rough, max(wide, k))
        exact = np.matmul(self._rows[wide_cols], queries[:, :, None])[:, :, 0]
        best = top_k_columns(exact, k)
        return np.take_along_axis(wide_cols, best, 1), np.take_along_axis(exact, best, 1), None

    def _fit_sketch(self) -> None:
        """Fit the "live" basis to the live rows when it is due, and project every row on it."""
        if self.options.sketch_basis != "live":
            return
        if self._puts_since_fit is not None and self._puts_since_fit < SKETCH_REFIT_PUTS:
            return
        rows = self._rows[:self.live]
        self._projection = principal_basis(rows, self.options.sketch_dim)
        self._sketch[:self.live] = rows @ self._projection
        self._puts_since_fit = 0

    def _flush(self) -> None:
        """Add the pending rows to the graph in one call (faiss adds a batch far faster)."""
        if not self._pending:
            return
        rows = np.fromiter(self._pending, dtype=np.int64)
        self._pending.clear()
        for row in rows:
            self._kill_entry(int(row))
        self._graph_add_many(rows)

    def _search_graph(self, queries: np.ndarray, k: int) -> list[np.ndarray]:
        self._flush()
        assert self._graph is not None
        graph = self._graph
        ask = min(graph.index.ntotal, k + 8 + 2 * k * graph.dead // max(graph.index.ntotal, 1))
        _, ids = graph.index.search(queries, ask)
        slot_of = graph.slot_of
        out = []
        for found in ids.tolist():  # Python ints: indexing a list with numpy ints is slow
            seen: list[int] = []
            for entry in found:
                if entry < 0:
                    continue
                slot = slot_of[entry]
                if slot >= 0 and slot not in seen:
                    seen.append(slot)
                    if len(seen) == k:
                        break
            out.append(np.array(seen, dtype=np.int64))
        return out

    def _grow(self, needed: int) -> None:
        size = len(self._slot_at)
        if needed <= size:
            return
        new = max(needed, 2 * size)
        grown = np.zeros((new, self.dim), dtype=np.float32)
        grown[:size] = self._rows
        self._rows = grown
        sketch = np.zeros((new, self._sketch.shape[1]), dtype=np.float32)
        sketch[:size] = self._sketch
        self._sketch = sketch
        self._indexed_size = np.concatenate([self._indexed_size,
                                             np.zeros(new - size, dtype=np.int64)])
        self._slot_at = np.concatenate([self._slot_at, np.full(new - size, -1, dtype=np.int64)])
        self._entry = np.concatenate([self._entry, np.full(new - size, -1, dtype=np.int64)])

    def _load_faiss(self) -> ModuleType | None:
        if self._faiss is None and not self._faiss_missing and self.options.use_faiss:
            try:
                self._faiss = importlib.import_module("faiss")
            except ImportError:
                self._faiss_missing = True
                log.warning("%d stories is at least exact_below=%d, but faiss is not"
                            " installed, so the search stays an exact scan (slower);"
                            " pip install 'babelwire[index]'", self.live,
                            self.options.exact_below)
        return self._faiss

    def _start_graph(self) -> None:
        faiss = self._load_faiss()
        if faiss is None:
            return
        faiss.omp_set_num_threads(1)  # one query's graph walk is too small to share
        index = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = self.options.ef_search
        self._graph = _Graph(index)
        self._entry[:] = -1
        self._pending.clear()
        rows = np.arange(self.live, dtype=np.int64)
        if len(rows):
            self._graph_add_many(rows)

    def _graph_add_many(self, rows: np.ndarray, vectors: np.ndarray | None = None) -> None:
        assert self._graph is not None
        graph = self._graph
        vectors = self._rows[rows] if vectors is None else vectors
        start = graph.index.ntotal
        graph.index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        graph.slot_of.extend(int(self._slot_at[r]) for r in rows)
        self._entry[rows] = np.arange(start, start + len(rows))
        self._indexed_size[rows] = np.maximum(self._indexed_size[rows], 1)
        if graph.dead > REBUILD_DEAD_FRACTION * graph.index.ntotal and graph.index.ntotal > 1000:
            self._start_graph()  # rebuild from the live rows only

    def _kill_entry(self, row: int) -> None:
        assert self._graph is not None
        entry = int(self._entry[row])
        if entry >= 0:
            self._graph.slot_of[entry] = -1
            self._graph.dead += 1
            self._entry[row] = -1
