"""Migration 014: the entity pages' counts kept by triggers equal a recount from the mentions.

The random-write test runs on both backends (their triggers differ: AFTER row
triggers on SQLite, BEFORE row triggers on PostgreSQL); the migration backfill
test is SQLite's. The catalog test drives the real write paths (ingest-time
queueing, resolution, merge, split, re-resolution, article delete).
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import astuple
from typing import Any

from babelwire import Database
from babelwire.db import migrations

DAY = "substr(coalesce(a.published_at, a.ingested_at), 1, 10)"
LINKED = "SELECT DISTINCT entity_id, article_id FROM entity_mentions WHERE entity_id IS NOT NULL"
RECOUNTS = {
    "entity_days": (
        f"SELECT m.entity_id, {DAY} AS day, sum(m.n) AS n, count(*) AS k FROM"
        " (SELECT entity_id, article_id, count(*) AS n FROM entity_mentions"
        " WHERE entity_id IS NOT NULL GROUP BY entity_id, article_id) m"
        " JOIN articles a ON a.id = m.article_id GROUP BY 1, 2 ORDER BY 1, 2",
        "SELECT entity_id, day, mentions, articles FROM entity_days ORDER BY 1, 2"),
    "entity_stories": (
        f"SELECT m.entity_id, a.story_id, count(*) FROM ({LINKED}) m"
        " JOIN articles a ON a.id = m.article_id WHERE a.story_id IS NOT NULL"
        " GROUP BY 1, 2 ORDER BY 1, 2",
        "SELECT entity_id, story_id, articles FROM entity_stories ORDER BY 1, 2"),
    "entity_story_sources": (
        f"SELECT m.entity_id, a.story_id, a.source, count(*) AS n FROM ({LINKED}) m"
        " JOIN articles a ON a.id = m.article_id WHERE a.story_id IS NOT NULL"
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        "SELECT entity_id, story_id, source, articles FROM entity_story_sources"
        " ORDER BY 1, 2, 3"),
    "entity_langs": (
        "SELECT entity_id, lang, count(*) AS n, count(DISTINCT article_id) AS k"
        " FROM entity_mentions WHERE entity_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
        "SELECT entity_id, lang, mentions, articles FROM entity_langs ORDER BY 1, 2"),
    "entity_article_counts": (
        "SELECT entity_id, count(DISTINCT article_id) FROM entity_mentions"
        " WHERE entity_id IS NOT NULL GROUP BY 1 ORDER BY 1",
        "SELECT entity_id, articles FROM entity_article_counts ORDER BY 1"),
    "entity_pairs": (
        f"SELECT x.entity_id, y.entity_id AS other, count(*) FROM ({LINKED}) x JOIN ({LINKED}) y"
        " ON y.article_id = x.article_id AND y.entity_id <> x.entity_id"
        " GROUP BY 1, 2 ORDER BY 1, 2",
        "SELECT entity_id, other_id, shared FROM entity_pairs ORDER BY 1, 2"),
}
ENTITIES = ("e:a", "e:b", "e:c", "e:d", None)
LANGS = ("en", "de")
STORIES = ("s:1", "s:2", None)
SOURCES = ("src1", "src2")
TIMES = ("2024-05-06T09:15:00+00:00", "2024-05-06T23:45:00+02:00", "2024-05-07T01:00:00",
         None)


def _sql(conn: Any, sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` on a PostgreSQL connection."""
    return sql if isinstance(conn, sqlite3.Connection) else sql.replace("?", "%s")


def _rows(conn: Any, sql: str) -> list[tuple[Any, ...]]:
    found = conn.execute(sql).fetchall()
    return [tuple(int(v) if isinstance(v, int) else v for v in
                  (r.values() if isinstance(r, dict) else r)) for r in found]


def differences(conn: Any) -> dict[str, tuple[list[Any], list[Any]]]:
    """The count tables that differ from their recount: name → (recounted, kept)."""
    out = {}
    for name, (recount, kept) in RECOUNTS.items():
        expected, found = _rows(conn, recount), _rows(conn, kept)
        if expected != found:
            out[name] = (expected, found)
    return out


def _insert_article(conn: Any, n: int, rng: random.Random) -> None:
    conn.execute(_sql(conn, "INSERT INTO articles (id, content_hash, ingested_at, published_at,"
                      " story_id, source) VALUES (?, ?, ?, ?, ?, ?)"),
                 (f"a{n}", f"h{n}", "2024-05-08T10:00:00", rng.choice(TIMES),
                  rng.choice(STORIES), rng.choice(SOURCES)))


def _insert_mention(conn: Any, rng: random.Random, article_ids: list[str]) -> None:
    article = rng.choice([*article_ids, "a:not-stored"])
    conn.execute(_sql(conn, "INSERT INTO entity_mentions (article_id, start, \"end\", text, type,"
                      " lang, entity_id) VALUES (?, 0, 1, 'x', 'PER', ?, ?)"),
                 (article, rng.choice(LANGS), rng.choice(ENTITIES)))


