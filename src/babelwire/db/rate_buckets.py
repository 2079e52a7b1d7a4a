"""Rate-limit buckets in a scratch SQLite file that every ``serve`` worker process opens.

Why a file of its own and not a table in the store: the buckets live only as
long as one ``serve`` run (the parent makes the file in a temporary folder and
removes it at exit), are written on every search, and are no part of the news
data; keeping them out of the store means no migration, no store writes from
page reads, and nothing left behind. Why SQLite: ``BEGIN IMMEDIATE`` gives the
cross-process lock a token bucket needs (read, refill, spend, write back as one
step) with nothing more to install, and a bucket is a single-row read and write.

The state is disposable, so durability is off (``synchronous=OFF``, journal in
memory): a crash loses at most some spent tokens, which only lets a client
search again sooner.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import StorageError

BUSY_TIMEOUT_MS = 5_000
"""A bucket update takes microseconds; waiting longer than this means a stuck worker."""
SCHEMA = ("CREATE TABLE IF NOT EXISTS buckets (client TEXT PRIMARY KEY, tokens REAL NOT NULL,"
          " at REAL NOT NULL)", "CREATE INDEX IF NOT EXISTS buckets_at ON buckets (at)")


@dataclass(slots=True)
class StoredBucket:
    """One client's bucket while it is locked: ``tokens``/``at`` are None if it has none.

    Set ``tokens`` and ``at`` to store it; set ``forget_before`` to delete every
    bucket last touched before that time (buckets full again, same as none).
    """

    tokens: float | None
    at: float | None
    forget_before: float | None = None


class RateBucketFile:
    """The buckets of one server run; each process (and thread) gets its own connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def create(self) -> None:
        """Make the file's table (the parent does this once, before forking)."""
        conn = self._open()
        conn.close()

    @contextmanager
    def bucket(self, client: str) -> Iterator[StoredBucket]:
        """``client``'s bucket, locked against every other process until the block ends."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT tokens, at FROM buckets WHERE client = ?",
                               (client,)).fetchone()
            stored = StoredBucket(*row) if row else StoredBucket(None, None)
            yield stored
            if stored.tokens is not None and stored.at is not None:
                conn.execute("INSERT INTO buckets (client, tokens, at) VALUES (?, ?, ?)"
                             " ON CONFLICT (client) DO UPDATE SET tokens = excluded.tokens,"
                             " at = excluded.at", (client, stored.tokens, stored.at))
            if stored.forget_before is not None:
                conn.execute("DELETE FROM buckets WHERE at < ?", (stored.forget_before,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def count(self) -> int:
        """Buckets stored (clients seen recently enough to be limited)."""
        return int(self._connection().execute("SELECT count(*) FROM buckets").fetchone()[0])

    def _connection(self) -> sqlite3.Connection:
        """This process's and thread's connection: never one opened before a fork."""
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = self._open()
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                   timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as e:
            raise StorageError(f"cannot open the rate-limit file {self.path}: {e}; is its folder"
                          " writable?") from e
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA journal_mode = MEMORY")
        for statement in SCHEMA:
            conn.execute(statement)
        return conn
