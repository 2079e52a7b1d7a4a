"""The shipped entity-link pair sets: the merge precision/recall floors measured on them."""

from __future__ import annotations

import pytest

from babelwire.entities.places import Gazetteer
from babelwire.evaluation.entity_links import evaluate_entity_links, packaged_pair_file

# Floors: measured precision 1.0 on all three files (session 3); recall 0.948 (development,
# 459 pairs), 0.956 (held-out, session 2) and 0.795 (held-out 2, session 3: written and
# committed before any run; its Japanese kanji, Chinese transcriptions of Western names,
# Korean and one-word abjad names stay hard). Neither held-out file was tuned on.
FLOORS = {"entity_links.jsonl": (0.98, 0.94), "entity_links_heldout.jsonl": (0.98, 0.95),
          "entity_links_heldout2.jsonl": (0.98, 0.78)}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_entity_link_pairs_meet_precision_and_recall_floors(
        gazetteer: Gazetteer, name: str) -> None:
    result = evaluate_entity_links([packaged_pair_file(name)], gazetteer=gazetteer)
    precision, recall = FLOORS[name]
    assert result["pairs"] >= 50
    assert result["precision"] >= precision, result["errors"]
    assert result["recall"] >= recall, result["errors"]


def test_development_pair_set_has_100_cross_script_positives_and_hard_negatives() -> None:
    import json

    path = packaged_pair_file("entity_links.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    positives = [r for r in records if r["same"]]
    assert len(positives) >= 100
    assert sum(1 for r in records if not r["same"]) >= 40
    assert len({r["a"]["lang"] for r in records} | {r["b"]["lang"] for r in records}) >= 10
