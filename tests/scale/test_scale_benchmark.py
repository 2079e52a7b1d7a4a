"""`babelwire bench scale`: every configuration measured, ratios between them, a report section."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.bench import write_section
from babelwire.scale_benchmark import (
    STATELESS,
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
                    client_cpu_ms_per_article=5.0, load_before=1.0, load_after=1.5,
                    loop_cpu_ms_per_article=1.0, workers_busy=0.02, nanny_cpu_ms_per_article=0.5)


def test_scale_ratios_name_stateless_and_end_to_end_and_compare_the_stores() -> None:
    runs = [_run(STATELESS, 1, 2.5), _run("sqlite", 1, 2.0), _run("postgresql", 1, 1.0),
            _run(STATELESS, 2, 4.75), _run("sqlite", 2, 3.6), _run("postgresql", 2, 1.5)]
    assert throughput_ratios(runs) == {
        "end-to-end postgresql / sqlite, 1 worker(s)": 0.5,
        "stateless stages (no store): 2 workers / 1": 1.9,
        "end-to-end sqlite: 2 workers / 1": 1.8, "end-to-end postgresql: 2 workers / 1": 1.5,
        "end-to-end postgresql / sqlite, 2 worker(s)": 0.417}


def test_scale_section_lists_every_run_and_ratio(tmp_path: Path) -> None:
    result = ScaleBenchmark(articles=10, batch=4, repeats=1, stages=("language.cld2.v1",),
                            cpu_count=2, postgres="measured",
                            runs=[_run(STATELESS, 1, 2.0), _run("sqlite", 2, 3.0)],
                            ratios={"end-to-end sqlite: 2 workers / 1": 1.5})
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\nearlier sections\n", encoding="utf-8")
    write_section(report, "scale", render_markdown(result, "babelwire bench scale"))
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nearlier sections\n\n<!-- bench scale: start -->\n"
                           "## Scale (`babelwire bench scale`)")
    assert ("| stateless stages (no store) | 1 | 10 | 5.0 | 2.0 | 100.0 | 0.02 | 5.0 | 1.0 |"
            " 0.5 | 1.0 → 1.5 |") in text
    assert ("| end-to-end sqlite | 2 | 10 | 3.33 | 3.0 | 100.0 | 0.02 | 5.0 | 1.0 | 0.5 |"
            " 1.0 → 1.5 |") in text
    assert "| end-to-end sqlite: 2 workers / 1 | 1.5 |" in text


@pytest.mark.slow
def test_bench_scale_measures_one_and_two_workers_on_sqlite_and_postgresql(
        postgres_cluster: RunningService) -> None:
    from babelwire.scale_benchmark import bench_scale

    result = bench_scale(ScaleOptions(articles=12, batch=4, postgres_dsn=postgres_cluster.url,
                                      stages=("language.cld2.v1", "quotes.rules.v1")))
    assert sorted((r.store, r.workers, r.articles) for r in result.runs) == [
        ("postgresql", 1, 12), ("postgresql", 2, 12), ("sqlite", 1, 12), ("sqlite", 2, 12),
        (STATELESS, 1, 12), (STATELESS, 2, 12)]
    assert all(r.articles_per_s > 0 and r.worker_cpu_ms_per_article > 0
               and 0 < r.workers_busy and 0 <= r.nanny_cpu_ms_per_article
               and 0 < r.loop_cpu_ms_per_article
               <= r.client_cpu_ms_per_article for r in result.runs)
    assert sorted(result.ratios) == [
        "end-to-end postgresql / sqlite, 1 worker(s)",
        "end-to-end postgresql / sqlite, 2 worker(s)", "end-to-end postgresql: 2 workers / 1",
        "end-to-end sqlite: 2 workers / 1", "stateless stages (no store): 2 workers / 1"]
    assert (result.postgres, result.backends) == (
        "measured", {"sqlite": "Database", "postgresql": "PostgresDatabase"})


def test_scale_benchmark_times_the_default_pipeline_stages_process_can_run() -> None:
    assert ScaleOptions().stages == ("language.cld2.v1", "ner.e5.v3", "quotes.rules.v1",
                                     "embed.e5.v1")
