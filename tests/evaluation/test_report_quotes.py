"""The eval report's quotes section, rendered from a tiny result (no data files needed)."""

from __future__ import annotations

import pytest

from babelwire.evaluation.report import render


def _row(f1: float, speaker: float | None) -> dict[str, object]:
    return {"quote_p": 0.5, "quote_r": 0.25, "quote_f1": f1, "exact_quote_f1": 0.125,
            "speaker_accuracy": speaker,
            "by_type": {"direct": {"quote_r": 1.0}, "indirect": {"quote_r": 0.1}}}


def _results() -> dict[str, object]:
    empty = {"files": {}}
    langid = {**empty, "overall": {}}
    return {"langid": langid, "extraction": empty, "similarity": empty,
            "quotes": {"files": {"de-wikinews-dev.jsonl": _row(0.6943, 0.7943),
                                 "en-polnear-dev.jsonl": _row(0.577, None)}},
            "quotes_outermost": {"files": {"en-polnear-dev.jsonl": _row(0.6, 0.81)}}}


def test_report_has_one_quotes_row_per_dev_file_with_its_target(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import babelwire.evaluation.report as report

    for name in ("_langid_section", "_extraction_section", "_similarity_section"):
        monkeypatch.setattr(report, name, lambda result: [])
    text = render(_results())  # type: ignore[arg-type]
    section = text[text.index("## Quotes and speakers"):text.index("## Raw results")]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "dev.jsonl" in line]
    assert rows == [
        "| de-wikinews-dev.jsonl | 50.00 | 25.00 | 69.43 | 12.50 | 79.43 | 100.00 | 10.00 | – |"
        " 85.00 / 85.00 |",
        "| en-polnear-dev.jsonl | 50.00 | 25.00 | 57.70 | 12.50 | – | 100.00 | 10.00 | – |"
        " 80.00 / 80.00 |",
        "| en-polnear-dev.jsonl `--no-nested` | 50.00 | 25.00 | 60.00 | 12.50 | 81.00 | 100.00 |"
        " 10.00 | – | 80.00 / 80.00 |",
    ]


def test_report_without_quote_results_has_no_quotes_section(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import babelwire.evaluation.report as report

    for name in ("_langid_section", "_extraction_section", "_similarity_section"):
        monkeypatch.setattr(report, name, lambda result: [])
    results = _results()
    del results["quotes"]
    assert "## Quotes and speakers" not in render(results)  # type: ignore[arg-type]
