"""Shared by the web security tests: a store full of hostile content, an HTML auditor, a
snapshot of every stored row, and a real uvicorn server in this process (loopback)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from babelwire import Article, Database
from babelwire.db.store import WatchlistKind

SCRIPT = "<script>alert('xss')</script>"
SVG = "<svg onload=alert('svg')><circle r=1 /></svg>"
HANDLER = "<img src=x onerror=alert('img')> \" onmouseover=\"alert('attr')"
HOSTILE_TEXT = (f"Markup in the body: {SCRIPT} and {SVG} and {HANDLER}. The harbour reopened"
                " after the storm, and ferries left at dawn.\n</textarea></p><a href="
                "\"javascript:alert('link')\">click</a>")
SCRIPT_URLS = ("javascript:alert(document.cookie)", " JaVaScRiPt:alert(1)",
               "java\tscript:alert(1)", "\x01javascript:alert(1)",
               "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
               "&#106;avascript:alert(1)")
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data",
                            "poster", "background", "srcset"})


def hostile_articles() -> list[Article]:
    """One article per script URL, each with script, SVG and handlers in title/text/source."""
    return [Article(id=f"xss-{n}", title=f"{SCRIPT} Harbour headline {n}",
                    text=HOSTILE_TEXT + f" Number {n}.", source=f"{SVG}wire", url=url,
                    lang="en", author=HANDLER, licence=SCRIPT, input_ref=f"hostile-{n}",
                    published_at=datetime(2024, 5, 1 + n, tzinfo=UTC))
            for n, url in enumerate(SCRIPT_URLS)]


def fill_hostile(db: Database) -> Database:
    """The hostile articles plus a watchlist whose name and words hold markup."""
    for article in hostile_articles():
        db.add_article(article)
    db.add_article(Article(id="good", title="Ferries resume", text="The ferries resumed at dawn"
                           " as the harbour reopened.", source="wire", lang="en",
                           url="https://news.example/ferries?a=1&b=<x>", input_ref="good"))
    db.add_watchlist(name=f"{SCRIPT} watch", kind=WatchlistKind.QUERY,
                     target=f"{SVG} harbour")
    return db


@pytest.fixture
def hostile_db(tmp_path: Path) -> Iterator[Database]:
    """A file store (so `snapshot` can read it from another connection) with hostile content."""
    database = Database(tmp_path / "hostile.db")
    yield fill_hostile(database)
    database.close()


def snapshot(path: Path) -> list[str]:
    """Every row of every table, as SQL: equal snapshots mean nothing was changed."""
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


@dataclass
class Audit:
    """What an HTML page would let a browser run: each finding names the element."""

    findings: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


class _Auditor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.audit = Audit()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.audit.tags.append(tag)
        values = dict(attrs)
        if tag == "script" and values.get("src") != "/static/app.js":
            self.audit.findings.append(f"<script> not ours: {attrs}")
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset"):
            self.audit.findings.append(f"<{tag}> element")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.audit.findings.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.audit.findings.append(f"<{tag} {name}=...> event handler")
            if name in URL_ATTRIBUTES and value is not None and _runs_script(value):
                self.audit.findings.append(f"<{tag} {name}={value!r}> script URL")

    handle_startendtag = handle_starttag


def _runs_script(url: str) -> bool:
    """Whether a browser would treat this attribute URL as a script/data URL (WHATWG rules:
    leading/trailing C0 controls and spaces dropped, tabs and newlines removed anywhere)."""
    cleaned = url.strip("".join(map(chr, range(0x21)))).replace("\t", "").replace("\n", "")
    return cleaned.replace("\r", "").lower().startswith(DANGEROUS_SCHEMES)


def audit_html(html: str) -> Audit:
    """The elements and attributes of ``html`` that could run script in a browser."""
    auditor = _Auditor()
    auditor.feed(html)
    auditor.close()
    return auditor.audit


@contextmanager
def live_server(app: Any, **config: Any) -> Iterator[str]:
    """``app`` under a real uvicorn on 127.0.0.1 (a free port), in a thread; yields its URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        _wait(lambda: server.started and bool(server.servers), thread)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _wait(ready: Callable[[], bool], thread: threading.Thread) -> None:
    event = threading.Event()
    while not ready():
        if not thread.is_alive():
            raise RuntimeError("uvicorn stopped before it started listening")
        event.wait(0.02)


def asgi_client(app: Any, *, client: tuple[str, int] = ("127.0.0.1", 50000),
                host: str = "testserver") -> httpx.AsyncClient:
    """An in-process client of ``app`` connecting from ``client``."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=client),
                             base_url=f"http://{host}")
