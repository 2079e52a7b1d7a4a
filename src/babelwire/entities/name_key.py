"""Name keys: one spelling-independent form of a person's or organisation's name.

Why: news in different languages writes one name in different scripts and with
different transliteration conventions. Михаил Мишустин is "Mikhail Mishustin" in
English, "Michail Mischustin" in German, "Michail Misjoestin" in Dutch and
"Mikhail Misjustin" in Norwegian. A key is built in three steps:

1. **Language conventions** (`LANGUAGE_RULES`), applied to the mention's own
   spelling before anything else, rewrite a language's way of spelling Russian,
   Greek or Arabic sounds into English-style digraphs: German ``sch`` → ``sh`` and
   ``ch`` → ``kh``, Dutch ``oe`` → ``u`` and ``sj`` → ``sh``, Polish ``sz`` → ``sh``,
   Czech ``š`` → ``sh`` and so on. They depend on the language: ``ch`` is /x/ in
   German and /tʃ/ in English.
2. **Transliteration** to ASCII with anyascii (Cyrillic, Greek, CJK, Arabic, Hebrew;
   diacritics go), lower case, punctuation and apostrophes (soft signs) dropped.
   Han runs come out as capitalised pinyin syllables ("XiJinPing"), which are split.
3. **Convention folding**, the same for every language: ``kh`` → ``h``, ``w`` → ``v``,
   ``j``/``y`` → ``i``, ``x`` → ``ks``, ``ph`` → ``f``, doubled letters single, and the
   adjectival endings -ij/-iy/-yi/-ii → -i.

The result is `NameKey.tokens`; `NameKey.compact` joins them without spaces (Han
names split into syllables, "Xi Jinping" and 习近平 give the same compact key). The
folding is lossy on purpose, so a match on the key alone is not proof: the
resolver only merges on an exact compact key, and uses `NameKey.skeleton` (vowels
dropped, sibilants merged) only to find candidates that `name_match` then checks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

_SLAVIC_LATIN = (("š", "sh"), ("č", "ch"), ("ž", "zh"), ("ć", "ch"), ("ś", "sh"),
                 ("ź", "zh"), ("ż", "zh"), ("ř", "rzh"), ("ş", "sh"), ("ç", "ch"))
"""Letters that stand for digraphs; rewritten before anyascii would drop their marks."""

LANGUAGE_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "de": (("tsch", "ch"), ("sch", "sh"), ("ch", "kh"), ("j", "y"), ("w", "v")),
    "nl": (("tsj", "ch"), ("sj", "sh"), ("ch", "kh"), ("oe", "u"), ("j", "y"), ("w", "v")),
    "nb": (("tsj", "ch"), ("sj", "sh"), ("kj", "ch"), ("j", "y")),
    "nn": (("tsj", "ch"), ("sj", "sh"), ("kj", "ch"), ("j", "y")),
    "no": (("tsj", "ch"), ("sj", "sh"), ("kj", "ch"), ("j", "y")),
    "da": (("tj", "ch"), ("sj", "sh"), ("j", "y")),
    "sv": (("tj", "ch"), ("sj", "sh"), ("j", "y")),
    "fi": (("j", "y"),),
    "pl": (("szcz", "shch"), ("sz", "sh"), ("cz", "ch"), ("rz", "zh"), ("ch", "kh"),
           ("j", "y"), ("w", "v")),
    "cs": (("ch", "kh"), ("j", "y")),
    "sk": (("ch", "kh"), ("j", "y")),
    "sl": (("j", "y"),),
    "hr": (("j", "y"),),
    "fr": (("tch", "ch"), ("ch", "sh"), ("ou", "u"), ("dj", "j"), ("gue", "ge"), ("gui", "gi")),
    "es": (("j", "kh"),),
    "pt": (("ch", "sh"),),
    "it": (("sc", "sh"), ("ci", "chi")),
    "tr": (("c", "j"),),
}
"""Per-language rewrites of that language's spelling of foreign sounds, in order."""

_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in (
        (r"(?<=[a-z])(iy|ij|yi|ii|yy|yj)\b", "i"),  # Zelenskiy / Zelenskyj / Zelenskyi
        (r"kh", "h"),
        (r"ph", "f"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"[jy]", "i"),
        (r"ck", "k"),
        (r"t[sz]", "z"),  # German z is ts: Scholz / Шольц (Sholts), Klitschko aside
        (r"([a-z])\1+", r"\1"),  # doubled letters (Mischustin / Assad / Asad)
        (r"ie\b", "i"),  # French/German final -ie for -i (Dmitrie is rare; Lavrovie never)
    ))

_HAN_SYLLABLE_RE = re.compile(r"[A-Z][a-z]*")
_TOKEN_RE = re.compile(r"[a-z0-9]+")
_VOWELS_RE = re.compile(r"[aeiou]")
_SKELETON_FOLDS = (("sh", "s"), ("zh", "s"), ("z", "s"), ("ch", "c"), ("ts", "c"),
                   ("k", "c"), ("q", "c"), ("g", "c"), ("v", "b"), ("p", "b"), ("d", "t"),
                   ("h", ""))


