"""SQL of the clusterer's state: stories, their members, decisions and the stream statistics.

Everything goes through the store's ``transaction`` (SQLite's writer thread), in
the SQL both stores run (`db.shared_sql`), each call one transaction: a crash
between clustering and saving loses nothing, since articles without a
``story_id`` are clustered by the next run. The read-only queries of story pages
are in `story_pages`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..record import Article
from . import rows as article_rows
from .database import utc_now
from .shared_sql import SqlConnection, TableStore

_CHUNK = 500
_STORY_COLUMNS = ("id", "label", "thread_id", "size", "first_day", "last_day", "languages",
                  "headlines", "top_entities", "keys", "centroid", "member_vectors",
                  "member_langs", "updated_at")


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A story row as the clusterer needs it back (the state columns, decoded)."""

    id: str
    thread_id: str
    size: int
    first_day: float | None
    last_day: float | None
    languages: dict[str, int]
    headlines: dict[str, str]
    keys: dict[str, int]
    centroid: np.ndarray
    member_vectors: list[np.ndarray]
    member_langs: list[str]


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story to write: its state and what its pages show."""

    id: str
    label: str
    thread_id: str
    size: int
    first_day: float | None
    last_day: float | None
    languages: dict[str, int]
    headlines: dict[str, str]
    top_entities: list[str]
    keys: dict[str, int]
    centroid: np.ndarray
    member_vectors: Sequence[np.ndarray]
    member_langs: Sequence[str]


def unclustered_articles(db: TableStore, *, limit: int | None = None) -> list[Article]:
    """Embedded articles without a story, oldest first (published, else fetched, else stored)."""
    sql = ("SELECT * FROM articles WHERE story_id IS NULL AND embedding IS NOT NULL"
           " ORDER BY coalesce(published_at, fetched_at, ingested_at) COLLATE BINARY, rowid")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return db.transaction(lambda conn: [article_rows.article_from_row(r)
                                  for r in conn.execute(sql).fetchall()])


def counted_flags(db: TableStore, article_ids: Sequence[str]) -> set[str]:
    """The articles among ``article_ids`` already counted in the stream statistics."""
    def run(conn: SqlConnection) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(article_ids):
            marks = ",".join("?" * len(chunk))
            found |= {r[0] for r in conn.execute(
                f"SELECT id FROM articles WHERE story_counted = 1 AND id IN ({marks})", chunk)}
        return found

    return db.transaction(run)


def read_key_stats(db: TableStore, keys: Iterable[str]) -> tuple[int, dict[str, int]]:
    """(articles counted, document frequency of each of ``keys`` that has one)."""
    wanted = sorted(set(keys))

    def run(conn: SqlConnection) -> tuple[int, dict[str, int]]:
        documents = conn.execute(
            "SELECT count(*) FROM articles WHERE story_counted = 1").fetchone()[0]
        frequency: dict[str, int] = {}
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            frequency.update(conn.execute(
                f"SELECT key, df FROM story_key_stats WHERE key IN ({marks})", chunk).fetchall())
        return int(documents), frequency

    return db.transaction(run)


def read_language_stats(db: TableStore) -> dict[str, tuple[int, np.ndarray]]:
    """Language → (articles counted, sum of their vectors)."""
    found = db.transaction(lambda conn: conn.execute(
        "SELECT lang, n, vector_sum FROM story_language_stats").fetchall())
    return {r["lang"]: (int(r["n"]), np.frombuffer(r["vector_sum"], dtype="<f8").copy())
            for r in found}


def stories_in_range(db: TableStore, first_day: float, last_day: float) -> list[StoredStory]:
    """Stories whose span ends at or after ``first_day`` and starts at or before ``last_day``."""
    found = db.transaction(lambda conn: conn.execute(
        "SELECT * FROM stories WHERE last_day >= ? AND first_day <= ? ORDER BY first_day,"
        " id COLLATE BINARY",
        (first_day, last_day)).fetchall())
    return [_stored(r) for r in found]


def members_of(db: TableStore, story_ids: Sequence[str]) -> dict[str, str]:
    """Article id → story id for the members of ``story_ids``."""
    return _article_stories(db, "story_id", story_ids)


def story_of_articles(db: TableStore, article_ids: Sequence[str]) -> dict[str, str]:
    """Article id → its story id, for those of ``article_ids`` that have one."""
    return _article_stories(db, "id", article_ids)


def _article_stories(db: TableStore, column: str, values: Sequence[str]) -> dict[str, str]:
    """Article id → story id of the articles whose ``column`` is one of ``values``."""
    def run(conn: SqlConnection) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in _chunks(values):
            marks = ",".join("?" * len(chunk))
            out.update(conn.execute(
                f"SELECT id, story_id FROM articles WHERE story_id IS NOT NULL AND {column} IN"
                f" ({marks})", chunk).fetchall())
        return out

    return db.transaction(run)


@dataclass(frozen=True, slots=True)
class ClusteringResult:
    """What one clustering run writes: stories, each article's story, and the new statistics."""

    stories: Sequence[StoryRow]
    assignments: dict[str, str]
    counted: Sequence[str]
    key_counts: Counter[str]
    language_sums: dict[str, tuple[int, np.ndarray]]


