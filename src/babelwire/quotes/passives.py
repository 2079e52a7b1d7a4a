"""Passive attributions with an agent: "The proposal was rejected by 64 percent of voters".

PolNeAR annotates the subject of a passive as the content and the agent as the
source when the verb reports an attitude or a statement ("was first reported by
Politico", "were echoed by her campaign", "was supported by majorities"); most such
participle is a listed verb form (any "-ed" participle was right 0.17 of the time on
en train: "was joined by", "was conducted by"), after a ``passive_auxiliaries`` word
(adverbs between), right before an ``agent_prepositions`` word. The content runs
from the clause start (after leading conjunctions and adverbs) to the auxiliary.
Only where no other candidate of the sentence covers the agent.
"""

from __future__ import annotations

from ..record import Span
from .candidates import Candidate, token_span
from .cues import CLAUSE_ENDS
from .layout import Layout, Sentence
from .lexicon import Lexicon
from .speakers import PhraseReader


def passive_agents(layout: Layout, lexicon: Lexicon, reader: PhraseReader, index: int,
                   sentence: Sentence, taken: list[Span]) -> list[Candidate]:
    """A candidate for each passive clause with an agent outside ``taken`` spans."""
    if not lexicon.agent_prepositions or not lexicon.passive_auxiliaries:
        return []
    tokens = layout.tokens
    found: list[Candidate] = []
    for by in range(sentence.first_token + 2, sentence.last_token - 1):
        token = tokens[by]
        if token.lower not in lexicon.agent_prepositions \
                or layout.outer_stretch_at(token.start) is not None \
                or any(s <= token.start < e for s, e in taken) \
                or not _is_participle(lexicon, tokens[by - 1].text):
            continue
        auxiliary = _auxiliary_before(layout, lexicon, by - 1, sentence.first_token)
        if auxiliary is None:
            continue
        first, last = _content(layout, lexicon, auxiliary, sentence.first_token)
        span = token_span(layout, first, last) if first < last else None
        if span is None:
            continue
        stop = _clause_end(layout, by + 1, sentence.last_token)
        agent = reader.after(by + 1, stop, modifiers=True)
        found.append(Candidate([span], "passive-agent", index, subject=agent, confidence=0.4))
    return found


def _is_participle(lexicon: Lexicon, word: str) -> bool:
    """A lower-case verb form of the lexicon ("reported", "echoed")."""
    return word[:1].islower() and bool(lexicon.verb_forms(word))


def _auxiliary_before(layout: Layout, lexicon: Lexicon, participle: int, s0: int) -> int | None:
    """The passive auxiliary before ``participle`` ("was first reported"), adverbs between."""
    j = participle - 1
    while j > s0 and layout.tokens[j].lower in lexicon.adverbs \
            and layout.tokens[j].lower not in lexicon.passive_auxiliaries:
        j -= 1
    return j if j > s0 and layout.tokens[j].lower in lexicon.passive_auxiliaries else None


def _content(layout: Layout, lexicon: Lexicon, auxiliary: int, s0: int) -> tuple[int, int]:
    """The tokens of the clause before the auxiliary, after conjunctions and adverbs
    ("But it was never mentioned by …": "it")."""
    tokens = layout.tokens
    last = auxiliary
    while last > s0 and tokens[last - 1].lower in lexicon.adverbs:
        last -= 1  # "Trump has been criticized by …": "has" is no content
    i = last - 1
    while i >= s0 and tokens[i].text not in CLAUSE_ENDS \
            and layout.outer_stretch_at(tokens[i].start) is None:
        i -= 1
    first = i + 1
    while first < last and (tokens[first].lower in lexicon.conjunctions
                            or tokens[first].lower in lexicon.adverbs):
        first += 1
    return first, last


def _clause_end(layout: Layout, start: int, s1: int) -> int:
    """The token that ends the agent's clause (punctuation), else the sentence end."""
    for i in range(start, s1):
        if layout.tokens[i].text in CLAUSE_ENDS or layout.tokens[i].text in ".!?":
            return i
    return s1
