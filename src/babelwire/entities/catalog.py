"""The entity catalogue of a store: resolve its mentions, explain, merge and split entities.

Two ways to resolve, with one outcome:

- `EntityCatalog.resolve` replays every stored mention, in row order, through a
  fresh `EntityResolver` under the user's decisions. It is the repair command
  (``babelwire entity resolve``) and what a merge or split runs (rare user
  actions, and a split changes how earlier mentions resolve).
- `EntityCatalog.resolve_pending` (after every ingest) links only the mentions
  queued since the last resolution, continuing from the resolver state that the
  replay of all earlier mentions left, which the store keeps
  (`db.resolver_state`, read lazily through `stored_index.StoredEntityIndex`).
  Its cost is what the new mentions touch, not the store's size.

Why they agree: a replay links each mention from the mentions before it alone
(its article's other mentions included, which is why a step never splits an
article), and applies the user's decisions in two places that an incremental
step repeats. Splits act during resolution: the entity each split formed is
stored and restored. Merges act after resolution, on whichever entities hold
the merged names: each step applies them again (to an index view that is
never stored) and, if any merge now moves a different entity than the last
resolution recorded, falls back to a replay. Canonical names (`display_name`)
are recomputed for every entity a step touched. A step also replays when the
stored state cannot be continued: none yet (a store resolved before migration
011), other resolver rules (`RESOLVER_STATE_VERSION`), a decision added since,
or queued mentions that continue the last resolved article. A place table that
changed under a package upgrade is not detected: ``babelwire entity resolve``.
"""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..db import entity_tables as tables
from ..db.resolver_state import ResolverMeta, StoredResolverState
from ..db.shared_sql import SqlConnection, TableStore
from ..errors import BabelwireError, EntityError
from ..record import Article
from .decisions import Decision, DecisionKind, Decisions
from .entity_index import EntityIndex
from .places import Gazetteer
from .records import EntityType, Link, Mention, mentions_of
from .resolver import EntityResolver, Moved, display_name, merge_entities, relink
from .stored_index import StoredEntityIndex, full_state

if TYPE_CHECKING:
    from ..ingest import IngestReport

logger = logging.getLogger(__name__)

RESOLVER_STATE_VERSION = 12
"""Bump when a resolver rule changes what a link would be: stored states of another
version are rebuilt by one replay on the next resolution."""

MAX_MENTIONS_PER_STEP = 2_000
"""An incremental step links at most this many mentions (whole articles) per transaction,
so a large ingest does not hold the store's writer for long."""


@dataclass(frozen=True, slots=True)
class ResolutionReport:
    """What one resolution did: mentions it linked, the entities they link to, links per rule.

    ``mode``: ``replay`` (every stored mention) or ``incremental`` (the queued ones).
    """

    mentions: int
    entities: int
    rules: dict[str, int] = field(default_factory=dict)
    mode: str = "replay"


class _ReplayNeeded(Exception):
    """The stored resolver state cannot be continued; the message says why."""


def mentions_from_articles(articles: Iterable[Article]) -> list[Mention]:
    """The mentions that the NER stage stored on articles (`Article.entities`)."""
    return [mention for article in articles for mention in mentions_of(article)]


def read_mentions_jsonl(path: str) -> list[Mention]:
    """Mentions from JSONL (``-`` is stdin): article_id, text, type, lang, start, end."""
    handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    out = []
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                out.append(Mention(text=item["text"], type=EntityType(item.get("type", "MISC")),
                                   lang=item.get("lang", "und"), article_id=str(item["article_id"]),
                                   span=(int(item.get("start", 0)), int(item.get("end", 0)))))
            except (ValueError, KeyError, TypeError) as error:
                raise EntityError(
                    f"{path}:{number}: not a mention ({error!r}); each line needs article_id"
                    " and text, and type one of PER ORG LOC MISC") from error
    return out


