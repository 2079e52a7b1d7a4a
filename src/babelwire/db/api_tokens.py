"""SQL for the web's API tokens: only their SHA-256 digests are stored."""

from __future__ import annotations

import sqlite3


def digests(conn: sqlite3.Connection) -> list[str]:
    """Every stored token digest (hex), oldest first."""
    return [row[0] for row in conn.execute("SELECT digest FROM api_tokens ORDER BY id")]


def replace(conn: sqlite3.Connection, digest: str, label: str, created_at: str) -> None:
    """Forget every token and keep this one: a lost token is replaced, never recovered."""
    conn.execute("DELETE FROM api_tokens")
    conn.execute("INSERT INTO api_tokens (digest, label, created_at) VALUES (?, ?, ?)",
                 (digest, label, created_at))
