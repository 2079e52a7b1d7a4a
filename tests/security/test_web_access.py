"""CSRF on every state-changing route, the token off loopback, and the token kept out of logs."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from babelwire import Database
from babelwire.web.access import COOKIE, AccessPolicy, safe_next, server_access
from babelwire.web.app import create_app
from tests.security.conftest import asgi_client, live_server, snapshot

pytestmark = [pytest.mark.reliability("web security"), pytest.mark.anyio]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
TEST_CLIENT_LOGGERS = ("httpx", "httpcore")  # this test's own client logs what it sends
FORM = {"kind": "query", "target": "flood", "name": "csrf"}
CROSS_SITE = {
    "foreign Origin": {"origin": "https://evil.example"},
    "Origin that only starts like ours": {"origin": "http://testserver.evil.example"},
    "Origin null (sandboxed frame)": {"origin": "null"},
    "Sec-Fetch-Site cross-site": {"sec-fetch-site": "cross-site"},
    "Sec-Fetch-Site same-site (a sibling subdomain)": {"sec-fetch-site": "same-site"},
    "foreign Origin with a same-origin claim in Referer": {
        "origin": "https://evil.example", "referer": "http://testserver/watchlists"},
    "no origin headers at all (an old browser's form post)": {},
}


def writes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) that may change state, with ids filled in (watchlist 1 exists)."""
    found = []
    for route in app.routes:
        for method in sorted(set(getattr(route, "methods", None) or ()) - SAFE_METHODS):
            found.append((method, route.path.replace("{watchlist_id}", "1")))  # type: ignore[attr-defined]
    return found


def test_every_write_route_is_covered_by_the_csrf_cases(hostile_db: Database) -> None:
    assert writes(create_app(hostile_db)) == [
        ("POST", "/watchlists"), ("POST", "/watchlists.json"), ("POST", "/watchlists/1/seen"),
        ("POST", "/watchlists/1/seen.json"), ("POST", "/watchlists/1/delete"),
        ("DELETE", "/watchlists/1.json"), ("POST", "/login"), ("POST", "/logout")]


@pytest.mark.parametrize("headers", CROSS_SITE.values(), ids=CROSS_SITE.keys())
async def test_a_cross_site_form_post_to_any_write_route_is_refused_and_changes_nothing(
        hostile_db: Database, tmp_path: Path, headers: dict[str, str]) -> None:
    app = create_app(hostile_db)
    before = snapshot(tmp_path / "hostile.db")
    answers = []
    async with asgi_client(app) as client:
        for method, path in writes(app):
            response = await client.request(method, path, data=FORM,
                                            headers={**headers, "accept": "application/json"})
            answers.append((method, path, response.status_code, response.json()["error"]))
    assert answers == [(method, path, 403, "cross-site request refused: submit the form from"
                        " this server's own pages (API clients: send JSON to the .json route,"
                        " or an Origin header naming this server)")
                       for method, path in writes(app)]
    assert snapshot(tmp_path / "hostile.db") == before


async def test_a_cross_site_post_is_refused_even_with_a_valid_token_cookie(
        hostile_db: Database) -> None:
    access = server_access(hostile_db, "0.0.0.0")
    async with asgi_client(create_app(hostile_db, access=access.policy)) as client:
        client.cookies.set(COOKIE, access.new_token or "")
        response = await client.post("/watchlists/1/delete",
                                     headers={"origin": "https://evil.example"})
    assert response.status_code == 403
    assert [w.id for w in hostile_db.watchlists()] == [1]


async def test_our_own_pages_and_json_api_clients_can_still_write(hostile_db: Database) -> None:
    async with asgi_client(create_app(hostile_db)) as client:
        form = await client.post("/watchlists", data=FORM,
                                 headers={"sec-fetch-site": "same-origin"})
        origin_form = await client.post("/watchlists", data=FORM,
                                        headers={"origin": "http://testserver"})
        api = await client.post("/watchlists.json", json={"kind": "query", "target": "ferries"})
        bare = await client.post("/watchlists/1/seen.json")
    assert [r.status_code for r in (form, origin_form, api, bare)] == [303, 303, 201, 200]
    assert [w.name for w in hostile_db.watchlists()][-3:] == ["csrf", "csrf", "ferries"]


# -- the token, off loopback -------------------------------------------------------------------

