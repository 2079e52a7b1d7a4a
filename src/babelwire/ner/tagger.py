"""Tagging words and raw text with the NER head: features, head, constrained decoding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..encoder import Encoder
from .decode import LABELS, chunks, viterbi_iob2
from .features import WordFeatures, with_context
from .head import NerHead, load_head
from .words import RunSplitter, chinese_run_splitter, tokenizer_run_splitter, word_spans

CHUNK_WORDS = 1000
"""Words tagged per piece of a long text (about 1,500 tokens: three encoder windows)."""
CHUNKS_PER_CALL = 32
"""Pieces per encoder call: bounds the token states held at once to a few tens of MB."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in a text: character span, surface text and type (PER, ORG, LOC, MISC)."""

    start: int
    end: int
    text: str
    type: str
    score: float


class NerTagger:
    """Middle-layer encoder states of each word (the layers the head names), head, IOB2 Viterbi."""

    def __init__(self, head: NerHead | None = None, *, encoder: Encoder | None = None) -> None:
        self.head = head or load_head()
        self.features = WordFeatures(encoder, layers=self.head.layers)
        self._split_run: RunSplitter | None = tokenizer_run_splitter(
            self.features.encoder.tokenizer)
        self._language_splitters: dict[str, RunSplitter | None] = {}

    def word_spans(self, text: str, lang: str = "und") -> list[tuple[int, int]]:
        """Character spans of the words of raw ``text`` in language ``lang`` (BCP 47).

        Runs of unspaced scripts are cut by a word segmenter for Chinese, else by
        the encoder's tokenizer (see `words`).
        """
        return word_spans(text, self._splitter(lang))

    def _splitter(self, lang: str) -> RunSplitter | None:
        base = (lang or "und").split("-")[0].split("_")[0].lower()
        if base != "zh":
            return self._split_run
        if base not in self._language_splitters:
            self._language_splitters[base] = chinese_run_splitter()
        return self._language_splitters[base] or self._split_run

    def tag_states(self, states: Sequence[np.ndarray]) -> list[list[str]]:
        """IOB2 tags from first-piece word states (as ``WordFeatures.states`` returns)."""
        return [viterbi_iob2(self.head.log_probs(with_context(s))) for s in states]

    def tag(self, texts: Sequence[Sequence[str]]) -> list[list[str]]:
        """IOB2 tags of each tokenized text."""
        return self.tag_states(self.features.states(texts))

    def mentions(self, texts: Sequence[str],
                 langs: Sequence[str] | None = None) -> list[list[Mention]]:
        """Mentions in each raw text (in language ``langs[i]``, if given), with character spans.

        Texts are tagged in pieces of at most ``CHUNK_WORDS`` words, a few pieces
        per encoder call: the encoder keeps a state for every token, so one
        multi-megabyte text in one call would need gigabytes; a name's context
        is one 512-token window anyway.
        """
        languages = list(langs) if langs is not None else ["und"] * len(texts)
        spans = [self.word_spans(text, lang) for text, lang in zip(texts, languages, strict=True)]
        pieces = [(index, start, min(start + CHUNK_WORDS, len(text_spans)))
                  for index, text_spans in enumerate(spans)
                  for start in range(0, len(text_spans), CHUNK_WORDS)]
        out: list[list[Mention]] = [[] for _ in texts]
        for group in range(0, len(pieces), CHUNKS_PER_CALL):
            batch = pieces[group : group + CHUNKS_PER_CALL]
            words = [[texts[i][a:b] for a, b in spans[i][first:last]] for i, first, last in batch]
            for (index, first, _), states in zip(batch, self.features.states(words), strict=True):
                out[index].extend(self._chunk_mentions(texts[index], spans[index], first, states))
        return out

    def _chunk_mentions(self, text: str, text_spans: list[tuple[int, int]], offset: int,
                        states: np.ndarray) -> list[Mention]:
        log_probs = self.head.log_probs(with_context(states))
        tags = viterbi_iob2(log_probs)
        found = []
        for first, last, kind in chunks(tags):
            start, end = text_spans[offset + first][0], text_spans[offset + last][1]
            picked = [LABELS.index(tags[i]) for i in range(first, last + 1)]
            confidence = float(np.exp(log_probs[np.arange(first, last + 1), picked]).mean())
            found.append(Mention(start, end, text[start:end], kind, round(confidence, 4)))
        return found
