"""Country adjectives and demonyms derived from the country's own name in each language.

Why derive: CLDR lists language names ("russisk", "German"), which cover the countries
whose adjective is a language, but not American, British, Israeli, Swiss, iranische or
израильский. Most of those are the country's name in that language with an
adjectival suffix: Israel + -i / -isch / -ien / -ski / -skii, Irak + -ische, Kenia +
-nische, Lebanon − on + -ese, Afghanistan − istan. So for each language with a
suffix list (`SUFFIXES`), each one-word country name in that language (CLDR) loses
one of its usual endings (`NAME_ENDINGS`: -a, -ia, -ien, -ique, -stan ...), takes each
suffix, and gets the usual inflections (`place_table.adjective_forms`).

Over-generation is harmless (a form is only looked up when a whole mention equals it)
except where two countries produce one form: then the one derived from the longer
stem wins (Nigeria + n beats Niger + ian for "Nigerian"), and a tie drops the form.
`EXCEPTIONS` holds the few adjectives that are not derived from any CLDR name of
their country (American, British, Dutch, Swiss) in the languages of the suffix list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

SUFFIXES: dict[str, tuple[str, ...]] = {
    "en": ("n", "an", "ian", "i", "ese", "ish", "ic"),
    "de": ("isch", "sch", "nisch", "anisch", "ianisch", "erisch", "esisch"),
    "nl": ("isch", "s", "aans", "ees", "iaans"),
    "da": ("sk", "isk", "ansk", "iansk", "esisk"),
    "nb": ("sk", "isk", "ansk", "iansk", "esisk"),
    "sv": ("sk", "isk", "ansk", "iansk", "esisk"),
    "fr": ("ien", "ain", "ais", "ois", "e", "ite", "que"),
    "es": ("o", "ano", "iano", "ense", "eno", "ino", "i", "es", "ita", "ero"),
    "it": ("o", "ano", "iano", "ese", "ino", "ita"),
    "pt": ("o", "ano", "iano", "ense", "eno", "ino", "eiro", "ita"),
    "pl": ("ski", "ijski", "yjski", "anski", "inski"),
    "cs": ("ski", "sky", "ijsky", "ansky", "y"),
    "sk": ("sky", "ijsky", "ansky", "y"),
    "ru": ("skii", "iiskii", "inskii", "anskii", "skiy"),
    "uk": ("skii", "skyi", "iiskii", "inskii", "anskii"),
    "bg": ("ski", "iiski", "anski"),
    "tr": ("", "li", "lu", "iz"),
    "hu": ("", "i"),
    "fi": ("lainen", "alainen", "ilainen"),
    "et": ("lane", "alane"),
    "el": ("ikos", "inos", "anos", "ezikos"),
    "hr": ("ski", "ijski", "anski", "inski"),
    "sr": ("ski", "ijski", "anski", "inski"),
    "bs": ("ski", "ijski", "anski", "inski"),
    "sl": ("ski", "ijski", "anski"),
    "mk": ("ski", "iski", "anski"),
    "ro": ("", "ian", "ean", "ez", "ean"),
    "ar": ("y", "yh", "ywn", "yyn", "wy", "wyh"),
    "fa": ("y", "yy"),
    "he": ("y", "yt", "ym", "yvt"),
}
"""Adjectival suffixes per language, on `place_key` (ASCII) spellings.

