"""Entity pages and the entity list on PostgreSQL: the queries of `db.entity_pages`.

Same results and the same tie rules, from the same count tables (migration
``014_entity_day_counts``); text ties sort by code point
(``COLLATE "C"``, as SQLite's BINARY collation). One difference: ``query`` is
matched with ``ILIKE``, case-insensitive for every script, where SQLite's
``LIKE`` folds ASCII letters only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..count_bounds import top_by_count
from ..entity_pages import ARTICLE_DAY, DAY_INDEX, newest_days_from
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
    row = conn.execute("SELECT articles FROM entity_article_counts WHERE entity_id = %s",
                       (entity_id,)).fetchone()
    return 0 if row is None else int(row["articles"])


def _languages(conn: Connection, entity_id: str) -> list[MentionCount]:
    rows = conn.execute("SELECT lang, mentions, articles FROM entity_langs WHERE entity_id = %s"
                        f" ORDER BY mentions DESC, lang {_C}", (entity_id,)).fetchall()
    return [MentionCount(r["lang"], r["mentions"], r["articles"]) for r in rows]


def _timeline(conn: Connection, entity_id: str) -> list[MentionCount]:
    rows = conn.execute("SELECT day, mentions, articles FROM entity_days WHERE entity_id = %s"
                        f" ORDER BY day {_C}", (entity_id,)).fetchall()
    return [MentionCount(r["day"], r["mentions"], r["articles"]) for r in rows]


def _co_occurring(conn: Connection, entity_id: str, limit: int) -> list[CoEntity]:
    """The entities in most of this entity's articles (ties: more mentioned, then id);
    the pairs bounded as in `db.entity_pages._co_occurring`."""
    if limit <= 0:
        return []
    sql = ("SELECT e.id, e.name, e.type, p.shared FROM entity_pairs p"
           " JOIN entities e ON e.id = p.other_id WHERE p.entity_id = %s{bound}"
           f" ORDER BY p.shared DESC, e.mentions DESC, e.id {_C} LIMIT %s")
    rows = top_by_count(conn, sql, count_table="entity_pairs", count_column="shared",
                        bounded="p.shared", entity_id=entity_id, limit=limit, mark="%s")
    return [CoEntity(r["id"], r["name"], r["type"], r["shared"]) for r in rows]


def _newest(conn: Connection, entity_id: str, limit: int) -> list[ArticleRef]:
    """As `db.entity_pages._newest`: from the entity's last days when that reads less."""
    since = newest_days_from(conn, entity_id, limit, mark="%s")
    order = f" ORDER BY coalesce(a.published_at, a.ingested_at) {_C} DESC, a.rowid DESC LIMIT %s"
    if since is not None:
        articles = _article_count(conn, entity_id)
        stored = conn.execute("SELECT max(rowid) AS n FROM articles").fetchone()
        if articles * articles > limit * int((stored or {}).get("n") or 0):
            rows = conn.execute(
                f"SELECT a.id, a.title, a.lang, {ARTICLE_DAY} AS day FROM articles a"
                f" WHERE {DAY_INDEX} >= %s AND EXISTS (SELECT 1 FROM entity_mentions m"
                f" WHERE m.entity_id = %s AND m.article_id = a.id){order}",
                (since, entity_id, limit)).fetchall()
            return [ArticleRef(r["id"], r["title"], r["lang"], r["day"]) for r in rows]
    rows = conn.execute(
        f"SELECT a.id, a.title, a.lang, {ARTICLE_DAY} AS day"
        f" FROM ({_ENTITY_ARTICLES}) m JOIN articles a ON a.id = m.article_id{order}",
        (entity_id, limit)).fetchall()
    return [ArticleRef(r["id"], r["title"], r["lang"], r["day"]) for r in rows]
