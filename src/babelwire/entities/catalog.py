"""The entity catalogue of a store: resolve its mentions, explain, merge and split entities.

Why re-resolve everything: resolution is fast (thousands of mentions a second) and
deterministic given the mentions' order and the user's decisions, so every change
(new mentions, a merge, a split) replays all stored mentions through a fresh
`EntityResolver` with the decisions in force. That is what makes a decision survive
re-processing by construction, and keeps the stored links consistent with the rules.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..db import Database
from ..db import entity_tables as tables
from ..errors import BabelwireError, EntityError
from ..record import Article
from .decisions import Decision, DecisionKind, Decisions
from .places import Gazetteer
from .records import EntityType, Mention, mentions_of
from .resolver import EntityResolver

if TYPE_CHECKING:
    from ..ingest import IngestReport


@dataclass(frozen=True, slots=True)
class ResolutionReport:
    """What one re-resolution did: counts of mentions, entities and links per rule."""

    mentions: int
    entities: int
    rules: dict[str, int] = field(default_factory=dict)


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

    def __init__(self, db: Database, *, cache_dir: Path | None = None,
                 gazetteer: Gazetteer | None = None) -> None:
        self.db = db
        self.gazetteer = gazetteer or Gazetteer(cache_dir)

    def resolve(self, new_mentions: Iterable[Mention] = ()) -> ResolutionReport:
        """Store ``new_mentions``, then re-resolve every stored mention under the decisions."""
        tables.add_mentions(self.db, new_mentions)
        mentions, last_id = tables.read_mentions_upto(self.db)
        decisions = Decisions(tables.read_decisions(self.db))
        resolver = EntityResolver(self.gazetteer, decisions=decisions)
        links = resolver.resolve(mentions)
        tables.replace_resolution(self.db, resolver.index, links, upto=last_id)
        tables.write_links_to_articles(self.db)
        rules: dict[str, int] = {}
        for link in links:
            rules[link.rule] = rules.get(link.rule, 0) + 1
        return ResolutionReport(mentions=len(mentions), entities=len(resolver.index),
                                rules=dict(sorted(rules.items())))

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



@dataclass(slots=True)
class ResolveAfterIngest:
    """The after-ingest step that gives every stored mention its canonical entity.

    Why after ingest and not a pipeline stage (an ``entities.resolve.v1``): a
    stage sees one article before the store has decided whether it is new or a
    duplicate, and stages do no I/O; resolution needs the store, and it replays
    every stored mention under the user's decisions (see the module docstring),
    which is what makes merges and splits survive. Run per article that would cost
    O(articles²); run once per ingest it costs one replay. The store queues each new
    article's mentions in the article's own transaction, so this step only resolves
    them, and a run that stored nothing new still finishes mentions a crashed run
    left unresolved.
    """

    catalog: EntityCatalog
    name: str = "entities.resolve"
    last: ResolutionReport | None = None

    def __call__(self, report: IngestReport) -> None:
        if not tables.has_unresolved_mentions(self.catalog.db):
            return
        try:
            self.last = self.catalog.resolve()
        except (BabelwireError, OSError) as error:  # a store or gazetteer (cache file) error
            raise EntityError(f"entity resolution after ingest failed: {error}; the articles"
                              " and their mentions are stored, `babelwire entity resolve`"
                              " retries") from error
