"""Per-word features for the NER head: encoder states of a word and of its neighbours.

A word is represented by the states of its pieces at middle layers of
the encoder, pooled one of two ways (the head records which): the first piece
(heads up to v2), or the mean of all its real pieces (v3: the mean keeps what
the later pieces of a long name carry, e.g. the inflected ending); both read
layers (layer 8 of 12 tagged Danish and zero-shot Norwegian 0.19 F1 better
than the last layer, which is tuned for sentence similarity; heads say which
layers they read), concatenated with the same states of the previous and the
next word (zeros at the edges).
Each sentence or text is encoded once with the "passage: " prefix, as the
model was trained; words whose text yields no piece get a zero state.

Words are tokenized one by one, which puts a word-boundary mark before each.
For scripts written without spaces (Chinese, Japanese, Thai) the tokenizer
emits that mark as a piece of its own ("▁", "北京"); the mark is not a real
piece of the word (neither pooling reads it), and the mark is dropped between two such
words, so "北京 天安门" reads as the model saw Chinese in training ("▁北京天安门").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..encoder import Encoder, ModelWeights
from ..errors import ConfigError

FEATURE_LAYERS: tuple[int, ...] = (8,)
"""Layers a newly trained head reads. Layers 6+8 were tried (2026-12-01): without the Chinese files
they beat layer 8 by 0.8 F1 in-language (da, nb, pt, hr; two seeds each) and 0.3 zero-shot (de, en),
but trained on all files as shipped they scored 0.35 lower on the non-Chinese dev files and 2.5
higher on Chinese, within the 1-2 points one seed moves a score; the head would double. Kept: 8."""
POOLINGS: tuple[str, ...] = ("first", "mean")
"""How a word's pieces become its state: its first real piece, or the mean of all its real
pieces."""
FEATURE_POOLING = "mean"
"""Pooling a newly trained head reads. Mean against first piece, full protocol (three seeds, all
train files, 2026-12-02): +0.5 F1 on the ten in-language dev files' mean (+0.9 without Swedish's
23 entities), +0.8 zero-shot (de, en); left-out results in docs/issues/issue-4-progress.md."""
PREFIX = "passage:"
_NO_SPACE = re.compile("[\u3000-\u303f\uff00-\uffef\u3040-\u30ff\u3400-\u4dbf"
                       "\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")


class WordFeatures:
    """Turns tokenized texts into [words, 3 × layers × 384] feature matrices with one encoder pass.

    An encoder passed in is used when it keeps every layer wanted; otherwise
    one that stops at the deepest layer wanted is built on the same weights.
    ``pooling`` (one of ``POOLINGS``) says how a word's pieces become its state.
    """

    def __init__(self, encoder: Encoder | None = None, *,
                 layers: tuple[int, ...] = FEATURE_LAYERS, pooling: str = "first") -> None:
        if pooling not in POOLINGS:
            raise ConfigError(f"NER pooling {pooling!r} is not one of {list(POOLINGS)}; the head"
                              " file names its pooling, retrain it with babelwire train ner")
        self.layers = tuple(layers)
        self.pooling = pooling
        if encoder is None or not all(encoder.keeps_layer(n) for n in self.layers):
            encoder = reading_encoder(self.layers, encoder.weights if encoder else None)
        self.encoder = encoder
        self._columns = np.concatenate([
            np.arange(encoder.state_dim)[encoder.layer_columns(layer)] for layer in self.layers])
        self._prefix = encoder.tokenizer.content_ids(PREFIX)
        self._mark = encoder.tokenizer.content_ids("北")[0]  # the bare "▁" piece

    @property
    def state_dim(self) -> int:
        """Width of one word's own state (all its layers)."""
        return len(self.layers) * self.encoder.dim

    @property
    def dim(self) -> int:
        return 3 * self.state_dim

    def spans(self, words: Sequence[str]) -> tuple[list[int], list[tuple[int, int]]]:
        """Piece ids of the prefixed text and each word's real pieces as ``(start, end)``
        indices into them (end exclusive; ``start == end``: the word has no piece)."""
        ids = list(self._prefix)
        spans = []
        previous_unspaced = False
        for word in words:
            word_ids = self.encoder.tokenizer.content_ids(word)
            unspaced = bool(word) and _NO_SPACE.match(word) is not None
            if len(word_ids) > 1 and word_ids[0] == self._mark:
                word_ids = word_ids[1:] if previous_unspaced and unspaced else word_ids
                first = len(ids) + (1 if word_ids[0] == self._mark else 0)
            else:
                first = len(ids)
            ids.extend(word_ids)
            spans.append((first, len(ids)) if word_ids else (first, first))
            previous_unspaced = unspaced
        return ids, spans

    def pieces(self, words: Sequence[str]) -> tuple[list[int], list[int]]:
        """Piece ids of the prefixed text and each word's first-piece index (-1: no piece)."""
        ids, spans = self.spans(words)
        return ids, [start if end > start else -1 for start, end in spans]

    def pooled_states(self, texts: Sequence[Sequence[str]],
                      poolings: Sequence[str] = POOLINGS) -> dict[str, list[np.ndarray]]:
        """Each text's [words, layers × 384] states under each of ``poolings``, from one
        encoder pass (the feature cache stores both, so heads can be compared on one run)."""
        prepared = [self.spans(words) for words in texts]
        encoded = self.encoder.encode_ids([ids for ids, _ in prepared])
        out: dict[str, list[np.ndarray]] = {pooling: [] for pooling in poolings}
        for (_, spans), states in zip(prepared, encoded.token_states, strict=True):
            picked = states[:, self._columns]
            for pooling in poolings:
                out[pooling].append(pool_pieces(picked, spans, pooling))
        return out

    def states(self, texts: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Each text's [words, layers × 384] pooled states at ``layers`` (no context yet)."""
        return self.pooled_states(texts, (self.pooling,))[self.pooling]

    def __call__(self, texts: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Each text's [words, dim] features: own state, then previous and next word's."""
        return [with_context(states) for states in self.states(texts)]


def pool_pieces(states: np.ndarray, spans: Sequence[tuple[int, int]], pooling: str) -> np.ndarray:
    """[words, H] float32 word states from [pieces, H] piece states: each word's first piece or
    the mean of its pieces ``spans[i]``; a word without pieces stays zero."""
    rows = np.zeros((len(spans), states.shape[1]), dtype=np.float32)
    bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
    present = np.flatnonzero(bounds[:, 1] > bounds[:, 0])
    if not len(present):
        return rows
    starts, ends = bounds[present, 0], bounds[present, 1]
    if pooling == "first":
        rows[present] = states[starts]
        return rows
    # one [words, pieces] averaging matrix times the states: a single small product per text
    piece = np.arange(len(states))
    weights = ((piece >= starts[:, None]) & (piece < ends[:, None])).astype(np.float32)
    weights /= (ends - starts)[:, None].astype(np.float32)
    rows[present] = weights @ states
    return rows


def reading_encoder(layers: tuple[int, ...], weights: ModelWeights | None = None) -> Encoder:
    """An encoder that runs only up to the deepest of ``layers`` and keeps them all.

    NER reads layer 8 of 12: stopping there skips a third of the forward pass.
    """
    deepest = max(layers)
    return Encoder(weights, depth=deepest, extra_layers=tuple(sorted(set(layers) - {deepest})))


def with_context(states: np.ndarray) -> np.ndarray:
    """[n, H] word states -> [n, 3H]: each word's, the previous word's, the next word's."""
    previous = np.zeros_like(states)
    following = np.zeros_like(states)
    previous[1:] = states[:-1]
    following[:-1] = states[1:]
    return np.concatenate([states, previous, following], axis=1)
