"""The checks behind a Chinese-character or katakana name and a Latin one: reading or sound.

Why apart from `name_match`'s script modes: these compare through readings that the
name key computed (`NameKey.japanese`, `NameKey.sounds`) rather than through tokens,
and each guards against its own false friends:

- **Japanese reading** (岸田文雄 / Fumio Kishida): the Latin name, romanised as
  Japanese names are (`han_names.normal_romaji`), equals a (family, given) reading of
  the kanji name in either order, both parts. Exact: two readings of one kanji name
  are many, two people with one reading are namesakes.
- **Sounds** (安格拉·默克尔 / Angela Merkel, ウラジーミル・プーチン / Vladimir Putin): word by
  word, the `sound_classes` units agree. Only for a Han name written with
  transliteration characters, and never against a Latin name that is itself pinyin
  ("Ma Kai" is 马凯, compared by pinyin only); at least `MIN_SOUND_UNITS` units in
  the name (`MIN_SINGLE_WORD_UNITS` for one word), because classes are coarse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .han_names import normal_romaji, polivanov_romaji
from .name_key import NameKey
from .romanise import Script
from .sound_classes import PALATAL, Sound, latin_sound, sounds_agree, without_aspiration

_CJK = frozenset({Script.HAN, Script.KANA, Script.HANGUL, Script.THAI})

MIN_SOUND_UNITS = 4
"""Units a name of several words needs to match by sound (Olaf Scholz: L P | S S)."""

MIN_SINGLE_WORD_UNITS = 3
"""Units a one-word name needs (特朗普 / Trump: T L N P); two (Mark, 马克) match too many."""

_PINYIN_SYLLABLE = "|".join((
    "[jqx](?:iang|iong|ian|iao|ing|ia|ie|iu|in|i|uan|ue|un|u)",
    "(?:zh|ch|sh|[zcsr])(?:uang|uai|uan|ang|eng|ong|ai|ei|ao|ou|an|en|ua|uo|ui|un|a|e|i|u)",
    "[bpmfdtnlgkh](?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|ia|ie|iu"
    "|in|ua|uo|ui|un|ue|a|o|e|i|u)",
    "[ln]v", "y(?:uan|ang|ong|ing|ao|ou|an|in|ue|un|a|e|i|o|u)", "w(?:ang|eng|ai|ei|an|en|a|o|u)",
    "(?:ang|eng|ai|ei|ao|ou|an|en|er|a|o|e)"))
_PINYIN_WORD = re.compile(f"(?:{_PINYIN_SYLLABLE})+")
"""A word spelled in pinyin syllables (initials with the finals they take)."""


@dataclass(frozen=True, slots=True)
class CjkAlignment:
    """A passed check: the compared forms of each side and the mode's name."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    mode: str


def align_cjk(left: NameKey, right: NameKey) -> CjkAlignment | None:
    """Align a Han or katakana name with a Latin (Cyrillic, Greek) one by Japanese reading or sound.

    The other side's readings are Latin spellings already (`romanise`); a Cyrillic name is
    read by the Polivanov system for the Japanese reading (`polivanov_romaji`).
    """
    flipped = left.script not in _CJK
    cjk, latin = (right, left) if flipped else (left, right)
    found = _japanese_reading(cjk, latin) or _by_sound(cjk, latin)
    if found is None or not flipped:
        return found
    return CjkAlignment(left=found.right, right=found.left, mode=found.mode)


def _japanese_reading(kanji: NameKey, latin: NameKey) -> CjkAlignment | None:
    """Both parts of a reading of the kanji name, in either order, equal the Latin name."""
    if not kanji.japanese:
        return None
    spelled = polivanov_romaji(latin.latin) if latin.script == Script.CYRILLIC else latin.latin
    written = tuple(normal_romaji(spelled).split())
    if len(written) != 2:
        return None
    for family, given in kanji.japanese:
        if written in ((given, family), (family, given)):
            return CjkAlignment(left=(family, given), right=written, mode="japanese-reading")
    return None


def is_pinyin_name(key: NameKey) -> bool:
    """True when every word of a Latin name spells pinyin syllables (Xi Jinping, Li Qiang)."""
    words = key.latin.split()
    return bool(words) and all(_PINYIN_WORD.fullmatch(w.replace("u:", "v")) for w in words)


def _by_sound(cjk: NameKey, latin: NameKey) -> CjkAlignment | None:
    """Word-by-word sound agreement between the CJK name and some Latin reading."""
    if not cjk.sounds or (cjk.script == Script.HAN and is_pinyin_name(latin)):
        return None
    mode = {Script.HAN: "han-sounds", Script.HANGUL: "hangul-sounds",
            Script.THAI: "thai-sounds"}.get(cjk.script, "kana-sounds")
    thai = cjk.script == Script.THAI
    for words in cjk.sounds:
        for reading in latin.readings:
            grouped = _group_tail([latin_sound(without_aspiration(t) if thai else t)
                                   for t in reading], len(words))
            if grouped is not None and _words_agree(list(words), grouped):
                return CjkAlignment(left=tuple(_show(w) for w in words),
                                    right=tuple(_show(w) for w in grouped), mode=mode)
    return None


def _group_tail(sounds: list[Sound], size: int) -> list[Sound] | None:
    """The Latin words joined into ``size`` words, the extra ones into the last (von der Leyen)."""
    if len(sounds) == size:
        return sounds
    if len(sounds) < size or size < 2:
        return None
    tail: Sound = tuple(unit for word in sounds[size - 1:] for unit in word)
    return [*sounds[: size - 1], tail]


def _words_agree(cjk: list[Sound], latin: list[Sound]) -> bool:
    """Every word agrees, and the name has enough units to be told from others.

    A name of several words with `MIN_SOUND_UNITS` - 1 units passes only when none is
    a palatal (Bill Gates → 比尔·盖茨 P | K S; not Tim / 吉姆, where 吉 may be j, g or k).
    """
    if not all(word and sounds_agree(a, b) for a, b, word in zip(cjk, latin, cjk, strict=True)):
        return False
    units = sum(len(w) for w in cjk)
    if len(cjk) == 1:
        return units >= MIN_SINGLE_WORD_UNITS
    exact = not any(u.origin == PALATAL for word in (*cjk, *latin) for u in word)
    return units >= MIN_SOUND_UNITS or (exact and units == MIN_SOUND_UNITS - 1)


def _show(word: Sound) -> str:
    """A word's units as text for the evidence: classes, palatals marked (P L S* N)."""
    return "".join(u.cls + ("*" if u.origin == "*" else "") for u in word)
