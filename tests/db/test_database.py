from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from babelwire import Article, Database
from babelwire.db import AddOutcome
from babelwire.db.migrations import MIGRATIONS
from babelwire.errors import StorageError
from babelwire.fingerprint import MinHasher

BODY = ("The central bank raised its key interest rate by half a percentage point on Thursday,"
        " the largest increase in two decades, citing persistent inflation in food and energy"
        " prices across the country and abroad. The governor told reporters that further"
        " increases could follow in the coming months if wage growth stayed high, while the"
        " finance minister said the government would present a budget with lower spending.")


def _article(article_id: str, text: str = BODY, title: str = "Rates rise") -> Article:
    return Article(id=article_id, title=title, text=text, source="wire", url=f"https://x/{article_id}")


def test_database_file_uses_wal_and_records_migrations(tmp_path: Path) -> None:
    with Database(tmp_path / "b.db"):
        pass
    conn = sqlite3.connect(tmp_path / "b.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applied = [r[0] for r in conn.execute("SELECT name FROM _migrations")]
    assert applied == [migration.name for migration in MIGRATIONS]
    assert applied[:5] == ["001_articles", "002_embeddings", "003_embedding_log",
                           "004_entities", "005_entity_page_indexes"]


def test_reopening_applies_no_migration_twice(tmp_path: Path) -> None:
    Database(tmp_path / "b.db").close()
    with Database(tmp_path / "b.db") as db:
        db.add_article(_article("a1"))
        assert db.stats()["articles"] == 1


def test_same_content_twice_is_stored_once_and_linked(db: Database) -> None:
    first = db.add_article(_article("a1"))
    second = db.add_article(Article(title="Rates rise", text=BODY + "\n", source="other",
                                    url="https://y/1"))
    assert (first.outcome, second.outcome, second.article_id) == (
        AddOutcome.INSERTED, AddOutcome.DUPLICATE, "a1")
    assert [(a["relation"], a["source"], a["url"]) for a in db.aliases("a1")] == [
        ("exact", "other", "https://y/1")]


def test_near_duplicate_is_linked_not_stored(db: Database) -> None:
    hasher = MinHasher()
    db.add_article(_article("a1"), hasher.fingerprint(BODY))
    edited = BODY.replace("on Thursday,", "on Thursday morning,")
    result = db.add_article(_article("a2", text=edited), hasher.fingerprint(edited))
    assert result.outcome is AddOutcome.NEAR_DUPLICATE
    assert result.article_id == "a1"
    assert result.similarity >= 0.8
    assert db.stats()["articles"] == 1


def test_different_articles_are_not_near_duplicates(db: Database) -> None:
    hasher = MinHasher()
    other = ("Heavy snow closed the mountain pass for the third day, and the road authority said"
             " it could not promise to reopen it before the weekend because of avalanche risk.")
    db.add_article(_article("a1"), hasher.fingerprint(BODY))
    result = db.add_article(_article("a2", text=other, title="Snow"), hasher.fingerprint(other))
    assert result.outcome is AddOutcome.INSERTED


def test_same_id_with_other_content_is_refused_with_advice(db: Database) -> None:
    db.add_article(_article("a1"))
    with pytest.raises(StorageError) as info:
        db.add_article(_article("a1", text="Something else entirely."))
    assert str(info.value) == (
        "article id 'a1' is already stored with different content; give the changed article"
        " its own id (or drop the id field to use a hash)")


def test_search_ignores_diacritics_and_returns_snippets(db: Database) -> None:
    db.add_article(_article("a1", text="Støre møtte Macron i Genève om energipolitikk.",
                            title="Møte i Paris"))
    [hit] = db.search("energipolitikk")
    assert hit.article_id == "a1"
    assert "[energipolitikk]" in hit.snippet
    assert [h.article_id for h in db.search("Geneve")] == ["a1"]


def test_search_with_fts_syntax_characters_does_not_fail(db: Database) -> None:
    db.add_article(_article("a1"))
    assert db.search('rate" OR NEAR( -') == []
    assert [h.article_id for h in db.search("interest rate")] == ["a1"]


def test_article_round_trips_through_the_store(db: Database) -> None:
    article = _article("a1")
    article.captions = ["STATSMINISTER: Jonas Gahr Støre."]
    article.lang, article.lang_score = "en", 0.99
    db.add_article(article)
    stored = db.get_article("a1")
    assert stored is not None
    assert (stored.title, stored.text, stored.captions, stored.lang, stored.url) == (
        "Rates rise", BODY, ["STATSMINISTER: Jonas Gahr Støre."], "en", "https://x/a1")


def test_closed_database_refuses_writes_with_a_clear_error() -> None:
    database = Database(memory=True)
    database.close()
    with pytest.raises(StorageError, match="the database is closed"):
        database.add_article(_article("a1"))


def test_languages_lists_each_stored_language_once_sorted(db: Database) -> None:
    for n, lang in enumerate(["nb", "en", "nb", "zh", "en"]):
        db.add_article(Article(id=f"a{n}", title=f"T{n}", text=f"Body {n}.", lang=lang))
    assert db.languages() == ["en", "nb", "zh"]
    with Database(memory=True) as empty:
        assert empty.languages() == []


def test_search_ranks_best_first_and_pages_equal_ranks_in_storage_order(db: Database) -> None:
    for n in range(7):  # same words, same length: equal bm25
        db.add_article(_article(f"tie{n}", text=f"Harbour strike number {n} today.",
                                title=f"Strike {n}"))
    db.add_article(_article("best", text="Harbour strike, harbour strike, harbour strike.",
                            title="Harbour strike"))
    pages = [[h.article_id for h in db.search("harbour", limit=3, offset=o)] for o in (0, 3, 6)]
    assert pages == [["best", "tie0", "tie1"], ["tie2", "tie3", "tie4"], ["tie5", "tie6"]]
    assert all("[Harbour]" in h.snippet or "[harbour]" in h.snippet for h in db.search("harbour"))
