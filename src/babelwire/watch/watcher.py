"""The watch loop: poll each feed or sitemap politely and conditionally, ingest what is new.

One round visits every feed not backing off: robots.txt first (cached per
host), then a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from
the validators the last answer gave). A 304 ingests nothing. Feed entries go
through the ingestor as `babelwire ingest FEED` would read them; sitemap page
URLs are fetched and ingested one by one, each after robots.txt and the host's
delay allow it. An error (network, 4xx/5xx, unparsable) backs the feed off
exponentially; the first success resets it. Newly stored article ids are
pushed to the queue when one is given.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol

from ..errors import SourceError
from ..ingest import Ingestor, IngestReport
from ..queue.protocol import ArticleQueue
from ..record import Article
from ..sources.fetch import FetchedPage
from ..sources.reader import read_bytes
from .robots import RobotsRules
from .schedule import HostScheduler, backoff_s
from .sitemap import is_sitemap, parse_sitemap
from .state import FeedState, WatchState

logger = logging.getLogger(__name__)
HTTP_NOT_MODIFIED = 304


class Fetcher(Protocol):
    """`babelwire.sources.fetch.fetch_url` with limits bound, returning 4xx/5xx pages."""

    def __call__(self, url: str, *, headers: Mapping[str, str]) -> FetchedPage: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchOptions:
    """How often and how politely to poll."""

    interval_s: float = 300.0
    host_delay_s: float = 5.0  # between two requests to one host (robots.txt may ask more)
    backoff_base_s: float = 60.0
    backoff_max_s: float = 6 * 3600.0
    max_child_sitemaps: int = 50  # per sitemap index and round


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchRequest:
    """What `babelwire watch` was asked: the feed list, where state goes, an optional queue."""

    feeds_path: Path
    options: WatchOptions = field(default_factory=WatchOptions)
    state_path: Path | None = None  # None: assembly.default_watch_state_path
    queue_url: str | None = None


class PollOutcome(Enum):
    """What polling one feed did."""

    FETCHED = "fetched"
    NOT_MODIFIED = "not-modified"
    FAILED = "failed"
    BACKING_OFF = "backing-off"
    DISALLOWED = "disallowed"


@dataclass(slots=True)
class FeedPoll:
    """One feed's poll in a round."""

    url: str
    outcome: PollOutcome
    status: int | None = None
    new_items: int = 0
    message: str = ""


@dataclass(slots=True)
class RoundReport:
    """What one round did: per feed, the ingest totals, and the ids pushed to the queue."""

    polls: list[FeedPoll] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)
    pushed: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"feeds": [{"url": p.url, "outcome": p.outcome.value, "status": p.status,
                           "new_items": p.new_items, "message": p.message} for p in self.polls],
                **self.ingest.as_dict(), "pushed": self.pushed}


