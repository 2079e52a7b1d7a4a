"""Story lists, pages, threads, the front page and story extras through the Store, on both backends.

Stories are written as the clusterer writes them (rows in ``stories``, members by
``articles.story_id``), in each backend's own SQL.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import numpy as np
import pytest

from babelwire import Article
from babelwire.db import entity_tables
from babelwire.db.store import FrontFilters
from babelwire.entities.records import CanonicalEntity, EntityType, Link, LinkRule, Mention
from babelwire.record import Quote, QuoteType

DAY = 86_400
FLOODS = "ent:loc:coast"


def _story(db: Any, backend: str, story_id: str, members: list[tuple[str, str, str, str]],
           headlines: dict[str, str], thread: str = "") -> None:
    """Store ``members`` (id, lang, published, source) as one story."""
    for article_id, lang, published, source in members:
        quotes = [Quote(text=f"We agree ({article_id})", type=QuoteType.DIRECT,
                        spans=((0, 8),), speaker_name="Ana")] if lang == "pt" else []
        db.add_article(Article(id=article_id, title=headlines.get(lang, f"T {article_id}"),
                               text=f"Body of {article_id}.", lang=lang, source=source,
                               published_at=datetime.fromisoformat(published), quotes=quotes))
    days = [datetime.fromisoformat(m[2]).timestamp() / DAY for m in members]
    langs: dict[str, int] = {}
    for member in members:
        langs[member[1]] = langs.get(member[1], 0) + 1
    mark = "?" if backend == "sqlite" else "%s"
    row = (story_id, headlines.get("en", next(iter(headlines.values()))), thread or story_id,
           len(members), min(days), max(days), json.dumps(langs),
           json.dumps(headlines, ensure_ascii=False), np.zeros(4, "<f4").tobytes(), b"")

    def write(conn: Any) -> None:
        conn.execute(
            "INSERT INTO stories (id, label, thread_id, size, first_day, last_day, languages,"
            f" headlines, centroid, member_vectors, updated_at) VALUES ({', '.join([mark] * 10)},"
            " '2024-01-01')", row)
        for article_id, *_ in members:
            conn.execute(f"UPDATE articles SET story_id = {mark} WHERE id = {mark}",
                         (story_id, article_id))

    db.write(write)


def _resolve_floods(db: Any, backend: str, article_ids: list[str]) -> None:
    entity = CanonicalEntity(id=FLOODS, name="The coast", type=EntityType.LOC)
    links = []
    for article_id in article_ids:
        entity.add_variant("coast", "en")
        links.append(Link(mention=Mention(text="coast", type=EntityType.LOC, lang="en",
                                          article_id=article_id, span=(0, 5)),
                          entity_id=FLOODS, rule=LinkRule.NAME_KEY, evidence=""))
    entity_tables.replace_resolution(db, [entity], links)


@pytest.fixture
def store(db: Any, backend: str) -> Any:
    _story(db, backend, "s:big", [("en1", "en", "2024-05-06T09:00:00+00:00", "wire"),
                                  ("fr1", "fr", "2024-05-06T10:30:00+00:00", "lemonde"),
                                  ("pt1", "pt", "2024-05-07T08:00:00+00:00", "folha"),
                                  ("en2", "en", "2024-05-07T09:00:00+00:00", "bbc")],
           {"en": "Floods hit the coast", "fr": "Inondations sur la côte"}, "t:1")
    _story(db, backend, "s:small", [("de1", "de", "2024-05-07T12:00:00+00:00", "faz")],
           {"de": "Wahl in Berlin"})
    _story(db, backend, "s:old", [("en9", "en", "2024-04-01T12:00:00+00:00", "wire"),
                                  ("en8", "en", "2024-04-01T13:00:00+00:00", "wire")],
           {"en": "Earlier floods warning"}, "t:1")
    _resolve_floods(db, backend, ["en1", "en2", "en9"])
    return db


def test_stories_are_listed_by_last_article_newest_first_and_found_by_headline(
        store: Any) -> None:
    assert [s.id for s in store.list_stories()] == ["s:small", "s:big", "s:old"]
    assert [s.id for s in store.list_stories(query="floods")] == ["s:big", "s:old"]
    assert [s.id for s in store.list_stories(query="côte")] == ["s:big"]
    assert [s.id for s in store.list_stories(lang="de")] == ["s:small"]
    assert [s.id for s in store.list_stories(limit=1, offset=1)] == ["s:big"]
    [old] = store.list_stories(query="earlier")
    assert (old.first_day, old.last_day, old.size, old.languages) == (
        "2024-04-01", "2024-04-01", 2, {"en": 2})


def test_story_page_groups_members_by_language_and_lists_its_thread(store: Any) -> None:
    page = store.story_page("s:big")
    assert {lang: [a.id for a in refs] for lang, refs in page.members.items()} == {
        "en": ["en1", "en2"], "fr": ["fr1"], "pt": ["pt1"]}
    assert list(page.members) == ["en", "fr", "pt"]
    assert [s.id for s in page.thread] == ["s:old", "s:big"]
    assert [s.id for s in store.thread("t:1")] == ["s:old", "s:big"]
    assert (store.story_page("s:none"), store.thread("t:none")) == (None, [])
    assert store.story_summary("s:small").headlines == {"de": "Wahl in Berlin"}
    assert store.has_stories() is True


def test_front_page_ranks_stories_by_articles_in_the_window(store: Any) -> None:
    week = FrontFilters(since="2024-05-01", until="2024-05-07")
    front = store.front_stories(week)
    assert [(s.id, s.window_articles, s.window_sources, s.last_day_articles) for s in front] == [
        ("s:big", 4, 4, 2), ("s:small", 1, 1, 1)]
    assert front[0].window_languages == {"en": 2, "fr": 1, "pt": 1}
    french = store.front_stories(FrontFilters(since="2024-05-01", until="2024-05-07",
                                              lang="fr"))
    assert [(s.id, s.window_articles, s.last_day_articles) for s in french] == [("s:big", 1, 0)]
    coast = store.front_stories(FrontFilters(since="2024-04-01", until="2024-05-07",
                                             entity_id=FLOODS))
    assert [(s.id, s.window_articles) for s in coast] == [("s:big", 2), ("s:old", 1)]
    assert store.front_stories(week, limit=1, offset=1)[0].id == "s:small"


def test_story_extras_give_members_timeline_entities_and_quotes(store: Any) -> None:
    extras = store.story_extras("s:big", per_language=1)
    assert [(a.id, a.source) for a in extras.articles] == [
        ("en1", "wire"), ("fr1", "lemonde"), ("pt1", "folha")]
    assert extras.timeline == [("2024-05-06T09", "en", 1), ("2024-05-06T10", "fr", 1),
                               ("2024-05-07T08", "pt", 1), ("2024-05-07T09", "en", 1)]
    assert [(e.id, e.shared_articles) for e in extras.entities] == [(FLOODS, 2)]
    assert [(q.text, q.article_id, q.day) for q in extras.quotes] == [
        ("We agree (pt1)", "pt1", "2024-05-07")]


def test_an_entitys_stories_are_those_holding_most_of_its_articles(store: Any) -> None:
    stories = store.entity_stories(FLOODS)
    assert [(s.id, s.window_articles, s.window_sources) for s in stories] == [
        ("s:big", 2, 2), ("s:old", 1, 1)]
    assert store.latest_day() == "2024-05-07"


@pytest.mark.anyio
async def test_the_web_front_page_and_story_page_render_from_either_store(store: Any) -> None:
    import httpx

    from babelwire.web.app import create_app

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store)),
                                 base_url="http://testserver") as client:
        front = (await client.get("/index.json")).json()
        story = await client.get("/stories/s:big.json")
        page = await client.get("/stories/s:big")
    assert [(s["id"], s["window_articles"]) for s in front["stories"]] == [("s:big", 4),
                                                                           ("s:small", 1)]
    assert (story.status_code, page.status_code) == (200, 200)
    assert "Inondations sur la côte" in page.text
