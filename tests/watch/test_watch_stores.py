"""babelwire watch into either store: SQLite and PostgreSQL end the same (issue 8).

The feeds are served by the loopback HTTP server of tests/watch/conftest.py;
the PostgreSQL store is a fresh database of the test cluster (tests/scale).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from babelwire import Settings
from babelwire.assembly import default_watch_state_path, make_fetcher, make_ingestor
from babelwire.cli import cli
from babelwire.db.store import Store
from babelwire.settings import LIGHT_STAGES
from babelwire.watch import PollOutcome, Watcher, WatchOptions, WatchState
from tests.watch.conftest import FakeClock, FeedServer, Response, rss

from ..db.conftest import (  # noqa: F401  (the PostgreSQL fixtures)
    fixture_on_both_backends,
    postgres_template,
    postgres_url,
)
from ..scale.conftest import postgres_cluster  # noqa: F401  (fixture)
from .test_watcher import BODY, OTHER_BODIES, ROBOTS_ALLOW_ALL

store = fixture_on_both_backends("store")


def _feed(server: FeedServer, items: list[tuple[str, str, str]], etag: str) -> Response:
    return Response(rss([(server.url(path), title, body) for path, title, body in items]),
                    etag=etag)


FIRST = [("/news/1", "Terminal opens", BODY), ("/news/2", "Harvest starts early",
                                                 OTHER_BODIES[0])]
CHANGED = [("/news/3", "Night buses", OTHER_BODIES[1]), ("/news/1", "Terminal opens", BODY)]


def _titles(store: Store) -> list[str]:
    return sorted(article.title for article in store.iter_articles())


def test_watch_polls_conditionally_into_either_store(
        store: Store, feed_server: FeedServer, clock: FakeClock, tmp_path: Path) -> None:
    feed_server.routes["/robots.txt"] = ROBOTS_ALLOW_ALL
    feed_server.routes["/feed.xml"] = _feed(feed_server, FIRST, '"v1"')
    settings = Settings(db_path=str(tmp_path / "unused.db"), stages=LIGHT_STAGES,
                        error_policy="record", fetch_allow=("127.0.0.1/32",))
    watcher = Watcher([feed_server.url("/feed.xml")],
                      make_ingestor(settings, store),  # type: ignore[arg-type]
                      WatchState.load(tmp_path / "w.json"), make_fetcher(settings),
                      options=WatchOptions(), clock=clock, sleep=clock.sleep)
    first = watcher.run_round()
    unchanged = watcher.run_round()
    feed_server.routes["/feed.xml"] = _feed(feed_server, CHANGED, '"v2"')
    changed = watcher.run_round()
    assert [(r.polls[0].outcome, r.ingest.inserted) for r in (first, unchanged, changed)] == [
        (PollOutcome.FETCHED, 2), (PollOutcome.NOT_MODIFIED, 0), (PollOutcome.FETCHED, 1)]
    assert feed_server.requests[-1].headers["if-none-match"] == '"v1"'
    assert _titles(store) == ["Harvest starts early", "Night buses", "Terminal opens"]


def _watch_once(db: str, feeds: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["--db", db, "--set", "ingest.fetch_allow=127.0.0.1/32",
                                      "--set", "pipeline.stages=light", "watch", str(feeds),
                                      "--once", "--host-delay", "0"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_watch_command_on_a_postgresql_url_keeps_state_in_the_working_directory(
        postgres_url: str, feed_server: FeedServer, tmp_path: Path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    feed_server.routes["/robots.txt"] = ROBOTS_ALLOW_ALL
    feed_server.routes["/feed.xml"] = _feed(feed_server, FIRST, '"v1"')
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(feed_server.url("/feed.xml") + "\n", encoding="utf-8")
    first = _watch_once(postgres_url, feeds)
    second = _watch_once(postgres_url, feeds)
    exported = CliRunner().invoke(cli, ["--db", postgres_url, "export", "--format", "jsonl"])
    state = default_watch_state_path(postgres_url)
    assert (first["inserted"], first["feeds"][0]["outcome"]) == (2, "fetched")
    assert (second["inserted"], second["feeds"][0]["outcome"]) == (0, "not-modified")
    assert sorted(json.loads(line)["title"] for line in exported.stdout.splitlines()) == [
        "Harvest starts early", "Terminal opens"]
    assert (tmp_path / state).is_file() and not state.is_absolute()


def test_watch_state_path_of_a_postgresql_url_names_host_port_and_database() -> None:
    assert default_watch_state_path("postgresql://bw:secret@127.0.0.1:54321/news") == Path(
        "127.0.0.1-54321-news.watch.json")
    assert default_watch_state_path("postgresql://db.example/") == Path(
        "db.example-5432-postgres.watch.json")
    assert default_watch_state_path("news.db") == Path("news.db.watch.json")
