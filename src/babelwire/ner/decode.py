"""IOB2 labels and decoding: the best tag sequence in which every I-X continues an X.

A per-word argmax can emit "O I-PER" or "B-ORG I-LOC", which the conlleval
metric then reads as chunks with wrong boundaries. Viterbi with those moves
forbidden costs little and never produces an ill-formed sequence.
"""

from __future__ import annotations

import numpy as np

TYPES = ("PER", "ORG", "LOC", "MISC")
LABELS = ("O", *(f"{prefix}-{kind}" for kind in TYPES for prefix in "BI"))
FORBIDDEN = -1e9


def _transitions() -> tuple[np.ndarray, np.ndarray]:
    size = len(LABELS)
    moves = np.zeros((size, size))
    for j, label in enumerate(LABELS):
        if label.startswith("I-"):
            for i, previous in enumerate(LABELS):
                if previous[2:] != label[2:]:
                    moves[i, j] = FORBIDDEN
    start = np.array([FORBIDDEN if label.startswith("I-") else 0.0 for label in LABELS])
    return moves, start


def viterbi_iob2(log_probs: np.ndarray) -> list[str]:
    """The most probable well-formed IOB2 sequence for [words, len(LABELS)] log-probabilities."""
    if len(log_probs) == 0:
        return []
    if log_probs.shape[1] != len(LABELS):
        raise ValueError(f"expected {len(LABELS)} label columns, got {log_probs.shape[1]}")
    moves, start = _transitions()
    score = start + log_probs[0]
    back = np.zeros(log_probs.shape, dtype=np.int64)
    for t in range(1, len(log_probs)):
        candidates = score[:, None] + moves
        back[t] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + log_probs[t]
    path = [int(score.argmax())]
    for t in range(len(log_probs) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return [LABELS[i] for i in reversed(path)]


def chunks(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first, last, type) chunks of IOB2 tags, conlleval's reading (as the reference scorer)."""
    out: list[tuple[int, int, str]] = []
    start: int | None = None
    kind: str | None = None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        continues = prefix == "I" and kind == typ
        if start is not None and not continues:
            out.append((start, i - 1, str(kind)))
            start, kind = None, None
        if prefix in ("B", "I") and not continues:
            start, kind = i, typ
    return out
