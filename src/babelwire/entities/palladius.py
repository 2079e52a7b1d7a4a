"""Reading a Chinese name written in Russian Cyrillic (Palladius) back as pinyin.

Why: Russian news writes Chinese names by the Palladius system, syllable by syllable
(胡锦涛 is Ху Цзиньтао, 周恩来 Чжоу Эньлай, 王毅 Ван И), and letter-by-letter
romanisation of that ("khu tszintao") shares nothing with pinyin ("hu jintao"). The
system is a fixed table from pinyin syllables to Cyrillic ones, so a Cyrillic name
whose every word splits into Palladius syllables also gets the pinyin reading, which
the Chinese-character name and a Latin pinyin name already have. A name with any
word that does not split (Лавров: no syllable ends in -в) gets none.

The table is built from the rules of the system (initials and finals), not listed by
hand: `pinyin_to_palladius` writes one syllable, `palladius_pinyin` reads a name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache

_INITIALS = {"b": "б", "p": "п", "m": "м", "f": "ф", "d": "д", "t": "т", "n": "н", "l": "л",
             "g": "г", "k": "к", "h": "х", "j": "цз", "q": "ц", "x": "с", "zh": "чж", "ch": "ч",
             "sh": "ш", "r": "ж", "z": "цз", "c": "ц", "s": "с", "": ""}
_FINALS = {"a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу",
           "an": "ань", "en": "энь", "ang": "ан", "eng": "эн", "ong": "ун", "er": "эр",
           "i": "и", "ia": "я", "ie": "е", "iao": "яо", "iu": "ю", "ian": "янь", "in": "инь",
           "iang": "ян", "ing": "ин", "iong": "юн", "u": "у", "ua": "уа", "uo": "о",
           "uai": "уай", "ui": "уй", "uan": "уань", "un": "унь", "uang": "уан",
           "v": "юй", "ve": "юэ", "van": "юань", "vn": "юнь"}
_ZERO_INITIAL = {"yi": "и", "ya": "я", "ye": "е", "yao": "яо", "you": "ю", "yan": "янь",
                 "yin": "инь", "yang": "ян", "ying": "ин", "yong": "юн", "yu": "юй", "yue": "юэ",
                 "yuan": "юань", "yun": "юнь", "wu": "у", "wa": "ва", "wo": "во", "wai": "вай",
                 "wei": "вэй", "wan": "вань", "wen": "вэнь", "wang": "ван", "weng": "вэн"}
_PALATAL_INITIALS = frozenset({"j", "q", "x"})
_SIBILANT_INITIALS = {"z": "цзы", "c": "цы", "s": "сы"}

MAX_WORD_READINGS = 4
"""Pinyin readings kept per Cyrillic word (Palladius -о is o or uo, -ю is you or iu)."""

_WORD_RE = re.compile(r"[а-яё]+")


def _valid(initial: str, final: str) -> bool:
    """Initial-final pairs that pinyin has (j, q, x take only i- and ü-finals, and so on)."""
    if initial in _PALATAL_INITIALS:
        return final.startswith(("i", "v"))
    if final.startswith("v"):
        return initial in ("n", "l") and final in ("v", "ve")
    if initial in ("zh", "ch", "sh", "r", "z", "c", "s"):
        return not final.startswith("i") or final == "i"
    if initial in ("g", "k", "h", "f") and final.startswith("i"):
        return False
    if initial in ("b", "p", "m", "f"):
        return not final.startswith(("ua", "uo", "ui", "un", "ong"))
    if initial in ("g", "k", "h", "d", "t", "n", "l"):
        return True
    return final in ("a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "er")


def pinyin_to_palladius(initial: str, final: str) -> str:
    """One syllable in Palladius Cyrillic; ``final`` writes ü as v (ju is ``("j", "v")``)."""
    if initial in _SIBILANT_INITIALS and final == "i":
        return _SIBILANT_INITIALS[initial]
    return _INITIALS[initial] + _FINALS[final]


def _pinyin_spelling(initial: str, final: str) -> str:
    if initial in _PALATAL_INITIALS and final.startswith("v"):
        final = "u" + final[1:]  # ju, xue, quan: ü written u after j, q, x
    return initial + final


def pinyin_spellings(words: list[str], table: Mapping[str, Sequence[str]], split: re.Pattern[str],
                     limit: int) -> list[str]:
    """Pinyin spellings of a name transcribed syllable by syllable (Czech, Wade–Giles).

    Each word is cut into syllables by ``split``, each syllable read through ``table``
    (one syllable may have several pinyin readings), and the readings joined; at most
    ``limit`` spellings per word and per name, so a long name cannot explode. A syllable
    outside the table means the name is not such a transcription: [].
    """
    per_word: list[list[str]] = []
    for word in words:
        options = [""]
        for syllable in split.split(word):
            pinyin = table.get(syllable)
            if not syllable or pinyin is None:
                return []
            options = [o + p for o in options for p in pinyin][:limit]
        per_word.append(options)
    spellings = [""]
    for options in per_word:
        spellings = [f"{s} {o}".strip() for s in spellings for o in options][:limit]
    return spellings


def pinyin_syllables() -> list[tuple[str, str, str]]:
    """(initial, final, spelling) of every pinyin syllable with an initial-final pair.

    ``final`` writes ü as v; the syllables written with y- or w- are `ZERO_INITIAL_SYLLABLES`.
    Other transcriptions (`czech_pinyin`) build their tables from the same list.
    """
    return [(initial, final, _pinyin_spelling(initial, final))
            for initial in _INITIALS for final in _FINALS if _valid(initial, final)]


ZERO_INITIAL_SYLLABLES = tuple(_ZERO_INITIAL)
"""Pinyin syllables without an initial, spelled with y- or w- (yi, you, wu, wang ...)."""


@cache
def palladius_table() -> dict[str, tuple[str, ...]]:
    """Palladius syllable → the pinyin syllables it writes (most usual first)."""
    table: dict[str, list[str]] = {}
    for initial, final, spelled in pinyin_syllables():
        table.setdefault(pinyin_to_palladius(initial, final), []).append(spelled)
    for spelled, cyrillic in _ZERO_INITIAL.items():
        table.setdefault(cyrillic, []).append(spelled)
    return {cyr: tuple(dict.fromkeys(options)) for cyr, options in table.items()}


@lru_cache(maxsize=65536)
def _split_word(word: str) -> tuple[str, ...]:
    """Pinyin readings of one Cyrillic word split into Palladius syllables; () if it does not split.

    Fewest syllables first (Сяопин is сяо+пин before ся+о+пин), at most
    `MAX_WORD_READINGS`.
    """
    table = palladius_table()
    longest = max(map(len, table))
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(reachable[start] and word[start:end] in table
                             for start in range(max(0, end - longest), end))
    if not reachable[-1]:
        return ()
    found: list[list[list[str]]] = [[] for _ in range(len(word) + 1)]
    found[0] = [[]]
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - longest), end):
            options = table.get(word[start:end])
            if not options or not found[start]:
                continue
            found[end].extend(prefix + [option] for prefix in found[start] for option in options)
        found[end] = sorted(found[end], key=len)[:MAX_WORD_READINGS * 2]
    return tuple(dict.fromkeys("".join(s) for s in found[-1]))[:MAX_WORD_READINGS]


_CONSONANT_PAIR_RE = re.compile("(?=([бвгджзклмнпрстфхцчшщ]{2}))")
_PALLADIUS_PAIRS = frozenset({"цз", "чж"})


_R_OUTSIDE_ER_RE = re.compile("(?<!э)р")


def _may_be_palladius(word: str) -> bool:
    """Cheap test before the split: Palladius puts two consonants together only in цз, чж
    and after a final н (Цзиньтао, Сяопин), writes р only in эр, and has no щ or ъ
    (Сергей, Лавров, Карина: no)."""
    if "щ" in word or "ъ" in word or _R_OUTSIDE_ER_RE.search(word):
        return False
    return all(pair in _PALLADIUS_PAIRS or pair[0] == "н"
               for pair in _CONSONANT_PAIR_RE.findall(word))


def palladius_pinyin(text: str) -> list[str]:
    """Pinyin spellings of a Cyrillic name when every word is Palladius syllables, else [].

    "Ху Цзиньтао" → ["hu jintao"]; "Сергей Лавров" → [].
    """
    words = _WORD_RE.findall(text.lower().replace("ё", "е"))
    if not words or len(words) != len(text.replace("-", " ").split()) \
            or not all(map(_may_be_palladius, words)):
        return []
    per_word = [_split_word(word) for word in words]
    if not all(per_word):
        return []
    spellings = [""]
    for options in per_word:
        spellings = [f"{s} {o}".strip() for s in spellings for o in options][:MAX_WORD_READINGS]
    return spellings
