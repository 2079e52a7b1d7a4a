"""The entity list and entity pages, each with a .json twin from the same view data."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from babelwire import Article, Database
from babelwire.db import entity_tables
from babelwire.entities.records import CanonicalEntity, EntityType, Link, LinkRule, Mention
from babelwire.record import Entity
from babelwire.web.app import create_app

CHINA, XI = "geo:country:CN", "ent:per:xi"
HOSTILE = "<b>Xi</b>"


def _store(db: Database) -> Database:
    texts = {"nb1": ("nb", "2024-05-02T10:00:00+00:00", [("Kina", CHINA), ("Xi Jinping", XI)]),
             "ru1": ("ru", "2024-05-01T10:00:00+00:00", [("Китай", CHINA)]),
             "en1": ("en", "2024-05-02T18:00:00+00:00", [("China", CHINA), (HOSTILE, XI)])}
    china = CanonicalEntity(id=CHINA, name="China", type=EntityType.LOC)
    xi = CanonicalEntity(id=XI, name="Xi Jinping", type=EntityType.PER)
    links = []
    for article_id, (lang, published, mentions) in texts.items():
        entities = []
        for k, (text, entity_id) in enumerate(mentions):
            target = china if entity_id == CHINA else xi
            target.add_variant(text, lang)
            span = (20 * k, 20 * k + len(text))
            entities.append(Entity(id=entity_id, name=target.name, type=str(target.type),
                                   spans=(span,), mention=text))
            links.append(Link(mention=Mention(text=text, type=target.type, lang=lang,
                                              article_id=article_id, span=span),
                              entity_id=entity_id, rule=LinkRule.NAME_KEY, evidence=""))
        db.add_article(Article(id=article_id, title=f"News {article_id}", text="Body text.",
                               lang=lang, published_at=datetime.fromisoformat(published),
                               entities=entities))
    entity_tables.replace_resolution(db, [china, xi], links)
    return db


@pytest.fixture
def client(db: Database) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(_store(db)))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _get(client: httpx.AsyncClient, path: str) -> httpx.Response:
    async with client:
        return await client.get(path)


@pytest.mark.anyio
async def test_entity_json_has_counts_per_day_and_language_and_company(
        client: httpx.AsyncClient) -> None:
    data = (await _get(client, f"/entities/{CHINA}.json")).json()["entity"]
    assert (data["name"], data["mentions"], data["articles"]) == ("China", 3, 3)
    assert data["timeline"] == [{"key": "2024-05-01", "mentions": 1, "articles": 1},
                                {"key": "2024-05-02", "mentions": 2, "articles": 2}]
    assert [lang["key"] for lang in data["languages"]] == ["en", "nb", "ru"]
    assert data["co_occurring"] == [{"id": XI, "name": "Xi Jinping", "type": "PER",
                                     "shared_articles": 2}]
    assert [a["id"] for a in data["newest"]] == ["en1", "nb1", "ru1"]


@pytest.mark.anyio
async def test_entity_page_shows_the_same_data_with_escaped_variants(
        client: httpx.AsyncClient) -> None:
    response = await _get(client, f"/entities/{XI}")
    assert response.status_code == 200
    assert "<h1>Xi Jinping</h1>" in response.text
    assert "&lt;b&gt;Xi&lt;/b&gt;" in response.text and HOSTILE not in response.text
    assert '<a href="/entities/geo%3Acountry%3ACN">China</a>' in response.text
    assert '<a href="/articles/nb1">News nb1</a>' in response.text


@pytest.mark.anyio
async def test_entity_list_json_is_most_mentioned_first_and_filters_by_name_and_type(
        db: Database) -> None:
    app = create_app(_store(db))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as client:
        everything = (await client.get("/entities.json")).json()
        by_name = (await client.get("/entities.json", params={"q": "Кит"})).json()
        people = (await client.get("/entities.json", params={"type": "PER"})).json()
        page = await client.get("/entities", params={"q": "Кит"})
    assert [(e["id"], e["mentions"]) for e in everything["entities"]] == [(CHINA, 3), (XI, 2)]
    assert [e["id"] for e in by_name["entities"]] == [CHINA]
    assert [e["id"] for e in people["entities"]] == [XI]
    assert '<a href="/entities/geo%3Acountry%3ACN">China</a>' in page.text


@pytest.mark.anyio
async def test_article_page_links_its_names_to_their_entity_pages(
        client: httpx.AsyncClient) -> None:
    response = await _get(client, "/articles/ru1")
    assert '<a href="/entities/geo%3Acountry%3ACN">Китай</a>' in response.text


@pytest.mark.anyio
async def test_missing_entity_json_uses_the_one_error_shape(client: httpx.AsyncClient) -> None:
    response = await _get(client, "/entities/ent:per:nobody.json")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error": "no entity with id 'ent:per:nobody'",
                               "errors": ["no entity with id 'ent:per:nobody'"], "status": 404}


@pytest.mark.anyio
async def test_entity_page_shows_what_the_entity_said_with_links_to_the_sentence(
        db: Database) -> None:
    from babelwire.record import Quote, QuoteType

    _store(db)
    db.add_article(Article(id="q1", title="Speech", text='Xi said "we <will> grow".', lang="en",
                           quotes=[Quote(text="we <will> grow", type=QuoteType.DIRECT,
                                         spans=((8, 24),), speaker_name="Xi Jinping",
                                         speaker_entity=XI)]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(db)),
                                 base_url="http://testserver") as client:
        data = (await client.get(f"/entities/{XI}.json")).json()
        page = (await client.get(f"/entities/{XI}")).text
    assert [(q["article_id"], q["text"]) for q in data["quotes"]] == [("q1", "we <will> grow")]
    assert '<q lang="en">we &lt;will&gt; grow</q>' in page
    assert '<a href="/articles/q1#q0">Speech</a>' in page
