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


def viterbi_iob2(log_probs: np.ndarray) -> list[str]:
    """The most probable well-formed IOB2 sequence for [words, len(LABELS)] log-probabilities.

    The constraints are hard (a move is allowed or not) and simple: O and every
    B-X may follow anything, I-X only B-X or I-X. So each step needs the best
    score so far and, per type, the better of its B and I: a plain-Python loop
    over floats, ~20 times faster than a 9 × 9 numpy step per word (decoding was
    a sixth of NER's time). Ties go to the lower label index, as numpy's argmax.
    """
    if len(log_probs) == 0:
        return []
    if log_probs.shape[1] != len(LABELS):
        raise ValueError(f"expected {len(LABELS)} label columns, got {log_probs.shape[1]}")
    rows = log_probs.tolist()
    size = len(LABELS)
    inside = [j for j, label in enumerate(LABELS) if label.startswith("I-")]
    score = [FORBIDDEN if j in inside else value for j, value in enumerate(rows[0])]
    backs: list[list[int]] = []
    for row in rows[1:]:
        best = max(range(size), key=score.__getitem__)
        top = score[best]
        back = [best] * size
        new = [top + value for value in row]
        for j in inside:  # I-X continues B-X (index j - 1) or I-X (index j)
            begin = j - 1
            previous = begin if score[begin] >= score[j] else j
            back[j] = previous
            new[j] = score[previous] + row[j]
        backs.append(back)
        score = new
    path = [max(range(size), key=score.__getitem__)]
    for back in reversed(backs):
        path.append(back[path[-1]])
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
