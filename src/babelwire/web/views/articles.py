"""The article list and the article page."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException

from ...db.store import Store
from ...export import article_record
from ..pages import PageData, WebContext, add_page

PAGE_SIZE = 50


def register(app: FastAPI, ctx: WebContext) -> None:
    """Add ``/`` (the article list, until stories land) and ``/articles/<id>``."""

    def index(page: int = 1, lang: str | None = None) -> PageData:
        return index_data(ctx.store, page, lang)

    def article(article_id: str) -> PageData:
        return article_data(ctx.store, article_id)

    add_page(app, ctx, index, path="/", json_path="/index.json", template="index.html",
             summary="Newest articles", tag="articles")
    # ``:path``: source ids may hold slashes (MEANTIME's "meantime:en:corpus_airbus/100911")
    add_page(app, ctx, article, path="/articles/{article_id:path}", template="article.html",
             summary="One article with its provenance", tag="articles")


def index_data(store: Store, page: int, lang: str | None) -> PageData:
    """The newest articles, ``PAGE_SIZE`` a page, optionally of one language."""
    page = max(page, 1)
    articles = store.list_articles(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, lang=lang)
    return {
        "stats": store.stats(),
        "page": page,
        "lang": lang,
        "articles": [summary(article_record(a)) for a in articles],
    }


def summary(record: dict[str, Any]) -> dict[str, Any]:
    """The fields an article list shows."""
    keys = ("id", "title", "language", "source", "published_at", "url", "licence", "kind")
    return {key: record[key] for key in keys}


def article_data(store: Store, article_id: str) -> PageData:
    """One article's export record and its other sightings; 404 if there is none."""
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return {"article": article_record(article), "aliases": store.aliases(article_id)}
