"""Access: open on loopback, a hashed API token elsewhere, read-only mode, host checks."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from babelwire import Database
from babelwire.web.access import AccessPolicy, safe_next, server_access
from babelwire.web.app import create_app


def _client(db: Database, policy: AccessPolicy, host: str = "testserver") -> httpx.AsyncClient:
    app = create_app(db, access=policy)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{host}")


def test_first_start_off_loopback_makes_a_token_and_stores_only_its_digest(db: Database) -> None:
    first = server_access(db, "0.0.0.0")
    second = server_access(db, "0.0.0.0")
    assert first.new_token is not None and len(first.new_token) >= 40
    assert db.api_token_digests() == [hashlib.sha256(first.new_token.encode()).hexdigest()]
    assert second.new_token is None
    assert second.policy.accepts(first.new_token) and not second.policy.accepts("guess")


def test_new_token_replaces_the_old_one(db: Database) -> None:
    old = server_access(db, "192.0.2.7").new_token
    new = server_access(db, "192.0.2.7", new_token=True)
    assert new.new_token not in (None, old)
    assert new.policy.accepts(new.new_token) and not new.policy.accepts(old)


def test_loopback_needs_no_token_and_makes_none(db: Database) -> None:
    access = server_access(db, "127.0.0.1")
    assert (access.new_token, access.policy.requires_token) == (None, False)
    assert db.api_token_digests() == []


@pytest.mark.anyio
async def test_without_the_token_an_api_client_gets_a_401_in_the_one_error_shape(
        db: Database) -> None:
    policy = server_access(db, "0.0.0.0").policy
    async with _client(db, policy) as client:
        response = await client.get("/search.json?q=x")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="babelwire"'
    body = response.json()
    assert (body["ok"], body["status"]) == (False, 401)
    assert body["error"].startswith("an API token is required: send 'Authorization: Bearer")
    assert "script-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.anyio
async def test_a_bearer_token_opens_every_page(db: Database) -> None:
    access = server_access(db, "0.0.0.0")
    async with _client(db, access.policy) as client:
        response = await client.get("/entities.json", headers={
            "authorization": f"Bearer {access.new_token}"})
    assert response.status_code == 200 and response.json()["entities"] == []


@pytest.mark.anyio
async def test_a_browser_is_sent_to_login_and_the_form_sets_an_httponly_cookie(
        db: Database) -> None:
    access = server_access(db, "0.0.0.0")
    async with _client(db, access.policy) as client:
        page = await client.get("/entities?q=a", headers={"accept": "text/html"})
        same_origin = {"sec-fetch-site": "same-origin"}  # as a browser posts our own form
        wrong = await client.post("/login", data={"token": "nope", "next": "/entities"},
                                  headers=same_origin)
        right = await client.post("/login", data={"token": access.new_token,
                                                  "next": "/entities"}, headers=same_origin)
        after = await client.get("/entities", headers={"accept": "text/html"})
    assert (page.status_code, page.headers["location"]) == (303, "/login?next=%2Fentities%3Fq%3Da")
    assert wrong.status_code == 401 and "That token is not valid." in wrong.text
    assert (right.status_code, right.headers["location"]) == (303, "/entities")
    cookie = right.headers["set-cookie"]
    assert "babelwire_token=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert after.status_code == 200 and "<h1>Entities</h1>" in after.text


@pytest.mark.anyio
async def test_read_only_refuses_writes_and_still_serves_pages(db: Database) -> None:
    async with _client(db, AccessPolicy(read_only=True)) as client:
        write = await client.post("/watchlists.json", json={"kind": "query", "target": "x"})
        page = await client.get("/watchlists")
    assert write.status_code == 403
    assert write.json()["error"] == ("this server is read-only: POST /watchlists.json is refused;"
                                     " restart serve without --read-only")
    assert db.watchlists() == []
    assert page.status_code == 200 and "Watch something" not in page.text


@pytest.mark.anyio
async def test_loopback_server_refuses_a_host_header_naming_another_machine(
        db: Database) -> None:
    policy = server_access(db, "127.0.0.1").policy
    async with _client(db, policy, host="127.0.0.1:8000") as client:
        ours = await client.get("/index.json")
        rebound = await client.get("/index.json", headers={"host": "attacker.example:8000"})
    assert ours.status_code == 200
    assert rebound.status_code == 403
    assert rebound.json()["error"] == ("host 'attacker.example' is not this machine; open the"
                                       " server as http://127.0.0.1:<port>/")


def test_login_only_returns_to_local_paths() -> None:
    assert [safe_next(t) for t in ("/entities?q=x", "//evil.example/", "https://x/", None,
                                   "/\\evil")] == ["/entities?q=x", "/", "/", "/", "/"]
