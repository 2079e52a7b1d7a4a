"""`babelwire eval quotes` numbers equal score_quotes.py's on the same predictions.

Skipped when ../shared/data is absent (users' machines). One slice of each
quotes file runs by default; the whole files run with --slow.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from babelwire import Settings
from babelwire.evaluation import run_task

KEYS = ("articles", "gold_quotes", "pred_quotes", "matched", "quote_p", "quote_r", "quote_f1",
        "exact_quote_p", "exact_quote_r", "exact_quote_f1", "speaker_scored", "speaker_accuracy",
        "speaker_span_accuracy", "speaker_text_accuracy", "type_accuracy", "by_type")


def _slice(source: Path, target: Path, every: int) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines()
    target.write_text("\n".join(lines[::every]) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("name", ["de-wikinews-dev", "en-polnear-dev"])
@pytest.mark.parametrize("every", [pytest.param(5, id="slice"),
                                   pytest.param(1, id="all", marks=pytest.mark.slow)])
def test_quote_metrics_equal_reference_scorer(shared_data: Path, tmp_path: Path, name: str,
                                              every: int) -> None:
    gold = _slice(shared_data / "quotes" / f"{name}.jsonl", tmp_path / f"{name}.jsonl", every)
    predictions = tmp_path / "pred.jsonl"
    ours = run_task("quotes", [gold], settings=Settings(), predictions=predictions)
    mine = ours["files"][gold.name]
    out = subprocess.run([sys.executable, str(shared_data / "score" / "score_quotes.py"),
                          str(gold), str(predictions)], check=True, capture_output=True, text=True)
    reference = json.loads(out.stdout)
    for key in KEYS:
        assert mine[key] == reference[key], key
    assert mine["matched"] > 0  # the extractor found quotes, so the comparison means something
