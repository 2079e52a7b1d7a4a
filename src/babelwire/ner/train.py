"""``babelwire train ner``: fit the linear NER head on word features of IOB2 files.

Sources differ in what they annotate: the UNER files tag no MISC, so their
"O" words may be MISC names. Their "O" is therefore trained as a partial
label ("O or B-MISC or I-MISC": the loss is minus the log of the summed
probability of the allowed labels), so files without MISC neither teach that
MISC names are "O" nor stop MISC being learnt from NorNE and GermEval.

Training is Adam over shuffled mini-batches of words, with L2 regularisation,
a fixed seed and a fixed number of epochs (nothing is tuned on the files
scored).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from ..errors import EvaluationError
from .corpus import FeatureCache, NerFile
from .decode import LABELS
from .head import NerHead

EPOCHS = 6
LEARNING_RATE = 1e-3
L2 = 1e-4
BATCH = 512
HIDDEN = 256
"""Units of the head's hidden layer (0: linear). 256 units and 6 epochs beat the linear head by
3-4 F1 points in-language (38 on Chinese) and 512 units or 10 epochs, on the dev files."""
_INDEX = {label: i for i, label in enumerate(LABELS)}
_MISC = np.array([_INDEX["B-MISC"], _INDEX["I-MISC"]])


@dataclass(frozen=True, slots=True)
class TrainingSet:
    features: np.ndarray  # [words, dim] float32
    allowed: np.ndarray  # [words, labels] bool
    files: list[str]
    languages: list[str]


def training_set(files: list[NerFile], cache: FeatureCache) -> TrainingSet:
    """Features and allowed-label masks of every word of ``files``, built in place.

    One preallocated matrix is filled file by file (with the neighbours' states
    shifted in, zero across sentence edges): a million words make a matrix of
    gigabytes, and building it from per-sentence pieces took minutes.
    """
    words = sum(len(s.tokens) for data in files for s in data.sentences)
    if not words:
        raise EvaluationError("no training sentences: every file given was empty or in an excluded"
                              " language; give babelwire train ner non-empty IOB2 files")
    dim = None
    features = np.empty((0, 0), dtype=np.float32)
    allowed = np.zeros((words, len(LABELS)), dtype=bool)
    row = 0
    for data in files:
        states = cache.states(data)
        flat = np.concatenate(states) if states else np.zeros((0, 1), dtype=np.float32)
        if dim is None:
            dim = flat.shape[1]
            features = np.zeros((words, 3 * dim), dtype=np.float32)
        lengths = np.array([len(s.tokens) for s in data.sentences])
        end = row + len(flat)
        starts = np.cumsum(lengths) - lengths  # sentence starts within the file
        block = features[row:end]
        block[:, :dim] = flat
        block[1:, dim : 2 * dim] = flat[:-1]
        block[starts[lengths > 0], dim : 2 * dim] = 0.0
        block[:-1, 2 * dim :] = flat[1:]
        block[(starts + lengths - 1)[lengths > 0], 2 * dim :] = 0.0
        tags = [tag for s in data.sentences for tag in s.tags]
        allowed[np.arange(row, end), [_INDEX[t] for t in tags]] = True
        if not data.has_misc:
            outside = row + np.flatnonzero(np.array([t == "O" for t in tags], dtype=bool))
            allowed[np.ix_(outside, _MISC)] = True
        row = end
    return TrainingSet(features, allowed, [d.path.name for d in files],
                       sorted({lang for d in files for lang in d.languages}))


def _moments(features: np.ndarray, chunk: int = 65536) -> tuple[np.ndarray, np.ndarray]:
    """Per-column mean and standard deviation, by chunks: a standardised copy of a
    million-word training set would be gigabytes of fresh memory."""
    total = np.zeros(features.shape[1], dtype=np.float64)
    squares = np.zeros(features.shape[1], dtype=np.float64)
    for start in range(0, len(features), chunk):
        block = features[start : start + chunk].astype(np.float64)
        total += block.sum(axis=0)
        squares += (block * block).sum(axis=0)
    mean = total / max(len(features), 1)
    std = np.sqrt(np.maximum(squares / max(len(features), 1) - mean * mean, 0.0))
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


def fit_head(data: TrainingSet, *, layer: int, epochs: int = EPOCHS, seed: int = 0,
             learning_rate: float = LEARNING_RATE, hidden: int = 0) -> NerHead:
    """Train the head on ``data`` (deterministic for a seed); ``hidden`` > 0 adds a ReLU layer."""
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    mean, scale = _moments(data.features)
    x_all = data.features
    dim = x_all.shape[1]
    hidden_weight = (rng.standard_normal((dim, hidden)) * np.sqrt(2.0 / dim)).astype(np.float32)
    hidden_bias = np.zeros(hidden, dtype=np.float32)
    weight = (rng.standard_normal((hidden, len(LABELS))) * np.sqrt(1.0 / max(hidden, 1))
              ).astype(np.float32) if hidden else np.zeros((dim, len(LABELS)), dtype=np.float32)
    bias = np.zeros(len(LABELS), dtype=np.float32)
    params = [weight, bias, *([hidden_weight, hidden_bias] if hidden else [])]
    adam = _Adam(params, learning_rate)
    for _ in range(epochs):
        order = rng.permutation(len(x_all))
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            x, allowed = (x_all[rows] - mean) / scale, data.allowed[rows]
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
    meta = {"trained_on": data.files, "languages": data.languages, "words": int(len(x_all)),
            "epochs": epochs, "seed": seed, "hidden": hidden,
            "date": datetime.now(UTC).date().isoformat(),
            "train_seconds": round(time.perf_counter() - started, 1)}
    return NerHead(weight=weight, bias=bias, mean=mean, scale=scale, layer=layer,
                   hidden_weight=hidden_weight if hidden else None,
                   hidden_bias=hidden_bias if hidden else None, meta=meta)


def train_head(files: list[NerFile], cache: FeatureCache, *,
               exclude: frozenset[str] | set[str] = frozenset(), epochs: int = EPOCHS,
               seed: int = 0, hidden: int = HIDDEN) -> NerHead:
    """A head trained on ``files`` without the sentences of the ``exclude`` languages."""
    kept = []
    for data in files:
        if data.languages & set(exclude):
            continue
        kept.append(data)
    head = fit_head(training_set(kept, cache), layer=cache.features.layer, epochs=epochs,
                    seed=seed, hidden=hidden)
    head.meta["excluded_languages"] = sorted(exclude)
    return head


