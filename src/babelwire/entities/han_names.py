"""Readings of names written in Chinese characters: pinyin, Japanese readings, transliterations.

Why three readings: a run of Han characters in the news is one of three kinds of name,
and each is read back into Latin script differently.

- **A Chinese name** (习近平) is read in pinyin, surname first ("Xi Jinping"); news
  in European languages sometimes puts the given name first ("Jinping Xi"), and a
  surname character can have a reading of its own (曾 is *zeng* as a surname, *ceng*
  otherwise), so `pinyin_readings` gives those orders and readings too. pypinyin
  (MIT) reads polyphones by their word; without it, anyascii's one reading per
  character is the fallback.
- **A Japanese name** (岸田文雄) is read by Japanese readings, which no rule can give
  (菅 is Kan or Suga): `japanese_readings` splits it into a family and a given name
  found in a table of IPADIC's person names (`data/ja_name_readings.tsv`) and romanises
  their readings as news does (long vowels unmarked: Kōno → Kono).
- **A foreign name transliterated** (默克尔, Merkel) is written with a few hundred
  characters chosen for their sound (`TRANSLITERATION_CHARACTERS`); its pinyin is then
  compared with a Latin name by sound classes (`sound_classes`), word by word, the
  words split at the interpunct (安格拉·默克尔).
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from functools import cache
from importlib.resources import files as package_files
from itertools import product
from typing import Any

from anyascii import anyascii

from .romanise import kana_readings

logger = logging.getLogger(__name__)

_SIMPLIFIED = (
    "阿埃艾爱安昂奥澳巴拜班邦包保鲍贝本比彼毕宾滨波玻伯勃博布步采蔡查察柴茨慈达代戴丹道德登邓狄"
    "迪蒂帝第丁东杜都顿多厄恩尔二法凡范方菲斐费芬丰冯佛弗伏福夫盖甘冈高戈哥格葛根贡古瓜圭果哈海汉"
    "翰豪赫黑亨洪侯胡华怀霍基吉济加佳迦贾杰捷金津久居君喀卡凯坎康考柯科可克肯孔库夸奎昆拉腊莱赖兰"
    "朗劳勒雷蕾黎里理利莉丽历立列林琳玲凌留柳龙隆卢鲁陆路露吕伦罗洛马玛迈麦曼芒毛梅美门蒙孟米密敏"
    "明摩莫默姆牧穆纳娜乃奈南内尼妮涅宁纽努诺欧帕派潘庞佩彭皮珀普蒲奇齐契恰乔切钦琴青琼丘曲屈让热"
    "日荣茹瑞若萨塞赛桑瑟森沙莎山尚绍舍什圣施史士舒斯丝松苏索塔泰坦汤唐陶特提图土托瓦万旺威韦维卫"
    "温文翁沃乌伍武西希锡夏谢辛欣休修许雅亚扬杨耀耶叶伊依因英尤于雨约云泽扎詹兹佐祖策朔蓬娅黛莲琪"
    "珊娃逊申大滕延嘉京廷茂")
_TRADITIONAL = (
    "亞佈倫傑內凱勞呂喬囌圖奧婭寧岡崑庫彿愛懷捨採揚於東査楊榮欽歐歷淩湯溫漢澤濟濱烏熱爾瑪瓊甯畢盧"
    "範約納紐紮紹絲維羅聖脩臘茲華萊萬葉蓋蓮薩蘇蘭衛裏裡託許誇諾謝讓豐貝貢費賈賓賴賽達遜邁鄧錫門陸雲"
    "韋頓馬馮鬆魯鮑麗麥齊龍龐")
TRANSLITERATION_CHARACTERS = frozenset(_SIMPLIFIED + _TRADITIONAL)
"""Characters of the Xinhua tables for foreign names (and their traditional forms).