def save_clustering(db: TableStore, result: ClusteringResult) -> None:
    """Write a run's stories, article stories and statistics in one transaction."""
    def run(conn: SqlConnection) -> None:
        now = utc_now()
        conn.executemany(
            f"INSERT INTO stories ({', '.join(_STORY_COLUMNS)}) VALUES"
            f" ({', '.join('?' * len(_STORY_COLUMNS))}) ON CONFLICT(id) DO UPDATE SET"
            f" {', '.join(f'{c} = excluded.{c}' for c in _STORY_COLUMNS[1:])}",
            [_story_values(s, now) for s in result.stories])
        conn.executemany("UPDATE articles SET story_id = ? WHERE id = ?",
                         [(story, article) for article, story in result.assignments.items()])
        conn.executemany("UPDATE articles SET story_counted = 1 WHERE id = ?",
                         [(a,) for a in result.counted])
        conn.executemany(
            "INSERT INTO story_key_stats (key, df) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET df = story_key_stats.df + excluded.df",
            sorted(result.key_counts.items()))
        for lang, (n, total) in sorted(result.language_sums.items()):
            _add_language(conn, lang, n, total)

    db.transaction(run)


def dissolve_stories(db: TableStore, story_ids: Sequence[str]) -> int:
    """Delete stories and free their members for re-clustering; return the members freed."""
    def run(conn: SqlConnection) -> int:
        freed = 0
        for chunk in _chunks(story_ids):
            marks = ",".join("?" * len(chunk))
            freed += conn.execute(f"UPDATE articles SET story_id = NULL WHERE story_id IN"
                                  f" ({marks})", chunk).rowcount
            conn.execute(f"DELETE FROM stories WHERE id IN ({marks})", chunk)
        return freed

    return db.transaction(run)


def stories_with_articles_between(db: TableStore, first_day: float, last_day: float) -> list[str]:
    """Ids of stories holding an article dated (or, undated, stored) within the day range.

    Days count from the Unix epoch (julian day 2440587.5), as `stories.features.day_of`.
    """
    def run(conn: SqlConnection) -> list[str]:
        found = conn.execute(
            "SELECT DISTINCT story_id FROM articles WHERE story_id IS NOT NULL AND"
            f" {_epoch_day(conn, 'coalesce(published_at, fetched_at, ingested_at)')}"
            " BETWEEN ? AND ?", (first_day, last_day)).fetchall()
        return sorted(r[0] for r in found)

    return db.transaction(run)


def _epoch_day(conn: SqlConnection, time_sql: str) -> str:
    """SQL of the days since the Unix epoch of the ISO 8601 text ``time_sql`` (naive: UTC).

    The one date function the shared dialect cannot spell once: SQLite has
    ``julianday``, PostgreSQL a ``timestamptz`` cast (under a UTC session, so a
    naive time reads as UTC, as ``julianday`` reads it).
    """
    if isinstance(conn, sqlite3.Connection):
        return f"(julianday({time_sql}) - 2440587.5)"
    conn.execute("SET LOCAL TIME ZONE 'UTC'")
    return f"(extract(epoch FROM ({time_sql})::timestamptz) / 86400.0)"


def add_decision(db: TableStore, kind: str, moved: Sequence[str], kept: Sequence[str]) -> None:
    """Store a user's merge or split."""
    db.transaction(lambda conn: conn.execute(
        "INSERT INTO story_decisions (kind, moved, kept, made_at) VALUES (?, ?, ?, ?)",
        (kind, json.dumps(list(moved)), json.dumps(list(kept)), utc_now())))


def read_decisions(db: TableStore) -> list[tuple[str, list[str], list[str], str]]:
    """Every decision, oldest first, as (kind, moved, kept, made_at)."""
    found = db.transaction(lambda conn: conn.execute(
        "SELECT kind, moved, kept, made_at FROM story_decisions ORDER BY id").fetchall())
    return [(r["kind"], json.loads(r["moved"]), json.loads(r["kept"]), r["made_at"])
            for r in found]


def _add_language(conn: SqlConnection, lang: str, n: int, total: np.ndarray) -> None:
    row = conn.execute("SELECT n, vector_sum FROM story_language_stats WHERE lang = ?",
                       (lang,)).fetchone()
    if row is not None:
        n += int(row["n"])
        total = total + np.frombuffer(row["vector_sum"], dtype="<f8")
    conn.execute("INSERT INTO story_language_stats (lang, n, vector_sum) VALUES (?, ?, ?)"
                 " ON CONFLICT(lang) DO UPDATE SET n = excluded.n,"
                 " vector_sum = excluded.vector_sum",
                 (lang, n, np.asarray(total, dtype="<f8").tobytes()))


def _story_values(story: StoryRow, now: str) -> tuple[object, ...]:
    vectors = np.asarray(story.member_vectors, dtype="<f4").reshape(len(story.member_vectors),
                                                                    -1)
    return (story.id, story.label, story.thread_id, story.size, story.first_day, story.last_day,
            json.dumps(story.languages, ensure_ascii=False),
            json.dumps(story.headlines, ensure_ascii=False),
            json.dumps(story.top_entities, ensure_ascii=False),
            json.dumps(story.keys, ensure_ascii=False),
            np.asarray(story.centroid, dtype="<f4").tobytes(), vectors.tobytes(),
            json.dumps(list(story.member_langs)), now)


def _stored(row: Any) -> StoredStory:
    centroid = np.frombuffer(row["centroid"], dtype="<f4").copy()
    flat = np.frombuffer(row["member_vectors"], dtype="<f4")
    vectors = [v.copy() for v in flat.reshape(-1, len(centroid))] if len(centroid) else []
    return StoredStory(id=row["id"], thread_id=row["thread_id"], size=int(row["size"]),
                       first_day=row["first_day"], last_day=row["last_day"],
                       languages=json.loads(row["languages"]),
                       headlines=json.loads(row["headlines"]), keys=json.loads(row["keys"]),
                       centroid=centroid, member_vectors=vectors,
                       member_langs=json.loads(row["member_langs"]))


def _chunks(items: Sequence[str]) -> Iterator[list[str]]:
    items = list(items)
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]
