"""The `Store` protocol: everything stages, ingest and the web need from storage.

SQLite (`Database`) and PostgreSQL (`postgres.database.PostgresDatabase`) implement
it (their shared methods: `store_queries.StoreQueries`), so no stage or command holds
SQL of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from ..fingerprint import Fingerprint
from ..record import Article


class AddOutcome(StrEnum):
    """What happened to an article handed to the store."""

    INSERTED = "inserted"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near_duplicate"


@dataclass(frozen=True, slots=True)
class AddResult:
    """The outcome of `Store.add_article`, with the id the article is stored under."""

    outcome: AddOutcome
    article_id: str
    similarity: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestFailure:
    """An input that could not become an article, kept so nothing is lost silently."""

    input_ref: str
    stage: str
    error: str
    message: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result; ``day`` is the day the article counts on (published, else ingested)."""

    article_id: str
    title: str
    lang: str
    snippet: str
    rank: float
    day: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchFilters:
    """Which articles a search may return: one language, days ``since``..``until`` (inclusive,
    ``YYYY-MM-DD``); None means no limit."""

    lang: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """One canonical entity in a list: id, canonical name, type and how often it is mentioned."""

    id: str
    name: str
    type: str
    mentions: int


@dataclass(frozen=True, slots=True)
class EntityVariant:
    """One spelling of an entity in one language, with its mention count."""

    name: str
    lang: str
    mentions: int


@dataclass(frozen=True, slots=True)
class MentionCount:
    """Mentions of an entity, and the articles holding them, in one bucket (a day, a language)."""

    key: str
    mentions: int
    articles: int


@dataclass(frozen=True, slots=True)
class CoEntity:
    """An entity that appears in articles that also mention the page's entity."""

    id: str
    name: str
    type: str
    shared_articles: int


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An article in a list: enough to link to it and date it."""

    id: str
    title: str
    lang: str
    day: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityPage:
    """What an entity page shows: who it is, how it is written, when, where, with whom.

    ``timeline`` has one bucket per day (the article's published date, else the day
    it was ingested), oldest first; ``languages`` most mentioned first;
    ``co_occurring`` by shared articles; ``newest`` articles by that same day.
    Timeline, co-occurrence and newest count stored articles only (mentions read
    from a file with ``entity resolve FILE`` may name articles that are not stored).
    """

    id: str
    name: str
    type: str
    mentions: int
    articles: int
    variants: list[EntityVariant]
    timeline: list[MentionCount]
    languages: list[MentionCount]
    co_occurring: list[CoEntity]
    newest: list[ArticleRef]


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontFilters:
    """Which articles count on the front page: days ``since``..``until`` (inclusive), one
    language, one entity (a country is an entity too, ``geo:country:XX``)."""

    since: str
    until: str
    lang: str | None = None
    entity_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontStory:
    """A story as the front page shows it: its label and what happened in the window."""

    id: str
    label: str
    headlines: dict[str, str]
    size: int
    first_day: str | None
    last_day: str | None
    window_articles: int
    window_languages: dict[str, int]
    window_sources: int
    last_day_articles: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryArticle:
    """A member article with its source and time, for the story page's language columns."""

    id: str
    title: str
    lang: str
    source: str
    published_at: str | None
    day: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryExtras:
    """What a story page adds to `StoryPage`: members with source and time, articles per hour
    and language (``(YYYY-MM-DDTHH, lang, n)``), the members' entities and their quotes."""

    articles: list[StoryArticle]
    timeline: list[tuple[str, str, int]]
    entities: list[CoEntity]
    quotes: list[QuoteHit]


class WatchlistKind(StrEnum):
    """What a watchlist follows."""

    ENTITY = "entity"
    QUERY = "query"


