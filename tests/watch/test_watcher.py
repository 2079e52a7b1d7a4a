"""babelwire watch: conditional, polite, robots-respecting polling into the store (issue 8)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from babelwire import Database, Settings
from babelwire.assembly import make_fetcher, make_ingestor
from babelwire.cli import cli
from babelwire.errors import ConfigError
from babelwire.queue import MemoryQueue
from babelwire.watch import PollOutcome, Watcher, WatchOptions, WatchState, read_feed_list
from tests.watch.conftest import FakeClock, FeedServer, Response, article_page, rss, sitemap

BODY = ("The harbour authority said on Tuesday that the new container terminal would open"
        " next spring, after two years of building work and a long dispute over dredging.")
OTHER_BODIES = (
    "Farmers in the northern valleys began the grape harvest a week early this year, citing"
    " a dry summer, and cooperatives expect lower volumes but a sweeter vintage than usual.",
    "The city council voted to extend the night bus network to three outer districts, a plan"
    " that unions welcomed and that the transport company will pay for from ticket revenue.",
)
ROBOTS_ALLOW_ALL = Response(b"User-agent: *\nDisallow:\n", content_type="text/plain")


LOOPBACK_ALLOWED = ("127.0.0.1/32",)
"""The feeds are served on loopback, which the fetcher refuses unless allowed."""


def _watcher(settings: Settings, db: Database, feeds: list[str], clock: FakeClock,
             tmp_path: Path, **options: float) -> Watcher:
    settings = replace(settings, fetch_allow=LOOPBACK_ALLOWED)
    return Watcher(feeds, make_ingestor(settings, db), WatchState.load(tmp_path / "w.json"),
                   make_fetcher(settings), options=WatchOptions(**options), clock=clock,
                   sleep=clock.sleep)


def _two_item_feed(server: FeedServer) -> bytes:
    return rss([(server.url("/news/1"), "Terminal opens", BODY),
                (server.url("/news/2"), "Harvest starts early", OTHER_BODIES[0])])


def test_watch_second_poll_is_conditional_and_304_ingests_nothing(
        feed_server: FeedServer, settings: Settings, db: Database, clock: FakeClock,
        tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = ROBOTS_ALLOW_ALL
    feed_server.routes["/feed.xml"] = Response(_two_item_feed(feed_server), etag='"v1"',
                                               last_modified="Tue, 01 Dec 2026 10:00:00 GMT")
    watcher = _watcher(settings, db, [feed_server.url("/feed.xml")], clock, tmp_path)
    first = watcher.run_round()
    second = watcher.run_round()
    feed_requests = [r for r in feed_server.requests if r.path == "/feed.xml"]
    assert (first.ingest.inserted, first.polls[0].outcome) == (2, PollOutcome.FETCHED)
    assert "if-none-match" not in feed_requests[0].headers
    assert feed_requests[1].headers["if-none-match"] == '"v1"'
    assert feed_requests[1].headers["if-modified-since"] == "Tue, 01 Dec 2026 10:00:00 GMT"
    assert (second.polls[0].outcome, second.polls[0].status) == (PollOutcome.NOT_MODIFIED, 304)
    assert (second.ingest.inserted, second.ingest.duplicates) == (0, 0)
    assert db.stats()["articles"] == 2


def test_watch_state_file_carries_validators_to_the_next_run(
        feed_server: FeedServer, settings: Settings, db: Database, clock: FakeClock,
        tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = ROBOTS_ALLOW_ALL
    feed_server.routes["/feed.xml"] = Response(_two_item_feed(feed_server), etag='"v1"')
    _watcher(settings, db, [feed_server.url("/feed.xml")], clock, tmp_path).run_round()
    again = _watcher(settings, db, [feed_server.url("/feed.xml")], clock, tmp_path).run_round()
    assert again.polls[0].outcome is PollOutcome.NOT_MODIFIED
    assert feed_server.requests[-1].headers["if-none-match"] == '"v1"'


def test_watch_changed_feed_ingests_only_new_items(
        feed_server: FeedServer, settings: Settings, db: Database, clock: FakeClock,
        tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = ROBOTS_ALLOW_ALL
    feed_server.routes["/feed.xml"] = Response(_two_item_feed(feed_server), etag='"v1"')
    watcher = _watcher(settings, db, [feed_server.url("/feed.xml")], clock, tmp_path)
    watcher.run_round()
    feed_server.routes["/feed.xml"] = Response(rss([
        (feed_server.url("/news/3"), "Night buses", OTHER_BODIES[1]),
        (feed_server.url("/news/1"), "Terminal opens", BODY)]), etag='"v2"')
    second = watcher.run_round()
    assert (second.polls[0].new_items, second.ingest.inserted) == (1, 1)
    assert db.stats()["articles"] == 3


def test_watch_honours_robots_txt_disallow(
        feed_server: FeedServer, settings: Settings, db: Database, clock: FakeClock,
        tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = Response(b"User-agent: *\nDisallow: /private/\n",
                                                 content_type="text/plain")
    feed_server.routes["/private/feed.xml"] = Response(_two_item_feed(feed_server))
    feed_server.routes["/feed.xml"] = Response(_two_item_feed(feed_server))
    report = _watcher(settings, db, [feed_server.url("/private/feed.xml"),
                                     feed_server.url("/feed.xml")], clock, tmp_path).run_round()
    assert [p.outcome for p in report.polls] == [PollOutcome.DISALLOWED, PollOutcome.FETCHED]
    assert report.polls[0].message == (f"{feed_server.url('/private/feed.xml')}: disallowed for"
                                       " babelwire (robots.txt)")
    assert "/private/feed.xml" not in feed_server.paths()
    assert feed_server.paths().count("/robots.txt") == 1  # cached for the host


def test_watch_robots_txt_server_error_means_disallow_all(
        feed_server: FeedServer, settings: Settings, db: Database, clock: FakeClock,
        tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = Response(b"oops", 503, "text/plain")
    feed_server.routes["/feed.xml"] = Response(_two_item_feed(feed_server))
    report = _watcher(settings, db, [feed_server.url("/feed.xml")], clock, tmp_path).run_round()
    assert report.polls[0].outcome is PollOutcome.DISALLOWED
    assert feed_server.paths() == ["/robots.txt"]


def test_watch_backs_off_exponentially_after_server_errors(
        feed_server: FeedServer, settings: Settings, db: Database, clock: FakeClock,
        tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = ROBOTS_ALLOW_ALL
    feed_server.routes["/feed.xml"] = Response(b"down", 500, "text/plain")
    watcher = _watcher(settings, db, [feed_server.url("/feed.xml")], clock, tmp_path,
                       backoff_base_s=60.0, host_delay_s=0.0)
    start = clock.now
    outcomes = []
    for at in (0.0, 30.0, 61.0, 150.0, 182.0):  # round times, seconds after the start
        clock.now = start + at
        outcomes.append(watcher.run_round().polls[0].outcome)
    state = watcher.state.feed(feed_server.url("/feed.xml"))
    feed_times = [r.at - start for r in watcher.scheduler.history if r.url.endswith("/feed.xml")]
    assert outcomes == [PollOutcome.FAILED, PollOutcome.BACKING_OFF, PollOutcome.FAILED,
                        PollOutcome.BACKING_OFF, PollOutcome.FAILED]
    assert feed_times == [0.0, 61.0, 182.0]  # waits of 60 s, then 120 s
    assert (state.failures, state.next_poll_at - start) == (3, 182.0 + 240.0)
    feed_server.routes["/feed.xml"] = Response(_two_item_feed(feed_server))
    clock.now = start + 500.0
    recovered = watcher.run_round()
    assert (recovered.polls[0].outcome, recovered.ingest.inserted) == (PollOutcome.FETCHED, 2)
    assert state.failures == 0


def test_watch_waits_the_host_delay_between_two_feeds_of_one_host(
        feed_server: FeedServer, settings: Settings, db: Database, clock: FakeClock,
        tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = ROBOTS_ALLOW_ALL
    feed_server.routes["/a.xml"] = Response(_two_item_feed(feed_server))
    feed_server.routes["/b.xml"] = Response(rss([(feed_server.url("/news/9"), "Other", BODY)]))
    watcher = _watcher(settings, db, [feed_server.url("/a.xml"), feed_server.url("/b.xml")],
                       clock, tmp_path, host_delay_s=5.0)
    watcher.run_round()
    schedule = [(r.url.rpartition("/")[2], r.at - watcher.scheduler.history[0].at)
                for r in watcher.scheduler.history]
    assert schedule == [("robots.txt", 0.0), ("a.xml", 5.0), ("b.xml", 10.0)]
    assert clock.sleeps == [5.0, 5.0]


def test_watch_crawl_delay_in_robots_txt_raises_the_host_delay(
        feed_server: FeedServer, settings: Settings, db: Database, clock: FakeClock,
        tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = Response(b"User-agent: *\nCrawl-delay: 12\n",
                                                 content_type="text/plain")
    feed_server.routes["/a.xml"] = Response(_two_item_feed(feed_server))
    watcher = _watcher(settings, db, [feed_server.url("/a.xml")], clock, tmp_path,
                       host_delay_s=5.0)
    watcher.run_round()
    assert clock.sleeps == [12.0]


def test_watch_ingests_sitemap_pages_through_an_index(
        feed_server: FeedServer, settings: Settings, db: Database, clock: FakeClock,
        tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = ROBOTS_ALLOW_ALL
    feed_server.routes["/sitemap.xml"] = Response(
        sitemap([feed_server.url("/sitemap-news.xml")], index=True), content_type="text/xml")
    feed_server.routes["/sitemap-news.xml"] = Response(
        sitemap([feed_server.url("/p/1.html"), feed_server.url("/p/2.html")]),
        content_type="application/xml", etag='"s1"')
    feed_server.routes["/p/1.html"] = Response(article_page("Terminal opens", BODY),
                                               content_type="text/html")
    feed_server.routes["/p/2.html"] = Response(
        article_page("Harvest starts early", OTHER_BODIES[0]), content_type="text/html")
    watcher = _watcher(settings, db, [feed_server.url("/sitemap.xml")], clock, tmp_path)
    first = watcher.run_round()
    second = watcher.run_round()
    assert first.ingest.inserted == 2
    assert sorted(db.get_article(i).url or "" for i in first.ingest.article_ids) == [
        feed_server.url("/p/1.html"), feed_server.url("/p/2.html")]
    assert {p.url.rpartition("/")[2]: p.outcome for p in second.polls} == {
        "sitemap.xml": PollOutcome.FETCHED, "sitemap-news.xml": PollOutcome.NOT_MODIFIED}
    assert second.ingest.inserted == 0
    assert feed_server.paths().count("/p/1.html") == 1


def test_watch_pushes_new_article_ids_to_the_queue(
        feed_server: FeedServer, settings: Settings, db: Database, clock: FakeClock,
        tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = ROBOTS_ALLOW_ALL
    feed_server.routes["/feed.xml"] = Response(_two_item_feed(feed_server))
    queue = MemoryQueue()
    watcher = _watcher(settings, db, [feed_server.url("/feed.xml")], clock, tmp_path)
    watcher.queue = queue
    report = watcher.run_round()
    messages = queue.consume("processor", count=10)
    assert report.pushed == 2
    assert [m.payload for m in messages] == [
        {"article_id": i, "feed": feed_server.url("/feed.xml")} for i in report.ingest.article_ids]


def test_watch_command_once_prints_the_round_as_json(
        feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = ROBOTS_ALLOW_ALL
    feed_server.routes["/feed.xml"] = Response(_two_item_feed(feed_server))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# test wire\n{feed_server.url('/feed.xml')}\n\n", encoding="utf-8")
    db_path = tmp_path / "watch.db"
    result = CliRunner().invoke(cli, ["--db", str(db_path),
                                      "--set", "ingest.fetch_allow=127.0.0.1/32", "watch",
                                      str(feeds), "--once", "--host-delay", "0"])
    line = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert (line["inserted"], line["feeds"][0]["outcome"]) == (2, "fetched")
    assert (tmp_path / "watch.db.watch.json").exists()


def test_watch_command_once_exits_3_when_every_feed_failed(
        feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = ROBOTS_ALLOW_ALL
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(feed_server.url("/gone.xml") + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "w.db"),
                                      "--set", "ingest.fetch_allow=127.0.0.1/32",
                                      "watch", str(feeds), "--once", "--host-delay", "0"])
    line = json.loads(result.stdout)
    assert result.exit_code == 3
    assert line["feeds"][0]["message"] == (f"{feed_server.url('/gone.xml')}: server answered"
                                           " HTTP 404; next poll in 60 s")


def test_read_feed_list_names_the_bad_line(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("https://example.org/feed.xml\nexample.org/rss\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_feed_list(feeds)
    assert str(error.value) == (f"{feeds}:2: 'example.org/rss' is not an http(s) URL; each line"
                                " holds one feed or sitemap URL (or a # comment)")
