"""`babelwire eval` numbers equal the reference scorers' on the same predictions.

Skipped when ../shared/data is absent (users' machines). The extraction check
runs on a slice of the pages to keep the default suite fast; the whole file runs
with --slow.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from babelwire import Settings
from babelwire.evaluation import run_task


def _reference(scorer: Path, gold: Path, predictions: Path) -> dict:
    out = subprocess.run([sys.executable, str(scorer), str(gold), str(predictions)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def _slice(source: Path, target: Path, every: int) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines()
    target.write_text("\n".join(lines[::every]) + "\n", encoding="utf-8")
    return target


def test_langid_metrics_equal_reference_scorer(shared_data: Path, tmp_path: Path) -> None:
    gold = _slice(shared_data / "langid" / "udhr.jsonl", tmp_path / "gold.jsonl", every=10)
    predictions = tmp_path / "pred.jsonl"
    ours = run_task("langid", [gold], settings=Settings(), predictions=predictions)
    reference = _reference(shared_data / "score" / "score_langid.py", gold, predictions)
    for key in ("accuracy", "macro_f1", "f1_by_lang", "records", "languages"):
        assert ours[key] == reference[key], key


@pytest.mark.parametrize("every", [pytest.param(20, id="slice"),
                                   pytest.param(1, id="all", marks=pytest.mark.slow)])
def test_extraction_metrics_equal_reference_scorer(shared_data: Path, tmp_path: Path,
                                                   every: int) -> None:
    source = shared_data / "extraction" / "trafilatura-eval.jsonl"
    gold = source if every == 1 else _slice(source, tmp_path / "gold.jsonl", every=every)
    predictions = tmp_path / "pred.jsonl"
    ours = run_task("extraction", [gold], settings=Settings(), predictions=predictions)
    reference = _reference(shared_data / "score" / "score_extraction.py", gold, predictions)
    for key in ("precision", "recall", "f1", "accuracy", "tp", "fp", "fn", "tn", "records"):
        assert ours[key] == reference[key], key


def test_extraction_body_records_scored_like_reference(shared_data: Path, tmp_path: Path) -> None:
    """Full-body records (the held-out kind): bodies built here from the segment records."""
    source = shared_data / "extraction" / "trafilatura-eval.jsonl"
    gold = tmp_path / "body.jsonl"
    with gold.open("w", encoding="utf-8") as out:
        for line in source.read_text(encoding="utf-8").splitlines()[::40]:
            record = json.loads(line)
            body = "\n\n".join(record["with"])
            out.write(json.dumps({"id": record["id"], "url": record["url"],
                                  "html": record["html"], "body": body}) + "\n")
    predictions = tmp_path / "pred.jsonl"
    ours = run_task("extraction", [gold], settings=Settings(), predictions=predictions)
    reference = _reference(shared_data / "score" / "score_extraction.py", gold, predictions)
    assert ours["kind"] == reference["kind"] == "body"
    for key in ("precision", "recall", "f1", "accuracy", "records"):
        assert ours[key] == reference[key], key


@pytest.mark.slow
def test_similarity_metrics_equal_reference_scorer(shared_data: Path, tmp_path: Path) -> None:
    gold = _slice(shared_data / "similarity" / "semeval22-dev.jsonl", tmp_path / "g.jsonl", 12)
    predictions = tmp_path / "pred.jsonl"
    ours = run_task("similarity", [gold], settings=Settings(), predictions=predictions)
    reference = _reference(shared_data / "score" / "score_similarity.py", gold, predictions)
    for key in ("pairs", "pearson", "pearson_by_pair", "pairs_by_pair", "same_story_f1_best",
                "same_story_best_threshold", "same_story_counts"):
        assert ours[key] == reference[key], key


def test_ner_metrics_equal_reference_scorer_per_file(shared_data: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    gold = _slice(shared_data / "ner" / "nb-norne-dev.jsonl", tmp_path / "nb-dev.jsonl", 25)
    predictions = tmp_path / "pred.jsonl"
    ours = run_task("ner", [gold], settings=Settings(), predictions=predictions)
    reference = _reference(shared_data / "score" / "score_ner.py", gold, predictions)
    mine = ours["files"]["nb-dev.jsonl"]
    assert reference["missing_or_misaligned_predictions"] == 0
    for key in ("micro_precision", "micro_recall", "micro_f1", "per_type", "misc", "sentences"):
        assert mine[key] == reference[key], key
    assert mine["micro_f1"] > 0.5  # the bundled head tags Norwegian, not noise
