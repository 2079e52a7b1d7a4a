"""``babelwire train ner``: fit the linear NER head on word features of IOB2 files.

Sources differ in what they annotate: the UNER files tag no MISC, so their
"O" words may be MISC names. Their "O" is therefore trained as a partial
label ("O or B-MISC or I-MISC": the loss is minus the log of the summed
probability of the allowed labels), so files without MISC neither teach that
MISC names are "O" nor stop MISC being learnt from NorNE and GermEval.

Training is Adam over shuffled mini-batches of words, with L2 regularisation,
fixed seeds and a fixed number of epochs (nothing is tuned on the files
scored).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np

from ..errors import EvaluationError
from .corpus import FeatureCache, NerFile
from .decode import LABELS, TRANSITION_WEIGHT, tag_transitions
from .head import NerHead, combine_heads

EPOCHS = 6
LEARNING_RATE = 1e-3
L2 = 1e-4
BATCH = 512
HIDDEN = 256
SEEDS = (0, 1, 2)
"""Seeds of the members of a trained head (see ``NerHead``: three beat each one by 1.5-2.5 F1)."""
"""Units of the head's hidden layer (0: linear). 256 units and 6 epochs beat the linear head by
3-4 F1 points in-language (38 on Chinese) and 512 units or 10 epochs, on the dev files."""
_INDEX = {label: i for i, label in enumerate(LABELS)}
_MISC = np.array([_INDEX["B-MISC"], _INDEX["I-MISC"]])


@dataclass(frozen=True, slots=True)
class TrainingSet:
    """Word states, their neighbours, and the labels each word may take.

    ``states`` holds each word's own state once (float16, as cached); the
    features the head sees (own, previous and next word's state) are built per
    batch from ``previous``/``following`` (row numbers, -1 at a sentence edge).
    Tripled float32 features of a million words with two layers would be
    10 GB; this layout is 1.5 GB. Without neighbour rows, ``states`` are the
    features as they are (toy sets in tests).
    """

    states: np.ndarray  # [words, state dim] float16 or float32
    allowed: np.ndarray  # [words, labels] bool
    files: list[str]
    languages: list[str]
    previous: np.ndarray | None = None  # [words] int, -1: none
    following: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.states)

    @property
    def dim(self) -> int:
        return self.states.shape[1] * (1 if self.previous is None else 3)

    def features(self, rows: np.ndarray) -> np.ndarray:
        """[len(rows), dim] float32 features of the words at ``rows``."""
        own = self.states[rows].astype(np.float32)
        if self.previous is None or self.following is None:
            return own
        parts = [own]
        for neighbours in (self.previous[rows], self.following[rows]):
            block = self.states[np.maximum(neighbours, 0)].astype(np.float32)
            block[neighbours < 0] = 0.0
            parts.append(block)
        return np.concatenate(parts, axis=1)


def training_set(files: list[NerFile], cache: FeatureCache) -> TrainingSet:
    """States, neighbour rows and allowed-label masks of every word of ``files``."""
    words = sum(len(s.tokens) for data in files for s in data.sentences)
    if not words:
        raise EvaluationError("no training sentences: every file given was empty or in an excluded"
                              " language; give babelwire train ner non-empty IOB2 files")
    states = np.zeros((words, cache.features.state_dim), dtype=np.float16)
    previous = np.arange(words) - 1
    following = np.arange(words) + 1
    allowed = np.zeros((words, len(LABELS)), dtype=bool)
    row = 0
    for data in files:
        end = row + sum(len(s.tokens) for s in data.sentences)
        states[row:end] = cache.flat_states(data)
        lengths = np.array([len(s.tokens) for s in data.sentences])
        starts = row + np.cumsum(lengths) - lengths
        previous[starts[lengths > 0]] = -1
        following[(starts + lengths - 1)[lengths > 0]] = -1
        tags = [tag for s in data.sentences for tag in s.tags]
        allowed[np.arange(row, end), [_INDEX[t] for t in tags]] = True
        if not data.has_misc:
            outside = row + np.flatnonzero(np.array([t == "O" for t in tags], dtype=bool))
            allowed[np.ix_(outside, _MISC)] = True
        row = end
    return TrainingSet(states, allowed, [d.path.name for d in files],
                       sorted({lang for d in files for lang in d.languages}), previous, following)


def _moments(data: TrainingSet, chunk: int = 65536) -> tuple[np.ndarray, np.ndarray]:
    """Per-column mean and standard deviation of the features, by chunks of words."""
    total = np.zeros(data.dim, dtype=np.float64)
    squares = np.zeros(data.dim, dtype=np.float64)
    for start in range(0, len(data), chunk):
        block = data.features(np.arange(start, min(start + chunk, len(data)))).astype(np.float64)
        total += block.sum(axis=0)
        squares += (block * block).sum(axis=0)
    mean = total / max(len(data), 1)
    std = np.sqrt(np.maximum(squares / max(len(data), 1) - mean * mean, 0.0))
    return mean.astype(np.float32), (std + 1e-5).astype(np.float32)


class _Adam:
    """Adam updates for a list of float32 parameter arrays, in place."""

    def __init__(self, params: list[np.ndarray], learning_rate: float) -> None:
        self.params = params
        self.learning_rate = learning_rate
        self.moments = [np.zeros_like(p) for p in params]
        self.squares = [np.zeros_like(p) for p in params]
        self.step = 0

    def update(self, grads: list[np.ndarray]) -> None:
        self.step += 1
        correction1, correction2 = 1 - 0.9**self.step, 1 - 0.999**self.step
        for value, gradient, moment, square in zip(self.params, grads, self.moments,
                                                   self.squares, strict=True):
            moment *= 0.9
            moment += 0.1 * gradient
            square *= 0.999
            square += 0.001 * gradient * gradient
            value -= (self.learning_rate * (moment / correction1)
                      / (np.sqrt(square / correction2) + 1e-8)).astype(np.float32)


def fit_head(data: TrainingSet, *, layers: tuple[int, ...], pooling: str = "first",
             epochs: int = EPOCHS, seed: int = 0, learning_rate: float = LEARNING_RATE,
             hidden: int = 0) -> NerHead:
    """Train the head on ``data`` (deterministic for a seed); ``hidden`` > 0 adds a ReLU layer."""
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    mean, scale = _moments(data)
    dim = data.dim
    hidden_weight = (rng.standard_normal((dim, hidden)) * np.sqrt(2.0 / dim)).astype(np.float32)
    hidden_bias = np.zeros(hidden, dtype=np.float32)
    weight = (rng.standard_normal((hidden, len(LABELS))) * np.sqrt(1.0 / max(hidden, 1))
              ).astype(np.float32) if hidden else np.zeros((dim, len(LABELS)), dtype=np.float32)
    bias = np.zeros(len(LABELS), dtype=np.float32)
    params = [weight, bias, *([hidden_weight, hidden_bias] if hidden else [])]
    adam = _Adam(params, learning_rate)
    for _ in range(epochs):
        order = rng.permutation(len(data))
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            x, allowed = (data.features(rows) - mean) / scale, data.allowed[rows]
            inner = np.maximum(x @ hidden_weight + hidden_bias, 0.0) if hidden else x
            logits = inner @ weight + bias
            logits -= logits.max(axis=1, keepdims=True)
            probs = np.exp(logits)
            probs /= probs.sum(axis=1, keepdims=True)
            target = np.where(allowed, probs, 0.0)
            target /= target.sum(axis=1, keepdims=True)
            grad = ((probs - target) / len(rows)).astype(np.float32)
            grads = [inner.T @ grad + L2 * weight, grad.sum(axis=0)]
            if hidden:
                back = (grad @ weight.T) * (inner > 0)
                grads += [x.T @ back + L2 * hidden_weight, back.sum(axis=0)]
            adam.update(grads)
    meta = {"trained_on": data.files, "languages": data.languages, "words": len(data),
            "epochs": epochs, "seed": seed, "hidden": hidden,
            "date": datetime.now(UTC).date().isoformat(),
            "train_seconds": round(time.perf_counter() - started, 1)}
    return NerHead(weight=weight[None], bias=bias[None], mean=mean, scale=scale,
                   layers=tuple(layers), pooling=pooling,
                   hidden_weight=hidden_weight if hidden else None,
                   hidden_bias=hidden_bias if hidden else None, meta=meta)


def train_head(files: list[NerFile], cache: FeatureCache, *,
               exclude: frozenset[str] | set[str] = frozenset(), epochs: int = EPOCHS,
               seeds: tuple[int, ...] = SEEDS, hidden: int = HIDDEN,
               transition_weight: float = TRANSITION_WEIGHT) -> NerHead:
    """A head trained on ``files`` without the sentences of the ``exclude`` languages: one
    member per seed, all fitted on one training set built once, decoding with the tag-bigram
    scores of the same sentences (``transition_weight`` 0: hard IOB2 constraints only)."""
    kept = [data for data in files if not data.languages & set(exclude)]
    data = training_set(kept, cache)
    members = [fit_head(data, layers=cache.features.layers, pooling=cache.features.pooling,
                        epochs=epochs, seed=seed, hidden=hidden) for seed in seeds]
    head = combine_heads(members) if len(members) > 1 else members[0]
    head.meta["excluded_languages"] = sorted(exclude)
    return with_transitions(head, kept, transition_weight) if transition_weight else head


def with_transitions(head: NerHead, files: list[NerFile], weight: float) -> NerHead:
    """``head`` decoding with the tag-bigram scores of ``files`` (`decode.tag_transitions`)."""
    scores = tag_transitions((s.tags for data in files for s in data.sentences), weight)
    return replace(head, transitions=scores,
                   meta={**head.meta, "transitions": f"tag-bigram PMI x {weight}"})
