"""The reference forward pass of multilingual-e5-small in numpy (float32, BLAS sgemm).

Kept as an independent second implementation: tests check the ONNX Runtime
graph against it, and ``babelwire bench encoder`` times it beside the graph so
the choice of runtime stays measured. It packs the tokens of many sequences
into one [T, H] matrix, so every linear layer is one large sgemm over the whole
batch, while attention runs per sequence on its own tokens only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .weights import ModelWeights

ROW_BLOCK = 256
"""Tokens per block in the feed-forward part: keeps temporaries in cache."""


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


class NumpyForward:
    """Last hidden states of token sequences, computed with numpy."""

    name = "numpy"

    def __init__(self, weights: ModelWeights, *, extra_layers: tuple[int, ...] = ()) -> None:
        self.weights = weights
        self.extra_layers = extra_layers
        self.dim = weights.hidden
        self._layers = [_prepare(layer, weights.heads) for layer in weights.layers]
        self._buffers: dict[str, np.ndarray] = {}

    def run(self, sequences: list[list[int]]) -> list[np.ndarray]:
        """Hidden states [len_i, H] of each sequence (ids with ``<s>``/``</s>``)."""
        return self._forward_packed(sequences)

    def _forward_packed(self, sequences: list[list[int]]) -> list[np.ndarray]:
        """Hidden states of each sequence, all sequences run as one packed [T, H] batch."""
        w = self.weights
        offsets = np.cumsum([0, *(len(s) for s in sequences)])
        ids = np.fromiter((i for s in sequences for i in s), dtype=np.int64, count=offsets[-1])
        positions = np.concatenate([np.arange(len(s)) for s in sequences])
        x = w.embed(ids, positions)
        x = _layer_norm(x, w.emb_ln_w, w.emb_ln_b, w.eps)
        bounds = list(zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True))
        kept = []
        for number, layer in enumerate(self._layers, start=1):
            x = self._layer(x, layer, bounds)
            if number in self.extra_layers:
                kept.append(x.copy())
        out = np.concatenate([*kept, x], axis=1) if kept else x
        return [out[a:b] for a, b in bounds]

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
        return np.ascontiguousarray(getattr(layer, name).dense().T, dtype=np.float32)

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
