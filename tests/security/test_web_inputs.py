"""Hostile request parameters: search rate limits, FTS5 syntax, SQL injection, path traversal."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI

from babelwire import Article, Database, Settings
from babelwire.db import rows
from babelwire.errors import ConfigError
from babelwire.settings import load_settings
from babelwire.web.app import create_app
from babelwire.web.rate_limit import RateLimit, RateLimiter
from tests.security.conftest import asgi_client, live_server, snapshot

pytestmark = [pytest.mark.reliability("web security"), pytest.mark.anyio]


class FakeClock:
    """Time that moves only when the test says so (no sleeping, no timing thresholds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- rate limits on search ------------------------------------------------------------------

def limited_app(db: Database, clock: FakeClock, *, per_minute: int = 6, burst: int = 3,
                max_clients: int = 100) -> FastAPI:
    limiter = RateLimiter(RateLimit(per_minute, burst), clock=clock, max_clients=max_clients)
    return create_app(db, search_limiter=limiter)


async def statuses(app: FastAPI, client: str, paths: list[str]) -> list[int]:
    async with asgi_client(app, client=(client, 40000)) as http:
        return [(await http.get(path)).status_code for path in paths]


async def test_search_past_the_burst_gets_429_with_retry_after_until_a_token_refills(
        hostile_db: Database) -> None:
    clock = FakeClock()
    app = limited_app(hostile_db, clock)
    async with asgi_client(app, client=("192.0.2.1", 40000)) as http:
        allowed = [(await http.get("/search.json?q=harbour")).status_code for _ in range(3)]
        refused = await http.get("/search.json?q=harbour")
        page = await http.get("/search?q=harbour", headers={"accept": "text/html"})
        clock.now += 9.0
        still = await http.get("/search.json?q=harbour")
        clock.now += 1.0
        again = await http.get("/search.json?q=harbour")
    assert allowed == [200, 200, 200]
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "10")
    assert refused.json() == {
        "ok": False, "status": 429,
        "error": "too many searches from 192.0.2.1: the limit is 6 a minute after a burst of 3"
                 " (web.search_rate_per_minute, web.search_burst); retry in 10 s",
        "errors": ["too many searches from 192.0.2.1: the limit is 6 a minute after a burst of"
                   " 3 (web.search_rate_per_minute, web.search_burst); retry in 10 s"]}
    assert (page.status_code, still.status_code, still.headers["retry-after"]) == (429, 429, "1")
    assert again.status_code == 200


async def test_the_limit_is_per_client_and_empty_searches_and_other_pages_are_free(
        hostile_db: Database) -> None:
    app = limited_app(hostile_db, FakeClock(), burst=2)
    first = await statuses(app, "192.0.2.1", ["/search?q=a"] * 3 + ["/search", "/articles"] * 5)
    second = await statuses(app, "192.0.2.2", ["/search.json?q=a"] * 3)
    assert first == [200, 200, 429] + [200] * 10
    assert second == [200, 200, 429]


async def test_the_limiter_remembers_a_bounded_number_of_clients(hostile_db: Database) -> None:
    app = limited_app(hostile_db, FakeClock(), burst=1, max_clients=2)
    spent = await statuses(app, "192.0.2.1", ["/search?q=a"] * 2)
    await statuses(app, "192.0.2.2", ["/search?q=a"])
    await statuses(app, "192.0.2.3", ["/search?q=a"])  # the first client is forgotten now
    assert spent == [200, 429]
    assert await statuses(app, "192.0.2.1", ["/search?q=a"]) == [200]


def test_rate_limit_comes_from_settings_and_zero_turns_it_off() -> None:
    def limit(**overrides: str) -> RateLimit | None:
        return RateLimit.from_settings(load_settings(env={}, overrides=overrides,
                                                     cwd=Path("/nonexistent")))

    assert limit() == RateLimit(per_minute=60, burst=20)
    assert limit(**{"web.search_rate_per_minute": "120", "web.search_burst": "5"}) == \
        RateLimit(per_minute=120, burst=5)
    assert limit(**{"web.search_rate_per_minute": "0"}) is None
    with pytest.raises(ConfigError) as caught:
        RateLimit.from_settings(Settings(web_search_burst=0))
    assert str(caught.value) == ("web.search_rate_per_minute must be 0 (no limit) or more and"
                                 " web.search_burst 1 or more; got 60 and 0")


