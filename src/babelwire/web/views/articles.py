"""The article list and the article page."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, HTTPException

from ...db.store import Store
from ...export import article_record
from ..highlight import highlight
from ..pages import PageData, PageNumber, WebContext, add_page

PAGE_SIZE = 50


def register(app: FastAPI, ctx: WebContext) -> None:
    """Add ``/articles`` (the newest articles) and ``/articles/<id>``."""

    def index(page: PageNumber = 1, lang: str | None = None) -> PageData:
        return index_data(ctx.store, page, lang)

    def article(article_id: str) -> PageData:
        return article_data(ctx.store, article_id)

    add_page(app, ctx, index, path="/articles", template="index.html",
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
    """One article: its export record, the text cut into highlight runs, names, sightings.

    ``paragraphs`` are the body's lines as runs (see `highlight`); ``names`` the
    distinct mentions, each with its entity; ``skipped_spans`` counts spans that
    did not fit the text and so are not highlighted.
    """
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    record = article_record(article)
    marked = highlight(record["text"], record["entities"], record["quotes"])
    parent = store.get_article(article.parent_id) if article.parent_id else None
    return {"article": record, "aliases": store.aliases(article_id),
            "paragraphs": [[asdict(run) for run in runs] for runs in marked.paragraphs],
            "skipped_spans": marked.skipped, "names": distinct_names(record["entities"]),
            "parent": None if parent is None else {"id": parent.id, "title": parent.title}}


def distinct_names(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each (entity, mention text) once, in order of first mention, with its count."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for entity in entities:
        mention = entity["mention"] or entity["name"]
        key = (entity["id"], mention)
        if key in seen:
            seen[key]["count"] += 1
        else:
            seen[key] = {"id": entity["id"], "name": entity["name"], "mention": mention,
                         "type": entity["type"], "count": 1}
    return list(seen.values())
