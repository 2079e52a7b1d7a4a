"""Writing a whole entity resolution into the PostgreSQL store (`db.entity_tables`' full replace).

Only `replace_resolution` is ported: it is what a full re-resolution writes
and what the entity page tests store. The entity catalogue
(`babelwire.entities.catalog`: incremental resolution with `db.resolver_state`,
merge and split decisions) still writes through SQLite's `Database.write`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ...entities.records import CanonicalEntity, Link

if TYPE_CHECKING:
    import psycopg

    from .database import PostgresDatabase


def replace_resolution(db: PostgresDatabase, entities: Iterable[CanonicalEntity],
                       links: list[Link], *, upto: int | None = None) -> None:
    """Replace all entities, variants and mention links with a new resolution (one transaction).

    ``upto`` as in `db.entity_tables.replace_resolution`: mention rows above it were
    stored meanwhile and stay, unresolved, for the next run.
    """
    entities = list(entities)
    link_rows = [(k.mention.article_id, k.mention.span[0], k.mention.span[1], k.mention.text,
                  str(k.mention.type), k.mention.lang, k.entity_id, str(k.role), str(k.rule),
                  k.evidence) for k in links]

    def run(conn: psycopg.Connection[Any]) -> None:
        conn.execute("DELETE FROM entities")
        conn.execute("DELETE FROM entity_variants")
        if upto is None:
            conn.execute("DELETE FROM entity_mentions")
        else:
            conn.execute("DELETE FROM entity_mentions WHERE id <= %s", (upto,))
        with conn.cursor() as cursor:
            cursor.executemany("INSERT INTO entities (id, name, type, mentions)"
                               " VALUES (%s, %s, %s, %s)",
                               [(e.id, e.name, str(e.type), e.mention_count) for e in entities])
            cursor.executemany("INSERT INTO entity_variants (entity_id, name, lang, count)"
                               " VALUES (%s, %s, %s, %s)",
                               [(e.id, v.name, v.lang, v.count) for e in entities
                                for v in e.variants.values()])
            cursor.executemany(
                'INSERT INTO entity_mentions (article_id, start, "end", text, type, lang,'
                " entity_id, role, rule, evidence)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", link_rows)

    db.write(run)
