"""Story lists, story pages, threads and the front page on PostgreSQL.

The queries of `db.story_pages` and `db.story_views` with the same results and
tie rules (text ties by code point, ``COLLATE "C"``, as SQLite's BINARY). Two
differences in form, not in results: a story's languages are tested with
``jsonb_exists`` instead of ``json_each``, and ``query`` is matched with
``ILIKE`` (case-insensitive in every script; SQLite's ``LIKE`` folds ASCII only).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ..entity_pages import ARTICLE_DAY
from ..store import (
    ArticleRef,
    FrontFilters,
    FrontStory,
    StoryPage,
    StorySummary,
    ThreadWindow,
)
from ..story_pages import iso_day
from ..story_views import front_story_records

if TYPE_CHECKING:
    import psycopg

    Connection = psycopg.Connection[dict[str, Any]]

_C = 'COLLATE "C"'
_COLUMNS = ("id, label, thread_id, size, languages, first_day, last_day, headlines,"
            " top_entities")


def like_pattern(text: str) -> str:
    """``%text%`` with the LIKE wildcards in ``text`` taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_stories(conn: Connection, *, limit: int, offset: int = 0, query: str | None = None,
                 lang: str | None = None) -> list[StorySummary]:
    """Stories by their last article's day, newest first (ties: biggest, then id)."""
    where: list[str] = []
    params: list[Any] = []
    if query:
        where.append("(label ILIKE %s OR headlines ILIKE %s)")
        params += [like_pattern(query), like_pattern(query)]
    if lang:
        where.append("jsonb_exists(languages::jsonb, %s)")
        params.append(lang)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    found = conn.execute(f"SELECT {_COLUMNS} FROM stories {clause}"
                         f" ORDER BY last_day DESC, size DESC, id {_C} LIMIT %s OFFSET %s",
                         [*params, limit, offset]).fetchall()
    return [summary_of(r) for r in found]


def story_page(conn: Connection, story_id: str) -> StoryPage | None:
    """The story, its member articles grouped by language, and its thread."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM stories WHERE id = %s", (story_id,)).fetchone()
    if row is None:
        return None
    members: defaultdict[str, list[ArticleRef]] = defaultdict(list)
    for article in conn.execute(
            f"SELECT a.id, a.title, a.lang, {ARTICLE_DAY} AS day FROM articles a"
            " WHERE a.story_id = %s ORDER BY day, a.rowid", (story_id,)).fetchall():
        members[article["lang"]].append(ArticleRef(article["id"], article["title"],
                                                   article["lang"], article["day"]))
    summary = summary_of(row)
    return StoryPage(story=summary, members=dict(sorted(members.items())),
                     thread=thread(conn, summary.thread_id))


def thread(conn: Connection, thread_id: str) -> list[StorySummary]:
    """The stories of a thread, oldest first."""
    found = conn.execute(f"SELECT {_COLUMNS} FROM stories WHERE thread_id = %s"
                         f" ORDER BY first_day, id {_C}", (thread_id,)).fetchall()
    return [summary_of(r) for r in found]


def thread_window(conn: Connection, thread_id: str, story_id: str, *,
                  neighbours: int) -> ThreadWindow:
    """The ``neighbours`` stories on each side of ``story_id`` in its thread, oldest first (a
    story not in the thread is treated as its first)."""
    ids = [r["id"] for r in conn.execute(
        f"SELECT id FROM stories WHERE thread_id = %s ORDER BY first_day, id {_C}",
        (thread_id,)).fetchall()]
    here = ids.index(story_id) if story_id in ids else 0
    shown = ids[max(0, here - neighbours):here + neighbours + 1]
    found = {r["id"]: r for r in conn.execute(
        f"SELECT {_COLUMNS} FROM stories WHERE id = ANY(%s)", (shown,)).fetchall()}
    return ThreadWindow(stories=[summary_of(found[i]) for i in shown if i in found],
                        size=len(ids))


def story_summary(conn: Connection, story_id: str) -> StorySummary | None:
    """One story's list entry, without reading its members."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM stories WHERE id = %s", (story_id,)).fetchone()
    return None if row is None else summary_of(row)


def summary_of(row: dict[str, Any]) -> StorySummary:
    """A `StorySummary` from a ``stories`` row."""
    return StorySummary(id=row["id"], label=row["label"], thread_id=row["thread_id"],
                        size=int(row["size"]), languages=json.loads(row["languages"]),
                        first_day=iso_day(row["first_day"]), last_day=iso_day(row["last_day"]),
                        headlines=json.loads(row["headlines"]),
                        top_entities=json.loads(row["top_entities"]))




def front_stories(conn: Connection, filters: FrontFilters, *, limit: int,
                  offset: int = 0) -> list[FrontStory]:
    """Stories with the most articles in the window, biggest first (ties: by id)."""
    where, params = _window_clause(filters)
    ranked = conn.execute(
        "SELECT a.story_id, count(*) AS n, count(DISTINCT a.source) AS sources"
        f" FROM articles a WHERE {where}"
        f" GROUP BY a.story_id ORDER BY n DESC, a.story_id {_C} LIMIT %s OFFSET %s",
        [*params, limit, offset]).fetchall()
    ids = [r["story_id"] for r in ranked]
    stories = {r["id"]: r for r in conn.execute(
        "SELECT id, label, headlines, size, first_day, last_day FROM stories"
        " WHERE id = ANY(%s)", (ids,)).fetchall()} if ids else {}
    languages = _window_counts(conn, ids, filters, by_language=True)
    last_day = _window_counts(conn, ids, FrontFilters(
        since=filters.until, until=filters.until, lang=filters.lang,
        entity_id=filters.entity_id), by_language=False)
    return front_story_records(ranked, stories, languages, last_day)


def _window_clause(filters: FrontFilters) -> tuple[str, list[Any]]:
    """The WHERE of a window read: days, a story, then the optional language and entity."""
    where = [f"{ARTICLE_DAY} BETWEEN %s AND %s AND a.story_id IS NOT NULL"]
    params: list[Any] = [filters.since, filters.until]
    if filters.lang:
        where.append("a.lang = %s")
        params.append(filters.lang)
    if filters.entity_id:
        where.append("a.id IN (SELECT article_id FROM entity_mentions WHERE entity_id = %s)")
        params.append(filters.entity_id)
    return " AND ".join(where), params


def _window_counts(conn: Connection, story_ids: list[str], filters: FrontFilters, *,
                   by_language: bool) -> dict[str, dict[str, int]]:
    """Articles of these stories in the window, per language (or all as ``""``), most first."""
    if not story_ids:
        return {}
    where, params = _window_clause(filters)
    lang, order = ("a.lang", f"a.lang {_C}") if by_language else ("''", "1")
    found: dict[str, dict[str, int]] = {}
    for row in conn.execute(
            f"SELECT a.story_id, {lang} AS lang, count(*) AS n FROM articles a"
            f" WHERE {where} AND a.story_id = ANY(%s)"
            f" GROUP BY a.story_id, 2 ORDER BY n DESC, {order}",
            [*params, story_ids]).fetchall():
        found.setdefault(row["story_id"], {})[row["lang"]] = int(row["n"])
    return found
