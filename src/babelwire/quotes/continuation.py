"""Reported speech that goes on without a cue: sentences in the reported mood after a quote.

German news reports a statement over several sentences in Konjunktiv I, naming
the speaker only once: „Die Feuerwehr gibt an, es gebe keine Verletzten. Die
Ursache sei noch unklar.“ The second sentence is still the fire brigade's. A
sentence with a reported-mood verb form (the lexicon's ``reported_mood``)
within `MAX_GAP_SENTENCES` of a quote continues that quote's speaker;
consecutive such sentences form one quote, as the annotators group them.
"""

from __future__ import annotations

from .candidates import Candidate, trimmed
from .layout import Layout
from .lexicon import Lexicon

MAX_GAP_SENTENCES = 1
"""Sentences between the quote and its reported-mood continuation (0 = right after)."""


def reported_continuation(layout: Layout, lexicon: Lexicon, index: int,
                          previous: Candidate | None) -> Candidate | None:
    """A continuation of ``previous`` for sentence ``index``, or None.

    Returns ``previous`` itself, extended, when it is already a continuation
    ending in the sentence before.
    """
    if not lexicon.reported_mood or previous is None or previous.speaker is None:
        return None
    if index - previous.sentence > MAX_GAP_SENTENCES + 1:
        return None
    sentence = layout.sentences[index]
    if not _in_reported_mood(layout, lexicon, sentence.first_token, sentence.last_token):
        return None
    span = trimmed(layout, sentence.start, sentence.end)
    if span is None:
        return None
    if previous.rule == "reported-continuation" and previous.sentence == index - 1:
        previous.spans = [(previous.spans[0][0], span[1])]
        previous.sentence = index
        return previous
    return Candidate([span], "reported-continuation", index, speaker=previous.speaker,
                     confidence=0.5)


def _in_reported_mood(layout: Layout, lexicon: Lexicon, first: int, last: int) -> bool:
    for token in layout.tokens[first:last]:
        if token.lower in lexicon.reported_mood and layout.outer_stretch_at(token.start) is None:
            return True
    return False
