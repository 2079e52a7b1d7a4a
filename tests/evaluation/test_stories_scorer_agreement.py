"""`babelwire eval stories` numbers equal ``score/score_stories.py``'s on the same predictions.

Skipped when ../shared/data is absent. The fast tests score hand-made prediction
files (perturbed gold: splits, false merges, a missing article, an ignored id, an
integer story) with both; the slow one runs the whole evaluation (encoder
included) on the four MEANTIME files and scores its prediction file.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from babelwire import Settings
from babelwire.evaluation import run_task
from babelwire.evaluation.story_metric import score_stories

MEANTIME = ("meantime-en", "meantime-es", "meantime-it", "meantime-nl")
REFERENCE_KEYS = (
    "articles", "languages", "gold_stories", "predicted_stories", "missing_predictions",
    "ignored_predictions", "bcubed_precision", "bcubed_recall", "bcubed_f1",
    "pairwise_precision", "pairwise_recall", "pairwise_f1", "crosslingual_pairwise_precision",
    "crosslingual_pairwise_recall", "crosslingual_pairwise_f1", "gold_pairs", "predicted_pairs",
    "true_pairs", "crosslingual_gold_pairs", "crosslingual_predicted_pairs",
    "crosslingual_true_pairs")


def _reference(shared: Path, gold: list[Path], predictions: Path) -> dict:
    scorer = shared / "score" / "score_stories.py"
    out = subprocess.run([sys.executable, str(scorer), *map(str, gold), str(predictions)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def _gold(paths: list[Path]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    gold, lang, ids = {}, {}, []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            ids.append(record["id"])
            story = record.get("event_group") if "event_group" in record else record.get("event")
            if story is not None:
                gold[record["id"]], lang[record["id"]] = story, record["lang"]
    return gold, lang, ids


def _perturbed(gold: dict[str, str], ids: list[str], seed: int) -> list[dict]:
    """Gold stories with random splits and merges, one article left out, one unknown id."""
    rng = random.Random(seed)
    stories = sorted(set(gold.values()))
    out = []
    for n, article in enumerate(ids):
        if n == 3:
            continue  # a missing prediction: a story of its own
        story: object = gold.get(article, article)
        roll = rng.random()
        if roll < 0.1:
            story = rng.choice(stories)  # a false merge
        elif roll < 0.2:
            story = f"split-{article}"
        elif roll < 0.25:
            story = n  # an integer story id
        out.append({"id": article, "story": story})
    out.append({"id": "not-in-gold", "story": "x"})
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_story_metric_equals_reference_on_perturbed_predictions(shared_data: Path,
                                                                 tmp_path: Path,
                                                                 seed: int) -> None:
    files = [shared_data / "corpus" / f"{name}.jsonl" for name in MEANTIME]
    gold, lang, ids = _gold(files)
    records = _perturbed(gold, ids, seed)
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    ours = score_stories(gold, lang, {r["id"]: r["story"] for r in records})
    reference = _reference(shared_data, files, predictions)
    assert {k: ours[k] for k in REFERENCE_KEYS} == {k: reference[k] for k in REFERENCE_KEYS}
    assert ours["missing_predictions"] == 1 and ours["ignored_predictions"] == 1


def test_story_metric_equals_reference_with_unscored_distractor_file(shared_data: Path,
                                                                     tmp_path: Path) -> None:
    files = [shared_data / "corpus" / f"{name}.jsonl"
             for name in ("meantime-en", "meantime-it", "wikinews-fr-2012")]
    gold, lang, ids = _gold(files)
    records = [{"id": article, "story": gold.get(article, "everything-else")} for article in ids]
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    ours = score_stories(gold, lang, {r["id"]: r["story"] for r in records})
    reference = _reference(shared_data, files, predictions)
    assert {k: ours[k] for k in REFERENCE_KEYS} == {k: reference[k] for k in REFERENCE_KEYS}
    assert ours["ignored_predictions"] == 100  # the French Wikinews articles are not scored


@pytest.mark.slow
def test_eval_stories_equals_reference_on_its_own_predictions(shared_data: Path,
                                                              tmp_path: Path) -> None:
    files = [shared_data / "corpus" / f"{name}.jsonl" for name in MEANTIME]
    predictions = tmp_path / "pred.jsonl"
    ours = run_task("stories", files, settings=Settings(), predictions=predictions)
    reference = _reference(shared_data, files, predictions)
    assert {k: ours[k] for k in REFERENCE_KEYS} == {k: reference[k] for k in REFERENCE_KEYS}
    assert ours["crosslingual_pairwise_f1"] > 0.85  # the cross-lingual target
