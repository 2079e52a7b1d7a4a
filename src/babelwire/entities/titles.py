"""Titles and articles that news writes before a person's name ("Präsident Macron").

Why: "premier Tusk", "Bundeskanzler Scholz", "le président Zelensky" and "аятолла
Хаменеи" are the surname with a title glued on. Read whole, the title became a given
name, so the mention was a new two-word person that nothing else would ever match; without
it the mention is a bare surname, which the resolver links to a full name of the same
article (or by shared context, or as the only stored bearer). Only leading words are
dropped (and, in Han, kana and Hangul, a title written after the name: マクロン大統領,
王毅外长, 윤석열 대통령), and at least one word always stays. Not listed, because they are
also names or parts of names: Pan (a Chinese surname, and Polish "Mr"), Sheikh (Sheikh
Hasina), King, General, Papa, Голова.
"""

from __future__ import annotations

import unicodedata


def _folded(words: str) -> frozenset[str]:
    return frozenset(unicodedata.normalize("NFC", word).casefold() for word in words.split())


TITLE_WORDS = _folded("""
president presidente presidenta président présidente präsident präsidentin prezident
prezidentka prezydent prezydenta prezydentem президент президента президентом
prime premier premiera premierem premiér premiérka primer première premiê
ministre minister ministerin ministra ministro ministr ministryně министр міністр
prime-minister премьер премьер-министр прем'єр прем'єр-міністр ministerpräsident
ministerpräsidentin premierminister premierministerin
chancellor kanzler kanzlerin bundeskanzler bundeskanzlerin kanclerz kanclerza kancléř
kancléřka chancelier chancelière canciller cancelliere канцлер канцлера
außenminister außenministerin
ayatollah ajatollah ayatolá аятолла аятоллы
przewodnicząca przewodniczący prezes prezesa marszałek předseda předsedkyně
mr mr. mrs mrs. ms ms. dr dr. herr frau m. mme monsieur madame pani господин госпожа
senator senatorin senatorka сенатор
secretary governor mayor speaker vice-president vice-premier wicepremier místopředseda
maire sénateur député alcalde prefeito sindaco bürgermeister burmistrz
regierungschef regierungschefin bundespräsident bundespräsidentin staatspräsident
staatspräsidentin außenamtschef szef szefowa šéf šéfka šéfa
premierul președintele ministrul cancelarul președinte
premjeras prezidentas ministras kancleris premjers prezidents
predsjednik predsjednica premijer ministar председник премијер министар
премиер министър председател
председатель председателя спикер лидер лидера госсекретарь мэр губернатор генсек
глава главы
πρόεδρος προέδρου πρωθυπουργός πρωθυπουργού υπουργός υπουργού καγκελάριος καγκελαρίου κ.
cumhurbaşkanı başbakan bakan bakanı dışişleri
miniszterelnök elnök miniszter kancellár külügyminiszter államfő
pääministeri presidentti ulkoministeri liittokansleri
statsminister utrikesminister udenrigsminister utenriksminister förbundskansler forbundskansler
bondskanselier premierminister
الرئيس رئيس الوزراء وزير الخارجية
הנשיא נשיא ראש הממשלה השר שר
رئیس‌جمهور رئیس وزیر
प्रधानमंत्री राष्ट्रपति मंत्री श्री
""")
"""Folded (NFC, casefold) title words of several languages."""

TITLE_SUFFIXES = _folded("""
minister ministerin präsident präsidentin kanzler kanzlerin
""")
"""Endings that make a compound a title word (Finanzminister, Bundespräsidentin, US-Präsident,
Ex-Kanzler): German, Dutch and Nordic news glue the office to the title."""

MIN_COMPOUND_PREFIX = 2
"""A title compound has at least this many letters before its title ending."""

ARTICLES = _folded("the le la il lo el der die ο η του της")
"""Articles dropped only before a title ("le président Zelensky"): Le Pen and La Russa are
surnames."""

TRAILING_TITLES = (
    "大統領", "首相", "議長", "総裁", "外相", "長官", "総理", "国務長官", "氏", "さん",
    "国家主席", "主席", "总统", "總統", "总理", "總理", "外长", "外長", "议长", "議長", "部长",
    "部長", "国务卿", "國務卿", "先生", "女士",
    "대통령", "총리", "장관", "의장", "위원장", "총재", "국무장관", "씨",
)
"""Titles that Japanese, Chinese and Korean news writes after a name, longest first once sorted."""

_TRAILING_BY_LENGTH = tuple(sorted(set(TRAILING_TITLES), key=len, reverse=True))

MIN_NAME_LETTERS_BEFORE_TRAILING = 2
"""A trailing title is dropped only if this many letters of the name remain (王毅外长 → 王毅)."""


def is_title_word(word: str) -> bool:
    """Whether a folded ``word`` is a title: listed, or a compound ending in a title
    (Finanzminister, US-Präsident)."""
    if word in TITLE_WORDS:
        return True
    tail = word.rsplit("-", 1)[-1]
    if tail != word and tail in TITLE_WORDS:
        return True
    return any(word.endswith(suffix) and len(word) - len(suffix) >= MIN_COMPOUND_PREFIX
               for suffix in TITLE_SUFFIXES)


def without_titles(text: str) -> str:
    """``text`` without its leading title words and articles; never without its last word."""
    text = _without_trailing_title(text)
    words = [unicodedata.normalize("NFC", word).casefold() for word in text.split()]
    start = 1 if len(words) > 2 and words[0] in ARTICLES and is_title_word(words[1]) else 0
    titled = start
    while titled < len(words) - 1 and is_title_word(words[titled]):
        titled += 1
    return " ".join(text.split()[titled:]) if titled > start else text


def _without_trailing_title(text: str) -> str:
    """``text`` without a Han, kana or Hangul title after the name (マクロン大統領 → マクロン)."""
    stripped = text.strip()
    if not stripped or ord(stripped[-1]) < 0x2E80:
        return text
    for title in _TRAILING_BY_LENGTH:
        if stripped.endswith(title):
            name = stripped[: len(stripped) - len(title)].rstrip(" ·・")
            if len(name.replace(" ", "")) >= MIN_NAME_LETTERS_BEFORE_TRAILING:
                return name
            return text
    return text
