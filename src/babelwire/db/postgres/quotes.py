"""Quote search on PostgreSQL: the ``quotes`` rows of migration ``008_quotes``.

The same query as `db.quote_search` (the speaker's entity read through the
article's resolved mentions at query time; newest first by the article's day,
then the later stored), with the ``tsvector`` column for the words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..store import QuoteHit
from .schema import TEXT_SEARCH_CONFIG
from .search import tsquery

if TYPE_CHECKING:
    import psycopg

_LINKED_ENTITY = ("coalesce(q.speaker_entity, (SELECT m.entity_id FROM entity_mentions m"
                  " WHERE m.article_id = q.article_id AND m.text = q.speaker_name"
                  " AND m.entity_id IS NOT NULL ORDER BY m.id LIMIT 1))")
_COLUMNS = (f"q.id, q.article_id, q.position, q.text, q.type, q.lang, q.speaker_name,"
            f" {_LINKED_ENTITY} AS entity, q.cue, q.day, a.title")
_ENTITY_QUOTES = ("q.id IN (SELECT q2.id FROM entity_mentions m2 JOIN quotes q2"
                  " ON q2.article_id = m2.article_id AND q2.speaker_name = m2.text"
                  " WHERE m2.entity_id = %s UNION SELECT id FROM quotes WHERE speaker_entity = %s)")
_MATCHING = f"q.search_vector @@ to_tsquery('{TEXT_SEARCH_CONFIG}', %s)"


def search_quotes(conn: psycopg.Connection[Any], query: str, *, entity_id: str | None,
                  limit: int, offset: int) -> list[QuoteHit]:
    """Quotes matching ``query`` and spoken by ``entity_id`` (either may be empty), newest first."""
    if entity_id and not query.strip():
        found = _newest_of_entity(conn, entity_id, limit=limit, offset=offset)
        if found is not None:
            return found
    conditions: list[str] = []
    params: list[Any] = []
    if entity_id:
        conditions.append(_ENTITY_QUOTES)
        params += [entity_id, entity_id]
    if query.strip():
        terms = tsquery(query)
        if terms is None:
            return []
        conditions.append(_MATCHING)
        params.append(terms)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id{where}"
        " ORDER BY q.day DESC, q.id DESC LIMIT %s OFFSET %s",
        [*params, limit, offset]).fetchall()
    return [_hit(r) for r in rows]


def _newest_of_entity(conn: psycopg.Connection[Any], entity_id: str, *, limit: int,
                      offset: int) -> list[QuoteHit] | None:
    """As `db.quote_search._newest_of_entity`: the entity's quotes among the newest quotes,
    or None if those may not hold them all."""
    row = conn.execute("SELECT (SELECT sum(mentions) FROM entity_langs WHERE entity_id = %s)"
                       " AS mentions, (SELECT max(id) FROM quotes) AS stored",
                       (entity_id,)).fetchone() or {}
    window = max(int(row.get("mentions") or 0), limit + offset)
    stored = int(row.get("stored") or 0)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM (SELECT * FROM quotes ORDER BY day DESC, id DESC LIMIT %s) q"
        " JOIN articles a ON a.id = q.article_id WHERE (q.speaker_entity = %s OR EXISTS"
        " (SELECT 1 FROM entity_mentions m WHERE m.article_id = q.article_id"
        " AND m.entity_id = %s AND m.text = q.speaker_name))"
        " ORDER BY q.day DESC, q.id DESC LIMIT %s OFFSET %s",
        (window, entity_id, entity_id, limit, offset)).fetchall()
    if len(rows) < limit and window < stored:
        return None
    return [_hit(r) for r in rows]


def _hit(r: dict[str, Any]) -> QuoteHit:
    return QuoteHit(id=r["id"], article_id=r["article_id"], position=r["position"],
                    text=r["text"], type=r["type"], lang=r["lang"],
                    speaker_name=r["speaker_name"], speaker_entity=r["entity"], cue=r["cue"],
                    day=r["day"], title=r["title"])


def quote_texts(conn: psycopg.Connection[Any], lang: str, *, limit: int) -> list[str]:
    """Texts of the newest quotes in ``lang`` (the later stored first on the same day)."""
    rows = conn.execute("SELECT text FROM quotes WHERE lang = %s ORDER BY day DESC, id DESC"
                        " LIMIT %s", (lang, limit)).fetchall()
    return [r["text"] for r in rows]
