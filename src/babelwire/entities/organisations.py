"""Well-known organisations: a name or acronym in any language → one stable organisation id.

Why a table: organisations are translated, not transliterated. "Vereinte Nationen",
"Nations unies", "ООН" and "联合国" share no letters with "United Nations", so no
name key or skeleton can link them, yet a handful of international bodies, alliances,
armed groups, news agencies and companies fill most organisation mentions in
international news. `data/organisations.tsv` lists them, assembled by hand from public
knowledge (each line: id, language, form), and this table answers exact lookups only:
a mention links when its normalised text equals a listed form, nothing looser.

Acronyms are matched case-sensitively (dots removed: "U.N." is "UN"), so the Russian
"ЕС" (the EU) does not catch a Latin "es", and a lower-case word that happens to spell
an acronym ("who", "ein") stays a word; and only in the language they are listed for
(or ``*``, any): the Scandinavian "FN" is the UN, the French "FN" a party. Full
names ignore case, diacritics, hyphens and spacing ("Al-Qaida" / "al Qaida"). In
inflecting languages written in Cyrillic a case ending may be dropped ("Газпрома" →
"Газпром") when the stem is listed; in Polish, Czech and Slovak every word of a name may
be read back to its nominative (`LATIN_CASE_ENDINGS`: "Parlamentu Europejskiego" →
"Parlament Europejski", "Hamasu" → "Hamas").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files as package_files
from itertools import product

TABLE_FILE = "organisations.tsv"

MIN_STEM_LETTERS = 4
"""A Cyrillic stem shorter than this is not tried without its ending (ООН stays ООН)."""

_CYRILLIC_ENDINGS = ("ами", "ями", "ом", "ем", "ой", "ей", "а", "я", "у", "ю", "е", "ы", "и")
_NOT_LETTER = re.compile(r"[\W_]+", re.UNICODE)

LATIN_CASE_ENDINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "pl": (("iego", "i"), ("ego", "y"), ("iej", "a"), ("ej", "a"), ("owi", ""), ("ości", "ość"),
           ("ów", ""), ("em", ""), ("ie", ""), ("ii", "ia"), ("u", ""), ("a", ""), ("a", "o"),
           ("y", "a"),
           ("i", "a"), ("ą", "a"), ("ę", "a")),
    "cs": (("ého", "ý"), ("ém", "ý"), ("ovi", ""), ("em", ""), ("ě", ""), ("u", ""), ("a", ""),
           ("y", "a"), ("é", "á"), ("i", "a")),
    "sk": (("ého", "ý"), ("ovi", ""), ("om", ""), ("ej", "á"), ("u", ""), ("a", ""),
           ("y", "a")),
}
"""Case endings of organisation names in Polish, Czech and Slovak news, each with its
nominative replacement (Pentagonu, Bundestagu, Prawa i Sprawiedliwości, Parlamentu
Europejskiego, Gazpromem). Only a listed form can match, so a wrong stem costs nothing."""

MAX_INFLECTED_WORDS = 4
"""Names longer than this are looked up as written only (the readings multiply per word)."""


@dataclass(frozen=True, slots=True)
class Organisation:
    """One listed organisation: its id (``org:…``) and English name."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class OrganisationMatch:
    """A mention that equals a listed form: the organisation and the form's language."""

    organisation: Organisation
    form: str
    lang: str


def base_language(lang: str) -> str:
    """"sr-Cyrl" → "sr", "pt_BR" → "pt"; empty or unknown → "*"."""
    base = (lang or "*").replace("_", "-").split("-")[0].lower()
    return "*" if base in ("", "und") else base


