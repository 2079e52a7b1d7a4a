"""Quote search through the Store: by words, by entity, newest first, kept in step with articles."""

from __future__ import annotations

import json
import sqlite3

from babelwire import Article, Database
from babelwire.db import migrations, quote_search

from ..quotes.quote_store import BRIDGE, LATER, ROTH, RUIZ, fill


def test_entity_quotes_are_every_language_newest_first(db: Database) -> None:
    hits = fill(db).search_quotes(entity_id=ROTH)
    assert [(h.text, h.lang, h.day) for h in hits] == [
        (LATER, "en", "2024-05-09"), (BRIDGE["fr"], "fr", "2024-05-02"),
        (BRIDGE["en"], "en", "2024-05-02"), (BRIDGE["de"], "de", "2024-05-01")]
    assert {h.speaker_entity for h in hits} == {ROTH}


def test_quote_search_matches_words_of_the_quote_or_the_speaker(db: Database) -> None:
    fill(db)
    assert [h.article_id for h in db.search_quotes("brücke")] == ["de1"]
    assert [h.article_id for h in db.search_quotes("bridge", entity_id=ROTH)] == ["en1"]
    [ruiz] = db.search_quotes("Ruiz")
    assert (ruiz.text, ruiz.speaker_entity, ruiz.title) == (RUIZ, None, "Report es1")


def test_quote_search_words_are_never_fts_syntax(db: Database) -> None:
    fill(db)
    assert db.search_quotes('"bridge" AND (NEAR') == []


def test_quote_rows_follow_the_articles_quotes(db: Database, backend: str) -> None:
    fill(db)
    quotes = json.dumps([{"text": "Der Tunnel kommt später", "type": "indirect",
                          "speaker_name": "Jan Roth", "spans": []}])
    mark = "?" if backend == "sqlite" else "%s"
    db.write(lambda conn: conn.execute(f"UPDATE articles SET quotes = {mark} WHERE id = 'de1'",
                                       (quotes,)))
    assert [h.text for h in db.search_quotes("tunnel kommt")] == ["Der Tunnel kommt später"]
    assert db.search_quotes("brücke") == []
    db.write(lambda conn: conn.execute("DELETE FROM articles WHERE id = 'de1'"))
    assert db.search_quotes("tunnel kommt") == []


def test_newest_quotes_of_a_language_give_the_grouping_background(db: Database) -> None:
    assert fill(db).quote_texts("en", limit=5) == [LATER, BRIDGE["en"]]


def test_migration_indexes_the_quotes_of_articles_stored_before_it() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    for name, migration, _ in migrations.MIGRATIONS:
        if name == "008_quotes":
            break
        migration(conn)
    quotes = json.dumps([{"text": "Vi bygger broen", "type": "direct", "speaker_name": "Ola"}])
    conn.execute("INSERT INTO articles (id, content_hash, ingested_at, lang, quotes) VALUES"
                 " ('a1', 'h1', '2024-06-01T10:00:00', 'nb', ?)", (quotes,))
    migrations.m008_quotes(conn)
    [hit] = quote_search.search_quotes(conn, "broen", entity_id=None, limit=5, offset=0)
    assert (hit.article_id, hit.lang, hit.day, hit.speaker_name) == (
        "a1", "nb", "2024-06-01", "Ola")


def test_entity_quote_search_reads_indexes_only() -> None:
    sql, params = quote_search.quote_query("", ROTH)
    with Database(memory=True) as db:  # SQLite's query plan
        plan = " | ".join(r[3] for r in db._reader().execute(f"EXPLAIN QUERY PLAN {sql}",
                                                             params))
    assert "SCAN" not in plan.replace("SCAN quotes_fts", ""), plan
    assert "entity_mentions_entity_article" in plan and "quotes_speaker" in plan


def test_stored_article_without_quotes_adds_no_quote_rows(db: Database) -> None:
    db.add_article(Article(id="x", title="t", text="No quotes here.", lang="en", source="s"))
    assert db.search_quotes("quotes") == []


# An entity's quotes as `quote_query` finds them (from its mentions): what the walk over
# the newest quotes must return. ``{c}``: PostgreSQL's code-point collation, "" on SQLite.
ENTITY_QUOTES_BY_MENTIONS = (
    "SELECT q.id FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.id IN"
    " (SELECT q2.id FROM entity_mentions m2 JOIN quotes q2 ON q2.article_id = m2.article_id"
    " AND q2.speaker_name = m2.text WHERE m2.entity_id = ? UNION SELECT id FROM quotes"
    " WHERE speaker_entity = ?) ORDER BY q.day DESC, q.id DESC LIMIT ? OFFSET ?")


def _quoted_store(conn: object, mark: str) -> list[str]:
    """80 articles over 9 days with 0-2 quotes each; speakers linked by a mention (most),
    by ``speaker_entity`` (a few) or not at all; the speaking entities' ids."""
    import random

    rng = random.Random(8)
    speakers = ["Ana Roth", "Ben Ruiz", "Cy Li", "Nobody"]
    for n in range(80):
        quotes = [{"text": f"quote {n}.{k}", "type": "direct", "speaker_name": rng.choice(speakers),
                   **({"speaker_entity": "e:Cy Li"} if rng.random() < 0.1 else {})}
                  for k in range(rng.randrange(3))]
        conn.execute(  # type: ignore[attr-defined]
            f"INSERT INTO articles (id, content_hash, ingested_at, published_at, lang, quotes)"
            f" VALUES ({mark}, {mark}, '2024-05-10T00:00:00', {mark}, 'en', {mark})",
            (f"a{n}", f"h{n}", f"2024-05-0{1 + rng.randrange(9)}T12:00:00", json.dumps(quotes)))
        for name in speakers[:3]:
            if rng.random() < 0.5:
                conn.execute(  # type: ignore[attr-defined]
                    "INSERT INTO entity_mentions (article_id, start, \"end\", text, type, lang,"
                    f" entity_id) VALUES ({mark}, 0, 1, {mark}, 'PER', 'en', {mark})",
                    (f"a{n}", name, f"e:{name}"))
    return [f"e:{name}" for name in speakers]


def test_entity_quotes_from_the_newest_equal_those_found_from_the_mentions(
        db: Database, backend: str) -> None:
    mark = "?" if backend == "sqlite" else "%s"
    entities = db.write(lambda conn: _quoted_store(conn, mark))
    sql = ENTITY_QUOTES_BY_MENTIONS.replace("?", mark)
    found, expected = [], []
    for entity in entities:
        for limit, offset in ((1, 0), (3, 2), (50, 0), (5, 40)):
            found.append([h.id for h in db.search_quotes(entity_id=entity, limit=limit,
                                                         offset=offset)])
            expected.append(db.write(lambda conn, e=entity, k=limit, o=offset: [
                r["id"] if isinstance(r, dict) else r[0]
                for r in conn.execute(sql, (e, e, k, o)).fetchall()]))
    assert found == expected
    assert any(len(ids) > 10 for ids in found)
