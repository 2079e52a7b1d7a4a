"""What only the PostgreSQL store has: migrations, HNSW index, concurrent writers, --db URL."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pytest
from click.testing import CliRunner

from babelwire import Article, Database
from babelwire.cli import cli
from babelwire.db.migrations import MIGRATIONS
from babelwire.db.postgres import is_postgres_url, search
from babelwire.db.postgres.database import PostgresDatabase
from babelwire.db.postgres.migrate import apply_migrations
from babelwire.db.store import SearchFilters
from babelwire.encoder import MODEL_NAME
from babelwire.errors import StorageError
from babelwire.fingerprint import MinHasher
from babelwire.record import Quote, QuoteType


def test_every_migration_has_a_form_for_each_backend_in_one_ordered_list() -> None:
    names = [m.name for m in MIGRATIONS]
    assert names == sorted(names) and len(set(names)) == len(names)
    assert all(callable(m.sqlite) and m.postgres.strip() for m in MIGRATIONS)


def test_database_urls_and_files_are_told_apart() -> None:
    assert [is_postgres_url(x) for x in ("postgresql://u@h/db", "postgres://h/db", "news.db",
                                          "/tmp/postgresql.db")] == [True, True, False, False]


def test_migrations_are_recorded_by_name_and_never_applied_twice(postgres_url: str) -> None:
    PostgresDatabase(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        recorded = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
        assert recorded == [m.name for m in MIGRATIONS]
        assert apply_migrations(conn) == []


def test_semantic_search_of_e5_vectors_uses_the_hnsw_index(postgres_url: str) -> None:
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((20, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    with PostgresDatabase(postgres_url) as db:
        for n, vector in enumerate(vectors):
            db.add_article(Article(id=f"a{n}", title=f"T{n}", text=f"Body {n}.",
                                   embedding=vector.tolist()))
        assert db.semantic_search(vectors[7].tolist(), limit=1)[0].article_id == "a7"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")  # 20 rows: the planner would rather scan
        literal = "[" + ",".join(str(v) for v in vectors[7].tolist()) + "]"
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT id FROM articles WHERE embedding_dim = 384"
            " ORDER BY embedding_vector::vector(384) <#> %s::vector(384) LIMIT 5", (literal,)))
    assert "articles_embedding_hnsw" in plan, plan


def test_two_stores_adding_one_article_at_once_store_it_once(postgres_url: str) -> None:
    body = ("Two fetchers in two processes saw the same wire story at the same moment and both"
            " handed it to the store, which must keep one article and one alias.")
    stores = [PostgresDatabase(postgres_url) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def add(store: PostgresDatabase, source: str) -> None:
        start.wait()
        result = store.add_article(Article(title="Wire", text=body, source=source),
                                   MinHasher().fingerprint(body))
        outcomes.append(result.outcome.value)

    threads = [threading.Thread(target=add, args=(s, f"s{n}")) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["duplicate", "inserted"]
    assert stores[0].stats()["articles"] == 1
    assert len(stores[1].aliases(stores[1].list_articles()[0].id)) == 1
    for store in stores:
        store.close()


def test_a_closed_store_says_so(postgres_url: str) -> None:
    db = PostgresDatabase(postgres_url)
    db.close()
    with pytest.raises(StorageError, match="the database is closed"):
        db.add_article(Article(id="a1", title="T", text="Body."))


def test_unreachable_server_is_named_without_its_password() -> None:
    with pytest.raises(StorageError) as info:
        PostgresDatabase("postgresql://ann:secret@127.0.0.1:1/news")
    assert "postgresql://ann@127.0.0.1:1/news" in str(info.value)
    assert "secret" not in str(info.value)


def test_cli_ingests_into_postgresql_and_searches_it(postgres_url: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Regjeringen legger fram ny klimaplan\n\nRegjeringen la torsdag fram en klimaplan"
        " som skal kutte utslippene med halvparten innen 2030. Planen ble presentert på en"
        " pressekonferanse i Oslo, og opposisjonen kalte den for svak.\n", encoding="utf-8")
    runner = CliRunner()
    ingested = runner.invoke(cli, ["--db", postgres_url, "ingest", str(tmp_path / "a.txt")],
                             catch_exceptions=False)
    assert ingested.exit_code == 0, ingested.output
    assert json.loads(ingested.stdout.splitlines()[0])["inserted"] == 1
    hits = runner.invoke(cli, ["--db", postgres_url, "search", "klimaplan"]).stdout
    assert [json.loads(line)["title"] for line in hits.splitlines()] == [
        "Regjeringen legger fram ny klimaplan"]
    processed = runner.invoke(cli, ["--db", postgres_url, "--set",
                                    "pipeline.stages=language.cld2.v1,quotes.rules.v1",
                                    "process"], catch_exceptions=False)
    assert processed.exit_code == 0, processed.output
    assert json.loads(processed.stdout)["articles"] == 1
    stories = runner.invoke(cli, ["--db", postgres_url, "stories", "list"])
    assert (stories.exit_code, stories.stdout) == (0, "")  # nothing embedded: no story
    refused = runner.invoke(cli, ["--db", postgres_url, "index", "rebuild"])
    assert refused.exit_code == 2
    assert "this command needs a SQLite store (--db FILE)" in refused.output


def _explain(conn: psycopg.Connection, sql: str, params: list[object]) -> list[dict[str, str]]:
    search.set_search_depth(conn, 10)
    return conn.execute(f"EXPLAIN {sql}", params).fetchall()


@pytest.mark.slow
def test_hnsw_recall_at_10_is_at_least_095_with_and_without_a_rare_language_filter(
        postgres_url: str) -> None:
    from .test_vector_index import _unit, clustered_unit_vectors, exact_ids

    vectors = clustered_unit_vectors(10_000, dim=384, clusters=100)
    ids = [f"a{i}" for i in range(len(vectors))]
    rare = [i for i in range(len(vectors)) if i % 100 == 0]  # 1 %: language "xx"
    noise = np.random.default_rng(5).standard_normal((50, 384)) * 0.02
    queries = _unit(vectors[:50] + noise).astype(np.float32)
    with PostgresDatabase(postgres_url) as db:
        for i, vector in enumerate(vectors):
            db.add_article(Article(id=ids[i], title=f"T{i}", text=f"Body {i}.",
                                   lang="xx" if i % 100 == 0 else "en",
                                   embedding=vector.tolist()))
        db.write(lambda conn: conn.execute("ANALYZE articles"))
        every = [db.semantic_search(q.tolist(), limit=10) for q in queries]
        filtered = [db.semantic_search(q.tolist(), limit=10, filters=SearchFilters(lang="xx"))
                    for q in queries]
        plan = "\n".join(r["QUERY PLAN"] for r in db.write(lambda conn: _explain(
            conn, *search.semantic_query(queries[0].tolist(), model=MODEL_NAME, limit=10,
                                         offset=0, filters=None))))
    rare_ids = [ids[i] for i in rare]
    recall = np.mean([len({h.article_id for h in r} & set(exact_ids(vectors, ids, q, 10))) / 10
                      for r, q in zip(every, queries, strict=True)])
    recall_rare = np.mean([
        len({h.article_id for h in r} & set(exact_ids(vectors[rare], rare_ids, q, 10))) / 10
        for r, q in zip(filtered, queries, strict=True)])
    assert "articles_embedding_hnsw" in plan, plan
    assert all(len(r) == 10 and {h.lang for h in r} == {"xx"} for r in filtered)
    print(f"recall@10 {recall:.3f}, with the 1 % language filter {recall_rare:.3f}")  # for the log
    assert recall >= 0.95 and recall_rare >= 0.95, (recall, recall_rare)


def _random_articles(seed: int) -> list[tuple[Article, bool]]:
    """Articles (some exact or near copies of earlier ones), each with whether to fingerprint."""
    rng = np.random.default_rng(seed)
    words = ["klima", "plan", "Oslo", "Brücke", "état", "wahl", "regjering", "vote", "floods",
             "côte", "budget", "москва", "北京", "3.5", "news@example.org"]
    made: list[tuple[Article, bool]] = []
    for n in range(60):
        if made and rng.random() < 0.15:  # a copy, verbatim or edited
            earlier = made[int(rng.integers(len(made)))][0]
            text = earlier.text if rng.random() < 0.5 else earlier.text + " Oppdatert."
            made.append((Article(id=f"c{n}", title=earlier.title, text=text, source=f"copy{n}",
                                 url=f"https://copy/{n}"), True))
            continue
        text = " ".join(rng.choice(words, size=40)) + "."
        day = f"2024-03-{int(rng.integers(1, 28)):02d}T{int(rng.integers(0, 24)):02d}:00:00+01:00"
        quotes = [Quote(text=" ".join(rng.choice(words, size=5)), type=QuoteType.DIRECT,
                        speaker_name=str(rng.choice(["Ann", "Ola", "Jan Roth"])),
                        speaker_entity=None if rng.random() < 0.5 else "ent:per:x")
                  ] if rng.random() < 0.4 else []
        made.append((Article(id=f"a{n}", title=f"Title {n} {rng.choice(words)}", text=text,
                             lang=str(rng.choice(["en", "nb", "de", "fr"])), source="wire",
                             published_at=None if rng.random() < 0.2
                             else datetime.fromisoformat(day),
                             quotes=quotes, embedding=_unit_vector(rng)), bool(rng.random() < .7)))
    return made


def _unit_vector(rng: np.random.Generator) -> list[float]:
    vector = rng.standard_normal(8).astype(np.float32)
    return (vector / np.linalg.norm(vector)).tolist()


def _reads(store: Any, probe: list[float]) -> dict[str, Any]:
    """Every read whose result both backends must give alike (search: ids, not rank values)."""
    def no_time(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [tuple(v for k, v in sorted(r.items()) if k != "seen_at") for r in rows]

    return {
        "list": [a.id for a in store.list_articles(limit=100)],
        "list_nb": [a.id for a in store.list_articles(lang="nb", limit=5, offset=2)],
        "iter": [(a.id, a.text, a.quotes, a.embedding) for a in store.iter_articles()],
        "stats": store.stats(), "languages": store.languages(), "latest": store.latest_day(),
        "aliases": {a.id: no_time(store.aliases(a.id)) for a in store.iter_articles()},
        "search": {q: sorted((h.article_id, h.title, h.lang, h.day)
                             for h in store.search(q, limit=100))  # ranks differ: all hits
                   for q in ("klima", "brucke oslo", "etat", "example", "北京", "3")},
        "search_de": sorted(h.article_id for h in store.search(
            "plan", limit=100,
            filters=SearchFilters(lang="de", since="2024-03-05", until="2024-03-20"))),
        "semantic": [h.article_id for h in store.semantic_search(probe, limit=15)],
        "semantic_en": [h.article_id for h in store.semantic_search(
            probe, limit=5, offset=3, filters=SearchFilters(lang="en"))],
        "quotes": [(q.article_id, q.position, q.text, q.speaker_entity, q.day)
                   for q in store.search_quotes("", limit=100)],
        "quotes_ann": [q.id for q in store.search_quotes("ann klima")],
        "quotes_entity": [q.article_id for q in store.search_quotes(entity_id="ent:per:x")],
        "quote_texts": store.quote_texts("nb", limit=10),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_the_same_calls_give_the_same_results_on_both_backends(postgres_url: str,
                                                               seed: int) -> None:
    hasher = MinHasher()
    with Database(memory=True) as sqlite, PostgresDatabase(postgres_url) as postgres:
        for article, fingerprinted in _random_articles(seed):
            fingerprint = hasher.fingerprint(article.text) if fingerprinted else None
            outcomes = {store.add_article(article, fingerprint) for store in (sqlite, postgres)}
            assert len(outcomes) == 1, outcomes
        probe = _unit_vector(np.random.default_rng(seed + 100))
        first, second = _reads(sqlite, probe), _reads(postgres, probe)
    assert first["stats"]["articles"] > 40 and first["search"]["klima"]
    assert {key: second[key] for key in first} == first
