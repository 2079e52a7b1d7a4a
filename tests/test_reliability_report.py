"""The docs/RELIABILITY.md collector counts each marked test once, by its worst phase."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from .reliability_report import AREA_PROPERTY, ReliabilityReport, render


def _report(nodeid: str, when: str, outcome: str, *properties: tuple[str, object],
            xfail: str | None = None) -> pytest.TestReport:
    report = pytest.TestReport(nodeid, ("t.py", 0, nodeid), {}, outcome, None, when,
                               user_properties=[(AREA_PROPERTY, "hostile input"), *properties])
    if xfail is not None:
        report.wasxfail = xfail
    return report


def _collected(reports: list[pytest.TestReport]) -> ReliabilityReport:
    plugin = ReliabilityReport(None)
    for report in reports:
        plugin.pytest_runtest_logreport(report)
    return plugin


def test_reliability_table_counts_outcomes_per_area_and_aggregates_figures() -> None:
    plugin = _collected([
        _report("a", "setup", "passed"), _report("a", "call", "passed", ("figure:peak MB", 300)),
        _report("a", "teardown", "passed", ("figure:peak MB", 300)),
        _report("b", "call", "passed", ("figure:peak MB", 412.5)),
        _report("b", "teardown", "failed", ("figure:peak MB", 412.5)),
        _report("c", "setup", "skipped"),
        _report("d", "call", "skipped", xfail="known misguess"),
        _report("e", "call", "passed", ("figure:p95 ms", 12), ("note", "not a figure")),
    ])
    lines = render(plugin.cases, ["-m", "reliability"]).splitlines()
    assert "| hostile input | 5 | 2 | 1 | 1 | 1 | p95 ms: 12; peak MB: max 412.5 (min 300, 2" \
           " tests) |" in lines
    assert lines[-2:] == ["- FAILED `b`", "- xfail `d`: known misguess"]


def test_unmarked_tests_are_not_counted() -> None:
    report = pytest.TestReport("x", ("t.py", 0, "x"), {}, "passed", None, "call")
    assert _collected([report]).cases == {}


def test_only_the_controller_writes_the_table(tmp_path: Path) -> None:
    plugin = _collected([_report("a", "call", "passed")])
    plugin.path = tmp_path / "RELIABILITY.md"
    worker = SimpleNamespace(config=SimpleNamespace(workerinput={}, invocation_params=None))
    plugin.pytest_sessionfinish(worker)  # type: ignore[arg-type]
    assert not plugin.path.exists()
    controller = SimpleNamespace(config=SimpleNamespace(
        invocation_params=SimpleNamespace(args=("-q",))))
    plugin.pytest_sessionfinish(controller)  # type: ignore[arg-type]
    assert "| hostile input | 1 | 1 | 0 | 0 | 0 | - |" in plugin.path.read_text().splitlines()
