"""The in-memory entity index: canonical entities and the dictionary that finds them by key.

Why dictionaries: canonicalisation must stay fast against a million entities, so a
mention never scans the store. Three kinds of key map to entity ids, all in one
dictionary under a kind prefix: the exact compact name key per type (``x|PER|...``),
the consonant skeleton per type (``s|PER|...``, fuzzy candidates) and, for people,
the surname (``n|...``, surname-only mentions), and for people known only by a surname
the stems of that surname (``b|...``, `surname_links`). Each holds a single id as a plain
string and only becomes a list for a key shared by several entities, which keeps a
million-entity index at about a gigabyte. A key's ids stay in the order they were
added: the resolver's choices depend on it (the first holder of a name, the first
candidates of a large skeleton bucket), and the stored index (`stored_index`) keeps
the same order.

Key lookups and additions go through `_ids` / `_put` / `_unput` so that
`stored_index.StoredEntityIndex` can load a key from the store the first time it
is read, and record what it adds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from .acronyms import acronym_letters, initials, is_cross_language_length
from .name_key import SYLLABIC_SCRIPTS, NameKey, key_from_packed, name_key, packed_readings
from .organisations import base_language
from .records import CanonicalEntity, EntityType, Variant
from .surname_links import mention_surname_sounds, stored_surname_sounds, surname_stems
from .titles import without_titles

_Index = dict[str, str | list[str]]

EXACT = "x"
SKELETON = "s"
SURNAME = "n"
SHORTENED = "h"
INITIALS = "c"
ACRONYM = "C"
BARE_SURNAME = "b"
SURNAME_SOUND = "N"
TRAILING = "t"
BARE_SURNAME_SOUND = "B"
"""Key kinds: the prefix of each key in the index (and in the stored index)."""


def exact_key(type_: EntityType | str, compact: str) -> str:
    """The index key of an exact compact name key of ``type_``."""
    return f"{EXACT}|{type_}|{compact}"


def skeleton_key(type_: EntityType | str, skeleton: str) -> str:
    """The index key of a consonant skeleton of ``type_``."""
    return f"{SKELETON}|{type_}|{skeleton}"


def shortened_key(type_: EntityType | str, compact: str) -> str:
    """The index key of a long name's shortened form (`name_key.shortened_compacts`)."""
    return f"{SHORTENED}|{type_}|{compact}"


def initials_key(type_: EntityType | str, letters: str, lang: str = "") -> str:
    """The index key of a multi-word name's initials (`acronyms.initials`); a short one
    carries the language (see `_acronym_language`)."""
    return f"{INITIALS}|{type_}|{letters}{_acronym_language(letters, lang)}"


def acronym_key(type_: EntityType | str, letters: str, lang: str = "") -> str:
    """The index key of an acronym's letters (`acronyms.acronym_letters`)."""
    return f"{ACRONYM}|{type_}|{letters}{_acronym_language(letters, lang)}"


def _acronym_language(letters: str, lang: str) -> str:
    """``|lang`` for an acronym too short to link across languages, else ''.

    Why: ČD is České dráhy in Czech news, but two letters in any language name
    too many bodies (`acronyms.MIN_ACRONYM_LETTERS`).
    """
    return "" if is_cross_language_length(letters) else f"|{base_language(lang)}"


def surname_key(surname: str) -> str:
    """The index key of a person's surname."""
    return f"{SURNAME}|{surname}"


def bare_surname_key(stem: str) -> str:
    """The index key of a surname stem of a person known only by that surname."""
    return f"{BARE_SURNAME}|{stem}"


def surname_sound_key(sound: str) -> str:
    """The index key of a consonant skeleton of a full-named person's surname."""
    return f"{SURNAME_SOUND}|{sound}"


def bare_surname_sound_key(sound: str) -> str:
    """The index key of a consonant skeleton of a surname-only person's stems."""
    return f"{BARE_SURNAME_SOUND}|{sound}"