@dataclass(slots=True, kw_only=True)
class Watchlist:
    """A saved entity or query; ``new_items`` match it and were ingested after ``seen_rowid``."""

    id: int
    name: str
    kind: WatchlistKind
    target: str
    lang: str | None
    created_at: str
    seen_rowid: int = 0
    new_items: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchItem:
    """A stored article that matches a watchlist."""

    id: str
    title: str
    lang: str
    source: str
    day: str
    ingested_at: str
    story_id: str | None
    lead: str
    is_new: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteHit:
    """A stored quote in a search result: what was said, by whom, where and on which day.

    ``speaker_entity`` is the canonical entity of the speaker: the one the quotes stage
    gave, else the entity whose resolved mention in the same article has the speaker's
    name (so it follows re-resolution); None when the speaker is not linked.
    """

    id: int
    article_id: str
    position: int
    text: str
    type: str
    lang: str
    speaker_name: str | None
    speaker_entity: str | None
    cue: str | None
    day: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StorySummary:
    """A story in a list: label, size, languages, span (days as YYYY-MM-DD UTC) and thread."""

    id: str
    label: str
    thread_id: str
    size: int
    languages: dict[str, int]
    first_day: str | None
    last_day: str | None
    headlines: dict[str, str]
    top_entities: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryPage:
    """What a story page shows: the story, its members per language, and its thread.

    ``members`` maps each language to its articles, oldest first; ``thread`` lists
    the stories of the same thread (this one included), oldest first.
    """

    story: StorySummary
    members: dict[str, list[ArticleRef]]
    thread: list[StorySummary]


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreadWindow:
    """Part of a thread around one story: ``stories`` oldest first, ``size`` of the whole."""

    stories: list[StorySummary]
    size: int


