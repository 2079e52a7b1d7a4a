"""The per-language segmentation rules (``segment_rules/<lang>.toml``): loading, compiling,
and matching them against one line (datelines, timestamps, headings, bylines, credits, names).

Each file holds, for one language (all keys required, all lists of strings)::

    language              the file's language code; must equal the file name
    agencies              news agencies, for datelines: "ANP", "NTB", "dpa", "ТАСС"
    datelines             regular expressions of dateline forms, with the placeholders
                          {city} and {agency}: '{city}\\s*\\({agency}\\)\\s*[-–—:]\\s*'
    sidebar_headings      headings of "more news" boxes: "Meer uit", "Les også"
    relative_time         regular expressions with one group, the number: '(\\d+|een) uur geleden'
    byline_prefixes       "Av", "By", "Autor:" (a prefix ending in ":" needs no space after it)
    credit_words          "Foto", "Photo", "Bild"; terms of several words or ending in "."
                          ("Photo by", "Fot.") need no colon after them
    caption_prepositions  words that may follow the names in a caption: "på", "at", "im"
    name_particles        lowercase words inside a run of names: "van", "von", "og", "and"
    verb_cues             finite verbs, pronouns and clause words that make a line a sentence:
                          "is", "sa", "sie"
    determiners           articles and determiners that open sentences, never names: "the", "eine"

The segment stage runs before language identification, so every file is loaded
and the union is applied. Each match reports the rule that fired and the
languages whose files list it, so a decision can be traced back to its file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import pairwise
from typing import Any

from ..errors import ConfigError

RULES_PACKAGE = "babelwire.segment_rules"
_TERM_KEYS = ("agencies", "sidebar_headings", "byline_prefixes", "credit_words",
              "caption_prepositions", "name_particles", "verb_cues", "determiners")
_PATTERN_KEYS = ("datelines", "relative_time")
_KEYS = frozenset({"language", *_TERM_KEYS, *_PATTERN_KEYS})
UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ"
LOWER = "a-zß-öø-ÿа-яё"
# A dateline city word is ALL CAPS ("DEN HAAG") or Capitalised ("Wien"), never mixed, so that in a
# glued "vor 2 StundenMÜNCHEN (dpa)" the city starts at "MÜNCHEN"; "am", "de" may join words.
_CITY_WORD = rf"(?:[{UPPER}][{UPPER}.'’\-]+|[{UPPER}][{LOWER}.'’\-]+)"
_CITY = rf"(?<![{UPPER}]){_CITY_WORD}(?:[ \-](?:[{LOWER}]{{1,3}} )?{_CITY_WORD}){{0,3}}"
_COPYRIGHT = "©"
_LETTER = f"{UPPER}{LOWER}"
CREDIT_NAME_MAX_WORDS = 8
BYLINE_MAX_WORDS = 16
SENTENCE_BREAK_RE = re.compile(rf"(?<=[{_LETTER}][{_LETTER}])[.!?]\s+(?=[{UPPER}])")
"""A full stop after a word of two letters or more, then a capital: "Dr. X" and "T. Nilsen" are
no sentence break."""
WORD_PUNCTUATION = ".,;:!?\"'()«»“”„‘’[]"
_INITIAL_RE = re.compile(rf"[{UPPER}]\.")
_NAME_WORD_RE = re.compile(r"[\w'’\-]+(?:\.[\w'’\-]*)*,?")
_BYLINE_TAIL_RE = re.compile(r"\s*[,|·–—/]\s*")
LABEL_MAX_WORDS = 5
LABEL_TEXT_MAX_WORDS = 25
_LABEL_RE = re.compile(
    rf"(?P<label>[{UPPER}0-9][{UPPER}0-9 .&'’/\-]*[{UPPER}])\s?:\s+(?P<rest>\S.*)")

Table = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RuleHit:
    """Where a rule matched, what it matched, and the languages whose files list it."""

    rule: str
    langs: tuple[str, ...]
    start: int
    end: int
    value: str = ""


@dataclass(frozen=True, slots=True)
class _Terms:
    """One key's words from every file, each with the languages that list it."""

    langs_by_term: Mapping[str, tuple[str, ...]]

    def alternation(self) -> str:
        """A regex alternation of the terms, longest first so that "Mehr zum Thema" beats "Mehr"."""
        terms = sorted(self.langs_by_term, key=len, reverse=True)
        return "|".join(re.escape(t) for t in terms) if terms else "(?!)"  # (?!): never matches

    def langs(self, term: str) -> tuple[str, ...]:
        return self.langs_by_term.get(term.casefold(), ())

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and term.casefold() in self.langs_by_term


