"""Reading a name written in Thai script as the Latin letters its usual spellings use.

Why not anyascii: Thai writes the vowels เ แ โ ใ ไ before the consonant they follow
in speech (โจ is "jo", not "och"), marks silent letters with ์ (จันทร์ is "chan",
ลักษณ์ "lak"), and ends a syllable with letters whose sound is not their name (ชาญ,
final ญ, is "chan"; วัตร, final ร silent, is "wat"). Latin spellings of Thai names
follow the letters in some names (Shinawatra, Vejjajiva: Pali-style) and the sounds in
others (Prawit), and a foreign name keeps its source's letters under the silent mark
(โดนัลด์ ทรัมป์, Donald Trump), so a word has up to three readings (`thai_spellings`).
Names in Thai are then compared with Latin ones by sound classes
(`sound_classes.thai_sound`), where the aspirates (th, ph, kh) and ch / sh / j fall
into one class each.
"""

from __future__ import annotations

import re

_CONSONANTS = dict(zip(
    "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ",
    ("k", "kh", "kh", "kh", "kh", "kh", "ng", "ch", "ch", "ch", "s", "ch", "y", "d", "t", "th",
     "th", "th", "n", "d", "t", "th", "th", "th", "n", "b", "p", "ph", "f", "ph", "f", "ph", "m",
     "y", "r", "l", "w", "s", "s", "s", "h", "l", "", "h"), strict=True))
_VOWELS = {"ะ": "a", "ั": "a", "า": "a", "ำ": "am", "ิ": "i", "ี": "i", "ึ": "ue", "ื": "ue",
           "ุ": "u", "ู": "u", "ๅ": "a"}
_LEADING = {"เ": "e", "แ": "ae", "โ": "o", "ใ": "ai", "ไ": "ai"}
_FINAL_SOUNDS = {"ญ": "n", "ร": "n", "ล": "n", "ฬ": "n", "ณ": "n"}
"""Letters that end a syllable as n (ชาญ chan, กูล kun is also read kul: see `_final`)."""
_MARKS_RE = re.compile("[\u0e47-\u0e4b\u0e4d\u0e4e]")  # tone marks, maitaikhu, nikhahit
_CLUSTER_SECONDS = frozenset("รลว")
_SILENT = "\u0e4c"
MAX_THAI_SPELLINGS = 9
"""Spellings of one Thai name at most (each word may have up to three)."""


def _is_consonant(ch: str) -> bool:
    return ch in _CONSONANTS


def _reorder(word: str) -> str:
    """Leading vowels moved after their consonant (or two-consonant cluster: เศร → ศรเ)."""
    chars = list(word)
    i = 0
    while i < len(chars):
        if chars[i] in _LEADING and i + 1 < len(chars) and _is_consonant(chars[i + 1]):
            span = 2 if (i + 3 < len(chars) and chars[i + 2] in _CLUSTER_SECONDS) else 1
            vowel = chars.pop(i)
            chars.insert(i + span, vowel)
            i += span + 1
        else:
            i += 1
    return "".join(chars)


def _drop_silent(word: str, *, keep_before: bool) -> str:
    """Letters marked silent by ์ removed (with a vowel on them), and unless ``keep_before``
    the consonant before them too (ทร์, ษณ์: both silent)."""
    pattern = "(?:[ก-ฮ])?[ก-ฮ][\u0e34-\u0e39]?" if not keep_before else "[ก-ฮ][\u0e34-\u0e39]?"
    return re.sub(pattern + _SILENT, "", word)


def _letters(word: str) -> str:
    """Latin letters of a reordered word; a final ญ ร ล ณ written n, รร as an, อ between
    consonants as o."""
    out: list[str] = []
    for i, ch in enumerate(word):
        following = word[i + 1] if i + 1 < len(word) else ""
        previous = word[i - 1] if i else ""
        if ch == "ร" and following == "ร":
            out.append("a")
        elif ch == "ร" and previous == "ร":
            out.append("n" if not following or _is_consonant(following) else "r")
        elif ch == "อ" and _is_consonant(previous) and _is_consonant(following):
            out.append("o")
        elif ch == "ร" and following and _is_consonant(following) and not _is_consonant(previous):
            out.append("ra")  # วีรกูล wi-ra-kun: ร inside a word carries the inherent vowel
        elif ch in "ศษส" and _is_consonant(following) and i > 0 and not _is_consonant(previous):
            out.append("t")  # เศรษฐา Srettha: a final s-letter is said t
        elif ch in _FINAL_SOUNDS and i > 0 and (not following or _is_consonant(following)) \
                and not _is_consonant(previous):
            out.append(_FINAL_SOUNDS[ch] if ch != "ล" or following else "l")
        elif ch in _CONSONANTS:
            out.append(_CONSONANTS[ch])
        else:
            out.append(_VOWELS.get(ch) or _LEADING.get(ch, ""))
    return "".join(out)


def _word_spellings(word: str) -> list[str]:
    word = _MARKS_RE.sub("", word)
    forms = [_drop_silent(word, keep_before=True), _drop_silent(word, keep_before=False)]
    if _SILENT in word:  # โดนัลด์, ทรัมป์: a foreign name's silent letters are its source's
        forms.append(word.replace(_SILENT, ""))
    spelled = [_letters(_reorder(form)) for form in forms if form]
    if len(word) > 2 and word.endswith("ร") and _is_consonant(word[-2]):
        spelled.append(spelled[0] + "a")  # วัตร: silent ร, written -tra in Shinawatra
    return list(dict.fromkeys(spelled))


def thai_spellings(text: str) -> list[str]:
    """Latin spellings of a Thai name, the letter-based one first (``ทักษิณ ชินวัตร`` →
    "thaksin chinwatr", then "thaksin chinwat")."""
    combos = [""]
    for word in text.split():
        options = _word_spellings(word)
        combos = [f"{c} {o}".strip() for c in combos for o in options][:MAX_THAI_SPELLINGS]
    return [c for c in combos if c]
