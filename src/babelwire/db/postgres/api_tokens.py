"""SQL for the web's API tokens on PostgreSQL (`db.api_tokens` on SQLite): digests only."""

from __future__ import annotations

from typing import Any

import psycopg


def digests(conn: psycopg.Connection[Any]) -> list[str]:
    """Every stored token digest (hex), oldest first."""
    return [row["digest"] for row in conn.execute("SELECT digest FROM api_tokens ORDER BY id")]


def replace(conn: psycopg.Connection[Any], digest: str, label: str, created_at: str) -> None:
    """Forget every token and keep this one: a lost token is replaced, never recovered."""
    conn.execute("DELETE FROM api_tokens")
    conn.execute("INSERT INTO api_tokens (digest, label, created_at) VALUES (%s, %s, %s)",
                 (digest, label, created_at))
