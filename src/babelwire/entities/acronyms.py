"""Acronyms of organisation names: "ECOWAS" is the Economic Community of West African States.

Why: news names an organisation by its full name in one article and by its acronym
in the next (KCNA / Korean Central News Agency, CHP / Cumhuriyet Halk Partisi, MSZ /
Ministerstwo Spraw Zagranicznych, ZANU-PF / Zimbabwe African National Union –
Patriotic Front). The listed organisations (`organisations`) cover the best known;
this rule covers the rest, for any language written with capital letters. The
initials are those of a name's words, split at spaces and hyphens, with and without
the function words of the languages news writes (`FUNCTION_WORDS`: of, and, de, der, ve
...), or with some of them (PVV: Partij *voor* de Vrijheid), and with the head of a
compound as a letter of its own (ÖVP: Österreichische Volks*partei*, `COMPOUND_HEADS`).
Letters are compared case- and accent-folded (CD spells České dráhy). Acronyms of fewer
than `MIN_ACRONYM_LETTERS` letters link only to a name of the same language
(`MIN_SAME_LANGUAGE_LETTERS`: ČD / České dráhy in Czech news): two letters across
languages name too many bodies (PT, PP, AA). An acronym that spells several stored names
is decided by context like any other ambiguous key.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations

from .organisations import is_acronym

MIN_ACRONYM_LETTERS = 3
MIN_SAME_LANGUAGE_LETTERS = 2
MAX_ACRONYM_LETTERS = 8
MAX_KEPT_FUNCTION_WORDS = 3
"""Names with more function words get only the none-kept and all-kept options (2^3 = 8 at most)."""

FUNCTION_WORDS = frozenset({
    # en, fr, es, pt, it, de, nl, pl, cs, tr, id/ms: articles, "of", "and", "for", "in"
    "of", "and", "the", "for", "in", "on", "&",
    "de", "des", "du", "la", "le", "les", "et", "pour", "l", "d",
    "del", "los", "las", "el", "y", "e", "da", "do", "dos", "das", "a", "o", "em",
    "di", "dei", "della", "delle", "degli", "il", "per",
    "der", "die", "und", "für", "von", "im",
    "van", "voor", "en", "het",
    "i", "w", "z", "na", "dla", "ve", "ile", "dan", "untuk",
})
"""Words an acronym skips ("Economic Community of West African States" → ECOWAS)."""

COMPOUND_HEADS = ("partei", "partij", "partiet", "parti", "bank", "banken", "byrån", "byrå",
                  "bureau", "verket", "amt", "verband", "förbund", "forbund", "bund",
                  "rådet", "raad", "gericht", "kammer", "bahn", "bahnen")
"""Heads of German, Dutch and Scandinavian compound names whose acronym gives them a letter.

Why: those languages write the last two words of a name as one (Volkspartei, centralbyrån),
and the acronym still spells both (ÖVP, SVP, SCB, SAP). Only these common heads of
organisation names are split, and only after a first part of `MIN_COMPOUND_PART` letters.
"""

MIN_COMPOUND_PART = 4

_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def acronym_letters(text: str) -> str | None:
    """The letters of an acronym mention ("ZANU-PF" → "ZANUPF", "U.N." → "UN"), or None.

    None for anything that is not an acronym (`organisations.is_acronym`) or whose
    letter count is outside `MIN_ACRONYM_LETTERS`..`MAX_ACRONYM_LETTERS`.
    """
    text = unicodedata.normalize("NFKC", text).strip().replace(".", "")
    if not is_acronym(text):
        return None
    letters = _folded("".join(ch for ch in text if ch.isalpha()))
    return letters if MIN_SAME_LANGUAGE_LETTERS <= len(letters) <= MAX_ACRONYM_LETTERS else None


def initials(text: str) -> tuple[str, ...]:
    """The acronyms a multi-word name may have, upper case: content words' initials, then all.

    Two because some acronyms keep a function word's letter (ECOWAS: Economic Community
    *of* West African States) and most do not (ICBC: Industrial and Commercial Bank of
    China). Empty for a one-word name, an acronym itself, or initials outside the
    allowed length (see `acronym_letters`).
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if is_acronym(text.replace(".", "")):
        return ()
    words = _WORD_RE.findall(text)
    content = [w for w in words if w.casefold() not in FUNCTION_WORDS]
    if len(content) < 2:
        return ()
    options = [_spelled(words, kept) for kept in _kept_function_words(words)]
    split = _compounds_split(words)
    if split != words:
        options += [_spelled(split, kept) for kept in _kept_function_words(split)]
    return tuple(o for o in dict.fromkeys(options)
                 if MIN_SAME_LANGUAGE_LETTERS <= len(o) <= MAX_ACRONYM_LETTERS)


def is_cross_language_length(letters: str) -> bool:
    """Whether an acronym is long enough to link to a name of another language."""
    return len(letters) >= MIN_ACRONYM_LETTERS


def _folded(letters: str) -> str:
    """Upper case without accents (Č → C, Ö → O): acronyms are written either way."""
    decomposed = unicodedata.normalize("NFKD", letters.upper())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _spelled(words: list[str], kept: frozenset[int]) -> str:
    """Initials of the content words and of the function words at positions ``kept``."""
    return _folded("".join(w[0] for i, w in enumerate(words)
                           if i in kept or w.casefold() not in FUNCTION_WORDS))


def _kept_function_words(words: list[str]) -> list[frozenset[int]]:
    """Which function words an acronym may spell: none, all, and (few of them) any subset."""
    positions = [i for i, w in enumerate(words) if w.casefold() in FUNCTION_WORDS]
    if len(positions) > MAX_KEPT_FUNCTION_WORDS:
        return [frozenset(), frozenset(positions)]
    return [frozenset(chosen) for size in range(len(positions) + 1)
            for chosen in combinations(positions, size)]


def _compounds_split(words: list[str]) -> list[str]:
    """``words`` with each compound ending in a `COMPOUND_HEADS` word written as two."""
    out: list[str] = []
    for word in words:
        folded = word.casefold()
        head = next((h for h in COMPOUND_HEADS if folded.endswith(h)
                     and len(folded) - len(h) >= MIN_COMPOUND_PART), None)
        out.extend([word[:len(word) - len(head)], word[len(word) - len(head):]] if head
                   else [word])
    return out
