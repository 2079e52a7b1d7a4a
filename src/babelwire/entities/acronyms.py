"""Acronyms of organisation names: "ECOWAS" is the Economic Community of West African States.

Why: news names an organisation by its full name in one article and by its acronym
in the next (KCNA / Korean Central News Agency, CHP / Cumhuriyet Halk Partisi, MSZ /
Ministerstwo Spraw Zagranicznych, ZANU-PF / Zimbabwe African National Union –
Patriotic Front). The listed organisations (`organisations`) cover the best known;
this rule covers the rest, for any language written with capital letters. The
initials are those of a name's words, split at spaces and hyphens, with and without
the function words of the languages news writes (`FUNCTION_WORDS`: of, and, de, der, ve
...). Acronyms of fewer than `MIN_ACRONYM_LETTERS` letters are not used: two letters
name too many bodies (PT, PP, AA). An acronym that spells several stored names is
decided by context like any other ambiguous key.
"""

from __future__ import annotations

import re
import unicodedata

from .organisations import is_acronym

MIN_ACRONYM_LETTERS = 3
MAX_ACRONYM_LETTERS = 8

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

_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def acronym_letters(text: str) -> str | None:
    """The letters of an acronym mention ("ZANU-PF" → "ZANUPF", "U.N." → "UN"), or None.

    None for anything that is not an acronym (`organisations.is_acronym`) or whose
    letter count is outside `MIN_ACRONYM_LETTERS`..`MAX_ACRONYM_LETTERS`.
    """
    text = unicodedata.normalize("NFKC", text).strip().replace(".", "")
    if not is_acronym(text):
        return None
    letters = "".join(ch for ch in text if ch.isalpha())
    return letters if MIN_ACRONYM_LETTERS <= len(letters) <= MAX_ACRONYM_LETTERS else None


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
    options = ("".join(w[0] for w in content).upper(), "".join(w[0] for w in words).upper())
    return tuple(o for o in dict.fromkeys(options)
                 if MIN_ACRONYM_LETTERS <= len(o) <= MAX_ACRONYM_LETTERS)
