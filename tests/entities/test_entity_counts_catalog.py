"""The entity pages' count tables stay equal to a recount through the catalog's real writes:
mentions queued at ingest and linked incrementally, a user merge, a split, a full
re-resolution, and an article deleted or moved to another story (migration 014)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from babelwire import Article, Database
from babelwire.db import entity_tables
from babelwire.entities.catalog import EntityCatalog
from babelwire.entities.places import Gazetteer

from ..db.test_entity_counts import differences
from .test_incremental_resolution import _articles, _batches, _decide

START = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)


def _store_articles(db: Database, rng: random.Random, count: int) -> None:
    for number in range(count):
        published = START + timedelta(hours=rng.randrange(96))
        db.add_article(Article(id=f"a{number:04d}", title=f"Title {number}",
                               text=f"Body {number} {rng.random()}", lang="en",
                               published_at=published, story_id=f"s:{rng.randrange(4)}"))


def test_counts_equal_a_recount_after_ingest_merge_split_reresolution_and_delete(
        gazetteer: Gazetteer) -> None:
    rng = random.Random(7)
    with Database(memory=True) as db:
        catalog = EntityCatalog(db, gazetteer=gazetteer)
        _store_articles(db, rng, 30)
        wrong = {}
        for number, batch in enumerate(_batches(rng, _articles(rng, 30))):
            entity_tables.add_mentions(db, batch)  # as ingest queues them
            catalog.resolve_pending()
            wrong[f"ingest {number}"] = db.write(differences)
        _decide(catalog, rng)  # a merge, then a split, each re-resolving
        wrong["merge and split"] = db.write(differences)
        catalog.resolve()
        wrong["re-resolution"] = db.write(differences)
        db.write(lambda conn: conn.execute("DELETE FROM articles WHERE id = 'a0003'"))
        db.write(lambda conn: conn.execute("UPDATE articles SET story_id = 's:9'"
                                           " WHERE id = 'a0004'"))
        wrong["delete and move"] = db.write(differences)
        kept = db.write(lambda conn: conn.execute(
            "SELECT count(*), sum(shared) FROM entity_pairs").fetchone())
        decisions = len(entity_tables.read_decisions(db))
    assert {step: found for step, found in wrong.items() if found} == {}
    assert decisions == 2 and kept[0] > 0  # the steps did write and the pairs are not empty