def trailing_key(compact: str) -> str:
    """The index key of a full name's last words without its first (`_trailing_compacts`)."""
    return f"{TRAILING}|{compact}"


TRAILING_EXCLUDED_STARTS = frozenset({"bin", "ibn", "bint", "ben"})
"""A name's last words are not indexed from "bin"/"ibn": bin Salman names several princes."""


def _trailing_compacts(key: NameKey) -> set[str]:
    """The compact forms of a three-or-more-word name's last two or more words.

    Why: news writes a compound or double surname, or a middle name with the surname,
    without the first given name: "von der Leyen", "Akufo-Addo", "Lacalle Pou",
    "Kosiniaka-Kamysza" name Ursula von der Leyen, Nana Akufo-Addo, Luis Lacalle Pou and
    Władysław Kosiniak-Kamysz.
    """
    if len(key.tokens) < 3 or key.script in SYLLABIC_SCRIPTS:
        return set()
    return {"".join(reading[-n:]) for reading in key.readings
            for n in range(2, len(reading)) if reading[-n] not in TRAILING_EXCLUDED_STARTS}


def _surname_sounds(key: NameKey) -> set[str]:
    """Skeletons (`surname_links.stored_surname_sounds`) of each reading's last word."""
    return {sound for reading in key.readings if reading
            for sound in stored_surname_sounds(reading[-1])}


def _bare_sounds(key: NameKey) -> set[str]:
    """Skeletons (`surname_links.mention_surname_sounds`) of a one-word name's readings."""
    return {sound for reading in key.readings if len(reading) == 1
            for sound in mention_surname_sounds(reading[0])}


def _bare_stems(key: NameKey) -> list[str]:
    """The stems (`surname_links.surname_stems`) of a one-word person name's readings."""
    return list(dict.fromkeys(stem for reading in key.readings if len(reading) == 1
                              for stem in surname_stems(reading[0])))


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


def entity_id_for(name: str, type_: EntityType, salt: str = "") -> str:
    """The id a new entity first named ``name`` gets (before collision suffixes)."""
    key = name_key(name).compact or name
    digest = hashlib.sha1(f"{type_}|{key}|{salt}".encode()).hexdigest()[:12]
    return f"ent:{type_.lower()}:{digest}"


