"""`StoreQueries`: the `Store` methods that hand a connection to a query module, written once.

Why: both stores answer entity, quote, watchlist, token and story requests the
same way, by passing a connection to a module of SQL for their own dialect
(SQLite's in ``db/``, PostgreSQL's in ``db/postgres/``). The methods were
written twice, 20 of them line for line; now each store names its modules
(`QueryModules`) and how it reads (``_reader``) and writes (``write``), and
this class holds the methods. Methods whose SQL differs by backend (articles,
search, stats) stay in each store.

Each query module of a role has the same functions on both backends:

- ``entities``: ``list_entities``, ``entity_page``
- ``quotes``: ``search_quotes``, ``quote_texts``
- ``watchlists``: ``check_target``, ``insert``, ``list_all``, ``get``, ``items``,
  ``mark_seen``, ``delete``
- ``tokens``: ``digests``, ``replace``
- ``stories``: ``list_stories``, ``story_page``, ``thread``, ``thread_window``
- ``front``: ``front_stories``, ``story_summary``
- ``extras``: ``named_entities``, ``story_articles``, ``story_timeline``,
  ``story_entities``, ``story_quotes``, ``entity_stories``
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import ModuleType
from typing import Any, ClassVar, TypeVar

from .store import (
    EntityPage,
    EntitySummary,
    FrontFilters,
    FrontStory,
    QuoteHit,
    StoryExtras,
    StoryPage,
    StorySummary,
    ThreadWindow,
    WatchItem,
    Watchlist,
    WatchlistKind,
)
from .watchlists import WatchlistQueries

T = TypeVar("T")


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string, as the store keeps times."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class QueryModules:
    """One backend's query module for each role (the functions each has: module docstring)."""

    entities: ModuleType
    quotes: ModuleType
    watchlists: WatchlistQueries
    tokens: ModuleType
    stories: ModuleType
    front: ModuleType
    extras: ModuleType


