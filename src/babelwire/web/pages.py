"""How a page is served: one view function gives the data, an HTML page and a ``.json`` twin.

`add_page` registers both routes from the same view, so the JSON an API client
reads is exactly what the template rendered, and both appear in /openapi.json
with the view's parameters. The view is a FastAPI dependency of the HTML route:
its query and path parameters are parsed and validated once, the same way for
both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from fastapi import Depends, FastAPI, Path, Query
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from pydantic import BaseModel

from ..db.store import Store

PageData = dict[str, Any]
MAX_PAGE_NUMBER = 10_000
"""Deepest list page served: past it, filter instead (offsets cost what they skip)."""
SQLITE_MAX_INT = 2**63 - 1

PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE_NUMBER, description="1 is the first page")]
RowId = Annotated[int, Path(ge=1, le=SQLITE_MAX_INT, description="a stored row's id")]


class ErrorBody(BaseModel):
    """The one error shape of every JSON answer that is not a success."""

    ok: bool
    error: str
    errors: list[str]
    status: int


ERROR_STATUSES = {400: "the query cannot be run", 401: "an API token is required",
                  403: "refused: read-only server, cross-site write or foreign Host",
                  404: "no such item", 413: "request body too large",
                  415: "unsupported request body type", 422: "invalid parameters",
                  429: "too many searches: wait for Retry-After seconds"}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description,
             "content": {"text/html": {"schema": {"type": "string"}},
                         "text/plain": {"schema": {"type": "string"}}}}
    for status, description in ERROR_STATUSES.items()}
"""Documented on every route: JSON paths answer errors as `ErrorBody`, pages as HTML."""


class QueryEmbedder(Protocol):
    """Turns a search query into the embedding semantic search compares with articles."""

    def __call__(self, query: str) -> list[float]:
        """The query's embedding (same model and dimension as the stored articles')."""
        ...


@dataclass(frozen=True, slots=True)
class WebContext:
    """What every view needs: the store, the templates and the optional query embedder."""

    store: Store
    templates: Environment
    embedder: QueryEmbedder | None = None

    def render(self, template: str, data: PageData, *, status: int = 200) -> HTMLResponse:
        """Render ``template`` with ``data``; every value is escaped by the environment."""
        return HTMLResponse(self.templates.get_template(template).render(**data),
                            status_code=status)


def add_page(app: FastAPI, ctx: WebContext, view: Callable[..., PageData], *, path: str,
             template: str, summary: str, tag: str, json_path: str | None = None) -> None:
    """Serve ``view`` as HTML at ``path`` and as JSON at ``json_path`` (default ``path.json``).

    The JSON route is registered first: with ``{id:path}`` parameters the HTML
    route would otherwise swallow ``…/id.json`` as an id ending in ``.json``.
    """
    app.add_api_route(json_path or f"{path}.json", view, methods=["GET"], tags=[tag],
                      summary=f"{summary} (JSON twin of {path})",
                      name=f"{view.__name__}_json")

    def html(data: PageData = Depends(view)) -> HTMLResponse:  # noqa: B008 (FastAPI idiom)
        return ctx.render(template, data)

    app.add_api_route(path, html, methods=["GET"], response_class=HTMLResponse, tags=[tag],
                      summary=summary, name=f"{view.__name__}_html")
