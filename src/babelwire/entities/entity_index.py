"""The in-memory entity index: canonical entities and the dictionaries that find them by key.

Why dictionaries: canonicalisation must stay fast against a million entities, so a
mention never scans the store. Three indexes map a key to entity ids: the exact
compact name key (per type), the consonant skeleton (fuzzy candidates, per type)
and, for people, the surname (surname-only mentions). Each holds a single id as a
plain string and only becomes a list for a key shared by several entities, which
keeps a million-entity index at about a gigabyte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from .name_key import NameKey, name_key
from .records import CanonicalEntity, EntityType, Variant

_Index = dict[str, str | list[str]]


def _add(index: _Index, key: str, entity_id: str) -> None:
    current = index.get(key)
    if current is None:
        index[key] = entity_id
    elif isinstance(current, str):
        if current != entity_id:
            index[key] = [current, entity_id]
    elif entity_id not in current:
        current.append(entity_id)


def _get(index: _Index, key: str, limit: int | None = None) -> list[str]:
    current = index.get(key)
    if current is None:
        return []
    return [current] if isinstance(current, str) else current[:limit]


def _remove(index: _Index, key: str, entity_id: str) -> None:
    current = index.get(key)
    if current == entity_id:
        del index[key]
    elif isinstance(current, list) and entity_id in current:
        current.remove(entity_id)
        if len(current) == 1:
            index[key] = current[0]


class EntityIndex:
    """Canonical entities by id, plus key → id indexes kept current as variants are added."""

    def __init__(self) -> None:
        self.entities: dict[str, CanonicalEntity] = {}
        self._exact: _Index = {}
        self._skeleton: _Index = {}
        self._surname: _Index = {}

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[CanonicalEntity]:
        return iter(self.entities.values())

    def get(self, entity_id: str) -> CanonicalEntity | None:
        """The entity with this id, or None."""
        return self.entities.get(entity_id)

    def new_entity(self, name: str, type_: EntityType, *, entity_id: str | None = None,
                   salt: str = "") -> CanonicalEntity:
        """Create an entity; its id is derived from its first name's key, so re-runs agree.

        ``salt`` separates entities that must not share an id although their first
        names have the same key (a user split, two namesakes).
        """
        if entity_id is None:
            key = name_key(name).compact or name
            digest = hashlib.sha1(f"{type_}|{key}|{salt}".encode()).hexdigest()[:12]
            entity_id = f"ent:{type_.lower()}:{digest}"
            suffix = 2
            base = entity_id
            while entity_id in self.entities:
                entity_id, suffix = f"{base}-{suffix}", suffix + 1
        entity = CanonicalEntity(id=entity_id, name=name, type=type_)
        self.entities[entity_id] = entity
        return entity

    def add_variant(self, entity: CanonicalEntity, name: str, lang: str,
                    key: NameKey | None = None) -> None:
        """Count a variant on ``entity`` and index its keys (first time it is seen)."""
        is_new = (name, lang) not in entity.variants
        entity.add_variant(name, lang)
        if is_new:
            self._index_keys(entity, key or name_key(name, lang))

    def _index_keys(self, entity: CanonicalEntity, key: NameKey) -> None:
        if entity.type == EntityType.PER and len(key.tokens) == 1 and " " in entity.name.strip():
            # A bare surname seen on a full-named person ("Mishustin" after "Mikhail
            # Mishustin") must not become a key for it: other people share surnames.
            return
        prefix = f"{entity.type}|"
        for compact in key.compacts:
            _add(self._exact, prefix + compact, entity.id)
        for skeleton in key.skeletons:
            _add(self._skeleton, prefix + skeleton, entity.id)
        if entity.type == EntityType.PER and len(key.tokens) >= 2:
            for reading in key.readings:
                _add(self._surname, reading[-1], entity.id)

    def exact(self, key: NameKey, type_: EntityType) -> list[str]:
        """Ids of entities of ``type_`` with a variant whose compact key equals one of ``key``'s."""
        found: list[str] = []
        for compact in key.compacts:
            found.extend(i for i in _get(self._exact, f"{type_}|{compact}") if i not in found)
        return found

    def by_skeleton(self, key: NameKey, type_: EntityType, limit: int) -> list[str]:
        """Fuzzy candidates: up to ``limit`` entities of ``type_`` sharing a skeleton."""
        found: list[str] = []
        for skeleton in key.skeletons:
            found.extend(i for i in _get(self._skeleton, f"{type_}|{skeleton}", limit)
                         if i not in found)
        return found[:limit]

    def by_surname(self, surname: str, limit: int | None = None) -> list[str]:
        """Up to ``limit`` people with two or more name tokens, the last being ``surname``."""
        return _get(self._surname, surname, limit)

    def merge(self, keep: CanonicalEntity, gone: CanonicalEntity) -> None:
        """Move ``gone``'s variants, keys and context into ``keep`` and drop ``gone``."""
        for (name, lang), variant in gone.variants.items():
            key = name_key(name, lang)
            prefix = f"{gone.type}|"
            for compact in key.compacts:
                _remove(self._exact, prefix + compact, gone.id)
            for skeleton in key.skeletons:
                _remove(self._skeleton, prefix + skeleton, gone.id)
            for reading in key.readings:
                _remove(self._surname, reading[-1] if reading else "", gone.id)
            kept = keep.variants.get((name, lang))
            if kept is None:
                keep.variants[(name, lang)] = Variant(name=name, lang=lang, count=variant.count)
            else:
                kept.count += variant.count
            self._index_keys(keep, key)
        for other, count in gone.context.items():
            keep.context[other] = keep.context.get(other, 0) + count
        del self.entities[gone.id]