class Store(Protocol):
    """Storage of articles, their provenance, duplicates and failures."""

    def add_article(self, article: Article, fingerprint: Fingerprint | None = None, *,
                    source_key: str | None = None) -> AddResult:
        """Store an article, or link it to the stored exact or near duplicate; with
        ``source_key``, mark its input ingested in the same transaction."""
        ...

    def is_ingested(self, source_key: str) -> bool:
        """True if the input with this key was stored by an earlier ingest."""
        ...

    def update_articles(self, articles: Sequence[Article], fields: Iterable[str]) -> int:
        """Write these stage-assigned fields of stored articles again, in one transaction."""
        ...

    def get_article(self, article_id: str) -> Article | None:
        """The article with this id, or None if there is none."""
        ...

    def list_articles(
        self, *, limit: int = 50, offset: int = 0, lang: str | None = None
    ) -> list[Article]:
        """Articles, newest ingested first."""
        ...

    def iter_articles(self) -> Iterator[Article]:
        """Every article, in ingestion order."""
        ...

    def search(self, query: str, *, limit: int = 20, offset: int = 0,
               filters: SearchFilters | None = None) -> list[SearchHit]:
        """Full-text search with snippets, best first; ``offset`` skips that many hits."""
        ...

    def semantic_search(
        self, vector: list[float], *, limit: int = 20, model: str = ..., offset: int = 0,
        filters: SearchFilters | None = None,
    ) -> list[SearchHit]:
        """Articles closest to an embedding of ``model``, best first (rank = cosine)."""
        ...

    def aliases(self, article_id: str) -> list[dict[str, Any]]:
        """Other sightings (exact or near duplicates) linked to an article."""
        ...

    def record_failure(self, failure: IngestFailure) -> None:
        """Keep an input that failed."""
        ...

    def failures(self, *, limit: int = 100) -> list[IngestFailure]:
        """Recorded failures, newest first."""
        ...

    def list_entities(self, *, limit: int = 50, offset: int = 0, query: str | None = None,
                      type: str | None = None) -> list[EntitySummary]:
        """Canonical entities, most mentioned first; ``query`` matches any variant (substring)."""
        ...

    def entity_page(self, entity_id: str, *, related: int = 10,
                    newest: int = 10) -> EntityPage | None:
        """The data of one entity's page, or None if there is no such entity."""
        ...

    def search_quotes(self, query: str = "", *, entity_id: str | None = None,
                      limit: int = 50, offset: int = 0) -> list[QuoteHit]:
        """Quotes whose words (or speaker name) match ``query``, of ``entity_id`` if given,
        newest first; an empty query with an entity gives all the entity's quotes."""
        ...

    def quote_texts(self, lang: str, *, limit: int) -> list[str]:
        """The texts of the newest ``limit`` stored quotes in ``lang``."""
        ...

    def add_watchlist(self, *, name: str, kind: WatchlistKind, target: str,
                      lang: str | None = None) -> Watchlist:
        """Save a watchlist (every stored match counts as new); refuse one that cannot match."""
        ...

    def watchlists(self) -> list[Watchlist]:
        """Every watchlist, oldest first, with its count of new items."""
        ...

    def get_watchlist(self, watchlist_id: int) -> Watchlist | None:
        """One watchlist, or None if there is none with this id."""
        ...

    def watchlist_items(self, watchlist_id: int, *, limit: int = 50,
                        offset: int = 0) -> list[WatchItem]:
        """The watchlist's matching articles, newest ingested first."""
        ...

    def mark_watchlist_seen(self, watchlist_id: int) -> bool:
        """Count everything stored now as seen; False if there is no such watchlist."""
        ...

    def delete_watchlist(self, watchlist_id: int) -> bool:
        """Remove a watchlist; False if there was none."""
        ...

    def api_token_digests(self) -> list[str]:
        """The SHA-256 digests (hex) of the web's API tokens; the tokens are never stored."""
        ...

    def replace_api_token(self, digest: str, *, label: str = "") -> None:
        """Keep only this token digest: the previous tokens stop working."""
        ...

    def list_stories(self, *, limit: int = 50, offset: int = 0, query: str | None = None,
                     lang: str | None = None) -> list[StorySummary]:
        """Stories, most recently active first; ``query`` matches a headline, ``lang`` a member."""
        ...

    def story_page(self, story_id: str) -> StoryPage | None:
        """One story with its members per language and its thread, or None if there is none."""
        ...

    def thread(self, thread_id: str) -> list[StorySummary]:
        """The stories of one thread, oldest first (empty if there is no such thread)."""
        ...

    def thread_window(self, thread_id: str, story_id: str, *,
                      neighbours: int) -> ThreadWindow:
        """The ``neighbours`` stories on each side of ``story_id`` in its thread, and its size."""
        ...

    def front_stories(self, filters: FrontFilters, *, limit: int = 20,
                      offset: int = 0) -> list[FrontStory]:
        """Stories with the most articles in the filters' day window, biggest first."""
        ...

    def story_extras(self, story_id: str, *, entities: int = 10, quotes: int = 50,
                     per_language: int = 30) -> StoryExtras:
        """A story's first members per language with source and time, timeline counts (all
        members), entities and quotes."""
        ...

    def has_stories(self) -> bool:
        """True once any story is stored."""
        ...

    def generation(self) -> int:
        """A number that changes with every commit to the store (by anyone): a cache key."""
        ...

    def story_summary(self, story_id: str) -> StorySummary | None:
        """One story's list entry without its members, or None if there is none."""
        ...

    def entity_stories(self, entity_id: str, *, limit: int = 10) -> list[FrontStory]:
        """The stories holding most of the entity's articles (``window_*``: those articles)."""
        ...

    def latest_day(self) -> str | None:
        """The newest day an article counts on (published, else ingested), or None if empty."""
        ...

    def languages(self) -> list[str]:
        """The languages of stored articles, sorted; cheap at any size (an index skip-scan)."""
        ...

    def stats(self) -> dict[str, Any]:
        """Counts: articles, by language, by kind, duplicates, failures."""
        ...

    def close(self) -> None:
        """Release connections and stop the writer."""
        ...
