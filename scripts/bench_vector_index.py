"""Measure faiss index types for the semantic-search index on synthetic clustered vectors.

Why synthetic: the choice of index type depends on size, dimension and how
clustered the vectors are, not on their meaning. e5 embeddings of news sit in
topical clusters with high background cosine, so the data are unit vectors
scattered around random cluster centres (within-cluster cosine about 0.8).

Usage: .venv/bin/python scripts/bench_vector_index.py [--n 100000] [--queries 200]
Prints a Markdown table: index type, build seconds, recall@10 vs exact, ms per query
(single-query calls, as `babelwire search --semantic` makes them).
"""

from __future__ import annotations

import argparse
import time

import faiss
import numpy as np

DIM = 384
K = 10


def clustered_unit_vectors(n: int, *, clusters: int, seed: int, dim: int = DIM) -> np.ndarray:
    """``n`` L2-normalised float32 vectors around ``clusters`` random centres."""
    rng = np.random.default_rng(seed)
    # A shared direction gives the high background cosine of e5 (about 0.5 between
    # unrelated texts); the noise puts neighbours of a query in more than one cluster.
    common = rng.standard_normal(dim).astype(np.float32)
    common /= np.linalg.norm(common)
    centres = rng.standard_normal((clusters, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    centres = 0.7 * common + 0.7 * centres
    labels = rng.integers(0, clusters, size=n)
    noise = rng.standard_normal((n, dim)).astype(np.float32) * (0.9 / np.sqrt(dim))
    vectors = centres[labels] + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean fraction of the true top-k found in the returned top-k."""
    hits = [len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True)]
    return float(np.mean(hits)) / truth.shape[1]


def time_queries(index: faiss.Index, queries: np.ndarray) -> tuple[np.ndarray, float]:
    """Search one query at a time; return the ids and the median milliseconds per query."""
    ids, times = [], []
    for query in queries:
        start = time.perf_counter()
        _, found = index.search(query[None, :], K)
        times.append(time.perf_counter() - start)
        ids.append(found[0])
    return np.stack(ids), 1000 * float(np.median(times))


def cold_load(index: faiss.Index, base: np.ndarray) -> None:
    """What a fresh `babelwire search` process pays: read a faiss file vs scan SQLite BLOBs."""
    import sqlite3
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "v.faiss"
        faiss.write_index(index, str(path))
        start = time.perf_counter()
        faiss.read_index(str(path))
        read_s = time.perf_counter() - start
        conn = sqlite3.connect(Path(tmp) / "v.db")
        conn.execute("CREATE TABLE a (rowid INTEGER PRIMARY KEY, text TEXT, embedding BLOB)")
        conn.executemany("INSERT INTO a (text, embedding) VALUES (?, ?)",
                         (("x" * 1500, v.astype("<f4").tobytes()) for v in base))
        conn.commit()
        start = time.perf_counter()
        rows = conn.execute("SELECT rowid, embedding FROM a").fetchall()
        np.stack([np.frombuffer(r[1], dtype="<f4") for r in rows])
        scan_s = time.perf_counter() - start
        conn.close()
    print(f"cold: read_index {read_s:.2f} s ({path.name}), SQLite BLOB scan {scan_s:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--clusters", type=int, default=1_000)
    args = parser.parse_args()
    data = clustered_unit_vectors(args.n + args.queries, clusters=args.clusters, seed=0)
    base, queries = data[: args.n], data[args.n:]
    ids = np.arange(args.n, dtype=np.int64)
    print(f"n={args.n} dim={DIM} queries={args.queries} clusters={args.clusters}"
          f" threads={faiss.omp_get_max_threads()}")
    truth = (queries @ base.T).argsort(axis=1)[:, ::-1][:, :K]

    start = time.perf_counter()
    matrix = np.ascontiguousarray(base)
    numpy_times = []
    for query in queries:
        t0 = time.perf_counter()
        np.argpartition(-(matrix @ query), K)[:K]
        numpy_times.append(time.perf_counter() - t0)
    print("| index | build s | recall@10 | query ms |")
    print("|---|---|---|---|")
    print(f"| numpy matrix @ q (in memory) | 0 | 1.000 | {1000 * np.median(numpy_times):.2f} |")

    start = time.perf_counter()
    flat = faiss.IndexIDMap2(faiss.IndexFlatIP(DIM))
    flat.add_with_ids(base, ids)
    build = time.perf_counter() - start
    found, ms = time_queries(flat, queries)
    print(f"| IDMap2(FlatIP) | {build:.2f} | {recall_at_k(found, truth):.3f} | {ms:.2f} |")

    cold_load(flat, base)

    start = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(DIM, 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 40
    mapped = faiss.IndexIDMap2(hnsw)
    mapped.add_with_ids(base, ids)
    build = time.perf_counter() - start
    for ef in (16, 32, 64, 128, 256):
        hnsw.hnsw.efSearch = ef
        found, ms = time_queries(mapped, queries)
        print(f"| IDMap2(HNSWFlat M=32, efC=40), efSearch={ef} | {build:.1f} |"
              f" {recall_at_k(found, truth):.3f} | {ms:.2f} |")

    for nlist in (256, 1024):
        start = time.perf_counter()
        quantizer = faiss.IndexFlatIP(DIM)
        ivf = faiss.IndexIVFFlat(quantizer, DIM, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.train(base[: max(40 * nlist, 20_000)])
        ivf.add_with_ids(base, ids)
        build = time.perf_counter() - start
        for nprobe in (4, 8, 16, 32, 64):
            ivf.nprobe = nprobe
            found, ms = time_queries(ivf, queries)
            print(f"| IVFFlat nlist={nlist}, nprobe={nprobe} | {build:.1f} |"
                  f" {recall_at_k(found, truth):.3f} | {ms:.2f} |")


if __name__ == "__main__":
    main()
