"""SQL for canonical entities: stored mentions, resolved entities and user decisions.

Why a module of functions over the store's ``transaction``: the entity tables
(migration ``004_entities``) are owned by `babelwire.entities.catalog`, and keeping
their SQL here keeps all SQL in ``db/`` without growing the stores. It is the SQL
both stores run (`db.shared_sql`), so resolution gives the same entities and ids on
SQLite and PostgreSQL. Reads also go through ``transaction`` (SQLite's writer) so
that a read right after a re-resolution sees it (the writer thread owns the only
connection that has it committed first), and so one consistent snapshot is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ..entities.decisions import Decision, DecisionKind
from ..entities.records import CanonicalEntity, EntityType, Link, Mention
from .shared_sql import SqlConnection, TableStore


def read_mentions(db: TableStore) -> list[Mention]:
    """Every stored mention, in the order it was added (the order resolution replays)."""
    return read_mentions_upto(db)[0]


def read_mentions_upto(db: TableStore) -> tuple[list[Mention], int]:
    """Every stored mention in replay order, and the highest row id read (0: none).

    The id bounds what `replace_resolution` replaces: mentions that another
    process stores while this one resolves stay queued for the next resolution.
    """
    ids, mentions = db.transaction(read_mention_rows)
    return mentions, ids[-1] if ids else 0


def read_mention_rows(conn: SqlConnection) -> tuple[list[int], list[Mention]]:
    """Every stored mention's row id and mention, in replay order (row id order)."""
    rows = conn.execute('SELECT id, article_id, start, "end", text, type, lang'
                        " FROM entity_mentions ORDER BY id").fetchall()
    mentions = [Mention(text=r["text"], type=EntityType(r["type"]), lang=r["lang"],
                        article_id=r["article_id"], span=(r["start"], r["end"])) for r in rows]
    return [r["id"] for r in rows], mentions


def has_unresolved_mentions(db: TableStore) -> bool:
    """Whether a stored mention has no entity yet (new since the last resolution)."""
    def run(conn: SqlConnection) -> bool:
        sql = "SELECT 1 FROM entity_mentions WHERE entity_id IS NULL LIMIT 1"
        return conn.execute(sql).fetchone() is not None

    return db.transaction(run)


def add_mentions(db: TableStore, mentions: Iterable[Mention]) -> int:
    """Store new, not yet resolved mentions; return how many were new.

    A mention with a span that is already stored (same article, span and text) is
    skipped, so ``entity resolve --from-articles`` can run again after more
    ingests without counting old mentions twice. Mentions without a span
    (0, 0) cannot be told apart and are always added.
    """
    values = [(m.article_id, m.span[0], m.span[1], m.text, str(m.type), m.lang) for m in mentions]

    def run(conn: SqlConnection) -> int:
        added = 0
        for value in values:
            article_id, start, end, text = value[:4]
            if (start, end) != (0, 0) and conn.execute(
                    'SELECT 1 FROM entity_mentions WHERE article_id = ? AND start = ? AND "end" = ?'
                    " AND text = ?", (article_id, start, end, text)).fetchone():
                continue
            conn.execute('INSERT INTO entity_mentions (article_id, start, "end", text, type, lang)'
                         " VALUES (?, ?, ?, ?, ?, ?)", value)
            added += 1
        return added

    return db.transaction(run)


def replace_resolution(db: TableStore, entities: Iterable[CanonicalEntity],
                       links: list[Link], *, upto: int | None = None) -> None:
    """Replace all entities, variants and mention links with a new resolution (one transaction).

    ``upto``: the highest mention row id the resolution read (`read_mentions_upto`);
    rows above it were stored meanwhile and stay, unresolved, for the next run.
    The links become new mention rows; `write_replay` instead links the stored rows.
    """
    entities = list(entities)
    link_rows = [(k.mention.article_id, k.mention.span[0], k.mention.span[1], k.mention.text,
                  str(k.mention.type), k.mention.lang, k.entity_id, str(k.role), str(k.rule),
                  k.evidence) for k in links]

    def run(conn: SqlConnection) -> None:
        _replace_entities(conn, entities)
        if upto is None:
            conn.execute("DELETE FROM entity_mentions")
        else:
            conn.execute("DELETE FROM entity_mentions WHERE id <= ?", (upto,))
        conn.executemany(
            'INSERT INTO entity_mentions (article_id, start, "end", text, type, lang, entity_id,'
            " role, rule, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", link_rows)

    db.transaction(run)


def write_replay(conn: SqlConnection, entities: list[CanonicalEntity],
                 links: list[tuple[int, Link]], *, upto: int) -> None:
    """Replace all entities and variants, and link each stored mention row (id, link) in place.

    In place so that row ids, which are the replay order, never change. Rows above
    ``upto`` were stored while the replay ran: they are queued again (no entity),
    even if another process linked them meanwhile, because the replay's state does
    not include them.
    """
    _replace_entities(conn, entities)
    link_mentions(conn, links)
    conn.execute("UPDATE entity_mentions SET entity_id = NULL, role = NULL, rule = NULL,"
                 " evidence = NULL WHERE id > ?", (upto,))


