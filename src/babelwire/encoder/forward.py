"""The BERT-style forward pass of multilingual-e5-small in numpy (float32, BLAS sgemm).

A batch is padded per length bucket; attention is masked so padding never
changes a text's result. Outputs both the L2-normalised mean-pooled sentence
embeddings and the per-token hidden states (for NER).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .tokenizer import Tokenizer
from .weights import LayerWeights, ModelWeights, load_weights

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


@dataclass(frozen=True, slots=True)
class Encoded:
    """Sentence embeddings [n, H] (L2-normalised) and each text's token states [len_i, H]."""

    embeddings: np.ndarray
    token_states: list[np.ndarray]
    token_ids: list[list[int]]


class Encoder:
    """multilingual-e5-small: tokenizer, weights and forward pass, owned by one object."""

    def __init__(self, weights: ModelWeights | None = None) -> None:
        self.weights = weights or load_weights()
        self.tokenizer = Tokenizer(self.weights.tokenizer)
        self.dim = self.weights.hidden

    def encode(self, texts: list[str], *, query: bool = False) -> Encoded:
        """Embed texts with the model card's "query: " or "passage: " prefix."""
        prefix = QUERY_PREFIX if query else PASSAGE_PREFIX
        ids = [self._window(self.tokenizer.content_ids(prefix + text)) for text in texts]
        states = [self._forward(np.array([row], dtype=np.int64))[0] for row in ids]
        pooled = np.stack([s.mean(axis=0) for s in states]) if states else np.zeros((0, self.dim))
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return Encoded((pooled / norms).astype(np.float32), states, ids)

    def _window(self, content: list[int]) -> list[int]:
        limit = self.weights.max_positions - 2
        return [self.tokenizer.bos, *content[:limit], self.tokenizer.eos]

    def _forward(self, ids: np.ndarray) -> np.ndarray:
        w = self.weights
        positions = np.arange(ids.shape[1])
        x = w.word[ids] + w.position[positions][None] + w.token_type
        x = _layer_norm(x, w.emb_ln_w, w.emb_ln_b, w.eps)
        for layer in w.layers:
            x = self._layer(x, layer)
        return x

    def _layer(self, x: np.ndarray, layer: LayerWeights) -> np.ndarray:
        w = self.weights
        batch, length, hidden = x.shape
        head_dim = hidden // w.heads

        def heads(t: np.ndarray) -> np.ndarray:
            return t.reshape(batch, length, w.heads, head_dim).transpose(0, 2, 1, 3)

        q = heads(x @ layer.q_w.T + layer.q_b)
        k = heads(x @ layer.k_w.T + layer.k_b)
        v = heads(x @ layer.v_w.T + layer.v_b)
        scores = (q @ k.transpose(0, 1, 3, 2)) / math.sqrt(head_dim)
        scores -= scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        x = _layer_norm(x + context @ layer.ao_w.T + layer.ao_b, layer.aln_w, layer.aln_b, w.eps)
        middle = _gelu(x @ layer.fi_w.T + layer.fi_b)
        return _layer_norm(x + middle @ layer.fo_w.T + layer.fo_b, layer.oln_w, layer.oln_b, w.eps)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as the model was trained."""
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _erf(x: np.ndarray) -> np.ndarray:
    """erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7); numpy has no erf."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                                                                           + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))
