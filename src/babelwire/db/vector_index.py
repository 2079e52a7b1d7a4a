"""Nearest neighbours over stored embeddings: exact in memory for few, a faiss file for many.

Below ``index.exact_below`` vectors (default 50,000) the embeddings are held as
one numpy matrix and scanned exactly: at that size a scan takes a few ms and
needs no file. Above it they go into a faiss index saved beside the database as
``<db>.faiss`` with a JSON sidecar ``<db>.faiss.json`` (store id, model,
dimension, index kind, the last ``embedding_log.seq`` indexed, tombstones).

Why HNSW by default (scripts/bench_vector_index.py, 100k clustered 384-d unit
vectors, one thread, see docs/ARCHITECTURE.md): exact scans cost 8-9 ms a query
at 100k and grow linearly, HNSW M=32 with efSearch=128 answers in 0.2 ms at
recall@10 0.996; IVF needs training and its recall hangs on how well ``nlist``
fits the data. HNSW cannot remove vectors, so deleted rows become tombstones
excluded from every search, and the index is rebuilt once they pass 10% of it or
a row it holds is re-embedded. ``index.kind = "flat"`` keeps results exact at any
size and removes in place.

The faiss ids are the articles' SQLite rowids: the rowid→article-id mapping is
the articles table itself, so it cannot go stale. Catching up means re-reading
the rows logged in ``embedding_log`` since ``last_seq`` (a trigger logs every
insert, re-embedding and delete), so writers never touch the index.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from ..errors import StorageError

log = logging.getLogger(__name__)

EXACT_BELOW_VECTORS = 50_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40  # faiss's default; 20 s for 100k vectors on one core
HNSW_EF_SEARCH = 128  # recall@10 0.996 at 100k (64: 0.976, 256: 0.998 at 2.5x the time)
REBUILD_DELETED_FRACTION = 0.1
SAVE_AFTER_CHANGES = 1_000  # catching up this many rows from the log costs less than a save
SIDECAR_FORMAT = 1
INSTALL_HINT = "pip install 'babelwire[index]' (it installs faiss-cpu)"
_IN_CHUNK_ROWS = 500


class IndexKind(StrEnum):
    """The faiss index type used above the threshold."""

    HNSW = "hnsw"
    FLAT = "flat"


class SearchMode(StrEnum):
    """How a search is answered: an exact numpy scan or the faiss index."""

    EXACT = "exact"
    FAISS = "faiss"


@dataclass(frozen=True, slots=True, kw_only=True)
class VectorIndexOptions:
    """When to switch to faiss and which index to build (settings ``index.*``)."""

    exact_below: int = EXACT_BELOW_VECTORS
    kind: IndexKind = IndexKind.HNSW
    ef_search: int = HNSW_EF_SEARCH


@dataclass(frozen=True, slots=True)
class Neighbour:
    """One search result: the article's rowid and its inner product with the query."""

    rowid: int
    score: float


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexStatus:
    """What the index holds after a refresh or rebuild."""

    mode: SearchMode
    vectors: int
    model: str
    dim: int
    last_seq: int
    path: str | None


def index_paths(db_path: Path) -> tuple[Path, Path]:
    """The faiss file and its sidecar beside the database file ``db_path``."""
    return (db_path.with_name(db_path.name + ".faiss"),
            db_path.with_name(db_path.name + ".faiss.json"))


@dataclass(slots=True)
class _Exact:
    model: str
    dim: int
    last_seq: int
    rowids: np.ndarray  # int64, ascending, so ties rank the same as a fresh scan
    matrix: np.ndarray  # float32 (len(rowids), dim)

    @property
    def count(self) -> int:
        return len(self.rowids)

    def apply(self, changed: np.ndarray, rowids: np.ndarray, matrix: np.ndarray) -> None:
        keep = ~np.isin(self.rowids, changed)
        all_ids = np.concatenate([self.rowids[keep], rowids])
        order = np.argsort(all_ids, kind="stable")
        self.rowids = all_ids[order]
        self.matrix = np.concatenate([self.matrix[keep], matrix])[order]

    def search(self, query: np.ndarray, limit: int) -> list[Neighbour]:
        scores = self.matrix @ query
        best = np.argsort(-scores, kind="stable")[:limit]
        return [Neighbour(int(self.rowids[i]), float(scores[i])) for i in best]


