"""The throw-away PostgreSQL cluster has a working pgvector (the store backend builds on it)."""

from __future__ import annotations

from tests.scale.conftest import RunningService


def test_postgres_cluster_runs_pgvector_hnsw_nearest_neighbour_query(
        postgres_cluster: RunningService) -> None:
    import psycopg

    vectors = {"north": "[1,0,0]", "east": "[0,1,0]", "up": "[0,0,1]", "north-east": "[1,1,0]"}
    with psycopg.connect(postgres_cluster.url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        conn.execute("DROP TABLE IF EXISTS nn_probe")
        conn.execute("CREATE TABLE nn_probe (name text PRIMARY KEY, v vector(3))")
        for name, vector in vectors.items():
            conn.execute("INSERT INTO nn_probe VALUES (%s, %s)", (name, vector))
        conn.execute("CREATE INDEX nn_probe_hnsw ON nn_probe USING hnsw (v vector_cosine_ops)")
        conn.execute("SET enable_seqscan = off")  # the planner must use the HNSW index
        plan = "\n".join(row[0] for row in conn.execute(
            "EXPLAIN SELECT name FROM nn_probe ORDER BY v <=> '[0.9,0.2,0]' LIMIT 2"))
        rows = conn.execute(
            "SELECT name FROM nn_probe ORDER BY v <=> '[0.9,0.2,0]' LIMIT 2").fetchall()
        version = conn.execute(
            "SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()
    assert "nn_probe_hnsw" in plan
    assert [name for (name,) in rows] == ["north", "north-east"]
    assert version is not None and version[0].count(".") == 2
    assert conn.closed


def test_postgres_cluster_listens_on_loopback_only(postgres_cluster: RunningService) -> None:
    import psycopg

    with psycopg.connect(postgres_cluster.url) as conn:
        row = conn.execute("SHOW listen_addresses").fetchone()
    assert row == ("127.0.0.1",)
    assert postgres_cluster.url.startswith("postgresql://postgres@127.0.0.1:")
