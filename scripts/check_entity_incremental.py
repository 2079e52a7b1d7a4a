"""Check that incremental entity resolution equals one replay on a real store's mentions.

Reads the mentions of STORE (for example the sample corpus after
``make demo-ingest-entities``; the store is opened read-only), then, in two
in-memory stores: (a) queues them in random batches of whole articles and links
each batch with `EntityCatalog.resolve_pending`, as ingest does; (b) queues them
all and replays once. Prints whether every entity, variant, link and the stored
resolver state are equal, with timings. Exit code 1 if they differ.

    .venv/bin/python scripts/check_entity_incremental.py babelwire.db --max-batch 4
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from itertools import groupby
from pathlib import Path

from babelwire import Database
from babelwire.assembly import cache_dir
from babelwire.db import entity_tables
from babelwire.entities.catalog import EntityCatalog
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, Mention


def read_articles(path: Path) -> list[list[Mention]]:
    """The store's mentions in row order, grouped by consecutive article."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = conn.execute("SELECT article_id, start, end, text, type, lang FROM entity_mentions"
                        " ORDER BY id").fetchall()
    conn.close()
    mentions = [Mention(text=text, type=EntityType(type_), lang=lang, article_id=article,
                        span=(start, end)) for article, start, end, text, type_, lang in rows]
    return [list(group) for _, group in groupby(mentions, key=lambda m: m.article_id)]


def decide(catalog: EntityCatalog, rng: random.Random) -> None:
    """A user merge of two random people, and a split of a random entity's other spelling."""
    rows = catalog.list(limit=300)
    people = [row for row in rows if row["type"] == "PER"]
    if len(people) >= 2:
        keep, other = rng.sample(people, 2)
        catalog.merge(keep["id"], other["id"])
    for row in rng.sample(rows, len(rows)):
        found = catalog.explain(row["id"])
        spellings = sorted({v["name"] for v in found["variants"]} - {found["name"]})
        if spellings:
            catalog.split(row["id"], rng.choice(spellings))
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--max-batch", type=int, default=4, help="Most articles in one batch.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--decide-every", type=int, default=0,
                        help="After every N batches, merge two random people and split a"
                             " variant off a random entity (0: no decisions).")
    args = parser.parse_args()
    articles = read_articles(args.store)
    gazetteer = Gazetteer(cache_dir())
    gazetteer.table  # noqa: B018 - loaded once, outside the timings
    rng = random.Random(args.seed)
    with Database(memory=True) as batched, Database(memory=True) as replayed:
        catalog = EntityCatalog(batched, gazetteer=gazetteer)
        started, steps, i = time.perf_counter(), 0, 0
        while i < len(articles):
            size = rng.randint(1, args.max_batch)
            entity_tables.add_mentions(batched, [m for a in articles[i:i + size] for m in a])
            catalog.resolve_pending()
            i, steps = i + size, steps + 1
            if args.decide_every and steps % args.decide_every == 0:
                decide(catalog, rng)
        incremental_s = time.perf_counter() - started
        entity_tables.add_mentions(replayed, [m for a in articles for m in a])
        for decision in entity_tables.read_decisions(batched):
            entity_tables.add_decision(replayed, decision)
        started = time.perf_counter()
        EntityCatalog(replayed, gazetteer=gazetteer).resolve()
        replay_s = time.perf_counter() - started
        decisions = len(entity_tables.read_decisions(batched))
        left = entity_tables.resolution_snapshot(batched)
        right = entity_tables.resolution_snapshot(replayed)
    differing = sorted(name for name in left if left[name] != right[name])
    print(json.dumps({
        "articles": len(articles), "mentions": sum(map(len, articles)), "batches": steps,
        "incremental_s_total": round(incremental_s, 2),
        "incremental_ms_per_batch": round(1000 * incremental_s / steps, 1),
        "one_replay_s": round(replay_s, 2),
        "decisions": decisions, "rows_compared": {k: len(v) for k, v in left.items()},
        "equal": not differing, "differing": differing}))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
