"""`bench cluster` on a tiny stream: what it reports per size (no timing thresholds)."""

from __future__ import annotations

import numpy as np

from babelwire.stories.benchmark import (
    StreamShape,
    SyntheticStream,
    ThreadTally,
    _prior,
    bench_cluster,
    render_markdown,
)
from babelwire.stories.clusterer import StreamingClusterer
from babelwire.stories.model import load_model


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
    assert "| follow-up stories | threads linked |" in table


def test_stream_follow_ups_link_into_their_earlier_storys_thread() -> None:
    model = load_model()
    stream = SyntheticStream(StreamShape(articles_per_day=500.0), _prior(model))
    clusterer = StreamingClusterer(model)
    tally = ThreadTally()
    for _ in range(4):  # 8 days: follow-ups start on day 5
        tally.count(stream, clusterer, clusterer.add(stream.next(1_000)))
        stream.truth.clear()
    assert len(stream.parent) >= 20
    assert tally.linked == tally.correct  # no story joins a thread it does not belong to
    assert tally.correct >= len(stream.parent) / 2


def test_stream_with_follow_ups_is_the_same_for_the_same_seed() -> None:
    prior = _prior(load_model())
    first, second = (SyntheticStream(StreamShape(articles_per_day=500.0), prior)
                     for _ in range(2))
    a, b = first.next(3_000), second.next(3_000)
    assert [x.keys for x in a] == [y.keys for y in b]
    assert all(np.array_equal(x.vector, y.vector) for x, y in zip(a, b, strict=True))
    assert first.parent == second.parent and len(first.parent) > 0
