from __future__ import annotations

import httpx
import pytest

from babelwire import Article, Database
from babelwire.web.app import create_app

HOSTILE_TITLE = '<script>alert("x")</script> Breaking'


@pytest.fixture
def client(db: Database):  # noqa: ANN201
    db.add_article(Article(id="a1", title=HOSTILE_TITLE, text="Body <b>bold</b> text.",
                           source="wire", lang="en", licence="CC BY 2.5"))
    transport = httpx.ASGITransport(app=create_app(db))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _get(client: httpx.AsyncClient, path: str) -> httpx.Response:
    async with client:
        return await client.get(path)


@pytest.mark.anyio
async def test_front_page_lists_articles_with_escaped_titles(client) -> None:  # noqa: ANN001
    response = await _get(client, "/")
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Breaking" in response.text
    assert "<script>" not in response.text


@pytest.mark.anyio
async def test_pages_send_a_strict_content_security_policy(client) -> None:  # noqa: ANN001
    response = await _get(client, "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.anyio
async def test_article_list_json_twin_has_the_same_articles(client) -> None:  # noqa: ANN001
    data = (await _get(client, "/articles.json")).json()
    assert [a["title"] for a in data["articles"]] == [HOSTILE_TITLE]
    assert data["stats"]["articles"] == 1


@pytest.mark.anyio
async def test_article_page_shows_text_and_licence(client) -> None:  # noqa: ANN001
    response = await _get(client, "/articles/a1")
    assert "Body &lt;b&gt;bold&lt;/b&gt; text." in response.text
    assert "CC BY 2.5" in response.text


@pytest.mark.anyio
async def test_missing_article_json_uses_the_one_error_shape(client) -> None:  # noqa: ANN001
    response = await _get(client, "/articles/nope.json")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error": "no article with id 'nope'",
                               "errors": ["no article with id 'nope'"], "status": 404}


@pytest.mark.anyio
async def test_search_json_finds_article_with_snippet(client) -> None:  # noqa: ANN001
    data = (await _get(client, "/search.json?q=bold")).json()
    assert [(h["article_id"], h["snippet"]) for h in data["hits"]] == [
        ("a1", "Body <b>[bold]</b> text.")]


@pytest.mark.anyio
async def test_article_whose_id_has_a_slash_has_a_page_and_a_json_twin(db: Database) -> None:
    db.add_article(Article(id="meantime:en:corpus_airbus/100911", title="Airbus wins",
                           text="Body."))
    app = create_app(db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as client:
        page = await client.get("/articles/meantime:en:corpus_airbus/100911")
        twin = await client.get("/articles/meantime:en:corpus_airbus/100911.json")
    assert page.status_code == 200 and "<h1>Airbus wins</h1>" in page.text
    assert twin.json()["article"]["id"] == "meantime:en:corpus_airbus/100911"


@pytest.mark.anyio
async def test_article_page_highlights_quotes_and_names_and_escapes_their_text(
        db: Database) -> None:
    from babelwire.record import Entity, Quote, QuoteType

    text = 'Ana <i>Lima</i> said "<script>x()</script> now".\nSecond line.'
    db.add_article(Article(
        id="q1", title="T", text=text, lang="pt",
        entities=[Entity(id="ent:per:lima", name="Ana Lima", type="PER", spans=((0, 15),),
                         mention="Ana <i>Lima</i>")],
        quotes=[Quote(text="<script>x()</script> now", type=QuoteType.DIRECT,
                      spans=((21, 47),), speaker_name="Ana Lima",
                      speaker_entity="ent:per:lima", speaker_spans=((0, 15),),
                      cue_spans=((16, 20),))]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(db)),
                                 base_url="http://testserver") as client:
        page = (await client.get("/articles/q1")).text
        data = (await client.get("/articles/q1.json")).json()
    assert ('<span class="speaker" data-quote="0"><a class="ent t-PER" href="/entities/'
            'ent%3Aper%3Alima" title="Ana Lima (PER)">Ana &lt;i&gt;Lima&lt;/i&gt;</a></span>'
            in page)
    assert ('<mark class="quote" data-quote="0" id="q0">&#34;&lt;script&gt;x()&lt;/script&gt;'
            ' now&#34;</mark>' in page)
    assert "<script>x()" not in page and "<i>Lima" not in page
    assert '<a class="jump" href="#q0">' in page
    assert [[run["text"] for run in p] for p in data["paragraphs"]] == [
        ["Ana <i>Lima</i>", " ", "said", " ", '"<script>x()</script> now"', "."],
        ["Second line."]]
