"""Name keys: one spelling-independent form of a name, shared by entity linking and similarity.

Why: news in different languages writes one name in different scripts and with
different transliteration conventions. Михаил Мишустин is "Mikhail Mishustin" in
English, "Michail Mischustin" in German, "Michail Misjoestin" in Dutch and
"Mikhail Misjustin" in Norwegian. A key is built in three steps:

1. **Language conventions** (`LANGUAGE_RULES`), applied to a Latin-script mention's
   own spelling before anything else, rewrite a language's spelling of sounds into
   English-style digraphs: German ``sch`` → ``sh`` and ``ch`` → ``kh``, Dutch ``oe`` →
   ``u``, Polish ``sz`` → ``sh`` and ``ie`` → ``e``, Italian ``gi`` → ``dzh``, Turkish
   ``c`` → ``dzh``, Czech ``c`` → ``ts``. They depend on the language: ``ch`` is /x/ in
   German and /tʃ/ in English. Letters that only one language uses (ğ ı: Turkish;
   ł ą ę ś: Polish; ř ů: Czech; ő ű: Hungarian) add that language's reading too.
2. **Script conventions** (`romanise`) for other scripts: Greek μπ/ντ/γκ are b/d/g and
   τζ is j, Ukrainian г is h, Bulgarian ъ is a vowel, Hebrew ג' is j, Hangul is split
   into syllables, katakana's small ョ joins its syllable. Then anyascii
   transliterates to ASCII, lower case, apostrophes (soft signs, hamza) dropped; Han
   runs come out as pinyin syllables ("XiJinPing"), which are split.
3. **Convention folding**, the same for every language: ``kh`` → ``h``, ``w`` → ``v``,
   ``j``/``y`` → ``i``, ``x`` → ``ks``, ``ph`` → ``f``, doubled letters single, and the
   adjectival endings -ij/-iy/-yi/-ii → -i.

The result is `NameKey.tokens`; `NameKey.compact` joins them without spaces (Han
names split into syllables, "Xi Jinping" and 习近平 give the same compact key). The
folding is lossy on purpose, so a match on the key alone is not proof: the
resolver only merges on an exact compact key, and uses `NameKey.skeletons` (vowels
dropped, similar consonants merged) only to find candidates that `name_match` then
checks. `word_key` is the same key for one word of running text (the similarity
evidence uses it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import combinations

from anyascii import anyascii

from . import given_names, han_names
from .czech_pinyin import czech_pinyin
from .korean_latin import korean_readings
from .romanise import (
    VOWEL_POOR_SCRIPTS,
    Script,
    arabic_readings,
    cyrillic_readings,
    greek_readings,
    hangul_readings,
    hebrew_readings,
    indic_readings,
    kana_readings,
    other_readings,
    script_of,
)
from .sound_classes import (
    Sound,
    hangul_sounds,
    kana_sounds,
    latin_sound_key,
    pinyin_sound,
    sound_keys,
    thai_sound,
)
from .thai import thai_spellings
from .wade_giles import wade_giles_pinyin

_SLAVIC_LATIN = (("š", "sh"), ("č", "ch"), ("ž", "zh"), ("ć", "ch"), ("ś", "sh"),
                 ("ź", "zh"), ("ż", "zh"), ("ř", "rzh"), ("ş", "sh"), ("ç", "ch"), ("đ", "dj"),
                 ("ș", "sh"), ("ț", "ts"), ("ţ", "ts"))
"""Letters that stand for digraphs; rewritten after the language rules (which may read the
plain letters, as Czech ``ch``) and before anyascii would drop their marks."""

_C = "bcdfghjklmnpqrstvwxzł"
LANGUAGE_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("dge", "dzh"), ("j", "dzh"), ("c(?=[eiy])", "s"), ("c(?!h)", "k"), ("ee", "i"),
           (f"(?<=[{_C}])own", "aun"), (r"a([bcdfgklmnpstvz])e(s?)\b", r"ei\1\2"),
           (r"i([bcdfgklmnpstvz])e(s?)\b", r"ai\1\2")),
    "de": (("dsch", "DZH"), ("tsch", "CH"), ("sch", "sh"), ("ch", "kh"), ("j", "y"), ("w", "V"),
           ("ei", "ai"), ("ä", "e")),
    "nl": (("tsj", "CH"), ("sj", "sh"), ("ch", "kh"), ("oe", "u"), ("j", "y"), ("w", "v")),
    "nb": (("tsj", "ch"), ("sj", "sh"), ("kj", "ch"), ("j", "y")),
    "nn": (("tsj", "ch"), ("sj", "sh"), ("kj", "ch"), ("j", "y")),
    "no": (("tsj", "ch"), ("sj", "sh"), ("kj", "ch"), ("j", "y")),
    "da": (("tj", "ch"), ("sj", "sh"), ("j", "y")),
    "sv": (("tj", "ch"), ("sj", "sh"), ("j", "y")),
    "fi": (("j", "y"),),
    "pl": (("ą", "on"), ("ę(?!\b)", "en"), ("ch", "kh"), ("szcz", "shch"), ("sz", "sh"),
           ("cz", "ch"), ("rz", "zh"),
           ("ci(?=[aeou])", "ch"), ("c(?!h)", "ts"), (f"(?<=[{_C}])ie", "e"), ("j", "y"),
           ("w", "v")),
    "cs": (("ch", "kh"), ("c", "ts"), ("j", "y")),
    "sk": (("ch", "kh"), ("c", "ts"), ("j", "y")),
    "sl": (("c", "ts"), ("j", "y")),
    "hr": (("c", "ts"), ("j", "y")),
    "sr": (("c", "ts"), ("j", "y")),
    "bs": (("c", "ts"), ("j", "y")),
    "fr": (("tch", "CH"), ("chr", "kr"), ("c(?=[eiy])", "s"), ("ch", "sh"), ("dj", "dzh"),
           ("j", "zh"), ("ou", "u"), ("eau", "o"), ("au", "o"), ("oi", "ua"), ("qu", "k"),
           ("gue", "ge"), ("gui", "gi")),
    "es": (("j", "kh"), ("gu(?=[eiéí])", "g"), ("qu", "k")),
    "pt": (("ch", "sh"), ("j", "zh"), ("lh", "ly"), ("nh", "ny"), ("gu(?=[eiéí])", "g"),
           ("qu", "k")),
    "ro": (("ch(?=[ei])", "K"), ("gh(?=[ei])", "G"), ("c(?=[ei])", "CH"), ("g(?=[ei])", "DZH"),
           ("j", "zh")),
    "lt": (("j", "y"),),
    "lv": (("c", "ts"), ("j", "y")),
    "et": (("j", "y"), ("õ", "y")),
    "it": (("ch", "k"), ("gh", "g"), ("sci(?=[aou])", "sh"), ("sc(?=[ei])", "sh"),
           ("ci(?=[aou])", "ch"), ("c(?=[ei])", "ch"), ("gi(?=[aou])", "dzh"),
           ("g(?=[ei])", "dzh"), ("gli", "li"), ("gn", "ny")),
    "tr": (("c", "dzh"), ("ı", "i")),
    "hu": (("cs", "CH"), ("zs", "ZH"), ("gy", "D"), ("ty", "T"), ("sz", "S"), ("s", "SH"),
           ("c", "TS"), ("j", "y")),
    "id": (("j", "dzh"), ("c", "ch"), ("sy", "sh")),
    "vi": (("đ", "D"), ("tr", "CH"), ("gi", "Z"), ("d", "z"), ("x", "s"), ("nh\\b", "n")),
    "ms": (("j", "dzh"), ("c", "ch"), ("sy", "sh")),
}
"""Per-language rewrites (regular expressions) of that language's spelling, in order.

