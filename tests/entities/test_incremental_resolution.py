"""Incremental resolution after ingest gives exactly what one replay of every mention gives.

The property: mentions stored in random batches, each batch linked by
`EntityCatalog.resolve_pending`, leave the same entities (ids, names, types,
counts), variants, mention links (entity, rule, evidence) and stored resolver
state as storing them all and running one replay (`EntityCatalog.resolve`), with
or without user merges and splits made in between.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from babelwire import Database
from babelwire.db import entity_tables
from babelwire.db.resolver_state import StoredResolverState
from babelwire.entities import catalog as catalog_module
from babelwire.entities.catalog import EntityCatalog, ResolutionReport
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, Mention

from ..db.conftest import (  # noqa: F401  (the PostgreSQL fixtures)
    fixture_on_both_backends,
    postgres_template,
    postgres_url,
)
from ..scale.conftest import postgres_cluster  # noqa: F401  (fixture)

db = fixture_on_both_backends("db")  # every test here runs on SQLite and PostgreSQL


PER, ORG, LOC, MISC = EntityType.PER, EntityType.ORG, EntityType.LOC, EntityType.MISC

# Names chosen so every rule of the cascade fires: variants across scripts and
# spellings, surname-only mentions (in the article and across articles), namesakes
# that context tells apart, fuzzy spellings, places, adjectives and new names.
VOCABULARY: list[tuple[str, EntityType, str]] = [
    ("Mikhail Mishustin", PER, "en"), ("Михаил Мишустин", PER, "ru"),
    ("Michail Mischustin", PER, "de"), ("Mishustin", PER, "en"), ("Мишустин", PER, "ru"),
    ("George W. Bush", PER, "en"), ("George Bush", PER, "en"), ("Bush", PER, "en"),
    ("Laura Bush", PER, "en"), ("John Smith", PER, "en"), ("Jane Smith", PER, "en"),
    ("Smith", PER, "en"), ("Olaf Scholz", PER, "de"), ("Scholz", PER, "de"),
    ("Олаф Шольц", PER, "ru"), ("Volodymyr Zelensky", PER, "en"),
    ("Volodymyr Zelenskyy", PER, "en"), ("Володимир Зеленський", PER, "uk"),
    ("Zelensky", PER, "en"), ("Gazprom", ORG, "en"), ("Газпром", ORG, "ru"),
    ("Gasprom", ORG, "de"), ("Aleksandr Lukashenko", PER, "en"),
    ("Alexander Lukaschenko", PER, "de"), ("Lukashenko", PER, "en"), ("Senate", ORG, "en"),
    ("Senato", ORG, "it"), ("Senat", ORG, "de"), ("Senatet", ORG, "nb"), ("President", PER, "en"),
    ("Presidente", PER, "it"), ("Apple", ORG, "en"), ("Apple Inc", ORG, "en"),
    ("Moscow", LOC, "en"), ("Москву", LOC, "ru"), ("Berlin", LOC, "de"), ("Kina", LOC, "nb"),
    ("Russian", PER, "en"), ("russiske", MISC, "nb"), ("Bundesliga", MISC, "de"),
]


def _random_name(rng: random.Random) -> str:
    syllables = ["ka", "lo", "mi", "ra", "to", "ve", "su", "na", "de", "po"]
    given = "".join(rng.choice(syllables) for _ in range(2)).capitalize()
    surname = "".join(rng.choice(syllables) for _ in range(3)).capitalize()
    return f"{given} {surname}"


def _articles(rng: random.Random, count: int) -> list[list[Mention]]:
    articles = []
    for number in range(count):
        mentions = []
        for position in range(rng.randint(1, 7)):
            if rng.random() < 0.15:
                text, type_, lang = _random_name(rng), PER, "en"
            else:
                text, type_, lang = rng.choice(VOCABULARY)
            start = 40 * position
            mentions.append(Mention(text=text, type=type_, lang=lang, article_id=f"a{number:04d}",
                                    span=(start, start + len(text))))
        articles.append(mentions)
    return articles


def _batches(rng: random.Random, articles: list[list[Mention]]) -> Iterator[list[Mention]]:
    i = 0
    while i < len(articles):
        size = rng.randint(1, 4)
        yield [m for article in articles[i:i + size] for m in article]
        i += size


def _replayed(gazetteer: Gazetteer, source: Database) -> dict[str, Any]:
    """The snapshot of one replay of ``source``'s mentions under ``source``'s decisions."""
    with Database(memory=True) as fresh:
        entity_tables.add_mentions(fresh, entity_tables.read_mentions(source))
        for decision in entity_tables.read_decisions(source):
            entity_tables.add_decision(fresh, decision)
        EntityCatalog(fresh, gazetteer=gazetteer).resolve()
        return entity_tables.resolution_snapshot(fresh)


def _ingest(catalog: EntityCatalog, batch: list[Mention]) -> ResolutionReport:
    entity_tables.add_mentions(catalog.db, batch)
    return catalog.resolve_pending()


@pytest.mark.parametrize("seed", range(12))
def test_batches_resolved_incrementally_equal_one_replay_of_every_mention(
        db: Database, gazetteer: Gazetteer, seed: int) -> None:
    rng = random.Random(seed)
    catalog = EntityCatalog(db, gazetteer=gazetteer)
    modes = [_ingest(catalog, batch).mode for batch in _batches(rng, _articles(rng, 24))]
    assert modes[0] == "replay"  # nothing stored yet: the first resolution writes the state
    assert set(modes[1:]) == {"incremental"}
    assert entity_tables.resolution_snapshot(db) == _replayed(gazetteer, db)


def _decide(catalog: EntityCatalog, rng: random.Random) -> None:
    """A random user merge of two people, and a split of a non-canonical variant."""
    people = [row for row in catalog.list(limit=200) if row["type"] == "PER"]
    if len(people) >= 2:
        keep, other = rng.sample(people, 2)
        catalog.merge(keep["id"], other["id"])
    for row in catalog.list(limit=200):
        found = catalog.explain(row["id"])
        spellings = {v["name"] for v in found["variants"]} - {found["name"]}
        if spellings:
            catalog.split(row["id"], sorted(spellings)[0])
            return


@pytest.mark.parametrize("seed", range(8))
def test_user_merges_and_splits_hold_for_batches_resolved_after_them(
        db: Database, gazetteer: Gazetteer, seed: int) -> None:
    rng = random.Random(100 + seed)
    catalog = EntityCatalog(db, gazetteer=gazetteer)
    batches = list(_batches(rng, _articles(rng, 30)))
    for number, batch in enumerate(batches):
        _ingest(catalog, batch)
        if number == len(batches) // 3:
            _decide(catalog, rng)
    assert len(entity_tables.read_decisions(db)) == 2
    assert entity_tables.resolution_snapshot(db) == _replayed(gazetteer, db)


def test_a_merge_that_new_mentions_move_to_other_entities_falls_back_to_a_replay(
        db: Database, gazetteer: Gazetteer) -> None:
    catalog = EntityCatalog(db, gazetteer=gazetteer)
    _ingest(catalog, [Mention(text="Apple", type=ORG, lang="en", article_id="a1", span=(0, 5)),
                      Mention(text="Apple Inc", type=ORG, lang="en", article_id="a2",
                              span=(0, 9))])
    ids = {row["name"]: row["id"] for row in catalog.list()}
    catalog.merge(ids["Apple Inc"], ids["Apple"])
    # A person named Apple: the merge's name "Apple" is now held by a person first.
    report = _ingest(catalog, [Mention(text="Apple", type=PER, lang="en", article_id="a3",
                                       span=(0, 5))])
    assert report.mode == "replay"
    assert entity_tables.resolution_snapshot(db) == _replayed(gazetteer, db)


def test_mentions_that_continue_the_last_resolved_article_are_replayed_with_it(
        db: Database, gazetteer: Gazetteer) -> None:
    catalog = EntityCatalog(db, gazetteer=gazetteer)
    _ingest(catalog, [Mention(text="Laura Bush", type=PER, lang="en", article_id="a1",
                              span=(0, 10))])
    report = _ingest(catalog, [Mention(text="Bush", type=PER, lang="en", article_id="a1",
                                       span=(20, 24))])
    assert report.mode == "replay"
    assert entity_tables.resolution_snapshot(db) == _replayed(gazetteer, db)
    links = entity_tables.resolution_snapshot(db)["links"]
    assert links[1][5] == links[0][5] and links[1][7] == "article_surname"


def test_a_crash_before_the_step_commits_leaves_the_mentions_queued_for_the_next_run(
        db: Database, gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    catalog = EntityCatalog(db, gazetteer=gazetteer)
    first, second, *rest = _batches(rng, _articles(rng, 12))
    _ingest(catalog, first)
    before = entity_tables.resolution_snapshot(db)

    def crash(self: StoredResolverState, meta: object) -> None:
        raise OSError("killed")

    monkeypatch.setattr(StoredResolverState, "write_meta", crash)
    with pytest.raises(OSError, match="killed"):
        _ingest(catalog, second)
    monkeypatch.undo()
    after_crash = entity_tables.resolution_snapshot(db)
    assert {k: v for k, v in after_crash.items() if k != "links"} == {
        k: v for k, v in before.items() if k != "links"}
    assert entity_tables.has_unresolved_mentions(db)
    assert catalog.resolve_pending().mode == "incremental"
    for batch in rest:
        _ingest(catalog, batch)
    assert not entity_tables.has_unresolved_mentions(db)
    assert entity_tables.resolution_snapshot(db) == _replayed(gazetteer, db)


def _first_resolved(db: Database, gazetteer: Gazetteer, seed: int,
                    articles: int) -> tuple[EntityCatalog, list[Mention]]:
    """A catalog whose first random batch is resolved, and the later batches' mentions."""
    rng = random.Random(seed)
    catalog = EntityCatalog(db, gazetteer=gazetteer)
    first, *rest = _batches(rng, _articles(rng, articles))
    _ingest(catalog, first)
    return catalog, [m for batch in rest for m in batch]


