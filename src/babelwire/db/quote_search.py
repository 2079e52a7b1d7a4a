"""SQL behind quote search and quote pages: the ``quotes`` rows of migration ``008_quotes``.

Why the entity comes through ``entity_mentions``: the quotes stage runs before
entity resolution, so a stored quote carries the speaker's *name*; the entity
is the one whose resolved mention in the same article has that name (the
speaker resolver takes its names from those mentions). Reading it at query
time keeps quotes right after every re-resolution, merge or split. An
entity's quotes start from its slice of ``entity_mentions`` (index
``entity_mentions_entity_article``) and reach the quotes by
``quotes_speaker``; text search starts from ``quotes_fts``.
"""

from __future__ import annotations

import sqlite3

from .rows import fts_query
from .store import QuoteHit

_LINKED_ENTITY = ("coalesce(q.speaker_entity, (SELECT m.entity_id FROM entity_mentions m"
                  " WHERE m.article_id = q.article_id AND m.text = q.speaker_name"
                  " AND m.entity_id IS NOT NULL ORDER BY m.id LIMIT 1))")
_COLUMNS = (f"q.id, q.article_id, q.position, q.text, q.type, q.lang, q.speaker_name,"
            f" {_LINKED_ENTITY} AS entity, q.cue, q.day, a.title")
_ENTITY_QUOTES = ("q.id IN (SELECT q2.id FROM entity_mentions m2 JOIN quotes q2"
                  " ON q2.article_id = m2.article_id AND q2.speaker_name = m2.text"
                  " WHERE m2.entity_id = ? UNION SELECT id FROM quotes WHERE speaker_entity = ?)")
_MATCHING = "q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)"


def quote_query(query: str, entity_id: str | None) -> tuple[str, list[str]]:
    """The SELECT (without LIMIT) for ``query`` and ``entity_id``, and its parameters."""
    conditions, params = [], []
    if entity_id:
        conditions.append(_ENTITY_QUOTES)
        params += [entity_id, entity_id]
    if query.strip():
        conditions.append(_MATCHING)
        params.append(fts_query(query))
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = (f"SELECT {_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id{where}"
           " ORDER BY q.day DESC, q.id DESC")
    return sql, params


def search_quotes(conn: sqlite3.Connection, query: str, *, entity_id: str | None, limit: int,
                  offset: int) -> list[QuoteHit]:
    """Quotes matching ``query`` and spoken by ``entity_id`` (either may be empty), newest
    first (by the article's day, then the later stored)."""
    sql, params = quote_query(query, entity_id)
    rows = conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    return [QuoteHit(id=r["id"], article_id=r["article_id"], position=r["position"],
                     text=r["text"], type=r["type"], lang=r["lang"],
                     speaker_name=r["speaker_name"], speaker_entity=r["entity"], cue=r["cue"],
                     day=r["day"], title=r["title"]) for r in rows]


def quote_texts(conn: sqlite3.Connection, lang: str, *, limit: int) -> list[str]:
    """Texts of the newest quotes in ``lang`` (index ``quotes_lang_day``)."""
    rows = conn.execute("SELECT text FROM quotes WHERE lang = ? ORDER BY day DESC, id DESC"
                        " LIMIT ?", (lang, limit))
    return [r["text"] for r in rows]