class SegmentRules:
    """The union of every language's rules, compiled once, owned by a `SegmentStage`."""

    def __init__(self, tables: Mapping[str, Table]) -> None:
        self.languages = tuple(sorted(str(t["language"]) for t in tables.values()))
        terms = {key: _terms(tables, key) for key in _TERM_KEYS}
        self._agencies = terms["agencies"]
        self._headings = terms["sidebar_headings"]
        self._bylines = terms["byline_prefixes"]
        self._credits = terms["credit_words"]
        self.caption_prepositions = terms["caption_prepositions"]
        self.name_particles = terms["name_particles"]
        self.verb_cues = terms["verb_cues"]
        self.determiners = terms["determiners"]
        agency = f"(?i:{self._agencies.alternation()})"
        agency = rf"(?:{agency}(?:\s*[/,]\s*{agency})*)"
        self._agency_re = re.compile(agency)
        datelines = [(p.replace("{city}", _CITY).replace("{agency}", agency), langs)
                     for p, langs in _patterns(tables, "datelines")]
        self._dateline_langs = [langs for _, langs in datelines]
        self._dateline_re = re.compile(_union(pattern for pattern, _ in datelines))
        times = [(rf"(?<!\w)(?i:{p})(?![{LOWER}])", langs)
                 for p, langs in _patterns(tables, "relative_time")]
        self._time_patterns = [(re.compile(p), langs) for p, langs in times]
        self._time_re = re.compile(_union(pattern for pattern, _ in times))
        self._heading_re = re.compile(
            rf"(?P<term>{self._headings.alternation()})(?:\s+[\w’'\- ]{{1,30}})?\s*:?",
            re.IGNORECASE)
        self._byline_re = re.compile(rf"(?:{self._bylines.alternation()})(?:(?<=:)\s*|\s+)",
                                     re.IGNORECASE)
        self._credit_re = _credit_pattern(self._credits)

    def dateline_at(self, text: str, pos: int = 0) -> RuleHit | None:
        """The dateline that starts exactly at ``pos`` ("DEN HAAG (ANP) - "), if any."""
        match = self._dateline_re.match(text, pos)
        return self._dateline_hit(match) if match else None

    def datelines(self, text: str) -> list[RuleHit]:
        """Every dateline in ``text``, in order."""
        return [self._dateline_hit(m) for m in self._dateline_re.finditer(text)]

    def _dateline_hit(self, match: re.Match[str]) -> RuleHit:
        found = self._agency_re.search(match.group())
        agency = found.group() if found else ""
        parts = re.split(r"\s*[/,]\s*", agency)
        by_agency = {lang for part in parts for lang in self._agencies.langs(part)}
        by_form = set(self._dateline_langs[_group_index(match)])
        langs = (by_agency & by_form) or by_agency or by_form
        return RuleHit(f"dateline:{agency}", tuple(sorted(langs)), match.start(), match.end())

    def timestamps(self, text: str) -> list[RuleHit]:
        """Every relative timestamp ("3 uur geleden", "vor 2 Stunden") in ``text``."""
        return [RuleHit("relative_time", self._time_hit_langs(m.group()), m.start(), m.end())
                for m in self._time_re.finditer(text)]

    def _time_hit_langs(self, found: str) -> tuple[str, ...]:
        """Every language whose pattern matches: "for 2 timer siden" is both nb and da."""
        return tuple(sorted({lang for pattern, langs in self._time_patterns
                             if pattern.fullmatch(found) for lang in langs}))

    def sidebar_heading(self, line: str) -> RuleHit | None:
        """The whole line as a sidebar heading ("Meer uit Binnenland"), if it is one."""
        match = self._heading_re.fullmatch(line)
        return _term_hit("sidebar_heading", match, self._headings) if match else None

    def byline(self, line: str) -> RuleHit | None:
        """The line as a byline ("Av Kari Nordmann, NTB"); ``value`` holds the names."""
        match = self._byline_re.match(line)
        if not match or not self._is_byline_name(line[match.end() :].strip()):
            return None
        prefix = match.group().strip()
        names = _BYLINE_TAIL_RE.split(line[match.end() :].strip(), maxsplit=1)[0].rstrip(".")
        return RuleHit(f"byline:{prefix}", self._bylines.langs(prefix), 0, len(line), names)

    def _is_byline_name(self, name: str) -> bool:
        """Names first ("Ola Nordmann og Kari Hansen"), then maybe ", NTB" or "| 12.03.2024"."""
        if (not name or len(name.split()) > BYLINE_MAX_WORDS or name[-1] in "?!"
                or SENTENCE_BREAK_RE.search(name)):
            return False
        head = _BYLINE_TAIL_RE.split(name, maxsplit=1)[0].rstrip(".").split()
        names = [w for w in head if w.casefold() not in self.name_particles]
        if not names or not all(is_capitalised(w) for w in names):
            return False
        return len(names) >= 2 or names[0].isupper()  # "By Monday, ..." is no byline; "Av NTB" is

    def credit(self, line: str) -> RuleHit | None:
        """The photo credit that ends the line ("Foto: NTB", "... (Photo: Reuters)", "© AFP").

        Only a short name may follow the credit word, not a sentence, so that
        "Credit: x]] Apple brengt ... uit." is no credit line.
        """
        matches = list(self._credit_re.finditer(line))
        if not matches:
            return None
        last = matches[-1]
        name = line[last.end() :].strip(" )]|.")
        if (len(name.split()) > CREDIT_NAME_MAX_WORDS or name.endswith(("?", "!"))
                or SENTENCE_BREAK_RE.search(name)):
            return None
        term = last.group("free") or last.group("colon") or _COPYRIGHT
        return RuleHit(f"credit:{term}", self._credits.langs(term), last.start(), last.end())

    def name_run(self, words: list[str]) -> int:
        """How many leading words are names: capitalised words and particles between them."""
        end = 0
        for index, word in enumerate(words):
            if not _NAME_WORD_RE.fullmatch(word):
                break  # "((WN))", "Autorin:": not a name
            if is_capitalised(word):
                end = index + 1
            elif not (end and word.casefold() in self.name_particles
                      and index + 1 < len(words) and is_capitalised(words[index + 1])):
                break
            if word.endswith(","):
                break
        return end


