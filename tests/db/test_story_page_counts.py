"""Migration 013: the story page's counts kept by triggers, and the reads that use them.

The trigger and thread tests run on both backends (each in its own SQL); the
query-plan test and the migration backfill test are SQLite's."""

from __future__ import annotations

import random
import sqlite3
from typing import Any

from babelwire import Database
from babelwire.db import migrations, story_views

GROUPED = ("SELECT story_id, substr(coalesce(published_at, ingested_at), 1, 13), lang, count(*)"
           " FROM articles WHERE story_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
KEPT = "SELECT story_id, hour, lang, articles FROM story_hours ORDER BY 1, 2, 3"
STORIES = ("s:a", "s:b", "s:c", None)
LANGS = ("en", "de", "zh")
TIMES = ("2024-05-06T09:15:00+00:00", "2024-05-06T09:45:00+02:00", "2024-05-07T23:59:59",
         None)


def _sql(conn: Any, sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` on a PostgreSQL connection."""
    return sql if isinstance(conn, sqlite3.Connection) else sql.replace("?", "%s")


def _rows(conn: Any, sql: str) -> list[tuple[Any, ...]]:
    found = conn.execute(sql).fetchall()
    return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in found]


def _insert(conn: Any, n: int, rng: random.Random) -> None:
    conn.execute(_sql(conn, "INSERT INTO articles (id, content_hash, ingested_at, published_at,"
                      " lang, story_id) VALUES (?, ?, ?, ?, ?, ?)"),
                 (f"a{n}", f"h{n}", "2024-05-08T10:00:00", rng.choice(TIMES),
                  rng.choice(LANGS), rng.choice(STORIES)))


def _change(conn: Any, rng: random.Random) -> None:
    """One random write of the kinds ingest, clustering and re-clustering make."""
    ids = [r[0] for r in _rows(conn, "SELECT id FROM articles ORDER BY rowid")]
    target = rng.choice(ids)
    kind = rng.randrange(5)
    if kind == 0:
        conn.execute(_sql(conn, "UPDATE articles SET story_id = ? WHERE id = ?"),
                     (rng.choice(STORIES), target))
    elif kind == 1:
        conn.execute(_sql(conn, "UPDATE articles SET lang = ? WHERE id = ?"),
                     (rng.choice(LANGS), target))
    elif kind == 2:
        conn.execute(_sql(conn, "UPDATE articles SET published_at = ? WHERE id = ?"),
                     (rng.choice(TIMES), target))
    elif kind == 3:
        conn.execute(_sql(conn, "UPDATE articles SET story_id = NULL WHERE story_id = ?"),
                     (rng.choice(STORIES[:3]),))
    else:
        conn.execute(_sql(conn, "DELETE FROM articles WHERE id = ?"), (target,))


def test_story_hours_equal_grouping_the_articles_after_any_insert_move_edit_or_delete(
        db: Database) -> None:
    rng = random.Random(12)

    def steps(conn: Any) -> list[bool]:
        agreed = []
        for n in range(60):
            _insert(conn, n, rng)
        for step in range(300):
            _change(conn, rng) if step % 4 else _insert(conn, 100 + step, rng)
            agreed.append(_rows(conn, KEPT) == _rows(conn, GROUPED))
        return agreed

    assert all(db.write(steps))
    assert db.write(lambda conn: _rows(conn, "SELECT count(*) FROM story_hours"
                                             " WHERE articles <= 0")) == [(0,)]


def test_migration_counts_the_stories_of_articles_stored_before_it() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    for name, migration, _ in migrations.MIGRATIONS:
        if name == "013_story_page_counts":
            break
        migration(conn)
    rng = random.Random(5)
    for n in range(40):
        _insert(conn, n, rng)
    migrations.m013_story_page_counts(conn)
    kept = [tuple(r) for r in conn.execute(KEPT)]
    assert kept == [tuple(r) for r in conn.execute(GROUPED)]
    assert sum(r[3] for r in kept) == conn.execute(
        "SELECT count(*) FROM articles WHERE story_id IS NOT NULL").fetchone()[0]


def test_story_reads_use_the_members_index_and_never_scan_articles() -> None:
    with Database(memory=True) as db:  # SQLite's query plans
        conn = db._reader()
        plans = []
        for sql in ("SELECT DISTINCT lang FROM articles WHERE story_id = 's'",
                    "SELECT a.id FROM articles a INDEXED BY articles_story_members"
                    " JOIN quotes q ON q.article_id = a.id WHERE a.story_id = 's'"):
            plans += [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        timeline = story_views.story_timeline(conn, "s")
    assert all("COVERING INDEX articles_story_members" in p for p in plans if "articles" in p)
    assert timeline == []


def _thread(db: Any, size: int) -> None:
    def write(conn: Any) -> None:
        for n in range(size):  # two stories share each day: the id breaks the tie
            conn.execute(_sql(conn, "INSERT INTO stories (id, label, thread_id, size, first_day,"
                              " centroid, member_vectors, updated_at)"
                              " VALUES (?, ?, 't', 1, ?, ?, ?, 'now')"),
                         (f"s{n:02d}", f"Story {n}", float(n // 2), b"", b""))

    db.write(write)


def test_thread_window_lists_the_neighbours_on_each_side_in_thread_order(db: Database) -> None:
    _thread(db, 12)
    middle = db.thread_window("t", "s06", neighbours=2)
    assert ([s.id for s in middle.stories], middle.size) == (
        ["s04", "s05", "s06", "s07", "s08"], 12)
    assert [s.id for s in db.thread_window("t", "s00", neighbours=2).stories] == [
        "s00", "s01", "s02"]
    assert [s.id for s in db.thread_window("t", "s11", neighbours=2).stories] == [
        "s09", "s10", "s11"]


def test_thread_window_equals_the_slice_of_the_whole_thread(db: Database) -> None:
    _thread(db, 9)
    whole = db.thread("t")
    for here, story in enumerate(whole):
        window = db.thread_window("t", story.id, neighbours=3)
        assert window.stories == whole[max(0, here - 3):here + 4]


def test_thread_window_of_an_unknown_thread_is_empty(db: Database) -> None:
    window = db.thread_window("t:none", "s:none", neighbours=5)
    assert (window.stories, window.size) == ([], 0)
