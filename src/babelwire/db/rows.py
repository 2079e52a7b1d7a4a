"""Conversions between records and SQLite rows, and the INSERT statements."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import numpy as np

from ..encoder import MODEL_NAME
from ..errors import StorageError
from ..fingerprint import Fingerprint
from ..record import Article, ArticleKind, Entity, Quote, QuoteType, StageFailure
from .store import IngestFailure

ARTICLE_COLUMNS = (
    "id", "content_hash", "kind", "parent_id", "url", "source", "input_ref", "licence",
    "fetched_at", "published_at", "ingested_at", "title", "text", "author", "captions",
    "subheadings", "clean_method", "lang", "lang_score", "lang_method", "entities", "quotes",
    "story_id", "failures", "minhash", "embedding", "embedding_model", "embedding_dim",
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


STAGE_COLUMNS = {
    "lang": ("lang",), "lang_score": ("lang_score",), "lang_method": ("lang_method",),
    "quotes": ("quotes",), "embedding": ("embedding", "embedding_model", "embedding_dim"),
    "entities": ("entities",), "failures": ("failures",),
}
"""Article fields a stage may assign again on a stored article, and the columns holding them.

Title and text are not here: they make the content hash, the article's identity. Rewritten
``entities`` also replace the article's rows in ``entity_mentions`` (`replace_mentions`),
which then need a resolution replay (`entities.catalog.ReplayAfterProcess`)."""


def rewritable(fields: Iterable[str]) -> tuple[str, ...]:
    """``fields`` once each, in order, if a stored article may take them again (both stores).

    Raises:
        StorageError: a field outside `STAGE_COLUMNS`, named.
    """
    names = tuple(dict.fromkeys(fields))
    unknown = sorted(set(names) - set(STAGE_COLUMNS))
    if unknown:
        raise StorageError(
            f"cannot rewrite {unknown} of stored articles; only"
            f" {sorted(STAGE_COLUMNS)} can be assigned again (title and text make an"
            " article's identity: ingest the changed article instead)")
    return names


def insert_article(
    conn: sqlite3.Connection, article: Article, digest: str, fingerprint: Fingerprint | None
) -> None:
    """Insert an article row and its LSH band keys."""
    values = article_values(article, digest, fingerprint)
    marks = ", ".join("?" * len(ARTICLE_COLUMNS))
    conn.execute(
        f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({marks})",
        [values[c] for c in ARTICLE_COLUMNS],
    )
    if fingerprint is not None:
        conn.executemany(
            "INSERT INTO minhash_bands (band_key, article_id) VALUES (?, ?)",
            [(key, article.id) for key in fingerprint.band_keys()],
        )


def update_stage_fields(conn: sqlite3.Connection, article: Article,
                        fields: tuple[str, ...]) -> int:
    """Write ``fields`` (keys of `STAGE_COLUMNS`) of a stored article again; rows changed."""
    columns = [c for name in fields for c in STAGE_COLUMNS[name]]
    values = article_values(article, "", None)
    changed = conn.execute(
        f"UPDATE articles SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
        [*(values[c] for c in columns), article.id])
    if "entities" in fields and changed.rowcount:
        replace_mentions(conn, article)
    return changed.rowcount


def replace_mentions(conn: sqlite3.Connection, article: Article) -> None:
    """Queue the article's NER mentions again in place of its stored ones.

    The new rows have no ``entity_id``; the old rows' links are gone with them, so
    the resolver's incremental state no longer matches the table and resolution
    must replay (`babelwire process` does).
    """
    conn.execute("DELETE FROM entity_mentions WHERE article_id = ?", (article.id,))
    insert_mentions(conn, article)


def article_values(article: Article, digest: str,
                    fingerprint: Fingerprint | None) -> dict[str, Any]:
    """The article's column values, serialised as the store keeps them."""
    return {
        "id": article.id,
        "content_hash": digest,
        "kind": article.kind.value,
        "parent_id": article.parent_id,
        "url": article.url,
        "source": article.source,
        "input_ref": article.input_ref,
        "licence": article.licence,
        "fetched_at": _time(article.fetched_at),
        "published_at": _time(article.published_at),
        "ingested_at": _now(),
        "title": article.title,
        "text": article.text,
        "author": article.author,
        "captions": json.dumps(article.captions, ensure_ascii=False),
        "subheadings": json.dumps(article.subheadings, ensure_ascii=False),
        "clean_method": article.clean_method,
        "lang": article.lang,
        "lang_score": article.lang_score,
        "lang_method": article.lang_method,
        "entities": json.dumps([_entity_json(e) for e in article.entities], ensure_ascii=False),
        "quotes": json.dumps([_quote_json(q) for q in article.quotes], ensure_ascii=False),
        "story_id": article.story_id,
        "failures": json.dumps([asdict(f) for f in article.failures], ensure_ascii=False),
        "minhash": None if fingerprint is None else fingerprint.to_bytes(),
        "embedding": None if article.embedding is None
        else np.asarray(article.embedding, dtype="<f4").tobytes(),
        "embedding_model": None if article.embedding is None else MODEL_NAME,
        "embedding_dim": None if article.embedding is None else len(article.embedding),
    }


