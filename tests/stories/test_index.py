"""Candidate retrieval over story centroids: an exact scan, and faiss HNSW past a set size."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.stories.index import (
    CentroidIndex,
    CentroidIndexOptions,
    principal_basis,
    top_k_columns,
)


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


def _anisotropic(count: int, seed: int = 0) -> np.ndarray:
    """Vectors whose variance lies mostly in 12 of 64 directions (a random rotation of the
    axes), as real sentence embeddings' does in a few of their dimensions."""
    rng = np.random.default_rng(seed)
    scales = np.where(np.arange(64) < 12, 1.0, 0.08)
    rotation = np.linalg.qr(rng.standard_normal((64, 64)))[0]
    return _unit((rng.standard_normal((count, 64)) * scales) @ rotation.T)


def test_the_live_sketch_basis_spans_the_directions_the_centroids_vary_in() -> None:
    rows = _anisotropic(3000)
    basis = principal_basis(rows, 12)
    assert basis.T @ basis == pytest.approx(np.eye(12), abs=1e-5)
    kept = np.linalg.norm(rows @ basis, axis=1) ** 2
    assert kept.mean() > 0.9  # a random 12 of 64 directions would keep about 0.19


def test_the_live_sketch_basis_finds_neighbours_a_random_basis_misses() -> None:
    rng = np.random.default_rng(1)
    rows = _anisotropic(6000, seed=2)
    queries = _unit(rows[:300] + 0.05 * rng.standard_normal((300, 64)))
    found = {}
    for basis in ("live", "random"):
        index = CentroidIndex(64, CentroidIndexOptions(
            sketch_dim=12, sketch_from=1000, sketch_candidates=8, sketch_basis=basis))
        for slot, vector in enumerate(rows):
            index.put(slot, vector)
        found[basis] = sum(hits[0] == n for n, hits in enumerate(index.search(queries, 1)))
    assert found["live"] >= 297
    assert found["random"] < found["live"]


def test_an_unknown_sketch_basis_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="live, random"):
        CentroidIndexOptions(sketch_dim=64, sketch_basis="pca")
