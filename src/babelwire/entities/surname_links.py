"""When a surname alone may name a stored person across articles, and when it must not.

Why: news writes "Tusk", "Tuska", "premier Tusk" or "Туска" in an article that never
gives the full name (a headline, a short item, a follow-up). With no full name in the
article and no shared context, the resolver used to make every such mention its own
entity, which is most of the people recall missed on the development lists. A news
monitor can do better without guessing: a surname that only one stored person bears
(or that one person bears far more often than all others together) names that person.

The rule (`choose_by_surname`), for a person mention that is one word after titles are
dropped (`titles`) and after its case ending is read (`surname_stems`):

- candidates are the stored people with a given name whose surname key is one of the
  mention's stems, and no user split forbids them;
- a surname borne by `MAX_SURNAME_BEARERS` stored people or more links to none of them
  (Johnson, Kim, Wang, Müller in a store of a million people);
- one candidate: link; several: link only to one with at least
  `SURNAME_DOMINANCE_RATIO` times the mentions of all the others together. If a bare
  "Lagarde" picks its person in proportion to how often each Lagarde is mentioned,
  that ratio keeps the chance of a wrong link at or below 1 / (1 + ratio) < 2 %;
- otherwise the mention stays its own entity, as before.

The reverse holds too (`surname_only_holders`): a full name that no key matched links to
a stored entity known only by that surname, when that entity is the only one and no
stored person with a given name bears the surname (then the surname-only entity may be
any of them).

Case endings are read generously here (`SURNAME_CASE_ENDINGS`, any language), because
the candidate must already carry the stem as its surname: "Putina" finds Vladimir Putin,
"Tuskiem" Donald Tusk. A stem is never shorter than `MIN_STEM_LETTERS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .name_key import skeleton_of

SURNAME_DOMINANCE_RATIO = 50
"""A bare surname links to the most mentioned of several bearers only with at least this many
times the mentions of all other bearers together (precision ≥ 50/51 if bare mentions pick a
bearer in proportion to mentions)."""

MAX_SURNAME_BEARERS = 50
"""A surname with this many stored bearers or more is too common to name anyone alone."""

MIN_STEM_LETTERS = 3
"""An ending is not read off if fewer letters would remain ("Lia" is not Li + a)."""

SURNAME_CASE_ENDINGS = (
    "ego", "ogo", "ovi", "owi", "iem", "nin", "nun", "nal", "nel", "val", "vel",
    "em", "om", "im", "ym", "al", "el", "in", "un", "ei",
    "a", "u", "y", "e", "i", "n", "s", "m",
)
"""Folded case endings that Slavic, Baltic, Finno-Ugric, Greek and Turkish news adds to a
foreign surname (Tuska, Tuskiem, Tuskovi, Putinowi, Orbánnal, Niinistön, Zelenským,
Erdoğans, Τσίπρα), longest first. Read off only to find a stored surname, never to
build a key: a stored person must already carry the stem."""

CZECH_FEMININE = "ova"
"""The Czech and Slovak -ová a wife's or daughter's surname adds (Babišová, Nováková)."""


def surname_stems(token: str) -> list[str]:
    """``token`` and each reading of it with one case ending read off, longest first.

    >>> surname_stems("tuskiem")[:3]
    ['tuskiem', 'tuskie', 'tusk']
    """
    stems = [token]
    for ending in SURNAME_CASE_ENDINGS:
        if token.endswith(ending) and len(token) - len(ending) >= MIN_STEM_LETTERS:
            stem = token[: len(token) - len(ending)]
            if stem not in stems:
                stems.append(stem)
    return stems


MIN_SOUND_STEM_LETTERS = 4
"""A surname is compared by sound (`mention_surname_sounds`) only from a stem this long."""

MIN_SOUND_CONSONANTS = 3
"""A surname's consonant skeleton must have this many letters to be compared by sound (Fico,
"bc", would find every Bach and Fox)."""

_FEMININE_MASCULINE = (("ska", "ski"), ("cka", "cki"), ("ská", "ský"), ("cká", "cký"),
                       ("skaya", "skiy"), ("skaja", "skij"), ("skaia", "skii"))
"""Adjectival surnames whose feminine is another person's name, not a case form (Kowalska is
not Kowalski); their skeletons are equal, so the sound comparison must refuse them."""


@lru_cache(maxsize=65536)
def mention_surname_sounds(token: str) -> frozenset[str]:
    """Consonant skeletons of a bare surname's stems (`surname_stems`), to find a stored
    surname spelled in another convention.

    Why: a bare Макрона reads "makrona", Łukaszenki "lukashenki" and Μητσοτάκη "michotaki",
    while the stored full names read "macron", "lukashenko", "mitsotakis": no stem equals
    the stored surname letter for letter, but their consonant skeletons do (mcrn, lcsnc,
    mctc). Vowels are not compared, so Trumpa / Трампа / Trump agree too.
    """
    return frozenset(sound for stem in surname_stems(token) if len(stem) >= MIN_SOUND_STEM_LETTERS
                     and _ending_fits(stem, token[len(stem):])
                     and len(sound := skeleton_of(stem)) >= MIN_SOUND_CONSONANTS)


def _ending_fits(stem: str, ending: str) -> bool:
    """Whether ``ending`` may be read off for a comparison by sound: a vowel ending always (it
    leaves the skeleton as it is), one with a consonant only after a consonant (Tusk-iem,
    Putin-owi, Orbán-nal). Why: "Macron" less its n is "macro", whose skeleton Macri has."""
    return all(letter in _VOWELS for letter in ending) or stem[-1:] not in _VOWELS


_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=65536)
def stored_surname_sounds(surname: str) -> frozenset[str]:
    """Consonant skeletons of a stored surname as written, and without a nominative -s after a
    vowel (Greek and Baltic Tsipras, Mitsotakis, Nausėdas are Τσίπρα, Μητσοτάκη in the
    genitive and accusative)."""
    forms = [surname]
    if len(surname) > MIN_SOUND_STEM_LETTERS and surname.endswith("s") and surname[-2] in "aeiouy":
        forms.append(surname[:-1])
    return frozenset(sound for form in forms
                     if len(sound := skeleton_of(form)) >= MIN_SOUND_CONSONANTS)


def is_other_gender_form(token: str, surname: str) -> bool:
    """Whether a bare ``token`` and a stored ``surname`` are an adjectival surname's feminine
    and masculine (Kowalska / Kowalski, Достоевская / Dostoevsky), either way round."""
    token, surname = token.casefold(), surname.casefold()
    return any((token.endswith(f) and surname.endswith(m)) or (token.endswith(m)
               and surname.endswith(f)) for f, m in _FEMININE_MASCULINE)


@dataclass(frozen=True, slots=True)
class SurnameChoice:
    """The outcome of `choose_by_surname`: the entity (or None) and why, for ``entity explain``."""

    entity_id: str | None
    reason: str


def choose_by_surname(surname: str, bearers: list[tuple[str, str, int]],
                      *, capped: bool) -> SurnameChoice:
    """Pick the stored person a bare ``surname`` names, from (id, name, mentions) ``bearers``.

    ``capped``: the index returned `MAX_SURNAME_BEARERS` bearers for some stem, so the
    surname is common and the list incomplete.
    """
    if capped or len(bearers) >= MAX_SURNAME_BEARERS:
        return SurnameChoice(None, f"surname {surname!r} is borne by {MAX_SURNAME_BEARERS}"
                                   " or more stored people")
    if not bearers:
        return SurnameChoice(None, f"no stored person with surname {surname!r}")
    if len(bearers) == 1:
        entity_id, name, _ = bearers[0]
        return SurnameChoice(entity_id, f"surname {surname!r}: {name!r} is the only stored"
                                        " person who bears it")
    ranked = sorted(bearers, key=lambda b: -b[2])
    top, others = ranked[0], sum(b[2] for b in ranked[1:])
    if top[2] >= SURNAME_DOMINANCE_RATIO * others:
        return SurnameChoice(top[0], f"surname {surname!r}: {top[1]!r} has {top[2]} mentions,"
                                     f" the {len(ranked) - 1} other bearers {others}"
                                     f" (≥ {SURNAME_DOMINANCE_RATIO}×)")
    return SurnameChoice(None, f"surname {surname!r} is borne by {len(ranked)} stored people,"
                               f" none dominant ({top[1]!r} {top[2]} mentions, others {others})")


def is_feminine_of(mention_text: str, mention_lang: str, bearer_langs: set[str],
                   bearer_surnames: set[str]) -> bool:
    """Whether a Czech/Slovak bare -ová names a bearer's wife rather than the bearer.

    Why: Czech writes a foreign woman with -ová (Angela Merkelová) but a Czech man's wife
    too (Babišová, Andrej Babiš's wife). Only a bearer that Czech or Slovak news already
    writes without -ová (a man) is refused.
    """
    if mention_lang not in {"cs", "sk"} or not mention_text.casefold().rstrip().endswith("ová"):
        return False
    return bool(bearer_langs & {"cs", "sk"}) and not any(
        s.endswith(CZECH_FEMININE) for s in bearer_surnames)
