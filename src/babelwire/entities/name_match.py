"""The second check behind a loose key: do two names with the same skeleton name one person?

Why: `NameKey.skeletons` (consonants only, similar sounds merged) finds "Selenskyj"
for "Zelensky", but "Kim Jong-il" would be close to "Kim Jong-un" if vowels were all
that differed. A skeleton hit is therefore only a candidate; it is accepted when the
names align token by token, and how strictly depends on the scripts (`MatchMode`):

- **same script** (`STRICT`): same number of tokens (Han names compared as one
  string: "Xi Jinping" / 习近平); every given name equal in some reading or one vowel
  added (Aleksandr / Aleksander), since a substituted letter is another name (Maria /
  Mario); the surnames equal, or one edit apart when both have at least
  `MIN_FUZZY_CHARS` letters (Selenskyj / Zelensky).
- **across alphabets** (`TRANSCRIBED`: Cyrillic, Greek, Armenian, Georgian ... against Latin):
  a script that transcribes a foreign name by ear keeps its consonants but not its
  vowels (Кир Стармер is Keir Starmer, Энтони Блинкен Antony Blinken, Ολάφ Σολτς Olaf
  Scholz). Each token pair must have the same consonant skeleton, be at most
  `transcribed_edits` apart, and end alike (a final -e aside: Joe / Джо): a different
  last letter is a different name or gender (Maria / Mario, Zakharova / Zakharov).
- **vowel-poor scripts** (`SKELETAL`: Arabic, Hebrew, Devanagari, katakana against
  anything): only consonants are comparable, so every token's skeleton must be equal,
  with at least `MIN_SKELETAL_TOKENS` tokens and `MIN_SKELETAL_CHARS` consonants in all
  (one word: `MIN_SINGLE_WORD_CHARS`; words joined differently: `MIN_MERGED_CHARS`).
  Hangul names (surname syllable first, no spaces) compare syllable by syllable, the
  surname by its usual Latin spellings (`romanise.KOREAN_SURNAMES`: 이 is Lee).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .cjk_match import align_cjk
from .name_key import NameKey, abjad_skeleton, skeleton_of
from .romanise import Script, kana_projection

MIN_FUZZY_CHARS = 5
"""Surnames shorter than this must match exactly: one edit in "Kim" or "Ban" is another name."""

MIN_SKELETAL_TOKENS = 2
"""A single word compared by consonants alone (حماس / Hamas) is too weak to merge on."""

MIN_SKELETAL_CHARS = 4
"""Fewer consonants than this in a whole name (Ali Amin: l, mn) match too many names."""

MIN_MERGED_CHARS = 6
"""Consonants a name needs when its words are split differently on the two sides."""

MIN_SINGLE_WORD_CHARS = 4
"""Consonants a one-word name needs to match by skeleton alone (Knesset yes, Hamas no)."""


class MatchMode(StrEnum):
    """How strictly two names are aligned, chosen from their scripts."""

    STRICT = "strict"
    TRANSCRIBED = "transcribed"
    LATIN_TRANSCRIBED = "latin-transcribed"
    SKELETAL = "skeletal"
    KOREAN = "korean"
    JAPANESE_READING = "japanese-reading"
    HAN_SOUNDS = "han-sounds"
    KANA_SOUNDS = "kana-sounds"
    HANGUL_SOUNDS = "hangul-sounds"
    THAI_SOUNDS = "thai-sounds"


_TRANSCRIBING = frozenset({Script.CYRILLIC, Script.GREEK, Script.OTHER})
_CJK = frozenset({Script.HAN, Script.KANA, Script.HANGUL, Script.THAI})
_SKELETAL = frozenset({Script.ARABIC, Script.HEBREW, Script.INDIC, Script.KANA})
_ALPHABETS = frozenset({Script.LATIN, Script.CYRILLIC, Script.GREEK})
"""Scripts whose readings `cjk_match` compares with a Chinese or katakana name (Сергей
Лавров / 谢尔盖·拉夫罗夫 by sound, Синдзо Абэ / 安倍晋三 by Japanese reading)."""


@dataclass(frozen=True, slots=True)
class NameAlignment:
    """A passed check: which reading pair aligned, how far the surnames were apart, the mode."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    surname_edits: int
    mode: MatchMode = MatchMode.STRICT

    def describe(self) -> str:
        """Evidence text for `Link.evidence`."""
        return (f"tokens {' '.join(self.left)!r} ~ {' '.join(self.right)!r},"
                f" surname edits {self.surname_edits}, {self.mode} match")


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, capped: returns ``limit + 1`` as soon as it is known to exceed it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def match_mode(left: NameKey, right: NameKey) -> MatchMode:
    """The alignment mode for two names (see the module docstring)."""
    scripts = {left.script, right.script}
    if Script.HANGUL in scripts:
        return MatchMode.KOREAN
    if scripts & _SKELETAL:
        return MatchMode.SKELETAL
    if len(scripts) > 1 and scripts & _TRANSCRIBING:
        return MatchMode.TRANSCRIBED
    return MatchMode.STRICT