class EntityCatalog:
    """Canonical entities kept in ``db``; the place table is cached in ``cache_dir``."""

    def __init__(self, db: TableStore, *, cache_dir: Path | None = None,
                 gazetteer: Gazetteer | None = None) -> None:
        self.db = db
        self.gazetteer = gazetteer or Gazetteer(cache_dir)

    def resolve(self, new_mentions: Iterable[Mention] = ()) -> ResolutionReport:
        """Store ``new_mentions``, then replay every stored mention under the decisions.

        Also writes the resolver state that `resolve_pending` continues from.
        """
        tables.add_mentions(self.db, new_mentions)
        ids, mentions = self.db.transaction(tables.read_mention_rows)
        decisions = Decisions(tables.read_decisions(self.db))
        resolver = EntityResolver(self.gazetteer, decisions=decisions)
        raw = resolver.resolve_groups(mentions)
        meta = ResolverMeta(version=RESOLVER_STATE_VERSION,
                            decisions=max((d.id for d in decisions.all), default=0),
                            upto=ids[-1] if ids else 0,
                            last_article=mentions[-1].article_id if mentions else "")

        def write(conn: SqlConnection) -> list[Link]:
            state = StoredResolverState(conn)
            state.clear()
            state.write_changes(full_state(resolver.index))  # before merges change the index
            state.write_splits(resolver.split_targets)
            moved = merge_entities(resolver.index, decisions)
            state.write_merges(_decision_ids(moved))
            links = relink(raw, moved)
            resolver.refresh_names()
            tables.write_replay(conn, list(resolver.index), list(zip(ids, links, strict=True)),
                                upto=meta.upto)
            state.write_meta(meta)
            tables.links_to_articles(conn)
            return links

        links = self.db.transaction(write)
        return _report(links, entities=len(resolver.index), mode="replay")

    def resolve_pending(self) -> ResolutionReport:
        """Link the mentions queued since the last resolution, continuing its stored state.

        Replays everything instead when the state cannot be continued (see the
        module docstring); either way the outcome is the replay's.
        """
        self.gazetteer.table  # noqa: B018 - load the place table before holding the writer
        reports = []
        try:
            while (report := self.db.transaction(self._step)) is not None:
                reports.append(report)
        except _ReplayNeeded as why:
            logger.info("entity resolution replays every stored mention: %s", why)
            return self.resolve()
        return _combined(reports)

    def _step(self, conn: SqlConnection) -> ResolutionReport | None:
        """One incremental step, one transaction: whole articles, about MAX_MENTIONS_PER_STEP."""
        state = StoredResolverState(conn)
        meta = _continuable(state)
        pending = _whole_articles(state, meta.upto, MAX_MENTIONS_PER_STEP)
        if not pending:
            return None
        if pending[0][1].article_id == meta.last_article:
            raise _ReplayNeeded(f"queued mentions continue article {meta.last_article!r},"
                                " which a replay resolves as one")
        decisions = Decisions(tables.decisions_in(conn))
        index = StoredEntityIndex(state)
        resolver = EntityResolver(self.gazetteer, index, decisions)
        resolver.restore_splits(state.split_targets())
        raw = resolver.resolve_groups([mention for _, mention in pending])
        changes = index.changes()
        variants = list(changes.variants)  # a list already; read twice below
        state.write_changes(changes)
        state.write_splits(resolver.split_targets)
        shown, moved = _merged_view(state, decisions, index)
        links = relink(raw, moved)
        tables.link_mentions(conn, zip([row_id for row_id, _ in pending], links, strict=True))
        touched = {entity_id for entity_id, _, _, _ in variants}
        renamed = _show_entities(conn, shown, moved, touched, variants)
        articles = {mention.article_id for _, mention in pending}
        articles |= tables.articles_of(conn, renamed)
        tables.links_to_articles(conn, articles)
        state.write_meta(ResolverMeta(version=meta.version, decisions=meta.decisions,
                                      upto=pending[-1][0],
                                      last_article=pending[-1][1].article_id))
        return _report(links, entities=len({link.entity_id for link in links}),
                       mode="incremental")

    def explain(self, entity_id: str) -> dict[str, Any]:
        """The entity, its variants, and every link with the rule and evidence that made it."""
        found = tables.read_entity(self.db, entity_id)
        if found is None:
            raise EntityError(f"no entity with id {entity_id!r};"
                              " `babelwire entity list --query NAME` finds ids")
        by_rule: dict[str, int] = {}
        for link in found["links"]:
            by_rule[link["rule"]] = by_rule.get(link["rule"], 0) + 1
        decisions = [d.describe() for d in tables.read_decisions(self.db)
                     if entity_id in (d.entity_id, d.other_id)]
        return {**found, "rules": by_rule, "decisions": decisions}

    def merge(self, keep_id: str, other_id: str) -> ResolutionReport:
        """Record that two entities are one (the decision names their canonical variants)."""
        keep, other = self._anchor(keep_id), self._anchor(other_id)
        if keep_id == other_id:
            raise EntityError(f"cannot merge entity {keep_id!r} with itself; give two ids")
        tables.add_decision(self.db, Decision(
            kind=DecisionKind.MERGE, anchor=keep[0], anchor_lang=keep[1], other=other[0],
            other_lang=other[1], entity_id=keep_id, other_id=other_id))
        return self.resolve()

    def split(self, entity_id: str, variant: str) -> ResolutionReport:
        """Record that mentions spelled ``variant`` are not ``entity_id`` and re-resolve."""
        anchor = self._anchor(entity_id)
        found = tables.read_entity(self.db, entity_id) or {}
        langs = [v["lang"] for v in found.get("variants", []) if v["name"] == variant]
        if not langs:
            names = ", ".join(repr(v["name"]) for v in found.get("variants", [])[:10])
            raise EntityError(f"entity {entity_id!r} has no variant {variant!r}; its variants: "
                              f"{names}")
        if variant == anchor[0]:
            raise EntityError(f"{variant!r} is the canonical name of {entity_id!r}; split off"
                              " another variant, or merge elsewhere instead")
        tables.add_decision(self.db, Decision(
            kind=DecisionKind.SPLIT, anchor=anchor[0], anchor_lang=anchor[1], other=variant,
            other_lang=langs[0], entity_id=entity_id))
        return self.resolve()

    def _anchor(self, entity_id: str) -> tuple[str, str]:
        """(name, lang) of the entity's canonical variant, which a decision records."""
        found = tables.read_entity(self.db, entity_id)
        if found is None or not found["variants"]:
            raise EntityError(f"no entity with id {entity_id!r};"
                              " `babelwire entity list --query NAME` finds ids")
        names = [(v["name"], v["lang"]) for v in found["variants"]]
        for name, lang in names:
            if name == found["name"]:
                return name, lang
        return names[0]

    def list(self, *, limit: int = 50, query: str | None = None) -> list[dict[str, Any]]:
        """Entities, most mentioned first, optionally those with a variant containing ``query``."""
        return tables.list_entities(self.db, limit=limit, query=query)



