"""A local HTTP server (127.0.0.1, free port) serving canned feeds, pages and robots.txt."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest


@dataclass(frozen=True, slots=True)
class Response:
    """A canned answer; ``etag``/``last_modified`` make the server answer conditional GETs."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml"
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class SeenRequest:
    path: str
    headers: dict[str, str]


@dataclass(slots=True)
class FeedServer:
    """The routes it answers (path -> `Response`, changeable during a test) and what it saw."""

    base: str = ""
    routes: dict[str, Response] = field(default_factory=dict)
    requests: list[SeenRequest] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


def _handler(server: FeedServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            headers = {k.lower(): v for k, v in self.headers.items()}
            server.requests.append(SeenRequest(self.path, headers))
            response = server.routes.get(self.path, Response(b"not here", 404, "text/plain"))
            if _not_modified(response, headers):
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            if response.etag:
                self.send_header("ETag", response.etag)
            if response.last_modified:
                self.send_header("Last-Modified", response.last_modified)
            self.end_headers()
            self.wfile.write(response.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # keep test output clean

    return Handler


def _not_modified(response: Response, headers: dict[str, str]) -> bool:
    if response.status != 200:
        return False
    if response.etag and headers.get("if-none-match") == response.etag:
        return True
    return bool(response.last_modified
                and headers.get("if-modified-since") == response.last_modified)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A threaded HTTP server on 127.0.0.1 and a free port, shut down after the test."""
    state = FeedServer()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join()


class FakeClock:
    """Unix-seconds clock whose sleep moves it forward and records how long it was asked."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


RssItem = tuple[str, str, str]  # link, title, body


def rss(items: list[RssItem]) -> bytes:
    """An RSS 2.0 feed of (link, title, HTML body) items."""
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        f"<description><![CDATA[<p>{body}</p>]]></description></item>"
        for link, title, body in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>'
            f"{entries}</channel></rss>").encode()


def sitemap(urls: list[str], *, index: bool = False) -> bytes:
    """A sitemaps.org urlset (or sitemapindex) listing ``urls``."""
    tag, item = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    locs = "".join(f"<{item}><loc>{u}</loc></{item}>" for u in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<{tag} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</{tag}>').encode()


def article_page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html><head><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1><p>{body}</p></article></body></html>").encode()


