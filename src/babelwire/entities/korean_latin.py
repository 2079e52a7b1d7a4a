"""Korean names in Latin letters: one reading across the romanisations news mixes.

Why: one Korean name reaches the news in several romanisations: the person's own
spelling (Yoon Suk-yeol, Lee Jae-myung, Moon Jae-in), Revised Romanization (Yun
Seok-yeol, I Jae-myeong, Mun Jae-in) and McCune–Reischauer without its breves (Kim
Jong-un for 정, which RR writes jeong). The spellings differ in the surname (a
surname has its own customary spellings: `romanise.KOREAN_SURNAMES`) and in a few
vowels and consonants of the given name: RR eo and eu are McCune ŏ and ŭ, written o
or u; g/k, d/t, b/p and j/ch are one consonant each, voiced or not by position. A
name whose first word is a listed surname spelling and whose given name is two
syllables (Jae-myung, Jae Myung) gets readings with the surname in its first
spelling and those letters folded (eo read as u and, in a second reading, as o).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .romanise import KOREAN_SURNAMES

_SYLLABLE_RE = re.compile(r"(?:[bcdghjkmnprstwy]|ch|kk|tt|pp|ss|jj){0,2}"
                          r"(?:y|w)?(?:a|ae|e|eo|eu|i|o|oe|oo|ou|u|ui|ya|yae|ye|yeo|yo|yu|wa|wae"
                          r"|we|wi|wo|weo)(?:ng|n|m|l|k|p|t|r)?")
"""One Korean syllable in any of the usual romanisations (jae, myung, myeong, yeol, suk)."""

_VOWEL_FOLDS = (("eo", "{eo}"), ("eu", "u"), ("oo", "u"), ("ou", "u"), ("ae", "e"))
_CONSONANT_FOLDS = str.maketrans({"g": "k", "d": "t", "b": "p", "j": "c"})


@cache
def _surname_spellings() -> dict[str, str]:
    """Latin surname spelling → the first (customary) spelling of that Korean surname."""
    out: dict[str, str] = {}
    for spellings in KOREAN_SURNAMES.values():
        for spelling in spellings:
            out.setdefault(spelling, spellings[0])
    return out


def _folded(syllable: str, eo: str) -> str:
    for source, target in _VOWEL_FOLDS:
        syllable = syllable.replace(source, target.format(eo=eo))
    # the final ng is a sound of its own, not an n and a g to unvoice
    return syllable.replace("ng", "N").replace("ch", "c").translate(_CONSONANT_FOLDS).replace(
        "N", "ng")


def korean_readings(text: str) -> list[str]:
    """Folded readings of a Korean name in Latin letters; [] if it does not look Korean.

    "Yun Seok-yeol" and "Yoon Suk-yeol" both give "yoon suk yul" (eo as u).
    """
    lowered = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in lowered if not unicodedata.combining(ch))
    words = plain.split()
    surnames = _surname_spellings()
    if len(words) < 2 or words[0] not in surnames:
        return []
    given = [s for w in words[1:] for s in w.split("-")]
    if len(given) != 2 or not all(_SYLLABLE_RE.fullmatch(s) for s in given):
        return []
    return list(dict.fromkeys(
        " ".join([surnames[words[0]], *(_folded(s, eo) for s in given)]) for eo in ("u", "o")))
