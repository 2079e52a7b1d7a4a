"""`SharedConnection`: a psycopg connection that runs the shared SQL dialect (`db.shared_sql`).

Why a translation and not a second copy of the SQL: entity resolution and
story clustering must write the same tables with the same outcome on both
backends, and one SQL text per query cannot drift. The translation is small
and mechanical: ``?`` parameters become ``%s`` (a literal ``%`` is doubled),
``COLLATE BINARY`` becomes ``COLLATE "C"`` (both sort by code point), and rows
read by name or position as ``sqlite3.Row`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg
    from psycopg.rows import RowMaker


class SharedRow:
    """One result row, read by column name or position, as ``sqlite3.Row``."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str) -> Any:
        return self._values[key if isinstance(key, int) else self._index[key]]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        """The column names, in order (``dict(row)`` reads them)."""
        return list(self._index)


def shared_row(cursor: psycopg.Cursor[Any]) -> RowMaker[SharedRow]:
    """psycopg row factory of `SharedRow`s for the cursor's columns."""
    names = [column.name for column in cursor.description or ()]
    index = {name: position for position, name in enumerate(names)}
    return lambda values: SharedRow(values, index)


def translate(sql: str) -> str:
    """The shared-dialect statement ``sql`` as psycopg runs it on PostgreSQL."""
    return (sql.replace("%", "%%").replace("?", "%s")
            .replace("COLLATE BINARY", 'COLLATE "C"'))


class SharedConnection:
    """``conn`` (inside the caller's transaction) running shared-dialect SQL."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Any = (), /) -> psycopg.Cursor[SharedRow]:
        """Run one statement; the cursor yields `SharedRow`s."""
        cursor = self.conn.cursor(row_factory=shared_row)
        return cursor.execute(translate(sql), tuple(parameters))

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> psycopg.Cursor[SharedRow]:
        """Run one statement once per parameter row."""
        cursor = self.conn.cursor(row_factory=shared_row)
        cursor.executemany(translate(sql), [tuple(row) for row in parameters])
        return cursor