def reads(app: FastAPI) -> list[str]:
    """Every GET page and JSON path, ids filled in, except the open ones (login, static)."""
    fill = {"{watchlist_id}": "1", "{article_id:path}": "good", "{story_id}": "s1",
            "{entity_id}": "e1"}
    paths = []
    for route in app.routes:
        path = getattr(route, "path", "")
        if "GET" in (getattr(route, "methods", None) or ()) and path != "/login":
            for key, value in fill.items():
                path = path.replace(key, value)
            paths.append(path)
    return paths


async def test_off_loopback_every_page_and_write_needs_the_token(hostile_db: Database) -> None:
    access = server_access(hostile_db, "0.0.0.0")
    app = create_app(hostile_db, access=access.policy)
    token = access.new_token or ""
    json_accept = {"accept": "application/json"}
    async with asgi_client(app) as client:
        anonymous = {p: (await client.get(p, headers=json_accept)).status_code
                     for p in reads(app)}
        wrong = {p: (await client.get(p, headers={**json_accept, "authorization": "Bearer "
                                                  + token[:-1] + "x"})).status_code
                 for p in reads(app)}
        in_query = (await client.get(f"/articles.json?token={token}")).status_code
        write = await client.post("/watchlists.json", json={"kind": "query", "target": "x"})
        right = (await client.get("/articles.json", headers={
            "authorization": f"Bearer {token}"})).status_code
        static = (await client.get("/static/style.css")).status_code
    assert len(anonymous) == 26
    assert set(anonymous.values()) == {401} and set(wrong.values()) == {401}
    assert (in_query, write.status_code, right, static) == (401, 401, 200, 200)
    assert token not in write.text


def test_the_token_is_stored_only_as_its_digest(tmp_path: Path) -> None:
    with Database(tmp_path / "t.db") as db:
        token = server_access(db, "0.0.0.0").new_token or ""
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert token and token.encode() not in stored
    assert hashlib.sha256(token.encode()).hexdigest().encode() in stored


async def test_the_token_never_reaches_a_log_even_at_debug_with_access_logs(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    db = Database(tmp_path / "t.db")
    access = server_access(db, "0.0.0.0")
    token = access.new_token or ""
    app = create_app(db, access=access.policy)
    with live_server(app, log_level="debug", log_config=None, access_log=True, ws="none",
                     lifespan="off") as base:
        async with httpx.AsyncClient(base_url=base) as client:
            await _use_the_token_every_way(client, token)
    db.close()
    assert any(r.name == "uvicorn.access" and "/articles.json" in r.getMessage()
               for r in caplog.records)  # the server did log every request
    server_records = [r for r in caplog.records if not r.name.startswith(TEST_CLIENT_LOGGERS)]
    assert [r.name for r in server_records if token[:16] in r.getMessage()] == []


async def _use_the_token_every_way(client: httpx.AsyncClient, token: str) -> None:
    same_origin: dict[str, Any] = {"sec-fetch-site": "same-origin"}
    await client.get("/articles.json", headers={"authorization": f"Bearer {token}"})
    await client.get("/articles.json", headers={"authorization": f"Bearer {token}x"})
    await client.post("/login", data={"token": token, "next": "/articles"}, headers=same_origin)
    await client.post("/login", data={"token": token + "x"}, headers=same_origin)
    for cookie in (token, token + "x"):
        client.cookies.set(COOKIE, cookie)
        await client.get("/articles", headers={"accept": "text/html"})
    client.cookies.clear()
    await client.post("/login", data={"token": token, "next": "/nope\x00"}, headers=same_origin)


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r\n/x",
                                    "/ /evil.example", "//evil.example", "/\\evil.example",
                                    "https://evil.example", "javascript:alert(1)"])
def test_login_redirect_target_never_leaves_this_server(target: str) -> None:
    assert safe_next(target) == "/"


def test_login_redirect_keeps_a_local_path_with_its_query() -> None:
    assert safe_next("/search?q=harbour%20ferries&mode=text") == \
        "/search?q=harbour%20ferries&mode=text"


async def test_read_only_server_refuses_writes_before_the_csrf_check_matters(
        hostile_db: Database) -> None:
    async with asgi_client(create_app(hostile_db, access=AccessPolicy(read_only=True))) as c:
        response = await c.delete("/watchlists/1.json")
    assert response.status_code == 403
    assert [w.id for w in hostile_db.watchlists()] == [1]