def insert_mentions(conn: sqlite3.Connection, article: Article) -> int:
    """Queue the NER mentions on a newly stored article for entity resolution; return how many.

    In the article's own transaction, so a stored article's mentions are never
    lost to a crash between storing and resolving: rows without an ``entity_id``
    are what the next resolution (after ingest, or ``babelwire entity resolve``)
    links. Duplicates never get here, so re-ingesting adds no mention twice.
    """
    if not article.entities:
        return 0
    from ..entities.records import mentions_of  # the entity package is heavy; only NER needs it

    values = [(m.article_id, m.span[0], m.span[1], m.text, str(m.type), m.lang)
              for m in mentions_of(article)]
    conn.executemany("INSERT INTO entity_mentions (article_id, start, end, text, type, lang)"
                     " VALUES (?, ?, ?, ?, ?, ?)", values)
    return len(values)


def insert_alias(
    conn: sqlite3.Connection,
    article_id: str,
    article: Article,
    digest: str,
    relation: str,
    similarity: float,
) -> None:
    """Record another sighting of a stored article (an exact or near duplicate)."""
    conn.execute(
        "INSERT INTO article_aliases (article_id, relation, similarity, content_hash, url, source,"
        " input_ref, title, fetched_at, published_at, seen_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            article_id, relation, similarity, digest, article.url, article.source,
            article.input_ref, article.title, _time(article.fetched_at),
            _time(article.published_at), _now(),
        ),
    )


def is_recorded_sighting(conn: sqlite3.Connection, article_id: str, article: Article,
                         digest: str) -> bool:
    """True if this very sighting (content, URL, source and input) is already stored.

    Why: re-running an ingest that was killed half-way reads the stored inputs again;
    they are the same sightings, not new duplicates, so they must not add alias rows
    (issue 9, crash safety: a resumed run equals an uninterrupted one).
    """
    where = "content_hash = ? AND url IS ? AND source = ? AND input_ref = ?"
    key = (digest, article.url, article.source, article.input_ref)
    stored = conn.execute(f"SELECT 1 FROM articles WHERE id = ? AND {where}", (article_id, *key))
    if stored.fetchone() is not None:
        return True
    alias = conn.execute(f"SELECT 1 FROM article_aliases WHERE article_id = ? AND {where}",
                         (article_id, *key))
    return alias.fetchone() is not None


def mark_ingested(conn: sqlite3.Connection, source_key: str, article_id: str) -> None:
    """Record that the input with this key is stored (as ``article_id`` or its duplicate)."""
    conn.execute("INSERT OR IGNORE INTO ingested_sources (source_key, article_id, at)"
                 " VALUES (?, ?, ?)", (source_key, article_id, _now()))


def insert_failure(conn: sqlite3.Connection, failure: IngestFailure) -> None:
    """Record an input that failed; the same failure of the same input replaces its older row.

    Why replace: a killed ingest run again reads its failed inputs again, and the
    same failure twice is not two failures (issue 9); the new row keeps "newest first".
    """
    conn.execute(
        "DELETE FROM ingest_failures WHERE input_ref = ? AND stage = ? AND error = ?"
        " AND message = ?", (failure.input_ref, failure.stage, failure.error, failure.message))
    conn.execute(
        "INSERT INTO ingest_failures (input_ref, stage, error, message, at) VALUES (?, ?, ?, ?, ?)",
        (failure.input_ref, failure.stage, failure.error, failure.message, _time(failure.at)),
    )