def is_capitalised(word: str) -> bool:
    """The word's first letter (after opening quotes or brackets) is a capital."""
    stripped = word.lstrip("\"'«“„‘(")
    return bool(stripped) and stripped[0].isupper()


def has_full_name(words: list[str]) -> bool:
    """Two adjacent Titlecase words, initials skipped: "Mark Rutte", "Georg C. F. Greve".

    Not "A und B" (single words joined) and not "FULL TEXT" (capitals are no name).
    """
    names = [w for w in words if not _INITIAL_RE.fullmatch(w)]
    return any(_is_titlecase(a) and _is_titlecase(b) for a, b in pairwise(names))


def raw_label(line: str) -> str | None:
    """The ALL-CAPS label of a "LABEL: text" line, whatever the text."""
    match = _LABEL_RE.fullmatch(line)
    return match.group("label") if match else None


def caption_label(line: str) -> str | None:
    """The label of a "LABEL: one short sentence" caption line ("STATSMINISTER: Jonas ...")."""
    match = _LABEL_RE.fullmatch(line)
    if not match:
        return None
    label, rest = match.group("label"), match.group("rest")
    # A caption's label names what the photo shows; a question or a code is something else.
    words = [w.strip(WORD_PUNCTUATION) for w in rest.split()]
    if (sum(c.isalpha() for c in label) < 3 or len(label.split()) > LABEL_MAX_WORDS
            or len(words) > LABEL_TEXT_MAX_WORDS or rest.endswith("?")
            or SENTENCE_BREAK_RE.search(rest) or sum(w.isalpha() for w in words) < 2):
        return None
    return label


def _is_titlecase(word: str) -> bool:
    stripped = word.strip(WORD_PUNCTUATION)
    return len(stripped) > 1 and stripped[0].isupper() and any(c.islower() for c in stripped[1:])


def _credit_pattern(credits: _Terms) -> re.Pattern[str]:
    """Credit words are followed by a colon ("Foto: NTB"), except those that end in a full stop
    or have several words ("Fot. PAP", "Photo by Jane Doe"); "©" needs nothing."""
    free = {t for t in credits.langs_by_term if t.endswith(".") or " " in t}
    colon = _Terms({t: langs for t, langs in credits.langs_by_term.items() if t not in free})
    free_terms = _Terms({t: credits.langs_by_term[t] for t in free})
    return re.compile(
        rf"(?:^|(?<=[\s(\[|/–\-]))(?:(?P<free>{free_terms.alternation()})"
        rf"(?:\s*[:/|]\s*|\s+|(?<=\.))|(?P<colon>{colon.alternation()})\s*[:/|]\s*"
        rf"|{_COPYRIGHT}\s*)", re.IGNORECASE)


