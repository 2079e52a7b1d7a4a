"""Romanising a name by its script's conventions, before `name_key` folds it.

Why per script: anyascii transliterates letter by letter, but each script writes
foreign names by its own conventions, and reading them back needs those
conventions. Greek has no b, d or g of its own and writes them μπ, ντ, γκ (Μπάιντεν is
Biden); Greek and Russian write English j as τζ / дж; Ukrainian г is h (Шмигаль is
Shmyhal); Bulgarian ъ is a vowel (Байдън); Serbian ћ is ć; Hebrew marks j, zh and ch
with a geresh (ג'ו is Joe); Korean is written without spaces, one syllable per
character, surname first (김정은 is Kim Jong-un); katakana spells small ョ after a
syllable (ジョー is "jo", not "jiyo"). Each function returns one or more Latin
spellings with English-style digraphs (sh, ch, zh, kh, dzh), which `name_key` then
folds like any Latin name. A script whose conventions are ambiguous returns several
readings (Greek μπ is b in foreign names, mb in Greek ones).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache

from anyascii import anyascii

from .palladius import palladius_pinyin


class Script(StrEnum):
    """The script a name is written in, as far as name matching cares."""

    LATIN = "latin"
    CYRILLIC = "cyrillic"
    GREEK = "greek"
    ARABIC = "arabic"  # Arabic, Persian, Urdu: short vowels unwritten
    HEBREW = "hebrew"  # short vowels unwritten
    HAN = "han"
    KANA = "kana"
    HANGUL = "hangul"
    INDIC = "indic"  # Devanagari and the other Brahmic scripts: the inherent vowel unwritten
    THAI = "thai"  # vowels written around the consonant, silent letters marked
    OTHER = "other"


VOWEL_POOR_SCRIPTS = frozenset({Script.ARABIC, Script.HEBREW, Script.INDIC})
"""Scripts that leave vowels out: names in them are compared by consonant skeleton only."""

_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0370, 0x03FF, Script.GREEK), (0x1F00, 0x1FFF, Script.GREEK),
    (0x0400, 0x052F, Script.CYRILLIC),
    (0x0590, 0x05FF, Script.HEBREW), (0xFB1D, 0xFB4F, Script.HEBREW),
    (0x0600, 0x08FF, Script.ARABIC), (0xFB50, 0xFDFF, Script.ARABIC),
    (0xFE70, 0xFEFF, Script.ARABIC),
    (0x0900, 0x0DFF, Script.INDIC), (0x0E00, 0x0E7F, Script.THAI),
    (0x3040, 0x30FF, Script.KANA), (0x31F0, 0x31FF, Script.KANA),
    (0x3400, 0x9FFF, Script.HAN), (0xF900, 0xFAFF, Script.HAN),
    (0xAC00, 0xD7AF, Script.HANGUL), (0x1100, 0x11FF, Script.HANGUL),
    (0x1E00, 0x1EFF, Script.LATIN),
)
"""Unicode blocks of the non-Latin scripts, and Latin Extended Additional (Vietnamese ễ ọ ậ):
a letter past U+024F in none of them is OTHER."""


def script_of(text: str) -> Script:
    """The script of ``text``: the first non-Latin script among its letters, else Latin.

    Japanese mixes kanji and kana: any kana makes the name KANA (katakana is how
    Japanese writes foreign names), and Han without kana is HAN.
    """
    if text.isascii():
        return Script.LATIN
    found: Script | None = None
    for ch in text:
        script = _letter_script(ch)
        if script is None:
            continue
        if script == Script.KANA:
            return script
        found = found or script
    return found or Script.LATIN


@lru_cache(maxsize=8192)
def _letter_script(ch: str) -> Script | None:
    """The non-Latin script of one character, or None for Latin letters and non-letters.

    Cached: `script_of` runs on every name key, and a scan of `_RANGES` per letter was
    a tenth of a Cyrillic name's key.
    """
    if not ch.isalpha() or ord(ch) < 0x250:
        return None
    code = ord(ch)
    script = next((s for lo, hi, s in _RANGES if lo <= code <= hi), Script.OTHER)
    return None if script == Script.LATIN else script


# -- Cyrillic ----------------------------------------------------------------------------

_UKRAINIAN_LETTERS = frozenset("іїєґ")
_CYRILLIC_W_RE = re.compile(r"\bу(?=[иэоа])|(?<=[бвгдзклмнпрстфхцчшщ])оу(?=[рлнмв])")
"""Russian writes an English w as у before a vowel (Уильям, Уэльс, Уолтер) and aw/ow as оу
(Лоуренс, Лоусон): read as w, which folds to the v of William and Lawrence."""
_CYRILLIC_SOFT_U_RE = re.compile(r"(?<=[лнрсдт])ю")
"""ю after a consonant writes a French or German u/ü (Люк, Мюллер): read as u as well."""


def cyrillic_readings(text: str, lang: str) -> list[str]:
    """Latin readings of a Cyrillic name: anyascii plus the language's letter values.

    Ukrainian (by language or by its letters і ї є ґ) reads г as h. Russian writes a
    foreign h as г by tradition (Гельмут Коль, Helmut Kohl) and ё as o (Шрёдер, Schröder,
    where anyascii writes e), so those readings are added after the plain one.
    Bulgarian ъ is the vowel /ə/ (romanised a); in Russian it is the silent hard sign.
    Serbian ћ is ć, and ђ is also read dzh. A word-initial ев is also read eu (Европол,
    Europol). A Chinese name written by Palladius (Ху Цзиньтао) is also read as
    pinyin (`palladius`).
    """
    lowered = text.lower().replace("ћ", "ч")
    base = lang.split("-")[0].lower()
    if base == "bg":
        lowered = lowered.replace("ъ", "а").replace("щ", "шт")
    ukrainian = base in ("uk", "be") or bool(_UKRAINIAN_LETTERS & set(lowered))
    spellings = [lowered]
    if "ђ" in lowered:  # Serbian ђ: dj in Latin news, дж in Russian (Ђоковић, Джокович)
        spellings.append(lowered.replace("ђ", "дж"))
    if "г" in lowered:
        spellings.insert(0 if ukrainian else 1, lowered.replace("г", "х").replace("ґ", "г"))
    if "ё" in lowered:
        spellings.append(lowered.replace("ё", "о"))
    if re.search(r"\bев", lowered):  # Европол, Евросоюз: Euro-
        spellings.append(re.sub(r"\bев", "eu", lowered))
    if base in CYRILLIC_CASE_LANGUAGES:
        spellings.extend(_cyrillic_nominatives(lowered, ukrainian))
    english = _CYRILLIC_W_RE.sub("w", lowered)
    english = _CYRILLIC_SOFT_U_RE.sub("у", english)
    if english != lowered:  # Уильям, Лоуренс, Люк: English w and ow, French u
        spellings.append(english)
    read = [anyascii(spelling) for spelling in spellings]
    if not ukrainian:  # Ху Цзиньтао: a Chinese name by Palladius is also read as pinyin
        read += palladius_pinyin(lowered)
    return list(dict.fromkeys(read))


CYRILLIC_CASE_LANGUAGES = frozenset({"ru", "uk", "be"})
"""Languages whose press declines foreign and own names (Путина, Трампом, Зеленського)."""

_CYRILLIC_CONSONANT = "бвгґджзйклмнпрстфхцчшщ"
_CYRILLIC_INSTRUMENTAL = (
    (re.compile(r"(?<=[а-яіїєґ]{2})(ов|ев|ёв|ин|ын)ым\b"), r"\1"),  # Путиным, Лавровым
    (re.compile(r"(?<=[а-яіїєґ]{2})(ск|цк)им\b"), r"\1ий"),  # Навроцким
    (re.compile(rf"(?<=[а-яіїєґ]{{2}}[{_CYRILLIC_CONSONANT}])ом\b"), ""),  # Дональдом, Трампом
    (re.compile(r"(?<=[а-яіїєґ]{2}[лн])ем\b"), "ь"),  # Каролем
    (re.compile(r"(?<=[а-яіїєґ]{2})(ов|ев|ин)ой\b"), r"\1а"),  # Захаровой
)
_CYRILLIC_ADJECTIVAL_GENITIVE = re.compile(r"(?<=[а-яіїєґ]{3})(ого|его)\b")
_CYRILLIC_GENITIVE = (
    (re.compile(rf"(?<=[а-яіїєґ]{{2}}[{_CYRILLIC_CONSONANT}])а\b"), ""),  # Трампа
    (re.compile(r"(?<=[а-яіїєґ]{2}[еиі])я\b"), "й"),  # Сергея, Дмитрия
    (re.compile(r"(?<=[а-яіїєґ]{2}[лр])я\b"), "ь"),  # Игоря
)


def _cyrillic_nominatives(lowered: str, ukrainian: bool) -> list[str]:
    """Readings of a declined Cyrillic name in the nominative, for `CYRILLIC_CASE_LANGUAGES`.

    Why: Russian and Ukrainian news decline names (Владимиром Путиным, Дональда Трампа,
    Зеленського, Навального), and a key of the declined form meets nobody (dev6). The
    instrumental (-ом, -ым, -им, -ой) is unambiguous. The genitive -а of a consonant stem
    is also a woman's nominative (Иванова is Ivanov's wife, not his genitive), so it is
    dropped only when every word of a name of two or more words ends in a genitive
    (Дональда Трампа, Сергея Лаврова: -ея/-ия are -ей/-ий, -ля/-ря -ль/-рь); a single word
    (Лаврова) keeps its -а. Adjectival -ого/-его reads -ий in
    Ukrainian and -ый (-ий after к, г, х and hushing consonants) in Russian.
    """
    out: list[str] = []
    instrumental = lowered
    for pattern, target in _CYRILLIC_INSTRUMENTAL:
        instrumental = pattern.sub(target, instrumental)
    if instrumental != lowered:
        out.append(instrumental)
    adjectival = _CYRILLIC_ADJECTIVAL_GENITIVE.sub(
        lambda m: "ий" if ukrainian or m.group(1) == "его"
        or lowered[m.start() - 1] in "кгхжшчщ" else "ый", lowered)
    if adjectival != lowered:
        out.append(adjectival)
    words = lowered.split()
    if len(words) >= 2:
        nominative = [_genitive_to_nominative(word) for word in words]
        if all(word is not None for word in nominative):
            out.append(" ".join(word for word in nominative if word is not None))
    return out


def _genitive_to_nominative(word: str) -> str | None:
    """``word`` read back from a masculine genitive ending, or None if it has none."""
    for pattern, target in _CYRILLIC_GENITIVE:
        if pattern.search(word):
            return pattern.sub(target, word)
    return None


# -- Greek -------------------------------------------------------------------------------

_GREEK_COMMON = (("τζ", "dzh"), ("τσ", "ts"), ("ου", "u"), ("αι", "e"), ("ει", "i"), ("οι", "i"),
                 ("υι", "i"), ("ευ", "ev"), ("αυ", "av"), ("χ", "kh"))
_GREEK_FOREIGN = (("μπ", "b"), ("ντ", "d"), ("γκ", "g"), ("γγ", "ng"))
_GREEK_GLIDE_RE = re.compile(r"γι(?=[αεηιουω])|γ(?=[ιηυ])")


def greek_readings(text: str) -> list[str]:
    """Two Latin readings of a Greek name: as foreign names are spelled, and as Greek ones.

    Greek spells a foreign b, d, g as μπ, ντ, γκ anywhere in a word (Ομπάμα, Ντόναλντ),
    and j as τζ; in Greek words the same pairs are mb, nd, ng inside a word
    (Λαμπράκης). γι before a vowel, and γ before ι, η, υ, is y in foreign names (Γιούνκερ,
    Juncker; Ταγίπ, Tayyip): a foreign g is written γκ. τσ is ts, and in a third reading
    ch (Τσέχοφ, Τζόκοβιτς).
    """
    plain = "".join(ch for ch in unicodedata.normalize("NFD", text.lower())
                    if not unicodedata.combining(ch)).replace("ς", "σ")
    glided = _GREEK_GLIDE_RE.sub("y", plain)
    for source, target in _GREEK_COMMON:
        plain = plain.replace(source, target)
        glided = glided.replace(source, target)
    foreign = glided
    for source, target in _GREEK_FOREIGN:
        foreign = foreign.replace(source, target)
    native = re.sub(r"\bμπ", "b", re.sub(r"\bντ", "d", re.sub(r"\bγκ", "g", plain)))
    native = native.replace("μπ", "mb").replace("ντ", "nd").replace("γκ", "ng")
    readings = [anyascii(foreign), anyascii(native)]
    if "ts" in foreign:  # τσ also writes a foreign č/ć (Τζόκοβιτς, Djoković)
        readings.append(anyascii(foreign.replace("ts", "ch")))
    return list(dict.fromkeys(readings))


# -- Hebrew and Arabic -------------------------------------------------------------------

_GERESH = {"ג": "dzh", "ז": "zh", "צ": "ch", "ץ": "ch", "ת": "th", "ד": "dh", "ח": "kh"}
_GERESH_RE = re.compile("([גזצץתדח])['\u05f3\u2019]")
_INNER_VAV_RE = re.compile("(?<=[\u05d0-\u05ea])ו(?=[\u05d0-\u05ea])")


def hebrew_readings(text: str) -> list[str]:
    """anyascii of a Hebrew name after the geresh pairs (ג' = dzh, ז' = zh, צ' = ch).

    Vav is a consonant (v) when doubled or word-initial (ולדימיר, Vladimir) and a vowel
    (o, u) elsewhere (אולמרט, Olmert); bet is read b (בנימין), which skeletons merge with v;
    kaf and pe are k and p at the start of a word (כנסת, Knesset), kh and f elsewhere.
    More readings: the first single vav between letters as v (דוד, David), and het as
    ch (מנחם, Menachem; anyascii's h stays first: יצחק, Yitzhak; kh would fold to h).
    """
    plain = _GERESH_RE.sub(lambda m: _GERESH[m.group(1)], text)
    plain = re.sub(r"\bכ", "k", re.sub(r"\bפ", "p", plain))  # begadkefat: hard at word start
    plain = re.sub(r"\bו", "v", plain.replace("וו", "v"))
    spellings = [plain]
    if _INNER_VAV_RE.search(plain):  # דוד: a single inner vav may be v (David) too
        spellings.append(_INNER_VAV_RE.sub("v", plain, count=1))
    if "ח" in plain:  # ח: h in Yitzhak, ch/kh in Menachem, Chaim
        spellings += [s.replace("ח", "ch") for s in spellings]
    return list(dict.fromkeys(anyascii(s.replace("ו", "u").replace("ב", "b")).lower()
                              for s in spellings))


def arabic_readings(text: str) -> list[str]:
    """anyascii of an Arabic-script name; hamza and ayin marks (' `) dropped.

    More readings: without the article al- (ال) on words that carry it (news in Latin
    script writes "Sinwar" for السنوار as often as "al-Sinwar"), and with jim (ج) as g,
    as Egyptian Arabic and most transcriptions of foreign names use it (أنجيلا, Angela),
    or as dzh, its standard value (جورج, George); plain anyascii j folds to a vowel. Zah
    and dhal (ظ ذ) are also read z, as Egyptian and Persian say them (محفوظ, Mahfouz).
    """
    words = text.split()
    without = " ".join(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in words)
    spellings = [text, without]
    spellings += [s.replace("ج", "گ") for s in spellings if "ج" in s]
    spellings += [s.replace("ج", "dzh") for s in spellings[:2] if "ج" in s]
    spellings += [s.replace("ظ", "ز").replace("ذ", "ز") for s in list(spellings)
                  if "ظ" in s or "ذ" in s]
    return list(dict.fromkeys(re.sub(r"['`\u02bf\u02be]", "", anyascii(s).lower())
                              for s in spellings))


# -- Indic -------------------------------------------------------------------------------

_ANUSVARA_RE = re.compile("\u0902(?=[\u092a-\u092e])|\u0902")


def _anusvara(following: str) -> str:
    if following and "\u092a" <= following <= "\u092e":
        return "म्"
    return "ng" if following == "ह" else "न्"


def indic_readings(text: str) -> list[str]:
    """anyascii of a Devanagari name with the anusvara read as the nasal of what follows.

    ं is m before p, ph, b, bh, m, ng before h (सिंह, Singh) and n elsewhere (नरेंद्र is
    Narendra, not "Naremdra"). ज is also read dzh: anyascii's j folds to a vowel.
    """
    spelled = _ANUSVARA_RE.sub(lambda m: _anusvara(text[m.end():m.end() + 1]), text)
    readings = [anyascii(spelled), anyascii(text)]
    if "ज" in text:  # ज is j, which folds to a vowel; also read dzh (जो बाइडन, Joe Biden)
        readings.append(anyascii(spelled.replace("ज", "dzh")))
    return list(dict.fromkeys(readings))


# -- Georgian and Armenian ---------------------------------------------------------------

_GEORGIAN = dict(zip("აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
                     ("a b g d e v z t i k l m n o p zh r s t u p k gh k sh ch ts dz ts ch kh"
                      " dzh h").split(), strict=True))
_ARMENIAN = dict(zip("աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
                     ("a b g d e z e e t zh i l kh ts k h dz gh ch m y n sh o ch p dzh r s v t r"
                      " ts v p k o f").split(), strict=True))
_GEORGIAN_CASE_RE = re.compile(r"(?<=[^aeiou\W]{1})i\b")


def georgian_readings(text: str) -> list[str]:
    """Latin readings of a Georgian name: letter values, and without the nominative -i.

    Georgian gives a foreign name ending in a consonant the nominative ending -i
    (ლავროვი is Lavrov, ბაიდენი Biden, პუტინი Putin), so a second reading drops a final
    -i after a consonant. ჯ is dzh and ჩ/ჭ ch (anyascii writes j and ch'), ხ is kh.
    """
    plain = "".join(_GEORGIAN.get(ch, ch) for ch in text.lower())
    return list(dict.fromkeys((plain, _GEORGIAN_CASE_RE.sub("", plain))))


def armenian_readings(text: str) -> list[str]:
    """The Latin reading of an Armenian name: ու is u, ջ dzh, ճ/չ ch, ժ zh, խ kh.

    (anyascii reads ու as "ow" and ջ as j, which folds to a vowel: Ջո Բայդեն is Joe Biden.)
    """
    plain = text.lower().replace("ու", "u").replace("և", "ev")
    return ["".join(_ARMENIAN.get(ch, ch) for ch in plain)]


def other_readings(text: str) -> list[str]:
    """Readings of a name in a script without its own `Script` value (Georgian, Armenian ...)."""
    if any("\u10a0" <= ch <= "\u10ff" or "\u1c90" <= ch <= "\u1cbf" for ch in text):
        return georgian_readings(text)
    if any("\u0530" <= ch <= "\u058f" for ch in text):
        return armenian_readings(text)
    return [text]


# -- Korean ------------------------------------------------------------------------------

KOREAN_SURNAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim"), "이": ("lee", "yi", "rhee", "ri", "i"), "박": ("park", "pak", "bak"),
    "최": ("choi", "choe"), "정": ("jung", "chung", "jeong"), "강": ("kang", "gang"),
    "조": ("cho", "jo"), "윤": ("yoon", "yun"), "장": ("jang", "chang"),
    "임": ("lim", "im", "rim"), "한": ("han",), "오": ("oh", "o"), "서": ("seo", "suh"),
    "신": ("shin", "sin"), "권": ("kwon", "gwon"), "황": ("hwang",), "안": ("ahn", "an"),
    "송": ("song",), "류": ("ryu", "yoo", "yu"), "유": ("yoo", "yu"), "홍": ("hong",),
    "전": ("jeon", "chun", "jun"), "고": ("ko", "go"), "문": ("moon", "mun"),
    "양": ("yang",), "손": ("son", "sohn"), "배": ("bae",), "백": ("baek", "paik"),
    "허": ("heo", "huh"), "남": ("nam",), "노": ("roh", "noh", "no"), "하": ("ha",),
    "곽": ("kwak",), "성": ("sung", "seong"), "차": ("cha",), "주": ("joo", "ju"),
    "우": ("woo", "u"), "구": ("koo", "gu"), "민": ("min",), "진": ("jin",), "지": ("ji",),
    "엄": ("eom", "um"), "채": ("chae",), "원": ("won",), "천": ("cheon", "chun"),
    "방": ("bang",), "공": ("kong", "gong"), "현": ("hyun", "hyeon"), "반": ("ban",),
    "추": ("choo", "chu"), "석": ("seok", "suk"), "나": ("na", "ra"),
}
"""The usual Latin spellings of common Korean surnames (Revised Romanization rarely applies
to surnames: 이 is Lee, 박 Park). Used only to compare a Hangul surname with a Latin one."""


def hangul_readings(text: str) -> list[str]:
    """Readings of a Hangul name, one syllable a token, one reading per surname spelling.

    "김정은" → ["kim jeong eun", "gim jeong eun"]: the first syllable is the surname
    (two-syllable surnames such as 남궁 are rare and not handled), read by its usual
    Latin spellings when `KOREAN_SURNAMES` has it; the others by Revised Romanization.
    """
    syllables = [ch for ch in text if ch.isalpha()]
    if not syllables:
        return []
    given = [anyascii(ch).lower() for ch in syllables[1:]]
    surnames = KOREAN_SURNAMES.get(syllables[0], (anyascii(syllables[0]).lower(),))
    return [" ".join([surname, *given]) for surname in surnames]


# -- Kana --------------------------------------------------------------------------------

_KANA_YOON_RE = re.compile(r"(sh|ch|j)iy(?=[aou])|([kgnhbpmr])iy(?=[aou])")
_KANA_SMALL_VOWELS = {"ディ": "di", "ティ": "ti", "デュ": "dyu", "トゥ": "tu", "ドゥ": "du",
                      "フィ": "fi", "ファ": "fa", "フェ": "fe", "フォ": "fo", "ウィ": "wi",
                      "ウェ": "we", "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve",
                      "ヴォ": "vo", "シェ": "she", "ジェ": "je", "チェ": "che", "ツァ": "tsa"}
"""Katakana pairs that write one foreign syllable with a small vowel (ディ is di, not dei)."""


def kana_readings(text: str) -> list[str]:
    """anyascii of a kana name with the small ya/yu/yo combined (ジョー "jiyo" → "jo"), the
    foreign syllables of `_KANA_SMALL_VOWELS` (モディ, Modi) read as one, and the small
    tsu as a doubled consonant (`_SOKUON_RE`)."""
    for pair, latin_syllable in _KANA_SMALL_VOWELS.items():
        text = text.replace(pair, latin_syllable)
    latin = anyascii(text.replace("ッ", "\u0000").replace("っ", "\u0000")).lower()
    latin = _KANA_YOON_RE.sub(lambda m: m.group(1) or (m.group(2) + "y"), latin)
    latin = _SOKUON_RE.sub(lambda m: m.group(1)[0], latin).replace("\u0000", "t")
    return [re.sub(r"n(?=[pbm])", "m", latin)]


_SOKUON_RE = re.compile("\u0000(?=([bcdfghjkmprstvwz]))")
"""The small tsu doubles the consonant after it (アッバス abbasu, ベッカム bekkamu); anyascii
writes it t whatever follows ("atbasu"). Before a vowel or at the end it stays t."""


def kana_projection(token: str) -> str:
    """How katakana would spell a Latin token's consonants: l → r, v → b, ti → chi, si → shi.

    Japanese has no l or v and traditionally no ti/si/tu syllables, so a name written
    in katakana and read back differs from its Latin spelling in these places (di is
    left alone: katakana writes it ディ, which `kana_readings` reads as di).
    """
    for source, target in (("l", "r"), ("v", "b"), ("ti", "chi"), ("si", "shi"),
                           ("tu", "tsu"), ("hu", "fu"), ("zi", "ji")):
        token = token.replace(source, target)
    return token