The empty suffix is the stem itself: Turkish Almanya → Alman, Rusya → Rus; Hungarian
Oroszország → orosz (the country word -ország is a `NAME_ENDINGS` entry). Turkish -lı
(İranlı, Çinli), Finnish -lainen (Ranska → ranskalainen, Ruotsi → ruotsalainen),
Czech/Slovak -ko → -ký (Rusko → ruský), French -c → -cque (Grèce → grecque), Greek -ικός
/-ινός (Τουρκία → τουρκικός, Ισραήλ → ισραηλινός), Romanian -ian/-ean/-ez (Israel →
israelian, Ucraina → ucrainean, China → chinez). Arabic, Persian and Hebrew add the
nisba -ī (ي, ی, י) to the consonantal key (مصر msr → مصري msry, ایران → ایرانی, ישראל →
ישראלי, feminine ية / ית, plurals); Arabic also with its article (`ARTICLES`: المصري)."""

ARTICLES: dict[str, str] = {"ar": "l"}
"""The definite article a language joins to an adjective, as `place_key` writes it (ال: l)."""

LANGUAGE_ENDINGS: dict[str, tuple[str, ...]] = {"ar": ("h",), "fa": ("h", "yh"), "he": ("h", "yh")}
"""Name endings dropped before the nisba in abjad keys: a final he (روسیه rwsyh → روسی,
אוסטריה vstryh → אוסטרי)."""

NAME_ENDINGS = ("", "a", "e", "i", "o", "y", "ia", "ie", "ien", "ija", "iia", "iya", "ya", "ja",
                "um", "en", "on", "ique", "iko", "istan", "stan", "orszag")
"""Endings a country name drops before the suffix (Syrien → syr-isch, Mexiko → mex-ikanisch,
Rosja → ros-yjski, Venäjä → venä-läinen, Németország → német)."""

_NL_CLOSED_RE = re.compile(r"[^aeiou][aeiou][nlr]$")
"""A Dutch name ending in one vowel and n, l or r doubles the vowel before -s (Iran → Iraans)."""

MIN_STEM_CHARS = 3
"""Shorter stems match too much (In-dia → "Inese"); three letters keep Syr-, Kub-, Ind-."""

EXCEPTIONS: dict[str, tuple[str, ...]] = {
    "US": ("american", "amerikanisch", "amerikaans", "amerikansk", "americain", "americano",
           "amerykanski", "americky", "amerikanskii", "amerikanskyi", "amerikanski",
           "estadounidense", "amerikai", "amerikkalainen", "amerikan", "amerikali",
           "amerikanik", "ameerika", "mryky", "lmryky", "mrykyh", "lmrykyh", "amrykyy",
           "amryky", "mrykyt"),
    "GB": ("british", "britisch", "brits", "britisk", "britannique", "britanico", "britannico",
           "brytyjski", "britsky", "britanskii", "britanski"),
    "NL": ("dutch", "hollandsk", "neerlandais", "holandes", "olandese", "holandski",
           "gollandskii", "niderlandskii", "niderlandski"),
    "VE": ("venezolano",),
    "CH": ("swiss", "schweizer", "zwitsers", "sveitsisk", "schweizisk", "suisse", "suizo",
           "svizzero", "suico", "szwajcarski", "svycarsky", "shveitsarskii", "shveitsarski"),
}
"""Adjective bases not derivable from a CLDR name of the country in those languages."""


def stems(name_key: str, language: str = "") -> Iterator[tuple[str, str]]:
    """The whole key, and the stem without its longest usual ending (at least three letters).

    Two stems only: the suffixes already carry the linking vowels (Kenia → ken-ianisch,
    Nigeria → nigeria-n), and every extra stem multiplies the forms generated.
    ``language`` adds its own endings (`LANGUAGE_ENDINGS`).
    """
    yield name_key, ""
    endings = [e for e in (*NAME_ENDINGS, *LANGUAGE_ENDINGS.get(language, ()))
               if e and name_key.endswith(e)
               and len(name_key) - len(e) >= MIN_STEM_CHARS]
    if endings:
        longest = max(endings, key=len)
        yield name_key[: len(name_key) - len(longest)], longest


def derived_bases(names: Iterable[tuple[str, str, str]]) -> dict[str, tuple[str, int]]:
    """Adjective base → (country code, stem length) from (language, name key, code) triples.

    A base that two countries derive goes to the longer stem; equal stems drop it.
    """
    best: dict[str, tuple[str, int]] = {}
    tied: set[str] = set()
    for language, key, code in names:
        article = ARTICLES.get(language)
        for stem, _ending in stems(key, language):
            for suffix in SUFFIXES.get(language, ()):
                base = stem + suffix
                if base == key:
                    continue
                _keep_longer(best, tied, base, code, len(stem))
                if article and not base.startswith(article):
                    _keep_longer(best, tied, article + base, code, len(stem))
        if language == "nl" and _NL_CLOSED_RE.search(key):  # Iran → Iraans, Sudan → Soedanees
            _keep_longer(best, tied, key[:-1] + key[-2:] + "s", code, len(key))
        if key.endswith("stan") and len(key) > 7:  # Afghanistan → Afghan, Kazakhstan → Kazakh
            for ending in ("istan", "stan"):
                if key.endswith(ending):
                    _keep_longer(best, tied, key[: -len(ending)], code, len(key) - len(ending))
                    break
    for base in tied:
        best.pop(base, None)
    return best


def _keep_longer(best: dict[str, tuple[str, int]], tied: set[str], base: str, code: str,
                 stem_length: int) -> None:
    current = best.get(base)
    if current is None or current[1] < stem_length:
        best[base] = (code, stem_length)
        tied.discard(base)
    elif current[0] != code and current[1] == stem_length:
        tied.add(base)
