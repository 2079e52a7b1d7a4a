"""The vector index: exact below the threshold, a faiss file beside the database above it."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from babelwire import Database
from babelwire.cli import cli
from babelwire.db.vector_index import IndexKind, SearchMode, VectorIndex, VectorIndexOptions
from babelwire.encoder import MODEL_NAME
from babelwire.errors import StorageError

pytest.importorskip("faiss")
DIM = 32


def clustered_unit_vectors(n: int, *, dim: int = DIM, clusters: int = 20,
                           seed: int = 0) -> np.ndarray:
    """Unit vectors around random centres, with a shared direction as e5 embeddings have."""
    rng = np.random.default_rng(seed)
    common = rng.standard_normal(dim)
    centres = 0.7 * common / np.linalg.norm(common) + 0.7 * _unit(rng.standard_normal((clusters,
                                                                                       dim)))
    vectors = centres[rng.integers(0, clusters, n)] + rng.standard_normal((n, dim)) * (0.9 /
                                                                                      dim ** .5)
    return _unit(vectors).astype(np.float32)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def store(db: Database, vectors: np.ndarray, *, first: int = 0, model: str = MODEL_NAME) -> None:
    """Insert one article per vector, ids a<first>, a<first+1>, … (bulk, for speed)."""
    values = [(f"a{first + i}", f"h{first + i}", "2024-01-01T00:00:00", f"t{first + i}",
               v.astype("<f4").tobytes(), model, len(v)) for i, v in enumerate(vectors)]
    db.write(lambda conn: conn.executemany(
        "INSERT INTO articles (id, content_hash, ingested_at, title, embedding,"
        " embedding_model, embedding_dim) VALUES (?, ?, ?, ?, ?, ?, ?)", values))


def delete(db: Database, ids: list[str]) -> None:
    db.write(lambda conn: conn.executemany("DELETE FROM articles WHERE id = ?",
                                           [(i,) for i in ids]))


def exact_ids(vectors: np.ndarray, ids: list[str], query: np.ndarray, k: int) -> list[str]:
    scores = vectors @ query
    return [ids[i] for i in np.argsort(-scores, kind="stable")[:k]]


def open_db(path: Path, **options: Any) -> Database:
    return Database(path, vector_index=VectorIndexOptions(**options))


@pytest.fixture
def no_rebuilds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts full faiss builds, so a test can assert an update was incremental."""
    calls: list[int] = []
    real = VectorIndex._build

    def counting(self: VectorIndex, rowids: np.ndarray, *args: Any) -> Any:
        calls.append(len(rowids))
        return real(self, rowids, *args)

    monkeypatch.setattr(VectorIndex, "_build", counting)
    yield calls


def test_small_store_is_searched_exactly_without_an_index_file(tmp_path: Path) -> None:
    vectors = clustered_unit_vectors(300)
    with open_db(tmp_path / "a.db") as db:
        store(db, vectors)
        hits = db.semantic_search(vectors[7].tolist(), limit=10)
        status = db.vectors.refresh(model=MODEL_NAME, dim=DIM)
    ids = [f"a{i}" for i in range(300)]
    assert [h.article_id for h in hits] == exact_ids(vectors, ids, vectors[7], 10)
    assert hits[0].rank == pytest.approx(1.0, abs=1e-5)
    assert (status.mode, status.vectors) == (SearchMode.EXACT, 300)
    assert not (tmp_path / "a.db.faiss").exists()


@pytest.mark.parametrize("kind", list(IndexKind))
def test_incremental_add_gives_the_same_results_as_a_full_rebuild(
        tmp_path: Path, kind: IndexKind, no_rebuilds: list[int]) -> None:
    vectors = clustered_unit_vectors(600)
    queries = clustered_unit_vectors(20, seed=1)
    with open_db(tmp_path / "a.db", exact_below=100, kind=kind) as db:
        store(db, vectors[:400])
        db.semantic_search(queries[0].tolist(), limit=10)
        store(db, vectors[400:], first=400)
        incremental = [db.semantic_search(q.tolist(), limit=10) for q in queries]
        assert no_rebuilds == [400], "the 200 new vectors should be added, not rebuilt"
        db.rebuild_vector_index()
        rebuilt = [db.semantic_search(q.tolist(), limit=10) for q in queries]
    if kind is IndexKind.FLAT:
        assert incremental == rebuilt
    else:  # two HNSW graphs may order near-ties differently; the sets barely differ
        overlap = np.mean([len({h.article_id for h in a} & {h.article_id for h in b}) / 10
                           for a, b in zip(incremental, rebuilt, strict=True)])
        assert overlap >= 0.95
    sidecar = json.loads((tmp_path / "a.db.faiss.json").read_text())
    assert (sidecar["ntotal"], sidecar["kind"]) == (600, kind.value)


