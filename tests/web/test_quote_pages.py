"""Quote pages: /quotes and /entities/<id>/quotes, each with a .json twin from the same data."""

from __future__ import annotations

import httpx
import pytest

from babelwire import Database
from babelwire.web.app import create_app

from ..quotes.quote_store import BRIDGE, LATER, ROTH, RUIZ, fake_embed, fill


def _client(db: Database, *, grouped: bool) -> httpx.AsyncClient:
    embedder = (lambda text: fake_embed([text])[0]) if grouped else None
    transport = httpx.ASGITransport(app=create_app(fill(db), embedder=embedder))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _get(client: httpx.AsyncClient, path: str) -> httpx.Response:
    async with client:
        return await client.get(path)


@pytest.mark.anyio
async def test_entity_quotes_json_groups_one_statement_across_three_languages(
        db: Database) -> None:
    data = (await _get(_client(db, grouped=True), f"/entities/{ROTH}/quotes.json")).json()
    assert (data["entity_name"], data["grouped"]) == ("Jan Roth", True)
    statements = [[q["text"] for q in s["quotes"]] for s in data["statements"]]
    assert statements == [[LATER], [BRIDGE["fr"], BRIDGE["en"], BRIDGE["de"]]]
    assert data["statements"][1]["languages"] == ["de", "en", "fr"]


@pytest.mark.anyio
async def test_quotes_without_an_encoder_list_every_quote_on_its_own(db: Database) -> None:
    data = (await _get(_client(db, grouped=False), "/quotes.json?q=Jan+Roth")).json()
    assert data["grouped"] is False
    assert [len(s["quotes"]) for s in data["statements"]] == [1, 1, 1, 1]


@pytest.mark.anyio
async def test_quotes_page_links_speaker_entity_and_the_quote_in_its_article(
        db: Database) -> None:
    page = (await _get(_client(db, grouped=True), "/quotes?q=bridge")).text
    assert BRIDGE["en"] in page and RUIZ not in page
    assert f'href="/entities/{ROTH.replace(":", "%3A")}">Jan Roth</a>' in page
    assert 'href="/articles/en1#q0"' in page


@pytest.mark.anyio
async def test_quotes_of_an_unknown_entity_are_the_one_json_error(db: Database) -> None:
    response = await _get(_client(db, grouped=False), "/entities/ent:none/quotes.json")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error": "no entity with id 'ent:none'",
                               "errors": ["no entity with id 'ent:none'"], "status": 404}


@pytest.mark.anyio
async def test_quotes_page_escapes_what_was_said(db: Database) -> None:
    from datetime import datetime

    from babelwire import Article
    from babelwire.record import Quote, QuoteType

    client = _client(db, grouped=False)
    db.add_article(Article(id="x1", title="t", text="…", lang="en", source="s",
                           published_at=datetime(2024, 6, 1),
                           quotes=[Quote(text="<script>alert(1)</script> rocks",
                                         type=QuoteType.DIRECT, speaker_name="<b>Eve</b>")]))
    page = (await _get(client, "/quotes?q=rocks")).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
