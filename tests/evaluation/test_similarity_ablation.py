"""The similarity ablation: cumulative rows, and cross-validated numbers for weighted rows."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.evaluation.similarity import _cross_validate, ablate, pearson


def _gold(n: int) -> list[dict]:
    rng = np.random.default_rng(3)
    return [{"id": f"{i:04d}_{i + 1:04d}", "lang1": "en", "lang2": "de" if i % 2 else "en",
             "text1": f"Report {i} about Berlin", "text2": f"Bericht {i} über Paris",
             "overall": float(rng.uniform(1, 4))} for i in range(n)]


def test_cross_validation_recovers_a_linear_target_out_of_fold() -> None:
    gold = _gold(60)
    target = np.array([5.0 - r["overall"] for r in gold])
    predicted = _cross_validate(gold, np.column_stack([2 * target + 1]))
    assert np.allclose(predicted, target)


def test_cross_validation_does_not_see_the_scored_fold() -> None:
    gold = _gold(60)
    noise = np.random.default_rng(9).normal(size=(60, 5))
    predicted = _cross_validate(gold, noise)
    in_sample = np.column_stack([np.ones(60), noise]) @ np.linalg.lstsq(
        np.column_stack([np.ones(60), noise]), [5.0 - r["overall"] for r in gold], rcond=None)[0]
    target = [5.0 - r["overall"] for r in gold]
    assert pearson(list(predicted), target) < pearson(list(in_sample), target)


def test_ablation_rows_are_cumulative_and_weighted_rows_carry_cv() -> None:
    gold = _gold(40)
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(80, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = ablate(gold, vectors, vectors)
    assert [r["features"] for r in rows] == [
        "cosine, whole text", "+ embedding policy", "+ names", "+ numbers, dates", "+ places",
        "+ calibration per language pair", "names overlap alone", "numbers overlap alone",
        "dates overlap alone", "places overlap alone"]
    assert rows[0]["pearson"] == pytest.approx(rows[1]["pearson"])  # same vectors both times
    assert ["cross_validated" in r for r in rows] == [False, False, True, True, True, True,
                                                    False, False, False, False]
    assert set(rows[-1]["pearson_by_pair"]) == {"en-de", "en-en"}
