"""The PostgreSQL backend of the `Store` protocol (issue 8).

Importing this package costs nothing: `schema` is plain SQL text (the SQLite
migration list names it), and `database` imports psycopg only when a
PostgreSQL store is opened.
"""

from __future__ import annotations

POSTGRES_URL_PREFIXES = ("postgresql://", "postgres://")


def is_postgres_url(location: str) -> bool:
    """True if ``--db`` names a PostgreSQL server rather than a SQLite file."""
    return location.startswith(POSTGRES_URL_PREFIXES)
