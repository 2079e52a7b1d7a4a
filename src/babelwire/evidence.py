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
  Keys are `entities.name_key.word_key`, the entity linker's name key for one word
  of unknown language (Мишустин, Mishustin, Mischustin, Misjoestin and Michoustine
  all become ``misustin``).
- **numbers**: ``1,000``, ``1.000``, ``1 000`` and ``1000`` are one key; decimals
  keep their fraction (``34,7`` and ``34.7`` are one key); integers below 10 are
  dropped (they are everywhere); years 1900-2099 go to the dates instead.
- **dates**: years, months and day-month pairs, from CLDR month names of many
  languages (babel, `MonthNames`), ISO dates and ``dd.mm.yyyy``.
- **places**: the entity linker's gazetteer (`entities.places.Gazetteer`): countries
  by their CLDR names in every locale, so Deutschland, Germany, Allemagne, Niemcy and
  Германия are all ``geo:country:DE``, and cities of at least `CITY_MIN_POPULATION`
  people; a city also counts as evidence for its country. Inflected forms (Москве,
  Deutschlands) are matched by the gazetteer's stems. Chinese and Japanese text has
  no spaces to cut words at, so its place names are found as written inside the
  running text (`entities.cjk_places`: 日本北部 names Japan).

Inflected names are matched by `Overlap` (a key matches a longer key that starts
with it, as in Hastings / Hastingsa, Orban / Orbana). Adjectives and demonyms
(German, russische), which the gazetteer also knows, are not counted as places.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from anyascii import anyascii

from .entities.cjk_places import CjkPlaceNames, cjk_place_labels, has_cjk
from .entities.name_key import word_key
from .entities.place_table import Place
from .entities.places import Gazetteer, PlaceMatchKind

CITY_MIN_POPULATION = 1_000_000
"""Cities at least this big are places in running text; the gazetteer's smaller ones (≥ 100k)
collide with capitalised words (Split, Nice, Reading) when every name word is looked up."""

MIN_PLACE_KEY_CHARS = 4
"""Shorter words are looked up only as all-caps aliases (US, UK): "Mali" yes, "Om" no."""

MONTH_LOCALES = (
    "ar", "bg", "bs", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fr",
    "ga", "gl", "he", "hi", "hr", "hu", "id", "it", "ja", "ka", "kk", "ko", "lt", "lv", "mk",
    "ms", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "sw", "th", "tr",
    "uk", "ur", "vi", "zh",
)
"""CLDR locales whose month names are recognised (the languages of news we expect)."""

COUNTRY_ALIASES = {
    "usa": "geo:country:US", "us": "geo:country:US", "eeuu": "geo:country:US",
    "abd": "geo:country:US", "ssha": "geo:country:US", "uk": "geo:country:GB",
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



def fold(text: str) -> str:
    """Transliterate to ASCII, lower-case, keep letters and digits only (Ærø -> aero)."""
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


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


@dataclass(slots=True)
class MonthNames:
    """Month names of `MONTH_LOCALES`, folded; read from CLDR on first use.

    Why lazily and on an object: babel data take a while to read, and importing this
    module must stay free.
    """

    locales: tuple[str, ...] = MONTH_LOCALES
    _months_cache: dict[str, int] | None = field(default=None, repr=False)

    def months(self) -> dict[str, int]:
        """Folded month name (wide and abbreviated, format and stand-alone) → month number."""
        if self._months_cache is None:
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
            self._months_cache = months
        return self._months_cache

    def dates(self, text: str) -> set[str]:
        """Years (``2020``), months (``m03``) and day-months (``03-14``) in ``text``."""
        months = self.months()
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


def place_ids(gazetteer: Gazetteer, text: str, lang: str = "und") -> set[str]:
    """Place ids named in ``text``: countries, regions, big cities and the cities' countries.

    Runs of one to three name words are looked up whole (longest first), so "New York"
    and "Vereinigte Staaten" are one place each.
    """
    words = name_words(text)
    found: set[str] = set()
    for n, word in enumerate(words):
        if word.isupper() and fold(word) in COUNTRY_ALIASES:
            found.add(COUNTRY_ALIASES[fold(word)])
        for size in (3, 2, 1):
            if n + size > len(words):
                continue
            place = _running_text_place(gazetteer, " ".join(words[n:n + size]), lang)
            if place is not None:
                found.add(place.id)
                if place.kind == "city":
                    found.add(f"geo:country:{place.country}")
                break
    return found


def _running_text_place(gazetteer: Gazetteer, phrase: str, lang: str) -> Place | None:
    """The place a phrase of running text names, if it is one `place_ids` counts."""
    if len(fold(phrase)) < MIN_PLACE_KEY_CHARS:
        return None
    match = gazetteer.lookup(phrase, lang)
    if match is None or match.kind == PlaceMatchKind.ADJECTIVE:
        return None
    place = match.place
    if place.kind == "city" and place.population < CITY_MIN_POPULATION:
        return None
    return place


@dataclass(slots=True)
class EvidenceExtractor:
    """Extract `Evidence` from raw text; owns the gazetteer, the month names and the CJK
    place names (each built lazily: the CJK names on the first text in Han, kana or Hangul).

    ``gazetteer``: the entity linker's (pass one with a cache directory: building the
    place table takes seconds).
    """

    gazetteer: Gazetteer = field(default_factory=Gazetteer)
    months: MonthNames = field(default_factory=MonthNames)
    _cjk_places: CjkPlaceNames | None = None

    def extract(self, text: str, lang: str = "und") -> Evidence:
        """All evidence keys of ``text`` (``lang``: its language, for place-name inflections)."""
        numbers, years = numbers_and_years(text)
        places = place_ids(self.gazetteer, text, lang)
        if has_cjk(text):
            places |= self._cjk_place_ids(text)
        return Evidence(
            names=frozenset(k for k in map(word_key, name_words(text)) if len(k) >= 2),
            numbers=frozenset(numbers),
            dates=frozenset(years | self.months.dates(text)),
            places=frozenset(places),
        )

    def _cjk_place_ids(self, text: str) -> set[str]:
        """Places written in Han, kana or Hangul inside ``text``, a city also for its country."""
        if self._cjk_places is None:
            self._cjk_places = CjkPlaceNames.from_labels(cjk_place_labels(
                set(self.gazetteer.table.places), CITY_MIN_POPULATION))
        found: set[str] = set()
        for place_id in self._cjk_places.find(text):
            found.add(place_id)
            place = self.gazetteer.place(place_id)
            if place is not None and place.kind == "city":
                found.add(f"geo:country:{place.country}")
        return found


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