def _continuable(state: StoredResolverState) -> ResolverMeta:
    """The stored state's coverage if resolving can continue from it; else `_ReplayNeeded`."""
    meta = state.meta()
    if meta is None:
        raise _ReplayNeeded("no stored resolver state yet (a first resolution, or a store"
                            " resolved before migration 011)")
    if meta.version != RESOLVER_STATE_VERSION:
        raise _ReplayNeeded(f"the stored state was made by resolver rules version"
                            f" {meta.version}, these are version {RESOLVER_STATE_VERSION}")
    if state.newest_decision() != meta.decisions:
        raise _ReplayNeeded("a user decision was added after the stored state was made")
    if state.has_unresolved_upto(meta.upto):
        raise _ReplayNeeded("a mention the stored state should cover has no entity")
    return meta


def _whole_articles(state: StoredResolverState, upto: int,
                    limit: int) -> list[tuple[int, Mention]]:
    """The first queued mentions after ``upto``, whole articles only, at most ``limit``.

    A step never ends inside an article's run of mentions: a replay resolves the run
    as one article. A run longer than ``limit`` is taken whole, on its own.
    """
    pending = state.pending_mentions(upto, limit + 1)
    if len(pending) <= limit:
        return pending  # all that is queued
    end = limit
    while end > 0 and pending[end][1].article_id == pending[end - 1][1].article_id:
        end -= 1
    if end > 0:
        return pending[:end]
    first = pending[0][1].article_id
    run = []
    for row in state.pending_mentions(upto):
        if row[1].article_id != first:
            break
        run.append(row)
    return run


def _decision_ids(moved: Moved) -> dict[str, tuple[str, int]]:
    return {gone: (keep, decision.id) for gone, (keep, decision) in moved.items()}