class StoreQueries:
    """The `Store` methods both backends share; a subclass sets ``queries`` and defines
    ``_reader()`` (a connection for reads on this thread) and ``write(fn)``."""

    queries: ClassVar[QueryModules]

    def _reader(self) -> Any:
        raise NotImplementedError

    def write(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(conn)`` in one transaction and return its result."""
        raise NotImplementedError

    # -- entities and quotes -----------------------------------------------------------

    def list_entities(self, *, limit: int = 50, offset: int = 0, query: str | None = None,
                      type: str | None = None) -> list[EntitySummary]:
        """Canonical entities, most mentioned first; ``query`` matches any variant (substring)."""
        return self.queries.entities.list_entities(
            self._reader(), limit=limit, offset=offset, query=query, type=type)

    def entity_page(self, entity_id: str, *, related: int = 10,
                    newest: int = 10) -> EntityPage | None:
        """One entity's page: variants, mentions per day and language, co-occurring, newest."""
        return self.queries.entities.entity_page(
            self._reader(), entity_id, related=related, newest=newest)

    def search_quotes(self, query: str = "", *, entity_id: str | None = None,
                      limit: int = 50, offset: int = 0) -> list[QuoteHit]:
        """Quotes matching ``query`` (words of the quote or speaker), of ``entity_id`` if
        given, newest first."""
        return self.queries.quotes.search_quotes(
            self._reader(), query, entity_id=entity_id, limit=limit, offset=offset)

    def quote_texts(self, lang: str, *, limit: int) -> list[str]:
        """The texts of the newest ``limit`` stored quotes in ``lang``."""
        return self.queries.quotes.quote_texts(
            self._reader(), lang, limit=limit)

    # -- watchlists and tokens ---------------------------------------------------------

    def add_watchlist(self, *, name: str, kind: WatchlistKind, target: str,
                      lang: str | None = None) -> Watchlist:
        """Save a watchlist; an unknown entity or a query without words is a `StorageError`."""
        module = self.queries.watchlists

        def add(conn: Any) -> int:
            module.check_target(conn, kind, target)
            return int(module.insert(conn, name=name.strip() or target, kind=kind,
                                     target=target.strip(), lang=lang or None,
                                     created_at=utc_now()))

        found = self.get_watchlist(self.write(add))
        assert found is not None  # just committed; this thread reads it
        return found

    def watchlists(self) -> list[Watchlist]:
        """Every watchlist, oldest first, with its count of new items."""
        return self.queries.watchlists.list_all(self._reader())

    def get_watchlist(self, watchlist_id: int) -> Watchlist | None:
        """One watchlist, or None if there is none with this id."""
        return self.queries.watchlists.get(
            self._reader(), watchlist_id)

    def watchlist_items(self, watchlist_id: int, *, limit: int = 50,
                        offset: int = 0) -> list[WatchItem]:
        """The watchlist's matching articles, newest ingested first ([] if there is none)."""
        watchlist = self.get_watchlist(watchlist_id)
        if watchlist is None:
            return []
        return self.queries.watchlists.items(
            self._reader(), watchlist, limit=limit, offset=offset)

    def mark_watchlist_seen(self, watchlist_id: int) -> bool:
        """Count everything stored now as seen; False if there is no such watchlist."""
        return bool(self.write(lambda conn: self.queries.watchlists.mark_seen(conn,
                                                                              watchlist_id)))

    def delete_watchlist(self, watchlist_id: int) -> bool:
        """Remove a watchlist; False if there was none."""
        return bool(self.write(lambda conn: self.queries.watchlists.delete(conn, watchlist_id)))

    def api_token_digests(self) -> list[str]:
        """The SHA-256 digests (hex) of the web's API tokens; the tokens are never stored."""
        return self.queries.tokens.digests(self._reader())

    def replace_api_token(self, digest: str, *, label: str = "") -> None:
        """Keep only this token digest: the previous tokens stop working."""
        self.write(lambda conn: self.queries.tokens.replace(conn, digest, label, utc_now()))

    # -- stories -----------------------------------------------------------------------

    def list_stories(self, *, limit: int = 50, offset: int = 0, query: str | None = None,
                     lang: str | None = None) -> list[StorySummary]:
        """Stories, most recently active first; ``query`` matches a headline, ``lang`` a member."""
        return self.queries.stories.list_stories(
            self._reader(), limit=limit, offset=offset, query=query, lang=lang)

    def story_page(self, story_id: str) -> StoryPage | None:
        """One story with its members per language and its thread, or None."""
        return self.queries.stories.story_page(
            self._reader(), story_id)

    def thread(self, thread_id: str) -> list[StorySummary]:
        """The stories of one thread, oldest first."""
        return self.queries.stories.thread(self._reader(), thread_id)

    def thread_window(self, thread_id: str, story_id: str, *,
                      neighbours: int) -> ThreadWindow:
        """The ``neighbours`` stories on each side of ``story_id`` in its thread, and its size."""
        return self.queries.stories.thread_window(
            self._reader(), thread_id, story_id, neighbours=neighbours)

    def front_stories(self, filters: FrontFilters, *, limit: int = 20,
                      offset: int = 0) -> list[FrontStory]:
        """Stories with the most articles in the filters' day window, biggest first."""
        return self.queries.front.front_stories(
            self._reader(), filters, limit=limit, offset=offset)

    def story_summary(self, story_id: str) -> StorySummary | None:
        """One story's list entry without its members, or None if there is none."""
        return self.queries.front.story_summary(
            self._reader(), story_id)

    def story_extras(self, story_id: str, *, entities: int = 10, quotes: int = 50,
                     per_language: int = 30) -> StoryExtras:
        """A story's first members per language with source and time, timeline counts (all
        members), entities (the clusterer's top entities when it kept them, else counted
        from the members) and quotes."""
        conn, extras = self._reader(), self.queries.extras
        summary = self.queries.front.story_summary(conn, story_id)
        ranked = summary.top_entities[:entities] if summary is not None else []
        named = extras.named_entities(conn, ranked)
        return StoryExtras(
            articles=extras.story_articles(conn, story_id, per_language=per_language),
            timeline=extras.story_timeline(conn, story_id),
            entities=named or extras.story_entities(conn, story_id, limit=entities),
            quotes=extras.story_quotes(conn, story_id, limit=quotes))

    def entity_stories(self, entity_id: str, *, limit: int = 10) -> list[FrontStory]:
        """The stories holding most of the entity's articles (``window_*``: those articles)."""
        return self.queries.extras.entity_stories(
            self._reader(), entity_id, limit=limit)
