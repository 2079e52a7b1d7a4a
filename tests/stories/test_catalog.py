"""Stories in the store: clustering after ingest, pages, threads, decisions, export."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from babelwire.db import Database
from babelwire.entities.places import Gazetteer
from babelwire.evidence import EvidenceExtractor
from babelwire.export import write_jsonl
from babelwire.record import Article
from babelwire.stories.catalog import StoryCatalog, StoryError
from babelwire.stories.features import FeatureExtractor
from babelwire.stories.training import pairwise_f1

from ..db.conftest import (  # noqa: F401  (the PostgreSQL fixtures)
    fixture_on_both_backends,
    postgres_template,
    postgres_url,
)
from ..scale.conftest import postgres_cluster  # noqa: F401  (fixture)
from .synthetic import World

START = datetime(2024, 3, 1, 9, tzinfo=UTC)
EVENTS = {
    "summit": ("eu", ["Scholz and Macron met in Brussels on Tuesday about the 2050 plan.",
                      "Scholz und Macron trafen sich am Dienstag in Brüssel zum Plan 2050.",
                      "Scholz et Macron se sont réunis mardi à Bruxelles sur le plan 2050."]),
    "quake": ("disaster", ["An earthquake of magnitude 6.1 hit Izmir, AFAD said.",
                           "Ein Erdbeben der Stärke 6,1 erschütterte Izmir, so AFAD.",
                           "Un séisme de magnitude 6,1 a frappé Izmir, selon l'AFAD."]),
    "final": ("sport", ["Real Madrid beat Dortmund 2-0 in the final at Wembley.",
                        "Real Madrid schlug Dortmund im Finale in Wembley mit 2:0.",
                        "Le Real Madrid a battu Dortmund 2-0 en finale à Wembley."]),
}
LANGS = ("en", "de", "fr")


class _NoPlaces:
    """A gazetteer that knows no place: building the real one takes most of a minute, and
    these tests are about the store, not places (tests/test_evidence.py covers those)."""

    def lookup(self, phrase: str, lang: str = "und") -> None:
        return None


@pytest.fixture(scope="session")
def extractor() -> FeatureExtractor:
    return FeatureExtractor(EvidenceExtractor(gazetteer=cast(Gazetteer, _NoPlaces())))


store = fixture_on_both_backends("store")  # every test here runs on SQLite and PostgreSQL


def _articles(world: World, *, day: int = 0, suffix: str = "") -> list[Article]:
    out = []
    for event, (topic, texts) in EVENTS.items():
        for lang, text in zip(LANGS, texts, strict=True):
            vector = world.article("x", event=event + suffix, topic=topic, lang=lang,
                                   day=0.0).vector
            body = f"{text} Update {suffix}." if suffix else text  # not a duplicate
            out.append(Article(id=f"{event}{suffix}-{lang}", title=text.split(" on ")[0],
                               text=body, lang=lang, source="test",
                               published_at=START + timedelta(days=day, hours=len(out)),
                               embedding=np.asarray(vector, dtype=float).tolist()))
    return out


def _store_all(db: Database, articles: list[Article]) -> None:
    for article in articles:
        db.add_article(article)


def _story_of(db: Database) -> dict[str, str]:
    return {a.id: a.story_id for a in db.iter_articles() if a.story_id is not None}


def _catalog(db: Database, extractor: FeatureExtractor) -> StoryCatalog:
    return StoryCatalog(db, feature_extractor=extractor)


def test_clustering_puts_each_event_in_one_story_across_languages(
        store: Database, extractor: FeatureExtractor) -> None:
    _store_all(store, _articles(World()))
    report = _catalog(store, extractor).cluster_pending()
    stories = _story_of(store)
    assert (report.articles, report.new_stories) == (9, 3)
    for event in EVENTS:
        assert len({stories[f"{event}-{lang}"] for lang in LANGS}) == 1
    assert len(set(stories.values())) == 3


def test_story_page_lists_members_per_language_and_headlines(
        store: Database, extractor: FeatureExtractor) -> None:
    _store_all(store, _articles(World()))
    _catalog(store, extractor).cluster_pending()
    story_id = _story_of(store)["summit-de"]
    page = store.story_page(story_id)
    assert page is not None
    assert sorted(page.members) == ["de", "en", "fr"]
    assert [a.id for a in page.members["fr"]] == ["summit-fr"]
    assert page.story.size == 3 and page.story.first_day == "2024-03-01"
    assert page.story.label == page.story.headlines["en"]
    assert [s.id for s in page.thread] == [story_id]
    assert store.story_page("story:none") is None


def test_aged_out_stories_stay_listed_and_found_by_headline(
        store: Database, extractor: FeatureExtractor) -> None:
    world = World()
    _store_all(store, _articles(world))
    _catalog(store, extractor).cluster_pending()
    _store_all(store, _articles(world, day=40, suffix="2"))
    _catalog(store, extractor).cluster_pending()
    assert len(store.list_stories(limit=50)) == 6
    found = store.list_stories(query="earthquake")
    assert {s.last_day for s in found} == {"2024-03-01", "2024-04-10"}
    assert all("de" in s.languages for s in store.list_stories(lang="de"))


def test_a_second_ingest_joins_the_live_story_of_the_first(
        store: Database, extractor: FeatureExtractor) -> None:
    world = World()
    articles = _articles(world)
    _store_all(store, articles[:2])
    _catalog(store, extractor).cluster_pending()
    _store_all(store, articles[2:])
    report = _catalog(store, extractor).cluster_pending()
    stories = _story_of(store)
    assert report.stories_loaded == 1
    assert stories["summit-fr"] == stories["summit-en"]
    page = store.story_page(stories["summit-en"])
    assert page is not None and page.story.size == 3


def test_two_ingest_runs_in_another_order_agree_with_one_run(
        store: Database, extractor: FeatureExtractor) -> None:
    articles = _articles(World())
    _store_all(store, articles)
    _catalog(store, extractor).cluster_pending()
    one_run = _story_of(store)
    other = Database(memory=True)
    try:
        _store_all(other, articles[5:])
        _catalog(other, extractor).cluster_pending()
        _store_all(other, articles[:5])
        _catalog(other, extractor).cluster_pending()
        assert pairwise_f1(one_run, _story_of(other)) >= 0.95
    finally:
        other.close()


def test_merge_is_kept_when_the_range_is_reclustered(
        store: Database, extractor: FeatureExtractor) -> None:
    _store_all(store, _articles(World()))
    catalog = _catalog(store, extractor)
    catalog.cluster_pending()
    before = _story_of(store)
    catalog.merge([before["summit-en"], before["quake-en"]])
    catalog.recluster(START - timedelta(days=1), START + timedelta(days=1))
    after = _story_of(store)
    assert after["summit-en"] == after["quake-fr"]
    assert after["final-en"] != after["summit-en"]
    assert [d.kind.value for d in catalog.decisions()] == ["merge"]


def test_split_is_kept_when_the_range_is_reclustered(
        store: Database, extractor: FeatureExtractor) -> None:
    _store_all(store, _articles(World()))
    catalog = _catalog(store, extractor)
    catalog.cluster_pending()
    story = _story_of(store)["final-en"]
    catalog.split(story, ["final-fr"])
    catalog.recluster(START - timedelta(days=1), START + timedelta(days=1))
    after = _story_of(store)
    assert after["final-en"] == after["final-de"] != after["final-fr"]


def test_split_of_an_article_outside_the_story_says_which(
        store: Database, extractor: FeatureExtractor) -> None:
    _store_all(store, _articles(World()))
    catalog = _catalog(store, extractor)
    catalog.cluster_pending()
    story = _story_of(store)["final-en"]
    with pytest.raises(StoryError, match=r"articles \['quake-en'\] are not in story"):
        catalog.split(story, ["quake-en"])


def test_export_carries_each_articles_story_id(store: Database,
                                               extractor: FeatureExtractor) -> None:
    _store_all(store, _articles(World()))
    _catalog(store, extractor).cluster_pending()
    out = io.StringIO()
    write_jsonl(store.iter_articles(), out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {r["id"]: r["story_id"] for r in records} == _story_of(store)
    assert all(r["story_id"].startswith("story:") for r in records)


def test_reclustering_everything_agrees_with_streaming_it_within_tolerance(
        store: Database, extractor: FeatureExtractor) -> None:
    world = World()
    articles = _articles(world) + _articles(world, day=1, suffix="b")
    catalog = _catalog(store, extractor)
    for start in range(0, len(articles), 4):  # streamed: five ingest runs
        _store_all(store, articles[start:start + 4])
        catalog.cluster_pending()
    streamed = _story_of(store)
    report = catalog.recluster(START - timedelta(days=1), START + timedelta(days=3))
    assert report.articles == len(articles)
    assert pairwise_f1(streamed, _story_of(store)) >= 0.95


def test_stories_list_and_show_commands_print_the_store_s_stories(
        tmp_path: Path, extractor: FeatureExtractor) -> None:
    from click.testing import CliRunner

    from babelwire.cli import cli

    path = tmp_path / "stories.db"
    with Database(path) as db:
        _store_all(db, _articles(World()))
        _catalog(db, extractor).cluster_pending()
    listed = CliRunner().invoke(cli, ["--db", str(path), "stories", "list", "--lang", "fr"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert listed.exit_code == 0 and len(rows) == 3
    shown = CliRunner().invoke(cli, ["--db", str(path), "stories", "show", rows[0]["id"]])
    page = json.loads(shown.output)
    assert sorted(page["members"]) == ["de", "en", "fr"]
    missing = CliRunner().invoke(cli, ["--db", str(path), "stories", "show", "story:nope"])
    assert missing.exit_code == 1 and "no story with id 'story:nope'" in missing.output
