"""Quote pages: ``/quotes?q=…`` (search) and ``/entities/<id>/quotes`` (one speaker's quotes).

Both list statements newest first; a statement is one quote, or the quotes that
report the same words in several languages when the server has an encoder
(``serve`` gives the query embedder of semantic search; the grouper reuses it,
and keeps its per-language means for the life of the app).
"""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Query

from ...quotes.search import quote_statements, store_grouper
from ...quotes.statements import StatementGrouper
from ..pages import PageData, WebContext, add_page

PAGE_SIZE = 50
MAX_PAGE = 200
"""Deepest page served (the offset grows with it); refine the query past it."""


def register(app: FastAPI, ctx: WebContext) -> None:
    """Add ``/quotes`` and ``/entities/<id>/quotes``."""
    grouper = _grouper(ctx)

    def quotes(q: str = "", entity: str = "",
               page: int = Query(1, ge=1, le=MAX_PAGE)) -> PageData:
        return quotes_data(ctx, grouper, q, entity or None, page)

    def entity_quotes(entity_id: str, q: str = "",
                      page: int = Query(1, ge=1, le=MAX_PAGE)) -> PageData:
        entity = ctx.store.entity_page(entity_id, related=0, newest=0)
        if entity is None:
            raise HTTPException(404, f"no entity with id {entity_id!r}")
        data = quotes_data(ctx, grouper, q, entity_id, page)
        data["entity_name"] = entity.name
        return data

    add_page(app, ctx, quotes, path="/quotes", template="quotes.html",
             summary="Quotes matching words or a speaker, newest first, one statement per group",
             tag="quotes")
    add_page(app, ctx, entity_quotes, path="/entities/{entity_id}/quotes",
             template="quotes.html", summary="Everything one entity said, newest first",
             tag="quotes")


def _grouper(ctx: WebContext) -> StatementGrouper | None:
    embedder = ctx.embedder
    if embedder is None:
        return None
    return store_grouper(ctx.store, lambda texts: [embedder(text) for text in texts])


def quotes_data(ctx: WebContext, grouper: StatementGrouper | None, query: str,
                entity_id: str | None, page: int) -> PageData:
    """One page of statements; with neither words nor entity, the newest quotes."""
    statements = quote_statements(ctx.store, query, entity_id=entity_id, limit=PAGE_SIZE,
                                  offset=(page - 1) * PAGE_SIZE, grouper=grouper)
    shown = sum(len(s.quotes) for s in statements)
    return {"query": query, "entity_id": entity_id, "entity_name": None, "page": page,
            "grouped": grouper is not None, "more": shown == PAGE_SIZE,
            "statements": [s.as_dict() for s in statements]}