def _change(conn: Any, rng: random.Random) -> None:
    """One random write of the kinds ingest, resolution and clustering make."""
    articles = [r[0] for r in _rows(conn, "SELECT id FROM articles ORDER BY id")]
    mentions = [r[0] for r in _rows(conn, "SELECT id FROM entity_mentions ORDER BY id")]
    if not mentions or not articles:
        return _insert_mention(conn, rng, articles or ["a:none"])
    mention, article, kind = rng.choice(mentions), rng.choice(articles), rng.randrange(11)
    writes = [
        ("UPDATE entity_mentions SET entity_id = ? WHERE id = ?", (rng.choice(ENTITIES), mention)),
        ("UPDATE entity_mentions SET lang = ? WHERE id = ?", (rng.choice(LANGS), mention)),
        ("UPDATE entity_mentions SET article_id = ? WHERE id = ?", (article, mention)),
        ("DELETE FROM entity_mentions WHERE id = ?", (mention,)),
        ("UPDATE entity_mentions SET entity_id = ? WHERE entity_id = ?",  # a merge
         (rng.choice(ENTITIES[:4]), rng.choice(ENTITIES[:4]))),
        ("UPDATE entity_mentions SET entity_id = NULL WHERE id > ?", (mention,)),  # requeue
        ("DELETE FROM entity_mentions WHERE article_id = ?", (article,)),
        ("UPDATE articles SET published_at = ? WHERE id = ?", (rng.choice(TIMES), article)),
        ("UPDATE articles SET story_id = ? WHERE id = ?", (rng.choice(STORIES), article)),
        ("DELETE FROM articles WHERE id = ?", (article,)),
        ("UPDATE articles SET source = ? WHERE id = ?", (rng.choice(SOURCES), article)),
    ]
    sql, params = writes[kind]
    conn.execute(_sql(conn, sql), params)
    return None


def test_entity_counts_equal_a_recount_after_any_mention_or_article_write(db: Database) -> None:
    rng = random.Random(14)

    def steps(conn: Any) -> list[dict[str, Any]]:
        for n in range(12):
            _insert_article(conn, n, rng)
        wrong = []
        for step in range(400):
            articles = [r[0] for r in _rows(conn, "SELECT id FROM articles")]
            if step % 3 == 0:
                _insert_mention(conn, rng, articles)
            elif step % 17 == 0:
                _insert_article(conn, 100 + step, rng)
            else:
                _change(conn, rng)
            if found := differences(conn):
                wrong.append({"step": step, **found})
        conn.execute("DELETE FROM entity_mentions")  # a full re-resolution's first write
        if found := differences(conn):
            wrong.append({"step": "delete all", **found})
        return wrong

    assert db.write(steps) == []
    assert db.write(lambda conn: _rows(conn, "SELECT count(*) FROM entity_days")) == [(0,)]


def test_migration_counts_the_mentions_stored_before_it() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    for name, migration, _ in migrations.MIGRATIONS:
        if name == "014_entity_day_counts":
            break
        migration(conn)
    rng = random.Random(5)
    for n in range(20):
        _insert_article(conn, n, rng)
    articles = [f"a{n}" for n in range(20)]
    for _ in range(80):
        _insert_mention(conn, rng, articles)
    migrations.m014_entity_day_counts(conn)
    assert differences(conn) == {}
    assert _rows(conn, "SELECT sum(articles) FROM entity_article_counts") == _rows(
        conn, f"SELECT count(*) FROM ({LINKED}) l")


# The page queries before migration 014 (grouping the mentions): the answers the
# count tables must give. ``{c}`` is PostgreSQL's code-point collation, "" on SQLite.
GROUPED_PAGE = {
    "articles": "SELECT count(DISTINCT article_id) FROM entity_mentions WHERE entity_id = ?",
    "languages": "SELECT lang, count(*) AS n, count(DISTINCT article_id) AS k FROM entity_mentions"
                 " WHERE entity_id = ? GROUP BY lang ORDER BY n DESC, lang {c}",
    "timeline": f"SELECT {DAY} AS day, sum(m.n) AS n, count(*) AS k FROM (SELECT article_id,"
                " count(*) AS n FROM entity_mentions WHERE entity_id = ? GROUP BY article_id) m"
                " JOIN articles a ON a.id = m.article_id GROUP BY 1 ORDER BY 1",
    "co_occurring": "SELECT e.id, e.name, e.type, c.shared FROM (SELECT o.entity_id,"
                    " count(DISTINCT o.article_id) AS shared FROM (SELECT DISTINCT article_id"
                    " FROM entity_mentions WHERE entity_id = ?) mine JOIN entity_mentions o"
                    " ON o.article_id = mine.article_id WHERE o.entity_id <> ?"
                    " GROUP BY o.entity_id) c JOIN entities e ON e.id = c.entity_id"
                    " ORDER BY c.shared DESC, e.mentions DESC, e.id {c} LIMIT ?",
    "newest": "SELECT a.id FROM (SELECT DISTINCT article_id FROM entity_mentions"
              " WHERE entity_id = ?) m JOIN articles a ON a.id = m.article_id"
              " ORDER BY coalesce(a.published_at, a.ingested_at) {c} DESC, a.rowid DESC LIMIT ?",
    "stories": "SELECT c.story_id, c.n, c.sources FROM (SELECT a.story_id, count(*) AS n,"
               " count(DISTINCT a.source) AS sources FROM (SELECT DISTINCT article_id"
               " FROM entity_mentions WHERE entity_id = ?) m JOIN articles a"
               " ON a.id = m.article_id WHERE a.story_id IS NOT NULL GROUP BY a.story_id) c"
               " JOIN stories s ON s.id = c.story_id"
               " ORDER BY c.n DESC, s.last_day DESC, s.id {c} LIMIT ?",
}


