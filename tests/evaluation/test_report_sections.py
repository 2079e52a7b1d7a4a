"""The eval report's stories section and its ``--only`` re-run (no data files needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import babelwire.evaluation.report as report
from babelwire.errors import EvaluationError
from babelwire.settings import Settings

STORIES = json.loads(
    '{"model": "clusterer-v1", "threshold": 0.4, "articles": 480, "languages": 4,'
    ' "gold_stories": 115, "predicted_stories": 119, "bcubed_precision": 1.0,'
    ' "bcubed_recall": 0.9667, "bcubed_f1": 0.9831, "pairwise_precision": 1.0,'
    ' "pairwise_recall": 0.902, "pairwise_f1": 0.9485, "crosslingual_pairwise_precision": 1.0,'
    ' "crosslingual_pairwise_recall": 0.9242, "crosslingual_pairwise_f1": 0.9606,'
    ' "monolingual_pairwise_precision": 1.0, "monolingual_pairwise_recall": 0.1667,'
    ' "monolingual_pairwise_f1": 0.2857, "pairs": {"semeval22-dev.jsonl": {"pairs": 490,'
    ' "same": 114, "different": 287, "left_out": 89, "same_story_f1": 0.7647,'
    ' "same_story_threshold": 0.4, "same_story_f1_best": 0.8255,'
    ' "same_story_best_threshold": 0.1943}}}')


@pytest.fixture
def sections_only_for_stories(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("_langid_section", "_extraction_section", "_similarity_section"):
        monkeypatch.setattr(report, name, lambda result: [])


@pytest.mark.usefixtures("sections_only_for_stories")
def test_stories_section_shows_each_metric_with_its_target_and_the_pair_f1() -> None:
    text = report.render({"langid": {}, "extraction": {}, "similarity": {}, "stories": STORIES})
    assert "| pairwise | 1.0 | 0.902 | 0.9485 | 0.9 |" in text
    assert "| cross-lingual pairwise | 1.0 | 0.9242 | 0.9606 | 0.85 |" in text
    assert "same-story F1 **0.7647** at the shipped threshold 0.4" in text


@pytest.mark.usefixtures("sections_only_for_stories")
def test_only_reruns_the_named_section_and_keeps_the_others_from_the_raw_block(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "EVALUATION.md"
    kept = {"langid": {"kept": 1}, "extraction": {}, "similarity": {}}
    output.write_text(report.render(kept), encoding="utf-8")
    calls: list[str] = []

    def tasks(data_dir: Path, settings: Settings) -> dict[str, object]:
        def run(name: str, value: object) -> object:
            return lambda: (calls.append(name), value)[1]
        return {"langid": run("langid", {"new": 1}), "extraction": run("extraction", {}),
                "similarity": run("similarity", {}), "stories": run("stories", STORIES)}

    monkeypatch.setattr(report, "report_tasks", tasks)
    results = report.write_report(tmp_path, output, settings=Settings(), only=["stories"])
    assert calls == ["stories"]
    assert results["langid"] == {"kept": 1} and results["stories"] == STORIES
    assert report.read_raw_results(output)["stories"] == STORIES
    assert "Sections stories re-run on" in output.read_text(encoding="utf-8")


def test_only_names_an_unknown_section_and_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="unknown report section.*storys.*entity_links"):
        report.write_report(tmp_path, tmp_path / "E.md", settings=Settings(), only=["storys"])


def test_only_without_an_earlier_report_says_to_run_the_whole_report(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="no earlier report.*without --only"):
        report.write_report(tmp_path, tmp_path / "E.md", settings=Settings(), only=["stories"])


def test_entity_links_raw_results_keep_scores_and_name_no_pair(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    result = {"precision": 1.0, "recall": 0.5, "files": {"entity_links_heldout6.jsonl": {}},
              "errors": ["missed: A (en) / B (ru) [new / new]"]}
    monkeypatch.setattr(report, "run_task", lambda *args, **kwargs: dict(result))
    raw = report.report_tasks(tmp_path, Settings())["entity_links"]()
    assert raw == {"precision": 1.0, "recall": 0.5,
                   "files": {"entity_links_heldout6.jsonl": {}}}
