"""The story-clustering metric, exactly as ``score/score_stories.py`` of the shared data defines it.

BCubed precision/recall/F1 and pairwise precision/recall/F1 over the scored
articles (those with a gold story), and pairwise counted over cross-lingual pairs
only. A gold article without a prediction is a story of its own; predictions for
other ids are ignored; ratios with a zero denominator are 0; values are rounded
to 4 decimals. ``monolingual_pairwise_*`` (same-language pairs only) is ours, not
the reference scorer's: the issue's monolingual target needs it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _cross_pairs(langs: Counter[str]) -> int:
    """Pairs of a group whose two members differ in language."""
    return _pairs(sum(langs.values())) - sum(_pairs(n) for n in langs.values())


def _prf(tp: float, predicted: float, gold: float) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_stories(gold: Mapping[str, str], lang: Mapping[str, str],
                  predicted: Mapping[str, object]) -> dict[str, Any]:
    """The reference metric of ``predicted`` (article id → story) against ``gold`` stories."""
    def key(article: str) -> tuple[Any, ...]:
        if article in predicted:
            return ("story", type(predicted[article]).__name__, predicted[article])
        return ("missing", article)

    cells: defaultdict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    golds: defaultdict[str, Counter[str]] = defaultdict(Counter)
    preds: defaultdict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    for article, story in gold.items():
        p = key(article)
        cells[(story, p)][lang[article]] += 1
        golds[story][lang[article]] += 1
        preds[p][lang[article]] += 1
    size = {k: sum(v.values()) for k, v in cells.items()}
    gsize = {k: sum(v.values()) for k, v in golds.items()}
    psize = {k: sum(v.values()) for k, v in preds.items()}
    n = len(gold)
    b_p = sum(c * c / psize[k[1]] for k, c in size.items()) / n if n else 0.0
    b_r = sum(c * c / gsize[k[0]] for k, c in size.items()) / n if n else 0.0
    b_f = 2 * b_p * b_r / (b_p + b_r) if b_p + b_r else 0.0
    tp, pp, gp = (sum(map(_pairs, d.values())) for d in (size, psize, gsize))
    x_tp, x_pp, x_gp = (sum(map(_cross_pairs, d.values())) for d in (cells, preds, golds))
    pw, xw = _prf(tp, pp, gp), _prf(x_tp, x_pp, x_gp)
    mw = _prf(tp - x_tp, pp - x_pp, gp - x_gp)

    def r4(x: float) -> float:
        return round(x, 4)

    return {
        "articles": n, "languages": len(set(lang[a] for a in gold)), "gold_stories": len(gsize),
        "predicted_stories": len(psize),
        "missing_predictions": sum(1 for a in gold if a not in predicted),
        "ignored_predictions": sum(1 for a in predicted if a not in gold),
        "bcubed_precision": r4(b_p), "bcubed_recall": r4(b_r), "bcubed_f1": r4(b_f),
        "pairwise_precision": r4(pw[0]), "pairwise_recall": r4(pw[1]), "pairwise_f1": r4(pw[2]),
        "crosslingual_pairwise_precision": r4(xw[0]), "crosslingual_pairwise_recall": r4(xw[1]),
        "crosslingual_pairwise_f1": r4(xw[2]),
        "monolingual_pairwise_precision": r4(mw[0]), "monolingual_pairwise_recall": r4(mw[1]),
        "monolingual_pairwise_f1": r4(mw[2]),
        "gold_pairs": gp, "predicted_pairs": pp, "true_pairs": tp,
        "crosslingual_gold_pairs": x_gp, "crosslingual_predicted_pairs": x_pp,
        "crosslingual_true_pairs": x_tp,
    }
