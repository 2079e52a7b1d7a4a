"""Candidate retrieval: the live stories whose centroids are nearest an article's vector.

Below `CentroidIndexOptions.exact_below` live stories the centroids are rows of
one numpy matrix and a batch of queries is one matrix product (exact). At or
above it, and when faiss is installed (the ``babelwire[index]`` extra, as for
`babelwire.db.vector_index`), they also go into an HNSW graph, whose search cost
grows with the logarithm of its size.

Why centroids move without re-indexing at every join: HNSW cannot update or
remove a vector. A story's centroid is re-added (and its old entry becomes a
tombstone, filtered out of results) when the story has doubled in size since it
was last indexed (1, 2, 4, 8 ... members), so a story is re-added about log2(size)
times; between re-adds the stale copy is close enough to retrieve the story (a
centroid moves less the more members it has), and the scoring model then reads
the exact centroid. No copy of the indexed vector is kept for this. The graph is
rebuilt when tombstones pass half its entries. Stories that age out leave the
index (exact rows are freed for new stories, graph entries become tombstones).
"""

from __future__ import annotations

import importlib
import logging
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


@dataclass(frozen=True, slots=True, kw_only=True)
class CentroidIndexOptions:
    """When to use the faiss graph and how stale an indexed centroid may get."""

    exact_below: int = 1024
    ef_search: int = HNSW_EF_SEARCH
    use_faiss: bool = True


@dataclass(slots=True)
class _Graph:
    """The faiss HNSW side: entry ids are their own numbers, mapped to story slots."""

    index: Any
    slot_of: list[int] = field(default_factory=list)  # faiss id -> slot, -1 once dead
    dead: int = 0


class CentroidIndex:
    """Live story centroids by slot number (the clusterer's story list position).

    Vectors sit in rows of one matrix; a removed story's row is reused by the next
    new one, so an exact scan covers about as many rows as there are live stories,
    however many stories the stream has seen.
    """

    def __init__(self, dim: int, options: CentroidIndexOptions | None = None) -> None:
        self.dim = dim
        self.options = options or CentroidIndexOptions()
        self._rows = np.zeros((1024, dim), dtype=np.float32)
        self._indexed_size = np.zeros(1024, dtype=np.int64)  # row -> story size when added
        self._slot_at = np.full(1024, -1, dtype=np.int64)  # row -> slot, -1 when free
        self._entry = np.full(1024, -1, dtype=np.int64)  # row -> faiss id
        self._row_of: dict[int, int] = {}
        self._free: list[int] = []
        self._used = 0
        self._graph: _Graph | None = None
        self._faiss: ModuleType | None = None
        self._faiss_missing = False
        self._pending: dict[int, None] = {}  # rows waiting to be (re-)added to the graph

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
        if self._graph is not None:
            if self._entry[row] < 0 or size >= 2 * self._indexed_size[row]:
                self._pending[row] = None  # added with the others before the next search
                self._indexed_size[row] = max(size, 1)
        elif self.live >= self.options.exact_below:
            self._start_graph()

    def remove(self, slot: int) -> None:
        """Take story ``slot`` out of the index (it aged out)."""
        row = self._row_of.pop(slot, None)
        if row is None:
            return
        self._pending.pop(row, None)
        if self._graph is not None:
            self._kill_entry(row)
        self._slot_at[row] = -1
        self._free.append(row)

    def search(self, queries: np.ndarray, k: int) -> list[np.ndarray]:
        """The slots of the ``k`` nearest live centroids of each query row, nearest first."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if self.live == 0 or k <= 0:
            return [np.empty(0, dtype=np.int64) for _ in queries]
        if self._graph is None:
            return self._search_exact(queries, k)
        return self._search_graph(queries, k)

    def _new_row(self, slot: int) -> int:
        if self._free:
            row = self._free.pop()
        else:
            row = self._used
            self._used += 1
            self._grow(self._used)
        self._slot_at[row] = slot
        self._entry[row] = -1
        self._row_of[slot] = row
        return row

    def _search_exact(self, queries: np.ndarray, k: int) -> list[np.ndarray]:
        scores = queries @ self._rows[:self._used].T
        dead = self._slot_at[:self._used] < 0
        if dead.any():
            scores[:, dead] = -np.inf
        take = min(k, self.live)
        top = np.argpartition(-scores, take - 1, axis=1)[:, :take]
        out = []
        for row, cand in zip(scores, top, strict=True):
            order = cand[np.argsort(-row[cand], kind="stable")]
            out.append(self._slot_at[order[np.isfinite(row[order])]])
        return out

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
        self._pending.clear()
        rows = np.array(sorted(self._row_of.values()), dtype=np.int64)
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
