"""What a whole store looks like after a crash and a rerun, read straight from the SQLite file.

The checks read the file with their own connection (not through babelwire) so a
bug in the store's reads cannot hide a bug in its writes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .corpus import article_id, marker


@dataclass(frozen=True, slots=True)
class StoreCensus:
    """Counts that say whether every article is stored exactly once and indexed."""

    articles: int
    distinct_ids: int
    distinct_hashes: int
    misfiled: list[str]
    missing: list[str]
    aliases: int
    failures: int
    integrity: str
    fts_docs: int
    fts_check: str
    quotes: int
    quotes_expected: int
    quotes_fts_check: str
    ingested_sources: int


def count_articles(path: Path, where: str = "1") -> int:
    """Stored articles (those matching the SQL condition ``where``) now; 0 while the file or
    its tables do not exist yet."""
    if not path.exists():
        return 0
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return int(conn.execute(f"SELECT count(*) FROM articles WHERE {where}").fetchone()[0])
    except sqlite3.OperationalError:  # not migrated yet
        return 0
    finally:
        conn.close()


def census(path: Path, expected: int) -> StoreCensus:
    """Read ``path`` and say how it differs from articles 0..expected-1 stored once each."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        rows = conn.execute("SELECT id, text FROM articles").fetchall()
        ids = {row[0] for row in rows}
        return StoreCensus(
            articles=len(rows), distinct_ids=len(ids),
            distinct_hashes=conn.execute(
                "SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0],
            misfiled=[i for i, text in rows if marker(int(i.rsplit("-", 1)[1])) not in text],
            missing=sorted({article_id(n) for n in range(expected)} - ids)[:10],
            aliases=conn.execute("SELECT count(*) FROM article_aliases").fetchone()[0],
            failures=conn.execute("SELECT count(*) FROM ingest_failures").fetchone()[0],
            integrity=conn.execute("PRAGMA integrity_check").fetchone()[0],
            fts_docs=conn.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0],
            fts_check=_fts_integrity(conn, "articles_fts"),
            quotes=conn.execute("SELECT count(*) FROM quotes").fetchone()[0],
            quotes_expected=conn.execute(
                "SELECT coalesce(sum(json_array_length(quotes)), 0) FROM articles").fetchone()[0],
            quotes_fts_check=_fts_integrity(conn, "quotes_fts"),
            ingested_sources=conn.execute("SELECT count(*) FROM ingested_sources").fetchone()[0])
    finally:
        conn.close()


def fts_matches(path: Path, word: str) -> list[str]:
    """Ids of the articles the full-text index finds for ``word``."""
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute(
            "SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " WHERE articles_fts MATCH ?", (word,))]
    finally:
        conn.close()


def backup(source: Path, target: Path) -> Path:
    """A consistent copy of the store at ``source`` (WAL included) written to ``target``."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def _fts_integrity(conn: sqlite3.Connection, table: str) -> str:
    """FTS5's own check, rank 1: the index also agrees with the content table."""
    try:
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES('integrity-check', 1)")
    except sqlite3.DatabaseError as error:
        return f"failed: {error}"
    return "ok"
