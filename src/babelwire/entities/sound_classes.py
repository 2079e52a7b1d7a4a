"""Sound classes: comparing a Latin name with its rendering in Chinese characters or katakana.

Why classes and not letters: Chinese and Japanese write a foreign name by ear, one
syllable per character (or kana), and each writes it with the sounds it has. The
consonants survive in a recognisable class, the rest changes in known ways:

- an inserted vowel after a consonant cluster or at the end (Trump → 特朗普 te-lang-pu,
  Bush → ブッシュ busshu): vowels are not compared at all;
- l and r are one sound (Trump → lang; Merkel → メルケル meruketu): class ``L``;
- b, p, f, v, w are one class ``P`` (Vladimir → 弗拉基米尔 fu-la-ji-mi-er, ウ+ラ);
  t, d ``T``; k, g, c, q ``K``; s, z, sh, ch, j, ts ``S``; m, n, ng ``N``; h is dropped;
- a consonant before i is palatalised (Putin → 普京 pu-jing, Vladimir → ジ ji):
  t, k, s before i are class ``S`` and remember their own class, and Chinese j, q, x
  are palatal whatever they render (基 is gi, ki or di), so 京 matches "tin" but 蒂
  (ti) does not match "ki";
- a Latin l or r that ends a syllable is often left out (Merkel → 默克尔 mo-ke-er,
  Donald → 唐纳德), and Chinese 尔 / katakana ル in that place stand for it, so both
  are dropped from the comparison; a nasal ending a Chinese syllable before a syllable
  opening with a nasal merges with it (Antony → 安东尼 an-dong-ni).

A word's `Sound` is its tuple of units; `sounds_agree` is the check. The entity index
finds candidates by finer keys (`latin_sound_key`, `sound_keys`: b, p and f/v/w, k and
g, t and d, s and sh apart), because every Latin name carries one and a class string
alone is shared by many Latin names (a synthetic million-name store: 16 names per key
by classes, 3.4 by keys), each a wasted check when a Latin mention looks its key up.
A CJK name carries each Latin spelling its units may stand for instead.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

PALATAL = "*"
"""Origin of a palatal consonant that may render t, k or s before i (Chinese j, q, x; kana ji)."""


class Unit(NamedTuple):
    """One consonant: its class, for a palatalised one the class it came from, and its keys.

    ``keys``: the letters it is indexed by, finer than the class so that Latin names
    sharing a class string rarely share a key (b, p and f/v/w; k and g); a Latin
    consonant has one, a CJK one each Latin letter it renders (Chinese b writes b and
    p: 保罗, Paul; katakana b writes b and v). Empty means the class letter. A named
    tuple, not a dataclass: a million-name store builds tens of millions.
    """

    cls: str
    origin: str
    keys: str = ""

    def agrees(self, other: Unit, *, initial: bool = False) -> bool:
        """Same class and origin; a palatal agrees with any t, k or s.

        Except a word-initial t: palatalised t and d come from Russian soft consonants
        inside a word (Putin → 普京, Vladimir → 基); at the start, 吉 (ji) is Jim, not Tim.
        """
        if PALATAL in (self.origin, other.origin):
            plain = other if self.origin == PALATAL else self
            return plain.origin == PALATAL or (
                plain.origin in "TKS" and not (initial and plain.origin == "T"))
        return self.cls == other.cls and self.origin == other.origin

    def key_options(self, *, initial: bool) -> str:
        """The index letters this unit may stand for (a palatal: t, k or s; initial: k or s)."""
        if self.keys:
            return self.keys
        if self.origin == PALATAL:
            return "SCK" if initial else "SCKDT"
        return self.cls


Sound = tuple[Unit, ...]

_LATIN_CLASSES = {"dzh": "S", "tsh": "S", "sch": "S", "sh": "S", "zh": "S", "ch": "S", "ts": "S",
                  "tz": "S", "ph": "P", "ck": "K", "b": "P", "p": "P", "f": "P", "v": "P",
                  "w": "P", "t": "T", "d": "T", "k": "K", "g": "K", "c": "K", "q": "K", "s": "S",
                  "z": "S", "l": "L", "r": "L", "m": "N", "n": "N", "x": "S", "h": ""}
_LATIN_CONSONANT = re.compile(
    r"(dzh|tsh|sch|sh|zh|ch|ts|tz|ph|ck|[bpfvwtdkgcqszlrmnxh])([aeiouy]?)")
_LATIN_KEYS = {"b": "B", "f": "F", "v": "F", "w": "F", "ph": "F", "g": "G", "d": "D",
               "sh": "C", "sch": "C", "zh": "C", "ch": "C", "dzh": "C", "tsh": "C"}
"""Index letters finer than the class (p, k, t, s and the rest keep the class letter)."""


def _unit(cls: str, next_vowel: str) -> Unit:
    """A consonant of class ``cls`` before ``next_vowel`` ('' if none): palatalised before i."""
    if next_vowel == "i" and cls in "TKS":
        return Unit("S", cls)
    return Unit(cls, cls)


_LATIN_UNITS = {
    letters: (plain := Unit(cls, cls, _LATIN_KEYS.get(letters, "")),
              Unit("S", cls) if cls in "TKS" else plain)
    for letters, cls in _LATIN_CLASSES.items() if cls}
"""Per consonant letters, the unit before another vowel and before i (palatalised t, k, s)."""
_LATIN_PALATAL_H = Unit("S", PALATAL, "S")


@lru_cache(maxsize=131072)
def latin_sound(token: str) -> Sound:
    """Sound units of one folded Latin token (`name_key` tokens: "merkel", "vladimir").

    Dropped: h (except before i: Hillary → 希拉里 xi, ヒラリー hi), an l/r not followed
    by a vowel (a syllable coda), and g after n when no vowel follows (-ng is one
    nasal). Cached like `name_key.fold_token`: given names recur across most names.
    """
    units: list[Unit] = []
    for letters, vowel in _LATIN_CONSONANT.findall(token):
        cls = _LATIN_CLASSES[letters]
        if not cls:
            if vowel in ("i", "y"):
                units.append(_LATIN_PALATAL_H)
            continue
        if not vowel and (cls == "L" or letters == "g" and units and units[-1].cls == "N"):
            continue
        if letters == "x":
            units.append(_LATIN_UNITS["k"][0])
        if not (cls == "N" and units and units[-1].cls == "N"):
            units.append(_LATIN_UNITS[letters][vowel in ("i", "y")])
    return tuple(units)


@lru_cache(maxsize=131072)
def _latin_keys(token: str) -> str:
    return "".join(unit.key_options(initial=False) for unit in latin_sound(token))


def latin_sound_key(tokens: tuple[str, ...]) -> str:
    """The index key of a Latin name's reading: its units' keys joined (see `sound_keys`).

    Every Latin unit has one key letter (h before i, its only palatal, is s: 希 xi).
    """
    return "~" + "".join(_latin_keys(token) for token in tokens)


def _append(units: list[Unit], unit: Unit) -> None:
    """Append ``unit``, except a nasal after a nasal: a Chinese syllable's -n/-ng before
    a syllable opening with n or m is one Latin n (安东尼 an-dong-ni, Antony)."""
    if not (units and unit.cls == "N" and units[-1].cls == "N"):
        units.append(unit)


_PINYIN_INITIALS = (("zh", "S"), ("ch", "S"), ("sh", "S"), ("b", "P"), ("p", "P"), ("f", "P"),
                    ("m", "N"), ("n", "N"), ("d", "T"), ("t", "T"), ("l", "L"), ("r", "L"),
                    ("g", "K"), ("k", "K"), ("h", ""), ("j", PALATAL), ("q", PALATAL),
                    ("x", PALATAL), ("z", "S"), ("c", "S"), ("s", "S"), ("y", ""), ("w", "P"))
_PINYIN_KEYS = {"b": "BP", "f": "F", "w": "F", "g": "GK", "k": "KG", "d": "DT", "t": "TD",
                "sh": "CS", "zh": "C", "ch": "C"}
"""Latin letters a pinyin initial renders, where finer than its class (b also p: 保罗, Paul;
g and k both: 尼古拉斯, Nicolás; t and d both: 克林顿, Clinton; sh also s)."""


def pinyin_sound(syllables: list[str]) -> Sound:
    """Sound units of one transliterated word from its pinyin syllables (["mo", "ke", "er"]).

    Dropped: 尔 (er), the zero initials y and w before u (乌 wu is the vowel u), h.
    """
    units: list[Unit] = []
    for syllable in syllables:
        if syllable in ("er", "wu"):
            continue
        initial, cls = next(((p, c) for p, c in _PINYIN_INITIALS if syllable.startswith(p)),
                            ("", ""))
        rest = syllable[len(initial):]
        if cls == PALATAL:
            _append(units, Unit("S", PALATAL))
        elif cls:
            unit = _unit(cls, rest[:1])
            _append(units, unit._replace(keys=_PINYIN_KEYS.get(initial, "")) if
                    unit.origin == unit.cls else unit)
        if rest.endswith(("n", "ng")):
            _append(units, Unit("N", "N"))
    return tuple(units)


_KANA_CODA_RU = re.compile(r"(?<=.)ru(?=[^aeiouy]|$)")
_KANA_CLUSTER_TORU = re.compile(r"([td])oru(?=[^aeiouy])")
_KANA_INITIAL_U = re.compile(r"^u(?=r)")


def kana_sounds(token: str) -> list[Sound]:
    """Sound units of one katakana word from its reading ("urajiimiru" for ウラジーミル).

    ル before another consonant or at the end (not at the start: ルカシェンコ) is a Latin
    l/r coda and is dropped, and トル / ドル there is also read as the cluster tr / dr
    (トルドー, Trudeau: the o is the vowel Japanese puts after t and d); the
    Hepburn "ji" and "chi" are palatal (they render di, gi and ti); a word-initial ウ
    before r is also read as v (ウラジーミル, Vladimir; ウロツワフ, Wrocław).
    """
    readings = [token]
    if _KANA_INITIAL_U.match(token):
        readings.append("v" + token)
    if "fu" in token:  # フ writes h before u as well as f (ネタニヤフ, Netanyahu)
        readings += [r.replace("fu", "hu") for r in readings]
    if _KANA_CLUSTER_TORU.search(token):  # トル, ドル: also the cluster tr, dr (Trudeau)
        readings += [_KANA_CLUSTER_TORU.sub(r"\1ra", r) for r in readings]  # ra: not a coda
    out = []
    for reading in readings:
        reading = _KANA_CODA_RU.sub("", re.sub(r"([bcdfghjkmprstvwz])\1", r"\1", reading))
        reading = re.sub(r"ch|j|(?<![cs])hi", "J", reading)
        units: list[Unit] = []
        for part in re.split(r"(J)", reading):
            if part == "J":
                _append(units, Unit("S", PALATAL))
            elif part:
                for unit in latin_sound(part + "a"):  # the vowel keeps a final l/r (ル dropped)
                    _append(units, unit._replace(keys="BF") if unit.keys == "B" else unit)
        out.append(tuple(units))
    return list(dict.fromkeys(out))


_HANGUL_EPENTHETIC_EU = re.compile(r"(?<=[^aeiouy])eu(?=[^aeiouy]|$)")
_HANGUL_GLIDE_W = re.compile(r"(?<=[^aeiouy])w(?=[aeiouy])")


def hangul_sounds(word: str) -> Sound:
    """Sound units of one word of a foreign name in Hangul, from its Revised Romanization.

    Korean writes a foreign name by ear like katakana: a consonant cluster or a final
    consonant gets the vowel eu (메르켈 me-reu-kel, Merkel; 머스크 meo-seu-keu, Musk),
    dropped here; a w glide after a consonant renders a front rounded vowel (에마뉘엘
    e-ma-nwi-el, Emmanuel), dropped too; ㅈ (j) is an affricate, dzh. The rest are
    Latin letters (`latin_sound`), indexed by each letter they render (`_HANGUL_KEYS`).
    """
    spelled = _HANGUL_GLIDE_W.sub("", _HANGUL_EPENTHETIC_EU.sub("", word)).replace("j", "dzh")
    units = latin_sound(re.sub(r"([bcdfghjklmnpqrstvwz])\1", r"\1", spelled))
    return tuple(unit._replace(keys=_HANGUL_KEYS.get((unit.cls, unit.keys), unit.keys))
                 for unit in units)


_HANGUL_KEYS = {("P", "B"): "BF", ("P", ""): "PF", ("S", "C"): "CS", ("S", ""): "SC"}
"""Index letters a Hangul consonant stands for: Korean has no f, v or z (ㅂ writes b and v,
ㅍ p and f, ㅈ j and z, ㅅ s and sh)."""


_ASPIRATE_H = re.compile(r"(?<![scz])h")


def without_aspiration(token: str) -> str:
    """A token with its h dropped except in sh, ch, zh (Thai th, ph, kh and h are one class
    with t, p, k, or nothing: Abhisit / อภิสิทธิ์, Anutin / อนุทิน)."""
    return _ASPIRATE_H.sub("", token)


_THAI_KEYS = {"P": "PBF", "T": "TD", "K": "KG", "S": "SC"}
"""Index letters a Thai consonant may be written with in Latin (ป and พ are p, ph or f ...)."""


def thai_sound(word: str) -> Sound:
    """Sound units of one word of a Thai name's Latin spelling (`thai.thai_spellings`)."""
    units = latin_sound(without_aspiration(word))
    return tuple(unit if unit.origin == PALATAL else unit._replace(
        keys=_order_keys(unit.keys or unit.cls, _THAI_KEYS.get(unit.cls, ""))) for unit in units)