English spelling is read as it sounds where the rule is safe (James → dzheims, Mike →
maik, Brown → braun, Reeves → rivs: Джеймс, Майк, Браун, Ривз). A target in capitals is
final: later rules of the language do not rewrite it (German ``tsch`` → ``CH`` must not
become ``kh`` by the next rule: Tschechow is Chekhov), and it is lower-cased after all
rules and variants. Hungarian writes s for sh and sz for s, gy and ty for soft d and t
(Vlagyimir Putyin, Misusztyin); Vietnamese tr is ch, d and gi z, đ d, x s, final nh n
(Nguyễn Phú Trọng / Нгуен Фу Чонг, Võ Nguyên Giáp / Во Нгуен Зиап); Indonesian j is dzh
(Joko Widodo / Джоко Видодо);
Romanian ghe/chi are ge/ki (Serghei Lavrov) and ce/gi che/dzhi; Latvian spells names as
they sound (c is ts), Lithuanian keeps a foreign spelling and adds an ending
(`LANGUAGE_ENDINGS`); Spanish and Portuguese gue/gui are ge/gi (Serguéi)."""

LANGUAGE_VARIANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("g(?=[eiy])", "dzh"), ("eo", "o"), ("au", "o")),
    "fr": ((r"(?<=[a-z]{2})(?:es|e|s|x|t|d)\b", ""),),
    "de": (("c(?=[eiy])", "s"), (r"\bv", "f"), (r"\bs(?=[aeiouäöü])", "z")),
    "tr": (("ğ", ""),),
    "vi": (("ch", "sh"),),
}
"""Rules that hold for many names but not all, applied after `LANGUAGE_RULES` to give one more
reading: English g before e/i is often dzh (George, Gerald; not Gibson), French final
consonants are mostly silent (Jacques → Жак, Édouard → Эдуар; not Chirac's c), German c
before e/i in borrowed names is s (Alice → Алис), a German initial v is f (Volker →
Фолькер; not Vitali Klitschko) and an initial s before a vowel is z (Sacharowa →
Захарова; not Sergej or Solschenizyn): both readings are kept. Turkish ğ is silent
(Erdoğan is said "Erdoan", 埃尔多安), though Latin news writes it g. Vietnamese ch is
written ш in the older Russian usage (Hồ Chí Minh, Хо Ши Мин), ть in the newer."""

_LANGUAGE_LETTERS = (("ğı", "tr"), ("łąęśźżń", "pl"), ("řůě", "cs"), ("őű", "hu"),
                     ("øæ", "nb"), ("đ", "hr"))
"""Letters that only one language of the rule set writes: a name with them gets that
language's reading too (a German article writes Erdoğan with the Turkish c)."""

LANGUAGE_ENDINGS: dict[str, tuple[tuple[tuple[str, str], ...], ...]] = {
    "lt": (((r"(?<=[a-z]{2})(?:as|us|is)\b", ""),),
           ((r"(?<=[a-z]{2})(?:as|us)\b", ""), (r"(?<=[a-z]{2}[iy])s\b", ""))),
    "lv": (((r"(?<=[a-z]{2}[^aeiou\s])s\b", ""), (r"(?<=[a-z]{3})(?:is)\b", "i")),
           ((r"(?<=[a-z]{2})(?:s|š)\b", ""),)),
    "cs": (((r"(?<=[a-z]{2})(ov|ev|in)ová\b", r"\1a"), (r"(?<=[a-z]{3})ová\b", "")),
           ((r"(?<=[a-z]{2}[^aeiou\s])ová\b", "a"),),
           ((r"(?<=[a-z]{3}[^aeiouwváéíóúý\s])(?:a|ovi|em)\b", ""),)),
    "sk": (((r"(?<=[a-z]{2})(ov|ev|in)ová\b", r"\1a"), (r"(?<=[a-z]{3})ová\b", "")),
           ((r"(?<=[^\W\d_]{3})ovej\b", "ová"),)),
    "pl": (((r"(?<=[a-z]{2})ego\b", "e"), (r"(?<=[a-z]{2}[^aeiouwvy\s])a\b", ""),
            (r"(?<=[a-z]{2}[^aeiouwvyk\s])[yi]\b", "a"), (r"(?<=[^\W\d_]{2}[scz]k)iej\b", "a")),
           ((r"(?<=[^\W\d_]{2}[^aeiouwvy\W])i?em\b", ""),
            (r"(?<=[^\W\d_]{2}[^aeiouwvy\W])im\b", "i"), (r"(?<=[^\W\d_]{2})ą\b", "a"))),
    "fi": (((r"(?<=[a-z]{3}[^aeiou\s])in\b", ""), (r"(?<=[a-z]{2}[aeiou])n\b", "")),),
    "hu": (((r"(?<=[a-z]{3})(?:nak|nek|ról|ről|ra|re|ban|ben|hoz|hez|tól|től)\b", ""),
            (r"(?<=[a-z]{2})([bcdfghjklmnprstvz])\1(?:al|el)\b", r"\1")),
           ((r"(?<=[a-z]{2}[aeiouáéíóúöőüű])(?:val|vel)\b", ""),)),
    "tr": (((r"['\u2019][a-zçğıöşü]{1,5}\b", ""),),),
    "ro": (((r"(?<=[a-z]{2})ei\b(?=\s)", "a"),),),
}
"""Case and gender endings that a language adds to foreign names, each set one more reading.

Lithuanian and Latvian give every man's name a nominative ending (Vladimiras Putinas,
Vladimirs Putins; Emmanuelis Macronas, but Zelenskis is Zelensky + s, so Lithuanian has
two readings); Czech and Slovak add -ová to a woman's surname (Merkelová, and
Zacharovová for Zakharova). Case endings, one reading with them dropped: Czech genitive,
dative and instrumental (Emmanuela Macrona, Orbánovi, Macronem), Polish genitive on every
word (Nelsona Mandeli, Narendry Modiego, Friedricha Merza: -a dropped, -y/-i back to -a,
-ego to -e, which the fold of final -ie keeps for Modi), Finnish genitive (Xi Jinpingin,
Macronin), Hungarian case suffixes and the -val/-vel that doubles the name's last consonant
(Orbán Viktornak, Macronnal, Putyinnal; after a vowel -val/-vel stays whole: Modival), the
Polish instrumental (Recepem Tayyipem Erdoğanem, Xi Jinpingiem, Narendrą Modim; not the
genitive -a of a name in -o, Gustava Petra: read as -o it would make Maria a Mario), and the
Turkish suffix after an apostrophe
(Erdoğan'ın, Putin'in). A dropped -a never follows w or a vowel (Zacharowa, Maria stay).
A Czech -ová also replaces a final -a (Michelle Obamová, Obama);
the Romanian genitive and dative -ei of a woman's given name (Maiei Sandu, Elenei) is -a. A
Polish -i after k is not a genitive: -ski/-cki/-dzki is a man's surname, and reading it
as -ska made Kowalski the woman Kowalska (dev6); the woman's genitive -skiej is -ska
(Kidawy-Błońskiej). Slovak -ovej is the genitive and dative of -ová (Čaputovej)."""

_ARABIC_ARTICLE_RE = re.compile(r"\b(?:al|el|ul|as|es|ad|ed|az|ez|ar|er|an|at|ash|esh)-(?=\w)")
"""The Arabic article joined by a hyphen, assimilated or not (al-Assad, as-Sisi, Turkish
ez-Zevahiri): one reading leaves it out, as many papers do (Gaddafi, Zawahiri)."""

_SLAVIC_IC_RE = re.compile(r"(?<=[a-z]{3}[aeiou][vn])ic\b|(?<=[a-z]{2}[dr])ic\b")
"""A final -vic/-nic/-dic/-ric, the South Slavic patronymic -ić with its mark dropped."""

_RULES = {lang: tuple((re.compile(p), r) for p, r in rules)
          for lang, rules in LANGUAGE_RULES.items()}
_VARIANTS = {lang: tuple((re.compile(p), r) for p, r in rules)
             for lang, rules in LANGUAGE_VARIANTS.items()}
_ENDINGS = {lang: tuple(tuple((re.compile(p), r) for p, r in rules) for rules in sets)
            for lang, sets in LANGUAGE_ENDINGS.items()}

_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in (
        (r"(?<=[a-z])(iy|ij|yi|ii|yy|yj)\b", "i"),  # Zelenskiy / Zelenskyj / Zelenskyi
        (r"kh", "h"),
        (r"ph", "f"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"[jy]", "i"),
        (r"ck", "k"),
        (r"\btsh", "ch"),  # Tshisekedi / Чисекеди: one sound (initial, as in Bantu names)
        (r"t[sz]", "z"),  # German z is ts: Scholz / Шольц (Sholts), Klitschko aside
        (r"([a-z])\1+", r"\1"),  # doubled letters (Mischustin / Assad / Asad)
        (r"ie\b", "i"),  # French/German final -ie for -i (Dmitrie is rare; Lavrovie never)
    ))

