"""IOB2 labels and decoding: the best tag sequence in which every I-X continues an X.

A per-word argmax can emit "O I-PER" or "B-ORG I-LOC", which the conlleval
metric then reads as chunks with wrong boundaries. Viterbi with those moves
forbidden costs little and never produces an ill-formed sequence. A head may
also carry soft scores for the allowed moves (`tag_transitions`), learnt from
the tag bigrams of its training files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

TYPES = ("PER", "ORG", "LOC", "MISC")
LABELS = ("O", *(f"{prefix}-{kind}" for kind in TYPES for prefix in "BI"))
FORBIDDEN = -1e9
TRANSITION_WEIGHT = 0.25
"""Weight of the tag-bigram scores added to the head's log-probabilities, chosen on a split of the
TRAIN files (2026-12-02, /tmp/ner9/exp.py split: one member fitted on 9/10 of each train file's
sentences, scored on the other 1/10): mean F1 81.78 (0, hard constraints only), 82.44 (0.1),
82.95 (0.25), 82.37 (0.5), 76.1 (1.0). Larger weights count the neighbours twice: the members
already see the previous and next word."""


def tag_transitions(sentences: Iterable[Sequence[str]],
                    weight: float = TRANSITION_WEIGHT) -> np.ndarray:
    """[labels + 1, labels] scores of moving from a tag (last row: the sentence start) to a tag.

    Pointwise mutual information of the training bigrams, log P(tag | previous) - log P(tag),
    times ``weight``: the head's log-probabilities already hold each tag's prior, so only what
    the previous tag adds is scored. P(tag | previous) is smoothed towards P(tag) (as many
    pseudo-counts as labels), so a tag seen rarely or never as the previous one scores near 0
    instead of the huge odds add-one counts give: with add-one, a left-out head trained
    without NorNE (no MISC) got +8 for staying in MISC and lost 4 F1 on nb/nn. Forbidden moves
    stay forbidden in `viterbi_iob2` whatever these scores say.
    """
    size = len(LABELS)
    index = {label: i for i, label in enumerate(LABELS)}
    counts = np.zeros((size + 1, size))
    for tags in sentences:
        previous = size
        for tag in tags:
            counts[previous, index[tag]] += 1
            previous = index[tag]
    prior = (counts[:-1].sum(axis=0) + 1) / (counts[:-1].sum() + size)
    conditional = (counts + size * prior) / (counts.sum(axis=1, keepdims=True) + size)
    return (weight * (np.log(conditional) - np.log(prior))).astype(np.float32)


def viterbi_iob2(log_probs: np.ndarray, transitions: np.ndarray | None = None) -> list[str]:
    """The most probable well-formed IOB2 sequence for [words, len(LABELS)] log-probabilities.

    The constraints are hard (a move is allowed or not) and simple: O and every
    B-X may follow anything, I-X only B-X or I-X. So each step needs the best
    score so far and, per type, the better of its B and I: a plain-Python loop
    over floats, ~20 times faster than a 9 × 9 numpy step per word (decoding was
    a sixth of NER's time). Ties go to the lower label index, as numpy's argmax.
    ``transitions`` (`tag_transitions`) add a score to every allowed move.
    """
    if len(log_probs) == 0:
        return []
    if log_probs.shape[1] != len(LABELS):
        raise ValueError(f"expected {len(LABELS)} label columns, got {log_probs.shape[1]}")
    if transitions is not None:
        return _viterbi_scored(log_probs, transitions)
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
    return _backtrack(score, backs)


def _viterbi_scored(log_probs: np.ndarray, transitions: np.ndarray) -> list[str]:
    """`viterbi_iob2` with a score for each allowed move, in plain Python as the hard version:
    53 allowed moves per word cost 2-2.5 times its CPU time (8.8-9.3 against 3.7-4.4 µs a word,
    two runs of /tmp/ner9/viterbi_cost.py on 2026-12-02), a 9 × 9 numpy step per word 3-4 times;
    either is small next to the encoder's milliseconds per word."""
    size = len(LABELS)
    if transitions.shape != (size + 1, size):
        raise ValueError(f"expected [{size + 1}, {size}] transition scores (labels and a start"
                         f" row), got {list(transitions.shape)}; retrain the head")
    table = transitions.tolist()
    allowed = _allowed_moves()
    into = [[(i, table[i][j]) for i in range(size) if allowed[i, j]] for j in range(size)]
    rows = log_probs.tolist()
    score = [FORBIDDEN if label.startswith("I-") else rows[0][j] + table[size][j]
             for j, label in enumerate(LABELS)]
    backs: list[list[int]] = []
    for row in rows[1:]:
        back = [0] * size
        new = [0.0] * size
        for j, moves in enumerate(into):
            best, top = moves[0][0], score[moves[0][0]] + moves[0][1]
            for i, move in moves[1:]:
                value = score[i] + move
                if value > top:
                    best, top = i, value
            back[j] = best
            new[j] = top + row[j]
        backs.append(back)
        score = new
    return _backtrack(score, backs)


def _backtrack(score: list[float], backs: list[list[int]]) -> list[str]:
    """The labels of the best path: the best last score, then each step's back pointer."""
    path = [max(range(len(score)), key=score.__getitem__)]
    for back in reversed(backs):
        path.append(back[path[-1]])
    return [LABELS[i] for i in reversed(path)]


def _allowed_moves() -> np.ndarray:
    """[from, to] True where IOB2 allows the move: I-X only after B-X or I-X."""
    allowed = np.ones((len(LABELS), len(LABELS)), dtype=bool)
    for j, label in enumerate(LABELS):
        if label.startswith("I-"):
            allowed[:, j] = False
            allowed[j - 1, j] = allowed[j, j] = True
    return allowed


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