@dataclass(frozen=True, slots=True)
class NameKey:
    """The spelling-independent forms of one name.

    ``tokens``: the folded words of the language-convention reading, in order.
    ``readings``: every folded reading's tokens: the convention reading and the
    as-written one (German "Michael" is also read as the English "Michael", not
    only as a transliterated "Mikhail"). ``compacts``: each reading's tokens joined
    with no spaces (the exact-match keys). ``skeletons``: consonants only with
    similar sounds merged (candidate keys, never a reason to merge). ``latin``: the
    plain transliteration, lower case, for character n-gram comparison.
    """

    tokens: tuple[str, ...]
    readings: tuple[tuple[str, ...], ...]
    compacts: frozenset[str]
    skeletons: frozenset[str]
    latin: str
    is_abjad: bool = False
    is_hebrew: bool = False

    @property
    def compact(self) -> str:
        """The convention reading's compact key."""
        return "".join(self.tokens)

    @property
    def surname(self) -> str:
        """The last token (a surname for most naming orders we see in news); '' if empty."""
        return self.tokens[-1] if self.tokens else ""

    @property
    def is_empty(self) -> bool:
        """True when the name had no letters or digits at all."""
        return not self.tokens


def transliterate(text: str) -> str:
    """ASCII transliteration with Han syllables split, e.g. "习近平" → "Xi Jin Ping"."""
    pieces: list[str] = []
    for word in anyascii(unicodedata.normalize("NFC", text)).split():
        syllables = _HAN_SYLLABLE_RE.findall(word)
        # anyascii writes a Han run as capitalised syllables with no spaces ("XiJinPing");
        # Latin words with inner capitals (McCain, DeSantis) must stay whole.
        is_han = len(syllables) > 1 and "".join(syllables) == word and _has_han(text)
        pieces.extend(syllables if is_han else [word])
    return " ".join(pieces)


def _has_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def _apply_language_rules(text: str, lang: str) -> str:
    lowered = unicodedata.normalize("NFC", text).lower()
    if not lowered.isascii():
        for letter, digraph in _SLAVIC_LATIN:
            lowered = lowered.replace(letter, digraph)
    base = lang.split("-")[0].split("_")[0].lower()
    for source, target in LANGUAGE_RULES.get(base, ()):
        lowered = lowered.replace(source, target)
    if base == "fr":  # Poutine, Michoustine: French adds -e to Russian -in
        lowered = re.sub(r"(?<=[a-z]{3})ine\b", "in", lowered)
    return lowered


def fold_token(token: str) -> str:
    """Apply the language-independent convention folds to one lower-case ASCII token."""
    for pattern, replacement in _FOLDS:
        token = pattern.sub(replacement, token)
    return token


def skeleton_of(compact: str) -> str:
    """Consonant skeleton of a compact key: a blocking key for fuzzy candidates only."""
    out = compact
    for source, target in _SKELETON_FOLDS:
        out = out.replace(source, target)
    out = _VOWELS_RE.sub("", out)
    return re.sub(r"([a-z])\1+", r"\1", out)


_ABJAD_RE = re.compile(
    r"[\u0590-\u06ff\u0700-\u074f\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_GREEK_RE = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")


def abjad_skeleton(tokens: tuple[str, ...], *, hebrew: bool) -> str:
    """Skeleton of a name written in Arabic or Hebrew script, comparable with a Latin skeleton.

    Those scripts mostly leave short vowels out and write long ones with w/y (and
    Hebrew v for vav), so those letters are dropped like vowels; a Hebrew word-initial
    v is bet (b). "بنيامين نتنياهو" and "Binyamin Netanyahu" get the same skeleton.
    """
    words = []
    for token in tokens:
        if hebrew and token.startswith("v"):
            token = "b" + token[1:]
        words.append(re.sub(r"[wyv]", "", token.replace("ii", "i")) if not hebrew
                     else re.sub(r"(?<=.)v|[wy]", "", token))
    return skeleton_of("".join(words))


def _greek_conventions(latin: str) -> str:
    """English-style Greek: χ "ch" → kh, ου "oy" → u, initial μπ/ντ "mp"/"nt" → b/d."""
    latin = latin.replace("ch", "kh").replace("oy", "u").replace("ou", "u")
    return re.sub(r"\bmp", "b", re.sub(r"\bnt", "d", latin))


def _reading(spelled: str) -> tuple[str, ...]:
    latin = transliterate(spelled).lower().replace("'", "").replace("\u2019", "")
    return tuple(fold_token(t) for t in _TOKEN_RE.findall(latin))


@lru_cache(maxsize=65536)
def name_key(text: str, lang: str = "und") -> NameKey:
    """Return the `NameKey` of ``text`` written in language ``lang`` (BCP 47, or 'und').

    Cached per process because the same names recur across thousands of mentions;
    the cache lives on this function only, is bounded, and holds immutable values.
    """
    is_latin = all(not ch.isalpha() or ord(ch) < 0x250 for ch in text)
    if is_latin:
        spelled = _apply_language_rules(text, lang)
    elif _GREEK_RE.search(text):
        spelled = _greek_conventions(transliterate(text).lower())
    else:
        spelled = text
    convention = _reading(spelled)
    readings = (convention,) if not is_latin else tuple(dict.fromkeys(
        (convention, _reading(text))))
    compacts = frozenset("".join(r) for r in readings)
    abjad = _ABJAD_RE.search(text)
    is_hebrew = abjad is not None and "\u0590" <= abjad.group() <= "\u05ff"
    if abjad:
        raw = tuple(_TOKEN_RE.findall(transliterate(text).lower()))
        skeletons = frozenset({abjad_skeleton(raw, hebrew=is_hebrew)})
    else:
        skeletons = frozenset(skeleton_of(c) for c in compacts)
    return NameKey(tokens=convention, readings=readings, compacts=compacts, skeletons=skeletons,
                   latin=" ".join(_TOKEN_RE.findall(transliterate(text).lower())),
                   is_abjad=abjad is not None, is_hebrew=is_hebrew)