A name written only with these may be a transliteration; many are also Chinese
surnames (马, 林), which is why a sound match needs a Latin name that is not pinyin."""

INTERPUNCTS = "·・•‧･"
"""Separators between the words of a transliterated name (安格拉·默克尔, ウラジーミル・プーチン)."""

_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPLIT_RE = re.compile(f"[{INTERPUNCTS}\\s]+")
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙", "夏侯", "公孙",
    "歐陽", "司馬", "諸葛", "長孫", "公孫"})
"""Two-character Chinese surnames: the given name starts after them."""

MAX_SURNAME_READINGS = 3
"""Readings of a polyphonic surname character tried (曾: ceng, zeng)."""

MAX_JAPANESE_READINGS = 12
"""(family, given) reading pairs kept for one name written in kanji."""


@cache
def _pinyin_module() -> Any | None:
    """pypinyin, imported on first use (0.4 s, 57 MB); None, logged once, when not installed."""
    try:
        import pypinyin
    except ImportError:
        logger.warning("pypinyin is not installed: Chinese names are read with anyascii's one"
                       " reading per character; install it with `pip install pypinyin`")
        return None
    return pypinyin


def syllable_options(text: str) -> list[list[str]]:
    """Per character of ``text``, its pinyin readings (most likely first), tone marks dropped.

    Characters that are not Han (an interpunct, Latin letters) come back as themselves.
    """
    module = _pinyin_module()
    if module is None:
        return [[anyascii(ch).lower() or ch] for ch in text]
    found = module.pinyin(text, style=module.Style.NORMAL, heteronym=True, v_to_u=True,
                          errors=lambda chars: [[ch] for ch in chars])
    return [[anyascii(option).lower() for option in options] or [""] for options in found]


def han_words(text: str) -> list[list[str]]:
    """The pinyin syllables of each word of ``text`` (words split at interpuncts and spaces)."""
    words = []
    for word in _SPLIT_RE.split(text.strip()):
        syllables = [options[0] for options in syllable_options(word) if options[0].isalpha()]
        if syllables:
            words.append(syllables)
    return words


def is_transliteration(text: str) -> bool:
    """True when every Han character of ``text`` is one the transliteration tables use."""
    chars = _HAN_RE.findall(text)
    return len(chars) >= 2 and all(ch in TRANSLITERATION_CHARACTERS for ch in chars)


def _is_personal_name(text: str) -> bool:
    """Two to four Han characters and nothing else: the shape of a Chinese personal name."""
    return 2 <= len(text) <= 4 and all(_HAN_RE.match(ch) for ch in text)


def pinyin_readings(text: str) -> list[str]:
    """Pinyin spellings of a Han name: as read, with the surname's other readings, given name first.

    "习近平" → ["xi jin ping", "jin ping xi"]; "曾庆红" → ["ceng qing hong", "zeng qing
    hong", ...]. Only names shaped like a Chinese personal name get the extra readings.
    """
    options = syllable_options(text)
    plain = " ".join(o[0] for o in options)
    if not _is_personal_name(text):
        return [plain]
    cut = 2 if text[:2] in COMPOUND_SURNAMES else 1
    given = " ".join(o[0] for o in options[cut:])
    surnames = [" ".join(o[0] for o in options[:cut])]
    if cut == 1:
        surnames += options[0][1:MAX_SURNAME_READINGS]
    readings = [f"{surname} {given}" for surname in surnames]
    readings += [f"{given} {surname}" for surname in surnames]
    return list(dict.fromkeys(readings))


# -- Japanese ----------------------------------------------------------------------------


@cache
def _japanese_name_table() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(family, given) surface → katakana readings, read from the packaged table on first use.

    Cached on this function like `name_key.name_key`: immutable data shared by every
    key, 27,000 entries, loaded only when a name in kanji is first keyed.
    """
    family: dict[str, tuple[str, ...]] = {}
    given: dict[str, tuple[str, ...]] = {}
    path = package_files("babelwire.entities") / "data" / "ja_name_readings.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        kind, surface, readings = line.split("\t")
        (family if kind == "family" else given)[surface] = tuple(readings.split("|"))
    return family, given


MIN_CHARACTER_READING_NAMES = 2
"""Two-character given names a derived character reading must explain (偉夫, 偉男 → 偉 = hide)."""

MAX_CHARACTER_READINGS = 3
"""Readings per character tried when a given name is composed character by character."""


@cache
def _given_name_characters() -> dict[str, tuple[str, ...]]:
    """Per kanji, its readings in given names (nanori), most frequent first.

    Why derived: the table lists whole given names, and many are missing (義偉,
    Yoshihide); their characters' name readings are not (偉夫 is Hideo and 夫 is o,
    so 偉 is hide). Two passes over the two-character given names: each takes the
    reading of one known character off the whole reading and credits the rest to the
    other character; readings credited by fewer than `MIN_CHARACTER_READING_NAMES`
    names are dropped. Single-character given names are known readings to start with.
    """
    _, given = _japanese_name_table()
    known = {surface: set(readings) for surface, readings in given.items() if len(surface) == 1}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for _ in range(2):
        counts = defaultdict(Counter)
        for surface, readings in given.items():
            if len(surface) != 2:
                continue
            first, second = surface[0], surface[1]
            for reading in readings:
                for head in known.get(first, ()):
                    if reading.startswith(head) and len(reading) > len(head):
                        counts[second][reading[len(head):]] += 1
                for tail in known.get(second, ()):
                    if reading.endswith(tail) and len(reading) > len(tail):
                        counts[first][reading[: -len(tail)]] += 1
        for char, counter in counts.items():
            known.setdefault(char, set()).update(
                r for r, n in counter.items() if n >= MIN_CHARACTER_READING_NAMES)
    out: dict[str, tuple[str, ...]] = {}
    for char, found in known.items():
        ranked = sorted(found, key=lambda r: (-counts[char][r], r))
        out[char] = tuple(ranked[:MAX_CHARACTER_READINGS])
    return out


def _given_readings(given: str) -> tuple[str, ...]:
    """Katakana readings of a given name: the table's, else composed character by character."""
    listed = _japanese_name_table()[1].get(given)
    if listed:
        return listed
    characters = _given_name_characters()
    options = [characters.get(ch, ()) for ch in given]
    if len(given) > 3 or not all(options):
        return ()
    return tuple("".join(parts) for parts in product(*options))[:MAX_JAPANESE_READINGS]


def romaji(kana: str) -> str:
    """A katakana reading romanised as names appear in the news: キシダ → kishida, コウノ → kono.

    Long vowels are unmarked (ou, oo, uu → o, u; Tarō, Tarou → Taro), n before b/m/p
    stays n (Shinbun), and the syllabic n needs no apostrophe (Jun'ichirō → Junichiro).
    """
    return normal_romaji(kana_readings(kana)[0])


def normal_romaji(latin: str) -> str:
    """Latin text of a Japanese name in one romanisation: lower case, long vowels unmarked.

    "Kōno Tarō", "Kouno Tarou" and "Kohno Taro" all become "kono taro".
    """
    text = anyascii(latin).lower()
    text = re.sub(r"[^a-z ]", "", text)
    text = re.sub(r"oh(?![aeiouy])", "o", text)
    text = re.sub(r"ou|oo", "o", text)
    text = re.sub(r"uu", "u", text)
    return re.sub(r"m(?=[bmp])", "n", text)


_POLIVANOV = ((re.compile(r"dzy(?=[aou])"), "j"), (re.compile(r"dzi"), "ji"),
              (re.compile(r"dz"), "z"),
              (re.compile(r"sy(?=[aou])"), "sh"), (re.compile(r"si"), "shi"),
              (re.compile(r"ty(?=[aou])"), "ch"), (re.compile(r"ti"), "chi"),
              (re.compile(r"kh"), "h"), (re.compile(r"v(?=a)"), "w"))
"""Russian writes Japanese names by the Polivanov system (Синдзо Абэ is Shinzo Abe, Харуки
Мураками Haruki Murakami): its letter-by-letter romanisation turned into Hepburn."""


def polivanov_romaji(latin: str) -> str:
    """Hepburn spelling of a Japanese name written in Russian Cyrillic, from its anyascii form."""
    for pattern, target in _POLIVANOV:
        latin = pattern.sub(target, latin)
    return latin


def japanese_readings(text: str) -> tuple[tuple[str, str], ...]:
    """(family, given) romaji pairs of a name in kanji, from the IPADIC name table.

    The name is split at every point where the head is a listed family name and the
    tail a listed given name (岸田|文雄); each split gives its readings' combinations.
    Only when no split finds a listed given name are given names composed from their
    characters' name readings (菅|義偉: yoshi + hide, `_given_name_characters`). At most
    `MAX_JAPANESE_READINGS` pairs. Names of three to six characters only: shorter ones
    are mostly not personal names, longer ones are titles or lists.
    """
    if not 3 <= len(text) <= 6 or not all(_HAN_RE.match(ch) for ch in text):
        return ()
    family_table, given_table = _japanese_name_table()
    splits = [(family_table[text[:cut]], text[cut:]) for cut in range(1, len(text))
              if text[:cut] in family_table]
    listed = [(family, given_table[given]) for family, given in splits if given in given_table]
    found = listed or [(family, _given_readings(given)) for family, given in splits]
    ranked = sorted(((i + j, romaji(f), romaji(g)) for family, given in found
                     for i, f in enumerate(family) for j, g in enumerate(given)),
                    key=lambda item: item[0])  # each family reading with its first given ones
    return tuple(dict.fromkeys((f, g) for _, f, g in ranked))[:MAX_JAPANESE_READINGS]
