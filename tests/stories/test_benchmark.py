"""`bench cluster` on a tiny stream: what it reports per size (no timing thresholds)."""

from __future__ import annotations

from babelwire.stories.benchmark import bench_cluster, render_markdown


def test_bench_cluster_reports_wall_cpu_and_amortised_cost_per_size() -> None:
    result = bench_cluster((300, 600), probe=100)
    assert [r.size for r in result.sizes] == [300, 600]
    assert result.articles == 600 + 100 and not result.stopped_early  # the last probe follows 600
    for row in result.sizes:
        assert row.us_per_article > 0 and row.cpu_us_per_article > 0
        assert row.amortised_cpu_us_per_article > 0
        assert 0.0 <= row.probe_pairwise_f1 <= 1.0
    assert set(result.articles_per_s) == {"300", "600"}
    table = render_markdown(result, "babelwire bench cluster --sizes 300,600")
    assert "| CPU µs/article | amortised CPU µs/article |" in table
    assert table.count("\n| 300 |") + table.count("\n| 600 |") == 2
