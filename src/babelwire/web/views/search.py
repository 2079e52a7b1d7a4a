"""The search page: full-text (FTS5, snippets) or by meaning across languages, with filters.

Why two modes and not one merged list: bm25 scores and cosines are not on one
scale, and an analyst reading "matching words" wants to see why a hit matched
(the snippet), while "by meaning" finds the same story in languages the query
words never appear in. The page links each mode to the other with the same
query and filters.
"""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum

from fastapi import FastAPI, HTTPException, Query

from ...db.store import SearchFilters, SearchHit, Store
from ...errors import StorageError
from ..pages import PageData, QueryEmbedder, WebContext, add_page

PAGE_SIZE = 20
DAY_PATTERN = r"^(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))?$"
"""A day as YYYY-MM-DD, or empty (no limit). Days are compared as strings, as the store
keeps them, so a bound like 2024-02-30 means "up to the end of February" and is fine."""
MAX_PAGE = 200
"""Deepest page served: past it, refine the query (FTS offsets and index reads grow with it)."""


class SearchMode(StrEnum):
    """How the query is matched."""

    TEXT = "text"
    SEMANTIC = "semantic"


def register(app: FastAPI, ctx: WebContext) -> None:
    """Add ``/search``."""

    def search(q: str = "", mode: SearchMode | None = None, lang: str = "",
               since: str = Query("", pattern=DAY_PATTERN, description="first day, YYYY-MM-DD"),
               until: str = Query("", pattern=DAY_PATTERN, description="last day, YYYY-MM-DD"),
               page: int = Query(1, ge=1, le=MAX_PAGE)) -> PageData:
        filters = SearchFilters(lang=lang or None, since=_day(since), until=_day(until))
        return search_data(ctx.store, ctx.embedder, q, mode, filters, page)

    add_page(app, ctx, search, path="/search", template="search.html",
             summary="Search: full text with snippets, or by meaning in every language",
             tag="search")


def _day(value: str) -> str | None:
    """A filter day, or None when the form left it empty (browsers send ``since=``)."""
    return value or None


def search_data(store: Store, embedder: QueryEmbedder | None, query: str,
                mode: SearchMode | None, filters: SearchFilters, page: int) -> PageData:
    """One page of hits for ``query``; mode defaults to by-meaning when an embedder is set.

    A default by-meaning search that finds nothing because no article has an embedding
    (a store ingested without ``embed.e5.v1``, as the demo is) shows the full-text hits
    instead, saying so: an empty page would look like "nothing about that here".
    """
    chosen = mode is not None
    mode = mode or (SearchMode.SEMANTIC if embedder is not None else SearchMode.TEXT)
    data: PageData = {
        "query": query, "mode": mode.value, "semantic_available": embedder is not None,
        "filters": asdict(filters), "page": page, "page_size": PAGE_SIZE, "has_next": False,
        "languages": store.languages(), "notice": None, "hits": []}
    if not query.strip():
        return data
    if mode is SearchMode.SEMANTIC and embedder is None:
        data["notice"] = ("search by meaning is off on this server (it was started without a"
                          " query encoder); showing nothing, use mode=text")
        return data
    hits = _hits(store, embedder, query, mode, filters, page)
    data["has_next"] = len(hits) > PAGE_SIZE
    data["hits"] = [asdict(hit) for hit in hits[:PAGE_SIZE]]
    if mode is SearchMode.SEMANTIC and not hits and page == 1:
        notice = ("no article has an embedding to compare with: ingest with the"
                  " embed.e5.v1 stage to search by meaning")
        if not chosen:
            hits = _hits(store, embedder, query, SearchMode.TEXT, filters, page)
            data["mode"] = SearchMode.TEXT.value
            data["has_next"] = len(hits) > PAGE_SIZE
            data["hits"] = [asdict(hit) for hit in hits[:PAGE_SIZE]]
            notice += "; showing full-text matches instead"
        data["notice"] = notice
    return data


def _hits(store: Store, embedder: QueryEmbedder | None, query: str, mode: SearchMode,
          filters: SearchFilters, page: int) -> list[SearchHit]:
    """``PAGE_SIZE + 1`` hits from the page's first: the extra one tells of a next page."""
    offset = (page - 1) * PAGE_SIZE
    try:
        if mode is SearchMode.TEXT or embedder is None:
            return store.search(query, limit=PAGE_SIZE + 1, offset=offset, filters=filters)
        return store.semantic_search(embedder(query), limit=PAGE_SIZE + 1, offset=offset,
                                     filters=filters)
    except StorageError as error:  # the store quotes every word, so this is a query it cannot run
        raise HTTPException(400, f"{error}; search with plain words (quotes, AND, OR, NEAR and"
                            " brackets are read as words, not as query syntax)") from error
