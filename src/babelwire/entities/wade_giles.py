"""Reading a Chinese name in Wade–Giles back as pinyin.

Why: Taiwan, Hong Kong and older Western news write Chinese names in Wade–Giles,
syllable by syllable with the given name's syllables joined by a hyphen: 赖清德 is Lai
Ching-te, 蔡英文 Tsai Ing-wen, 邓小平 Teng Hsiao-p'ing, 周恩来 Chou En-lai. Read letter
by letter that shares little with pinyin (ch is zh, j or q; t is d; ts is z), but the
system is a fixed table, so a name whose every syllable is in it also gets its pinyin
readings, which the pinyin name and the Chinese-character name already have. News
mostly drops the apostrophe of aspiration (Teng Hsiao-ping) and the umlaut (Hsu), so
both are ignored and a syllable may read as several pinyin ones (ching: jing or qing).

The table is built from the system's initials and finals (`wade_giles_syllable`) with
the syllable set of `palladius`, like `czech_pinyin`, not listed by hand. Only names
with a hyphen between syllables are read (Chou En-lai; not Ho Chi Minh or Chan, which
are Vietnamese or Cantonese spellings the table would misread).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .palladius import ZERO_INITIAL_SYLLABLES, pinyin_spellings, pinyin_syllables

_WG_INITIALS = {"b": "p", "p": "p", "m": "m", "f": "f", "d": "t", "t": "t", "n": "n",
                "l": "l", "g": "k", "k": "k", "h": "h", "j": "ch", "q": "ch", "x": "hs",
                "zh": "ch", "ch": "ch", "sh": "sh", "r": "j", "z": "ts", "c": "ts", "s": "s",
                "": ""}
"""Pinyin initial → Wade–Giles, apostrophes of aspiration dropped (p' is p, ch' is ch)."""
_WG_FINALS = {"a": "a", "o": "o", "e": "e", "ai": "ai", "ei": "ei", "ao": "ao", "ou": "ou",
              "an": "an", "en": "en", "ang": "ang", "eng": "eng", "ong": "ung", "er": "erh",
              "i": "i", "ia": "ia", "ie": "ieh", "iao": "iao", "iu": "iu", "ian": "ien",
              "in": "in", "iang": "iang", "ing": "ing", "iong": "iung", "u": "u", "ua": "ua",
              "uo": "o", "uai": "uai", "ui": "ui", "uan": "uan", "un": "un", "uang": "uang",
              "v": "u", "ve": "ueh", "van": "uan", "vn": "un"}
_WG_ZERO = {"yi": "i", "ya": "ya", "ye": "yeh", "yao": "yao", "you": "yu", "yan": "yen",
            "yin": "yin", "yang": "yang", "ying": "ying", "yong": "yung", "yu": "yu",
            "yue": "yueh", "yuan": "yuan", "yun": "yun", "wu": "wu", "wa": "wa", "wo": "wo",
            "wai": "wai", "wei": "wei", "wan": "wan", "wen": "wen", "wang": "wang",
            "weng": "weng"}
_APICAL = {"zh": "chih", "ch": "chih", "sh": "shih", "r": "jih", "z": "tzu", "c": "tzu",
           "s": "ssu"}
"""The bare -i after the apical initials (zhi is chih, zi tzu, si ssu)."""
_VELAR_E = frozenset({"g", "k", "h"})
"""Initials after which pinyin e is written o (ge is ko, he ho)."""
_VELAR_UO = frozenset({"g", "k", "h", "sh"})
"""Initials after which pinyin uo stays uo (guo is kuo, shuo shuo; duo is to)."""

_SYLLABLE_SPLIT_RE = re.compile(r"[\-‐]+")


def wade_giles_syllable(initial: str, final: str) -> str:
    """One pinyin syllable (``final`` writes ü as v) in Wade–Giles without marks."""
    if final == "i" and initial in _APICAL:
        return _APICAL[initial]
    if final == "e" and initial in _VELAR_E:
        return _WG_INITIALS[initial] + "o"
    if final == "uo" and initial in _VELAR_UO:
        return _WG_INITIALS[initial] + "uo"
    if final == "ui" and initial in ("g", "k"):
        return _WG_INITIALS[initial] + "uei"
    return _WG_INITIALS[initial] + _WG_FINALS[final]


@cache
def wade_giles_table() -> dict[str, tuple[str, ...]]:
    """Wade–Giles syllable (no apostrophes or umlauts) → the pinyin syllables it writes."""
    table: dict[str, list[str]] = {}
    for initial, final, spelled in pinyin_syllables():
        table.setdefault(wade_giles_syllable(initial, final), []).append(spelled)
    for spelled in ZERO_INITIAL_SYLLABLES:
        table.setdefault(_WG_ZERO[spelled], []).append(spelled)
    return {syllable: tuple(dict.fromkeys(options)) for syllable, options in table.items()}


MAX_NAME_READINGS = 6
"""Pinyin readings kept per name (ching is jing or qing, te de or te)."""


def wade_giles_pinyin(text: str) -> list[str]:
    """Pinyin spellings of a Wade–Giles name, hyphenated syllables joined.

    "Lai Ching-te" → [..., "lai qingde", ...]; a name without a hyphenated word, or
    with a syllable outside the table, gives [].
    """
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    lowered = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = lowered.replace("'", "").replace("\u2019", "").replace("\u2018", "")
    words = lowered.split()
    if not any("-" in w or "\u2010" in w for w in words):
        return []
    table = wade_giles_table()
    return pinyin_spellings(words, table, _SYLLABLE_SPLIT_RE, MAX_NAME_READINGS)