class Watcher:
    """Polls ``feeds`` into ``ingestor``'s store; remembers validators in ``state``."""

    def __init__(self, feeds: list[str], ingestor: Ingestor, state: WatchState,
                 fetch: Fetcher, *, options: WatchOptions | None = None,
                 queue: ArticleQueue | None = None,
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.feeds = feeds
        self.ingestor = ingestor
        self.state = state
        self.options = options = options or WatchOptions()
        self.queue = queue
        self._fetch = fetch
        self._clock = clock
        self._sleep = sleep
        self.scheduler = HostScheduler(options.host_delay_s, clock=clock, sleep=sleep)
        self.robots = RobotsRules(lambda url: fetch(url, headers={}), clock=clock)

    def run(self, *, rounds: int | None = None) -> Iterator[RoundReport]:
        """Yield one report per round, ``interval_s`` apart; forever when ``rounds`` is None."""
        done = 0
        while rounds is None or done < rounds:
            started = self._clock()
            yield self.run_round()
            done += 1
            if rounds is None or done < rounds:
                self._sleep(max(0.0, started + self.options.interval_s - self._clock()))

    def run_round(self) -> RoundReport:
        """Poll every feed not backing off, once."""
        report = RoundReport()
        for url in self.feeds:
            self._poll(url, report, depth=0)
        self.ingestor.finish(report.ingest)
        return report

    def _poll(self, url: str, report: RoundReport, *, depth: int) -> None:
        feed = self.state.feed(url)
        now = self._clock()
        if feed.failures and now < feed.next_poll_at:
            report.polls.append(FeedPoll(url, PollOutcome.BACKING_OFF, feed.last_status, 0,
                                         f"{feed.failures} failures; next poll in"
                                         f" {feed.next_poll_at - now:.0f} s"))
            return
        rules = self.robots.rules_for(url, self.scheduler.wait_turn)
        if not rules.allows(url):
            report.polls.append(FeedPoll(url, PollOutcome.DISALLOWED, None, 0,
                                         f"{url}: disallowed for babelwire ({rules.reason})"))
            return
        self.scheduler.wait_turn(url, min_delay_s=rules.crawl_delay_s())
        try:
            page = self._fetch(url, headers=_validators(feed))
        except SourceError as error:
            report.polls.append(self._failed(feed, None, str(error)))
            return
        if page.status == HTTP_NOT_MODIFIED:
            feed.last_status, feed.failures, feed.last_error = page.status, 0, None
            report.polls.append(FeedPoll(url, PollOutcome.NOT_MODIFIED, page.status))
        elif page.status >= 400:
            report.polls.append(self._failed(feed, page.status,
                                             f"{url}: server answered HTTP {page.status}",
                                             retry_after=page.headers.get("retry-after")))
        else:
            report.polls.append(self._ingest_page(feed, page, report, depth=depth))
        self.state.save()

    def _ingest_page(self, feed: FeedState, page: FetchedPage, report: RoundReport, *,
                     depth: int) -> FeedPoll:
        try:
            new_items = (self._ingest_sitemap(feed, page, report, depth=depth)
                         if is_sitemap(page.body) else self._ingest_feed(feed, page, report))
        except SourceError as error:
            return self._failed(feed, page.status, str(error))
        feed.etag = page.headers.get("etag")
        feed.last_modified = page.headers.get("last-modified")
        feed.last_status, feed.failures, feed.next_poll_at, feed.last_error = (
            page.status, 0, 0.0, None)
        return FeedPoll(feed.url, PollOutcome.FETCHED, page.status, new_items)

    def _ingest_feed(self, feed: FeedState, page: FetchedPage, report: RoundReport) -> int:
        """Feed entries not seen before, through the pipeline and into the store."""
        items = list(read_bytes(page.body, feed.url, self.ingestor.options.sources,
                                name=Path(page.final_url.split("?")[0]).name,
                                content_type=page.content_type, url=page.final_url))
        seen = set(feed.seen)
        new: list[Article] = []
        for item in items:
            if isinstance(item, SourceError):
                self.ingestor.record_source_error(report.ingest, item, feed.url)
            elif _item_key(item) not in seen:
                new.append(item)
        before = len(report.ingest.article_ids)
        for article in new:
            self.ingestor.ingest_article(article, report.ingest)
        self._push(report, report.ingest.article_ids[before:], feed.url)
        feed.remember([_item_key(a) for a in new])
        return len(new)

    def _ingest_sitemap(self, feed: FeedState, page: FetchedPage, report: RoundReport, *,
                        depth: int) -> int:
        """New page URLs of a sitemap (each fetched politely), or the sitemaps of an index."""
        sitemap = parse_sitemap(page.body, feed.url)
        if depth == 0:
            for child in sitemap.sitemaps[:self.options.max_child_sitemaps]:
                self._poll(child, report, depth=1)
        seen = set(feed.seen)
        new_pages = [url for url in sitemap.pages if url not in seen]
        for url in new_pages:
            rules = self.robots.rules_for(url, self.scheduler.wait_turn)
            if not rules.allows(url):
                logger.info("%s: disallowed by robots.txt; not fetched", url)
                feed.remember([url])
                continue
            self.scheduler.wait_turn(url, min_delay_s=rules.crawl_delay_s())
            one = self.ingestor.ingest([url])
            _merge(report.ingest, one)
            self._push(report, one.article_ids, feed.url)
            if not one.failed:
                feed.remember([url])
        return len(new_pages)

    def _failed(self, feed: FeedState, status: int | None, message: str, *,
                retry_after: str | None = None) -> FeedPoll:
        feed.failures += 1
        wait = backoff_s(feed.failures, base_s=self.options.backoff_base_s,
                         max_s=self.options.backoff_max_s)
        if retry_after is not None and retry_after.strip().isdigit():
            wait = max(wait, float(retry_after))  # the server said when to come back
        feed.next_poll_at = self._clock() + wait
        feed.last_status, feed.last_error = status, message
        logger.warning("%s; backing off %.0f s (failure %d)", message, wait, feed.failures)
        self.state.save()
        return FeedPoll(feed.url, PollOutcome.FAILED, status, 0,
                        f"{message}; next poll in {wait:.0f} s")

    def _push(self, report: RoundReport, article_ids: list[str], feed_url: str) -> None:
        if self.queue is None:
            return
        for article_id in article_ids:
            self.queue.push({"article_id": article_id, "feed": feed_url})
            report.pushed += 1


def _validators(feed: FeedState) -> dict[str, str]:
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


def _item_key(article: Article) -> str:
    """What identifies a feed entry across polls: its link, else its title and date."""
    return article.url or f"{article.title}|{article.published_at}"


def _merge(into: IngestReport, other: IngestReport) -> None:
    into.inserted += other.inserted
    into.duplicates += other.duplicates
    into.near_duplicates += other.near_duplicates
    into.sidebar_only_pages += other.sidebar_only_pages
    into.failures += other.failures
    into.article_ids += other.article_ids
