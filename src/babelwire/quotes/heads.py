"""Complement clauses of nouns and adjectives of saying and believing.

PolNeAR annotates "the claim that …", "is convinced that …", "made clear that …"
as attributions, though no speech verb stands there. A complementiser right
after a word of the lexicon's ``complement_heads`` opens the content (to the
sentence end); the subject before the head (as a verb's, else the sentence's
first phrase) is the source. Only where no cue of the sentence covers the
complementiser already. On en train: F1 0.5819 → 0.5837, speaker 0.8310 →
0.8292 (the new quotes' sources are right half of the time).
"""

from __future__ import annotations

from ..record import Span
from .candidates import Candidate, token_span
from .layout import Layout, Sentence
from .lexicon import Lexicon
from .speakers import PhraseReader, clause_subject, subject_of_verb


def head_complements(layout: Layout, lexicon: Lexicon, reader: PhraseReader, index: int,
                     sentence: Sentence, taken: list[Span]) -> list[Candidate]:
    """A candidate for each complement clause of a listed head outside ``taken`` spans."""
    if not lexicon.complement_heads:
        return []
    tokens = layout.tokens
    found: list[Candidate] = []
    for i in range(sentence.first_token + 1, sentence.last_token - 2):
        token = tokens[i]
        if tokens[i - 1].lower not in lexicon.complement_heads \
                or not lexicon.is_complementizer(token.text) \
                or layout.outer_stretch_at(token.start) is not None \
                or any(s <= token.start < e for s, e in taken):
            continue
        span = token_span(layout, i, sentence.last_token)
        if span is None:
            continue
        subject = subject_of_verb(reader, i - 1, sentence.first_token, i, i) \
            or clause_subject(reader, sentence.first_token, i - 1)
        found.append(Candidate([span], "head-complement", index, subject=subject,
                               confidence=0.4))
        break  # the rest of the sentence is this content
    return found
