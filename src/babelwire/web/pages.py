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
from typing import Any, Protocol

from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from ..db.store import Store

PageData = dict[str, Any]


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
