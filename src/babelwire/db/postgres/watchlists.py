"""Watchlists on PostgreSQL: the same rules as `db.watchlists` (new = ingested after
``seen_rowid``, newest first), matching through ``entity_mentions`` or the
articles' ``tsvector``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import StorageError
from ..entity_pages import ARTICLE_DAY
from ..store import WatchItem, Watchlist, WatchlistKind
from .schema import TEXT_SEARCH_CONFIG
from .search import tsquery

if TYPE_CHECKING:
    import psycopg

_ENTITY_ARTICLES = ("SELECT DISTINCT a.rowid AS rowid FROM entity_mentions m"
                    " JOIN articles a ON a.id = m.article_id WHERE m.entity_id = %s")
_QUERY_ARTICLES = (f"SELECT rowid FROM articles"
                   f" WHERE search_vector @@ to_tsquery('{TEXT_SEARCH_CONFIG}', %s)")


def insert(conn: psycopg.Connection[Any], *, name: str, kind: WatchlistKind, target: str,
           lang: str | None, created_at: str) -> int:
    """Store a watchlist whose items all count as new; return its id."""
    row = conn.execute(
        "INSERT INTO watchlists (name, kind, target, lang, created_at, seen_rowid)"
        " VALUES (%s, %s, %s, %s, %s, 0) RETURNING id",
        (name, kind.value, target, lang, created_at)).fetchone()
    assert row is not None  # INSERT … RETURNING gives the one row inserted
    return int(row["id"])


def mark_seen(conn: psycopg.Connection[Any], watchlist_id: int) -> bool:
    """Everything stored now counts as seen; False if there is no such watchlist."""
    cursor = conn.execute(
        "UPDATE watchlists SET seen_rowid = (SELECT coalesce(max(rowid), 0) FROM articles)"
        " WHERE id = %s", (watchlist_id,))
    return cursor.rowcount > 0


def delete(conn: psycopg.Connection[Any], watchlist_id: int) -> bool:
    """Remove a watchlist; False if there was none."""
    return conn.execute("DELETE FROM watchlists WHERE id = %s", (watchlist_id,)).rowcount > 0


def get(conn: psycopg.Connection[Any], watchlist_id: int) -> Watchlist | None:
    """One watchlist with its count of new items, or None."""
    row = conn.execute("SELECT * FROM watchlists WHERE id = %s", (watchlist_id,)).fetchone()
    return None if row is None else _watchlist(conn, row)


def list_all(conn: psycopg.Connection[Any]) -> list[Watchlist]:
    """Every watchlist, oldest first, each with its count of new items."""
    rows = conn.execute("SELECT * FROM watchlists ORDER BY id").fetchall()
    return [_watchlist(conn, row) for row in rows]


def items(conn: psycopg.Connection[Any], watchlist: Watchlist, *, limit: int,
          offset: int) -> list[WatchItem]:
    """The watchlist's matching articles, newest ingested first."""
    source, params = _matching(watchlist)
    rows = conn.execute(
        f"SELECT a.rowid, a.id, a.title, a.lang, a.source, a.ingested_at, a.story_id,"
        f" {ARTICLE_DAY} AS day, substr(a.text, 1, 240) AS lead"
        f" FROM ({source}) m JOIN articles a ON a.rowid = m.rowid"
        f"{_lang_clause(watchlist)} ORDER BY a.rowid DESC LIMIT %s OFFSET %s",
        [*params, *_lang_params(watchlist), limit, offset]).fetchall()
    return [WatchItem(id=r["id"], title=r["title"], lang=r["lang"], source=r["source"],
                      day=r["day"], ingested_at=r["ingested_at"], story_id=r["story_id"],
                      lead=r["lead"], is_new=r["rowid"] > watchlist.seen_rowid) for r in rows]


def _watchlist(conn: psycopg.Connection[Any], row: dict[str, Any]) -> Watchlist:
    watchlist = Watchlist(id=row["id"], name=row["name"], kind=WatchlistKind(row["kind"]),
                          target=row["target"], lang=row["lang"], created_at=row["created_at"],
                          seen_rowid=row["seen_rowid"])
    source, params = _matching(watchlist)
    count = conn.execute(
        f"SELECT count(*) AS n FROM ({source}) m JOIN articles a ON a.rowid = m.rowid"
        f"{_lang_clause(watchlist)}{' AND' if watchlist.lang else ' WHERE'} a.rowid > %s",
        [*params, *_lang_params(watchlist), watchlist.seen_rowid]).fetchone()
    watchlist.new_items = int(count["n"]) if count else 0
    return watchlist


def _matching(watchlist: Watchlist) -> tuple[str, list[Any]]:
    if watchlist.kind is WatchlistKind.ENTITY:
        return _ENTITY_ARTICLES, [watchlist.target]
    return _QUERY_ARTICLES, [tsquery(watchlist.target)]


def _lang_clause(watchlist: Watchlist) -> str:
    return " WHERE a.lang = %s" if watchlist.lang else ""


def _lang_params(watchlist: Watchlist) -> list[str]:
    return [watchlist.lang] if watchlist.lang else []


def check_target(conn: psycopg.Connection[Any], kind: WatchlistKind, target: str) -> None:
    """Refuse a watchlist that could never match: an unknown entity, an empty query."""
    if not target.strip():
        raise StorageError(f"a {kind.value} watchlist needs a target; give an entity id or"
                           " query words")
    if kind is WatchlistKind.ENTITY and conn.execute(
            "SELECT 1 FROM entities WHERE id = %s", (target,)).fetchone() is None:
        raise StorageError(f"no entity with id {target!r} to watch; pick one from /entities")
    if kind is WatchlistKind.QUERY and tsquery(target) is None:
        raise StorageError(f"query {target!r} has no word to search for; use letters or digits")
