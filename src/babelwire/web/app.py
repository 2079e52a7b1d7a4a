"""The ASGI app: server-rendered pages, each with a ``.json`` twin from the same view data.

`create_app` only wires: security headers, the page views (one module per kind
of page under ``views/``, each with a ``register(app, ctx)``), static files and
the one error shape. To add pages, write a views module and add its
``register`` to `VIEW_MODULES`; `pages.add_page` gives the HTML page and its
JSON twin from one view function.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ..db.store import Store
from .access import AccessGate, AccessPolicy
from .pages import ERROR_RESPONSES, QueryEmbedder, WebContext
from .rate_limit import RateLimitGate, SearchLimiter
from .security import SecurityHeaders
from .templating import build_templates
from .views import articles, entities, login, quotes, search, stories, watchlists

API_DESCRIPTION = (
    "Multilingual news monitor. Every HTML page has a `.json` twin with the same data."
    " Errors are `{\"ok\": false, \"error\", \"errors\", \"status\"}`. On 127.0.0.1 no"
    " login is needed; a server bound to another address needs `Authorization: Bearer"
    " <token>` on every request.")
Register = Callable[[FastAPI, WebContext], None]
VIEW_MODULES: tuple[Register, ...] = (stories.register, articles.register, entities.register,
                                      search.register, watchlists.register, quotes.register)
NAV_PAGES = (("/", "Front page"), ("/stories", "Stories"), ("/articles", "Articles"),
             ("/entities", "Entities"), ("/quotes", "Quotes"), ("/search", "Search"),
             ("/watchlists", "Watchlists"))


def create_app(store: Store, *, embedder: QueryEmbedder | None = None,
               access: AccessPolicy | None = None,
               search_limiter: SearchLimiter | None = None) -> FastAPI:
    """Build the app over ``store``; the caller owns the store and closes it.

    Args:
        store: where pages read from.
        embedder: embeds search queries for semantic search; without it the
            search page offers full-text search only.
        access: token, read-only and host rules (`access.server_access` decides
            them for ``serve``); the default is an open, writable app.
        search_limiter: per-client search rate (``serve`` builds it from
            ``web.search_rate_per_minute``; shared by all processes with
            ``--workers``); the default is no limit.
    """
    policy = access or AccessPolicy()
    # No /docs or /redoc: they load scripts from a CDN (offline users, and the CSP forbids it).
    app = FastAPI(title="babelwire", version="0.1.0", description=API_DESCRIPTION,
                  docs_url=None, redoc_url=None, responses=ERROR_RESPONSES)
    if search_limiter is not None:  # innermost: a client without the token is refused first
        app.add_middleware(RateLimitGate, limiter=search_limiter)
    app.add_middleware(AccessGate, policy=policy)
    app.add_middleware(SecurityHeaders)  # added last, so it runs first: every answer has the CSP
    globals_ = {"read_only": policy.read_only, "logged_in_by_token": policy.requires_token}
    ctx = WebContext(store=store, templates=build_templates(globals_), embedder=embedder)
    for register in VIEW_MODULES:
        register(app, ctx)
    login.register(app, ctx, policy)
    ctx.templates.globals["nav"] = _navigation(app)
    app.mount("/static", StaticFiles(packages=[("babelwire.web", "static")]), name="static")
    _add_error_handlers(app, ctx)
    return app


def _navigation(app: FastAPI) -> list[tuple[str, str]]:
    """The header's links: those of `NAV_PAGES` that some views module registered."""
    paths = {getattr(route, "path", None) for route in app.routes}
    return [(path, label) for path, label in NAV_PAGES if path in paths]


def _add_error_handlers(app: FastAPI, ctx: WebContext) -> None:
    """The one error shape for JSON, an error page for HTML."""

    def respond(request: Request, status: int, errors: list[str]) -> Response:
        body = {"ok": False, "error": errors[0], "errors": errors, "status": status}
        if request.url.path.endswith(".json"):
            return JSONResponse(body, status_code=status)
        return ctx.render("error.html", body, status=status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        return respond(request, error.status_code, [str(error.detail)])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        errors = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
        return respond(request, 422, errors or ["invalid request"])