# -- FTS5 query syntax -----------------------------------------------------------------------

FTS_SYNTAX = ['"unbalanced', "AND AND", "NEAR(", "harbour OR", "(harbour", "title:harbour",
              "^harbour", "harbour*", '"""', "-harbour", "+", "NOT", "NEAR(a b, 5", "{a b}:c"]

WORDS_FOUND = {'"unbalanced': ["u"], "AND AND": ["u"], "NEAR(": ["u"], "(harbour": ["u"],
               "title:harbour": ["u"], "-harbour": ["u"], "harbour OR": [], "NOT": []}
"""What the words of some of them find in the one article: each is matched as a word."""


@pytest.mark.parametrize("query", FTS_SYNTAX)
@pytest.mark.parametrize("path", ["/search.json", "/quotes.json", "/search"])
async def test_fts5_syntax_in_a_query_is_read_as_words_not_a_server_error(
        db: Database, query: str, path: str) -> None:
    db.add_article(Article(id="u", title="Unbalanced budget", text="The unbalanced harbour budget"
                           " and the near title passed.", source="wire", lang="en"))
    async with asgi_client(create_app(db)) as client:
        response = await client.get(path, params={"q": query, "mode": "text"})
    assert response.status_code == 200
    if path == "/search.json" and query in WORDS_FOUND:
        assert [hit["article_id"] for hit in response.json()["hits"]] == WORDS_FOUND[query]


async def test_a_query_the_index_cannot_parse_is_a_400_saying_what_to_do(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rows, "fts_query", lambda query: query)  # as if quoting were missed
    db.add_article(Article(id="u", title="T", text="Some text.", source="wire", lang="en"))
    async with asgi_client(create_app(db)) as client:
        response = await client.get("/search.json", params={"q": '"unbalanced', "mode": "text"})
    assert response.status_code == 400
    assert response.json()["error"] == (
        "cannot search for '\"unbalanced': unterminated string; search with plain words"
        " (quotes, AND, OR, NEAR and brackets are read as words, not as query syntax)")


# -- SQL injection in every parameter ----------------------------------------------------------

INJECTIONS = ["' OR '1'='1", "1; DROP TABLE articles; --", '" OR 1=1 --',
              "') UNION SELECT sql, sql, sql FROM sqlite_master --", "%' OR 1=1 --",
              "1' AND (SELECT COUNT(*) FROM articles) > 0 --", "\x00'; DELETE FROM watchlists;"]


def get_operations(app: FastAPI) -> list[tuple[str, list[str], list[str]]]:
    """Every GET operation: its path, its path parameters and its query parameters."""
    found = []
    for path, item in app.openapi()["paths"].items():
        if "get" in item:
            params = item["get"].get("parameters", [])
            found.append((path, [p["name"] for p in params if p["in"] == "path"],
                          [p["name"] for p in params if p["in"] == "query"]))
    return found


async def test_sql_injection_in_every_query_and_path_parameter_is_inert(
        hostile_db: Database, tmp_path: Path) -> None:
    app = create_app(hostile_db, embedder=lambda q: [1.0, 0.0, 0.0])
    operations = get_operations(app)
    before = snapshot(tmp_path / "hostile.db")
    answers: dict[int, int] = {}
    tried = 0
    async with asgi_client(app) as client:
        for path, path_params, query_params in operations:
            for payload in INJECTIONS:
                for url, params in _requests(path, path_params, query_params, payload):
                    response = await client.get(url, params=params)
                    answers[response.status_code] = answers.get(response.status_code, 0) + 1
                    assert "CREATE TABLE" not in response.text, url
                    tried += 1
    assert tried > 300 and len(operations) == 26
    assert set(answers) <= {200, 404, 422} and 500 not in answers
    assert snapshot(tmp_path / "hostile.db") == before


