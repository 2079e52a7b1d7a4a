"""The PostgreSQL store: `PostgresDatabase`, the `Store` protocol on psycopg 3 and pgvector.

One connection per thread (autocommit; writes open their own transaction), as
the SQLite store keeps one reader per thread. There is no writer thread:
PostgreSQL serialises concurrent writers itself, and ``add_article`` takes a
transaction-level advisory lock so that two processes adding the same or a
near-duplicate article at once behave as SQLite's single writer does (the
second sees the first and links to it).

Every `Store` method is here. Entity resolution and story clustering
(`entities.catalog`, `stories.catalog`) write through `transaction`, in the SQL
both stores run (`db.shared_sql`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import psycopg
from psycopg.rows import dict_row

from ...encoder import MODEL_NAME
from ...errors import StorageError
from ...fingerprint import Fingerprint
from ...record import Article
from .. import rows
from ..database import NEAR_DUPLICATE_JACCARD, utc_now
from ..shared_sql import SqlConnection
from ..store import (
    AddOutcome,
    AddResult,
    IngestFailure,
    SearchFilters,
    SearchHit,
)
from ..store_queries import QueryModules, StoreQueries
from ..watchlists import TextMatch, WatchlistQueries
from . import (
    api_tokens,
    article_rows,
    entity_pages,
    quotes,
    search,
    story_extras,
    story_pages,
)
from .migrate import apply_migrations
from .schema import TEXT_SEARCH_CONFIG
from .shared_connection import SharedConnection

T = TypeVar("T")
Connection = psycopg.Connection[dict[str, Any]]
ADD_LOCK = 0x6261_6265_6C78  # serialises add_article across processes (see the module docstring)
TABLES_LOCK = 0x6261_6265_6C79
"""Serialises `transaction` across processes: resolution and clustering read state and write
what follows from it, as under SQLite's single writer (two ingests resolving at once would
otherwise both continue the same stored resolver state)."""
_TEXT_MATCH = TextMatch(
    sql=("SELECT rowid FROM articles"
         f" WHERE search_vector @@ to_tsquery('{TEXT_SEARCH_CONFIG}', ?)"),
    parameter=search.tsquery)
_SELECT_ARTICLE = f"SELECT rowid, {', '.join(rows.ARTICLE_COLUMNS)} FROM articles a"


class PostgresDatabase(StoreQueries):
    """PostgreSQL implementation of the `Store` protocol, opened from a ``postgresql://`` URL
    (the methods it shares with SQLite's are in `StoreQueries`)."""

    queries = QueryModules(entities=entity_pages, quotes=quotes,
                           watchlists=WatchlistQueries(_TEXT_MATCH, shared=SharedConnection),
                           tokens=api_tokens, stories=story_pages, front=story_pages,
                           extras=story_extras)

    def __init__(self, dsn: str, *,
                 near_duplicate_jaccard: float = NEAR_DUPLICATE_JACCARD) -> None:
        self.dsn = dsn
        self.path = None  # no file: nothing (a faiss index, a watch state) sits beside it
        self.near_duplicate_jaccard = near_duplicate_jaccard
        self._local = threading.local()
        self._connections: list[Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        apply_migrations(self._conn())

    # -- connections -----------------------------------------------------------------

    def _conn(self) -> Connection:
        if self._closed:
            raise StorageError("the database is closed; open a new PostgresDatabase to use it")
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = _connect(self.dsn)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def write(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn(conn)`` in one transaction on this thread's connection and return its result."""
        conn = self._conn()
        try:
            with conn.transaction():
                return fn(conn)
        except psycopg.Error as error:
            raise StorageError(f"database write failed: {error}") from error

    def transaction(self, fn: Callable[[SqlConnection], T]) -> T:
        """`write` for the SQL both stores run (`db.shared_sql`): entity and story tables."""
        def run(conn: Connection) -> T:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (TABLES_LOCK,))
            return fn(SharedConnection(conn))

        return self.write(run)

    def _reader(self) -> Connection:
        """This thread's connection, for the queries of `StoreQueries`."""
        return self._conn()

    def _read(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        try:
            return self._conn().execute(sql, params).fetchall()
        except psycopg.Error as error:
            raise StorageError(f"database read failed: {error}") from error

    def close(self) -> None:
        """Close every connection; later calls raise `StorageError`."""
        self._closed = True
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()

    def __enter__(self) -> PostgresDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes ----------------------------------------------------------------------

    def add_article(self, article: Article, fingerprint: Fingerprint | None = None, *,
                    source_key: str | None = None) -> AddResult:
        """Store ``article``, or link it to the stored exact or near duplicate; with
        ``source_key``, its input counts as ingested once this transaction commits."""
        digest = article.content_hash()

        def add(conn: Connection) -> AddResult:
            result = self._add(conn, article, digest, fingerprint)
            if source_key is not None:
                conn.execute("INSERT INTO ingested_sources (source_key, article_id, at)"
                             " VALUES (%s, %s, %s) ON CONFLICT (source_key) DO NOTHING",
                             (source_key, result.article_id, utc_now()))
            return result

        return self.write(add)

    def is_ingested(self, source_key: str) -> bool:
        """True if the input with this key was stored by an earlier ingest."""
        return bool(self._read("SELECT 1 FROM ingested_sources WHERE source_key = %s",
                               (source_key,)))

    def update_articles(self, articles: Sequence[Article], fields: Iterable[str]) -> int:
        """Write ``fields`` of these stored articles again, all in one transaction; rows changed."""
        names = rows.rewritable(fields)
        return self.write(lambda conn: sum(article_rows.update_fields(conn, a, names)
                                           for a in articles))

    def generation(self) -> int:
        """A number that changes whenever anyone commits to the store: the WAL insert position.

        It also moves for commits to other databases of the cluster and for
        maintenance: a cache keyed on it is invalidated more often than needed,
        never less.
        """
        found = self._read("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint AS lsn")
        return int(found[0]["lsn"])

    def _add(self, conn: Connection, article: Article, digest: str,
             fingerprint: Fingerprint | None) -> AddResult:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADD_LOCK,))
        row = conn.execute("SELECT id FROM articles WHERE content_hash = %s",
                           (digest,)).fetchone()
        if row is not None:
            if not article_rows.is_recorded_sighting(conn, row["id"], article, digest):
                article_rows.insert_alias(conn, row["id"], article, digest, "exact", 1.0)
            return AddResult(AddOutcome.DUPLICATE, row["id"])
        if fingerprint is not None:
            match = self._near_duplicate(conn, fingerprint)
            if match is not None:
                if not article_rows.is_recorded_sighting(conn, match[0], article, digest):
                    article_rows.insert_alias(conn, match[0], article, digest, "near", match[1])
                return AddResult(AddOutcome.NEAR_DUPLICATE, match[0], match[1])
        if conn.execute("SELECT 1 FROM articles WHERE id = %s", (article.id,)).fetchone():
            raise StorageError(
                f"article id {article.id!r} is already stored with different content;"
                " give the changed article its own id (or drop the id field to use a hash)")
        article_rows.insert_article(conn, article, digest, fingerprint)
        return AddResult(AddOutcome.INSERTED, article.id)

    def _near_duplicate(self, conn: Connection,
                        fingerprint: Fingerprint) -> tuple[str, float] | None:
        candidates = conn.execute(
            "SELECT DISTINCT a.rowid, a.id, a.minhash FROM minhash_bands b JOIN articles a"
            " ON a.id = b.article_id WHERE b.band_key = ANY(%s) ORDER BY a.rowid",
            (fingerprint.band_keys(),)).fetchall()
        best: tuple[str, float] | None = None
        for candidate in candidates:
            score = fingerprint.similarity(Fingerprint.from_bytes(bytes(candidate["minhash"])))
            if score >= self.near_duplicate_jaccard and (best is None or score > best[1]):
                best = (candidate["id"], score)
        return best

    def record_failure(self, failure: IngestFailure) -> None:
        """Keep an input that failed; the same failure of the same input replaces its older row
        (an ingest run again after a kill reads its failed inputs again)."""
        key = (failure.input_ref, failure.stage, failure.error, failure.message)

        def record(conn: Connection) -> None:
            conn.execute("DELETE FROM ingest_failures WHERE input_ref = %s AND stage = %s"
                         " AND error = %s AND message = %s", key)
            conn.execute("INSERT INTO ingest_failures (input_ref, stage, error, message, at)"
                         " VALUES (%s, %s, %s, %s, %s)", (*key, failure.at.isoformat()))

        self.write(record)

    # -- articles --------------------------------------------------------------------

    def get_article(self, article_id: str) -> Article | None:
        """The article with this id, or None if there is none."""
        found = self._read(f"{_SELECT_ARTICLE} WHERE id = %s", (article_id,))
        return rows.article_from_row(_bytes(found[0])) if found else None

    def list_articles(self, *, limit: int = 50, offset: int = 0,
                      lang: str | None = None) -> list[Article]:
        """Articles, newest ingested first, optionally of one language."""
        where, params = ("WHERE lang = %s", [lang]) if lang else ("", [])
        found = self._read(f"{_SELECT_ARTICLE} {where} ORDER BY rowid DESC LIMIT %s OFFSET %s",
                           [*params, limit, offset])
        return [rows.article_from_row(_bytes(row)) for row in found]

    def iter_articles(self) -> Iterator[Article]:
        """Every article in ingestion order, read in pages so memory stays flat."""
        last = 0
        while page := self._read(f"{_SELECT_ARTICLE} WHERE rowid > %s ORDER BY rowid LIMIT 500",
                                 (last,)):
            for row in page:
                yield rows.article_from_row(_bytes(row))
            last = page[-1]["rowid"]

    def search(self, query: str, *, limit: int = 20, offset: int = 0,
               filters: SearchFilters | None = None) -> list[SearchHit]:
        """Full-text search over titles and bodies, best first, with a snippet."""
        try:
            return search.text_search(self._conn(), query, limit=limit, offset=offset,
                                      filters=filters)
        except psycopg.Error as error:
            raise StorageError(f"cannot search for {query!r}: {error}") from error

    def semantic_search(self, vector: list[float], *, limit: int = 20, model: str = MODEL_NAME,
                        offset: int = 0, filters: SearchFilters | None = None
                        ) -> list[SearchHit]:
        """Articles whose ``model`` embedding is closest (inner product) to ``vector``."""
        try:
            return search.semantic_search(self._conn(), vector, model=model, limit=limit,
                                          offset=offset, filters=filters)
        except psycopg.Error as error:
            raise StorageError(f"semantic search failed: {error}") from error

    def aliases(self, article_id: str) -> list[dict[str, Any]]:
        """Other sightings of this article: exact and near duplicates, with provenance."""
        return self._read(
            "SELECT article_id, relation, similarity, content_hash, url, source, input_ref,"
            " title, fetched_at, published_at, seen_at FROM article_aliases"
            " WHERE article_id = %s ORDER BY seen_at, id", (article_id,))

    def failures(self, *, limit: int = 100) -> list[IngestFailure]:
        """Recorded ingest failures, newest first."""
        found = self._read("SELECT * FROM ingest_failures ORDER BY id DESC LIMIT %s", (limit,))
        return [rows.failure_from_row(row) for row in found]

    def latest_day(self) -> str | None:
        """The newest day an article counts on (published, else ingested), or None if empty."""
        found = self._read("SELECT max(substr(coalesce(published_at, ingested_at), 1, 10))"
                           " AS day FROM articles")
        return found[0]["day"] if found else None

    def languages(self) -> list[str]:
        """The languages of stored articles, sorted as SQLite sorts text (by code point)."""
        return [row["lang"] for row in self._read(
            'SELECT lang FROM articles GROUP BY lang ORDER BY lang COLLATE "C"')]

    def has_stories(self) -> bool:
        """True once any story is stored."""
        return bool(self._read("SELECT 1 FROM stories LIMIT 1"))

    def stats(self) -> dict[str, Any]:
        """Counts of articles by language and kind, duplicates and failures."""

        def count(sql: str) -> int:
            return int(self._read(sql)[0]["n"])

        by_language = self._read('SELECT lang, count(*) AS n FROM articles GROUP BY lang'
                                 ' ORDER BY count(*) DESC, lang COLLATE "C"')
        by_kind = self._read('SELECT kind, count(*) AS n FROM articles GROUP BY kind'
                             ' ORDER BY kind COLLATE "C"')
        return {
            "articles": count("SELECT count(*) AS n FROM articles"),
            "by_language": {row["lang"]: row["n"] for row in by_language},
            "by_kind": {row["kind"]: row["n"] for row in by_kind},
            "exact_duplicates": count(
                "SELECT count(*) AS n FROM article_aliases WHERE relation = 'exact'"),
            "near_duplicates": count(
                "SELECT count(*) AS n FROM article_aliases WHERE relation = 'near'"),
            "failures": count("SELECT count(*) AS n FROM ingest_failures"),
        }

    # -- entities, quotes, watchlists, tokens -----------------------------------------

    # -- stories -----------------------------------------------------------------------

def _connect(dsn: str) -> Connection:
    try:
        return psycopg.connect(dsn, autocommit=True, row_factory=dict_row)
    except psycopg.Error as error:
        raise StorageError(f"cannot connect to PostgreSQL at {_redacted(dsn)!r}: {error};"
                           " check the URL, that the server runs and accepts this user")from error


def _redacted(dsn: str) -> str:
    """The DSN without a password, for error messages."""
    head, at, tail = dsn.rpartition("@")
    if not at:
        return dsn
    scheme, _, credentials = head.partition("://")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{tail}"


def _bytes(row: dict[str, Any]) -> dict[str, Any]:
    """psycopg gives BYTEA as bytes already; kept explicit so rows.article_from_row sees bytes."""
    for key in ("minhash", "embedding"):
        value = row.get(key)
        if value is not None and not isinstance(value, bytes):
            row[key] = bytes(value)
    return row