_HAN_SYLLABLE_RE = re.compile(r"[A-Z][a-z]*")
_TOKEN_RE = re.compile(r"[a-z0-9]+")
_VOWELS_RE = re.compile(r"[aeiou]")
_SKELETON_FOLDS = (("dzh", "s"), ("sch", "s"), ("sh", "s"), ("zh", "s"), ("z", "s"), ("ch", "c"),
                   ("ts", "c"), ("k", "c"), ("q", "c"), ("g", "c"), ("v", "b"), ("p", "b"),
                   ("f", "b"), ("d", "t"), ("h", ""))
"""Consonants merged in a skeleton: the pairs that transliterations confuse (Greek and
Russian have no h, Arabic no p or v, Greek no sh; ф writes German v in "von")."""


@dataclass(frozen=True)
class NameKey:
    """The spelling-independent forms of one name.

    ``tokens``: the folded words of the convention reading, in order. ``readings``:
    every folded reading's tokens (the convention reading, other languages' or
    conventions' readings, and the as-written one: German "Michael" is also read as
    the English "Michael", not only as a transliterated "Mikhail"). ``compacts``: each
    reading's tokens joined with no spaces (the exact-match keys). ``skeletons``:
    consonants only with similar sounds merged (candidate keys, never a reason to
    merge). ``latin``: the plain transliteration, lower case. ``script``: the script
    the name was written in, which decides how `name_match` compares it.
    ``japanese``: (family, given) romaji readings of a name in kanji
    (`han_names.japanese_readings`); kept out of ``compacts`` so that two names in
    kanji never merge on a shared reading, only a Latin name matches them.
    ``sounds``: per reading, the sound units of each word (`sound_classes`) of a
    transliteration in Chinese characters or of a katakana name. ``shortened``: the
    compact keys of the shorter forms of a long name (`shortened_compacts`). ``lang``:
    the base language the name was written in ('' if unknown). ``text``: the name as
    written (not compared: two spellings with equal readings are one key).

    Why ``skeletons`` and ``shortened`` are computed on first use (and then kept): the
    fuzzy step keys every stored name it compares, and a comparison reads neither; they
    were a third of the cost of a key (`bench entities`).
    """

    tokens: tuple[str, ...]
    readings: tuple[tuple[str, ...], ...]
    compacts: frozenset[str]
    script: Script = Script.LATIN
    japanese: tuple[tuple[str, str], ...] = ()
    sounds: tuple[tuple[Sound, ...], ...] = ()
    lang: str = ""
    text: str = field(default="", compare=False)

    @cached_property
    def latin(self) -> str:
        """The plain transliteration of ``text``, lower case (see the class).

        Why on first use: only `cjk_match` reads it, and the fuzzy step rebuilds every
        candidate's key (`key_from_packed`), where transliterating was ~1/4 of the cost.
        """
        return " ".join(_TOKEN_RE.findall(transliterate(self.text).lower()))

    def _compared(self) -> tuple[object, ...]:
        # The fields in the order the dataclass compared them when ``latin`` was one.
        return (self.tokens, self.readings, self.compacts, self.latin, self.script,
                self.japanese, self.sounds, self.lang)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    @cached_property
    def skeletons(self) -> frozenset[str]:
        """Consonant skeletons of the readings (fuzzy candidate keys; see the class)."""
        return _key_skeletons(self)

    @cached_property
    def shortened(self) -> frozenset[str]:
        """Compact keys of the name's shorter forms (`shortened_compacts`)."""
        return frozenset() if self.script in SYLLABIC_SCRIPTS \
            else shortened_compacts(self.readings)


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

    @property
    def is_abjad(self) -> bool:
        """Written in Arabic or Hebrew script (short vowels unwritten)."""
        return self.script in (Script.ARABIC, Script.HEBREW)

    @property
    def is_hebrew(self) -> bool:
        """Written in Hebrew script."""
        return self.script == Script.HEBREW

    @property
    def is_vowel_poor(self) -> bool:
        """Written in a script that leaves vowels out (Arabic, Hebrew, Devanagari ...)."""
        return self.script in VOWEL_POOR_SCRIPTS


