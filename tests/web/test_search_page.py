"""The search page: full text with snippets, by meaning across languages, filters, pages."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from babelwire import Article, Database
from babelwire.web.app import create_app

AXES = {"tanker": [1.0, 0.0, 0.0, 0.0], "football": [0.0, 1.0, 0.0, 0.0]}


def _embed(query: str) -> list[float]:
    """A fake query embedder: the query's topic word picks an axis."""
    return next(v for word, v in AXES.items() if word in query) if any(
        w in query for w in AXES) else [0.0, 0.0, 1.0, 0.0]


@pytest.fixture
def store(db: Database) -> Database:
    rows = [("en1", "en", "2008-03-01", "Tanker deal for the air force", [0.9, 0.1, 0, 0]),
            ("es1", "es", "2008-03-02", "Contrato de aviones cisterna", [0.95, 0.05, 0, 0]),
            ("it1", "it", "2008-04-01", "Partita di calcio", [0.1, 0.9, 0, 0]),
            ("x1", "en", "2008-05-01", "<script>alert(1)</script> tanker", [0.8, 0.2, 0, 0])]
    for article_id, lang, day, title, vector in rows:
        db.add_article(Article(id=article_id, title=title, text=f"{title}. Body text.",
                               lang=lang, embedding=vector,
                               published_at=datetime.fromisoformat(day)))
    return db


async def _get(app: object, path: str, **params: object) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
                                 base_url="http://testserver") as client:
        return await client.get(path, params=params)


@pytest.mark.anyio
async def test_search_by_meaning_finds_articles_in_other_languages_best_first(
        store: Database) -> None:
    data = (await _get(create_app(store, embedder=_embed), "/search.json", q="tanker")).json()
    assert data["mode"] == "semantic"
    assert [h["article_id"] for h in data["hits"]] == ["es1", "en1", "x1", "it1"]
    assert data["hits"][0]["day"] == "2008-03-02"


@pytest.mark.anyio
async def test_search_filters_by_language_and_day_range_in_both_modes(store: Database) -> None:
    app = create_app(store, embedder=_embed)
    by_lang = (await _get(app, "/search.json", q="tanker", lang="en")).json()
    by_days = (await _get(app, "/search.json", q="tanker", since="2008-03-02",
                          until="2008-04-30")).json()
    text = (await _get(app, "/search.json", q="tanker", mode="text", lang="en",
                       until="2008-03-31")).json()
    assert [h["article_id"] for h in by_lang["hits"]] == ["en1", "x1"]
    assert [h["article_id"] for h in by_days["hits"]] == ["es1", "it1"]
    assert [h["article_id"] for h in text["hits"]] == ["en1"]
    assert text["filters"] == {"lang": "en", "since": None, "until": "2008-03-31"}


@pytest.mark.anyio
async def test_search_pages_through_hits_and_says_whether_there_is_a_next_page(
        db: Database) -> None:
    for n in range(25):
        db.add_article(Article(id=f"a{n:02}", title=f"Storm report {n}", text="Storm. Rain."))
    app = create_app(db)
    first = (await _get(app, "/search.json", q="storm")).json()
    second = (await _get(app, "/search.json", q="storm", page=2)).json()
    assert (len(first["hits"]), first["has_next"]) == (20, True)
    assert (len(second["hits"]), second["has_next"]) == (5, False)
    assert not {h["article_id"] for h in first["hits"]} & {h["article_id"] for h in second["hits"]}


@pytest.mark.anyio
async def test_search_page_marks_snippet_matches_and_escapes_titles(store: Database) -> None:
    page = (await _get(create_app(store), "/search", q="tanker")).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; tanker" in page
    assert "<script>alert" not in page
    assert "<mark>tanker</mark>" in page


@pytest.mark.anyio
async def test_search_by_meaning_without_an_embedder_says_it_is_off(store: Database) -> None:
    data = (await _get(create_app(store), "/search.json", q="tanker", mode="semantic")).json()
    assert data["hits"] == []
    assert data["notice"].startswith("search by meaning is off on this server")


@pytest.mark.anyio
async def test_search_with_a_bad_date_is_a_422_in_the_one_error_shape(store: Database) -> None:
    response = await _get(create_app(store), "/search.json", q="x", since="yesterday")
    assert response.status_code == 422
    body = response.json()
    assert (body["ok"], body["status"]) == (False, 422)
    assert body["error"].startswith("query.since: ")


@pytest.mark.anyio
async def test_search_form_with_empty_day_fields_means_no_day_filter(store: Database) -> None:
    data = (await _get(create_app(store), "/search.json", q="tanker", mode="text", since="",
                       until="", lang="")).json()
    assert data["filters"] == {"lang": None, "since": None, "until": None}
    assert len(data["hits"]) == 2


@pytest.mark.anyio
async def test_search_day_bounds_compare_as_days_so_a_month_end_bound_works(
        store: Database) -> None:
    data = (await _get(create_app(store), "/search.json", q="tanker", mode="text",
                       since="2008-02-30", until="2008-04-31")).json()
    assert [h["article_id"] for h in data["hits"]] == ["en1"]  # x1 (May) is past the bound


@pytest.mark.anyio
async def test_a_default_search_over_a_store_without_embeddings_shows_full_text_hits(
        db: Database) -> None:
    db.add_article(Article(id="d1", title="Tanker deal", text="Tanker deal. Body text.",
                           lang="en"))
    app = create_app(db, embedder=_embed)
    data = (await _get(app, "/search.json", q="tanker")).json()
    assert (data["mode"], [h["article_id"] for h in data["hits"]]) == ("text", ["d1"])
    assert data["notice"].endswith("showing full-text matches instead")
    chosen = (await _get(app, "/search.json", q="tanker", mode="semantic")).json()
    assert (chosen["mode"], chosen["hits"]) == ("semantic", [])
