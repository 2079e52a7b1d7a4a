"""Apply the PostgreSQL forms of `babelwire.db.migrations.MIGRATIONS` to a database.

The same list and the same ``_migrations (name, applied_at)`` table as SQLite, so
both backends say which schema version they hold in the same words. An
advisory lock makes two processes opening one new database at once take turns
instead of both creating the tables.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..migrations import MIGRATIONS

if TYPE_CHECKING:
    import psycopg

MIGRATION_LOCK = 0x6261_6265_6C77  # "babelw": any fixed key shared by every babelwire process


def apply_migrations(conn: psycopg.Connection[Any]) -> list[str]:
    """Apply the migrations not yet recorded, each in its own transaction; return their names."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS _migrations"
                     " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied = []
    for migration in MIGRATIONS:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            done = conn.execute("SELECT 1 FROM _migrations WHERE name = %s",
                                (migration.name,)).fetchone()
            if done is not None:
                continue
            conn.execute(migration.postgres.encode())
            conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (%s, %s)",
                         (migration.name, datetime.now(UTC).isoformat()))
        applied.append(migration.name)
    return applied
