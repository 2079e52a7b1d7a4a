"""Mentions a speaker can be resolved to: the NER stage's entities, or capitalised names.

With ``Article.entities`` filled (the ``ner.e5.v3`` stage, and the entity
catalog's canonical ids), those are the mentions. Without them the extractor
still has to name speakers, so it falls back to capitalised-name spans: runs of
capitalised words not led by a determiner (German capitalises every noun, "der
Minister", so a capital alone is no name), of two words or more ("Angela
Merkel"), or one word already seen as the last word of such a run ("Merkel"),
or written in capitals ("NATO", "BBC": taken as organisations).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..record import Entity
from .layout import Layout, Token
from .lexicon import Lexicon, SpeakerKind

MENTION_TYPES = {"PER": SpeakerKind.PER, "ORG": SpeakerKind.ORG}


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in the text: offsets, text, PER or ORG, and the canonical entity id if linked."""

    start: int
    end: int
    text: str
    kind: SpeakerKind
    entity_id: str | None = None


def entity_mentions(entities: list[Entity]) -> list[Mention]:
    """PER and ORG mentions of the NER stage, one per span, sorted by start."""
    found = []
    for entity in entities:
        kind = MENTION_TYPES.get(entity.type.upper())
        if kind is None:
            continue
        for start, end in entity.spans:
            found.append(Mention(start, end, entity.mention or entity.name, kind,
                                 entity.id or None))
    return sorted(found, key=lambda m: (m.start, m.end))


def capitalised_mentions(layout: Layout, lexicon: Lexicon) -> list[Mention]:
    """Name-like runs of capitalised words (the fallback when no NER ran), sorted by start."""
    runs = _capitalised_runs(layout, lexicon)
    surnames = {layout.tokens[b - 1].text for a, b in runs if b - a >= 2}
    free = {layout.tokens[b - 1].text for a, b in runs
            if not _after_preposition(layout, a, lexicon)}
    found = []
    for a, b in runs:
        while b - a > 1 and _leading_role(layout, a, b, lexicon):
            a += 1  # "Bundeskanzlerin Angela Merkel", "Vakbond FNV": the role is no part of it
        while b - a > 1 and layout.tokens[a].lower in lexicon.name_particles:
            a += 1
        if b - a > lexicon.max_name_words and not any(
                layout.tokens[k].lower in lexicon.name_particles for k in range(a, b)):
            a = b - lexicon.max_name_words  # "президента России Дмитрий Песков": the last words
        first, last = layout.tokens[a], layout.tokens[b - 1]
        text = lexicon.strip_elision(layout.text[first.start:last.end])  # "l’Élysée"
        kind = _fallback_kind(text, b - a, last.text in surnames, lexicon)
        if kind is SpeakerKind.PER and _after_preposition(layout, a, lexicon) \
                and last.text not in free:
            kind = None  # "na Górnym Śląsku", "in Den Haag": a place, not a person
        if kind is not None:
            found.append(Mention(last.end - len(text), last.end, text, kind))
    return found


def _after_preposition(layout: Layout, a: int, lexicon: Lexicon) -> bool:
    return a > 0 and layout.tokens[a - 1].lower in lexicon.prepositions


def _leading_role(layout: Layout, a: int, b: int, lexicon: Lexicon) -> bool:
    """Token ``a`` is a title before a name: a person's role, a determiner, or an organisation
    word before an acronym ("Vakbond FNV"; but "Ministerio de Vivienda" is one name)."""
    word = layout.tokens[a].text
    kind = lexicon.role_kind(word)
    if kind is SpeakerKind.PER or word.lower() in lexicon.determiners:
        return True
    rest = layout.tokens[a + 1:b]
    return kind is SpeakerKind.ORG and len(rest) == 1 and rest[0].text.isupper()


def _fallback_kind(text: str, words: int, seen_as_surname: bool,
                   lexicon: Lexicon) -> SpeakerKind | None:
    if text.isupper() and len(text) >= 2:
        return SpeakerKind.ORG
    kinds = {lexicon.role_kind(word) for word in text.split()}
    if SpeakerKind.ORG in kinds:
        return SpeakerKind.ORG
    role = lexicon.role_kind(text.split()[-1])
    if role is SpeakerKind.PER:
        return None
    if words >= 2 or seen_as_surname:
        return SpeakerKind.PER
    return None


def _capitalised_runs(layout: Layout, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Token ranges of capitalised words, joined by name particles, not after a determiner."""
    tokens = layout.tokens
    sentence_starts = {s.first_token for s in layout.sentences}
    runs = []
    i, n = 0, len(tokens)
    plain = not lexicon.elisions  # then a name word starts with a capital (a cheap first test)
    while i < n:
        text = tokens[i].text
        if (plain and not text[0].isupper()) or not _name_word(text, lexicon):
            i += 1
            continue
        j = i + 1
        while j < n:
            if _name_word(tokens[j].text, lexicon) and _adjacent(layout, j):
                j += 1
            elif tokens[j].lower in lexicon.name_particles and _particles_then_name(
                    tokens, j, lexicon):
                j += 1  # "Ursula von der Leyen", "Femke de Groot"
            else:
                break
        after_determiner = i > 0 and tokens[i - 1].lower in lexicon.determiners
        if not after_determiner:
            runs.append((i, j))
        i = j
    # a single capitalised word opening a sentence is a name only if seen as a surname elsewhere
    surnames = {tokens[b - 1].text for a, b in runs if b - a >= 2}
    return [(a, b) for a, b in runs
            if not (a in sentence_starts and b - a == 1 and tokens[a].text not in surnames)]


def _particles_then_name(tokens: list[Token], j: int, lexicon: Lexicon) -> bool:
    """Name particles from ``j`` on (at most three) are followed by a capitalised name word."""
    k = j
    while k < len(tokens) and k - j < 3 and tokens[k].lower in lexicon.name_particles:
        k += 1
    return (k < len(tokens) and k > j and _name_word(tokens[k].text, lexicon)
            and not tokens[k].text.isupper())  # "Jan Visser van het KNMI": the KNMI is no name part


def _adjacent(layout: Layout, j: int) -> bool:
    """Token ``j`` follows token ``j - 1`` with at most one space (no line break)."""
    gap = layout.text[layout.tokens[j - 1].end:layout.tokens[j].start]
    return gap in ("", " ")


def _name_word(text: str, lexicon: Lexicon) -> bool:
    if not (lexicon.cased and lexicon.is_capitalised(text)):
        return False  # most tokens: no need to lower-case them
    lower = text.lower()
    return (lower not in lexicon.determiners
            and lower not in lexicon.pronouns and lower not in lexicon.prepositions
            and lower not in lexicon.conjunctions and lower not in lexicon.adverbs
            and not lexicon.verb_forms(text))
