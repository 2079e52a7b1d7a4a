"""Tagging words and raw text with the NER head: features, head, constrained decoding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..encoder import Encoder
from .decode import LABELS, chunks, viterbi_iob2
from .features import WordFeatures, with_context
from .head import NerHead, load_head
from .words import word_spans


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in a text: character span, surface text and type (PER, ORG, LOC, MISC)."""

    start: int
    end: int
    text: str
    type: str
    score: float


class NerTagger:
    """The encoder's layer-8 states of each word, the trained head, and IOB2 Viterbi."""

    def __init__(self, head: NerHead | None = None, *, encoder: Encoder | None = None) -> None:
        self.head = head or load_head()
        self.features = WordFeatures(encoder, layer=self.head.layer)

    def tag_states(self, states: Sequence[np.ndarray]) -> list[list[str]]:
        """IOB2 tags from first-piece word states (as ``WordFeatures.states`` returns)."""
        return [viterbi_iob2(self.head.log_probs(with_context(s))) for s in states]

    def tag(self, texts: Sequence[Sequence[str]]) -> list[list[str]]:
        """IOB2 tags of each tokenized text."""
        return self.tag_states(self.features.states(texts))

    def mentions(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Mentions in each raw text, with character spans."""
        spans = [word_spans(text) for text in texts]
        words = [[text[a:b] for a, b in s] for text, s in zip(texts, spans, strict=True)]
        out = []
        for text, text_spans, states in zip(texts, spans, self.features.states(words),
                                            strict=True):
            log_probs = self.head.log_probs(with_context(states))
            tags = viterbi_iob2(log_probs)
            found = []
            for first, last, kind in chunks(tags):
                start, end = text_spans[first][0], text_spans[last][1]
                picked = [LABELS.index(tags[i]) for i in range(first, last + 1)]
                confidence = float(np.exp(log_probs[np.arange(first, last + 1), picked]).mean())
                found.append(Mention(start, end, text[start:end], kind, round(confidence, 4)))
            out.append(found)
        return out