def transliterate(text: str) -> str:
    """ASCII transliteration with Han syllables split, e.g. "习近平" → "Xi Jin Ping"."""
    if text.isascii():
        return text
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


def _apply_language_rules(lowered: str, lang: str) -> str:
    """``lowered`` (NFC, lower case) by ``lang``'s rules; final targets still in capitals."""
    base = lang.split("-")[0].split("_")[0].lower()
    for pattern, target in _RULES.get(base, ()):
        lowered = pattern.sub(target, lowered)
    if base == "fr":  # Poutine, Michoustine: French adds -e to Russian -in
        lowered = re.sub(r"(?<=[a-z]{3})ine\b", "in", lowered)
    return lowered


def _marked_letters(lowered: str) -> str:
    """Final rule targets lower-cased, then the marked letters spelled as digraphs."""
    lowered = lowered.lower()
    if not lowered.isascii():
        for letter, digraph in _SLAVIC_LATIN:
            lowered = lowered.replace(letter, digraph)
    return lowered


def _latin_spellings(text: str, lang: str) -> list[str]:
    """The convention spelling, spellings of languages its letters point to, and as written."""
    lowered = unicodedata.normalize("NFC", text).lower()
    langs = [lang]
    if not lowered.isascii():
        langs += [hinted for letters, hinted in _LANGUAGE_LETTERS
                  if hinted != lang and any(ch in lowered for ch in letters)]
    ruled = [_apply_language_rules(lowered, lg) for lg in langs]
    spellings = [_marked_letters(r) for r in ruled]
    if "đ" in lowered:  # Đoković: dj in Latin news, дж in Russian
        spellings.append(_marked_letters(_apply_language_rules(lowered.replace("đ", "dzh"), lang)))
    if _SLAVIC_IC_RE.search(lowered):  # Djokovic, Vucic: a Slavic -ić written without its mark
        spellings.append(_marked_letters(_SLAVIC_IC_RE.sub("ić", lowered)))
    if _ARABIC_ARTICLE_RE.search(lowered):  # Muammar al-Gaddafi / Muammar Gaddafi
        spellings.append(_marked_letters(_ARABIC_ARTICLE_RE.sub("", ruled[0])))
    base = lang.split("-")[0].split("_")[0].lower()
    for rules in (_VARIANTS[base],) if base in _VARIANTS else ():
        spellings.append(_marked_letters(_substituted(ruled[0], rules)))
    for rules in _ENDINGS.get(base, ()):  # on the language's reading and on the name as written
        spellings.append(_marked_letters(_substituted(ruled[0], rules)))
        spellings.append(_marked_letters(_substituted(lowered, rules)))
    return spellings + [text]


