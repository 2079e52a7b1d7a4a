"""The search page."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import FastAPI, HTTPException

from ...db.store import Store
from ...errors import StorageError
from ..pages import PageData, WebContext, add_page

PAGE_SIZE = 50


def register(app: FastAPI, ctx: WebContext) -> None:
    """Add ``/search``."""

    def search(q: str = "") -> PageData:
        return search_data(ctx.store, q)

    add_page(app, ctx, search, path="/search", template="search.html",
             summary="Full-text search with snippets", tag="search")


def search_data(store: Store, query: str) -> PageData:
    """Full-text hits for ``query``; a query the index cannot parse is a 400."""
    if not query.strip():
        return {"query": query, "hits": []}
    try:
        hits = store.search(query, limit=PAGE_SIZE)
    except StorageError as error:
        raise HTTPException(400, str(error)) from error
    return {"query": query, "hits": [asdict(hit) for hit in hits]}
