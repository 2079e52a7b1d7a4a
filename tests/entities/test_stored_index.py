"""The stored entity index answers every lookup as the in-memory index it was written from."""

from __future__ import annotations

import sqlite3

import pytest

from babelwire import Database
from babelwire.db.resolver_state import StoredResolverState
from babelwire.entities.benchmark import _mentions, build_store
from babelwire.entities.entity_index import EntityIndex
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, Link
from babelwire.entities.resolver import EntityResolver
from babelwire.entities.stored_index import StoredEntityIndex, full_state
from babelwire.errors import EntityError

STORE = 3_000  # small syllable names: skeletons and surnames are shared by many entities


def _stored(db: Database, index: EntityIndex) -> None:
    db.write(lambda conn: StoredResolverState(conn).write_changes(full_state(index)))


def test_stored_index_gives_every_key_its_ids_in_the_order_they_were_added(
        db: Database) -> None:
    index, _ = build_store(STORE, seed=11)
    _stored(db, index)
    expected = dict(index.key_lists())
    assert max(len(ids) for ids in expected.values()) >= 10  # keys shared by many entities

    def read(conn: sqlite3.Connection) -> dict[str, list[str]]:
        stored = StoredEntityIndex(StoredResolverState(conn))
        return {key: stored._ids(key) for key in expected}

    def read_first(conn: sqlite3.Connection, limit: int) -> dict[str, list[str]]:
        stored = StoredEntityIndex(StoredResolverState(conn))
        return {key: stored._ids(key, limit) for key in expected}

    assert db.write(read) == expected
    for limit in (1, 3, 20):
        assert db.write(lambda conn, n=limit: read_first(conn, n)) == {
            key: ids[:limit] for key, ids in expected.items()}


def test_resolving_against_the_stored_index_links_as_against_the_in_memory_one(
        db: Database, gazetteer: Gazetteer) -> None:
    index, people = build_store(STORE, seed=5)
    _stored(db, index)
    mentions = _mentions(people, 1_500, seed=6)
    in_memory = EntityResolver(gazetteer, index).resolve_groups(mentions)

    def resolve(conn: sqlite3.Connection) -> list[Link]:
        stored = StoredEntityIndex(StoredResolverState(conn))
        return EntityResolver(gazetteer, stored).resolve_groups(mentions)

    assert db.write(resolve) == in_memory
    rules = {str(link.rule) for link in in_memory}
    assert {"name_key", "article_surname", "new", "place"} <= rules


def test_a_stored_index_refuses_to_list_its_entities_and_says_why(db: Database) -> None:
    def listing(conn: sqlite3.Connection) -> None:
        list(StoredEntityIndex(StoredResolverState(conn)))

    with pytest.raises(EntityError, match="read lazily and cannot list its entities"):
        db.write(listing)


def test_new_entity_ids_never_collide_with_stored_ones(db: Database) -> None:
    index = EntityIndex()
    first = index.new_entity("Smith", EntityType.PER)
    _stored(db, index)

    def create(conn: sqlite3.Connection) -> str:
        stored = StoredEntityIndex(StoredResolverState(conn))
        return stored.new_entity("Smith", EntityType.PER).id

    assert db.write(create) == f"{first.id}-2" == index.new_entity("Smith", EntityType.PER).id
