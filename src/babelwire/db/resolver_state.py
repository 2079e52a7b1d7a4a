"""SQL for the entity resolver's stored state: what resolving new mentions continues from.

Why stored: after-ingest resolution links only the new mentions, against the
state that a replay of every earlier mention would have left in memory
(`entities.stored_index`). The tables (migration ``011_entity_resolver_state``)
hold that state before user merges: entities with their first name and type
(``resolver_entities``, numbered so other rows stay small), variants in the
order first seen (``resolver_variants``), every key's entity ids in the order
they were added (``resolver_keys``), co-occurrence counts per unordered pair
(``resolver_context``, smaller number first), the entity each user split formed
(``resolver_splits``) and where merges moved entities (``resolver_merges``).
``store_info['entity_resolver']`` says up to which mention the state is complete
and under which decisions; without it the next resolution replays everything.

All of it is read and written on one connection inside one transaction (the
writer's), so a resolution sees one consistent state and a crash leaves the
mentions queued.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from ..entities.records import EntityType, Mention
from ..entities.stored_index import IndexChanges, StoredEntity
from .shared_sql import SqlConnection

META_KEY = "entity_resolver"
_TABLES = ("resolver_context", "resolver_keys", "resolver_variants", "resolver_entities",
           "resolver_splits", "resolver_merges")


@dataclass(frozen=True, slots=True)
class ResolverMeta:
    """What the stored state covers: mentions up to ``upto``, made under these conditions.

    ``version``: the resolver rules' version (`catalog.RESOLVER_STATE_VERSION`);
    ``decisions``: the newest user decision in force; ``last_article``: the article
    of mention ``upto`` (a replay groups consecutive mentions by article).
    """

    version: int
    decisions: int
    upto: int
    last_article: str


class StoredResolverState:
    """The resolver state in the store, on ``conn`` (inside the caller's transaction)."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn
        self._nums: dict[str, int | None] = {}
        self._pairs: dict[tuple[int, int], int] = {}

    # -- what the state covers --------------------------------------------------------

    def meta(self) -> ResolverMeta | None:
        """The stored state's coverage, or None if there is no usable state."""
        row = self.conn.execute("SELECT value FROM store_info WHERE key = ?",
                                (META_KEY,)).fetchone()
        if row is None:
            return None
        try:
            return ResolverMeta(**json.loads(row["value"]))
        except (ValueError, TypeError):
            return None  # written by another version: a replay rebuilds it

    def write_meta(self, meta: ResolverMeta) -> None:
        """Record what the state now covers (in the transaction that wrote it)."""
        self.conn.execute("INSERT INTO store_info (key, value) VALUES (?, ?) ON CONFLICT(key)"
                          " DO UPDATE SET value = excluded.value",
                          (META_KEY, json.dumps(asdict(meta))))

    def newest_decision(self) -> int:
        """The id of the newest user decision (0: none)."""
        row = self.conn.execute("SELECT max(id) AS id FROM entity_decisions").fetchone()
        return int(row["id"] or 0)

    def pending_mentions(self, upto: int, limit: int = -1) -> list[tuple[int, Mention]]:
        """(row id, mention) of the first ``limit`` mentions stored after ``upto`` (-1: all)."""
        rows = self.conn.execute('SELECT id, article_id, start, "end", text, type, lang'
                                 " FROM entity_mentions WHERE id > ? ORDER BY id"
                                 + _limit(limit), (upto,))
        return [(r["id"], Mention(text=r["text"], type=EntityType(r["type"]), lang=r["lang"],
                                  article_id=r["article_id"], span=(r["start"], r["end"])))
                for r in rows]

    def has_unresolved_upto(self, upto: int) -> bool:
        """Whether a mention at or below ``upto`` has no entity (the state does not cover it)."""
        row = self.conn.execute("SELECT 1 FROM entity_mentions WHERE entity_id IS NULL"
                                " AND id <= ? LIMIT 1", (upto,)).fetchone()
        return row is not None

    # -- reads for StoredEntityIndex (entities.stored_index.IndexSource) -------------

    def _num(self, entity_id: str) -> int | None:
        if entity_id not in self._nums:
            row = self.conn.execute("SELECT num FROM resolver_entities WHERE id = ?",
                                    (entity_id,)).fetchone()
            self._nums[entity_id] = None if row is None else row["num"]
        return self._nums[entity_id]

    def entity(self, entity_id: str) -> StoredEntity | None:
        """The stored entity ``entity_id`` with its variants in first-seen order, or None."""
        row = self.conn.execute("SELECT num, name, type FROM resolver_entities WHERE id = ?",
                                (entity_id,)).fetchone()
        if row is None:
            return None
        self._nums[entity_id] = row["num"]
        variants = self.conn.execute("SELECT name, lang, count FROM resolver_variants"
                                     " WHERE entity = ? ORDER BY seq", (row["num"],))
        return StoredEntity(name=row["name"], type=EntityType(row["type"]),
                            variants=[(v["name"], v["lang"], v["count"]) for v in variants])

    def has_entity(self, entity_id: str) -> bool:
        """Whether an entity with this id is stored (new ids must not collide with it)."""
        return self._num(entity_id) is not None

    def key_ids(self, key: str, limit: int = -1) -> list[str]:
        """The ids of the first ``limit`` entities under ``key`` (-1: all), in the order added."""
        rows = self.conn.execute(
            "SELECT e.num, e.id FROM resolver_keys k JOIN resolver_entities e ON e.num = k.entity"
            " WHERE k.key = ? ORDER BY k.seq" + _limit(limit), (key,)).fetchall()
        for row in rows:
            self._nums[row["id"]] = row["num"]
        return [row["id"] for row in rows]

    def context_count(self, entity_id: str, other_id: str) -> int:
        """In how many articles the two entities were counted together (0: none, or unknown)."""
        a, b = self._num(entity_id), self._num(other_id)
        if a is None or b is None:
            return 0
        pair = (a, b) if a < b else (b, a)
        if pair not in self._pairs:
            row = self.conn.execute("SELECT n FROM resolver_context WHERE a = ? AND b = ?",
                                    pair).fetchone()
            self._pairs[pair] = 0 if row is None else row["n"]
        return self._pairs[pair]

    def split_targets(self) -> dict[int, str]:
        """Split decision id → the entity its split-off mentions formed."""
        rows = self.conn.execute("SELECT decision, entity FROM resolver_splits")
        return {r["decision"]: r["entity"] for r in rows}

    def merges(self) -> dict[str, tuple[str, int]]:
        """Merged-away entity id → (the entity it is part of, the decision id), as last applied."""
        rows = self.conn.execute("SELECT gone, keep, decision FROM resolver_merges")
        return {r["gone"]: (r["keep"], r["decision"]) for r in rows}

    # -- writes -----------------------------------------------------------------------

    def clear(self) -> None:
        """Drop the whole state (a replay writes it anew)."""
        for table in _TABLES:
            self.conn.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are constants
        self.conn.execute("DELETE FROM store_info WHERE key = ?", (META_KEY,))
        self._nums.clear()
        self._pairs.clear()

    def write_changes(self, changes: IndexChanges) -> None:
        """Add new entities, then variant counts, key ids and co-occurrence, in their order."""
        row = self.conn.execute("SELECT coalesce(max(num), 0) AS top FROM resolver_entities")
        top = int(row.fetchone()["top"])
        rows = []
        for offset, entity in enumerate(changes.created, 1):
            self._nums[entity.id] = top + offset
            rows.append((top + offset, entity.id, entity.name, str(entity.type)))
        self.conn.executemany("INSERT INTO resolver_entities (num, id, name, type)"
                              " VALUES (?, ?, ?, ?)", rows)
        self.conn.executemany(
            "INSERT INTO resolver_variants (entity, name, lang, count) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(entity, name, lang) DO UPDATE SET count = excluded.count",
            ((self._known(entity_id), name, lang, count)
             for entity_id, name, lang, count in changes.variants))
        self.conn.executemany("INSERT INTO resolver_keys (key, entity) VALUES (?, ?)",
                              ((key, self._known(entity_id)) for key, entity_id in changes.keys))
        self.conn.executemany(
            "INSERT INTO resolver_context (a, b, n) VALUES (?, ?, ?)"
            " ON CONFLICT(a, b) DO UPDATE SET n = resolver_context.n + excluded.n",
            self._pair_rows(changes.context))
        self._pairs.clear()

    def _known(self, entity_id: str) -> int:
        num = self._num(entity_id)
        if num is None:
            raise ValueError(f"entity {entity_id!r} is neither stored nor created in this run;"
                             " the resolver state is inconsistent, `babelwire entity resolve`"
                             " rebuilds it")
        return num

    def _pair_rows(self, pairs: Iterable[tuple[str, str, int]]) -> Iterator[tuple[int, int, int]]:
        for one, other, count in pairs:
            a, b = self._known(one), self._known(other)
            yield (a, b, count) if a < b else (b, a, count)

    def write_splits(self, targets: dict[int, str]) -> None:
        """Replace the split targets (a handful: one per split decision that took effect)."""
        self.conn.execute("DELETE FROM resolver_splits")
        self.conn.executemany("INSERT INTO resolver_splits (decision, entity) VALUES (?, ?)",
                              sorted(targets.items()))

    def write_merges(self, moved: dict[str, tuple[str, int]]) -> None:
        """Replace the record of where merges moved entities."""
        self.conn.execute("DELETE FROM resolver_merges")
        self.conn.executemany("INSERT INTO resolver_merges (gone, keep, decision) VALUES (?, ?, ?)",
                              [(gone, keep, decision) for gone, (keep, decision) in moved.items()])



def _limit(limit: int) -> str:
    """The LIMIT clause of at most ``limit`` rows (-1: none; PostgreSQL has no ``LIMIT -1``)."""
    return "" if limit < 0 else f" LIMIT {int(limit)}"
