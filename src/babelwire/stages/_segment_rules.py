"""Loading and compiling the per-language segmentation rules (``segment_rules/*.toml``).

Each file lists, for one language: news agencies (for datelines such as
``DEN HAAG (ANP) -``), sidebar headings ("Meer uit Binnenland"), relative
timestamps ("3 uur geleden"), byline prefixes ("Av") and caption credit words
("Foto"). The segment stage runs before language identification, so the rules
of all languages are compiled into one union matcher.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from ..errors import ConfigError

RULES_PACKAGE = "babelwire.segment_rules"
_LIST_KEYS = ("agencies", "sidebar_headings", "relative_time", "byline_prefixes", "credit_words")
# Common international agencies, valid in every language's copy.
_SHARED_AGENCIES = ("AFP", "AP", "Reuters", "RTR", "dpa", "EFE", "ANSA", "Bloomberg")
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ"
_LOWER = "a-zß-öø-ÿā-žа-яё"
# A dateline city word is ALL CAPS ("DEN HAAG", "SANKT-PETERBURG") or Capitalised ("Oslo"),
# never mixed, so that a glued "vor 2 StundenMÜNCHEN (dpa)" starts the city at "MÜNCHEN".
_CITY_WORD = rf"(?:[{_UPPER}][{_UPPER}.'’\-]+|[{_UPPER}][{_LOWER}.'’\-]+)"


@dataclass(frozen=True, slots=True)
class SegmentRules:
    """Compiled union of every language's rules."""

    languages: tuple[str, ...]
    dateline: re.Pattern[str]
    sidebar_heading: re.Pattern[str]
    relative_time: re.Pattern[str]
    byline: re.Pattern[str]
    credit: re.Pattern[str]


def load_rules() -> SegmentRules:
    """Read and compile every rules file shipped in the package."""
    tables = {}
    folder = resources.files(RULES_PACKAGE)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            tables[entry.name] = _read(entry.name, entry.read_text(encoding="utf-8"))
    if not tables:
        raise ConfigError(f"no segmentation rules found in package {RULES_PACKAGE!r}")
    return compile_rules(tables)


def _read(name: str, text: str) -> dict[str, list[str]]:
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"segmentation rules file {name!r} is not valid TOML: {error}") from error
    for key in _LIST_KEYS:
        value = table.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(
                f"segmentation rules file {name!r}: {key!r} must be a list of strings;"
                f" got {value!r}")
    return table


def compile_rules(tables: dict[str, dict[str, list[str]]]) -> SegmentRules:
    """Compile rules tables (file name -> table) into one union matcher."""

    def union(key: str) -> list[str]:
        return sorted({v for table in tables.values() for v in table[key]}, key=len, reverse=True)

    agencies = sorted(set(union("agencies")) | set(_SHARED_AGENCIES), key=len, reverse=True)
    agency = "|".join(re.escape(a) for a in agencies)
    for name, table in tables.items():
        for pattern in table["relative_time"]:
            _check_regex(name, pattern)
    return SegmentRules(
        languages=tuple(sorted(str(t.get("language", n)) for n, t in tables.items())),
        dateline=re.compile(
            rf"(?<![{_UPPER}])(?P<city>{_CITY_WORD}(?:[ \-]{_CITY_WORD}){{0,3}})\s*"
            rf"\((?P<agency>(?:{agency})(?:\s*[/,]\s*(?:{agency}))*)\)\s*[-–—:]\s*"),
        sidebar_heading=re.compile(
            rf"^(?:{'|'.join(re.escape(h) for h in union('sidebar_headings'))})"
            rf"(?:\s+[\w’'\- ]{{1,30}})?\s*:?$", re.IGNORECASE),
        relative_time=re.compile(rf"(?:{'|'.join(union('relative_time'))})", re.IGNORECASE),
        byline=re.compile(
            rf"^(?:{'|'.join(re.escape(p) for p in union('byline_prefixes'))})\s+"
            rf"[{_UPPER}][\w.’'\-]+(?:(?:\s+|\s*,\s*)[\w.’'\-]+){{0,6}}$"),
        credit=re.compile(
            rf"(?:^|[\s(\[|])(?:{'|'.join(re.escape(w) for w in union('credit_words'))})"
            rf"\s*:|©|\((?:{'|'.join(re.escape(w) for w in union('credit_words'))})\b",
            re.IGNORECASE),
    )


def _check_regex(name: str, pattern: str) -> None:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ConfigError(
            f"segmentation rules file {name!r}: relative_time pattern {pattern!r} is not a"
            f" valid regular expression ({error})") from error
