"""SQL behind entity pages and the entity list: read-only queries over the resolved mentions.

Why on a reader connection (unlike `entity_tables`, which reads through the
writer): pages are served while ``ingest`` writes, and WAL readers see every
committed resolution without queueing behind the writer. Counts come from the
tables of migration ``014_entity_day_counts`` (`db.entity_counts`), kept by
triggers, so a page reads the entity's few hundred count rows instead of
grouping its mentions (the hottest entity of a 1M-article store has 240,742);
the answers are those of the GROUP BYs they replace (tests/db/test_entity_counts.py).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from .count_bounds import top_by_count
from .store import ArticleRef, CoEntity, EntityPage, EntitySummary, EntityVariant, MentionCount

ARTICLE_DAY = "substr(coalesce(a.published_at, a.ingested_at), 1, 10)"
"""The calendar day an article counts on: as the source dated it (its own time zone),
else the day it was ingested. ``substr`` and not ``date()``: date() would move an
article published at 00:30+02:00 to the previous (UTC) day."""

DAY_INDEX = "substr(coalesce(published_at, ingested_at), 1, 10)"
"""`ARTICLE_DAY` without the table alias, as ``articles_day_story`` is declared (SQLite
uses an expression index only for the same expression)."""

_ENTITY_ARTICLES = ("SELECT article_id, count(*) AS mentions FROM entity_mentions"
                    " WHERE entity_id = ? GROUP BY article_id")


def list_entities(conn: sqlite3.Connection, *, limit: int, offset: int = 0,
                  query: str | None = None, type: str | None = None) -> list[EntitySummary]:
    """Entities, most mentioned first (ties by id); ``query`` is a substring of any variant."""
    where, params = [], []
    if query:
        where.append("e.id IN (SELECT entity_id FROM entity_variants WHERE name LIKE ?)")
        params.append(f"%{query}%")
    if type:
        where.append("e.type = ?")
        params.append(type)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = conn.execute(f"SELECT e.id, e.name, e.type, e.mentions FROM entities e {clause}"
                        " ORDER BY e.mentions DESC, e.id LIMIT ? OFFSET ?",
                        [*params, limit, offset])
    return [EntitySummary(r["id"], r["name"], r["type"], r["mentions"]) for r in rows]


def entity_page(conn: sqlite3.Connection, entity_id: str, *, related: int,
                newest: int) -> EntityPage | None:
    """Everything an entity page shows, or None if ``entity_id`` is not a stored entity."""
    row = conn.execute("SELECT id, name, type, mentions FROM entities WHERE id = ?",
                       (entity_id,)).fetchone()
    if row is None:
        return None
    languages = _languages(conn, entity_id)
    return EntityPage(
        id=row["id"], name=row["name"], type=row["type"], mentions=row["mentions"],
        articles=_article_count(conn, entity_id), variants=_variants(conn, entity_id),
        timeline=_timeline(conn, entity_id), languages=languages,
        co_occurring=_co_occurring(conn, entity_id, related),
        newest=_newest(conn, entity_id, newest))


def _variants(conn: sqlite3.Connection, entity_id: str) -> list[EntityVariant]:
    rows = conn.execute("SELECT name, lang, count FROM entity_variants WHERE entity_id = ?"
                        " ORDER BY count DESC, name, lang", (entity_id,))
    return [EntityVariant(r["name"], r["lang"], r["count"]) for r in rows]


def _article_count(conn: sqlite3.Connection, entity_id: str) -> int:
    row = conn.execute("SELECT articles FROM entity_article_counts WHERE entity_id = ?",
                       (entity_id,)).fetchone()
    return 0 if row is None else int(row[0])


def _languages(conn: sqlite3.Connection, entity_id: str) -> list[MentionCount]:
    rows = conn.execute("SELECT lang, mentions, articles FROM entity_langs WHERE entity_id = ?"
                        " ORDER BY mentions DESC, lang", (entity_id,))
    return [MentionCount(r["lang"], r["mentions"], r["articles"]) for r in rows]


def _timeline(conn: sqlite3.Connection, entity_id: str) -> list[MentionCount]:
    rows = conn.execute("SELECT day, mentions, articles FROM entity_days WHERE entity_id = ?"
                        " ORDER BY day", (entity_id,))
    return [MentionCount(r["day"], r["mentions"], r["articles"]) for r in rows]


def _co_occurring(conn: sqlite3.Connection, entity_id: str, limit: int) -> list[CoEntity]:
    """The entities in most of this entity's articles (ties: more mentioned, then id).

    From ``entity_pairs``: only the pairs sharing at least as many articles as the
    ``limit``-th one are joined to ``entities`` (the hottest entity has a pair with
    most entities). A pair whose other entity is not stored drops out of the join;
    if that leaves fewer than ``limit``, every pair is joined, as before.
    """
    if limit <= 0:
        return []
    sql = ("SELECT e.id, e.name, e.type, p.shared FROM entity_pairs p"
           " JOIN entities e ON e.id = p.other_id WHERE p.entity_id = ?{bound}"
           " ORDER BY p.shared DESC, e.mentions DESC, e.id LIMIT ?")
    rows = top_by_count(conn, sql, count_table="entity_pairs", count_column="shared",
                        bounded="p.shared", entity_id=entity_id, limit=limit)
    return [CoEntity(r["id"], r["name"], r["type"], r["shared"]) for r in rows]


def _newest(conn: sqlite3.Connection, entity_id: str, limit: int) -> list[ArticleRef]:
    """The entity's newest articles (ties: the later stored first).

    A hot entity's newest articles are all on its last few days: `newest_days_from`
    finds the first of those days from ``entity_days``, and the articles of those
    days are read through the day index (``articles_day_story``), each checked for
    a mention. That reads every article of those days, so it is used only when it
    is the smaller read: an entity in A of T articles has ``limit`` of them in
    about ``limit * T / A`` articles, against A for reading all of its own.
    """
    since = newest_days_from(conn, entity_id, limit)
    if since is not None:
        articles = _article_count(conn, entity_id)
        stored = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0
        if articles * articles > limit * stored:
            return _newest_since(conn, entity_id, since, limit)
    rows = conn.execute(
        f"SELECT a.id, a.title, a.lang, {ARTICLE_DAY} AS day"
        f" FROM ({_ENTITY_ARTICLES}) m JOIN articles a ON a.id = m.article_id"
        " ORDER BY coalesce(a.published_at, a.ingested_at) DESC, a.rowid DESC LIMIT ?",
        (entity_id, limit))
    return [ArticleRef(r["id"], r["title"], r["lang"], r["day"]) for r in rows]


def newest_days_from(conn: Any, entity_id: str, limit: int, mark: str = "?") -> str | None:
    """The newest day D such that the entity's articles on days from D number ``limit`` or
    more (so its ``limit`` newest articles are all on days from D); None if it has fewer.

    Exact because an article's day is the first ten characters of the time it is
    ordered by: an article on an earlier day is older than every article from D.
    """
    if limit <= 0:
        return None
    seen = 0
    for row in conn.execute(f"SELECT day, articles FROM entity_days WHERE entity_id = {mark}"
                            " ORDER BY day DESC", (entity_id,)):
        seen += int(row["articles"])
        if seen >= limit:
            return str(row["day"])
    return None


def _newest_since(conn: sqlite3.Connection, entity_id: str, since: str,
                  limit: int) -> list[ArticleRef]:
    rows = conn.execute(
        f"SELECT a.id, a.title, a.lang, {ARTICLE_DAY} AS day"
        f" FROM articles a INDEXED BY articles_day_story WHERE {DAY_INDEX} >= ?"
        " AND EXISTS (SELECT 1 FROM entity_mentions m WHERE m.entity_id = ?"
        " AND m.article_id = a.id)"
        " ORDER BY coalesce(a.published_at, a.ingested_at) DESC, a.rowid DESC LIMIT ?",
        (since, entity_id, limit))
    return [ArticleRef(r["id"], r["title"], r["lang"], r["day"]) for r in rows]
