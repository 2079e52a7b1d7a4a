"""Watchlists: save an entity or a query, see what is new since last seen, follow it as Atom."""

from __future__ import annotations

from xml.etree import ElementTree

import httpx
import pytest

from babelwire import Article, Database
from babelwire.db.store import WatchlistKind
from babelwire.web.app import create_app
from tests.web.test_entity_pages import CHINA, _store

SAME_ORIGIN = {"sec-fetch-site": "same-origin"}  # what a browser sends from our own form

ATOM = "{http://www.w3.org/2005/Atom}"


def _client(db: Database) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(db)),
                             base_url="http://testserver")


@pytest.mark.anyio
async def test_query_watchlist_form_redirects_to_its_feed_of_matches_all_new(
        db: Database) -> None:
    db.add_article(Article(id="a1", title="Flood warning", text="Rivers rise.", lang="en"))
    db.add_article(Article(id="a2", title="Sunny days", text="No rain.", lang="en"))
    async with _client(db) as client:
        posted = await client.post("/watchlists", data={"kind": "query", "target": "flood"},
                                   headers=SAME_ORIGIN)
        page = await client.get(posted.headers["location"])
        data = (await client.get(posted.headers["location"] + ".json")).json()
    assert (posted.status_code, posted.headers["location"]) == (303, "/watchlists/1")
    assert data["watchlist"]["name"] == "flood" and data["watchlist"]["new_items"] == 1
    assert [(i["id"], i["is_new"]) for i in data["items"]] == [("a1", True)]
    assert '<span class="badge">new</span> <a href="/articles/a1" lang="en">Flood warning</a>' \
        in page.text


@pytest.mark.anyio
async def test_marking_seen_leaves_only_later_articles_new(db: Database) -> None:
    db.add_article(Article(id="a1", title="Flood warning", text="Rivers rise."))
    async with _client(db) as client:
        created = (await client.post("/watchlists.json",
                                     json={"kind": "query", "target": "flood"})).json()
        wid = created["watchlist"]["id"]
        seen = (await client.post(f"/watchlists/{wid}/seen.json")).json()
        db.add_article(Article(id="a2", title="Flood again", text="More water."))
        listed = (await client.get("/watchlists.json")).json()
        items = (await client.get(f"/watchlists/{wid}.json")).json()["items"]
    assert seen["watchlist"]["new_items"] == 0
    assert [(w["id"], w["new_items"]) for w in listed["watchlists"]] == [(wid, 1)]
    assert [(i["id"], i["is_new"]) for i in items] == [("a2", True), ("a1", False)]


@pytest.mark.anyio
async def test_entity_watchlist_matches_articles_mentioning_it_in_one_language(
        db: Database) -> None:
    async with _client(_store(db)) as client:
        created = await client.post("/watchlists.json", json={
            "kind": "entity", "target": CHINA, "name": "China", "lang": "ru"})
        items = (await client.get("/watchlists/1.json")).json()["items"]
        entity_page = (await client.get(f"/entities/{CHINA}")).text
    assert created.status_code == 201
    assert [i["id"] for i in items] == ["ru1"]
    assert ('href="/watchlists?kind=entity&amp;target=geo%3Acountry%3ACN&amp;name=China">Watch'
            in entity_page)


@pytest.mark.anyio
async def test_watchlist_for_an_unknown_entity_is_refused_with_what_to_do(db: Database) -> None:
    async with _client(db) as client:
        response = await client.post("/watchlists.json",
                                     json={"kind": "entity", "target": "ent:per:nobody"})
    assert response.status_code == 404
    assert response.json()["error"] == ("no entity with id 'ent:per:nobody' to watch;"
                                        " pick one from /entities")


@pytest.mark.anyio
async def test_atom_feed_lists_matches_with_absolute_links_and_escaped_titles(
        db: Database) -> None:
    db.add_article(Article(id="x/1", title="<b>Flood</b> & more", text="Flood.", lang="de"))
    db.add_watchlist(name="Floods", kind=WatchlistKind.QUERY, target="flood")
    async with _client(db) as client:
        response = await client.get("/watchlists/1/feed.atom")
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ElementTree.fromstring(response.content)
    [entry] = feed.findall(f"{ATOM}entry")
    assert feed.findtext(f"{ATOM}title") == "Floods · babelwire"
    assert entry.findtext(f"{ATOM}title") == "<b>Flood</b> & more"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/articles/x/1"


@pytest.mark.anyio
async def test_deleting_a_watchlist_then_reading_it_is_a_404(db: Database) -> None:
    db.add_watchlist(name="W", kind=WatchlistKind.QUERY, target="flood")
    async with _client(db) as client:
        deleted = await client.post("/watchlists/1/delete")
        again = await client.get("/watchlists/1.json")
    assert (deleted.status_code, deleted.headers["location"]) == (303, "/watchlists")
    assert again.json()["error"] == "no watchlist with id 1; see /watchlists"


@pytest.mark.anyio
async def test_a_cross_site_form_post_is_refused(db: Database) -> None:
    async with _client(db) as client:
        response = await client.post("/watchlists", data={"kind": "query", "target": "x"},
                                     headers={"origin": "https://evil.example",
                                              "accept": "application/json"})
    assert response.status_code == 403
    assert db.watchlists() == []


@pytest.mark.anyio
async def test_watchlist_feed_groups_matches_of_one_story_together(db: Database) -> None:
    for n, lang in enumerate(["en", "fr", "de"]):
        db.add_article(Article(id=f"f{n}", title=f"Flood {lang}", text="Flood water.", lang=lang))

    def cluster(conn) -> None:  # noqa: ANN001
        conn.execute("INSERT INTO stories (id, label, thread_id, size, centroid, member_vectors,"
                     " updated_at) VALUES ('s:f', 'Floods', 's:f', 2, x'', x'', 'now')")
        conn.execute("UPDATE articles SET story_id = 's:f' WHERE id IN ('f0', 'f2')")

    db.write(cluster)
    db.add_watchlist(name="Floods", kind=WatchlistKind.QUERY, target="flood")
    async with _client(db) as client:
        data = (await client.get("/watchlists/1.json")).json()
        page = (await client.get("/watchlists/1")).text
    assert [([a["id"] for a in g["articles"]], g["story"] and g["story"]["id"])
            for g in data["groups"]] == [(["f2", "f0"], "s:f"), (["f1"], None)]
    assert '<a class="story" href="/stories/s%3Af"><strong>Floods</strong></a>' in page