def _union(patterns: Iterable[str]) -> str:
    """One alternation, each pattern in a group named g0, g1...; never matches if there are none."""
    return "|".join(f"(?P<g{i}>{p})" for i, p in enumerate(patterns)) or "(?!)"


def _group_index(match: re.Match[str]) -> int:
    """Our wrapping groups are named g0, g1...; the one that matched is the last to close."""
    return int((match.lastgroup or "g0")[1:])


def _term_hit(kind: str, match: re.Match[str], terms: _Terms) -> RuleHit:
    term = match.group("term")
    return RuleHit(f"{kind}:{term}", terms.langs(term), match.start(), match.end())


def _terms(tables: Mapping[str, Table], key: str) -> _Terms:
    found: dict[str, set[str]] = {}
    for table in tables.values():
        for term in table[key]:
            found.setdefault(term.casefold(), set()).add(table["language"])
    return _Terms({term: tuple(sorted(langs)) for term, langs in found.items()})


def _patterns(tables: Mapping[str, Table], key: str) -> list[tuple[str, tuple[str, ...]]]:
    found: dict[str, set[str]] = {}
    for table in tables.values():
        for pattern in table[key]:
            found.setdefault(pattern, set()).add(table["language"])
    return [(pattern, tuple(sorted(langs))) for pattern, langs in found.items()]


def load_rules(folder: Traversable | None = None) -> SegmentRules:
    """Read and compile every ``*.toml`` rules file in ``folder`` (default: the shipped ones)."""
    folder = folder if folder is not None else resources.files(RULES_PACKAGE)
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".toml")),
                     key=lambda e: e.name)
    if not entries:
        raise ConfigError(f"no segmentation rules files (*.toml) in {folder}; reinstall babelwire"
                          " or restore the files in src/babelwire/segment_rules/")
    return SegmentRules({e.name: read_rules_file(str(e), _read_text(e)) for e in entries})


def _read_text(entry: Traversable) -> str:
    try:
        return entry.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"segmentation rules file {entry} is not UTF-8 ({error});"
                          " save it as UTF-8") from error


def read_rules_file(path: str, text: str) -> Table:
    """Parse and check one rules file; a `ConfigError` names the file, the key and the fix."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"segmentation rules file {path} is not valid TOML: {error}") from error
    _check_keys(path, table)
    for key in (*_TERM_KEYS, *_PATTERN_KEYS):
        _check_strings(path, key, table[key])
    for pattern in table["datelines"]:
        _check_dateline(path, pattern)
    for pattern in table["relative_time"]:
        _check_relative_time(path, pattern)
    return table


def _check_keys(path: str, table: Table) -> None:
    missing, unknown = sorted(_KEYS - set(table)), sorted(set(table) - _KEYS)
    if missing or unknown:
        raise ConfigError(
            f"segmentation rules file {path}: missing keys {missing}, unknown keys {unknown};"
            f" a rules file has exactly these keys: {', '.join(sorted(_KEYS))}")
    stem = path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".toml")
    if table["language"] != stem:
        raise ConfigError(f"segmentation rules file {path}: 'language' is"
                          f" {table['language']!r} but the file is named for {stem!r};"
                          " rename the file or fix the key")


def _check_strings(path: str, key: str, value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"segmentation rules file {path}: {key!r} must be a list of non-empty"
                          f" strings, got {value!r}")


def _check_dateline(path: str, pattern: str) -> None:
    if "{agency}" not in pattern:
        raise ConfigError(f"segmentation rules file {path}: dateline pattern {pattern!r} has no"
                          " {agency} placeholder; a dateline must name a news agency")
    _compile(path, "dateline", pattern.replace("{city}", _CITY).replace("{agency}", "AGENCY"))


def _check_relative_time(path: str, pattern: str) -> None:
    compiled = _compile(path, "relative_time", pattern)
    if compiled.groups != 1 or compiled.fullmatch(""):
        raise ConfigError(
            f"segmentation rules file {path}: relative_time pattern {pattern!r} must have exactly"
            f" one group (the number; it has {compiled.groups}) and must not match empty text;"
            " write other groups as (?:...)")


def _compile(path: str, key: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ConfigError(f"segmentation rules file {path}: {key} pattern {pattern!r} is not a"
                          f" valid regular expression ({error})") from error

