"""Quote search: stored quotes of a query or an entity, newest first, one statement per group.

What the CLI (`babelwire quotes search`) and the quote pages show. Without a
grouper every quote is a statement of its own; with one (`statements.py`),
quotes that report the same words in several languages form one statement,
placed where its newest quote is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..db.store import QuoteHit, Store
from .statements import BACKGROUND_QUOTES, Embed, StatementGrouper


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement: its quotes (newest first) and the languages it was reported in."""

    quotes: list[QuoteHit]
    languages: list[str]

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"languages": [...], "quotes": [...]}``."""
        return {"languages": self.languages, "quotes": [asdict(q) for q in self.quotes]}


def store_grouper(store: Store, embed: Embed) -> StatementGrouper:
    """A grouper whose language means come from ``store``'s newest quotes of each language."""
    return StatementGrouper(embed, lambda lang: store.quote_texts(lang, limit=BACKGROUND_QUOTES))


def quote_statements(store: Store, query: str = "", *, entity_id: str | None = None,
                     limit: int = 50, offset: int = 0,
                     grouper: StatementGrouper | None = None) -> list[Statement]:
    """The matching quotes (a page of ``limit`` from ``offset``) as statements, newest first.

    Grouping only joins quotes of the same page: a statement whose reports are spread over
    pages shows once per page.
    """
    hits = store.search_quotes(query, entity_id=entity_id, limit=limit, offset=offset)
    groups = grouper.group(hits) if grouper is not None else [[i] for i in range(len(hits))]
    statements = []
    for group in groups:
        quotes = [hits[i] for i in group]
        statements.append(Statement(quotes, sorted({q.lang for q in quotes})))
    return statements
