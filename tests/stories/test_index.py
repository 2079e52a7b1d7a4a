"""Candidate retrieval over story centroids: exact below the threshold, faiss HNSW above."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.stories.index import CentroidIndex, CentroidIndexOptions


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _clustered(count: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = _unit(rng.standard_normal((50, 64)))
    return _unit(centres[rng.integers(0, 50, count)] + 0.3 * rng.standard_normal((count, 64)))


def test_exact_search_returns_the_nearest_live_centroids_nearest_first() -> None:
    vectors = _clustered(200)
    index = CentroidIndex(64)
    for slot, vector in enumerate(vectors):
        index.put(slot, vector)
    index.remove(7)
    found = index.search(vectors[7:9], 5)
    truth = np.argsort(-(vectors @ vectors[8]))
    assert index.mode == "exact"
    assert 7 not in found[0] and list(found[1]) == [s for s in truth if s != 7][:5]


def test_graph_search_finds_what_the_exact_scan_finds() -> None:
    pytest.importorskip("faiss")
    vectors = _clustered(3000)
    exact = CentroidIndex(64, CentroidIndexOptions(exact_below=10**9))
    graph = CentroidIndex(64, CentroidIndexOptions(exact_below=500))
    for slot, vector in enumerate(vectors):
        exact.put(slot, vector)
        graph.put(slot, vector)
    queries = _clustered(100, seed=1)
    hits = [len(set(a[:5]) & set(b[:5]))
            for a, b in zip(exact.search(queries, 5), graph.search(queries, 5), strict=True)]
    assert graph.mode == "faiss" and exact.mode == "exact"
    assert sum(hits) / (5 * len(hits)) >= 0.95


def test_graph_forgets_removed_stories_and_follows_moved_centroids() -> None:
    pytest.importorskip("faiss")
    vectors = _clustered(600)
    index = CentroidIndex(64, CentroidIndexOptions(exact_below=100))
    for slot, vector in enumerate(vectors):
        index.put(slot, vector)
    index.remove(0)
    moved = _unit(-vectors[1:2])[0]
    index.put(1, moved, size=2)  # a story that doubled is re-added where it now is
    assert 0 not in index.search(vectors[0], 3)[0]
    assert index.search(moved, 1)[0][0] == 1
    assert index.live == 599