def _replace_entities(conn: SqlConnection, entities: list[CanonicalEntity]) -> None:
    for table in ("entities", "entity_variants"):
        conn.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are constants
    conn.executemany("INSERT INTO entities (id, name, type, mentions) VALUES (?, ?, ?, ?)",
                     [(e.id, e.name, str(e.type), e.mention_count) for e in entities])
    conn.executemany("INSERT INTO entity_variants (entity_id, name, lang, count)"
                     " VALUES (?, ?, ?, ?)",
                     [(e.id, v.name, v.lang, v.count) for e in entities
                      for v in e.variants.values()])


def link_mentions(conn: SqlConnection, links: Iterable[tuple[int, Link]]) -> None:
    """Give the stored mention rows (by row id) their entity, role, rule and evidence."""
    conn.executemany("UPDATE entity_mentions SET entity_id = ?, role = ?, rule = ?, evidence = ?"
                     " WHERE id = ?",
                     ((k.entity_id, str(k.role), str(k.rule), k.evidence, row_id)
                      for row_id, k in links))


def upsert_entities(conn: SqlConnection, entities: Iterable[tuple[CanonicalEntity, str]],
                    variants: Iterable[tuple[str, str, str, int]]) -> set[str]:
    """Write (entity, shown name) rows and (entity id, name, lang, count) variant rows.

    Returns the ids of entities that were stored under another name: the articles
    that mention them carry the old name until `write_links_to_articles` runs on them.
    """
    renamed = set()
    for entity, name in entities:
        row = conn.execute("SELECT name FROM entities WHERE id = ?", (entity.id,)).fetchone()
        if row is not None and row["name"] != name:
            renamed.add(entity.id)
        conn.execute("INSERT INTO entities (id, name, type, mentions) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                     " mentions = excluded.mentions",
                     (entity.id, name, str(entity.type), entity.mention_count))
    conn.executemany("INSERT INTO entity_variants (entity_id, name, lang, count)"
                     " VALUES (?, ?, ?, ?) ON CONFLICT(entity_id, name, lang)"
                     " DO UPDATE SET count = excluded.count", variants)
    return renamed


def articles_of(conn: SqlConnection, entity_ids: Iterable[str]) -> set[str]:
    """The ids of the articles with a mention of any of these entities."""
    out: set[str] = set()
    for entity_id in entity_ids:
        rows = conn.execute("SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id = ?",
                            (entity_id,))
        out.update(r["article_id"] for r in rows)
    return out


def read_entity(db: TableStore, entity_id: str) -> dict[str, Any] | None:
    """One entity with its variants and mention links (rule and evidence), or None."""
    def run(conn: SqlConnection) -> dict[str, Any] | None:
        row = conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            return None
        variants = conn.execute("SELECT name, lang, count FROM entity_variants WHERE entity_id = ?"
                                " ORDER BY count DESC, name COLLATE BINARY",
                                (entity_id,)).fetchall()
        links = conn.execute('SELECT article_id, start, "end", text, lang, role, rule, evidence'
                             " FROM entity_mentions WHERE entity_id = ? ORDER BY id",
                             (entity_id,)).fetchall()
        return {"id": row["id"], "name": row["name"], "type": row["type"],
                "mentions": row["mentions"], "variants": [dict(v) for v in variants],
                "links": [dict(k) for k in links]}

    return db.transaction(run)


def list_entities(db: TableStore, *, limit: int = 50, query: str | None = None
                  ) -> list[dict[str, Any]]:
    """Entities, most mentioned first; ``query`` filters on a variant's spelling (substring)."""
    def run(conn: SqlConnection) -> list[dict[str, Any]]:
        if query:
            sql = ("SELECT * FROM entities WHERE id IN (SELECT entity_id FROM entity_variants"
                   " WHERE lower(name) LIKE lower(?)) ORDER BY mentions DESC, id COLLATE BINARY"
                   " LIMIT ?")
            rows = conn.execute(sql, (f"%{query}%", limit))
        else:
            rows = conn.execute("SELECT * FROM entities ORDER BY mentions DESC,"
                                " id COLLATE BINARY LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    return db.transaction(run)


def read_decisions(db: TableStore) -> list[Decision]:
    """Every user decision, oldest first (later decisions apply on top of earlier ones)."""
    return db.transaction(decisions_in)


def decisions_in(conn: SqlConnection) -> list[Decision]:
    """`read_decisions` on a connection (inside a caller's transaction)."""
    rows = conn.execute("SELECT * FROM entity_decisions ORDER BY id")
    return [Decision(kind=DecisionKind(r["kind"]), anchor=r["anchor"],
                     anchor_lang=r["anchor_lang"], other=r["other"],
                     other_lang=r["other_lang"], entity_id=r["entity_id"],
                     other_id=r["other_id"], id=r["id"]) for r in rows]


def add_decision(db: TableStore, decision: Decision) -> int:
    """Store a user decision; return its id."""
    def run(conn: SqlConnection) -> int:
        cursor = conn.execute(
            "INSERT INTO entity_decisions (kind, anchor, anchor_lang, other, other_lang,"
            " entity_id, other_id, made_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (str(decision.kind), decision.anchor, decision.anchor_lang, decision.other,
             decision.other_lang, decision.entity_id, decision.other_id,
             datetime.now(UTC).isoformat()))
        return int(cursor.fetchone()[0])

    return db.transaction(run)


