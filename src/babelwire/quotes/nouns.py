"""Noun cues with their argument: "Trump's criticism of the plan", "support for Sanders".

PolNeAR annotates an attitude named by a noun as an attribution: the noun and its
preposition are the cue, the noun phrase after the preposition is the content, and
the possessor before the noun ("Trump's", "his") is the source, else the phrase
opening the sentence ("She escalated her attacks on …"). The lexicon's
``noun_cues`` lists the noun + preposition pairs ("criticism of", "support for"), and
adjectives of attitude read the same way ("The mayor is skeptical of the toll").
Only where no other candidate of the sentence covers the noun.
"""

from __future__ import annotations

from ..record import Span
from .candidates import Candidate, token_span
from .cues import CLAUSE_ENDS
from .layout import Layout, Sentence, Token
from .lexicon import Lexicon
from .speakers import Phrase, PhraseReader, clause_subject

POSSESSIVE_ENDINGS = ("'s", "’s", "s'", "s’")
"""A possessor token before the noun ("Trump’s criticism of", "voters' support for")."""


def noun_cues(layout: Layout, lexicon: Lexicon, reader: PhraseReader, index: int,
              sentence: Sentence, taken: list[Span]) -> list[Candidate]:
    """A candidate for each listed noun + preposition outside ``taken`` spans."""
    if not lexicon.noun_cues:
        return []
    tokens = layout.tokens
    found: list[Candidate] = []
    for i in range(sentence.first_token, sentence.last_token - 2):
        pair = (tokens[i].lower, tokens[i + 1].lower)
        if pair not in lexicon.noun_cues or layout.outer_stretch_at(tokens[i].start) is not None \
                or any(s <= tokens[i].start < e for s, e in taken):
            continue
        span = token_span(layout, i + 2, _content_end(layout, lexicon, i + 2,
                                                      sentence.last_token))
        if span is None:
            continue
        subject = _possessor(lexicon, tokens, i, sentence.first_token) \
            or _sentence_subject(reader, sentence.first_token, i)
        found.append(Candidate([span], "noun-cue", index, subject=subject, confidence=0.4))
    return found


def _content_end(layout: Layout, lexicon: Lexicon, start: int, s1: int) -> int:
    """The noun phrase after the preposition ends at punctuation or a verb form."""
    for k in range(start, s1):
        token = layout.tokens[k]
        if k > start and (token.text in CLAUSE_ENDS or token.text in ".!?"
                          or token.lower in lexicon.passive_auxiliaries
                          or token.lower in lexicon.adverbs or lexicon.verb_forms(token.text)):
            return k
    return s1


def _sentence_subject(reader: PhraseReader, s0: int, noun: int) -> Phrase | None:
    """"He avoided direct criticism of …": with no possessor, the phrase opening the
    sentence, unless it is the noun's own phrase ("Opposition to …")."""
    subject = clause_subject(reader, s0, noun)
    return subject if subject is not None and subject.last < noun else None


def _possessor(lexicon: Lexicon, tokens: list[Token], noun: int, s0: int) -> Phrase | None:
    """The possessor right before the noun ("Trump’s", "his"), adjectives between."""
    j = noun - 1
    while j > s0 and tokens[j].text[:1].islower() and tokens[j].lower not in lexicon.pronouns \
            and tokens[j].lower not in lexicon.determiners and tokens[j].is_word \
            and not tokens[j].lower.endswith(POSSESSIVE_ENDINGS):
        j -= 1  # "his persistent criticism of"
    if j < s0:
        return None
    token = tokens[j]
    if token.lower in lexicon.pronouns or token.lower.endswith(POSSESSIVE_ENDINGS):
        return Phrase(j, j + 1)
    return None