def _order_keys(own: str, options: str) -> str:
    return own + "".join(k for k in options if k not in own)


MAX_SOUND_KEYS = 24
"""Index keys of one CJK name at most (a palatal stands for s, c, k, d or t; Chinese b for b, p)."""


def sound_keys(words: tuple[Sound, ...]) -> set[str]:
    """The entity-index keys of a CJK name: each Latin spelling of its units' keys.

    A Latin name has one key (`latin_sound_key`); a CJK unit may stand for several
    letters (`Unit.key_options`), so 普京 finds Putin (t), 基尔 Keir (k) and 保罗 Paul
    (b for p); at most `MAX_SOUND_KEYS`, those whose letters rank first in their
    options overall (a beam: a palatal's s before its c, k, d, t).
    """
    beam: list[tuple[int, str]] = [(0, "~")]
    for word in words:
        for position, unit in enumerate(word):
            options = unit.key_options(initial=position == 0)
            beam = sorted((rank + extra, key + letter) for rank, key in beam
                          for extra, letter in enumerate(options))[:MAX_SOUND_KEYS]
    return {key for _, key in beam} if len(beam[0][1]) > 1 else set()


def sounds_agree(left: Sound, right: Sound) -> bool:
    """Two words' units agree one by one (`Unit.agrees`)."""
    return len(left) == len(right) and all(
        a.agrees(b, initial=i == 0) for i, (a, b) in enumerate(zip(left, right, strict=True)))
