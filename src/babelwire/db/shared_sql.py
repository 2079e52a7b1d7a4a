"""The SQL dialect that both stores run: what entity resolution and story clustering write with.

Why: the entity and story tables (`entity_tables`, `resolver_state`,
`story_tables`) hold the resolver's and the clusterer's state, whose every read
and write must come out the same on SQLite and PostgreSQL (same entities, same
canonical ids, same stories). One SQL text per query, run by both backends, is
how they cannot drift apart. That SQL is SQLite's own (``?`` parameters, rows
read by name or position) restricted to what PostgreSQL also accepts:

- columns named like keywords are quoted (``"end"``);
- an upsert names the target table in its ``SET`` expression
  (``resolver_context.n + excluded.n``) and ``INSERT OR REPLACE`` is spelled
  ``ON CONFLICT … DO UPDATE``; new row ids come from ``RETURNING id``;
- no ``LIMIT -1`` (the clause is left out instead), no two-argument ``min``;
- text that decides an order is sorted ``COLLATE BINARY`` (code points;
  PostgreSQL's ``COLLATE "C"``), whatever the database's collation.

`SqlConnection` is the part of ``sqlite3.Connection`` that the shared modules
use; the PostgreSQL store hands them `postgres.shared_connection.SharedConnection`,
which translates the parameters and the collation and gives rows that read like
``sqlite3.Row``. A store that can run it has ``transaction(fn)`` (`TableStore`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class SqlCursor(Protocol):
    """The result of one statement: rows read by column name or position."""

    @property
    def rowcount(self) -> int:
        """Rows the statement changed."""
        ...

    def fetchone(self) -> Any:
        """The next row, or None."""
        ...

    def fetchall(self) -> list[Any]:
        """Every remaining row."""
        ...

    def __iter__(self) -> Iterator[Any]: ...


class SqlConnection(Protocol):
    """A connection inside one transaction that runs the shared dialect."""

    def execute(self, sql: str, parameters: Any = ..., /) -> SqlCursor:
        """Run one statement with ``?`` parameters."""
        ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> SqlCursor:
        """Run one statement once per parameter row."""
        ...


class TableStore(Protocol):
    """A store whose entity and story tables can be written in the shared dialect."""

    def transaction(self, fn: Callable[[SqlConnection], T]) -> T:
        """Run ``fn(conn)`` in one transaction and return its result."""
        ...
