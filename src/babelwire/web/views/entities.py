"""The entity list and entity pages."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import FastAPI, HTTPException, Query

from ...db.store import Store
from ..charts import time_chart
from ..pages import PageData, PageNumber, WebContext, add_page

PAGE_SIZE = 50
RELATED_SHOWN = 15
NEWEST_SHOWN = 20
QUOTES_SHOWN = 5
STORIES_SHOWN = 8


def register(app: FastAPI, ctx: WebContext) -> None:
    """Add ``/entities`` and ``/entities/<id>``."""

    def entities(q: str = "", type_: str = Query("", alias="type"),
                 page: PageNumber = 1) -> PageData:
        return entities_data(ctx.store, q, type_, page)

    def entity(entity_id: str) -> PageData:
        return entity_data(ctx.store, entity_id)

    add_page(app, ctx, entities, path="/entities", template="entities.html",
             summary="Canonical entities, most mentioned first", tag="entities")
    add_page(app, ctx, entity, path="/entities/{entity_id}", template="entity.html",
             summary="One entity: names, mentions over time, company", tag="entities")


def entities_data(store: Store, query: str, type_: str, page: int) -> PageData:
    """A page of entities matching a name (any variant) and a type."""
    page = max(page, 1)
    found = store.list_entities(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                query=query.strip() or None, type=type_ or None)
    return {"query": query, "type": type_, "page": page,
            "entities": [asdict(entity) for entity in found]}


def entity_data(store: Store, entity_id: str) -> PageData:
    """One entity's page data; 404 if there is no such entity."""
    page = store.entity_page(entity_id, related=RELATED_SHOWN, newest=NEWEST_SHOWN)
    if page is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}")
    data = asdict(page)
    chart = time_chart(((day["key"], "mentions", day["mentions"]) for day in data["timeline"]),
                       unit="mentions")
    return {"entity": data,
            "busiest_day": max((day["mentions"] for day in data["timeline"]), default=0),
            "most_shared": max((c["shared_articles"] for c in data["co_occurring"]), default=0),
            "chart": asdict(chart),
            "quotes": [asdict(q) for q in store.search_quotes("", entity_id=entity_id,
                                                              limit=QUOTES_SHOWN)],
            "stories": [asdict(s) for s in store.entity_stories(entity_id, limit=STORIES_SHOWN)]}