def is_acronym(form: str) -> bool:
    """Upper-case letters (and digits) only, with at least two letters: UN, НАТО, G20, ΝΑΤΟ."""
    letters = [ch for ch in form if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and " " not in form.strip()


def form_key(text: str, lang: str = "*") -> str:
    """The lookup key of a text: acronyms keep their case and language, full names are folded.

    NFKC, dots out of acronyms (U.N.); names case-folded, combining marks removed,
    everything that is not a letter or digit removed (quote marks of האו"ם too).
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if is_acronym(text.replace(".", "")):
        return f"A:{base_language(lang)}:" + _NOT_LETTER.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "N:" + _NOT_LETTER.sub("", unicodedata.normalize("NFC", stripped))


class OrganisationTable:
    """The listed organisations, read from the package on first lookup."""

    def __init__(self, rows: list[tuple[str, str, str]] | None = None) -> None:
        self._rows = rows
        self._by_key: dict[str, OrganisationMatch] | None = None

    def lookup(self, text: str, lang: str = "und") -> OrganisationMatch | None:
        """The organisation whose listed form equals ``text`` in ``lang``, or None.

        See the module docstring for what "equals" means.
        """
        table = self._table()
        candidates = [text.strip()]
        if _is_cyrillic(text):
            candidates.extend(_cyrillic_stems(text.strip()))
        elif base_language(lang) in LATIN_CASE_ENDINGS:
            candidates.extend(_latin_nominatives(text.strip(), base_language(lang)))
        for candidate in candidates:
            for key in dict.fromkeys((form_key(candidate, lang), form_key(candidate, "*"))):
                found = table.get(key)
                if found is not None:
                    return found
        return None

    def __len__(self) -> int:
        return len({m.organisation.id for m in self._table().values()})

    def _table(self) -> dict[str, OrganisationMatch]:
        if self._by_key is None:
            self._by_key = build_table(self._rows) if self._rows is not None else _shipped()
        return self._by_key


@lru_cache(maxsize=1)
def _shipped() -> dict[str, OrganisationMatch]:
    """The shipped table, built once per process on first use (resolvers are many)."""
    return build_table(read_rows())


def read_rows() -> list[tuple[str, str, str]]:
    """(id, language, form) rows of the shipped table; ``#`` starts a comment line."""
    text = (package_files("babelwire.entities") / "data" / TABLE_FILE).read_text("utf-8")
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise ValueError(f"{TABLE_FILE} line {number}: expected id, language and form"
                             f" separated by tabs, got {line!r}")
        rows.append((parts[0].strip(), parts[1].strip(), parts[2].strip()))
    return rows


def build_table(rows: list[tuple[str, str, str]]) -> dict[str, OrganisationMatch]:
    """Key → match; an organisation is named by its first English form (else its first form).

    Two organisations listing one key is an error in the table, reported with both ids.
    """
    names: dict[str, str] = {}
    for org_id, lang, form in rows:
        if lang == "en" and org_id not in names:
            names[org_id] = form
    for org_id, _, form in rows:
        names.setdefault(org_id, form)
    table: dict[str, OrganisationMatch] = {}
    for org_id, lang, form in rows:
        key = form_key(form, lang)
        held = table.get(key)
        if held is not None and held.organisation.id != f"org:{org_id}":
            raise ValueError(f"{TABLE_FILE}: {form!r} is listed for both"
                             f" {held.organisation.id} and org:{org_id}; keep it for one")
        table.setdefault(key, OrganisationMatch(Organisation(f"org:{org_id}", names[org_id]),
                                                form, lang))
    return table


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _cyrillic_stems(text: str) -> list[str]:
    """``text`` without one case ending, and with -ь for an ending after a soft stem."""
    stems: list[str] = []
    for ending in _CYRILLIC_ENDINGS:
        if text.lower().endswith(ending) and len(text) - len(ending) >= MIN_STEM_LETTERS:
            stem = text[: len(text) - len(ending)]
            stems.extend((stem, stem + "ь"))
    return list(dict.fromkeys(stems))


def _latin_nominatives(text: str, lang: str) -> list[str]:
    """``text`` with each word read back from one case ending of ``lang`` (or kept)."""
    words = text.split()
    if not 1 <= len(words) <= MAX_INFLECTED_WORDS:
        return []
    options = [_latin_word_stems(word, lang) for word in words]
    out = [" ".join(choice) for choice in product(*options)]
    return [candidate for candidate in out if candidate != text]


def _latin_word_stems(word: str, lang: str) -> list[str]:
    stems = [word]
    lowered = word.lower()
    for ending, replacement in LATIN_CASE_ENDINGS[lang]:
        if lowered.endswith(ending) and len(word) - len(ending) >= MIN_STEM_LETTERS - 1:
            stems.append(word[: len(word) - len(ending)] + replacement)
    return list(dict.fromkeys(stems))