def test_a_large_queue_is_linked_in_steps_of_whole_articles_with_the_same_outcome(
        db: Database, gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, later = _first_resolved(db, gazetteer, seed=3, articles=20)
    monkeypatch.setattr(catalog_module, "MAX_MENTIONS_PER_STEP", 5)
    report = _ingest(catalog, later)
    assert (report.mode, report.mentions) == ("incremental", len(later))
    assert entity_tables.resolution_snapshot(db) == _replayed(gazetteer, db)


def test_a_state_from_other_resolver_rules_is_rebuilt_by_a_replay(
        db: Database, gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = EntityCatalog(db, gazetteer=gazetteer)
    _ingest(catalog, [Mention(text="Olaf Scholz", type=PER, lang="de", article_id="a1",
                              span=(0, 11))])
    monkeypatch.setattr(catalog_module, "RESOLVER_STATE_VERSION", 99)
    report = _ingest(catalog, [Mention(text="Олаф Шольц", type=PER, lang="ru", article_id="a2",
                                       span=(0, 10))])
    assert (report.mode, report.mentions) == ("replay", 2)
    assert _ingest(catalog, [Mention(text="Scholz", type=PER, lang="de", article_id="a3",
                                     span=(0, 6))]).mode == "incremental"


def test_an_article_longer_than_a_step_is_linked_whole_in_a_step_of_its_own(
        db: Database, gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, later = _first_resolved(db, gazetteer, seed=5, articles=10)
    long_article = [Mention(text=text, type=type_, lang=lang, article_id="long",
                            span=(50 * i, 50 * i + len(text)))
                    for i, (text, type_, lang) in enumerate(VOCABULARY[:12])]
    monkeypatch.setattr(catalog_module, "MAX_MENTIONS_PER_STEP", 4)
    report = _ingest(catalog, long_article + later)
    assert report.mode == "incremental"
    assert entity_tables.resolution_snapshot(db) == _replayed(gazetteer, db)
