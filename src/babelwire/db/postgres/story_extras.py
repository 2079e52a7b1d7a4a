"""What a story page adds on PostgreSQL: members with source and time, timeline, entities,
quotes, and an entity's stories (the queries of `db.story_views`, same results and ties)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..count_bounds import top_by_count
from ..entity_pages import ARTICLE_DAY
from ..store import CoEntity, FrontStory, QuoteHit, StoryArticle
from ..story_pages import iso_day

if TYPE_CHECKING:
    import psycopg

    Connection = psycopg.Connection[dict[str, Any]]

_C = 'COLLATE "C"'


def named_entities(conn: Connection, entity_ids: list[str]) -> list[CoEntity]:
    if not entity_ids:
        return []
    found = {r["id"]: r for r in conn.execute(
        "SELECT id, name, type FROM entities WHERE id = ANY(%s)", (entity_ids,)).fetchall()}
    return [CoEntity(i, found[i]["name"], found[i]["type"], 0) for i in entity_ids if i in found]


def story_articles(conn: Connection, story_id: str, *, per_language: int) -> list[StoryArticle]:
    rows = conn.execute(
        "SELECT id, title, lang, source, published_at, day FROM ("
        f" SELECT a.id, a.title, a.lang, a.source, a.published_at, {ARTICLE_DAY} AS day,"
        " a.rowid AS seq, coalesce(a.published_at, a.ingested_at) AS moment,"
        " row_number() OVER (PARTITION BY a.lang ORDER BY"
        f" coalesce(a.published_at, a.ingested_at) {_C}, a.rowid) AS nth"
        " FROM articles a WHERE a.story_id = %s) ranked WHERE nth <= %s"
        f" ORDER BY moment {_C}, seq", (story_id, per_language)).fetchall()
    return [StoryArticle(id=r["id"], title=r["title"], lang=r["lang"], source=r["source"],
                         published_at=r["published_at"], day=r["day"]) for r in rows]


def story_timeline(conn: Connection, story_id: str) -> list[tuple[str, str, int]]:
    rows = conn.execute(
        "SELECT substr(coalesce(a.published_at, a.ingested_at), 1, 13) AS hour, a.lang,"
        " count(*) AS n FROM articles a WHERE a.story_id = %s GROUP BY hour, a.lang"
        f" ORDER BY hour, a.lang {_C}", (story_id,)).fetchall()  # ISO hours: any collation
    return [(r["hour"], r["lang"], int(r["n"])) for r in rows]


def story_entities(conn: Connection, story_id: str, *, limit: int) -> list[CoEntity]:
    rows = conn.execute(
        "SELECT e.id, e.name, e.type, c.shared FROM ("
        " SELECT m.entity_id, count(DISTINCT m.article_id) AS shared FROM articles a"
        " JOIN entity_mentions m ON m.article_id = a.id"
        " WHERE a.story_id = %s AND m.entity_id IS NOT NULL GROUP BY m.entity_id) c"
        " JOIN entities e ON e.id = c.entity_id"
        f" ORDER BY c.shared DESC, e.mentions DESC, e.id {_C} LIMIT %s",
        (story_id, limit)).fetchall()
    return [CoEntity(r["id"], r["name"], r["type"], int(r["shared"])) for r in rows]


def story_quotes(conn: Connection, story_id: str, *, limit: int) -> list[QuoteHit]:
    rows = conn.execute(
        "SELECT q.id, q.article_id, q.position, q.text, q.type, q.lang, q.speaker_name,"
        " q.speaker_entity, q.cue, q.day, a.title FROM articles a"
        " JOIN quotes q ON q.article_id = a.id WHERE a.story_id = %s"
        " ORDER BY q.day, a.rowid, q.position LIMIT %s", (story_id, limit)).fetchall()
    return [QuoteHit(id=r["id"], article_id=r["article_id"], position=r["position"],
                     text=r["text"], type=r["type"], lang=r["lang"],
                     speaker_name=r["speaker_name"], speaker_entity=r["speaker_entity"],
                     cue=r["cue"], day=r["day"], title=r["title"]) for r in rows]


def entity_stories(conn: Connection, entity_id: str, *, limit: int) -> list[FrontStory]:
    """The stories with most of the entity's articles (ties: newest, then id), ranked from
    ``entity_stories`` and bounded as in `db.story_views.entity_stories`."""
    if limit <= 0:
        return []
    sql = ("SELECT c.story_id, c.articles AS n, s.label, s.headlines, s.size, s.first_day,"
           " s.last_day, s.languages FROM entity_stories c JOIN stories s ON s.id = c.story_id"
           " WHERE c.entity_id = %s{bound}"
           f" ORDER BY c.articles DESC, s.last_day DESC, s.id {_C} LIMIT %s")
    rows = top_by_count(conn, sql, count_table="entity_stories", count_column="articles",
                        bounded="c.articles", entity_id=entity_id, limit=limit, mark="%s")
    sources = _entity_sources(conn, entity_id, [r["story_id"] for r in rows])
    return [FrontStory(id=r["story_id"], label=r["label"], headlines=json.loads(r["headlines"]),
                       size=int(r["size"]), first_day=iso_day(r["first_day"]),
                       last_day=iso_day(r["last_day"]), window_articles=int(r["n"]),
                       window_languages=json.loads(r["languages"]),
                       window_sources=sources.get(r["story_id"], 0),
                       last_day_articles=0) for r in rows]


def _entity_sources(conn: Connection, entity_id: str, story_ids: list[str]) -> dict[str, int]:
    """The sources of the entity's articles in each of these stories (``entity_story_sources``)."""
    rows = conn.execute("SELECT story_id, count(*) AS n FROM entity_story_sources"
                        " WHERE entity_id = %s AND story_id = ANY(%s) GROUP BY story_id",
                        (entity_id, story_ids)).fetchall()
    return {r["story_id"]: int(r["n"]) for r in rows}