def _requests(path: str, path_params: list[str], query_params: list[str],
              payload: str) -> list[tuple[str, dict[str, Any]]]:
    """The payload in each query parameter in turn, and in all path parameters at once."""
    base = path
    for name in path_params:
        base = base.replace("{" + name + "}", quote("good" if name == "article_id" else "1"))
    tries = [(base, {name: payload}) for name in query_params]
    if path_params:
        hostile = path
        for name in path_params:
            hostile = hostile.replace("{" + name + "}", quote(payload, safe=""))
        tries.append((hostile, {}))
    return tries


async def test_sql_injection_in_a_posted_watchlist_is_stored_as_literal_text(
        hostile_db: Database, tmp_path: Path) -> None:
    before = [line for line in snapshot(tmp_path / "hostile.db") if "watchlists" not in line]
    async with asgi_client(create_app(hostile_db)) as client:
        response = await client.post("/watchlists.json", json={
            "kind": "query", "target": "harbour'); DROP TABLE articles; --",
            "name": "x' OR '1'='1"})
    after = [line for line in snapshot(tmp_path / "hostile.db") if "watchlists" not in line]
    assert response.status_code == 201
    assert (response.json()["watchlist"]["target"], response.json()["watchlist"]["name"]) == (
        "harbour'); DROP TABLE articles; --", "x' OR '1'='1")
    assert after == before


# -- path traversal ----------------------------------------------------------------------------

TRAVERSALS = ["/static/../../etc/passwd", "/static/../../../../../../etc/passwd",
              "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/%2e%2e/%2e%2e/etc/passwd",
              "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/static/%252e%252e/%252e%252e/etc/passwd",
              "/static/..%5c..%5cetc%5cpasswd", "/static/....//....//etc/passwd",
              "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/static/..%00/etc/passwd",
              "/static//etc/passwd", "/static/../app.py", "/static/%2e%2e/app.py",
              "/static/..%2fapp.py", "/static/../templates/base.html",
              "/articles/../../etc/passwd", "/articles/..%2f..%2fetc%2fpasswd.json",
              "/entities/..%2f..%2fetc%2fpasswd", "/stories/%2e%2e%2fetc%2fpasswd.json"]


async def asgi_raw_get(app: FastAPI, raw_path: str) -> tuple[int, bytes]:
    """GET ``raw_path`` exactly as written (no client-side ``..`` clean-up)."""
    from urllib.parse import unquote

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": unquote(raw_path),
             "raw_path": raw_path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"accept", b"application/json")],
             "client": ("127.0.0.1", 40000), "server": ("testserver", 80)}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body


@pytest.mark.parametrize("raw_path", TRAVERSALS)
async def test_path_traversal_in_an_asgi_path_reads_nothing_outside_static(
        db: Database, raw_path: str) -> None:
    status, body = await asgi_raw_get(create_app(db), raw_path)
    assert status in (400, 404)
    assert b"root:" not in body and b"create_app" not in body and b"{% block" not in body


async def test_path_traversal_over_real_http_reads_nothing_outside_static(db: Database) -> None:
    with live_server(create_app(db), log_level="warning", ws="none", lifespan="off") as base:
        port = int(base.rsplit(":", 1)[1])
        answers = await asyncio.to_thread(lambda: [_raw_http(port, p) for p in TRAVERSALS])
        control = await asyncio.to_thread(_raw_http, port, "/static/style.css")
    for path, (status, body) in zip(TRAVERSALS, answers, strict=True):
        assert status in (400, 404), path
        assert b"root:" not in body and b"create_app" not in body, path
    assert control[0] == 200 and b"{" in control[1]  # the same server serves its own file


def _raw_http(port: int, path: str) -> tuple[int, bytes]:
    """One request line sent byte for byte, as an attacker's client would."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                     .encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body

