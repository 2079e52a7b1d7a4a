"""Reading a Chinese name in the Czech transcription back as pinyin.

Why: Czech news writes Chinese names in its own system (Švarný's), syllable by
syllable and with the given name's syllables joined by a hyphen: 习近平 is Si
Ťin-pching, 毛泽东 Mao Ce-tung, 邓小平 Teng Siao-pching, 李强 Li Čchiang. Read
letter by letter ("si tin pkhing") that shares nothing with pinyin, but the system
is a fixed table, so a name whose every syllable is in it also gets the pinyin
reading, which the Latin pinyin name and the Chinese-character name already have.
Aspiration is written (pch, tch, kch, čch, cch), so the table is nearly one to one.

The table is built from the system's initials and finals (`czech_syllable`), with
the syllable set of `palladius` (which pinyin has), not listed by hand.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .palladius import ZERO_INITIAL_SYLLABLES, pinyin_spellings, pinyin_syllables

_CZECH_INITIALS = {"b": "p", "p": "pch", "m": "m", "f": "f", "d": "t", "t": "tch", "n": "n",
                   "l": "l", "g": "k", "k": "kch", "h": "ch", "j": "ť", "q": "čch", "x": "s",
                   "zh": "č", "ch": "čch", "sh": "š", "r": "ž", "z": "c", "c": "cch", "s": "s",
                   "": ""}
_CZECH_FINALS = {"a": "a", "o": "o", "e": "e", "ai": "aj", "ei": "ej", "ao": "ao", "ou": "ou",
                 "an": "an", "en": "en", "ang": "ang", "eng": "eng", "ong": "ung", "er": "er",
                 "i": "i", "ia": "ia", "ie": "ie", "iao": "iao", "iu": "iou", "ian": "ien",
                 "in": "in", "iang": "iang", "ing": "ing", "iong": "iung", "u": "u", "ua": "ua",
                 "uo": "uo", "uai": "uaj", "ui": "uej", "uan": "uan", "un": "un",
                 "uang": "uang", "v": "ü", "ve": "üe", "van": "üan", "vn": "ün"}
_CZECH_ZERO = {"yi": "i", "ya": "ja", "ye": "je", "yao": "jao", "you": "jou", "yan": "jen",
               "yin": "jin", "yang": "jang", "ying": "jing", "yong": "jung", "yu": "jü",
               "yue": "jüe", "yuan": "jüan", "yun": "jün", "wu": "wu", "wa": "wa", "wo": "wo",
               "wai": "waj", "wei": "wej", "wan": "wan", "wen": "wen", "wang": "wang",
               "weng": "weng"}
_APICAL_INITIALS = frozenset({"zh", "ch", "sh", "r", "z", "c", "s"})
"""Initials whose bare -i Czech writes as an apostrophe or leaves out (š', č', c')."""

_SYLLABLE_SPLIT_RE = re.compile(r"[\s\-‐]+")
_CZECH_MARKS = frozenset("ťčšžü")
"""Letters that a Czech name of Chinese origin usually shows; one of them, an aspirate
digraph or a hyphen between syllables (Mao Ce-tung) must occur before a name is read as
Chinese (Jan Novák is not; Jan Hus has every syllable in the table but none of the signs)."""
_ASPIRATE_RE = re.compile(r"(?:pch|tch|kch|čch|cch)")


def czech_syllable(initial: str, final: str) -> str:
    """One pinyin syllable (``final`` writes ü as v) in the Czech transcription."""
    if initial in _APICAL_INITIALS and final == "i":
        return _CZECH_INITIALS[initial] + "'"
    if initial in ("b", "p", "m", "f") and final == "uo":
        final = "o"
    return _CZECH_INITIALS[initial] + _CZECH_FINALS[final]


@cache
def czech_table() -> dict[str, tuple[str, ...]]:
    """Czech syllable (apostrophes dropped) → the pinyin syllables it writes."""
    table: dict[str, list[str]] = {}
    for initial, final, spelled in pinyin_syllables():
        table.setdefault(czech_syllable(initial, final).replace("'", ""), []).append(spelled)
    for spelled in ZERO_INITIAL_SYLLABLES:
        table.setdefault(_CZECH_ZERO[spelled], []).append(spelled)
    return {czech: tuple(dict.fromkeys(options)) for czech, options in table.items()}


MAX_NAME_READINGS = 4
"""Pinyin readings kept per name (s is x or s, čch is q or ch, -u is u or ü)."""


def czech_pinyin(text: str) -> list[str]:
    """Pinyin spellings of a Czech-transcribed Chinese name, hyphenated syllables joined.

    "Si Ťin-pching" → ["xi jinping", ...]; a name with a syllable outside the table, or
    with no Czech mark or aspirate digraph, gives [].
    """
    lowered = unicodedata.normalize("NFC", text.strip().lower()).replace("'", "").replace(
        "\u2019", "")
    if not (_CZECH_MARKS & set(lowered) or _ASPIRATE_RE.search(lowered) or "-" in lowered):
        return []
    table = czech_table()
    return pinyin_spellings(lowered.split(), table, _SYLLABLE_SPLIT_RE, MAX_NAME_READINGS)
