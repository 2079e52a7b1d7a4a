"""``babelwire eval similarity``: cross-lingual news similarity (SemEval-2022 Task 8 pairs).

Each pair is scored by the cosine of the two articles' encoder embeddings
("passage: " prefix, whole text). Metrics as the shared data defines them:
Pearson's r against ``5 - overall`` overall and per language pair, and
same-story F1 (``overall`` ≤ 1.5 against ≥ 3) at a threshold fixed in advance
(none yet: the story clusterer of issue 6 will fix it, so it is null) and at the
best threshold (optimistic, tuned on the labels scored).
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..encoder import Encoder
from .jsonl import read_records, write_predictions

SAME_MAX = 1.5
DIFFERENT_MIN = 3.0


def evaluate_similarity(files: list[Path], *, predictions: Path | None = None,
                        threshold: float | None = None) -> dict[str, Any]:
    """Score every pair of every file (as one set) with the embedding cosine."""
    required = ("id", "lang1", "lang2", "text1", "text2", "overall")
    gold = [r for path in files for r in read_records(path, required=required)]
    encoder = Encoder()
    first = encoder.encode([r["text1"] for r in gold]).embeddings
    second = encoder.encode([r["text2"] for r in gold]).embeddings
    scores = {r["id"]: float(s) for r, s in zip(gold, (first * second).sum(axis=1), strict=True)}
    if predictions is not None:
        write_predictions(predictions, ({"id": r["id"], "score": scores[r["id"]]} for r in gold))
    return {**score(gold, scores, threshold), "scorer": "cosine of e5-small passage embeddings"}


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r; None with fewer than two points or a constant side."""
    if len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((a - mx) * (b - my) for a, b in zip(xs, ys, strict=True))
    sxx = sum((a - mx) ** 2 for a in xs)
    syy = sum((b - my) ** 2 for b in ys)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else None


def _f1_at(pairs: list[tuple[float, bool]], threshold: float) -> float:
    tp = sum(1 for s, same in pairs if same and s >= threshold)
    fp = sum(1 for s, same in pairs if not same and s >= threshold)
    fn = sum(1 for s, same in pairs if same and s < threshold)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _best(pairs: list[tuple[float, bool]]) -> tuple[float | None, float]:
    best: tuple[float | None, float] = (None, 0.0)
    for threshold in sorted({s for s, _ in pairs}):
        f1 = _f1_at(pairs, threshold)
        if f1 > best[1]:
            best = (threshold, f1)
    return best


def score(gold: list[dict[str, Any]], scores: dict[str, float],
          threshold: float | None) -> dict[str, Any]:
    """The shared data's similarity metrics for ``scores``."""
    by_id = {r["id"]: r for r in gold}
    groups: dict[str, list[str]] = defaultdict(list)
    for pid in sorted(by_id):
        groups[f"{by_id[pid]['lang1']}-{by_id[pid]['lang2']}"].append(pid)

    def r_of(ids: list[str]) -> float | None:
        return pearson([scores[i] for i in ids], [5.0 - by_id[i]["overall"] for i in ids])

    labelled = [(scores[i], by_id[i]["overall"] <= SAME_MAX) for i in sorted(by_id)
                if by_id[i]["overall"] <= SAME_MAX or by_id[i]["overall"] >= DIFFERENT_MIN]
    best_threshold, best_f1 = _best(labelled)
    same = sum(flag for _, flag in labelled)
    return {
        "pairs": len(by_id),
        "pearson": r_of(sorted(by_id)),
        "pearson_by_pair": {name: r_of(ids) for name, ids in sorted(groups.items())},
        "pairs_by_pair": {name: len(ids) for name, ids in sorted(groups.items())},
        "same_story_f1": _f1_at(labelled, threshold) if threshold is not None else None,
        "same_story_threshold": threshold,
        "same_story_f1_best": best_f1,
        "same_story_best_threshold": best_threshold,
        "same_story_counts": {"same": same, "different": len(labelled) - same,
                              "left_out": len(by_id) - len(labelled)},
    }
