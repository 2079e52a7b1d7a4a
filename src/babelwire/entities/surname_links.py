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
