"""An entity's top rows by a trigger-kept count, read only from the rows that can be in the top.

Why: an entity page ranks co-occurring entities and stories by counts that migration
014 keeps per entity (`entity_pairs.shared`, `entity_stories.articles`). The hottest
entity has a pair with most entities, and joining and ordering all of them cost
hundreds of milliseconds. The ``limit``-th largest count, read from the count table's
index, bounds the join: every row that can be in the top has at least that count, and
ties at the bound are all kept, so the answer equals the unbounded query's. If the
join drops rows (a row whose other side is not stored), the unbounded query runs.
Both backends use it; ``mark`` is the driver's parameter mark (``?`` or ``%s``).
"""

from __future__ import annotations

from typing import Any


def top_by_count(conn: Any, sql: str, *, count_table: str, count_column: str, bounded: str,
                 entity_id: str, limit: int, mark: str = "?") -> list[Any]:
    """The rows of ``sql`` for ``entity_id``, at most ``limit``.

    ``sql`` has a ``{bound}`` slot after its WHERE condition on the entity and takes the
    parameters (entity id, [bound,] limit); ``bounded`` is the column the slot compares
    with the bound (e.g. ``p.shared``). ``count_table`` must be keyed by ``entity_id``
    with an index on (entity_id, ``count_column``).
    """
    bound = conn.execute(f"SELECT {count_column} FROM {count_table} WHERE entity_id = {mark}"
                         f" ORDER BY {count_column} DESC LIMIT 1 OFFSET {mark}",
                         (entity_id, limit - 1)).fetchone()
    rows: list[Any] = []
    if bound is not None:
        rows = conn.execute(sql.format(bound=f" AND {bounded} >= {mark}"),
                            (entity_id, bound[count_column], limit)).fetchall()
    if len(rows) < limit:
        rows = conn.execute(sql.format(bound=""), (entity_id, limit)).fetchall()
    return rows
