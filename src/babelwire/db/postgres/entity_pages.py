"""Entity pages and the entity list on PostgreSQL: the queries of `db.entity_pages`.

Same results and the same tie rules; text ties sort by code point
(``COLLATE "C"``, as SQLite's BINARY collation). One difference: ``query`` is
matched with ``ILIKE``, case-insensitive for every script, where SQLite's
``LIKE`` folds ASCII letters only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..entity_pages import ARTICLE_DAY
from ..store import ArticleRef, CoEntity, EntityPage, EntitySummary, EntityVariant, MentionCount

if TYPE_CHECKING:
    import psycopg

    Connection = psycopg.Connection[dict[str, Any]]

_ENTITY_ARTICLES = ("SELECT article_id, count(*) AS mentions FROM entity_mentions"
                    " WHERE entity_id = %s GROUP BY article_id")
_C = 'COLLATE "C"'


def list_entities(conn: Connection, *, limit: int, offset: int = 0, query: str | None = None,
                  type: str | None = None) -> list[EntitySummary]:
    """Entities, most mentioned first (ties by id); ``query`` is a substring of any variant."""
    where: list[str] = []
    params: list[Any] = []
    if query:
        where.append("e.id IN (SELECT entity_id FROM entity_variants WHERE name ILIKE %s)")
        params.append("%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                      + "%")
    if type:
        where.append("e.type = %s")
        params.append(type)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = conn.execute(f"SELECT e.id, e.name, e.type, e.mentions FROM entities e {clause}"
                        f" ORDER BY e.mentions DESC, e.id {_C} LIMIT %s OFFSET %s",
                        [*params, limit, offset]).fetchall()
    return [EntitySummary(r["id"], r["name"], r["type"], r["mentions"]) for r in rows]


def entity_page(conn: Connection, entity_id: str, *, related: int,
                newest: int) -> EntityPage | None:
    """Everything an entity page shows, or None if ``entity_id`` is not a stored entity."""
    row = conn.execute("SELECT id, name, type, mentions FROM entities WHERE id = %s",
                       (entity_id,)).fetchone()
    if row is None:
        return None
    return EntityPage(
        id=row["id"], name=row["name"], type=row["type"], mentions=row["mentions"],
        articles=_article_count(conn, entity_id), variants=_variants(conn, entity_id),
        timeline=_timeline(conn, entity_id), languages=_languages(conn, entity_id),
        co_occurring=_co_occurring(conn, entity_id, related),
        newest=_newest(conn, entity_id, newest))


def _variants(conn: Connection, entity_id: str) -> list[EntityVariant]:
    rows = conn.execute("SELECT name, lang, count FROM entity_variants WHERE entity_id = %s"
                        f" ORDER BY count DESC, name {_C}, lang {_C}", (entity_id,)).fetchall()
    return [EntityVariant(r["name"], r["lang"], r["count"]) for r in rows]


def _article_count(conn: Connection, entity_id: str) -> int:
    row = conn.execute("SELECT count(DISTINCT article_id) AS n FROM entity_mentions"
                       " WHERE entity_id = %s", (entity_id,)).fetchone()
    return int(row["n"]) if row else 0


def _languages(conn: Connection, entity_id: str) -> list[MentionCount]:
    rows = conn.execute(
        "SELECT lang, count(*) AS mentions, count(DISTINCT article_id) AS articles"
        " FROM entity_mentions WHERE entity_id = %s GROUP BY lang"
        f" ORDER BY mentions DESC, lang {_C}", (entity_id,)).fetchall()
    return [MentionCount(r["lang"], r["mentions"], r["articles"]) for r in rows]


def _timeline(conn: Connection, entity_id: str) -> list[MentionCount]:
    rows = conn.execute(
        f"SELECT {ARTICLE_DAY} AS day, sum(m.mentions) AS mentions, count(*) AS articles"
        f" FROM ({_ENTITY_ARTICLES}) m JOIN articles a ON a.id = m.article_id"
        " GROUP BY day ORDER BY day", (entity_id,)).fetchall()  # ISO days: any collation
    return [MentionCount(r["day"], int(r["mentions"]), r["articles"]) for r in rows]


def _co_occurring(conn: Connection, entity_id: str, limit: int) -> list[CoEntity]:
    """The entities in most of this entity's articles (ties: more mentioned, then id)."""
    rows = conn.execute(
        "SELECT e.id, e.name, e.type, c.shared FROM ("
        " SELECT o.entity_id, count(DISTINCT o.article_id) AS shared"
        " FROM (SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id = %s) mine"
        " JOIN entity_mentions o ON o.article_id = mine.article_id"
        " WHERE o.entity_id <> %s GROUP BY o.entity_id) c"
        " JOIN entities e ON e.id = c.entity_id"
        f" ORDER BY c.shared DESC, e.mentions DESC, e.id {_C} LIMIT %s",
        (entity_id, entity_id, limit)).fetchall()
    return [CoEntity(r["id"], r["name"], r["type"], r["shared"]) for r in rows]


def _newest(conn: Connection, entity_id: str, limit: int) -> list[ArticleRef]:
    rows = conn.execute(
        f"SELECT a.id, a.title, a.lang, {ARTICLE_DAY} AS day"
        f" FROM ({_ENTITY_ARTICLES}) m JOIN articles a ON a.id = m.article_id"
        f" ORDER BY coalesce(a.published_at, a.ingested_at) {_C} DESC, a.rowid DESC LIMIT %s",
        (entity_id, limit)).fetchall()
    return [ArticleRef(r["id"], r["title"], r["lang"], r["day"]) for r in rows]
