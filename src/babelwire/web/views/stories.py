"""The front page (this week's biggest stories across languages), the story list and story pages.

"This week" ends on the newest day the store has an article for, not on the
clock's today: a store of last year's news (or the 2008 sample corpus) still
has a front page. The headline is shown in the reader's language when the story
has one (``hl``, else the browser's Accept-Language), else the story's label.
Before any clustering the front page says so and lists the newest articles.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request

from ...db.store import FrontFilters, Store, StoryArticle
from ..charts import time_chart
from ..page_cache import PageCache
from ..pages import PageData, PageNumber, WebContext, add_page
from .articles import index_data
from .search import DAY_PATTERN

FRONT_PAGE_SIZE = 20
WINDOW_DAYS = 7
STORY_ENTITIES = 12
STORY_QUOTES = 40
THREAD_NEIGHBOURS = 5
"""Stories shown before and after this one in its thread (a long-running topic has hundreds)."""
CHART_LANGUAGES = 6
"""Languages stacked in the timeline; the rest are summed as "other" (ten stacked colours read
as noise, and each is a rectangle per bucket)."""
MEMBERS_PER_LANGUAGE = 30
"""Articles listed per language on a story page; the counts and the timeline cover all."""
STORY_PAGES_CACHED = 64
"""Story pages kept per generation: a big story's data (300 members, ~400 chart bars) is
~300 KB of objects (tracemalloc, the 10 biggest bench stories), so 64 stay under 20 MB."""
COUNTRY_PREFIX = "geo:country:"
COUNTRIES_OFFERED = 40


def register(app: FastAPI, ctx: WebContext) -> None:
    """Add ``/`` (front page), ``/stories`` and ``/stories/<id>``.

    Front pages are cached per store generation (`PageCache`): every reader asks for
    the same few, and computing one reads the window's slice of the day index. Story
    pages too, fewer of them: readers open the big stories of the day again and again,
    and a big story's data costs ~6 ms of CPU to gather and chart.
    """
    front_pages = PageCache(ctx.store.generation)
    story_pages = PageCache(ctx.store.generation, max_entries=STORY_PAGES_CACHED)

    def front(request: Request, lang: str = "", entity: str = "", country: str = "",
              since: str = Query("", pattern=DAY_PATTERN, description="first day, YYYY-MM-DD"),
              until: str = Query("", pattern=DAY_PATTERN, description="last day, YYYY-MM-DD"),
              hl: str = Query("", description="headline language (default: Accept-Language)"),
              page: PageNumber = 1) -> PageData:
        wanted = {"lang": lang, "entity": entity, "country": country, "since": since,
                  "until": until}
        readers = _reader_languages(hl, request)
        # today's date is in the key: an empty store's window ends today
        key = (tuple(wanted.values()), tuple(readers), page, date.today().isoformat())
        return front_pages.get(key, lambda: front_data(ctx.store, wanted, readers, page))

    def stories(q: str = "", lang: str = "", page: PageNumber = 1) -> PageData:
        found = ctx.store.list_stories(limit=FRONT_PAGE_SIZE + 1,
                                       offset=(page - 1) * FRONT_PAGE_SIZE,
                                       query=q.strip() or None, lang=lang or None)
        return {"query": q, "lang": lang, "page": page, "has_next": len(found) > FRONT_PAGE_SIZE,
                "stories": [asdict(s) for s in found[:FRONT_PAGE_SIZE]],
                "languages": ctx.store.languages()}

    def story(story_id: str, request: Request, hl: str = "") -> PageData:
        readers = _reader_languages(hl, request)
        return story_pages.get((story_id, tuple(readers)),
                               lambda: story_data(ctx.store, story_id, readers))

    add_page(app, ctx, front, path="/", json_path="/index.json", template="front.html",
             summary="Front page: the window's biggest stories across languages", tag="stories")
    add_page(app, ctx, stories, path="/stories", template="stories.html",
             summary="Stories, most recently active first", tag="stories")
    add_page(app, ctx, story, path="/stories/{story_id}", template="story.html",
             summary="One story: its articles per language, timeline, names, quotes, thread",
             tag="stories")


def front_data(store: Store, wanted: dict[str, str], readers: list[str], page: int) -> PageData:
    """The window's stories with their chosen headlines, or the newest articles before any."""
    latest = store.latest_day()
    until = wanted["until"] or latest or date.today().isoformat()
    since = wanted["since"] or _window_start(until)
    entity = wanted["entity"] or wanted["country"]
    filters = FrontFilters(since=since, until=until, lang=wanted["lang"] or None,
                           entity_id=entity or None)
    found = store.front_stories(filters, limit=FRONT_PAGE_SIZE + 1,
                                offset=(page - 1) * FRONT_PAGE_SIZE)
    data: PageData = {
        "filters": {**wanted, "since": since, "until": until}, "page": page,
        "has_next": len(found) > FRONT_PAGE_SIZE, "latest_day": latest,
        "stories": [_with_headline(asdict(s), readers) for s in found[:FRONT_PAGE_SIZE]],
        "languages": store.languages(), "countries": _countries(store),
        "clustered": bool(found) or store.has_stories(), "newest": []}
    if not data["clustered"]:
        data["newest"] = index_data(store, 1, None)["articles"]
    return data


