"""SQL behind story lists, story pages and threads: read-only, on reader connections.

Every story stays here after it leaves the clusterer's live window, so old
stories are listed and found by their headlines like new ones. Members are the
articles whose ``story_id`` names the story (index ``articles_story`` of
migration ``009_stories``); a thread is the stories sharing a ``thread_id``
(index ``stories_thread_order`` of ``013_story_page_counts``).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime

from .entity_pages import ARTICLE_DAY
from .store import ArticleRef, StoryPage, StorySummary, ThreadWindow

SECONDS_PER_DAY = 86_400
_COLUMNS = ("id, label, thread_id, size, languages, first_day, last_day, headlines,"
            " top_entities")


def list_stories(conn: sqlite3.Connection, *, limit: int, offset: int = 0,
                 query: str | None = None, lang: str | None = None) -> list[StorySummary]:
    """Stories by their last article's day, newest first (ties: biggest, then id)."""
    where, params = [], []
    if query:
        where.append("(label LIKE ? OR headlines LIKE ?)")
        params += [f"%{query}%", f"%{query}%"]
    if lang:
        where.append("EXISTS (SELECT 1 FROM json_each(stories.languages) WHERE key = ?)")
        params.append(lang)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    found = conn.execute(f"SELECT {_COLUMNS} FROM stories {clause}"
                         " ORDER BY last_day DESC, size DESC, id LIMIT ? OFFSET ?",
                         [*params, limit, offset])
    return [_summary(r) for r in found]


def story_page(conn: sqlite3.Connection, story_id: str) -> StoryPage | None:
    """The story, its member articles grouped by language, and its thread."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    members: defaultdict[str, list[ArticleRef]] = defaultdict(list)
    for article in conn.execute(
            f"SELECT a.id, a.title, a.lang, {ARTICLE_DAY} AS day FROM articles a"
            " WHERE a.story_id = ? ORDER BY day, a.rowid", (story_id,)):
        members[article["lang"]].append(ArticleRef(article["id"], article["title"],
                                                   article["lang"], article["day"]))
    summary = _summary(row)
    return StoryPage(story=summary, members=dict(sorted(members.items())),
                     thread=thread(conn, summary.thread_id))


def thread(conn: sqlite3.Connection, thread_id: str) -> list[StorySummary]:
    """The stories of a thread, oldest first."""
    found = conn.execute(f"SELECT {_COLUMNS} FROM stories WHERE thread_id = ?"
                         " ORDER BY first_day, id", (thread_id,))
    return [_summary(r) for r in found]


def thread_window(conn: sqlite3.Connection, thread_id: str, story_id: str, *,
                  neighbours: int) -> ThreadWindow:
    """The ``neighbours`` stories on each side of ``story_id`` in its thread, oldest first.

    Only the thread's ids are read in order; whole rows (three JSON columns each) are
    read for the stories shown, not for all of a long-running topic's hundred.
    A story not in the thread is treated as its first.
    """
    ids = [r[0] for r in conn.execute("SELECT id FROM stories WHERE thread_id = ?"
                                      " ORDER BY first_day, id", (thread_id,))]
    here = ids.index(story_id) if story_id in ids else 0
    shown = ids[max(0, here - neighbours):here + neighbours + 1]
    marks = ",".join("?" * len(shown))
    rows = {r["id"]: r for r in conn.execute(
        f"SELECT {_COLUMNS} FROM stories WHERE id IN ({marks})", shown)} if shown else {}
    return ThreadWindow(stories=[_summary(rows[i]) for i in shown if i in rows], size=len(ids))


def _summary(row: sqlite3.Row) -> StorySummary:
    return StorySummary(id=row["id"], label=row["label"], thread_id=row["thread_id"],
                        size=int(row["size"]), languages=json.loads(row["languages"]),
                        first_day=iso_day(row["first_day"]), last_day=iso_day(row["last_day"]),
                        headlines=json.loads(row["headlines"]),
                        top_entities=json.loads(row["top_entities"]))


def iso_day(day: float | None) -> str | None:
    if day is None:
        return None
    return datetime.fromtimestamp(day * SECONDS_PER_DAY, UTC).date().isoformat()
