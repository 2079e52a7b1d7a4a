"""SQL behind entity pages and the entity list: read-only queries over the resolved mentions.

Why on a reader connection (unlike `entity_tables`, which reads through the
writer): pages are served while ``ingest`` writes, and WAL readers see every
committed resolution without queueing behind the writer. Each query starts from
the entity's slice of ``entity_mentions`` through the covering indexes of
migration ``005_entity_page_indexes``, so its cost grows with the entity's own
mentions, not with the store (measured in scripts/bench_entity_pages.py).
"""

from __future__ import annotations

import sqlite3

from .store import ArticleRef, CoEntity, EntityPage, EntitySummary, EntityVariant, MentionCount

ARTICLE_DAY = "substr(coalesce(a.published_at, a.ingested_at), 1, 10)"
"""The calendar day an article counts on: as the source dated it (its own time zone),
else the day it was ingested. ``substr`` and not ``date()``: date() would move an
article published at 00:30+02:00 to the previous (UTC) day."""

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
    sql = "SELECT count(DISTINCT article_id) FROM entity_mentions WHERE entity_id = ?"
    return int(conn.execute(sql, (entity_id,)).fetchone()[0])


def _languages(conn: sqlite3.Connection, entity_id: str) -> list[MentionCount]:
    rows = conn.execute(
        "SELECT lang, count(*) AS mentions, count(DISTINCT article_id) AS articles"
        " FROM entity_mentions WHERE entity_id = ? GROUP BY lang"
        " ORDER BY mentions DESC, lang", (entity_id,))
    return [MentionCount(r["lang"], r["mentions"], r["articles"]) for r in rows]


def _timeline(conn: sqlite3.Connection, entity_id: str) -> list[MentionCount]:
    rows = conn.execute(
        f"SELECT {ARTICLE_DAY} AS day, sum(m.mentions) AS mentions, count(*) AS articles"
        f" FROM ({_ENTITY_ARTICLES}) m JOIN articles a ON a.id = m.article_id"
        " GROUP BY day ORDER BY day", (entity_id,))
    return [MentionCount(r["day"], r["mentions"], r["articles"]) for r in rows]


def _co_occurring(conn: sqlite3.Connection, entity_id: str, limit: int) -> list[CoEntity]:
    """The entities in most of this entity's articles (ties: more mentioned, then id).

    Counted per entity id first and joined to ``entities`` after, so the join runs
    once per co-occurring entity, not once per co-occurring mention.
    """
    rows = conn.execute(
        "SELECT e.id, e.name, e.type, c.shared FROM ("
        " SELECT o.entity_id, count(DISTINCT o.article_id) AS shared"
        " FROM (SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id = ?) mine"
        " JOIN entity_mentions o ON o.article_id = mine.article_id"
        " WHERE o.entity_id != ? GROUP BY o.entity_id) c"
        " JOIN entities e ON e.id = c.entity_id"
        " ORDER BY c.shared DESC, e.mentions DESC, e.id LIMIT ?",
        (entity_id, entity_id, limit))
    return [CoEntity(r["id"], r["name"], r["type"], r["shared"]) for r in rows]


def _newest(conn: sqlite3.Connection, entity_id: str, limit: int) -> list[ArticleRef]:
    rows = conn.execute(
        f"SELECT a.id, a.title, a.lang, {ARTICLE_DAY} AS day"
        f" FROM ({_ENTITY_ARTICLES}) m JOIN articles a ON a.id = m.article_id"
        " ORDER BY coalesce(a.published_at, a.ingested_at) DESC, a.rowid DESC LIMIT ?",
        (entity_id, limit))
    return [ArticleRef(r["id"], r["title"], r["lang"], r["day"]) for r in rows]