def write_links_to_articles(db: TableStore) -> int:
    """Put each resolved mention's canonical id and name on its stored article; return articles.

    The export reads entities from the articles, so after every resolution the
    NER stage's unlinked mentions (empty id) get the entity they resolved to,
    matched by character span. Returns how many articles changed.
    """
    return db.transaction(links_to_articles)


def links_to_articles(conn: SqlConnection, article_ids: Iterable[str] | None = None) -> int:
    """`write_links_to_articles` on a connection, for ``article_ids`` only if given."""
    sql = ('SELECT m.article_id, m.start, m."end", m.entity_id, e.name FROM entity_mentions m'
           " JOIN entities e ON e.id = m.entity_id")
    if article_ids is None:
        rows: Iterable[Any] = conn.execute(sql).fetchall()
    else:
        rows = [row for article_id in sorted(set(article_ids))
                for row in conn.execute(sql + " WHERE m.article_id = ?", (article_id,))]
    by_article: dict[str, dict[tuple[int, int], tuple[str, str]]] = {}
    for row in rows:
        by_article.setdefault(row["article_id"], {})[(row["start"], row["end"])] = (
            row["entity_id"], row["name"])
    return sum(_link_article(conn, article_id, spans) for article_id, spans in by_article.items())


def _link_article(conn: SqlConnection, article_id: str,
                  spans: dict[tuple[int, int], tuple[str, str]]) -> int:
    """Rewrite one article's entities JSON where a span's entity changed; 1 if it did."""
    stored = conn.execute("SELECT entities FROM articles WHERE id = ?", (article_id,)).fetchone()
    if stored is None:
        return 0
    items = json.loads(stored["entities"])
    touched = False
    for item in items:
        span = tuple(item["spans"][0]) if item.get("spans") else None
        if span in spans and (item["id"], item["name"]) != spans[span]:
            item["id"], item["name"] = spans[span]
            touched = True
    if touched:
        conn.execute("UPDATE articles SET entities = ? WHERE id = ?",
                     (json.dumps(items, ensure_ascii=False), article_id))
    return int(touched)


def resolution_snapshot(db: TableStore) -> dict[str, list[tuple[Any, ...]]]:
    """Everything resolution writes (shown entities, links, resolver state), to compare stores.

    Ids stand in for the state's entity numbers, which two stores may assign apart.
    """
    queries = {
        "entities": "SELECT id, name, type, mentions FROM entities ORDER BY id COLLATE BINARY",
        "variants": "SELECT entity_id, name, lang, count FROM entity_variants"
                    " ORDER BY entity_id COLLATE BINARY, name COLLATE BINARY,"
                    " lang COLLATE BINARY",
        "links": 'SELECT id, article_id, start, "end", text,'
                 " entity_id, role, rule, evidence"
                 " FROM entity_mentions ORDER BY id",
        "articles": "SELECT id, entities FROM articles ORDER BY id COLLATE BINARY",
        "state_entities": "SELECT id, name, type FROM resolver_entities"
                          " ORDER BY id COLLATE BINARY",
        "state_variants": "SELECT e.id, v.name, v.lang, v.count FROM resolver_variants v"
                          " JOIN resolver_entities e ON e.num = v.entity"
                          " ORDER BY e.id COLLATE BINARY, v.seq",
        "state_keys": "SELECT k.key, e.id FROM resolver_keys k JOIN resolver_entities e"
                      " ON e.num = k.entity ORDER BY k.key COLLATE BINARY, k.seq",
        "state_context": "SELECT x.id, y.id, c.n FROM resolver_context c"
                         " JOIN resolver_entities x ON x.num = c.a"
                         " JOIN resolver_entities y ON y.num = c.b",
        "state_splits": "SELECT decision, entity FROM resolver_splits ORDER BY decision",
        "state_merges": "SELECT gone, keep, decision FROM resolver_merges"
                        " ORDER BY gone COLLATE BINARY",
    }

    def run(conn: SqlConnection) -> dict[str, list[tuple[Any, ...]]]:
        found = {name: [tuple(row) for row in conn.execute(sql)]
                 for name, sql in queries.items()}
        found["state_context"] = sorted((min(a, b), max(a, b), n)
                                        for a, b, n in found["state_context"])
        return found

    return db.transaction(run)
