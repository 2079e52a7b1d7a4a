"""Concurrency (issue 9): processes that open one new store at the same time all start.

`serve` and `ingest` started together both migrate the file. Each migration
must run once, whoever gets there first; the other opens the migrated store.
Real processes are stood in for by threads with their own connections, which
SQLite locks the same way; the worst interleaving (the other process migrates
between our reading what is applied and our applying the rest) is also forced
deterministically, since threads hit it only sometimes.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from babelwire.db.migrations import MIGRATIONS, apply_migrations

OPENERS = 4


def _open_together(path: Path) -> tuple[list[list[str]], list[str]]:
    """Migrate ``path`` from OPENERS connections released at one instant."""
    start = threading.Barrier(OPENERS)
    applied: list[list[str]] = []
    errors: list[str] = []

    def open_store() -> None:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            start.wait()
            applied.append(apply_migrations(conn))
        except sqlite3.Error as error:
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            conn.close()

    threads = [threading.Thread(target=open_store) for _ in range(OPENERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return applied, errors


class OvertakenConnection:
    """A connection on which another opener migrates the store right after we read
    which migrations are applied, before we apply the rest."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.path = path

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        cursor = self.conn.execute(sql, *args)
        if sql == "SELECT name FROM _migrations":
            rows = cursor.fetchall()
            other = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            try:
                apply_migrations(other)
            finally:
                other.close()
            return _Rows(rows)
        return cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


class _Rows(list[Any]):
    def fetchall(self) -> list[Any]:
        return list(self)


@pytest.mark.reliability("concurrency")
def test_a_store_migrated_by_another_process_meanwhile_is_not_migrated_again(
        tmp_path: Path) -> None:
    late = OvertakenConnection(tmp_path / "new.db")
    try:
        assert apply_migrations(late) == []  # type: ignore[arg-type]
        recorded = [row[0] for row in late.conn.execute("SELECT name FROM _migrations")]
    finally:
        late.conn.close()
    assert sorted(recorded) == sorted(migration.name for migration in MIGRATIONS)


@pytest.mark.reliability("concurrency")
@pytest.mark.parametrize("trial", range(3))
def test_stores_opened_at_once_apply_each_migration_exactly_once(tmp_path: Path,
                                                                 trial: int) -> None:
    path = tmp_path / f"new-{trial}.db"
    applied, errors = _open_together(path)
    assert errors == []
    assert sorted(name for names in applied for name in names) == sorted(
        migration.name for migration in MIGRATIONS)
    conn = sqlite3.connect(path)
    try:
        recorded = [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY name")]
    finally:
        conn.close()
    assert recorded == sorted(migration.name for migration in MIGRATIONS)