def _substituted(text: str, rules: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, target in rules:
        text = pattern.sub(target, text)
    return text


@lru_cache(maxsize=131072)
def fold_token(token: str) -> str:
    """Apply the language-independent convention folds to one lower-case ASCII token.

    Cached: given names and syllables recur across most names, and ten regular
    expressions per token were the largest cost of a key.
    """
    for pattern, replacement in _FOLDS:
        token = pattern.sub(replacement, token)
    return token


def skeleton_of(compact: str, *, across_vowels: bool = True) -> str:
    """Consonant skeleton of a compact key: a blocking key for fuzzy candidates only.

    Repeated consonants are merged after the vowels and h are gone (Mahmud, "mmd", is
    "md"); with ``across_vowels`` False only letters doubled as written are, so that
    Muhammad / محمد ("mmd") stays apart from Ahmad ("md").
    """
    out = compact if across_vowels else re.sub(r"([a-z])\1+", r"\1", compact)
    for source, target in _SKELETON_FOLDS:
        out = out.replace(source, target)
    out = _VOWELS_RE.sub("", out)
    return re.sub(r"([a-z])\1+", r"\1", out) if across_vowels else out


def abjad_skeleton(tokens: tuple[str, ...], *, hebrew: bool, keep_waw: bool = False,
                   across_vowels: bool = True) -> str:
    """Skeleton of a name written in Arabic or Hebrew script, comparable with a Latin skeleton.

    ``tokens`` are the folded tokens of the name's reading. Those scripts mostly leave
    short vowels out and write long ones with waw/yod (folded to v and i), so Arabic v
    is dropped like a vowel unless ``keep_waw`` (waw is also the consonant w: السنوار,
    Sinwar); Hebrew readings have already made vav a vowel where it is one
    (`romanise.hebrew_readings`). "بنيامين نتنياهو" and "Binyamin Netanyahu" get the
    same skeleton.
    """
    joined = "".join(tokens)
    return skeleton_of(joined if hebrew or keep_waw else joined.replace("v", ""),
                       across_vowels=across_vowels)


def _reading(spelled: str) -> tuple[str, ...]:
    latin = transliterate(spelled).lower().replace("'", "").replace("\u2019", "")
    return _arabic_name_parts(tuple(fold_token(t) for t in _TOKEN_RE.findall(latin)))


_MUHAMMAD_RE = re.compile(r"m[aeou]hamm?[ae]d")
_ABD_RE = re.compile(r"abd(?:al|el|ul|ol)(?=[a-z]{3})")
_SON_OF = frozenset({"ben", "ibn", "bin"})


def _arabic_name_parts(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Folded tokens with the spellings of three Arabic name parts made one.

    Muhammad is Mohammed, Mohamed, Mohammad, Muhammed (Muhammad Yunus / Mohammad
    Yunus); "son of" is bin, ben (French) or ibn after the first word (Mohammed ben
    Salmane, Tamim ben Hamad Al Thani; a first "Ben" is a given name); "servant of" is
    Abdel, Abdul, Abd al or joined to the next word (Abd al-Fattah / Abdel Fattah,
    Turkish Abdülfettah / Abdel Fattah).
    """
    out: list[str] = []
    for i, token in enumerate(tokens):
        if _MUHAMMAD_RE.fullmatch(token):
            token = "muhamad"
        elif i > 0 and token in _SON_OF:
            token = "bin"
        elif token in ("abdal", "abdel", "abdul", "abdol"):
            token = "abdal"
        elif token == "abd" and i + 1 < len(tokens) and tokens[i + 1] in ("al", "el", "ul"):
            continue
        elif i > 0 and tokens[i - 1] == "abd" and token in ("al", "el", "ul"):
            token = "abdal"
        elif _ABD_RE.match(token):
            out.extend(("abdal", token[5:]))
            continue
        out.append(token)
    return tuple(out)


def _spellings(text: str, lang: str, script: Script) -> list[str]:
    """Latin spellings of ``text`` by its script's conventions (see `romanise`)."""
    if script == Script.LATIN:
        return _latin_spellings(text, lang)
    if script == Script.CYRILLIC:
        return cyrillic_readings(text, lang)
    if script == Script.GREEK:
        return greek_readings(text)
    if script == Script.HEBREW:
        return hebrew_readings(text)
    if script == Script.ARABIC:
        return arabic_readings(text)
    if script == Script.HANGUL:
        return hangul_readings(text)
    if script == Script.KANA:
        return kana_readings(text)
    if script == Script.OTHER:
        return other_readings(text)
    if script == Script.INDIC:
        return indic_readings(text)
    if script == Script.THAI:
        return thai_spellings(text)
    return [text]


MAX_SKELETON_COMBINATIONS = 8
"""Token-wise mixes of readings indexed as skeletons, at most (a name may mix conventions)."""


def _skeletons(readings: tuple[tuple[str, ...], ...], script: Script) -> frozenset[str]:
    """Skeletons of every reading and of token-wise mixes of readings of one length.

    Mixes matter because one name can follow two conventions: "Jean-Claude Juncker"
    has a French given name and a German surname, and Greek Τραμπ is read "tramb"
    while Ντόναλντ is read "donald".
    """
    if script in (Script.ARABIC, Script.HEBREW):
        hebrew = script == Script.HEBREW
        return frozenset(abjad_skeleton(r, hebrew=hebrew, keep_waw=keep)
                         for r in readings for keep in (False, True))
    out = {skeleton_of("".join(r)) for r in readings}
    for mix in _mixes(readings):
        out.add(skeleton_of("".join(mix)))
    if script == Script.KANA:  # katakana r is l or r; try both for up to three r's
        for skeleton in list(out):
            if skeleton.count("r") <= 3:
                out |= _r_variants(skeleton)
    return frozenset(out)


def _mixes(readings: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """Token-wise combinations of the readings that have the same number of tokens."""
    out: list[tuple[str, ...]] = []
    for size in {len(r) for r in readings}:
        same = [r for r in readings if len(r) == size]
        if len(same) < 2:
            continue
        mixes: list[tuple[str, ...]] = [()]
        for i in range(size):
            options = list(dict.fromkeys(r[i] for r in same))
            mixes = [m + (o,) for m in mixes for o in options][:MAX_SKELETON_COMBINATIONS]
        out.extend(mixes)
    return out


def _r_variants(skeleton: str) -> set[str]:
    variants = {""}
    for ch in skeleton:
        variants = {v + c for v in variants for c in (("r", "l") if ch == "r" else (ch,))}
    return variants


@lru_cache(maxsize=65536)
def name_key(text: str, lang: str = "und") -> NameKey:
    """Return the `NameKey` of ``text`` written in language ``lang`` (BCP 47, or 'und').

    Cached per process because the same names recur across thousands of mentions;
    the cache lives on this function only, is bounded, and holds immutable values.
    The key's skeletons and shortened forms are computed when first read
    (`NameKey.skeletons`): comparing a stored name with a mention needs neither.
    """
    script = script_of(text)
    base_lang = lang.split("-")[0].split("_")[0].lower()
    if script == Script.LATIN:
        spellings = _latin_spellings(text, lang)
        if base_lang in CZECH_TRANSCRIPTION_LANGUAGES:
            spellings += czech_pinyin(text)
        spellings += wade_giles_pinyin(text) + korean_readings(text)
        readings = _with_russian_given_names(_readings(spellings))
        if base_lang in FAMILY_FIRST_LANGUAGES or _is_romaji_pair(text):
            readings = _with_swapped_order(readings)
        japanese: tuple[tuple[str, str], ...] = ()
        sounds: tuple[tuple[Sound, ...], ...] = ()
    else:
        spellings = han_names.pinyin_readings(text) if script == Script.HAN else \
            _spellings(text, lang, script)
        readings = _readings(spellings)
        if script == Script.CYRILLIC:
            readings = _with_russian_given_names(readings)
        japanese = han_names.japanese_readings(text) if script == Script.HAN else ()
        sounds = _sounds(text, script, readings)
    return _assembled(text, base_lang, script, readings, japanese, sounds)


def _assembled(text: str, base_lang: str, script: Script, readings: tuple[tuple[str, ...], ...],
               japanese: tuple[tuple[str, str], ...] = (),
               sounds: tuple[tuple[Sound, ...], ...] = ()) -> NameKey:
    return NameKey(tokens=readings[0], readings=readings,
                   compacts=frozenset("".join(r) for r in readings),
                   script=script, japanese=japanese, sounds=sounds,
                   lang="" if base_lang in ("", "und") else base_lang, text=text)


def packed_readings(key: NameKey) -> str:
    """``key``'s script and readings as one short string ('' if they cannot be packed).

    Why: the fuzzy step compares a mention with stored names, and keying a stored name
    again costs ~90 µs, most of a mention's resolution against a large store; the
    store keeps this string per variant (~100 bytes) instead of the key (~700 bytes)
    and rebuilds the key from it (`key_from_packed`). Only keys that are their readings
    pack: none with Japanese readings or sound units (Han, kana, Hangul, Thai names).
    """
    if key.japanese or key.sounds or not key.tokens:
        return ""
    return key.script.value + "\t" + "|".join(" ".join(r) for r in key.readings)


def key_from_packed(text: str, lang: str, packed: str) -> NameKey:
    """The `name_key` of ``text`` in ``lang`` from its `packed_readings` (equal to it)."""
    script, _, body = packed.partition("\t")
    readings = tuple(tuple(r.split(" ")) for r in body.split("|"))
    return _assembled(text, lang.split("-")[0].split("_")[0].lower(), Script(script), readings)


def _key_skeletons(key: NameKey) -> frozenset[str]:
    """The skeletons of ``key`` (see `NameKey.skeletons`)."""
    readings, script = key.readings, key.script
    if script == Script.LATIN:
        return _skeletons(readings, script) | {latin_sound_key(r) for r in readings if r}
    skeletons = _skeletons(readings, script) | _japanese_skeletons(key.japanese)
    if script in (Script.CYRILLIC, Script.GREEK):  # candidates for CJK names by sound
        skeletons |= {latin_sound_key(r) for r in readings if r}
        skeletons |= _japanese_skeletons(_polivanov_pair(key.text))
    for words in key.sounds:
        skeletons |= sound_keys(words)
    return skeletons


CZECH_TRANSCRIPTION_LANGUAGES = frozenset({"cs", "sk"})
"""Languages whose news writes Chinese names in the Czech system (`czech_pinyin`)."""

FAMILY_FIRST_LANGUAGES = frozenset({"hu"})
"""Languages whose press writes its own people family name first (Orbán Viktor is Viktor
Orbán); a two-word name in them also gets the reading in the other order, as does a
Japanese name in romaji in any language (`_is_romaji_pair`)."""


_ROMAJI_WORD_RE = re.compile(
    r"(?:(?:[kgsztdnhbpmr]y?|sh|ch|ts|j|f|w|y)?[aeiou]|n(?![aeiouy]))+")
"""A word made of Hepburn syllables only (Shigeru, Ishiba, Takaichi; not Hassan or Maria's
partner Rossi, whose doubled consonant Hepburn writes only before k, p, s or t)."""


def _is_romaji_pair(text: str) -> bool:
    """Two words that both read as Hepburn romaji: a Japanese name in either order.

    Why: Western news writes Shigeru Ishiba, Japanese and some other news Ishiba Shigeru.
    Few other two-word names are made of Japanese syllables only, and for those the
    other order is the same name's parts anyway.
    """
    words = unicodedata.normalize("NFKD", text.strip().lower()).encode("ascii", "ignore")
    parts = words.decode().split()
    return len(parts) == 2 and all(len(p) >= 2 and _ROMAJI_WORD_RE.fullmatch(p) for p in parts)


def _with_swapped_order(readings: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """``readings`` plus each two-word reading in the other order (see `FAMILY_FIRST_LANGUAGES`)."""
    swapped = [(r[1], r[0]) for r in readings if len(r) == 2]
    return tuple(dict.fromkeys((*readings, *swapped)))


SYLLABIC_SCRIPTS = frozenset({Script.HAN, Script.KANA, Script.HANGUL, Script.THAI})
"""Scripts whose readings split a name into syllables, not words: 李克强 is read "li ke
qiang", and its first and last syllable (Li Qiang) are another man."""

MAX_SHORTENED_EXTRA_TOKENS = 2
"""A full name may drop at most this many middle words to give its shortened form."""

NAME_PARTICLES = frozenset({"bin", "ibn", "ben", "bint", "al", "el", "as", "ad", "ash", "az",
                            "ar", "an", "at", "de", "da", "do", "dos", "das", "del", "della",
                            "di", "du", "van", "von", "der", "den", "ter", "la", "le"})
"""Words that join a name's parts (Mohammed bin Salman, Lula da Silva, von der Leyen): a
shortened form never starts with one (bin Salman names several princes)."""

GENERATION_SUFFIXES = frozenset({"jr", "ir", "dzhr", "sr", "junior", "iunior", "dzhunior",
                                 "senior", "ii", "iii", "iv",
                                 # cs/sk mladší, starší (ml., st.), pl młodszy, starszy,
                                 # ru/uk младший, старший, in their Latin readings
                                 "mladshi", "mladsi", "ml", "starshi", "starsi",
                                 "mlodszi", "mlodshi", "mlodsza", "mlodsha", "starszi",
                                 "starsza", "starsha"})
"""A name's last word that tells a son from his father (Donald Trump Jr., Václav Klaus
mladší, in its readings too: j reads i and dzh): a shortened form always keeps it, or the
son's name shortens to his father's (dev6, held-out 10)."""


def shortened_compacts(readings: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    """Compact keys of the shorter forms news gives a long name: one or two of its words left out.

    Why: a middle name, a patronymic or a second surname is often left out (Bola Ahmed
    Tinubu / Bola Tinubu, Владимир Владимирович Путин / Vladimir Putin, Cristina
    Fernández de Kirchner / Cristina Kirchner, Imran Ahmed Khan Niazi / Imran Khan), the
    Spanish second (maternal) surname is (Gustavo Petro Urrego / Gustavo Petro, Dina
    Ercilia Boluarte Zegarra / Dina Boluarte), or both given names are (Luiz Inácio Lula
    da Silva / Lula da Silva, Andrés Manuel López Obrador / López Obrador). Forms: the
    first word with all but one or two of the others (`MAX_SHORTENED_EXTRA_TOKENS`), but
    not its first words alone when two are left out, and, in names of four or more words,
    all but the first two unless the third is a particle. The first word alone is never
    left out: in patronymic names a name's last words are the father's name (Mahamat
    Idriss Déby / Idriss Déby, dev5), and in Burmese ones its first words can be (Aung
    San Suu Kyi / Aung San, dev4). No form starts or ends with a
    particle (de Kirchner, Mohammed bin). A name with an initial gives none (George W.
    Bush / George Bush are two people, entity_links.jsonl); a name without them gets its
    forms with given names as initials (`_initialled`). The resolver compares them only
    with names that are that short themselves, never two shortened forms with each other
    (Mohammed bin Salman Al Saud / Mohammed bin Nayef Al Saud share "Mohammed Saud"; Kim
    Jong-un / Kim Jong-il share "Kim Jong").
    """
    out: set[str] = set()
    for reading in readings:
        if any(len(t) < 2 for t in reading):
            continue
        out |= _initialled(reading)
        if len(reading) < 3:
            continue
        for dropped in range(1, min(MAX_SHORTENED_EXTRA_TOKENS, len(reading) - 2) + 1):
            for positions in combinations(range(len(reading)), len(reading) - dropped):
                kept = [reading[i] for i in positions]
                if kept[0] in NAME_PARTICLES or kept[-1] in NAME_PARTICLES:
                    continue
                if positions[0] != 0 or (dropped > 1 and positions == tuple(range(len(kept)))):
                    continue  # Idriss Déby is Mahamat Idriss Déby's father, Aung San Suu Kyi's
                if reading[-1] in GENERATION_SUFFIXES and positions[-1] != len(reading) - 1:
                    continue  # Donald Trump is Donald Trump Jr.'s father
                out.add("".join(kept))
        if len(reading) >= 4 and reading[2] not in NAME_PARTICLES:  # two given names dropped
            out.add("".join(reading[2:]))
    return frozenset(out)


MAX_INITIALLED_TOKENS = 4
"""Names of up to this many words also get forms with given names as initials."""


def _initialled(reading: tuple[str, ...]) -> set[str]:
    """Forms of a full name with one or more words before the last as initials.

    Why: news abbreviates given names (S. Jaishankar / Subrahmanyam Jaishankar, K. P.
    Sharma Oli / Khadga Prasad Sharma Oli, George W. Bush / George Walker Bush). Like
    every shortened form these are compared only with names that are written that way,
    never with each other (J. Smith finds John and James Smith, who stay apart), so
    George W. Bush (georgevbush) is no form of George Herbert Walker Bush (only
    george h v bush is).
    """
    if not 2 <= len(reading) <= MAX_INITIALLED_TOKENS:
        return set()
    positions = [i for i, t in enumerate(reading[:-1]) if t not in NAME_PARTICLES]
    out = set()
    for count in range(1, len(positions) + 1):
        for chosen in combinations(positions, count):
            out.add("".join(t[0] if i in chosen else t for i, t in enumerate(reading)))
    return out


@lru_cache(maxsize=1)
def _russian_given_names() -> dict[str, str]:
    return given_names.russian_forms(fold_token)


def _with_russian_given_names(readings: tuple[tuple[str, ...], ...]
                              ) -> tuple[tuple[str, ...], ...]:
    """``readings`` plus, for a name of two or more words starting with a Ukrainian given
    name, the reading with its Russian form (`given_names`: Volodymyr → Vladimir)."""
    forms = _russian_given_names()
    extra = [(forms[r[0]], *r[1:]) for r in readings if len(r) >= 2 and r[0] in forms]
    return tuple(dict.fromkeys((*readings, *extra))) if extra else readings


def _readings(spellings: list[str]) -> tuple[tuple[str, ...], ...]:
    """The distinct folded readings of ``spellings``, in order; one empty reading if none."""
    return tuple(dict.fromkeys(r for r in map(_reading, dict.fromkeys(spellings)) if r)) or ((),)


MAX_KANA_SOUND_VARIANTS = 4
"""Sound readings of one katakana name at most (each word may have two: ウラ is ura or vra)."""


def _sounds(text: str, script: Script, readings: tuple[tuple[str, ...], ...]
            ) -> tuple[tuple[Sound, ...], ...]:
    """Per reading, the sound units of each word, for the CJK scripts compared by sound.

    Han: only names written with transliteration characters
    (`han_names.is_transliteration`). Hangul: names of two or more words, which is how
    Korean writes foreign names (its own are one word). Katakana: the raw Hepburn reading (before
    folding, which would lose ji and chi). A Latin name's units are computed when a
    check needs them (`cjk_match`), from its readings: every Latin key pays only for
    its index key (`sound_classes.latin_sound_key`).
    """
    if script == Script.HAN and han_names.is_transliteration(text):
        return (tuple(pinyin_sound(w) for w in han_names.han_words(text)),)
    if script == Script.THAI:
        return tuple(dict.fromkeys(tuple(thai_sound(w) for w in spelled.split())
                                   for spelled in thai_spellings(text)))
    if script == Script.HANGUL:  # a spaced Hangul name is a foreign one (조 바이든)
        words = [anyascii(w).lower() for w in text.split()]
        return (tuple(hangul_sounds(w) for w in words),) if len(words) >= 2 else ()
    if script == Script.KANA:
        combos: list[tuple[Sound, ...]] = [()]
        for token in _TOKEN_RE.findall(kana_readings(text)[0]):
            combos = [c + (s,) for c in combos for s in kana_sounds(token)]
            combos = combos[:MAX_KANA_SOUND_VARIANTS]
        return tuple(c for c in combos if c)
    return ()


_NOT_POLIVANOV_RE = re.compile("[лщъьыжшчв]")
"""Letters the Polivanov system does not write (し is си, ち ти, ら ра; в only in ва, rare)."""


def _polivanov_pair(text: str) -> tuple[tuple[str, str], ...]:
    """A two-word Cyrillic name read as a Japanese one (Синдзо Абэ → shinzo abe), as a pair.

    None for a name with a letter Polivanov does not use (most Russian names): every
    pair is an index key."""
    if _NOT_POLIVANOV_RE.search(text.lower()):
        return ()
    words = han_names.normal_romaji(han_names.polivanov_romaji(anyascii(text).lower())).split()
    return ((words[0], words[1]),) if len(words) == 2 else ()


def _japanese_skeletons(japanese: tuple[tuple[str, str], ...]) -> set[str]:
    """Skeletons of a kanji name's Japanese readings in both orders (Kishida Fumio / Fumio ...)."""
    out = set()
    for family, given in japanese:
        folded = [fold_token(family), fold_token(given)]
        out.add(skeleton_of("".join(folded)))
        out.add(skeleton_of("".join(reversed(folded))))
    return out


_WORD_DIGRAPHS = (("tsch", "s"), ("sch", "s"), ("tch", "s"), ("sh", "s"), ("sj", "s"), ("sz", "s"),
                  ("ch", "s"), ("cz", "s"), ("zh", "s"), ("tz", "s"), ("ts", "s"), ("oe", "u"),
                  ("ou", "u"), ("oo", "u"), ("ij", "i"), ("ie", "i"))
_WORD_LETTERS = str.maketrans({"c": "k", "q": "k", "z": "s"})


@lru_cache(maxsize=262144)
def word_key(word: str) -> str:
    """The key of one word of running text, language unknown (Мишустин, Misjoestin → misustin).

    Similarity evidence compares single words of articles whose word-level language
    it does not know, so it cannot apply `LANGUAGE_RULES`. It takes the name key's
    script-aware romanisation (`romanise`) and folds, then merges the digraph groups
    that the languages' spellings of one sound fall into (sh / sch / sj / sz / ch / cz,
    ts / tz / z, u / ou / oe / oo), c / q with k, and drops a final -e. Identical
    spellings always get identical keys, so the merges only add matches between variants.
    """
    script = script_of(word)
    spelled = _spellings(word, "und", script)[0] if script != Script.HANGUL else word
    latin = "".join(_TOKEN_RE.findall(
        transliterate(spelled).lower().replace("'", "").replace("\u2019", "")))
    for source, target in _WORD_DIGRAPHS:
        latin = latin.replace(source, target)
    key = re.sub(r"([a-z])\1+", r"\1", fold_token(latin).translate(_WORD_LETTERS))
    return key[:-1] if len(key) > 4 and key.endswith("e") else key
