"""SQL behind the front page and the story page's extras: read-only, on reader connections.

The front page ranks stories by their articles *in the chosen window* (this
week by default), not by their size over all time: a story that was big a
month ago and quiet since is not news. It reads the window's slice of the
expression index of migration ``010_front_page_index`` (the article's day,
story, language, source), so its cost grows with the window's articles, not
with the store. Story pages add what the story list does not keep: each
member's source and time, articles per hour (or day) and language for the
timeline, the member articles' entities and their quotes. Since migration
``013_story_page_counts`` none of them reads all of a big story's members: the
timeline is a slice of ``story_hours``, the member list and the quotes come from
the covering index ``articles_story_members``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from .count_bounds import top_by_count
from .entity_pages import ARTICLE_DAY
from .store import (
    CoEntity,
    FrontFilters,
    FrontStory,
    QuoteHit,
    StoryArticle,
    StorySummary,
)
from .story_pages import iso_day

DAY_INDEX_EXPRESSION = "substr(coalesce(published_at, ingested_at), 1, 10)"
"""`entity_pages.ARTICLE_DAY` without the table alias, as the index is declared."""


def front_stories(conn: sqlite3.Connection, filters: FrontFilters, *, limit: int,
                  offset: int = 0) -> list[FrontStory]:
    """Stories with the most articles in the window, biggest first (ties: by id).

    Three reads of the window's slice of ``articles_day_story``, none touching article
    rows unless an entity is filtered on (its ``id IN`` needs them): the ranking, the
    languages of the stories ranked, and their articles on the window's last day.
    ``INDEXED BY`` because with a language filter the planner preferred
    ``articles_lang`` and read every article of that language (380 ms at 1M articles,
    against 2 ms). Why no ``sum(day = ?)`` in the ranking query: SQLite 3.40 reads an
    indexed expression from the table, not the index, outside the WHERE clause
    (87 ms against 16 ms for the week of a 1M-article store).
    """
    where, params = _window_clause(filters)
    ranked = conn.execute(
        f"SELECT a.story_id, count(*) AS n, count(DISTINCT a.source) AS sources"
        f" FROM articles a INDEXED BY articles_day_story WHERE {where}"
        " GROUP BY a.story_id ORDER BY n DESC, a.story_id LIMIT ? OFFSET ?",
        [*params, limit, offset]).fetchall()
    ids = [r["story_id"] for r in ranked]
    stories = _story_rows(conn, ids)
    languages = _window_counts(conn, ids, filters, by_language=True)
    last_day = _window_counts(conn, ids, FrontFilters(
        since=filters.until, until=filters.until, lang=filters.lang,
        entity_id=filters.entity_id), by_language=False)
    return front_story_records(ranked, stories, languages, last_day)


def front_story_records(ranked: Sequence[Any], stories: Mapping[str, Any],
                        languages: Mapping[str, dict[str, int]],
                        last_day: Mapping[str, dict[str, int]]) -> list[FrontStory]:
    """Front-page records from the window ranking and story rows (sqlite3 or psycopg rows)."""
    return [FrontStory(id=sid, label=stories[sid]["label"],
                       headlines=json.loads(stories[sid]["headlines"]),
                       size=int(stories[sid]["size"]),
                       first_day=iso_day(stories[sid]["first_day"]),
                       last_day=iso_day(stories[sid]["last_day"]), window_articles=int(r["n"]),
                       window_languages=languages.get(sid, {}),
                       window_sources=int(r["sources"]),
                       last_day_articles=sum(last_day.get(sid, {}).values()))
            for r in ranked if (sid := r["story_id"]) in stories]


def _window_clause(filters: FrontFilters) -> tuple[str, list[str]]:
    """The WHERE of a window read: days, a story, then the optional language and entity."""
    where, params = [f"{ARTICLE_DAY} BETWEEN ? AND ? AND a.story_id IS NOT NULL"], [
        filters.since, filters.until]
    if filters.lang:
        where.append("a.lang = ?")
        params.append(filters.lang)
    if filters.entity_id:
        where.append("a.id IN (SELECT article_id FROM entity_mentions WHERE entity_id = ?)")
        params.append(filters.entity_id)
    return " AND ".join(where), params


def _window_counts(conn: sqlite3.Connection, story_ids: list[str], filters: FrontFilters, *,
                   by_language: bool) -> dict[str, dict[str, int]]:
    """Articles of these stories in the window, per language (or all as ``""``), most first."""
    if not story_ids:
        return {}
    where, params = _window_clause(filters)
    marks = ",".join("?" * len(story_ids))
    lang = "a.lang" if by_language else "''"
    found: dict[str, dict[str, int]] = {}
    for row in conn.execute(
            f"SELECT a.story_id, {lang} AS lang, count(*) AS n FROM articles a"
            f" INDEXED BY articles_day_story WHERE {where} AND a.story_id IN ({marks})"
            " GROUP BY a.story_id, 2 ORDER BY n DESC, 2", [*params, *story_ids]):
        found.setdefault(row["story_id"], {})[row["lang"]] = int(row["n"])
    return found


def _story_rows(conn: sqlite3.Connection, story_ids: list[str]) -> dict[str, sqlite3.Row]:
    if not story_ids:
        return {}
    marks = ",".join("?" * len(story_ids))
    return {r["id"]: r for r in conn.execute(
        "SELECT id, label, headlines, size, first_day, last_day FROM stories"
        f" WHERE id IN ({marks})", story_ids)}


def story_summary(conn: sqlite3.Connection, story_id: str) -> StorySummary | None:
    """One story's list entry, without reading its members (`Store.story_page` reads them all,
    which a story of a thousand articles pays for on every view)."""
    row = conn.execute(
        "SELECT id, label, thread_id, size, languages, first_day, last_day, headlines,"
        " top_entities FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    return StorySummary(id=row["id"], label=row["label"], thread_id=row["thread_id"],
                        size=int(row["size"]), languages=json.loads(row["languages"]),
                        first_day=iso_day(row["first_day"]), last_day=iso_day(row["last_day"]),
                        headlines=json.loads(row["headlines"]),
                        top_entities=json.loads(row["top_entities"]))


def named_entities(conn: sqlite3.Connection, entity_ids: list[str]) -> list[CoEntity]:
    """Entities by id in the given order (unknown ids left out); ``shared_articles`` is 0:
    the clusterer ranked them (a story's ``top_entities``) without keeping counts."""
    if not entity_ids:
        return []
    marks = ",".join("?" * len(entity_ids))
    found = {r["id"]: r for r in conn.execute(
        f"SELECT id, name, type FROM entities WHERE id IN ({marks})", entity_ids)}
    return [CoEntity(i, found[i]["name"], found[i]["type"], 0) for i in entity_ids if i in found]


def story_articles(conn: sqlite3.Connection, story_id: str, *,
                   per_language: int) -> list[StoryArticle]:
    """The story's first ``per_language`` members in each language, oldest first, with source
    and publication time (a story of a thousand articles lists the first of each language).

    One read per language (the languages from ``story_hours``), each the first
    ``per_language`` entries of the story's language slice of the covering index
    ``articles_story_members`` (migration ``013_story_page_counts``), already in time
    order: no article row is read, nor any of a big story's other members (a window
    function over all of them took 9 ms for 1,200 members).
    """
    languages = [r[0] for r in conn.execute(
        "SELECT DISTINCT lang FROM story_hours WHERE story_id = ?", (story_id,))]
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: 300 rows read by position, not by name
    rows: list[tuple[Any, ...]] = []
    for lang in languages:
        rows += cursor.execute(
            f"SELECT coalesce(a.published_at, a.ingested_at), a.rowid, a.id, a.title, a.lang,"
            f" a.source, a.published_at, {ARTICLE_DAY}"
            " FROM articles a INDEXED BY articles_story_members"
            " WHERE a.story_id = ? AND a.lang = ?"
            " ORDER BY coalesce(a.published_at, a.ingested_at), a.rowid LIMIT ?",
            (story_id, lang, per_language)).fetchall()
    rows.sort()  # by (moment, rowid): rowids are unique, so later fields never decide
    return [StoryArticle(id=i, title=title, lang=lang, source=source, published_at=published,
                         day=day) for _, _, i, title, lang, source, published, day in rows]


def story_timeline(conn: sqlite3.Connection, story_id: str) -> list[tuple[str, str, int]]:
    """``(hour, language, articles)``: hours as ``YYYY-MM-DDTHH`` when the source gave a time.

    Read from ``story_hours``, which triggers keep equal to grouping the story's
    articles by `migrations.STORY_HOUR` and language.
    """
    cursor = conn.cursor()
    cursor.row_factory = None  # a big story has ~500 (hour, language) rows
    return [(hour, lang, int(articles)) for hour, lang, articles in cursor.execute(
        "SELECT hour, lang, articles FROM story_hours WHERE story_id = ? ORDER BY hour, lang",
        (story_id,))]


def story_entities(conn: sqlite3.Connection, story_id: str, *, limit: int) -> list[CoEntity]:
    """The entities in most of the story's articles (ties: more mentioned, then id)."""
    rows = conn.execute(
        "SELECT e.id, e.name, e.type, c.shared FROM ("
        " SELECT m.entity_id, count(DISTINCT m.article_id) AS shared FROM articles a"
        " JOIN entity_mentions m ON m.article_id = a.id"
        " WHERE a.story_id = ? AND m.entity_id IS NOT NULL GROUP BY m.entity_id) c"
        " JOIN entities e ON e.id = c.entity_id ORDER BY c.shared DESC, e.mentions DESC, e.id"
        " LIMIT ?", (story_id, limit))
    return [CoEntity(r["id"], r["name"], r["type"], int(r["shared"])) for r in rows]


def story_quotes(conn: sqlite3.Connection, story_id: str, *, limit: int) -> list[QuoteHit]:
    """Quotes in the story's articles, oldest first (the order they were said in).

    The members come from ``articles_story_members`` alone (id and rowid are in it);
    titles are read afterwards for the quotes shown, not for every member.
    """
    rows = conn.execute(
        "SELECT q.id, q.article_id, q.position, q.text, q.type, q.lang, q.speaker_name,"
        " q.speaker_entity, q.cue, q.day, a.rowid AS seq"
        " FROM articles a INDEXED BY articles_story_members"
        " JOIN quotes q ON q.article_id = a.id WHERE a.story_id = ?"
        " ORDER BY q.day, a.rowid, q.position LIMIT ?", (story_id, limit)).fetchall()
    titles = _titles(conn, sorted({r["seq"] for r in rows}))
    return [QuoteHit(id=r["id"], article_id=r["article_id"], position=r["position"],
                     text=r["text"], type=r["type"], lang=r["lang"],
                     speaker_name=r["speaker_name"], speaker_entity=r["speaker_entity"],
                     cue=r["cue"], day=r["day"], title=titles[r["seq"]]) for r in rows]


def _titles(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, str]:
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    return {r[0]: r[1] for r in conn.execute(
        f"SELECT rowid, title FROM articles WHERE rowid IN ({marks})", rowids)}


def entity_stories(conn: sqlite3.Connection, entity_id: str, *, limit: int) -> list[FrontStory]:
    """The stories with most of the entity's articles (ties: newest, then id).

    Ranked from ``entity_stories`` (migration ``014_entity_day_counts``): only the
    stories with at least as many of the entity's articles as the ``limit``-th are
    joined to ``stories``; if a missing story row leaves fewer than ``limit``, all
    are. Sources come from ``entity_story_sources`` for the stories shown. "Window"
    counts are the entity's articles in each story, over all time.
    """
    if limit <= 0:
        return []
    sql = ("SELECT c.story_id, c.articles AS n, s.label, s.headlines, s.size, s.first_day,"
           " s.last_day, s.languages FROM entity_stories c JOIN stories s ON s.id = c.story_id"
           " WHERE c.entity_id = ?{bound} ORDER BY c.articles DESC, s.last_day DESC, s.id"
           " LIMIT ?")
    rows = top_by_count(conn, sql, count_table="entity_stories", count_column="articles",
                        bounded="c.articles", entity_id=entity_id, limit=limit)
    sources = _entity_sources(conn, entity_id, [r["story_id"] for r in rows])
    return [FrontStory(id=r["story_id"], label=r["label"], headlines=json.loads(r["headlines"]),
                       size=int(r["size"]), first_day=iso_day(r["first_day"]),
                       last_day=iso_day(r["last_day"]), window_articles=int(r["n"]),
                       window_languages=json.loads(r["languages"]),
                       window_sources=sources.get(r["story_id"], 0),
                       last_day_articles=0) for r in rows]


def _entity_sources(conn: sqlite3.Connection, entity_id: str,
                    story_ids: list[str]) -> dict[str, int]:
    """The sources of the entity's articles in each of these stories (``entity_story_sources``)."""
    marks = ",".join("?" * len(story_ids))
    rows = conn.execute(f"SELECT story_id, count(*) FROM entity_story_sources WHERE entity_id = ?"
                        f" AND story_id IN ({marks}) GROUP BY story_id", (entity_id, *story_ids))
    return {r[0]: int(r[1]) for r in rows}


def latest_day(conn: sqlite3.Connection) -> str | None:
    """The newest article day: the last entry of the day index (one seek)."""
    row = conn.execute(f"SELECT max({DAY_INDEX_EXPRESSION}) FROM articles").fetchone()
    return None if row is None else row[0]