class EntityIndex:
    """Canonical entities by id, plus key → id lists kept current as variants are added."""

    def __init__(self) -> None:
        self.entities: dict[str, CanonicalEntity] = {}
        self._keys: _Index = {}

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[CanonicalEntity]:
        return iter(self.entities.values())

    def get(self, entity_id: str) -> CanonicalEntity | None:
        """The entity with this id, or None."""
        return self.entities.get(entity_id)

    def key_lists(self) -> Iterator[tuple[str, list[str]]]:
        """Every key with its entity ids in the order they were added (to store the index)."""
        for key, ids in self._keys.items():
            yield key, [ids] if isinstance(ids, str) else list(ids)

    def new_entity(self, name: str, type_: EntityType, *, entity_id: str | None = None,
                   salt: str = "") -> CanonicalEntity:
        """Create an entity; its id is derived from its first name's key, so re-runs agree.

        ``salt`` separates entities that must not share an id although their first
        names have the same key (a user split, two namesakes).
        """
        if entity_id is None:
            base = entity_id = entity_id_for(name, type_, salt)
            suffix = 2
            while self._taken(entity_id):
                entity_id, suffix = f"{base}-{suffix}", suffix + 1
        entity = CanonicalEntity(id=entity_id, name=name, type=type_)
        self.entities[entity_id] = entity
        return entity

    def _taken(self, entity_id: str) -> bool:
        return entity_id in self.entities

    def add_variant(self, entity: CanonicalEntity, name: str, lang: str,
                    key: NameKey | None = None) -> None:
        """Count a variant on ``entity`` and index its keys (first time it is seen)."""
        is_new = (name, lang) not in entity.variants
        entity.add_variant(name, lang)
        if is_new:
            own = name_key(name, lang)  # ``key`` may be the mention's, its title dropped
            entity.variants[(name, lang)].packed_key = packed_readings(own)
            self._index_keys(entity, key or own, name, lang)

    def variant_key(self, variant: Variant) -> NameKey:
        """The `name_key` of a stored variant, rebuilt from its packed readings if kept."""
        if variant.packed_key:
            return key_from_packed(variant.name, variant.lang, variant.packed_key)
        return name_key(variant.name, variant.lang)

    def _index_keys(self, entity: CanonicalEntity, key: NameKey, name: str,
                    lang: str) -> None:
        if (entity.type == EntityType.PER and len(key.tokens) == 1
                and " " in without_titles(entity.name).strip()):
            # A bare surname seen on a full-named person ("Mishustin" after "Mikhail
            # Mishustin") must not become a key for it: other people share surnames.
            # A titled one ("premier Tusk") is a surname-only entity and keeps its keys.
            return
        for compact in key.compacts:
            self._put(exact_key(entity.type, compact), entity.id)
        for skeleton in key.skeletons:
            self._put(skeleton_key(entity.type, skeleton), entity.id)
        if entity.type == EntityType.PER:
            for compact in key.shortened:
                self._put(shortened_key(entity.type, compact), entity.id)
        if entity.type == EntityType.PER and len(key.tokens) >= 2:
            for reading in key.readings:
                self._put(surname_key(reading[-1]), entity.id)
            for sound in _surname_sounds(key):
                self._put(surname_sound_key(sound), entity.id)
            for compact in _trailing_compacts(key):
                self._put(trailing_key(compact), entity.id)
        if entity.type == EntityType.PER and len(key.tokens) == 1:
            for stem in _bare_stems(key):
                self._put(bare_surname_key(stem), entity.id)
            for sound in _bare_sounds(key):
                self._put(bare_surname_sound_key(sound), entity.id)
        if entity.type == EntityType.ORG:
            for index_key in _acronym_keys(entity.type, name, lang):
                self._put(index_key, entity.id)

    # -- key storage (overridden by the stored index) ---------------------------------

    def _ids(self, key: str, limit: int | None = None) -> list[str]:
        return _get(self._keys, key, limit)

    def _put(self, key: str, entity_id: str) -> None:
        _add(self._keys, key, entity_id)

    def _unput(self, key: str, entity_id: str) -> None:
        _remove(self._keys, key, entity_id)

    # -- lookups ----------------------------------------------------------------------

    def exact(self, key: NameKey, type_: EntityType) -> list[str]:
        """Ids of entities of ``type_`` with a variant whose compact key equals one of ``key``'s."""
        found: list[str] = []
        for compact in sorted(key.compacts):  # sorted: set order changes with the hash seed
            found.extend(i for i in self._ids(exact_key(type_, compact)) if i not in found)
        return found

    def by_skeleton(self, key: NameKey, type_: EntityType, limit: int) -> list[str]:
        """Fuzzy candidates: up to ``limit`` entities of ``type_`` sharing a skeleton.

        The skeletons are read in sorted order: which candidates make the ``limit``
        must not depend on the order of a set, which changes with the process's hash
        seed (the same stream gave other links in another run).
        """
        found: list[str] = []
        for skeleton in sorted(key.skeletons):
            found.extend(i for i in self._ids(skeleton_key(type_, skeleton), limit)
                         if i not in found)
        return found[:limit]

    def by_shortened(self, key: NameKey, type_: EntityType) -> list[str]:
        """Entities of ``type_`` one name of which is the other's shortened form.

        A two-word ``key`` finds the long names it shortens (Bola Tinubu → Bola Ahmed
        Tinubu); a long ``key`` finds the entities named by one of its shortened forms.
        Two shortened forms are never compared (see `name_key.shortened_compacts`).
        """
        found: list[str] = []
        for reading in key.readings:
            if len(reading) >= 2:
                found.extend(i for i in self._ids(shortened_key(type_, "".join(reading)))
                             if i not in found)
        for compact in sorted(key.shortened):
            found.extend(i for i in self._ids(exact_key(type_, compact)) if i not in found)
        return found

    def by_acronym(self, text: str, type_: EntityType, lang: str = "und") -> list[str]:
        """Entities of ``type_`` whose name ``text`` abbreviates, or that ``text`` spells out.

        An acronym mention ("KCNA") finds the stored multi-word names with those
        initials; a multi-word mention finds the stored acronyms of its initials
        (see `acronyms`). Two full names or two acronyms are never compared here;
        a two-letter acronym only with a name of its language ``lang``.
        """
        letters = acronym_letters(text)
        if letters is not None:
            return self._ids(initials_key(type_, letters, lang))
        found: list[str] = []
        for spelled in initials(text):
            found.extend(i for i in self._ids(acronym_key(type_, spelled, lang))
                         if i not in found)
        return found

    def by_surname(self, surname: str, limit: int | None = None) -> list[str]:
        """Up to ``limit`` people with two or more name tokens, the last being ``surname``."""
        return self._ids(surname_key(surname), limit)

    def by_surname_sound(self, sound: str, limit: int | None = None) -> list[str]:
        """Up to ``limit`` full-named people whose surname has the consonant skeleton ``sound``."""
        return self._ids(surname_sound_key(sound), limit)

    def by_trailing(self, compact: str, limit: int | None = None) -> list[str]:
        """Up to ``limit`` people whose full name ends in the words ``compact`` joins."""
        return self._ids(trailing_key(compact), limit)

    def by_bare_surname_sound(self, sound: str) -> list[str]:
        """People known by one word with a stem of consonant skeleton ``sound``."""
        return self._ids(bare_surname_sound_key(sound))

    def by_bare_surname(self, surname: str) -> list[str]:
        """People known by one word whose stems include ``surname`` (Tuska, Tuskiem → tusk)."""
        return self._ids(bare_surname_key(surname))

    def merge(self, keep: CanonicalEntity, gone: CanonicalEntity) -> None:
        """Move ``gone``'s variants, keys and context into ``keep`` and drop ``gone``."""
        for (name, lang), variant in gone.variants.items():
            key = name_key(name, lang)
            for compact in key.compacts:
                self._unput(exact_key(gone.type, compact), gone.id)
            for skeleton in key.skeletons:
                self._unput(skeleton_key(gone.type, skeleton), gone.id)
            for compact in key.shortened:
                self._unput(shortened_key(gone.type, compact), gone.id)
            for reading in key.readings:
                self._unput(surname_key(reading[-1] if reading else ""), gone.id)
            for stem in _bare_stems(key):
                self._unput(bare_surname_key(stem), gone.id)
            if gone.type == EntityType.PER:
                for sound in _surname_sounds(key) | _bare_sounds(key):
                    self._unput(surname_sound_key(sound), gone.id)
                    self._unput(bare_surname_sound_key(sound), gone.id)
                for compact in _trailing_compacts(key):
                    self._unput(trailing_key(compact), gone.id)
            for index_key in _acronym_keys(gone.type, name, lang):
                self._unput(index_key, gone.id)
            kept = keep.variants.get((name, lang))
            if kept is None:
                keep.variants[(name, lang)] = Variant(name=name, lang=lang, count=variant.count,
                                                    packed_key=variant.packed_key)
            else:
                kept.count += variant.count
            self._index_keys(keep, key, name, lang)
        for other, count in gone.context.items():
            keep.context[other] = keep.context.get(other, 0) + count
        del self.entities[gone.id]


def _acronym_keys(type_: EntityType, text: str, lang: str) -> list[str]:
    """The acronym key, or the initials keys, of an organisation name (see `acronyms`)."""
    letters = acronym_letters(text)
    if letters is not None:
        return [acronym_key(type_, letters, lang)]
    return [initials_key(type_, spelled, lang) for spelled in initials(text)]
