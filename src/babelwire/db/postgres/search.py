"""SQL behind search on PostgreSQL: full-text hits (tsvector) and semantic neighbours (pgvector).

Both mirror `db.article_search`: the same filters on the day an article counts
on (`ARTICLE_DAY`), snippets with matches in ``[…]``, semantic rank = inner
product. Ties are broken by ingestion order (``rowid``), as the SQLite exact
scan breaks them. Ranks of text search are ``-ts_rank`` (lower is better, as
FTS5's bm25 is); their values are PostgreSQL's, not bm25's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np

from ..entity_pages import ARTICLE_DAY
from ..store import SearchFilters, SearchHit
from .schema import EMBEDDING_INDEX_DIM, TEXT_SEARCH_CONFIG

if TYPE_CHECKING:
    import psycopg

SEMANTIC_SNIPPET_CHARS = 200
HNSW_MAX_EF_SEARCH = 1000
"""pgvector's upper bound for ``hnsw.ef_search``; deeper pages scan iteratively."""
_HEADLINE_OPTIONS = ('StartSel=[, StopSel=], MaxWords=12, MinWords=6, ShortWord=0,'
                     ' MaxFragments=1, FragmentDelimiter=" … "')
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def tsquery(query: str) -> str | None:
    """Free text as a ``to_tsquery`` string: every word must appear, prefix match on the last.

    The same rule as `rows.fts_query`; each word is quoted so user input is never
    tsquery syntax. None when there is no word (nothing can match).
    """
    tokens = _TOKEN_RE.findall(query)
    if not tokens:
        return None
    quoted = [f"'{token}'" for token in tokens]
    quoted[-1] += ":*"
    return " & ".join(quoted)


def filter_clause(filters: SearchFilters | None) -> tuple[str, list[Any]]:
    """``AND …`` conditions on the articles alias ``a`` for ``filters``, and their parameters."""
    if filters is None:
        return "", []
    conditions, params = [], []
    if filters.lang:
        conditions.append("a.lang = %s")
        params.append(filters.lang)
    if filters.since:
        conditions.append(f"{ARTICLE_DAY} >= %s")
        params.append(filters.since)
    if filters.until:
        conditions.append(f"{ARTICLE_DAY} <= %s")
        params.append(filters.until)
    return "".join(f" AND {c}" for c in conditions), params


def text_search(conn: psycopg.Connection[Any], query: str, *, limit: int, offset: int,
                filters: SearchFilters | None) -> list[SearchHit]:
    """Full-text hits best first, with a snippet of the body whose matches are in ``[…]``."""
    terms = tsquery(query)
    if terms is None:
        return []
    where, params = filter_clause(filters)
    rows = conn.execute(
        f"WITH q AS (SELECT to_tsquery('{TEXT_SEARCH_CONFIG}', %s) AS query),"
        f" hits AS (SELECT a.rowid, a.id, a.title, a.lang, a.text, {ARTICLE_DAY} AS day,"
        " -ts_rank(a.search_vector, q.query) AS rank FROM articles a, q"
        f" WHERE a.search_vector @@ q.query{where} ORDER BY rank, a.rowid LIMIT %s OFFSET %s)"
        f" SELECT h.id, h.title, h.lang, h.day, h.rank,"
        f" ts_headline('{TEXT_SEARCH_CONFIG}', h.text, q.query, %s) AS snippet"
        " FROM hits h, q ORDER BY h.rank, h.rowid",
        [terms, *params, limit, offset, _HEADLINE_OPTIONS]).fetchall()
    return [SearchHit(r["id"], r["title"], r["lang"], r["snippet"], float(r["rank"]), r["day"])
            for r in rows]


def vector_literal(vector: list[float] | np.ndarray) -> str:
    """A pgvector text literal holding exactly the float32 values of ``vector``."""
    values = np.asarray(vector, dtype=np.float32).tolist()
    return "[" + ",".join(repr(v) for v in values) + "]"


def semantic_query(vector: list[float], *, model: str, limit: int, offset: int,
                   filters: SearchFilters | None) -> tuple[str, list[Any]]:
    """The SELECT of `semantic_search` and its parameters (tests EXPLAIN it)."""
    dim = len(vector)
    cast = f"::vector({dim})" if dim == EMBEDDING_INDEX_DIM else "::vector"
    where, params = filter_clause(filters)
    literal = vector_literal(vector)
    sql = (f"SELECT n.* FROM (SELECT a.rowid, a.id, a.title, a.lang, {ARTICLE_DAY} AS day,"
           f" substr(a.text, 1, {SEMANTIC_SNIPPET_CHARS}) AS snippet,"
           f" a.embedding_vector{cast} <#> %s{cast} AS distance FROM articles a"
           f" WHERE a.embedding_dim = {int(dim)} AND a.embedding_model = %s{where}"
           f" ORDER BY a.embedding_vector{cast} <#> %s{cast} LIMIT %s) n"
           " ORDER BY n.distance, n.rowid OFFSET %s")
    return sql, [literal, model, *params, literal, offset + limit, offset]


def semantic_search(conn: psycopg.Connection[Any], vector: list[float], *, model: str,
                    limit: int, offset: int, filters: SearchFilters | None) -> list[SearchHit]:
    """The articles with ``model`` embeddings of the query's dimension nearest (inner product).

    Filters are conditions of the same query, so a rare language still fills the
    page. 384-dimensional vectors use the HNSW index (``ef_search`` at least the
    page depth, iterative scans for filters); others are an exact scan.
    """
    if limit <= 0 or not vector:
        return []
    sql, params = semantic_query(vector, model=model, limit=limit, offset=offset,
                                 filters=filters)
    with conn.transaction():
        set_search_depth(conn, offset + limit)
        rows = conn.execute(sql, params).fetchall()
    return [SearchHit(r["id"], r["title"], r["lang"], r["snippet"], -float(r["distance"]),
                      r["day"]) for r in rows]


def set_search_depth(conn: psycopg.Connection[Any], wanted: int) -> None:
    """HNSW settings for this transaction: ``ef_search`` ≥ the page depth, iterative scans."""
    conn.execute("SELECT set_config('hnsw.ef_search', %s, true),"
                 " set_config('hnsw.iterative_scan', 'strict_order', true)",
                 (str(min(HNSW_MAX_EF_SEARCH, max(40, wanted))),))