@pytest.mark.parametrize("kind", list(IndexKind))
def test_deleted_articles_never_come_back_even_after_reopening(tmp_path: Path,
                                                               kind: IndexKind) -> None:
    vectors = clustered_unit_vectors(500)
    gone = [f"a{i}" for i in range(0, 500, 25)]  # 20 of 500: tombstones, under the 10% rebuild
    with open_db(tmp_path / "a.db", exact_below=100, kind=kind) as db:
        store(db, vectors)
        db.semantic_search(vectors[0].tolist(), limit=5)
        delete(db, gone)
        found = {h.article_id for i in range(0, 500, 25)
                 for h in db.semantic_search(vectors[i].tolist(), limit=20)}
        db.vectors._save(db.vectors._state)  # type: ignore[arg-type]
    assert found.isdisjoint(gone)
    tombstones = json.loads((tmp_path / "a.db.faiss.json").read_text())["tombstones"]
    assert len(tombstones) == (20 if kind is IndexKind.HNSW else 0)
    with open_db(tmp_path / "a.db", exact_below=100, kind=kind) as db:
        found = {h.article_id for i in range(0, 500, 25)
                 for h in db.semantic_search(vectors[i].tolist(), limit=20)}
        many = [f"a{i}" for i in range(1, 500, 4)]  # 125 more: past 10%, so HNSW rebuilds
        delete(db, many)
        after = {h.article_id for i in range(0, 500, 5)
                 for h in db.semantic_search(vectors[i].tolist(), limit=20)}
    assert found.isdisjoint(gone)
    assert after.isdisjoint(gone + many) and len(after) > 100
    assert json.loads((tmp_path / "a.db.faiss.json").read_text())["tombstones"] == []


@pytest.mark.parametrize("kind", list(IndexKind))
def test_reembedded_article_is_found_by_its_new_vector_only(tmp_path: Path,
                                                            kind: IndexKind) -> None:
    vectors = clustered_unit_vectors(300)
    new = clustered_unit_vectors(1, seed=9)[0]
    with open_db(tmp_path / "a.db", exact_below=100, kind=kind) as db:
        store(db, vectors)
        db.semantic_search(vectors[0].tolist(), limit=5)
        db.write(lambda conn: conn.execute("UPDATE articles SET embedding = ? WHERE id = 'a3'",
                                           (new.astype("<f4").tobytes(),)))
        by_new = db.semantic_search(new.tolist(), limit=1)
        by_old = db.semantic_search(vectors[3].tolist(), limit=1)
    assert (by_new[0].article_id, round(by_new[0].rank, 4)) == ("a3", 1.0)
    assert by_old[0].article_id != "a3"


def test_model_mismatch_rebuilds_the_index(tmp_path: Path) -> None:
    vectors = clustered_unit_vectors(300)
    with open_db(tmp_path / "a.db", exact_below=100) as db:
        store(db, vectors)
        db.semantic_search(vectors[0].tolist(), limit=5)
        db.write(lambda conn: conn.execute("UPDATE articles SET embedding_model = 'e5-base'"))
    with open_db(tmp_path / "a.db", exact_below=100) as db:
        assert db.semantic_search(vectors[0].tolist(), limit=5) == []
        hits = db.semantic_search(vectors[0].tolist(), limit=5, model="e5-base")
    assert hits[0].article_id == "a0"
    assert json.loads((tmp_path / "a.db.faiss.json").read_text())["model"] == "e5-base"


def test_index_file_lives_beside_the_db_and_is_loaded_not_rebuilt_on_reopen(
        tmp_path: Path, no_rebuilds: list[int]) -> None:
    vectors = clustered_unit_vectors(300)
    with open_db(tmp_path / "a.db", exact_below=100) as db:
        store(db, vectors)
        first = db.semantic_search(vectors[5].tolist(), limit=10)
    assert sorted(p.name for p in tmp_path.glob("a.db.faiss*")) == ["a.db.faiss",
                                                                     "a.db.faiss.json"]
    with open_db(tmp_path / "a.db", exact_below=100) as db:
        again = db.semantic_search(vectors[5].tolist(), limit=10)
        status = db.vectors.refresh(model=MODEL_NAME, dim=DIM)
    assert again == first
    assert no_rebuilds == [300]
    assert (status.mode, status.vectors, status.path) == (
        SearchMode.FAISS, 300, str(tmp_path / "a.db.faiss"))


