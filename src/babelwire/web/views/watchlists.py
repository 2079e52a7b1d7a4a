"""Watchlists: save an entity or a query, read what matched since, follow it as an Atom feed.

Forms post url-encoded fields and are answered with a redirect (303) to the
page that shows the result; API clients post JSON to the ``.json`` twins and
get the watchlist back. The Atom feed has absolute links, built from the URL
the client used to reach the server.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from ...db.store import Store, Watchlist, WatchlistKind
from ...errors import StorageError
from ..forms import form_body_doc, read_form
from ..pages import PageData, PageNumber, RowId, WebContext, add_page

PAGE_SIZE = 50
FEED_ENTRIES = 50
ATOM_TYPE = "application/atom+xml; charset=utf-8"
_FORM_FIELDS: dict[str, Any] = {  # as WatchlistIn checks them
    "name": {"type": "string", "maxLength": 200},
    "kind": {"type": "string", "enum": ["entity", "query"]},
    "target": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": r"\w"},
    "lang": {"type": "string", "maxLength": 20}}


class WatchlistIn(BaseModel):
    """A watchlist to save: an entity id or query words, optionally one language."""

    kind: WatchlistKind
    target: str = Field(min_length=1, max_length=500, pattern=r"\w",
                        description="an entity id, or words (at least one letter or digit)")
    name: str = Field("", max_length=200)
    lang: str | None = Field(None, max_length=20)


def register(app: FastAPI, ctx: WebContext) -> None:
    """Add ``/watchlists``, ``/watchlists/<id>``, their forms and ``/watchlists/<id>/feed.atom``."""

    def watchlists(kind: WatchlistKind = WatchlistKind.QUERY, target: str = "",
                   name: str = "") -> PageData:
        return {"watchlists": [asdict(w) for w in ctx.store.watchlists()],
                "draft": {"kind": kind.value, "target": target, "name": name}}

    def watchlist(watchlist_id: RowId, page: PageNumber = 1) -> PageData:
        return watchlist_data(ctx.store, watchlist_id, page)

    add_page(app, ctx, watchlists, path="/watchlists", template="watchlists.html",
             summary="Saved entities and queries, with their new items", tag="watchlists")
    add_page(app, ctx, watchlist, path="/watchlists/{watchlist_id}", template="watchlist.html",
             summary="One watchlist's matching articles, newest first", tag="watchlists")
    _register_writes(app, ctx)

    @app.get("/watchlists/{watchlist_id}/feed.atom", tags=["watchlists"],
             summary="One watchlist as an Atom feed", response_class=Response,
             responses={200: {"content": {"application/atom+xml": {}}}})
    def feed(watchlist_id: RowId, request: Request) -> Response:
        data = watchlist_data(ctx.store, watchlist_id, 1, limit=FEED_ENTRIES)
        base = str(request.base_url).rstrip("/")
        body = ctx.templates.get_template("feed.atom").render(base=base, **data)
        return Response(body, media_type=ATOM_TYPE)


def _register_writes(app: FastAPI, ctx: WebContext) -> None:
    """The routes that change watchlists: form posts (redirects) and their JSON twins."""

    @app.post("/watchlists", tags=["watchlists"], summary="Save a watchlist (HTML form)",
              response_class=RedirectResponse, status_code=303,
              openapi_extra=form_body_doc(_FORM_FIELDS, ["kind", "target"]))
    async def create_form(request: Request) -> RedirectResponse:
        fields = await read_form(request)
        try:
            wanted = WatchlistIn.model_validate(
                {"kind": fields.get("kind", ""), "target": fields.get("target", ""),
                 "name": fields.get("name", ""), "lang": fields.get("lang") or None})
        except ValueError as error:
            raise HTTPException(422, f"watchlist form: {error}") from error
        created = _create(ctx.store, wanted)
        return RedirectResponse(f"/watchlists/{created.id}", status_code=303)

    @app.post("/watchlists.json", tags=["watchlists"], summary="Save a watchlist",
              status_code=201)
    def create_json(wanted: WatchlistIn) -> dict[str, Any]:
        return {"ok": True, "watchlist": asdict(_create(ctx.store, wanted))}

    @app.post("/watchlists/{watchlist_id}/seen", tags=["watchlists"], status_code=303,
              summary="Mark every current match as seen (HTML form)",
              response_class=RedirectResponse)
    def seen_form(watchlist_id: RowId) -> RedirectResponse:
        _found(ctx.store.mark_watchlist_seen(watchlist_id), watchlist_id)
        return RedirectResponse(f"/watchlists/{watchlist_id}", status_code=303)

    @app.post("/watchlists/{watchlist_id}/seen.json", tags=["watchlists"],
              summary="Mark every current match as seen")
    def seen_json(watchlist_id: RowId) -> dict[str, Any]:
        _found(ctx.store.mark_watchlist_seen(watchlist_id), watchlist_id)
        return {"ok": True, "watchlist": asdict(_get(ctx.store, watchlist_id))}

    @app.post("/watchlists/{watchlist_id}/delete", tags=["watchlists"], status_code=303,
              summary="Delete a watchlist (HTML form)", response_class=RedirectResponse)
    def delete_form(watchlist_id: RowId) -> RedirectResponse:
        _found(ctx.store.delete_watchlist(watchlist_id), watchlist_id)
        return RedirectResponse("/watchlists", status_code=303)

    @app.delete("/watchlists/{watchlist_id}.json", tags=["watchlists"],
                summary="Delete a watchlist")
    def delete_json(watchlist_id: RowId) -> dict[str, Any]:
        _found(ctx.store.delete_watchlist(watchlist_id), watchlist_id)
        return {"ok": True, "deleted": watchlist_id}


def watchlist_data(store: Store, watchlist_id: int, page: int,
                   limit: int = PAGE_SIZE) -> PageData:
    """One watchlist and a page of its matches; 404 if there is no such watchlist."""
    watchlist = _get(store, watchlist_id)
    items = store.watchlist_items(watchlist_id, limit=limit + 1, offset=(page - 1) * limit)
    shown = [asdict(item) for item in items[:limit]]
    return {"watchlist": asdict(watchlist), "page": page, "has_next": len(items) > limit,
            "items": shown, "groups": story_groups(store, shown)}


def story_groups(store: Store, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's items grouped by story, in the order of each group's newest item.

    Why: one event reported in six languages is one thing to read; articles without a
    story (not clustered yet) are groups of one with ``story`` None.
    """
    groups: dict[str, dict[str, Any]] = {}
    for item in items:
        key = item["story_id"] or f"article:{item['id']}"
        if key not in groups:
            summary = store.story_summary(item["story_id"]) if item["story_id"] else None
            groups[key] = {"story": None if summary is None else
                           {"id": summary.id, "label": summary.label, "size": summary.size},
                           "articles": [], "new": 0}
        groups[key]["articles"].append(item)
        groups[key]["new"] += item["is_new"]
    return list(groups.values())


def _create(store: Store, wanted: WatchlistIn) -> Watchlist:
    try:
        return store.add_watchlist(name=wanted.name, kind=wanted.kind, target=wanted.target,
                                   lang=wanted.lang)
    except StorageError as error:  # an unknown entity (404 like any missing item) or no words
        status = 404 if wanted.kind is WatchlistKind.ENTITY else 422
        raise HTTPException(status, str(error)) from error


def _get(store: Store, watchlist_id: int) -> Watchlist:
    watchlist = store.get_watchlist(watchlist_id)
    if watchlist is None:
        raise HTTPException(404, f"no watchlist with id {watchlist_id}; see /watchlists")
    return watchlist


def _found(done: bool, watchlist_id: int) -> None:
    if not done:
        raise HTTPException(404, f"no watchlist with id {watchlist_id}; see /watchlists")