def _merged_view(state: StoredResolverState, decisions: Decisions,
                 index: StoredEntityIndex) -> tuple[EntityIndex, Moved]:
    """The index the merges show, and where they moved entities; `_ReplayNeeded` if elsewhere.

    Merges apply to an index view that is never stored (the stored state stays as
    before merges); without merge decisions the resolver's index is that view.
    """
    if not decisions.merges:
        return index, {}
    shown = StoredEntityIndex(state, with_context=False)
    moved = merge_entities(shown, decisions)
    if _decision_ids(moved) != state.merges():
        raise _ReplayNeeded("the new mentions changed which entities a user merge joins")
    return shown, moved


def _show_entities(conn: SqlConnection, shown: EntityIndex, moved: Moved,
                   touched: set[str], variants: list[tuple[str, str, str, int]]) -> set[str]:
    """Write the shown rows of the entities a step touched; return those that were renamed."""
    def target(entity_id: str) -> str:
        return moved[entity_id][0] if entity_id in moved else entity_id

    entities = {}
    for entity_id in sorted({target(e) for e in touched}):
        entity = shown.get(entity_id)
        if entity is None:
            raise EntityError(f"entity {entity_id!r} was linked but is not in the resolver"
                              " state; `babelwire entity resolve` rebuilds it")
        entities[entity_id] = entity
    rows = {}
    for entity_id, name, lang, _ in variants:
        shown_id = target(entity_id)
        rows[(shown_id, name, lang)] = entities[shown_id].variants[(name, lang)].count
    return tables.upsert_entities(
        conn, [(entity, display_name(entity)) for entity in entities.values()],
        [(entity_id, name, lang, count) for (entity_id, name, lang), count in rows.items()])


def _report(links: list[Link], *, entities: int, mode: str) -> ResolutionReport:
    rules = Counter(str(link.rule) for link in links)
    return ResolutionReport(mentions=len(links), entities=entities,
                            rules=dict(sorted(rules.items())), mode=mode)


def _combined(reports: list[ResolutionReport]) -> ResolutionReport:
    """Incremental steps as one report (entities: the sum of each step's)."""
    rules: Counter[str] = Counter()
    for report in reports:
        rules.update(report.rules)
    return ResolutionReport(mentions=sum(r.mentions for r in reports),
                            entities=sum(r.entities for r in reports),
                            rules=dict(sorted(rules.items())), mode="incremental")


@dataclass(slots=True)
class ReplayAfterProcess:
    """After `babelwire process` rewrote stored articles' NER mentions: replay them all.

    Why not `EntityCatalog.resolve_pending`: the incremental state holds what the
    replaced mentions contributed (variants, contexts, co-occurrences), which cannot be
    taken back one by one; a replay gives the state one ingest of the new mentions gives.
    """

    catalog: EntityCatalog
    name: str = "entities.resolve"
    last: ResolutionReport | None = None

    def __call__(self, report: IngestReport) -> None:
        try:
            self.last = self.catalog.resolve()
        except (BabelwireError, OSError) as error:
            raise EntityError(f"entity resolution after process failed: {error}; the new"
                              " mentions are stored, `babelwire entity resolve` retries") from error


@dataclass(slots=True)
class ResolveAfterIngest:
    """The after-ingest step that gives every stored mention its canonical entity.

    Why after ingest and not a pipeline stage (an ``entities.resolve.v1``): a
    stage sees one article before the store has decided whether it is new or a
    duplicate, and stages do no I/O; resolution needs the store and the resolver
    state it keeps. The store queues each new article's mentions in the article's
    own transaction; this step links them (`EntityCatalog.resolve_pending`: only
    the queued mentions, with the replay's outcome), and a run that stored
    nothing new still finishes mentions a crashed run left queued.
    """

    catalog: EntityCatalog
    name: str = "entities.resolve"
    last: ResolutionReport | None = None

    def __call__(self, report: IngestReport) -> None:
        if not tables.has_unresolved_mentions(self.catalog.db):
            return
        try:
            self.last = self.catalog.resolve_pending()
        except (BabelwireError, OSError) as error:  # a store or gazetteer (cache file) error
            raise EntityError(f"entity resolution after ingest failed: {error}; the articles"
                              " and their mentions are stored, `babelwire entity resolve`"
                              " retries") from error
