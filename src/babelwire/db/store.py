"""The `Store` protocol: everything stages, ingest and the web need from storage.

SQLite (`Database`) implements it now; a PostgreSQL backend will implement the
same protocol, so no stage or command holds SQL of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from ..fingerprint import Fingerprint
from ..record import Article


class AddOutcome(StrEnum):
    """What happened to an article handed to the store."""

    INSERTED = "inserted"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near_duplicate"


@dataclass(frozen=True, slots=True)
class AddResult:
    """The outcome of `Store.add_article`, with the id the article is stored under."""

    outcome: AddOutcome
    article_id: str
    similarity: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestFailure:
    """An input that could not become an article, kept so nothing is lost silently."""

    input_ref: str
    stage: str
    error: str
    message: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result."""

    article_id: str
    title: str
    lang: str
    snippet: str
    rank: float


class Store(Protocol):
    """Storage of articles, their provenance, duplicates and failures."""

    def add_article(self, article: Article, fingerprint: Fingerprint | None = None) -> AddResult:
        """Store an article, or link it to the stored exact or near duplicate."""
        ...

    def get_article(self, article_id: str) -> Article | None:
        """The article with this id, or None if there is none."""
        ...

    def list_articles(
        self, *, limit: int = 50, offset: int = 0, lang: str | None = None
    ) -> list[Article]:
        """Articles, newest ingested first."""
        ...

    def iter_articles(self) -> Iterator[Article]:
        """Every article, in ingestion order."""
        ...

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search with snippets."""
        ...

    def semantic_search(
        self, vector: list[float], *, limit: int = 20, model: str = ...
    ) -> list[SearchHit]:
        """Articles closest to an embedding of ``model``, best first (rank = cosine)."""
        ...

    def aliases(self, article_id: str) -> list[dict[str, Any]]:
        """Other sightings (exact or near duplicates) linked to an article."""
        ...

    def record_failure(self, failure: IngestFailure) -> None:
        """Keep an input that failed."""
        ...

    def failures(self, *, limit: int = 100) -> list[IngestFailure]:
        """Recorded failures, newest first."""
        ...

    def stats(self) -> dict[str, Any]:
        """Counts: articles, by language, by kind, duplicates, failures."""
        ...

    def close(self) -> None:
        """Release connections and stop the writer."""
        ...