def align_names(left: NameKey, right: NameKey) -> NameAlignment | None:
    """Return how ``left`` and ``right`` align as one name, or None if they do not.

    A name in Chinese characters or katakana that its script's mode does not align
    with a Latin, Cyrillic or Greek name is then read as Japanese or compared by sound
    (`cjk_match`).
    """
    if is_gendered_pair(left, right):
        return None
    found = _align_by_script(left, right)
    if found is None and {left.script, right.script} & _CJK and _ALPHABETS & {
            left.script, right.script}:
        cjk = align_cjk(left, right)
        if cjk is not None:
            found = NameAlignment(left=cjk.left, right=cjk.right, surname_edits=0,
                                  mode=MatchMode(cjk.mode))
    return found


GENDERED_SURNAME_ENDINGS = (("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("ska", "ski"),
                            ("cka", "cki"), ("zka", "zki"), ("aia", "i"), ("aa", "i"))
"""(woman's, man's) surname endings of Slavic languages, as they read in a name key
(Иванова / Иванов, Kowalska / Kowalski, Навальная / Навальный)."""


def is_gendered_pair(left: NameKey, right: NameKey) -> bool:
    """Whether the two surnames are one family's woman's and man's forms (Иванова / Иванов).

    Why: the two forms differ by a letter or two, which the fuzzy check forgives, yet
    they name a wife and her husband (Зеленська / Зеленський, Kowalska / Kowalski: dev6).
    Any pair of readings whose last words are such forms of one stem counts.
    """
    if not any(r and r[-1].endswith(_FEMININE_ENDINGS) for r in (*left.readings, *right.readings)):
        return False  # no surname has a woman's ending: the pairs below cannot match
    lasts = {(a[-1], b[-1]) for a in left.readings if a for b in right.readings if b}
    endings: tuple[tuple[str, str], ...] = GENDERED_SURNAME_ENDINGS
    if all(len(r) == 1 for r in (*left.readings, *right.readings)):
        endings += BARE_SURNAME_ENDINGS
    return any(_gendered(a, b, endings) or _gendered(b, a, endings) for a, b in lasts)


BARE_SURNAME_ENDINGS = (("ova", ""),)
"""The Czech and Slovak -ová added to any surname: a wife's bare surname (Babišová / Babiš,
dev6). With given names it is also how Czech writes a foreign woman (Angela Merkelová), so
it counts only between two bare surnames."""

_FEMININE_ENDINGS = tuple(sorted({woman for woman, _ in (*GENDERED_SURNAME_ENDINGS,
                                                         *BARE_SURNAME_ENDINGS)}))
"""Every woman's ending above. Why: `is_gendered_pair` runs on every fuzzy candidate, and a
pair can only be gendered if one surname ends so; one `str.endswith` rules most pairs out."""


def _gendered(woman: str, man: str, endings: tuple[tuple[str, str], ...]) -> bool:
    for feminine, masculine in endings:
        if (woman.endswith(feminine) and man.endswith(masculine)
                and len(woman) - len(feminine) >= 3
                and woman[: len(woman) - len(feminine)] == man[: len(man) - len(masculine)]):
            return True
    return False


def _align_by_script(left: NameKey, right: NameKey) -> NameAlignment | None:
    mode = match_mode(left, right)
    if mode == MatchMode.SKELETAL:
        return _align_skeletal(left, right)
    if mode == MatchMode.KOREAN:
        return _align_korean(left, right)
    if mode == MatchMode.TRANSCRIBED:
        return _align_transcribed(left, right)
    best: NameAlignment | None = None
    for a in left.readings:
        for b in right.readings:
            found = _align_tokens(a, b)
            if found is not None and (best is None or found.surname_edits < best.surname_edits):
                best = found
    if best is None and left.script == right.script == Script.LATIN and \
            left.lang and right.lang and left.lang != right.lang:
        best = _align_latin_transcribed(left, right)
    return best


def _same_onset(x: str, y: str) -> bool:
    """First letters alike: both vowels, or one consonant class (Kaddafi / Gaddafi, Kasım /
    Qassem); and lengths at most one letter apart, since a whole added syllable is another
    name (Qiang / Keqiang)."""
    if abs(len(x) - len(y)) > 1:
        return False
    if x[:1] in "aeiou" or y[:1] in "aeiou":
        return x[:1] in "aeiou" and y[:1] in "aeiou"
    return skeleton_of(x[:1]) == skeleton_of(y[:1])


MIN_TRANSCRIBED_CHARS = 4
"""Shortest word compared as a Latin transcription: shorter ones are acronyms or particles."""


def _align_latin_transcribed(left: NameKey, right: NameKey) -> NameAlignment | None:
    """Two Latin spellings of one foreign name, each language writing it by ear.

    Only between two languages: within one, a changed vowel is another person
    (synthetic names one vowel apart merged by the hundred in `bench entities`), so the
    strict check stands. Turkish, German, Polish and English press transcribe an Arabic,
    Persian or African name each in its own way (Halife Hafter / Khalifa Haftar,
    İbrahim Reisi / Ebrahim Raisi): the consonants survive, the vowels do not. The
    tokens are checked as across alphabets (`_transcribed_token`: same skeleton, same
    ending, few edits), and every word must also begin alike (`_same_onset`). Whole
    readings are compared, not a token-wise mix of them as across alphabets: a
    Hungarian name's second reading is in the other order (Péter Magyar / Magyar Péter).
    """
    best: NameAlignment | None = None
    for a in left.readings:
        for b in right.readings:
            if len(a) != len(b) or not a or min(map(len, (*a, *b))) < MIN_TRANSCRIBED_CHARS:
                continue  # short words are acronyms or particles, not names heard (GM / CMS)
            surname_edits = _transcribed_pair_edits(a, b)
            if surname_edits is None:
                continue
            if best is None or surname_edits < best.surname_edits:
                best = NameAlignment(left=a, right=b, surname_edits=surname_edits,
                                     mode=MatchMode.LATIN_TRANSCRIBED)
    return best


def _transcribed_pair_edits(a: tuple[str, ...], b: tuple[str, ...]) -> int | None:
    """The surname's edits if every word pair begins alike and transcribes, else None.

    Why a loop that stops at the first failing word, onset first: most stored candidates
    fail on their first word, and `_same_onset` costs a fraction of `_transcribed_token`
    (both are pure, so the order does not change the answer).
    """
    edits: int | None = None
    for x, y in zip(a, b, strict=True):
        if not _same_onset(x, y):
            return None
        edits = _transcribed_token(x, y)
        if edits is None:
            return None
    return edits or 0


def _align_tokens(a: tuple[str, ...], b: tuple[str, ...]) -> NameAlignment | None:
    if not a or not b:
        return None
    if len(a) != len(b):
        return _han_split(a, b)
    if not all(x == y or _vowel_dropped(x, y) for x, y in zip(a[:-1], b[:-1], strict=True)):
        return None
    edits = edit_distance(a[-1], b[-1], limit=1)
    if edits == 0 or (edits == 1 and min(len(a[-1]), len(b[-1])) >= MIN_FUZZY_CHARS):
        return NameAlignment(left=a, right=b, surname_edits=edits)
    return None


_DOUBLED_RE = re.compile(r"([a-z])\1+")


def _han_split(a: tuple[str, ...], b: tuple[str, ...]) -> NameAlignment | None:
    """Only Han-style syllable splits may change the token count (Xi Jinping / Xi Jin Ping).

    Doubled letters are compared once: the folds merge them inside a word, so the Latin
    "Ziyang" is "ziang" while the syllables 紫 阳 are "zi" "iang" (赵紫阳, Zhao Ziyang).
    """
    joined_a, joined_b = "".join(a), "".join(b)
    if min(len(a), len(b)) >= 2 and (joined_a == joined_b or (
            joined_a[:1] == joined_b[:1] and abs(len(joined_a) - len(joined_b)) <= 2
            and _DOUBLED_RE.sub(r"\1", joined_a) == _DOUBLED_RE.sub(r"\1", joined_b))):
        return NameAlignment(left=a, right=b, surname_edits=0)
    return None


def transcribed_edits(x: str, y: str) -> int:
    """Edits allowed between two transcribed tokens: 1 up to four letters, else 2."""
    return 1 if max(len(x), len(y)) <= 4 else 2


def _transcribed_token(x: str, y: str) -> int | None:
    """Edits between two tokens if they may be one name transcribed by ear, else None."""
    if x == y:
        return 0
    x, y = _FINAL_VOWEL_H_RE.sub("a", x), _FINAL_VOWEL_H_RE.sub("a", y)
    x, y = _drop_final_e(x), _drop_final_e(y)
    if not _same_ending(x, y) or skeleton_of(x) != skeleton_of(y):
        return None
    limit = transcribed_edits(x, y)
    edits = edit_distance(x, y, limit=limit)
    return edits if edits <= limit else None


_FINAL_VOWEL_H_RE = re.compile(r"(?<=[a-z]{2})[ae]h\b")
"""A final -ah/-eh writes the Arabic and Persian feminine ending (or a silent h) that other
spellings write -a (Haniyeh / Хания, Nasrallah / Насралла, Abdullah / Абдулла)."""


def _same_ending(x: str, y: str) -> bool:
    """Last letters equal, or both consonants ending the skeleton alike.

    Trump / Τραμπ "tramb" (p, b), Bush / Μπους "bus" (the h of sh is no letter of its own).
    """
    a, b = x[-1:], y[-1:]
    if a == b:
        return True
    return a not in "aeiou" and b not in "aeiou" and skeleton_of(x)[-1:] == skeleton_of(y)[-1:]


def _drop_final_e(token: str) -> str:
    return token[:-1] if len(token) > 2 and token.endswith("e") else token


def _align_transcribed(left: NameKey, right: NameKey) -> NameAlignment | None:
    """Token by token, each position taking the best of the readings of that length.

    A name mixes conventions (Jean-Claude Juncker: a French given name, a German
    surname), so each token may match in a different reading of the same key.
    """
    best: NameAlignment | None = None
    for size in {len(r) for r in left.readings} & {len(r) for r in right.readings}:
        a_options = _positions(left, size)
        b_options = _positions(right, size)
        chosen: list[tuple[int, str, str]] = []
        for xs, ys in zip(a_options, b_options, strict=True):
            scored = [(e, x, y) for x in xs for y in ys
                      if (e := _transcribed_token(x, y)) is not None]
            if not scored:
                break
            chosen.append(min(scored))
        else:
            found = NameAlignment(left=tuple(c[1] for c in chosen),
                                  right=tuple(c[2] for c in chosen),
                                  surname_edits=chosen[-1][0], mode=MatchMode.TRANSCRIBED)
            if best is None or found.surname_edits < best.surname_edits:
                best = found
    if best is None:
        for a in left.readings:
            for b in right.readings:
                split = _han_split(a, b)
                if split is not None:
                    return split
    return best


def _positions(key: NameKey, size: int) -> list[list[str]]:
    """For each token position, the distinct tokens of the readings with ``size`` tokens."""
    readings = [r for r in key.readings if len(r) == size]
    return [list(dict.fromkeys(r[i] for r in readings)) for i in range(size)]


_ARTICLES = frozenset({"al", "el", "ul"})
"""The Arabic article written as its own Latin word (Bashar al-Assad); the Arabic-script
name writes it joined (الأسد), and `romanise.arabic_readings` also reads it without."""


_ABD_ARTICLE_RE = re.compile(r"^abd[aeiou]l$")
"""Abdel, Abdul, Abdol: "servant of" with the article of the next word fused to it (عبد الفتاح
is Abdel Fattah), compared as abd + the article, which is dropped like `_ARTICLES`."""


def _align_skeletal(left: NameKey, right: NameKey) -> NameAlignment | None:
    kana = Script.KANA in (left.script, right.script)
    for a in left.readings:
        for b in right.readings:
            if _skeletal_match(left, a, right, b, kana):
                return NameAlignment(left=a, right=b, surname_edits=0, mode=MatchMode.SKELETAL)
    return None


def _skeletal_match(left: NameKey, a: tuple[str, ...], right: NameKey, b: tuple[str, ...],
                    kana: bool) -> bool:
    """Token skeletons equal one by one, or a compound written as one word on one side.

    "Hassan Nasrallah" / حسن نصر الله and "Amir-Abdollahian" / امیرعبداللهیان split a name
    differently: up to three consecutive tokens of one side may match one token of the
    other, then the whole name needs `MIN_MERGED_CHARS` consonants. A single word on
    both sides needs `MIN_SINGLE_WORD_CHARS` (Knesset / כנסת; not Hamas / حماس).
    """
    sa, sb = _skeletons_for(left, a, kana), _skeletons_for(right, b, kana)
    if len(sa) == len(sb) and all(x & y for x, y in zip(sa, sb, strict=True)):
        consonants = sum(min(len(s) for s in x & y) for x, y in zip(sa, sb, strict=True))
        needed = MIN_SKELETAL_CHARS if len(sa) >= MIN_SKELETAL_TOKENS else MIN_SINGLE_WORD_CHARS
        return consonants >= needed and _repeats_agree(left, a, right, b)
    if min(len(a), len(b)) < 2 or max(len(a), len(b)) < 3:
        return False
    merged = _merged_consonants(left, a, right, b, kana)
    return merged is not None and merged >= MIN_MERGED_CHARS


def _repeats_agree(left: NameKey, a: tuple[str, ...], right: NameKey, b: tuple[str, ...]) -> bool:
    """An abjad name's tokens keep their repeated consonants against the other side's.

    Dropping h and vowels makes محمد (m-h-m-d) and Ahmad both "md"; an abjad writes
    every consonant once, so a consonant met twice across a vowel or h is two
    consonants (Muhammad, Mahmoud: "mmd"), only a doubled letter is one (Abbas). Only
    the abjad side's repeats are required: its reading may have lost one the other
    side keeps (معمر is read "mr" once the folds merge m-ʿ-m; Muammar is "mmr").
    """
    if left.is_abjad == right.is_abjad:
        return True
    abjad, other = (left, a), (right, b)
    if not left.is_abjad:
        abjad, other = other, abjad
    key, tokens = abjad
    strict = [{abjad_skeleton((t,), hebrew=key.is_hebrew, keep_waw=keep, across_vowels=False)
               for keep in (False, True)} for t in tokens]
    words = tuple(_ABD_ARTICLE_RE.sub("abd", t) for t in other[1] if t not in _ARTICLES) \
        or other[1]
    if len(words) != len(strict):
        return True
    return all(skeleton_of(w, across_vowels=False) in options or skeleton_of(w) in options
               for w, options in zip(words, strict, strict=True))


def _merged_consonants(left: NameKey, a: tuple[str, ...], right: NameKey, b: tuple[str, ...],
                       kana: bool) -> int | None:
    """Consonants matched when runs of up to three tokens may join, or None if no alignment."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        for wa, wb in ((1, 1), (2, 1), (1, 2), (3, 1), (1, 3)):
            if i + wa > len(a) or j + wb > len(b):
                continue
            xa = _skeletons_for(left, ("".join(a[i:i + wa]),), kana)[0]
            xb = _skeletons_for(right, ("".join(b[j:j + wb]),), kana)[0]
            if xa & xb:
                total += min(len(s) for s in xa & xb)
                i, j = i + wa, j + wb
                break
        else:
            return None
    return total if i == len(a) and j == len(b) else None


def _skeletons_for(key: NameKey, reading: tuple[str, ...], kana: bool) -> list[set[str]]:
    """Per-token skeleton options; Latin names compared with katakana are spelled as kana would.

    An Arabic-script token has two options, waw read as a vowel or as w (محمود, Mahmoud;
    السنوار, Sinwar).
    """
    if key.is_abjad:
        return [{abjad_skeleton((t,), hebrew=key.is_hebrew, keep_waw=keep)
                 for keep in (False, True)} for t in reading]
    reading = tuple(_ABD_ARTICLE_RE.sub("abd", t) for t in reading if t not in _ARTICLES) \
        or reading
    if kana and key.script != Script.KANA:
        reading = tuple(kana_projection(t) for t in reading)
    skeletons = [skeleton_of(t) for t in reading]
    return [{s.replace("l", "r")} if kana else {s} for s in skeletons]


def _align_korean(left: NameKey, right: NameKey) -> NameAlignment | None:
    """A Hangul name against another: surname by its usual spellings, then the given name.

    The Hangul key's readings carry the usual Latin spellings of its surname (see
    `romanise.hangul_readings`), so the surname must be equal in some reading. The
    given name's syllables must have equal skeletons one by one ("Jong-un" / 정은), or,
    when the Latin name writes them as one word, as a whole.
    """
    hangul, other = (left, right) if left.script == Script.HANGUL else (right, left)
    if other.script == Script.HANGUL:
        return _align_tokens(left.tokens, right.tokens)
    for h in hangul.readings:
        for r in other.readings:
            if len(r) < 2 or len(h) < 2 or r[0] != h[0]:
                continue
            if len(r) == len(h):
                same = all(skeleton_of(x) == skeleton_of(y)
                           for x, y in zip(r[1:], h[1:], strict=True))
            else:
                joined = skeleton_of("".join(h[1:]))
                same = len(joined) >= 2 and skeleton_of("".join(r[1:])) == joined
            if same:
                return NameAlignment(left=h, right=r, surname_edits=0, mode=MatchMode.KOREAN)
    return None


def _vowel_dropped(x: str, y: str) -> bool:
    """True when one given name is the other with one vowel left out (Aleksandr / Aleksander).

    Transliterations drop or add a vowel; a substituted letter is another name
    (Maria / Mario, Gabriela / Gabriele), so only an insertion is accepted, and only
    in names of at least `MIN_FUZZY_CHARS` letters.
    """
    short, long_ = sorted((x, y), key=len)
    if len(long_) != len(short) + 1 or len(short) < MIN_FUZZY_CHARS - 1:
        return False
    return any(long_[i] in "aeiou" and long_[:i] + long_[i + 1:] == short
               for i in range(len(long_)))