def test_recreated_database_does_not_reuse_the_old_index_file(tmp_path: Path) -> None:
    with open_db(tmp_path / "a.db", exact_below=100) as db:
        store(db, clustered_unit_vectors(300, seed=1))
        db.semantic_search(clustered_unit_vectors(1)[0].tolist(), limit=5)
    for path in tmp_path.glob("a.db*"):
        if not path.name.startswith("a.db.faiss"):
            path.unlink()
    vectors = clustered_unit_vectors(300, seed=2)
    with open_db(tmp_path / "a.db", exact_below=100) as db:
        store(db, vectors)
        hits = db.semantic_search(vectors[3].tolist(), limit=1)
    assert (hits[0].article_id, round(hits[0].rank, 4)) == ("a3", 1.0)


def test_hnsw_recall_at_10_is_at_least_095_on_20k_clustered_vectors(tmp_path: Path) -> None:
    vectors = clustered_unit_vectors(20_000, dim=384, clusters=200)
    # Queries near stored vectors but not equal to any, as a query text near a story is.
    noise = np.random.default_rng(5).standard_normal((100, 384)) * 0.02
    queries = _unit(vectors[:100] + noise).astype(np.float32)
    ids = [f"a{i}" for i in range(20_000)]
    with open_db(tmp_path / "a.db", exact_below=10_000, kind=IndexKind.HNSW) as db:
        store(db, vectors)
        start = time.perf_counter()
        results = [db.semantic_search(q.tolist(), limit=10) for q in queries]
        took_s = time.perf_counter() - start
        status = db.vectors.refresh(model=MODEL_NAME, dim=384)
    recall = np.mean([len({h.article_id for h in r} & set(exact_ids(vectors, ids, q, 10))) / 10
                      for r, q in zip(results, queries, strict=True)])
    assert status.mode is SearchMode.FAISS
    assert recall >= 0.95, f"recall@10 {recall:.3f} (build and 100 queries took {took_s:.1f} s)"


def test_without_faiss_a_big_store_is_searched_exactly_with_a_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "faiss", None)  # makes `import faiss` raise ImportError
    vectors = clustered_unit_vectors(300)
    with open_db(tmp_path / "a.db", exact_below=100) as db, caplog.at_level(logging.WARNING):
        store(db, vectors)
        hits = db.semantic_search(vectors[2].tolist(), limit=10)
        db.semantic_search(vectors[3].tolist(), limit=10)
        with pytest.raises(StorageError) as error:
            db.rebuild_vector_index()
    assert [h.article_id for h in hits] == exact_ids(vectors, [f"a{i}" for i in range(300)],
                                                     vectors[2], 10)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["300 embeddings is at least index.exact_below=100, but faiss is not"
                        " installed, so semantic search scans them all exactly (slower);"
                        " pip install 'babelwire[index]' (it installs faiss-cpu)"]
    assert str(error.value) == ("cannot build the vector index: faiss is not installed;"
                                " pip install 'babelwire[index]' (it installs faiss-cpu)")
    assert not (tmp_path / "a.db.faiss").exists()


def test_cli_index_rebuild_writes_the_file_and_prints_its_status(tmp_path: Path) -> None:
    with Database(tmp_path / "t.db") as db:
        store(db, clustered_unit_vectors(50))
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "index", "rebuild"])
    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    assert (status["vectors"], status["model"], status["dim"], status["path"]) == (
        50, MODEL_NAME, DIM, str(tmp_path / "t.db.faiss"))
    assert status["mode"] == "exact"  # 50 is under the default index.exact_below


def test_cli_index_rebuild_without_embeddings_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "index", "rebuild"])
    assert result.exit_code == 1
    assert (f"no article has a {MODEL_NAME!r} embedding, so there is nothing to index;"
            " ingest with the embed.e5.v1 stage first") in result.output


def test_unknown_index_kind_is_a_config_error_naming_it(tmp_path: Path) -> None:
    from babelwire.errors import ConfigError
    from babelwire.settings import load_settings

    with pytest.raises(ConfigError) as error:
        load_settings(overrides={"index.kind": "ivf"}, env={}, cwd=tmp_path)
    assert str(error.value) == "index.kind must be 'hnsw' or 'flat', got 'ivf'"
