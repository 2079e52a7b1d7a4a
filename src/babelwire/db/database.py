"""The SQLite store: one writer thread, many readers, WAL.

All writes go through one thread that owns the only writing connection, so
``ingest`` and ``serve`` can share one file without "database is locked"
errors; readers get a connection per thread. ``Database(memory=True)`` gives a
private shared-cache in-memory database for tests.
"""

from __future__ import annotations

import itertools
import queue
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..encoder import MODEL_NAME
from ..errors import StorageError
from ..fingerprint import Fingerprint
from ..record import Article
from . import (
    api_tokens,
    article_search,
    entity_pages,
    quote_search,
    rows,
    story_pages,
    story_views,
)
from .migrations import apply_migrations
from .store import (
    AddOutcome,
    AddResult,
    IngestFailure,
    SearchFilters,
    SearchHit,
)
from .store_queries import QueryModules, StoreQueries, utc_now
from .vector_index import IndexStatus, VectorIndex, VectorIndexOptions
from .watchlists import TextMatch, WatchlistQueries

__all__ = ["NEAR_DUPLICATE_JACCARD", "Database", "utc_now"]

T = TypeVar("T")
NEAR_DUPLICATE_JACCARD = 0.8
SEMANTIC_FILTER_LIMIT = 4096
"""Most neighbours a filtered semantic search reads from the index before it gives up."""
_memory_counter = itertools.count()
_FTS_MATCH = TextMatch(sql="SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                       parameter=rows.fts_match)


class Database(StoreQueries):
    """SQLite implementation of the `Store` protocol (the methods it shares with PostgreSQL's
    are in `StoreQueries`)."""

    queries = QueryModules(entities=entity_pages, quotes=quote_search,
                           watchlists=WatchlistQueries(_FTS_MATCH, shared=lambda conn: conn),
                           tokens=api_tokens, stories=story_pages, front=story_views,
                           extras=story_views)

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        memory: bool = False,
        near_duplicate_jaccard: float = NEAR_DUPLICATE_JACCARD,
        vector_index: VectorIndexOptions | None = None,
    ) -> None:
        if memory == (path is not None):
            raise StorageError("give Database either a path or memory=True, not both or neither")
        if memory:
            name = f"babelwire-{uuid.uuid4().hex}-{next(_memory_counter)}"
            self._uri = f"file:{name}?mode=memory&cache=shared"
        else:
            self._uri = Path(path).resolve().as_uri() if path is not None else ""
        self.path = None if memory else Path(str(path))
        self.near_duplicate_jaccard = near_duplicate_jaccard
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._writer = _Writer(self._connect)
        self._keepalive = self._connect()  # keeps a memory database alive while open
        self._keepalive_lock = threading.Lock()
        self._writer.call(apply_migrations)
        self.vectors = VectorIndex(self.path, self._reader, vector_index)

    # -- connections -----------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self._uri, uri=True, isolation_level=None, check_same_thread=False, timeout=30
            )
        except sqlite3.Error as error:
            raise StorageError(
                f"cannot open database {self._uri!r}: {error}; check the path and permissions"
            ) from error
        conn.row_factory = sqlite3.Row
        if self.path is not None:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _reader(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    def generation(self) -> int:
        """A number that changes whenever any connection (this process's writer, another
        process) commits to the store: pages cached for one generation stay valid while
        it lasts.

        It is ``PRAGMA data_version`` of the keep-alive connection, which never writes:
        SQLite changes it for commits by every other connection, and the value is only
        comparable on one connection, hence the one connection and its lock.
        """
        with self._keepalive_lock:
            return int(self._keepalive.execute("PRAGMA data_version").fetchone()[0])

    def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(conn)`` in one transaction on the writer thread and return its result."""
        return self._writer.call(_in_transaction(fn))

    def transaction(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """`write` for the SQL both stores run (`db.shared_sql`): SQLite runs it as it is."""
        return self.write(fn)

    def close(self) -> None:
        """Stop the writer and close every connection."""
        self._writer.stop()
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        self._keepalive.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes ----------------------------------------------------------------------

    def add_article(self, article: Article, fingerprint: Fingerprint | None = None, *,
                    source_key: str | None = None) -> AddResult:
        """Store ``article``, or link it to the stored exact or near duplicate.

        With ``source_key``, the input it came from counts as ingested (`is_ingested`)
        once this transaction commits.
        """
        digest = article.content_hash()

        def add(conn: sqlite3.Connection) -> AddResult:
            result = self._add(conn, article, digest, fingerprint)
            if source_key is not None:
                rows.mark_ingested(conn, source_key, result.article_id)
            return result

        return self.write(add)

    def is_ingested(self, source_key: str) -> bool:
        """True if the input with this key was stored by an earlier ingest."""
        return self._reader().execute("SELECT 1 FROM ingested_sources WHERE source_key = ?",
                                      (source_key,)).fetchone() is not None

    def update_articles(self, articles: Sequence[Article], fields: Iterable[str]) -> int:
        """Write ``fields`` of these stored articles again, all in one transaction; rows changed.

        For stages run again over stored articles (`babelwire.processing`): one
        transaction per batch, so a killed run leaves each batch wholly old or new.
        """
        names = rows.rewritable(fields)
        return self.write(
            lambda conn: sum(rows.update_stage_fields(conn, a, names) for a in articles))

    def _add(
        self,
        conn: sqlite3.Connection,
        article: Article,
        digest: str,
        fingerprint: Fingerprint | None,
    ) -> AddResult:
        row = conn.execute("SELECT id FROM articles WHERE content_hash = ?", (digest,)).fetchone()
        if row is not None:
            if not rows.is_recorded_sighting(conn, row["id"], article, digest):
                rows.insert_alias(conn, row["id"], article, digest, "exact", 1.0)
            return AddResult(AddOutcome.DUPLICATE, row["id"])
        if fingerprint is not None:
            match = self._near_duplicate(conn, fingerprint)
            if match is not None:
                if not rows.is_recorded_sighting(conn, match[0], article, digest):
                    rows.insert_alias(conn, match[0], article, digest, "near", match[1])
                return AddResult(AddOutcome.NEAR_DUPLICATE, match[0], match[1])
        taken = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone()
        if taken is not None:
            raise StorageError(
                f"article id {article.id!r} is already stored with different content;"
                " give the changed article its own id (or drop the id field to use a hash)")
        rows.insert_article(conn, article, digest, fingerprint)
        rows.insert_mentions(conn, article)
        return AddResult(AddOutcome.INSERTED, article.id)

    def _near_duplicate(
        self, conn: sqlite3.Connection, fingerprint: Fingerprint
    ) -> tuple[str, float] | None:
        keys = fingerprint.band_keys()
        marks = ",".join("?" * len(keys))
        candidates = conn.execute(
            f"SELECT DISTINCT a.id, a.minhash FROM minhash_bands b JOIN articles a"
            f" ON a.id = b.article_id WHERE b.band_key IN ({marks})",
            keys,
        ).fetchall()
        best: tuple[str, float] | None = None
        for candidate in candidates:
            score = fingerprint.similarity(Fingerprint.from_bytes(candidate["minhash"]))
            if score >= self.near_duplicate_jaccard and (best is None or score > best[1]):
                best = (candidate["id"], score)
        return best

    def record_failure(self, failure: IngestFailure) -> None:
        """Keep an input that failed, with the stage and the exact message."""
        self.write(lambda conn: rows.insert_failure(conn, failure))

    # -- reads -----------------------------------------------------------------------

    def get_article(self, article_id: str) -> Article | None:
        """The article with this id, or None if there is none."""
        sql = "SELECT * FROM articles WHERE id = ?"
        row = self._reader().execute(sql, (article_id,)).fetchone()
        return None if row is None else rows.article_from_row(row)

    def list_articles(
        self, *, limit: int = 50, offset: int = 0, lang: str | None = None
    ) -> list[Article]:
        """Articles, newest ingested first, optionally of one language."""
        where, params = ("WHERE lang = ?", [lang]) if lang else ("", [])
        result = self._reader().execute(
            f"SELECT * FROM articles {where} ORDER BY rowid DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [rows.article_from_row(row) for row in result]

    def iter_articles(self) -> Iterator[Article]:
        """Every article in ingestion order, read in pages so memory stays flat."""
        last = 0
        while True:
            page = self._reader().execute(
                "SELECT * FROM articles WHERE rowid > ? ORDER BY rowid LIMIT 500", (last,)
            ).fetchall()
            if not page:
                return
            for row in page:
                yield rows.article_from_row(row)
            last = page[-1]["rowid"]

    def search(self, query: str, *, limit: int = 20, offset: int = 0,
               filters: SearchFilters | None = None) -> list[SearchHit]:
        """Full-text search over titles and bodies, best first, with a snippet."""
        try:
            return article_search.text_search(self._reader(), rows.fts_query(query), limit=limit,
                                              offset=offset, filters=filters)
        except sqlite3.OperationalError as error:
            raise StorageError(f"cannot search for {query!r}: {error}") from error

    def semantic_search(
        self, vector: list[float], *, limit: int = 20, model: str = MODEL_NAME, offset: int = 0,
        filters: SearchFilters | None = None,
    ) -> list[SearchHit]:
        """Articles whose ``model`` embedding is closest (cosine) to ``vector``, best first.

        An exact scan below ``index.exact_below`` embeddings, the faiss file beside
        the database above it; either is first brought up to date with new,
        re-embedded and deleted articles (see `VectorIndex`). With ``filters`` the
        index is asked for more neighbours (doubling, up to `SEMANTIC_FILTER_LIMIT`)
        until enough of them pass; past that limit a rare filter returns fewer hits.
        """
        query = np.asarray(vector, dtype=np.float32)
        wanted = offset + limit
        asked = wanted if filters is None else max(4 * wanted, 64)
        while True:
            found = self.vectors.search(query, model=model, limit=asked)
            hits = article_search.neighbour_hits(self._reader(), found, filters)
            if len(hits) >= wanted or len(found) < asked or asked >= SEMANTIC_FILTER_LIMIT:
                return hits[offset:wanted]
            asked = min(2 * asked, SEMANTIC_FILTER_LIMIT)

    def rebuild_vector_index(self, *, model: str = MODEL_NAME) -> IndexStatus:
        """Rebuild the faiss file beside the database from every stored ``model`` embedding."""
        row = self._reader().execute(
            "SELECT embedding_dim FROM articles WHERE embedding_model = ? LIMIT 1",
            (model,)).fetchone()
        if row is None:
            raise StorageError(f"no article has a {model!r} embedding, so there is nothing to"
                               " index; ingest with the embed.e5.v1 stage first")
        return self.vectors.rebuild(model=model, dim=int(row[0]))

    def aliases(self, article_id: str) -> list[dict[str, Any]]:
        """Other sightings of this article: exact and near duplicates, with provenance."""
        result = self._reader().execute(
            "SELECT * FROM article_aliases WHERE article_id = ? ORDER BY seen_at", (article_id,)
        )
        return [dict(row) for row in result]

    def failures(self, *, limit: int = 100) -> list[IngestFailure]:
        """Recorded ingest failures, newest first."""
        result = self._reader().execute(
            "SELECT * FROM ingest_failures ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [rows.failure_from_row(row) for row in result]

    def has_stories(self) -> bool:
        """True once any story is stored."""
        return self._reader().execute("SELECT 1 FROM stories LIMIT 1").fetchone() is not None

    def latest_day(self) -> str | None:
        """The newest day an article counts on, read from the front page's day index."""
        return story_views.latest_day(self._reader())

    def languages(self) -> list[str]:
        """The languages of stored articles, sorted: one seek on ``articles_lang`` per language.

        Why not ``stats()["by_language"]``: counting reads the whole index (60 ms at 100k
        articles, linear beyond), which a search form's language list does not need.
        """
        return [row[0] for row in self._reader().execute(
            "WITH RECURSIVE langs(lang) AS (SELECT min(lang) FROM articles UNION ALL"
            " SELECT (SELECT min(lang) FROM articles WHERE lang > langs.lang) FROM langs"
            " WHERE langs.lang IS NOT NULL) SELECT lang FROM langs WHERE lang IS NOT NULL")]

    def stats(self) -> dict[str, Any]:
        """Counts of articles by language and kind, duplicates and failures."""
        conn = self._reader()

        def count(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        return {
            "articles": count("SELECT count(*) FROM articles"),
            "by_language": dict(
                conn.execute(
                    "SELECT lang, count(*) FROM articles GROUP BY lang ORDER BY count(*) DESC, lang"
                ).fetchall()
            ),
            "by_kind": dict(conn.execute("SELECT kind, count(*) FROM articles GROUP BY kind")),
            "exact_duplicates": count(
                "SELECT count(*) FROM article_aliases WHERE relation = 'exact'"
            ),
            "near_duplicates": count(
                "SELECT count(*) FROM article_aliases WHERE relation = 'near'"
            ),
            "failures": count("SELECT count(*) FROM ingest_failures"),
        }


def _in_transaction(fn: Callable[[sqlite3.Connection], T]) -> Callable[[sqlite3.Connection], T]:
    def run(conn: sqlite3.Connection) -> T:
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    return run


class _Writer:
    """A thread that owns the writing connection and runs submitted functions in order."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]) -> None:
        self._jobs: queue.Queue[tuple[Callable[[sqlite3.Connection], Any], Future[Any]] | None]
        self._jobs = queue.Queue()
        self._ready: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._run, args=(connect,), name="babelwire-db-writer", daemon=True
        )
        self._thread.start()
        self._ready.result()

    def _run(self, connect: Callable[[], sqlite3.Connection]) -> None:
        try:
            conn = connect()
        except BaseException as error:  # handed to the constructor, which re-raises
            self._ready.set_exception(error)
            return
        self._ready.set_result(None)
        while (job := self._jobs.get()) is not None:
            fn, future = job
            try:
                future.set_result(fn(conn))
            except BaseException as error:  # handed to the caller, which re-raises
                future.set_exception(error)
        conn.close()

    def call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if not self._thread.is_alive():
            raise StorageError("the database is closed; open a new Database to write")
        future: Future[T] = Future()
        self._jobs.put((fn, future))
        try:
            return future.result()
        except sqlite3.Error as error:
            raise StorageError(f"database write failed: {error}") from error

    def stop(self) -> None:
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()