@dataclass(slots=True)
class _Faiss:
    model: str
    dim: int
    last_seq: int
    kind: IndexKind
    index: Any  # faiss.IndexIDMap2
    tombstones: set[int] = field(default_factory=set)
    unsaved: int = 0

    @property
    def count(self) -> int:
        return int(self.index.ntotal) - len(self.tombstones)


class VectorIndex:
    """Embedding search for one database, kept current from ``embedding_log`` before each query.

    Thread-safe: one lock guards the in-memory state (``serve`` searches from
    many threads). Without a ``path`` (in-memory databases) nothing is saved.
    """

    def __init__(self, path: Path | None, connect: Callable[[], sqlite3.Connection],
                 options: VectorIndexOptions | None = None) -> None:
        self.options = options or VectorIndexOptions()
        self.index_path: Path | None = None
        self.sidecar_path: Path | None = None
        if path is not None:
            self.index_path, self.sidecar_path = index_paths(path)
        self._connect = connect
        self._lock = threading.Lock()
        self._state: _Exact | _Faiss | None = None
        self._faiss: ModuleType | None = None
        self._warned_missing = False

    def search(self, query: np.ndarray, *, model: str, limit: int) -> list[Neighbour]:
        """The ``limit`` stored vectors of ``model`` with the largest inner product, best first."""
        query = np.ascontiguousarray(query, dtype=np.float32)
        with self._lock:
            state = self._refresh(model, int(query.shape[0]))
            if state is None or limit <= 0:
                return []
            if isinstance(state, _Exact):
                return state.search(query, limit)
            return self._faiss_search(state, query, limit)

    def refresh(self, *, model: str, dim: int) -> IndexStatus:
        """Catch up with the database (and load or build the index file if due)."""
        with self._lock:
            return self._status(self._refresh(model, dim), model, dim)

    def rebuild(self, *, model: str, dim: int) -> IndexStatus:
        """Rebuild from every stored vector and save the faiss file, whatever the count.

        Raises:
            StorageError: faiss is not installed, or the database has no file to sit beside.
        """
        with self._lock:
            faiss = self._faiss_module()
            if faiss is None or self.index_path is None:
                why = (f"faiss is not installed; {INSTALL_HINT}" if faiss is None
                       else "an in-memory database has no file to put the index beside")
                raise StorageError(f"cannot build the vector index: {why}")
            with _snapshot(self._connect()) as conn:
                head = _head(conn)
                rowids, matrix = _read_vectors(conn, model, dim)
            state = self._build(rowids, matrix, model, dim, head)
            self._state = state if state.count >= self.options.exact_below else \
                _Exact(model, dim, head, rowids, matrix)
            return self._status(self._state, model, dim)

    # -- keeping current ---------------------------------------------------------

    def _refresh(self, model: str, dim: int) -> _Exact | _Faiss | None:
        state = self._state
        with _snapshot(self._connect()) as conn:
            head = _head(conn)
            if state is None or (state.model, state.dim) != (model, dim):
                state = self._open(conn, model, dim, head)
            elif head > state.last_seq:
                state = self._catch_up(conn, state, head)
        state = self._switch_mode(state)
        self._state = state
        return state if state.count else None

    def _open(self, conn: sqlite3.Connection, model: str, dim: int,
              head: int) -> _Exact | _Faiss:
        loaded = self._load(conn, model, dim, head)
        if loaded is not None:
            return self._catch_up(conn, loaded, head)
        rowids, matrix = _read_vectors(conn, model, dim)
        return _Exact(model, dim, head, rowids, matrix)

    def _catch_up(self, conn: sqlite3.Connection, state: _Exact | _Faiss,
                  head: int) -> _Exact | _Faiss:
        changed = np.fromiter((r[0] for r in conn.execute(
            "SELECT DISTINCT article_rowid FROM embedding_log WHERE seq > ? AND seq <= ?",
            (state.last_seq, head))), dtype=np.int64)
        rowids, matrix = _read_vectors(conn, state.model, state.dim, changed)
        if isinstance(state, _Exact):
            state.apply(changed, rowids, matrix)
        elif not self._apply_to_faiss(state, changed, rowids, matrix):
            log.info("rebuilding the vector index: rows were re-embedded or %d of %d deleted",
                     len(state.tombstones), state.index.ntotal)
            all_ids, all_vectors = _read_vectors(conn, state.model, state.dim)
            return self._build(all_ids, all_vectors, state.model, state.dim, head)
        state.last_seq = head
        if isinstance(state, _Faiss) and state.unsaved >= SAVE_AFTER_CHANGES:
            self._save(state)
        return state

    def _apply_to_faiss(self, state: _Faiss, changed: np.ndarray, rowids: np.ndarray,
                        matrix: np.ndarray) -> bool:
        """Apply changes in place; False when only a rebuild can (HNSW cannot remove)."""
        faiss = self._faiss_module()
        assert faiss is not None  # a _Faiss state exists only when faiss imported
        held = np.isin(changed, faiss.vector_to_array(state.index.id_map))
        if state.kind is IndexKind.FLAT:
            state.index.remove_ids(changed[held])
        elif np.isin(rowids, changed[held]).any():
            return False  # a held row was re-embedded (or its rowid reused)
        else:
            state.tombstones.update(int(r) for r in changed[held])
            if len(state.tombstones) > REBUILD_DELETED_FRACTION * state.index.ntotal:
                return False
        if len(rowids):
            state.index.add_with_ids(matrix, rowids)
        state.unsaved += len(changed)
        return True

    def _switch_mode(self, state: _Exact | _Faiss) -> _Exact | _Faiss:
        big = state.count >= self.options.exact_below
        if isinstance(state, _Faiss) and not big:
            with _snapshot(self._connect()) as conn:
                rowids, matrix = _read_vectors(conn, state.model, state.dim)
            return _Exact(state.model, state.dim, state.last_seq, rowids, matrix)
        if isinstance(state, _Exact) and big:
            if self._faiss_module() is None:
                self._warn_missing(state.count)
                return state
            return self._build(state.rowids, state.matrix, state.model, state.dim,
                               state.last_seq)
        return state

    # -- faiss ---------------------------------------------------------------------

    def _faiss_module(self) -> ModuleType | None:
        if self._faiss is None:
            try:
                self._faiss = importlib.import_module("faiss")
            except ImportError:
                return None
        return self._faiss

    def _warn_missing(self, count: int) -> None:
        if not self._warned_missing:
            log.warning("%d embeddings is at least index.exact_below=%d, but faiss is not"
                        " installed, so semantic search scans them all exactly (slower);"
                        " %s", count, self.options.exact_below, INSTALL_HINT)
            self._warned_missing = True

    def _build(self, rowids: np.ndarray, matrix: np.ndarray, model: str, dim: int,
               head: int) -> _Faiss:
        faiss = self._faiss_module()
        assert faiss is not None
        if self.options.kind is IndexKind.FLAT:
            inner = faiss.IndexFlatIP(dim)
        else:
            inner = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index = faiss.IndexIDMap2(inner)
        if len(rowids):
            index.add_with_ids(np.ascontiguousarray(matrix), rowids)
        state = _Faiss(model, dim, head, self.options.kind, index)
        self._save(state)
        return state

    def _faiss_search(self, state: _Faiss, query: np.ndarray, limit: int) -> list[Neighbour]:
        faiss = self._faiss_module()
        assert faiss is not None
        keep_alive: list[Any] = []  # swig selectors must outlive the search call
        params = None
        if state.kind is IndexKind.HNSW:
            params = faiss.SearchParametersHNSW()
            params.efSearch = max(self.options.ef_search, limit)
            if state.tombstones:
                dead = faiss.IDSelectorBatch(np.fromiter(state.tombstones, dtype=np.int64))
                keep_alive.append(dead)
                params.sel = faiss.IDSelectorNot(dead)
                keep_alive.append(params.sel)
        with _one_omp_thread(faiss):
            scores, ids = state.index.search(query[None, :], min(limit, state.count),
                                             params=params)
        return [Neighbour(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True)
                if i >= 0]

    def _save(self, state: _Faiss) -> None:
        """Write the index and then its sidecar, each atomically (write, then rename)."""
        state.unsaved = 0
        if self.index_path is None or self.sidecar_path is None:
            return
        faiss = self._faiss_module()
        assert faiss is not None
        tmp = self.index_path.with_name(self.index_path.name + f".{os.getpid()}.tmp")
        faiss.write_index(state.index, str(tmp))
        os.replace(tmp, self.index_path)
        sidecar = {"format": SIDECAR_FORMAT, "store_id": _store_id(self._connect()),
                   "model": state.model, "dim": state.dim, "kind": state.kind.value,
                   "last_seq": state.last_seq, "ntotal": int(state.index.ntotal),
                   "hnsw_m": HNSW_M, "tombstones": sorted(state.tombstones)}
        tmp = self.sidecar_path.with_name(self.sidecar_path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(sidecar), encoding="utf-8")
        os.replace(tmp, self.sidecar_path)

    def _load(self, conn: sqlite3.Connection, model: str, dim: int, head: int) -> _Faiss | None:
        """The saved index if it fits this database, model and dimension; else None (rebuild)."""
        faiss = self._faiss_module()
        if faiss is None or self.index_path is None or self.sidecar_path is None:
            return None
        if not (self.index_path.is_file() and self.sidecar_path.is_file()):
            return None
        try:
            meta = json.loads(self.sidecar_path.read_text(encoding="utf-8"))
            expected = {"format": SIDECAR_FORMAT, "store_id": _store_id(conn), "model": model,
                        "dim": dim, "kind": self.options.kind.value}
            stale = [key for key, value in expected.items() if meta.get(key) != value]
            if int(meta["last_seq"]) > head:
                stale.append("last_seq")
            index = None if stale else faiss.read_index(str(self.index_path))
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
            log.warning("cannot read the vector index %s (%s); rebuilding it", self.index_path,
                        error)
            return None
        if index is not None and (index.ntotal != meta["ntotal"] or index.d != dim):
            stale.append("ntotal")
        if stale:
            log.info("the vector index %s does not match (%s); rebuilding it", self.index_path,
                     ", ".join(stale))
            return None
        return _Faiss(model, dim, int(meta["last_seq"]), self.options.kind, index,
                      {int(t) for t in meta["tombstones"]})

    def _status(self, state: _Exact | _Faiss | None, model: str, dim: int) -> IndexStatus:
        mode = SearchMode.FAISS if isinstance(state, _Faiss) else SearchMode.EXACT
        saved = self.index_path is not None and self.index_path.is_file()
        return IndexStatus(mode=mode, vectors=state.count if state else 0, model=model, dim=dim,
                           last_seq=state.last_seq if state else 0,
                           path=str(self.index_path) if saved else None)


