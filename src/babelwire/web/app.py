"""The ASGI app: server-rendered pages, each with a ``.json`` twin from the same view data.

Until the web UI issue lands this serves a plain article list, an article page,
full-text search, the entity list and entity pages (variants, mentions per day
and language, co-occurring entities, newest articles). Every string from an
article is escaped by Jinja's autoescape; a strict Content-Security-Policy
forbids inline scripts.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from ..db.store import Store
from ..errors import StorageError
from ..export import article_record

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_SIZE = 50
RELATED_SHOWN = 15
NEWEST_SHOWN = 20


class _SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


def create_app(store: Store) -> FastAPI:
    """Build the app over ``store``; the caller owns the store and closes it."""
    app = FastAPI(title="babelwire", version="0.1.0")
    app.add_middleware(_SecurityHeaders)
    templates = Environment(loader=PackageLoader("babelwire.web", "templates"),
                            autoescape=select_autoescape(default=True))

    def render(name: str, data: dict[str, Any]) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(**data))

    @app.get("/", response_class=HTMLResponse)
    def index(page: int = 1, lang: str | None = None) -> HTMLResponse:
        return render("index.html", _index_data(store, page, lang))

    @app.get("/index.json")
    def index_json(page: int = 1, lang: str | None = None) -> dict[str, Any]:
        return _index_data(store, page, lang)

    # ``:path``: source ids may hold slashes (MEANTIME's "meantime:en:corpus_airbus/100911")
    @app.get("/articles/{article_id:path}.json")
    def article_json(article_id: str) -> dict[str, Any]:
        return _article_data(store, article_id)

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse)
    def article_page(article_id: str) -> HTMLResponse:
        return render("article.html", _article_data(store, article_id))

    @app.get("/entities.json")
    def entities_json(q: str = "", type_: str = Query("", alias="type"),
                      page: int = 1) -> dict[str, Any]:
        return _entities_data(store, q, type_, page)

    @app.get("/entities", response_class=HTMLResponse)
    def entities_html(q: str = "", type_: str = Query("", alias="type"),
                      page: int = 1) -> HTMLResponse:
        return render("entities.html", _entities_data(store, q, type_, page))

    @app.get("/entities/{entity_id}.json")
    def entity_json(entity_id: str) -> dict[str, Any]:
        return _entity_data(store, entity_id)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse)
    def entity_html(entity_id: str) -> HTMLResponse:
        return render("entity.html", _entity_data(store, entity_id))

    @app.get("/search.json")
    def search_json(q: str = "") -> dict[str, Any]:
        return _search_data(store, q)

    @app.get("/search", response_class=HTMLResponse)
    def search_page(q: str = "") -> HTMLResponse:
        return render("search.html", _search_data(store, q))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        body = {"ok": False, "error": str(error.detail), "errors": [str(error.detail)],
                "status": error.status_code}
        if request.url.path.endswith(".json"):
            return JSONResponse(body, status_code=error.status_code)
        return HTMLResponse(templates.get_template("error.html").render(**body),
                            status_code=error.status_code)

    return app


def _index_data(store: Store, page: int, lang: str | None) -> dict[str, Any]:
    page = max(page, 1)
    articles = store.list_articles(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, lang=lang)
    return {
        "stats": store.stats(),
        "page": page,
        "lang": lang,
        "articles": [_summary(article_record(a)) for a in articles],
    }


def _summary(record: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "title", "language", "source", "published_at", "url", "licence", "kind")
    return {key: record[key] for key in keys}


def _article_data(store: Store, article_id: str) -> dict[str, Any]:
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return {"article": article_record(article), "aliases": store.aliases(article_id)}


def _entities_data(store: Store, query: str, type_: str, page: int) -> dict[str, Any]:
    page = max(page, 1)
    found = store.list_entities(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                query=query.strip() or None, type=type_ or None)
    return {"query": query, "type": type_, "page": page,
            "entities": [asdict(entity) for entity in found]}


def _entity_data(store: Store, entity_id: str) -> dict[str, Any]:
    page = store.entity_page(entity_id, related=RELATED_SHOWN, newest=NEWEST_SHOWN)
    if page is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}")
    data = asdict(page)
    return {"entity": data,
            "busiest_day": max((day["mentions"] for day in data["timeline"]), default=0)}


def _search_data(store: Store, query: str) -> dict[str, Any]:
    if not query.strip():
        return {"query": query, "hits": []}
    try:
        hits = store.search(query, limit=PAGE_SIZE)
    except StorageError as error:
        raise HTTPException(400, str(error)) from error
    return {"query": query, "hits": [asdict(hit) for hit in hits]}

