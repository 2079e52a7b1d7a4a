"""Page data cached per store generation: served while the store is unchanged, never after."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from babelwire import Article, Database
from babelwire.web.app import create_app
from babelwire.web.page_cache import PageCache


def test_cache_serves_an_entry_only_in_the_generation_it_was_computed_in() -> None:
    generation = [1]
    computed: list[str] = []

    def compute(value: str) -> str:
        computed.append(value)
        return value

    cache = PageCache(lambda: generation[0])
    assert [cache.get("k", lambda: compute("a")), cache.get("k", lambda: compute("b"))] == [
        "a", "a"]
    generation[0] = 2
    assert cache.get("k", lambda: compute("c")) == "c"
    assert (computed, cache.hits, cache.misses) == (["a", "c"], 1, 2)


def test_cache_drops_the_least_recently_used_entry_past_its_size() -> None:
    cache = PageCache(lambda: 0, max_entries=2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 10)  # a is now the most recently used
    cache.get("c", lambda: 3)
    assert [cache.get(k, lambda: -1) for k in ("a", "c", "b")] == [1, 3, -1]


def test_store_generation_changes_with_commits_by_its_writer_and_by_other_processes(
        tmp_path: Path) -> None:
    path = tmp_path / "gen.db"
    with Database(path) as db:
        before = db.generation()
        assert db.generation() == before
        db.add_article(Article(id="a1", title="T", text="Body one.", lang="en", source="s"))
        after_write = db.generation()
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("UPDATE articles SET title = 'U' WHERE id = 'a1'")
        other.close()
        assert len({before, after_write, db.generation()}) == 3


@pytest.mark.anyio
async def test_front_page_of_a_running_app_shows_articles_stored_after_it_was_served(
        db: Database) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(db)),
                                 base_url="http://testserver") as client:
        db.add_article(Article(id="a1", title="First report", text="Body one.", lang="en",
                               source="s", published_at=datetime(2024, 5, 6, 9)))
        first = (await client.get("/index.json")).json()
        again = (await client.get("/index.json")).json()
        db.add_article(Article(id="a2", title="Second report", text="Body two.", lang="en",
                               source="s", published_at=datetime(2024, 5, 7, 9)))
        later = (await client.get("/index.json")).json()
    assert first == again
    assert [a["id"] for a in first["newest"]] == ["a1"]
    assert [a["id"] for a in later["newest"]] == ["a2", "a1"]
    assert later["latest_day"] == "2024-05-07"


@pytest.mark.anyio
async def test_story_page_of_a_running_app_follows_articles_joining_the_story(
        db: Database) -> None:
    def story(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO stories (id, label, thread_id, size, centroid, member_vectors,"
                     " updated_at) VALUES ('s:1', 'Floods', 's:1', 1, x'', x'', 'now')")
        conn.execute("UPDATE articles SET story_id = 's:1'")

    db.add_article(Article(id="a1", title="Floods", text="Body one.", lang="en", source="s",
                           published_at=datetime(2024, 5, 6, 9)))
    db.write(story)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(db)),
                                 base_url="http://testserver") as client:
        first = (await client.get("/stories/s:1.json")).json()
        db.add_article(Article(id="a2", title="Inondations", text="Corps deux.", lang="fr",
                               source="s", published_at=datetime(2024, 5, 6, 10)))
        db.write(lambda conn: conn.execute("UPDATE articles SET story_id = 's:1'"))
        later = (await client.get("/stories/s:1.json")).json()
    assert sorted(first["articles"]) == ["en"]
    assert sorted(later["articles"]) == ["en", "fr"]
    assert later["chart"]["total"] == 2