@contextmanager
def _one_omp_thread(faiss: ModuleType) -> Iterator[None]:
    """Run one query on one OpenMP thread, then restore faiss's setting.

    A single query has nothing to split: on the 2-core test machine, under load,
    faiss's default thread team made a 0.4 ms HNSW query take 11 ms (spinning
    workers), and a 32-d flat query 15 ms instead of 0.05 ms.
    """
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(threads)


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction, so the log head and the rows read agree."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def _head(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM embedding_log").fetchone()[0])


def _store_id(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM store_info WHERE key = 'store_id'").fetchone()
    return str(row[0])


def _read_vectors(conn: sqlite3.Connection, model: str, dim: int,
                  only: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Rowids (ascending) and vectors of the rows embedded with ``model`` at ``dim``."""
    sql = ("SELECT rowid, embedding FROM articles WHERE embedding IS NOT NULL"
           " AND embedding_model = ? AND embedding_dim = ?")
    if only is None:
        found = conn.execute(sql + " ORDER BY rowid", (model, dim)).fetchall()
    else:
        found = []
        for start in range(0, len(only), _IN_CHUNK_ROWS):
            chunk = [int(r) for r in only[start:start + _IN_CHUNK_ROWS]]
            marks = ",".join("?" * len(chunk))
            found += conn.execute(f"{sql} AND rowid IN ({marks})", (model, dim, *chunk))
        found.sort(key=lambda row: row[0])
    good = [row for row in found if len(row[1]) == 4 * dim]
    if len(good) < len(found):
        bad = next(row[0] for row in found if len(row[1]) != 4 * dim)
        log.warning("%d embeddings (first: article rowid %d) are not %d float32 values;"
                    " they are left out of semantic search; re-embed those articles",
                    len(found) - len(good), bad, dim)
    rowids = np.fromiter((row[0] for row in good), dtype=np.int64, count=len(good))
    matrix = np.frombuffer(b"".join(row[1] for row in good), dtype="<f4")
    return rowids, matrix.reshape(len(good), dim).astype(np.float32)
