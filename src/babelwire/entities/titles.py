"""Titles and articles that news writes before a person's name ("Präsident Macron").

Why: "premier Tusk", "Bundeskanzler Scholz", "le président Zelensky" and "аятолла
Хаменеи" are the surname with a title glued on. Read whole, the title became a given
name, so the mention was a new two-word person that nothing else would ever match; without
it the mention is a bare surname, which the resolver links to a full name of the same
article (or by shared context). Only leading words are dropped, and at least one word
always stays. Not listed, because they are also names or parts of names: Pan (a Chinese
surname, and Polish "Mr"), Sheikh (Sheikh Hasina), King, General, Papa.
"""

from __future__ import annotations

import unicodedata

TITLE_WORDS = frozenset("""
president presidente presidenta président présidente präsident präsidentin prezident
prezidentka prezydent prezydenta prezydentem президент президента президентом
prime premier premiera premierem premiér premiérka primer première
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
""".split())
"""Lower-case title words of several languages."""

ARTICLES = frozenset("the le la il lo el der die".split())
"""Articles dropped only before a title ("le président Zelensky"): Le Pen and La Russa are
surnames."""


def without_titles(text: str) -> str:
    """``text`` without its leading title words and articles; never without its last word."""
    words = [unicodedata.normalize("NFC", word).casefold() for word in text.split()]
    start = 1 if len(words) > 2 and words[0] in ARTICLES and words[1] in TITLE_WORDS else 0
    titled = start
    while titled < len(words) - 1 and words[titled] in TITLE_WORDS:
        titled += 1
    return " ".join(text.split()[titled:]) if titled > start else text