def _window_start(until: str) -> str:
    """The first day of the ``WINDOW_DAYS`` ending on ``until``, clipped to the calendar.

    The day pattern lets through days the calendar lacks (``2024-02-30``, year
    ``0000``). Filters compare days as strings, so such an ``until`` is a fine bound
    ("up to the end of February", as search reads it); the window then counts back
    from the last real day at or before it, and never before 0001-01-01 (a 422 here
    made valid-looking links fail: schemathesis found one).
    """
    end = _last_real_day(until[:10])
    if end is None:  # year 0000: no real day at or before it
        return "0000-01-01"
    if end.toordinal() < WINDOW_DAYS:
        return date.min.isoformat()
    return (end - timedelta(days=WINDOW_DAYS - 1)).isoformat()


def _last_real_day(day: str) -> date | None:
    """The last calendar day at or before a YYYY-MM-DD string, or None before 0001-01-01."""
    year, month, number = (int(part) for part in day.split("-"))
    if year == 0:
        return None
    return date(year, month, min(number, calendar.monthrange(year, month)[1]))


def story_data(store: Store, story_id: str, readers: list[str]) -> PageData:
    """Everything a story page shows; 404 if there is no such story."""
    summary = store.story_summary(story_id)
    if summary is None:
        raise HTTPException(404, f"no story with id {story_id!r}; see /stories")
    thread = store.thread_window(summary.thread_id, story_id, neighbours=THREAD_NEIGHBOURS)
    extras = store.story_extras(story_id, entities=STORY_ENTITIES, quotes=STORY_QUOTES,
                                per_language=MEMBERS_PER_LANGUAGE)
    by_language: dict[str, list[StoryArticle]] = {}
    for article in extras.articles:
        by_language.setdefault(article.lang, []).append(article)
    # Dataclasses, not asdict() copies: the template reads attributes, the JSON twin's
    # encoder converts them, and a big story's page skips copying hundreds of records.
    return {"story": _with_headline(asdict(summary), readers),
            "articles": dict(sorted(by_language.items(), key=lambda kv: (-len(kv[1]), kv[0]))),
            "entities": extras.entities, "quotes": extras.quotes,
            "thread": thread.stories, "thread_size": thread.size,
            "chart": time_chart(extras.timeline, max_series=CHART_LANGUAGES)}


def _with_headline(story: dict[str, Any], readers: list[str]) -> dict[str, Any]:
    """Add ``headline`` and ``headline_lang``: the first reader language the story has."""
    headlines = story.get("headlines") or {}
    lang = next((code for code in readers if code in headlines), None)
    story["headline"] = headlines[lang] if lang else story["label"]
    story["headline_lang"] = lang or next(
        (code for code, text in headlines.items() if text == story["label"]), "")
    return story


def _reader_languages(hl: str, request: Request) -> list[str]:
    """``hl`` first, then Accept-Language's tags by weight, as two-letter codes."""
    tags = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, weight = part.strip().partition(";q=")
        try:
            tags.append((float(weight or 1), tag.split("-")[0].lower()))
        except ValueError:
            continue
    ordered = [tag for _, tag in sorted(tags, key=lambda t: -t[0]) if tag and tag != "*"]
    return ([hl.lower()] if hl else []) + ordered


def _countries(store: Store) -> list[dict[str, Any]]:
    """The most mentioned countries, for the front page's country filter."""
    return [{"id": e.id, "name": e.name} for e in store.list_entities(
        limit=5 * COUNTRIES_OFFERED, query=None, type="LOC")
        if e.id.startswith(COUNTRY_PREFIX)][:COUNTRIES_OFFERED]