def _fill_pages(conn: Any, rng: random.Random) -> list[str]:
    """Articles over a few days and stories (one story row missing), entities with Zipf-like
    use (and one missing from ``entities``); the stored entities' ids."""
    entities = [f"e:{n:02d}" for n in range(12)]
    for n, entity in enumerate(entities):
        conn.execute(_sql(conn, "INSERT INTO entities (id, name, type, mentions)"
                          " VALUES (?, ?, 'PER', ?)"), (entity, f"Name {n}", rng.randrange(3)))
    for n in range(6):
        conn.execute(_sql(conn, "INSERT INTO stories (id, label, thread_id, size, last_day,"
                          " centroid, member_vectors, updated_at)"
                          " VALUES (?, '', 't', 1, ?, ?, ?, 'now')"),
                     (f"s:{n}", float(rng.randrange(3)), b"", b""))
    for n in range(60):
        conn.execute(_sql(conn, "INSERT INTO articles (id, content_hash, ingested_at,"
                          " published_at, story_id, source) VALUES (?, ?, ?, ?, ?, ?)"),
                     (f"a{n:02d}", f"h{n}", "2024-05-08T10:00:00",
                      f"2024-05-0{1 + rng.randrange(7)}T{rng.randrange(24):02d}:00:00",
                      rng.choice([f"s:{k}" for k in range(7)] + [None]),
                      f"src{rng.randrange(3)}"))
        for _ in range(rng.randrange(1, 5)):
            entity = entities[min(int(rng.paretovariate(0.8)) - 1, 11)]
            entity = "e:not-stored" if rng.random() < 0.1 else entity  # dropped by the joins
            conn.execute(_sql(conn, "INSERT INTO entity_mentions (article_id, start, \"end\","
                              " text, type, lang, entity_id) VALUES (?, 0, 1, 'x', 'PER', ?, ?)"),
                         (f"a{n:02d}", rng.choice(LANGS), entity))
    return entities


def _grouped(conn: Any, collate: str, name: str, *params: Any) -> list[tuple[Any, ...]]:
    rows = conn.execute(_sql(conn, GROUPED_PAGE[name].format(c=collate)), params).fetchall()
    return [tuple(int(v) if isinstance(v, int) else v for v in
                  (r.values() if isinstance(r, dict) else r)) for r in rows]


def _grouped_page(conn: Any, collate: str, entity: str, limit: int) -> tuple[Any, ...]:
    return (_grouped(conn, collate, "articles", entity)[0][0],
            _grouped(conn, collate, "languages", entity),
            _grouped(conn, collate, "timeline", entity),
            _grouped(conn, collate, "co_occurring", entity, entity, limit),
            [r[0] for r in _grouped(conn, collate, "newest", entity, limit)],
            _grouped(conn, collate, "stories", entity, limit))


def test_entity_pages_from_the_counts_equal_the_grouping_queries(db: Any, backend: str) -> None:
    rng = random.Random(3)
    entities = db.write(lambda conn: _fill_pages(conn, rng))
    collate = "" if backend == "sqlite" else 'COLLATE "C"'
    found, expected = [], []
    for entity in entities:
        for limit in (1, 3, 30):
            page = db.entity_page(entity, related=limit, newest=limit)
            stories = db.entity_stories(entity, limit=limit)
            found.append((page.articles, [astuple(x) for x in page.languages],
                          [astuple(x) for x in page.timeline],
                          [astuple(x) for x in page.co_occurring], [x.id for x in page.newest],
                          [(s.id, s.window_articles, s.window_sources) for s in stories]))
            expected.append(db.write(
                lambda conn, e=entity, k=limit: _grouped_page(conn, collate, e, k)))
    assert found == expected
    assert any(len(f[5]) > 1 for f in found) and any(len(f[3]) > 1 for f in found)
