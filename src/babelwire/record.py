"""The typed records that flow through the pipeline.

An `Article` is created by a source (ingest), then filled in by the stages in
order: `clean` assigns the text fields from HTML, `segment` separates captions,
subheadings, bylines and sidebar briefs, `language` assigns the language, later
stages add entities, quotes, embeddings and the story. Fields are grouped by the
stage that assigns them, so that a reader can see who owns what.

Nested values (`Entity`, `Quote`, `StageFailure`) are frozen: a stage replaces
them, it never edits one in place.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

Span = tuple[int, int]
"""Character offsets ``(start, end)`` into `Article.text`, end exclusive."""


class ArticleKind(StrEnum):
    """What an article row is: a whole page's article, or a brief split out of a page."""

    ARTICLE = "article"
    BRIEF = "brief"


class QuoteType(StrEnum):
    """How a quotation is reported."""

    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"


@dataclass(frozen=True, slots=True, kw_only=True)
class StageFailure:
    """A recorded failure: which stage failed, on which input, with what error.

    Failures are kept on the article (and in the store) instead of being raised
    when the pipeline runs with the ``record`` error policy, so that one bad
    input never stops a batch and nothing is lost silently.
    """

    stage: str
    error: str
    message: str
    input: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A named entity mentioned in an article, linked to its canonical id."""

    id: str
    name: str
    type: str
    spans: tuple[Span, ...] = ()
    mention: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A quotation and, when known, who said it.

    ``spans`` cover the quoted words in `Article.text` (with their quotation
    marks, for direct quotes; several spans when an attribution interrupts the
    quote). ``speaker_mention`` is the speaker as written next to the cue, at
    ``speaker_spans`` ("er", "the spokesman", "Støre"); ``speaker_name`` is the
    name it resolves to, and ``speaker_entity`` that name's canonical entity id
    when the mention is linked. ``rule`` names the extractor rule that found it.
    """

    text: str
    type: QuoteType
    spans: tuple[Span, ...] = ()
    speaker_name: str | None = None
    speaker_entity: str | None = None
    cue: str | None = None
    language: str | None = None
    confidence: float = 0.0
    speaker_mention: str | None = None
    speaker_spans: tuple[Span, ...] = ()
    cue_spans: tuple[Span, ...] = ()
    rule: str = ""


@dataclass(slots=True, kw_only=True)
class Story:
    """A group of articles, in any language, about one event."""

    id: str
    label: str = ""
    article_ids: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None


@dataclass(slots=True, kw_only=True)
class Article:
    """One news article and everything the pipeline learned about it."""

    # ingest: provenance
    id: str = ""
    url: str | None = None
    source: str = ""
    fetched_at: datetime | None = None
    html: str | None = None
    input_ref: str = ""
    licence: str | None = None
    # clean / segment: the text
    title: str = ""
    text: str = ""
    published_at: datetime | None = None
    author: str | None = None
    captions: list[str] = field(default_factory=list)
    subheadings: list[str] = field(default_factory=list)
    kind: ArticleKind = ArticleKind.ARTICLE
    parent_id: str | None = None
    clean_method: str = ""
    # language
    lang: str = "und"
    lang_score: float = 0.0
    lang_method: str = ""
    # entities, quotes, embed, cluster (later stages)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    embedding: list[float] | None = None
    story_id: str | None = None
    # every stage
    failures: list[StageFailure] = field(default_factory=list)

    def content_hash(self) -> str:
        """Return the hex SHA-256 of the normalised title and body.

        Two fetches of the same article from different URLs or feeds give the
        same hash, which is what makes re-ingesting idempotent.
        """
        return content_hash(self.title, self.text)


_SPACE_RE = re.compile(r"\s+")


def normalise_for_hash(text: str) -> str:
    """NFC-normalise and collapse whitespace, so layout changes do not change the hash."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def content_hash(title: str, text: str) -> str:
    """Hash an article's content (title + body) after normalising whitespace."""
    payload = normalise_for_hash(title) + "\n" + normalise_for_hash(text)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


ARTICLE_ID_HEX_CHARS = 16
"""Article ids are the first 16 hex digits (64 bits) of the content hash."""


def article_id_for(title: str, text: str) -> str:
    """Return the stable article id for this content."""
    return content_hash(title, text)[:ARTICLE_ID_HEX_CHARS]
