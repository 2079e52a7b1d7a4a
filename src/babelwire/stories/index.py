"""Candidate retrieval: the live stories whose centroids are nearest an article's vector.

Below `CentroidIndexOptions.exact_below` live stories the centroids are rows of
one numpy matrix and a batch of queries is one matrix product (exact). At or
above it, and when faiss is installed (the ``babelwire[index]`` extra, as for
`babelwire.db.vector_index`), they also go into an HNSW graph, whose search cost
grows with the logarithm of its size.

Why centroids move without re-indexing at every join: HNSW cannot update or
remove a vector. A story's centroid is re-added (and its old entry becomes a
tombstone, filtered out of results) only once it has drifted by more than
``reindex_drift`` in cosine from the indexed copy; between re-adds the stale copy
is close enough to retrieve the story, and the scoring model then reads the
exact centroid. The graph is rebuilt when tombstones pass half its entries.
Stories that age out leave the index (exact rows are freed, graph entries become
tombstones).
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 64
"""Candidates per query in the graph; the clusterer asks for 10 stories, so 64 keeps recall of
the true nearest ones high at a quarter of `babelwire.db.vector_index`'s 128's cost."""
REBUILD_DEAD_FRACTION = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class CentroidIndexOptions:
    """When to use the faiss graph and how stale an indexed centroid may get."""

    exact_below: int = 4096
    reindex_drift: float = 0.02
    ef_search: int = HNSW_EF_SEARCH
    use_faiss: bool = True


@dataclass(slots=True)
class _Graph:
    """The faiss HNSW side: entry ids are their own numbers, mapped to story slots."""

    index: Any
    slot_of: list[int] = field(default_factory=list)  # faiss id -> slot, -1 once dead
    dead: int = 0


class CentroidIndex:
    """Live story centroids by slot number (the clusterer's story list position)."""

    def __init__(self, dim: int, options: CentroidIndexOptions | None = None) -> None:
        self.dim = dim
        self.options = options or CentroidIndexOptions()
        self._rows = np.zeros((1024, dim), dtype=np.float32)
        self._alive = np.zeros(1024, dtype=bool)
        self._indexed = np.zeros((1024, dim), dtype=np.float32)  # the copy in the graph
        self._entry = np.full(1024, -1, dtype=np.int64)  # slot -> faiss id
        self._used = 0
        self.live = 0
        self._graph: _Graph | None = None
        self._faiss: ModuleType | None = None
        self._faiss_missing = False

    @property
    def mode(self) -> str:
        """``exact`` or ``faiss``: how searches are answered now."""
        return "faiss" if self._graph is not None else "exact"

    def put(self, slot: int, vector: np.ndarray) -> None:
        """Index (or move) the centroid of story ``slot``."""
        self._grow(slot + 1)
        self._used = max(self._used, slot + 1)
        if not self._alive[slot]:
            self.live += 1
        self._alive[slot] = True
        self._rows[slot] = vector
        if self._graph is not None:
            if self._entry[slot] < 0 or float(vector @ self._indexed[slot]) < (
                    1.0 - self.options.reindex_drift):
                self._graph_add(slot, vector)
        elif self.live >= self.options.exact_below:
            self._start_graph()

    def remove(self, slot: int) -> None:
        """Take story ``slot`` out of the index (it aged out)."""
        if slot >= self._used or not self._alive[slot]:
            return
        self._alive[slot] = False
        self.live -= 1
        if self._graph is not None:
            self._kill_entry(slot)

    def search(self, queries: np.ndarray, k: int) -> list[np.ndarray]:
        """The slots of the ``k`` nearest live centroids of each query row, nearest first."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if self.live == 0:
            return [np.empty(0, dtype=np.int64) for _ in queries]
        if self._graph is None:
            return self._search_exact(queries, k)
        return self._search_graph(queries, k)

    def _search_exact(self, queries: np.ndarray, k: int) -> list[np.ndarray]:
        scores = queries @ self._rows[:self._used].T
        scores[:, ~self._alive[:self._used]] = -np.inf
        take = min(k, self.live)
        top = np.argpartition(-scores, take - 1, axis=1)[:, :take]
        out = []
        for row, cand in zip(scores, top, strict=True):
            order = cand[np.argsort(-row[cand], kind="stable")]
            out.append(order[np.isfinite(row[order])])
        return out

    def _search_graph(self, queries: np.ndarray, k: int) -> list[np.ndarray]:
        assert self._graph is not None
        graph = self._graph
        ask = min(graph.index.ntotal, k + 8 + 2 * k * graph.dead // max(graph.index.ntotal, 1))
        _, ids = graph.index.search(queries, ask)
        out = []
        for row in ids:
            seen: list[int] = []
            for entry in row:
                if entry < 0:
                    continue
                slot = graph.slot_of[entry]
                if slot >= 0 and slot not in seen:
                    seen.append(slot)
                    if len(seen) == k:
                        break
            out.append(np.array(seen, dtype=np.int64))
        return out

    def _grow(self, needed: int) -> None:
        size = len(self._alive)
        if needed <= size:
            return
        new = max(needed, 2 * size)
        for name in ("_rows", "_indexed"):
            old = getattr(self, name)
            grown = np.zeros((new, self.dim), dtype=np.float32)
            grown[:size] = old
            setattr(self, name, grown)
        self._alive = np.concatenate([self._alive, np.zeros(new - size, dtype=bool)])
        self._entry = np.concatenate([self._entry, np.full(new - size, -1, dtype=np.int64)])

    def _load_faiss(self) -> ModuleType | None:
        if self._faiss is None and not self._faiss_missing and self.options.use_faiss:
            try:
                self._faiss = importlib.import_module("faiss")
            except ImportError:
                self._faiss_missing = True
                log.warning("%d live stories is at least exact_below=%d, but faiss is not"
                            " installed, so candidate search stays an exact scan (slower);"
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
        slots = np.flatnonzero(self._alive[:self._used])
        if len(slots):
            self._graph_add_many(slots)

    def _graph_add(self, slot: int, vector: np.ndarray) -> None:
        self._kill_entry(slot)
        self._graph_add_many(np.array([slot]), vector[None, :])

    def _graph_add_many(self, slots: np.ndarray, vectors: np.ndarray | None = None) -> None:
        assert self._graph is not None
        graph = self._graph
        vectors = self._rows[slots] if vectors is None else vectors
        start = graph.index.ntotal
        graph.index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        graph.slot_of.extend(int(s) for s in slots)
        self._entry[slots] = np.arange(start, start + len(slots))
        self._indexed[slots] = vectors
        if graph.dead > REBUILD_DEAD_FRACTION * graph.index.ntotal and graph.index.ntotal > 1000:
            self._start_graph()  # rebuild from the live rows only

    def _kill_entry(self, slot: int) -> None:
        assert self._graph is not None
        entry = int(self._entry[slot])
        if entry >= 0:
            self._graph.slot_of[entry] = -1
            self._graph.dead += 1
            self._entry[slot] = -1
