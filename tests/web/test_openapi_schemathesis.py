"""The HTTP API against its own /openapi.json: generated requests, every documented operation.

Schemathesis generates requests from the schema (valid and invalid ones) and
checks each answer: no server error, a documented status code and content
type, a body that matches the documented schema. Bounded: a few examples per
operation, so the whole file takes seconds, not minutes.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from babelwire import Article, Database
from babelwire.db.store import WatchlistKind
from babelwire.web.app import create_app
from tests.web.test_entity_pages import _store

MAX_EXAMPLES = 12


def _app_over_a_small_store(db: Database) -> object:
    """An app over articles, entities (one with markup in a variant) and a watchlist."""
    _store(db)
    db.add_article(Article(id="meantime:en:a/1", title="<b>Slashes</b>", text="Id with slash.",
                           lang="en", embedding=[1.0, 0.0, 0.0]))
    db.add_watchlist(name="China", kind=WatchlistKind.QUERY, target="news")
    return create_app(db, embedder=lambda query: [1.0, 0.0, 0.0])


def test_api_answers_every_generated_request_as_documented(db: Database) -> None:
    """Why one test looping over operations, not ``schema.parametrize``: schemathesis' lazy
    fixture loader reads a pytest-internal attribute that pytest 9 no longer has."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", _app_over_a_small_store(db))
    failures: dict[str, str] = {}
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        checked.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def answers_as_documented(case: schemathesis.Case) -> None:
            case.call_and_validate()

        try:
            answers_as_documented()
        except (Exception, BaseExceptionGroup) as error:  # reported per operation below
            failures[operation.label] = f"{type(error).__name__}: {error}"[:1500]
    assert len(checked) >= 20
    assert failures == {}, "\n\n".join(f"{k}: {v}" for k, v in failures.items())
