"""Article rows on PostgreSQL: the INSERTs and UPDATEs behind `PostgresDatabase`'s writes.

The values are `db.rows.article_values`' (both backends store the same), plus the
pgvector column beside the float32 embedding.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import psycopg

from ...fingerprint import Fingerprint
from ...record import Article
from .. import rows
from ..database import utc_now
from . import search

Connection = psycopg.Connection[dict[str, Any]]
_INSERT_ARTICLE = (f"INSERT INTO articles ({', '.join(rows.ARTICLE_COLUMNS)}, embedding_vector)"
                   f" VALUES ({', '.join(['%s'] * len(rows.ARTICLE_COLUMNS))}, %s::vector)")


def insert_article(conn: Connection, article: Article, digest: str,
                   fingerprint: Fingerprint | None) -> None:
    """Insert an article row, its LSH band keys and its NER mentions (queued for resolution)."""
    values = rows.article_values(article, digest, fingerprint)
    vector = None if article.embedding is None else search.vector_literal(
        np.asarray(article.embedding, dtype=np.float32))
    conn.execute(_INSERT_ARTICLE, [*(values[c] for c in rows.ARTICLE_COLUMNS), vector])
    if fingerprint is not None:
        with conn.cursor() as cursor:
            cursor.executemany("INSERT INTO minhash_bands (band_key, article_id) VALUES (%s, %s)",
                               [(key, article.id) for key in fingerprint.band_keys()])
    insert_mentions(conn, article)


def insert_mentions(conn: Connection, article: Article) -> None:
    """Queue the article's NER mentions for entity resolution, in its own transaction."""
    if not article.entities:
        return
    from ...entities.records import mentions_of  # heavy; only NER output needs it

    with conn.cursor() as cursor:
        cursor.executemany(
            'INSERT INTO entity_mentions (article_id, start, "end", text, type, lang)'
            " VALUES (%s, %s, %s, %s, %s, %s)",
            [(m.article_id, m.span[0], m.span[1], m.text, str(m.type), m.lang)
             for m in mentions_of(article)])


def is_recorded_sighting(conn: Connection, article_id: str, article: Article,
                         digest: str) -> bool:
    """True if this very sighting (content, URL, source, input) is stored: a resumed ingest
    reads its stored inputs again, and they are not new duplicates."""
    where = ("content_hash = %s AND url IS NOT DISTINCT FROM %s AND source = %s"
             " AND input_ref = %s")
    key = (digest, article.url, article.source, article.input_ref)
    if conn.execute(f"SELECT 1 FROM articles WHERE id = %s AND {where}",
                    (article_id, *key)).fetchone():
        return True
    return conn.execute(f"SELECT 1 FROM article_aliases WHERE article_id = %s AND {where}",
                        (article_id, *key)).fetchone() is not None


def update_fields(conn: Connection, article: Article, fields: tuple[str, ...]) -> int:
    """Write ``fields`` (keys of `rows.STAGE_COLUMNS`) of a stored article again; rows changed."""
    columns = [c for name in fields for c in rows.STAGE_COLUMNS[name]]
    values = rows.article_values(article, "", None)
    assignments = [f"{c} = %s" for c in columns]
    params = [values[c] for c in columns]
    if "embedding" in fields:
        assignments.append("embedding_vector = %s::vector")
        params.append(None if article.embedding is None
                      else search.vector_literal(article.embedding))
    changed = conn.execute(f"UPDATE articles SET {', '.join(assignments)} WHERE id = %s",
                           [*params, article.id]).rowcount
    if "entities" in fields and changed:  # as `rows.replace_mentions`: resolution must replay
        conn.execute("DELETE FROM entity_mentions WHERE article_id = %s", (article.id,))
        insert_mentions(conn, article)
    return changed


def insert_alias(conn: Connection, article_id: str, article: Article, digest: str,
                 relation: str, similarity: float) -> None:
    """Record another sighting of a stored article (an exact or near duplicate)."""
    conn.execute(
        "INSERT INTO article_aliases (article_id, relation, similarity, content_hash, url,"
        " source, input_ref, title, fetched_at, published_at, seen_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (article_id, relation, similarity, digest, article.url, article.source,
         article.input_ref, article.title,
         None if article.fetched_at is None else article.fetched_at.isoformat(),
         None if article.published_at is None else article.published_at.isoformat(),
         utc_now()))
