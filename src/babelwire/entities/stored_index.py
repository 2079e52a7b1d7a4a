"""An entity index over the resolver state kept in the store: load what a lookup needs.

Why: resolving the mentions of one new article must not cost a replay of every
stored mention (about two minutes at a million). The replay's outcome for a
mention depends only on the mentions before it and on the resolver's state they
left (entities with their first name, type, variants in the order they were
seen, co-occurrence counts, and each key's ids in the order they were added);
merges and canonical names are applied on top of that state afterwards (see
`catalog`). `StoredEntityIndex` behaves as the in-memory `EntityIndex` that a
replay would have built, but reads an entity, a key's ids or a co-occurrence
count from the store the first time the resolver asks for it, and records what
the resolver changes so that only the changes are written back. Its cost is the
entities and keys the new mentions touch, not the size of the store.

What it cannot do: iterate or count every entity (the optional name-embedding
step scans the index; the catalogue never turns it on).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NoReturn, Protocol

from ..errors import EntityError
from .entity_index import EntityIndex
from .name_key import NameKey
from .records import CanonicalEntity, EntityType, Variant


@dataclass(frozen=True, slots=True)
class StoredEntity:
    """An entity as the store keeps it for the resolver: its first name, type and variants."""

    name: str
    type: EntityType
    variants: list[tuple[str, str, int]]
    """(name, lang, count), in the order the variants were first seen."""


class IndexSource(Protocol):
    """Where a `StoredEntityIndex` reads from (`db.resolver_state.StoredResolverState`)."""

    def entity(self, entity_id: str) -> StoredEntity | None: ...

    def has_entity(self, entity_id: str) -> bool: ...

    def key_ids(self, key: str, limit: int = -1) -> list[str]: ...

    def context_count(self, entity_id: str, other_id: str) -> int: ...


@dataclass(slots=True)
class IndexChanges:
    """What to write to the store: new entities, variant counts, key ids, co-occurrence.

    Written in order: ``created`` before the rows that name them; ``variants`` and
    ``keys`` in the order they happened (the store keeps that order).
    """

    created: list[CanonicalEntity] = field(default_factory=list)
    variants: Iterable[tuple[str, str, str, int]] = ()
    """(entity id, name, lang, count now)."""
    keys: Iterable[tuple[str, str]] = ()
    """(key, entity id) added, oldest first."""
    context: Iterable[tuple[str, str, int]] = ()
    """(entity id, other id, added count), each unordered pair once."""


class StoredContext(dict[str, int]):
    """An entity's co-occurrence counts, each read from the store when first asked for.

    The resolver asks for single pairs (`get`) and counts new ones (``[]=``);
    `added` is what this run counted on top of the stored counts. Listing them
    all is refused: only a merge does that, and merges run on an index built
    without co-occurrence (``with_context=False``), which never reads a hub's
    thousands of pairs.
    """

    def __init__(self, lookup: Callable[[str], int]) -> None:
        super().__init__()
        self._lookup = lookup
        self._stored: dict[str, int] = {}

    def _load(self, other: str) -> None:
        count = self._lookup(other)
        self._stored[other] = count
        dict.__setitem__(self, other, count)

    def get(self, other: str, default: int | None = None) -> int | None:  # type: ignore[override]
        if not dict.__contains__(self, other):
            self._load(other)
        count = dict.__getitem__(self, other)
        return count if count else default

    def __setitem__(self, other: str, count: int) -> None:
        if not dict.__contains__(self, other):
            self._load(other)
        dict.__setitem__(self, other, count)

    def items(self) -> NoReturn:  # the resolver never lists them; see the class docstring
        raise EntityError("stored co-occurrence counts are read pair by pair; merge entities"
                          " in a StoredEntityIndex built with with_context=False")

    def added(self) -> Iterator[tuple[str, int]]:
        """(other id, count added since loading) for every pair counted in this run."""
        for other, count in dict.items(self):
            delta = count - self._stored.get(other, 0)
            if delta:
                yield other, delta


class StoredEntityIndex(EntityIndex):
    """An `EntityIndex` that loads entities and keys from ``source`` on first use.

    ``with_context``: False for an index that only applies merges (they never read
    co-occurrence), so hub entities' counts are not read for nothing.
    """

    def __init__(self, source: IndexSource, *, with_context: bool = True) -> None:
        super().__init__()
        self._source = source
        self._with_context = with_context
        self._loaded_keys: set[str] = set()
        self._prefixes: dict[str, list[str]] = {}
        self._dropped: set[str] = set()
        self._created: list[str] = []
        self._created_ids: set[str] = set()
        self._variant_changes: dict[tuple[str, str, str], None] = {}
        self._key_changes: list[tuple[str, str]] = []

    def __len__(self) -> int:
        raise EntityError("a stored entity index is read lazily and cannot count its entities;"
                          " count the store's resolver_entities rows instead")

    def __bool__(self) -> bool:
        return True

    def __iter__(self) -> Iterator[CanonicalEntity]:
        raise EntityError("a stored entity index is read lazily and cannot list its entities;"
                          " the name-embedding step needs the in-memory EntityIndex")

    def get(self, entity_id: str) -> CanonicalEntity | None:
        entity = self.entities.get(entity_id)
        if entity is not None or entity_id in self._dropped:
            return entity
        stored = self._source.entity(entity_id)
        if stored is None:
            return None
        entity = CanonicalEntity(
            id=entity_id, name=stored.name, type=stored.type,
            variants={(name, lang): Variant(name=name, lang=lang, count=count)
                      for name, lang, count in stored.variants},
            context=self._stored_context(entity_id) if self._with_context else {})
        self.entities[entity_id] = entity
        return entity

    def _stored_context(self, entity_id: str) -> StoredContext:
        def lookup(other: str) -> int:
            if other in self._created_ids:
                return 0  # an entity this run created has no stored counts
            return self._source.context_count(entity_id, other)

        return StoredContext(lookup)

    def new_entity(self, name: str, type_: EntityType, *, entity_id: str | None = None,
                   salt: str = "") -> CanonicalEntity:
        entity = super().new_entity(name, type_, entity_id=entity_id, salt=salt)
        self._created.append(entity.id)
        self._created_ids.add(entity.id)
        return entity

    def _taken(self, entity_id: str) -> bool:
        if entity_id in self.entities:
            return True
        return entity_id not in self._dropped and self._source.has_entity(entity_id)

    def add_variant(self, entity: CanonicalEntity, name: str, lang: str,
                    key: NameKey | None = None) -> None:
        super().add_variant(entity, name, lang, key)
        self._variant_changes[(entity.id, name, lang)] = None

    def merge(self, keep: CanonicalEntity, gone: CanonicalEntity) -> None:
        super().merge(keep, gone)
        self._dropped.add(gone.id)

    def _load_key(self, key: str) -> None:
        if key in self._loaded_keys:
            return
        self._loaded_keys.add(key)
        self._prefixes.pop(key, None)
        ids = self._source.key_ids(key)
        if ids:
            self._keys[key] = ids[0] if len(ids) == 1 else ids

    def _ids(self, key: str, limit: int | None = None) -> list[str]:
        if key in self._loaded_keys or limit is None:
            self._load_key(key)
            return super()._ids(key, limit)
        # Fuzzy and surname lookups read only a key's first ids: a common skeleton or
        # surname can hold thousands, and the whole list is only needed to add to it.
        prefix = self._prefixes.get(key)
        if prefix is None or len(prefix) < limit:
            prefix = self._source.key_ids(key, limit)
            if len(prefix) < limit:  # that is all of them
                self._loaded_keys.add(key)
                self._prefixes.pop(key, None)
                if prefix:
                    self._keys[key] = prefix[0] if len(prefix) == 1 else prefix
                return super()._ids(key, limit)
            self._prefixes[key] = prefix
        return prefix[:limit]

    def _put(self, key: str, entity_id: str) -> None:
        self._load_key(key)
        current = self._keys.get(key)
        if current != entity_id and (not isinstance(current, list) or entity_id not in current):
            self._key_changes.append((key, entity_id))
        super()._put(key, entity_id)

    def _unput(self, key: str, entity_id: str) -> None:
        self._load_key(key)
        super()._unput(key, entity_id)

    def changes(self) -> IndexChanges:
        """What the resolver changed since loading: to write back with the new links."""
        created = [self.entities[i] for i in self._created if i in self.entities]
        variants = [(entity_id, name, lang, self.entities[entity_id].variants[(name, lang)].count)
                    for entity_id, name, lang in self._variant_changes]
        return IndexChanges(created=created, variants=variants, keys=list(self._key_changes),
                            context=list(self._context_changes()))

    def _context_changes(self) -> Iterator[tuple[str, str, int]]:
        for entity in self.entities.values():
            counts = entity.context
            pairs = counts.added() if isinstance(counts, StoredContext) else counts.items()
            for other, delta in pairs:
                if entity.id < other:
                    yield entity.id, other, delta


def full_state(index: EntityIndex) -> IndexChanges:
    """The whole state of an in-memory index as changes to an empty store (a replay's).

    Read before merges change the index: the stored state is what resolving later
    mentions continues from. The rows are generated as they are written (a
    million entities have millions of keys).
    """
    created = list(index.entities.values())
    return IndexChanges(
        created=created,
        variants=((e.id, v.name, v.lang, v.count) for e in created for v in e.variants.values()),
        keys=((key, entity_id) for key, ids in index.key_lists() for entity_id in ids),
        context=((e.id, other, count) for e in created for other, count in e.context.items()
                 if e.id < other))
