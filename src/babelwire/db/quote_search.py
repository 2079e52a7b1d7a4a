"""SQL behind quote search and quote pages: the ``quotes`` rows of migration ``008_quotes``.

Why the entity comes through ``entity_mentions``: the quotes stage runs before
entity resolution, so a stored quote carries the speaker's *name*; the entity
is the one whose resolved mention in the same article has that name (the
speaker resolver takes its names from those mentions). Reading it at query
time keeps quotes right after every re-resolution, merge or split. An
entity's quotes start from its slice of ``entity_mentions`` (index
``entity_mentions_entity_article``) and reach the quotes by
``quotes_speaker``, unless its quotes are among the newest quotes
(`_newest_of_entity`); text search starts from ``quotes_fts``.
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
    if entity_id and not query.strip():
        found = _newest_of_entity(conn, entity_id, limit=limit, offset=offset)
        if found is not None:
            return found
    sql, params = quote_query(query, entity_id)
    rows = conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    return [_hit(r) for r in rows]


def _newest_of_entity(conn: sqlite3.Connection, entity_id: str, *, limit: int,
                      offset: int) -> list[QuoteHit] | None:
    """An entity's quotes found among the newest quotes, or None if those may not hold them all.

    Why: `quote_query` starts from every mention of the entity (240k for the hottest
    of a 1M-article store: ~100 ms even with no quote stored). Walking the newest
    quotes instead, as many as the entity has mentions (so at most about as much
    work), answers exactly when it finds the page's quotes there or walks every
    quote; otherwise the caller runs `quote_query`.
    """
    row = conn.execute("SELECT (SELECT sum(mentions) FROM entity_langs WHERE entity_id = ?),"
                       " (SELECT max(id) FROM quotes)", (entity_id,)).fetchone()
    window, stored = max(int(row[0] or 0), limit + offset), int(row[1] or 0)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM (SELECT * FROM quotes ORDER BY day DESC, id DESC LIMIT ?) q"
        " JOIN articles a ON a.id = q.article_id WHERE (q.speaker_entity = ? OR EXISTS"
        " (SELECT 1 FROM entity_mentions m WHERE m.article_id = q.article_id"
        " AND m.entity_id = ? AND m.text = q.speaker_name))"
        " ORDER BY q.day DESC, q.id DESC LIMIT ? OFFSET ?",
        (window, entity_id, entity_id, limit, offset)).fetchall()
    if len(rows) < limit and window < stored:
        return None
    return [_hit(r) for r in rows]


def _hit(r: sqlite3.Row) -> QuoteHit:
    return QuoteHit(id=r["id"], article_id=r["article_id"], position=r["position"],
                    text=r["text"], type=r["type"], lang=r["lang"],
                    speaker_name=r["speaker_name"], speaker_entity=r["entity"], cue=r["cue"],
                    day=r["day"], title=r["title"])


def quote_texts(conn: sqlite3.Connection, lang: str, *, limit: int) -> list[str]:
    """Texts of the newest quotes in ``lang`` (index ``quotes_lang_day``)."""
    rows = conn.execute("SELECT text FROM quotes WHERE lang = ? ORDER BY day DESC, id DESC"
                        " LIMIT ?", (lang, limit))
    return [r["text"] for r in rows]
