"""`babelwire bench scale`: every configuration measured, ratios between them, a report section."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.bench import write_section
from babelwire.scale_benchmark import (
    ScaleBenchmark,
    ScaleOptions,
    ScaleRun,
    render_markdown,
    throughput_ratios,
)

from .conftest import RunningService


def _run(store: str, workers: int, rate: float) -> ScaleRun:
    return ScaleRun(store=store, workers=workers, articles=10, seconds=round(10 / rate, 2),
                    articles_per_s=rate, worker_cpu_ms_per_article=100.0,
                    client_cpu_ms_per_article=5.0, load_before=1.0, load_after=1.5)


def test_scale_ratios_compare_two_workers_with_one_and_postgresql_with_sqlite() -> None:
    runs = [_run("sqlite", 1, 2.0), _run("postgresql", 1, 1.0), _run("sqlite", 2, 3.6),
            _run("postgresql", 2, 1.5)]
    assert throughput_ratios(runs) == {"postgresql / sqlite, 1 worker(s)": 0.5,
                             "sqlite: 2 workers / 1": 1.8, "postgresql: 2 workers / 1": 1.5,
                             "postgresql / sqlite, 2 worker(s)": 0.417}


def test_scale_section_lists_every_run_and_ratio(tmp_path: Path) -> None:
    result = ScaleBenchmark(articles=10, batch=4, repeats=1, stages=("language.cld2.v1",),
                            cpu_count=2, postgres="measured",
                            runs=[_run("sqlite", 1, 2.0), _run("sqlite", 2, 3.0)],
                            ratios={"sqlite: 2 workers / 1": 1.5})
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\nearlier sections\n", encoding="utf-8")
    write_section(report, "scale", render_markdown(result, "babelwire bench scale"))
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nearlier sections\n\n<!-- bench scale: start -->\n"
                           "## Scale (`babelwire bench scale`)")
    assert "| sqlite | 1 | 10 | 5.0 | 2.0 | 100.0 | 5.0 | 1.0 → 1.5 |" in text
    assert "| sqlite | 2 | 10 | 3.33 | 3.0 | 100.0 | 5.0 | 1.0 → 1.5 |" in text
    assert "| sqlite: 2 workers / 1 | 1.5 |" in text


@pytest.mark.slow
def test_bench_scale_measures_one_and_two_workers_on_sqlite_and_postgresql(
        postgres_cluster: RunningService) -> None:
    from babelwire.scale_benchmark import bench_scale

    result = bench_scale(ScaleOptions(articles=12, batch=4, postgres_dsn=postgres_cluster.url,
                                      stages=("language.cld2.v1", "quotes.rules.v1")))
    assert sorted((r.store, r.workers, r.articles) for r in result.runs) == [
        ("postgresql", 1, 12), ("postgresql", 2, 12), ("sqlite", 1, 12), ("sqlite", 2, 12)]
    assert all(r.articles_per_s > 0 and r.worker_cpu_ms_per_article > 0 for r in result.runs)
    assert sorted(result.ratios) == [
        "postgresql / sqlite, 1 worker(s)", "postgresql / sqlite, 2 worker(s)",
        "postgresql: 2 workers / 1", "sqlite: 2 workers / 1"]
    assert (result.postgres, result.backends) == (
        "measured", {"sqlite": "Database", "postgresql": "PostgresDatabase"})
