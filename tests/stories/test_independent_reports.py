"""Independent reports of one event in several languages and scripts form one story (slow).

The sets in babelwire/stories/data were written for the project by writers blind to the
code (stories/data/README.md). dev1 chose the shipped threshold; held-out 1 was first run
once after that, at 0.15 (pairwise P 1.0 R 0.884 F1 0.938; the same weights at the old
threshold 0.40: F1 0.701), then at the shipped 0.20 (see the floors' note in
docs/issues/issue-6-progress.md, "Session 14"). Session 15 added dev2 and held-out 2, each
first run once on the unchanged clusterer-v3: dev2 pairwise P 0.923 F1 0.903, held-out 2
P 1.0 F1 0.935. Session 16 added held-out 3 (blind) and clusterer-v4 (weights and threshold
fitted with dev1 and dev2): held-out 3 F1 0.831 on v3, 0.897 on v4, which then shipped (held-out
1 0.8915 -> 0.8783, held-out 2 0.9345 -> 0.9528). The floors keep those numbers from sliding back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from babelwire.errors import EvaluationError
from babelwire.evaluation.stories import evaluate_stories, packaged_story_file
from babelwire.stories.model import load_model
from babelwire.stories.recipe import safer_threshold, train_clusterer

FLOORS = {"independent_reports_dev1.jsonl": (0.85, 0.82),
          "independent_reports_heldout1.jsonl": (0.98, 0.87),
          "independent_reports_dev2.jsonl": (0.90, 0.88),
          "independent_reports_heldout2.jsonl": (0.98, 0.94),
          "independent_reports_heldout3.jsonl": (0.94, 0.89)}
"""Pairwise precision and F1 per set."""

NON_LATIN_EVENT_SHARE = {"independent_reports_dev1.jsonl": 1.0,
                         "independent_reports_heldout1.jsonl": 1.0,
                         "independent_reports_dev2.jsonl": 0.89,
                         "independent_reports_heldout2.jsonl": 0.73,
                         "independent_reports_heldout3.jsonl": 0.82}
"""Share of events with a report in a non-Latin script: session 15's writers left events whose
natural outlets all write Latin (Nordic central banks, a Czech flood) without one."""


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_each_story_set_reports_its_events_in_non_latin_scripts_as_written(
        name: str) -> None:
    rows = [json.loads(line) for line in
            packaged_story_file(name).read_text(encoding="utf-8").splitlines()]
    events = {row["event"] for row in rows}
    non_latin = {row["event"] for row in rows if any(ord(c) > 0x24F for c in row["title"])}
    assert len(rows) >= 100 and len(events) >= 30
    assert len(non_latin) / len(events) >= NON_LATIN_EVENT_SHARE[name]


def test_the_shipped_threshold_was_chosen_on_the_independent_reports() -> None:
    provenance = load_model().provenance
    assert provenance["natural_threshold_files"] == ["independent_reports_dev1.jsonl",
                                                      "independent_reports_dev2.jsonl"]
    scores = {float(t): f1 for t, f1 in provenance["natural_threshold_pairwise_f1"].items()}
    assert safer_threshold(scores) == load_model().threshold


def test_the_threshold_takes_the_safer_side_within_the_tolerance_of_the_best() -> None:
    scores = {0.1: 0.80, 0.15: 0.90, 0.2: 0.885, 0.25: 0.87, 0.4: 0.60}
    assert safer_threshold(scores, tolerance=0.02) == 0.2
    assert safer_threshold(scores, tolerance=0.0) == 0.15


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_independent_reports_cluster_into_their_events(name: str) -> None:
    result = evaluate_stories([packaged_story_file(name)])
    precision, f1 = FLOORS[name]
    assert result["pairwise_precision"] >= precision
    assert result["pairwise_f1"] >= f1


@pytest.mark.parametrize(("option", "line", "missing"), [
    ("threshold_files", '{"id": "x", "lang": "en", "title": "t"}', "text"),
    ("natural_files", '{"id": "x", "lang": "en", "text": "t"}', "title")])
def test_a_malformed_threshold_or_fit_on_file_fails_before_any_training(
        option: str, line: str, missing: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=rf"bad.jsonl line 1: missing \['{missing}'\]"):
        train_clusterer([packaged_story_file("independent_reports_dev1.jsonl")],
                        cache_dir=tmp_path, **{option: [bad]})


def test_candidate_v4_was_fitted_and_thresholded_on_both_dev_sets_only() -> None:
    model = load_model(Path(__file__).parents[2] / "src" / "babelwire" / "stories" / "models"
                       / "clusterer-v4.json")
    provenance = model.provenance
    dev = ["independent_reports_dev1.jsonl", "independent_reports_dev2.jsonl"]
    assert provenance["shippable"] is True and provenance["name"] == "clusterer-v4"
    assert provenance["sources"][-2:] == dev and provenance["natural_threshold_files"] == dev
    assert not any("heldout" in source or "semeval" in source for source in provenance["sources"])
    scores = {float(t): f1 for t, f1 in provenance["natural_threshold_pairwise_f1"].items()}
    assert safer_threshold(scores) == model.threshold