def article_from_row(row: sqlite3.Row | Mapping[str, Any]) -> Article:
    """Rebuild an `Article` from its row."""
    return Article(
        id=row["id"],
        kind=ArticleKind(row["kind"]),
        parent_id=row["parent_id"],
        url=row["url"],
        source=row["source"],
        input_ref=row["input_ref"],
        licence=row["licence"],
        fetched_at=_parse_time(row["fetched_at"]),
        published_at=_parse_time(row["published_at"]),
        title=row["title"],
        text=row["text"],
        author=row["author"],
        captions=json.loads(row["captions"]),
        subheadings=json.loads(row["subheadings"]),
        clean_method=row["clean_method"],
        lang=row["lang"],
        lang_score=row["lang_score"],
        lang_method=row["lang_method"],
        entities=[_entity_from_json(e) for e in json.loads(row["entities"])],
        quotes=[_quote_from_json(q) for q in json.loads(row["quotes"])],
        story_id=row["story_id"],
        embedding=None if row["embedding"] is None
        else np.frombuffer(row["embedding"], dtype="<f4").tolist(),
        failures=[StageFailure(**f) for f in json.loads(row["failures"])],
    )


def failure_from_row(row: sqlite3.Row | Mapping[str, Any]) -> IngestFailure:
    """Rebuild an `IngestFailure` from its row."""
    return IngestFailure(
        input_ref=row["input_ref"],
        stage=row["stage"],
        error=row["error"],
        message=row["message"],
        at=datetime.fromisoformat(row["at"]),
    )


def _entity_json(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, "name": entity.name, "type": entity.type,
            "spans": [list(s) for s in entity.spans], "mention": entity.mention}


def _entity_from_json(data: dict[str, Any]) -> Entity:
    return Entity(id=data["id"], name=data["name"], type=data["type"],
                  spans=tuple(tuple(s) for s in data["spans"]), mention=data.get("mention", ""))


def _quote_json(quote: Quote) -> dict[str, Any]:
    return {"text": quote.text, "type": quote.type.value, "spans": [list(s) for s in quote.spans],
            "speaker_name": quote.speaker_name, "speaker_entity": quote.speaker_entity,
            "speaker_mention": quote.speaker_mention,
            "speaker_spans": [list(s) for s in quote.speaker_spans],
            "cue": quote.cue, "cue_spans": [list(s) for s in quote.cue_spans],
            "language": quote.language, "confidence": quote.confidence, "rule": quote.rule}


def _quote_from_json(data: dict[str, Any]) -> Quote:
    """Rebuild a stored quote (rows stored before mention, spans and rule were kept lack them)."""
    return Quote(text=data["text"], type=QuoteType(data["type"]),
                 spans=tuple(tuple(s) for s in data["spans"]),
                 speaker_name=data.get("speaker_name"), speaker_entity=data.get("speaker_entity"),
                 speaker_mention=data.get("speaker_mention"),
                 speaker_spans=tuple(tuple(s) for s in data.get("speaker_spans", ())),
                 cue=data.get("cue"), cue_spans=tuple(tuple(s) for s in data.get("cue_spans", ())),
                 language=data.get("language"), confidence=data.get("confidence", 0.0),
                 rule=data.get("rule", ""))


_FTS_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def fts_match(query: str) -> str | None:
    """`fts_query` for a ``MATCH ?`` parameter, or None when ``query`` has no word."""
    match = fts_query(query)
    return None if match == '""' else match


def fts_query(query: str) -> str:
    """Turn free text into a safe FTS5 query: every word must appear (prefix match on the last).

    Users type words, not FTS5 syntax; quoting each token means a stray quote,
    colon or ``NEAR`` never becomes a syntax error.
    """
    tokens = _FTS_TOKEN_RE.findall(query)
    if not tokens:
        return '""'
    quoted = [f'"{token}"' for token in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)
