"""bench web: the synthetic store's shape, the report section, and one tiny end-to-end run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from babelwire import Database
from babelwire.db.synthetic import SyntheticSpec, fill
from babelwire.web.benchmark import PageTiming, WebBenchmark, bench_web, write_report

TINY = SyntheticSpec(articles=300, entities=50, embedded=40, embedding_dim=8, chunk=100)


def test_synthetic_store_counts_agree_with_its_rows(tmp_path: Path) -> None:
    Database(tmp_path / "s.db").close()
    conn = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    made = fill(conn, TINY)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 300
    assert conn.execute("SELECT count(*) FROM entity_mentions").fetchone()[0] == made.mentions
    assert conn.execute("SELECT sum(mentions) FROM entities").fetchone()[0] == made.mentions
    assert conn.execute("SELECT count(*) FROM articles WHERE embedding IS NOT NULL"
                        ).fetchone()[0] == 40
    assert conn.execute("SELECT sum(size) FROM stories").fetchone()[0] == 300
    assert conn.execute("SELECT count(*) FROM stories").fetchone()[0] == made.stories
    assert conn.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0] == 0
    top = conn.execute("SELECT id FROM entities ORDER BY mentions DESC LIMIT 1").fetchone()[0]
    assert top == made.top_entity_ids[0]
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                        (made.query_words[0],)).fetchone()[0] > 0


def test_report_replaces_its_own_section_and_keeps_the_rest(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\n## Encoder\n\ntable\n", encoding="utf-8")
    run = WebBenchmark(articles=10, entities=2, mentions=3, embedded=1, stories=2, fill_s=0.1,
                       db_mb=1.0,
                       concurrency=4, pages={"article": PageTiming(5, 0, 1.0, 2.0, 3.0, 4.0, 9.0)})
    write_report(run, report, "babelwire bench web --articles 10")
    write_report(run, report, "babelwire bench web --articles 10")
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\n## Encoder\n\ntable\n")
    assert text.count("## Web pages") == 1
    assert "| article | 5 | 0 | 1.0 | 2.0 | 3.0 | 4.0 | 9.0 |" in text


@pytest.mark.slow
def test_bench_web_times_every_page_kind_without_errors(tmp_path: Path) -> None:
    result = bench_web(tmp_path / "b.db", TINY, requests=6, concurrency=2, workers=2)
    assert set(result.pages) >= {"front", "story", "article", "entity", "search_text"}
    assert set(result.pages_workers) == set(result.pages)
    assert {kind: t.errors for kind, t in result.pages.items()} == dict.fromkeys(result.pages, 0)
    assert {kind: t.errors for kind, t in result.pages_workers.items()} == dict.fromkeys(
        result.pages, 0)


def test_reused_store_is_timed_on_the_first_title_words_in_storage_order() -> None:
    from babelwire.web.benchmark import _first_title_words

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE articles (rowid INTEGER PRIMARY KEY, title TEXT)")
    conn.executemany("INSERT INTO articles (title) VALUES (?)",
                     [("Zeta storm",), ("Alpha vote",), ("Zeta calm",), ("Be on",), ("Mid x",)])
    before = _first_title_words(conn, distinct=3, kept=5)
    conn.execute("CREATE INDEX articles_title ON articles(title)")  # DISTINCT may now read it
    assert before == _first_title_words(conn, distinct=3, kept=5) == ["Zeta", "Alpha"]


def test_report_with_workers_puts_both_servers_and_the_p95_ratio_in_one_row(
        tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    run = WebBenchmark(articles=10, entities=2, mentions=3, embedded=1, stories=2, fill_s=0.1,
                       db_mb=1.0, concurrency=8, workers=2,
                       pages={"story": PageTiming(200, 0, 80.0, 180.0, 200.0, 250.0, 90.0)},
                       pages_workers={"story": PageTiming(200, 1, 40.0, 90.0, 99.0, 120.0, 170.0)})
    write_report(run, report, "babelwire bench web --articles 10 --workers 2")
    text = report.read_text(encoding="utf-8")
    assert ("and `babelwire serve --workers 2` (both running, each kind timed in 4 rounds"
            " alternating between them)") in text
    assert ("| page | requests | errors (1 / 2) | p50 / p95, 1 process | p50 / p95, 2 workers |"
            " p95 ratio 2/1 | req/s (1 / 2) |") in text
    assert "| story | 200 | 0 / 1 | 80.0 / 180.0 | 40.0 / 90.0 | 0.5 | 90.0 / 170.0 |" in text
