"""Complement clauses of nouns and adjectives of saying and believing.

PolNeAR annotates "the claim that …", "is convinced that …", "made clear that …"
as attributions, though no speech verb stands there. A complementiser right
after a word of the lexicon's ``complement_heads`` opens the content (to the
sentence end); the subject before the head (as a verb's, else the sentence's
first phrase) is the source. Only where no cue of the sentence covers the
complementiser already. On en train: F1 0.5819 → 0.5837, speaker 0.8310 →
0.8292 (the new quotes' sources are right half of the time).

German puts a comma before the clause and often an expletive object before a
predicative adjective: „X hält es für möglich, dass …“ (`predicative_complements`;
de train F1 0.7787 → 0.7800, six quotes, all right, every document fold better).
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


MAX_PREDICATIVE_TOKENS = 3
"""Tokens from the predicative word to the comma: „für möglich“, „als erwiesen an“."""


def predicative_complements(layout: Layout, lexicon: Lexicon, reader: PhraseReader, index: int,
                            sentence: Sentence, taken: list[Span]) -> list[Candidate]:
    """„Beobachter halten es für unwahrscheinlich, dass …“: a judgement of the subject's,
    its content the clause after the comma (lexicon ``expletive_objects`` and
    ``predicative_words``; no speech verb is needed). The expletive must stand after the
    first word, where it is an object: „Es ist wahrscheinlich, dass …“ is the narrator's."""
    if not lexicon.expletive_objects or not lexicon.predicative_words:
        return []
    tokens, first = layout.tokens, sentence.first_token
    for comma in range(first + 3, sentence.last_token - 2):
        complementizer = tokens[comma + 1]
        if tokens[comma].text != "," or not lexicon.is_complementizer(complementizer.text) \
                or layout.outer_stretch_at(complementizer.start) is not None \
                or any(s <= complementizer.start < e for s, e in taken):
            continue
        head = _predicative_head(layout, lexicon, first, comma)
        if head is None:
            return []
        span = token_span(layout, comma + 1, sentence.last_token)
        subject = clause_subject(reader, first, head)
        if span is None or subject is None:
            return []
        return [Candidate([span], "head-predicative", index, subject=subject, confidence=0.4)]
    return []


def _predicative_head(layout: Layout, lexicon: Lexicon, first: int, comma: int) -> int | None:
    """The expletive object of „… es … für möglich,“ ending at ``comma``, or None."""
    tokens = layout.tokens
    word = next((k for k in range(comma - 1, max(first, comma - MAX_PREDICATIVE_TOKENS) - 1, -1)
                 if tokens[k].lower in lexicon.predicative_words), None)
    if word is None or not all(t.is_word and t.text[:1].islower()
                               for t in tokens[word + 1:comma]) or word + 1 == comma:
        return None
    return next((k for k in range(first + 1, word) if tokens[k].lower in lexicon.expletive_objects
                 and tokens[k].text[:1].islower()), None)
