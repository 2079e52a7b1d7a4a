"""Time entity-page queries on a synthetic store of resolved mentions (default 100,000).

Why synthetic: what a page costs depends on how many mentions and articles the
entity has and how many entities share its articles, not on the names. News
mentions are Zipf-distributed (a few countries and leaders are in a large share
of the articles), so entities are drawn from a Zipf law (s = 1.1) and the
hottest entity is timed besides a median one: its page is the worst case.

Usage: .venv/bin/python scripts/bench_entity_pages.py [--mentions 100000] [--db PATH]
Prints one JSON object: store size, build seconds, and per timed entity its
mentions, articles and the median milliseconds of `Store.entity_page`
(and of `Store.list_entities`).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from babelwire.db import Database

MENTIONS_PER_ARTICLE = 5
LANGS = ("en", "de", "fr", "es", "ru", "nb")
DAYS = 365
BODY = " ".join(f"word{k % 97}" for k in range(400))  # about 2,700 characters, like a news article


def build_store(db: Database, *, mentions: int, entities: int | None = None,
                seed: int = 7) -> dict[str, int]:
    """Fill ``db`` with articles, entities, variants and resolved mentions, in one transaction."""
    rng = np.random.default_rng(seed)
    articles = mentions // MENTIONS_PER_ARTICLE
    entities = entities or max(mentions // 20, 10)
    weights = 1.0 / np.arange(1, entities + 1) ** 1.1
    weights /= weights.sum()
    picks = rng.choice(entities, size=(articles, MENTIONS_PER_ARTICLE), p=weights)
    article_langs = rng.integers(0, len(LANGS), size=articles)
    days = rng.integers(0, DAYS, size=articles)
    undated = rng.random(articles) < 0.1  # no published date: falls back to ingested

    def run(conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT INTO articles (id, content_hash, ingested_at, published_at, title, text, lang)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(f"a{i}", f"h{i}", "2025-06-01T12:00:00+00:00",
              None if undated[i] else f"2024-{1 + days[i] // 31:02d}-{1 + days[i] % 28:02d}"
              "T08:00:00+00:00", f"Article {i}", BODY, LANGS[article_langs[i]])
             for i in range(articles)])
        counts = np.bincount(picks.ravel(), minlength=entities)
        conn.executemany("INSERT INTO entities (id, name, type, mentions) VALUES (?, ?, ?, ?)",
                         [(f"ent:per:{e}", f"Person {e}", "PER", int(counts[e]))
                          for e in range(entities)])
        conn.executemany("INSERT INTO entity_variants (entity_id, name, lang, count)"
                         " VALUES (?, ?, ?, ?)",
                         [(f"ent:per:{e}", f"Person {e}", "en", int(counts[e]))
                          for e in range(entities)])
        conn.executemany(
            "INSERT INTO entity_mentions (article_id, start, end, text, type, lang, entity_id,"
            " role, rule, evidence) VALUES (?, ?, ?, ?, 'PER', ?, ?, 'name', 'name_key', '')",
            [(f"a{i}", 10 * k, 10 * k + 8, f"Person {e}", LANGS[article_langs[i]],
              f"ent:per:{e}") for i in range(articles)
             for k, e in enumerate(picks[i])])

    db.write(run)
    return {"articles": articles, "entities": entities, "mentions": articles
            * MENTIONS_PER_ARTICLE}


def time_page(db: Database, entity_id: str, repeats: int = 7) -> dict[str, Any]:
    """Median milliseconds of one entity page over ``repeats`` calls (after one warm call)."""
    page = db.entity_page(entity_id)
    assert page is not None, entity_id
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        db.entity_page(entity_id)
        times.append((time.perf_counter() - started) * 1000)
    return {"id": entity_id, "mentions": page.mentions, "articles": page.articles,
            "co_occurring": len(page.co_occurring), "page_ms": round(statistics.median(times), 2)}


def bench(path: Path, mentions: int) -> dict[str, Any]:
    """Build the store at ``path`` and time the hottest and a median entity's page."""
    with Database(path) as db:
        started = time.perf_counter()
        size = build_store(db, mentions=mentions)
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        listed = db.list_entities(limit=50)
        list_ms = (time.perf_counter() - started) * 1000
        median = f"ent:per:{size['entities'] // 2}"
        return {**size, "build_s": round(build_s, 2), "list_ms": round(list_ms, 2),
                "hottest": time_page(db, listed[0].id), "median": time_page(db, median)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="store file (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        print(json.dumps(bench(path, args.mentions)))


if __name__ == "__main__":
    main()
