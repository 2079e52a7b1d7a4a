"""Candidate retrieval over story centroids: an exact scan, and faiss HNSW past a set size."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.stories.index import CentroidIndex, CentroidIndexOptions, top_k_columns


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
    assert index.nearest(moved, 1).slots == [[1]]
    assert index.nearest(moved, 1).cosines[0] == pytest.approx([1.0], abs=1e-5)
    assert index.live == 599


@pytest.mark.parametrize(("columns", "k"), [(3, 5), (100, 5), (64 * 40, 10), (64 * 40 + 17, 5)])
def test_top_k_columns_equals_a_full_sort_of_each_row(columns: int, k: int) -> None:
    scores = np.random.default_rng(columns).standard_normal((30, columns)).astype(np.float32)
    scores[0, -1] = 9.0  # the best score in the columns past the last whole group
    expected = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    assert top_k_columns(scores, k).tolist() == expected.tolist()


def test_exact_index_after_many_removals_scans_only_live_rows_and_finds_each_story() -> None:
    vectors = _clustered(3000)
    index = CentroidIndex(64)
    for slot, vector in enumerate(vectors):
        index.put(slot, vector)
    for slot in range(0, 3000, 3):
        index.remove(slot)
    index.put(1, vectors[1])  # a moved centroid is overwritten in its (moved) row
    kept = [slot for slot in range(3000) if slot % 3]
    found = index.search(vectors[kept], 1)
    assert index.live == 2000 and index.mode == "exact"
    assert [int(hit[0]) for hit in found] == kept


def test_sketch_scan_ranks_its_candidates_by_the_exact_cosine() -> None:
    vectors = _clustered(5000)
    options = CentroidIndexOptions(sketch_dim=32, sketch_from=1000, sketch_candidates=32)
    sketched, exact = CentroidIndex(64, options), CentroidIndex(64)
    for slot, vector in enumerate(vectors):
        sketched.put(slot, vector)
        exact.put(slot, vector)
    queries = vectors[:200]
    rough, truth = sketched.nearest(queries, 3), exact.nearest(queries, 3)
    assert [hits[0] for hits in rough.slots] == list(range(200))  # each finds itself
    for slots, cosines in zip(rough.slots, rough.cosines, strict=True):
        assert cosines == sorted(cosines, reverse=True)
        assert cosines == pytest.approx([float(vectors[s] @ vectors[slots[0]]) for s in slots],
                                        abs=1e-5)
    assert [c[0] for c in rough.cosines] == pytest.approx([c[0] for c in truth.cosines])


def test_the_scans_cosine_matrix_is_the_nearest_answers_and_names_each_columns_story() -> None:
    vectors = _clustered(300, seed=3)
    index = CentroidIndex(64)
    for slot, vector in enumerate(vectors):
        index.put(slot + 1000, vector)
    index.remove(1005)
    found, scan = index.nearest_and_scan(vectors[:4], 6)
    assert scan is not None and scan.scores.shape == (4, 299)
    for row in range(4):
        order = np.lexsort((scan.slots, -scan.scores[row]))[:6]
        assert scan.slots[order].tolist() == found.slots[row]
        assert 1005 not in scan.slots.tolist()
