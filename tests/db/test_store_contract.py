"""The `Store` protocol's article, search, quote, watchlist and token methods, on both backends.

Every test here runs on SQLite and on PostgreSQL (tests/db/conftest.py) and
asserts the same outcome on both: that is what "the same store" means.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest

from babelwire import Article
from babelwire.db.store import IngestFailure, SearchFilters, WatchlistKind
from babelwire.errors import StorageError
from babelwire.fingerprint import MinHasher
from babelwire.record import Quote, QuoteType

DAYS = {"n1": "2024-03-01", "e1": "2024-03-02", "n2": "2024-03-03", "d1": "2024-03-04"}


def _dated(article_id: str, lang: str, text: str, **extra: Any) -> Article:
    published = datetime.fromisoformat(f"{DAYS[article_id]}T09:00:00+00:00")
    return Article(id=article_id, title=f"Title {article_id}", text=text, lang=lang,
                   source="wire", published_at=published, **extra)


def _fill(db: Any) -> Any:
    db.add_article(_dated("n1", "nb", "Regjeringen la fram en ny klimaplan for Oslo."))
    db.add_article(_dated("e1", "en", "The government presented a climate plan for Oslo."))
    db.add_article(_dated("n2", "nb", "Klimaplanen får kritikk fra opposisjonen i Oslo."))
    db.add_article(_dated("d1", "de", "Die Regierung in Oslo stellte einen Klimaplan vor."))
    return db


def test_articles_are_listed_newest_first_and_iterated_oldest_first(db: Any) -> None:
    _fill(db)
    assert [a.id for a in db.list_articles()] == ["d1", "n2", "e1", "n1"]
    assert [a.id for a in db.list_articles(limit=2, offset=1)] == ["n2", "e1"]
    assert [a.id for a in db.list_articles(lang="nb")] == ["n2", "n1"]
    assert [a.id for a in db.iter_articles()] == ["n1", "e1", "n2", "d1"]
    assert db.get_article("missing") is None


def test_every_field_and_the_embedding_round_trip_exactly(db: Any, make_article: Any) -> None:
    vector = np.random.default_rng(7).standard_normal(384).astype(np.float32)
    article = make_article(id="a1", url="https://x/1", lang="en", lang_score=0.75,
                           captions=["Photo: Ann"], subheadings=["Part two"], author="Ann",
                           published_at=datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
                           embedding=vector.tolist(),
                           quotes=[Quote(text="We will", type=QuoteType.DIRECT,
                                         speaker_name="Ann", spans=((0, 7),))])
    db.add_article(article)
    stored = db.get_article("a1")
    assert stored == article


def test_all_words_must_appear_and_the_last_may_be_a_prefix(db: Any) -> None:
    _fill(db)
    assert {h.article_id for h in db.search("klimaplan oslo")} == {"n1", "d1"}
    assert {h.article_id for h in db.search("oslo klimaplan")} == {"n1", "n2", "d1"}
    assert db.search("klimaplan xyzzy") == []
    assert db.search("!!! ???") == []


def test_words_inside_numbers_addresses_and_elisions_are_found(db: Any) -> None:
    db.add_article(Article(id="a1", title="Budsjett", text="L'état a 3.5 milliards, écrit"
                           " ann@example.org à 12:30 sur news.example.org/budget."))
    found = {q: [h.article_id for h in db.search(q)]
             for q in ("etat", "5", "example", "30", "budget", "ann example org")}
    assert found == {q: ["a1"] for q in found}


def test_search_filters_by_language_and_inclusive_day_range(db: Any) -> None:
    _fill(db)
    assert [h.article_id for h in db.search("oslo", filters=SearchFilters(lang="nb"))] in (
        ["n1", "n2"], ["n2", "n1"])
    window = SearchFilters(since="2024-03-02", until="2024-03-03")
    assert sorted(h.article_id for h in db.search("oslo", filters=window)) == ["e1", "n2"]
    [hit] = db.search("oslo", filters=SearchFilters(since="2024-03-04"))
    assert (hit.article_id, hit.day, hit.lang, hit.title) == ("d1", "2024-03-04", "de",
                                                             "Title d1")


def test_search_pages_do_not_overlap_and_cover_every_hit(db: Any) -> None:
    _fill(db)
    every = [h.article_id for h in db.search("oslo", limit=10)]
    pages = [h.article_id for offset in range(4) for h in db.search("oslo", limit=1,
                                                                       offset=offset)]
    assert sorted(every) == ["d1", "e1", "n1", "n2"]
    assert pages == every


def _unit(*values: float) -> list[float]:
    vector = np.asarray(values, dtype=np.float32)
    return (vector / np.linalg.norm(vector)).tolist()


def test_semantic_search_ranks_by_inner_product_then_ingestion_order(db: Any) -> None:
    vectors = {"n1": _unit(1, 0, 0), "e1": _unit(1, 1, 0), "n2": _unit(0, 1, 0),
               "d1": _unit(1, 1, 0)}
    for article_id, lang in [("n1", "nb"), ("e1", "en"), ("n2", "nb"), ("d1", "de")]:
        db.add_article(_dated(article_id, lang, f"Text {article_id}.",
                              embedding=vectors[article_id]))
    hits = db.semantic_search(_unit(1, 1, 0))
    assert [h.article_id for h in hits] == ["e1", "d1", "n1", "n2"]  # e1 and d1 tie: older first
    assert [h.rank for h in hits] == pytest.approx([1.0, 1.0, 0.70710677, 0.70710677], abs=1e-6)
    assert hits[0].snippet == "Text e1."
    assert [h.article_id for h in db.semantic_search(_unit(1, 1, 0), limit=2, offset=1)] == [
        "d1", "n1"]
    nb = db.semantic_search(_unit(1, 1, 0), filters=SearchFilters(lang="nb"))
    assert [h.article_id for h in nb] == ["n1", "n2"]
    assert db.semantic_search(_unit(1, 1, 0), model="another-model") == []


def test_exact_and_near_duplicates_keep_their_provenance_in_order(db: Any) -> None:
    hasher = MinHasher()
    body = ("The central bank raised its key interest rate by half a percentage point on"
            " Thursday, the largest increase in two decades, citing persistent inflation in"
            " food and energy prices across the country and abroad, and said more could follow.")
    db.add_article(Article(id="a1", title="Rates", text=body, source="wire"),
                   hasher.fingerprint(body))
    db.add_article(Article(title="Rates", text=body, source="copy", url="https://c/1"),
                   hasher.fingerprint(body))
    edited = body.replace("on Thursday,", "on Thursday morning,")
    near = db.add_article(Article(title="Rates!", text=edited, source="edit", url="https://e/1"),
                          hasher.fingerprint(edited))
    assert (near.outcome.value, near.article_id) == ("near_duplicate", "a1")
    assert [(a["relation"], a["source"], a["url"], a["title"]) for a in db.aliases("a1")] == [
        ("exact", "copy", "https://c/1", "Rates"), ("near", "edit", "https://e/1", "Rates!")]
    stats = db.stats()
    assert (stats["articles"], stats["exact_duplicates"], stats["near_duplicates"]) == (1, 1, 1)


def test_failures_are_kept_newest_first_and_counted(db: Any) -> None:
    for n in range(3):
        db.record_failure(IngestFailure(input_ref=f"in{n}", stage="clean", error="ParseError",
                                        message=f"no text in in{n}",
                                        at=datetime(2024, 1, 1, 12, n, tzinfo=UTC)))
    assert [(f.input_ref, f.message, f.at.minute) for f in db.failures(limit=2)] == [
        ("in2", "no text in in2", 2), ("in1", "no text in in1", 1)]
    assert db.stats()["failures"] == 3


def test_stats_count_languages_most_first_then_by_code(db: Any) -> None:
    _fill(db)
    stats = db.stats()
    assert list(stats["by_language"].items()) == [("nb", 2), ("de", 1), ("en", 1)]
    assert (stats["articles"], stats["by_kind"]) == (4, {"article": 4})
    assert db.languages() == ["de", "en", "nb"]
    assert db.latest_day() == "2024-03-04"
    assert db.has_stories() is False


def test_empty_store_has_no_latest_day_and_no_languages(db: Any) -> None:
    assert (db.latest_day(), db.languages(), db.stats()["articles"]) == (None, [], 0)


def _quoted(article_id: str, lang: str, said: str, speaker: str, entity: str | None) -> Article:
    return _dated(article_id, lang, f"{speaker}: «{said}».",
                  quotes=[Quote(text=said, type=QuoteType.DIRECT, language=lang,
                                speaker_name=speaker, speaker_entity=entity, cue=":")])


def test_quotes_are_searched_by_words_or_speaker_newest_first(db: Any) -> None:
    db.add_article(_quoted("n1", "nb", "Vi bygger broen i mai", "Kari Nordmann", "ent:per:kari"))
    db.add_article(_quoted("e1", "en", "The bridge opens in May", "Kari Nordmann",
                           "ent:per:kari"))
    db.add_article(_quoted("n2", "nb", "Broen er for dyr", "Ola Hansen", None))
    assert [h.article_id for h in db.search_quotes("broen")] == ["n2", "n1"]
    assert [h.article_id for h in db.search_quotes("nordmann")] == ["e1", "n1"]
    [hit] = db.search_quotes("bridge", entity_id="ent:per:kari")
    assert (hit.text, hit.lang, hit.day, hit.speaker_entity, hit.cue, hit.title) == (
        "The bridge opens in May", "en", "2024-03-02", "ent:per:kari", ":", "Title e1")
    assert [h.article_id for h in db.search_quotes(entity_id="ent:per:kari")] == ["e1", "n1"]
    assert db.search_quotes('"broen" AND (NEAR') == []
    assert db.quote_texts("nb", limit=5) == ["Broen er for dyr", "Vi bygger broen i mai"]


def test_query_watchlist_counts_new_items_until_marked_seen(db: Any) -> None:
    _fill(db)
    watch = db.add_watchlist(name=" ", kind=WatchlistKind.QUERY, target="klimaplan oslo")
    assert (watch.name, watch.new_items, watch.lang) == ("klimaplan oslo", 2, None)
    assert [(i.id, i.is_new, i.day) for i in db.watchlist_items(watch.id)] == [
        ("d1", True, "2024-03-04"), ("n1", True, "2024-03-01")]
    assert db.mark_watchlist_seen(watch.id) is True
    db.add_article(Article(id="n3", title="Ny", text="Oslo vedtok klimaplanen og klimaplan B.",
                           lang="nb"))
    assert db.get_watchlist(watch.id).new_items == 1
    assert [(i.id, i.is_new) for i in db.watchlist_items(watch.id, limit=2)] == [
        ("n3", True), ("d1", False)]
    nb = db.add_watchlist(name="nb", kind=WatchlistKind.QUERY, target="oslo", lang="nb")
    assert [w.id for w in db.watchlists()] == [watch.id, nb.id]
    assert [i.id for i in db.watchlist_items(nb.id)] == ["n3", "n2", "n1"]
    assert (db.delete_watchlist(nb.id), db.delete_watchlist(nb.id)) == (True, False)
    assert (db.get_watchlist(nb.id), db.watchlist_items(nb.id), db.mark_watchlist_seen(nb.id)) \
        == (None, [], False)


def test_watchlists_that_cannot_match_are_refused_with_the_reason(db: Any) -> None:
    with pytest.raises(StorageError) as empty:
        db.add_watchlist(name="x", kind=WatchlistKind.QUERY, target="?!")
    with pytest.raises(StorageError) as unknown:
        db.add_watchlist(name="x", kind=WatchlistKind.ENTITY, target="ent:per:nobody")
    assert (str(empty.value), str(unknown.value)) == (
        "query '?!' has no word to search for; use letters or digits",
        "no entity with id 'ent:per:nobody' to watch; pick one from /entities")
    assert db.watchlists() == []


def test_replacing_the_api_token_forgets_the_previous_ones(db: Any) -> None:
    assert db.api_token_digests() == []
    db.replace_api_token("a" * 64, label="first")
    db.replace_api_token("b" * 64)
    assert db.api_token_digests() == ["b" * 64]


def test_same_id_with_other_content_is_refused_and_nothing_is_stored(db: Any) -> None:
    db.add_article(Article(id="a1", title="One", text="First text."))
    with pytest.raises(StorageError, match="article id 'a1' is already stored"):
        db.add_article(Article(id="a1", title="One", text="Second text."))
    assert (db.stats()["articles"], db.get_article("a1").text) == (1, "First text.")


def test_resumed_ingest_adds_no_second_alias_or_failure_and_knows_its_inputs(db: Any) -> None:
    copy = Article(id="c1", title="Title n1", text="Regjeringen la fram en ny klimaplan for Oslo.",
                   source="copy", url="https://c/1")
    failure = IngestFailure(input_ref="bad.json", stage="read", error="ParseError",
                            message="line 3 is not JSON", at=datetime(2024, 1, 1, tzinfo=UTC))
    _fill(db)
    for _ in range(2):  # the same run twice, as after a kill
        db.add_article(copy, source_key="feed#1")
        db.record_failure(failure)
    assert [a["source"] for a in db.aliases("n1")] == ["copy"]
    assert [f.input_ref for f in db.failures()] == ["bad.json"]
    assert (db.is_ingested("feed#1"), db.is_ingested("feed#2")) == (True, False)


def test_stage_fields_of_stored_articles_are_written_again_and_searched(db: Any) -> None:
    _fill(db)
    before = db.generation()
    article = db.get_article("n1")
    article.lang, article.embedding = "da", _unit(1, 0, 0)
    article.quotes = [Quote(text="Planen er klar", type=QuoteType.DIRECT, speaker_name="Kari")]
    assert db.update_articles([article], ["lang", "embedding", "quotes"]) == 1
    stored = db.get_article("n1")
    assert (stored.lang, stored.embedding, db.languages()) == ("da", _unit(1, 0, 0),
                                                               ["da", "de", "en", "nb"])
    assert [h.article_id for h in db.semantic_search(_unit(1, 0, 0))] == ["n1"]
    assert [q.text for q in db.search_quotes("klar")] == ["Planen er klar"]
    assert db.generation() != before
    with pytest.raises(StorageError, match=r"cannot rewrite \['title'\] of stored articles"):
        db.update_articles([article], ["title"])
