"""SQL behind watchlists: a saved entity or query, and the stored articles that match it.

"New" means ingested after the user last marked the list as seen: articles'
rowids grow with ingestion, so a watchlist keeps the highest rowid seen
(``seen_rowid``) and new items are those above it, newest first. An entity
watchlist matches articles with a resolved mention of the entity (the
covering index of ``005_entity_page_indexes``); a query watchlist matches the
store's full-text index, as the search page's text mode does.

Why one class for both stores: the statements are the same on SQLite and
PostgreSQL but for the full-text match, so they are written once in the shared
dialect (`db.shared_sql`) and each store gives its `TextMatch` and how its
connections run that dialect (`WatchlistQueries`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import StorageError
from .entity_pages import ARTICLE_DAY
from .shared_sql import SqlConnection
from .store import WatchItem, Watchlist, WatchlistKind

_ENTITY_ARTICLES = ("SELECT DISTINCT a.rowid AS rowid FROM entity_mentions m"
                    " JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ?")


@dataclass(frozen=True, slots=True)
class TextMatch:
    """A store's full-text match: a query giving the ``rowid`` of each matching article
    for one ``?`` parameter, and how free text becomes that parameter (None: no word)."""

    sql: str
    parameter: Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class WatchlistQueries:
    """The watchlist queries of one store: its full-text match, and ``shared(conn)``, the
    store's connection as one that runs the shared dialect."""

    text_match: TextMatch
    shared: Callable[[Any], SqlConnection]

    def insert(self, conn: Any, *, name: str, kind: WatchlistKind, target: str,
               lang: str | None, created_at: str) -> int:
        """Store a watchlist whose items all count as new; return its id."""
        row = self.shared(conn).execute(
            "INSERT INTO watchlists (name, kind, target, lang, created_at, seen_rowid)"
            " VALUES (?, ?, ?, ?, ?, 0) RETURNING id",
            (name, kind.value, target, lang, created_at)).fetchone()
        assert row is not None  # INSERT … RETURNING gives the one row inserted
        return int(row["id"])

    def mark_seen(self, conn: Any, watchlist_id: int) -> bool:
        """Everything stored now counts as seen; False if there is no such watchlist."""
        cursor = self.shared(conn).execute(
            "UPDATE watchlists SET seen_rowid = (SELECT coalesce(max(rowid), 0) FROM articles)"
            " WHERE id = ?", (watchlist_id,))
        return cursor.rowcount > 0

    def delete(self, conn: Any, watchlist_id: int) -> bool:
        """Remove a watchlist; False if there was none."""
        return self.shared(conn).execute(
            "DELETE FROM watchlists WHERE id = ?", (watchlist_id,)).rowcount > 0

    def get(self, conn: Any, watchlist_id: int) -> Watchlist | None:
        """One watchlist with its count of new items, or None."""
        shared = self.shared(conn)
        row = shared.execute("SELECT * FROM watchlists WHERE id = ?",
                             (watchlist_id,)).fetchone()
        return None if row is None else self._watchlist(shared, row)

    def list_all(self, conn: Any) -> list[Watchlist]:
        """Every watchlist, oldest first, each with its count of new items."""
        shared = self.shared(conn)
        rows = shared.execute("SELECT * FROM watchlists ORDER BY id").fetchall()
        return [self._watchlist(shared, row) for row in rows]

    def items(self, conn: Any, watchlist: Watchlist, *, limit: int,
              offset: int) -> list[WatchItem]:
        """The watchlist's matching articles, newest ingested first."""
        source, params = self._matching(watchlist)
        rows = self.shared(conn).execute(
            f"SELECT a.rowid AS rowid, a.id, a.title, a.lang, a.source, a.ingested_at,"
            f" a.story_id, {ARTICLE_DAY} AS day, substr(a.text, 1, 240) AS lead"
            f" FROM ({source}) m JOIN articles a ON a.rowid = m.rowid"
            f"{_lang_clause(watchlist)} ORDER BY a.rowid DESC LIMIT ? OFFSET ?",
            [*params, *_lang_params(watchlist), limit, offset]).fetchall()
        return [WatchItem(id=r["id"], title=r["title"], lang=r["lang"], source=r["source"],
                          day=r["day"], ingested_at=r["ingested_at"], story_id=r["story_id"],
                          lead=r["lead"], is_new=r["rowid"] > watchlist.seen_rowid)
                for r in rows]

    def check_target(self, conn: Any, kind: WatchlistKind, target: str) -> None:
        """Refuse a watchlist that could never match: an unknown entity, an empty query."""
        if not target.strip():
            raise StorageError(f"a {kind.value} watchlist needs a target; give an entity id"
                               " or query words")
        if kind is WatchlistKind.ENTITY and self.shared(conn).execute(
                "SELECT 1 FROM entities WHERE id = ?", (target,)).fetchone() is None:
            raise StorageError(f"no entity with id {target!r} to watch; pick one from"
                               " /entities")
        if kind is WatchlistKind.QUERY and self.text_match.parameter(target) is None:
            raise StorageError(f"query {target!r} has no word to search for; use letters"
                               " or digits")

    def _watchlist(self, shared: SqlConnection, row: Any) -> Watchlist:
        watchlist = Watchlist(id=row["id"], name=row["name"], kind=WatchlistKind(row["kind"]),
                              target=row["target"], lang=row["lang"],
                              created_at=row["created_at"], seen_rowid=row["seen_rowid"])
        source, params = self._matching(watchlist)
        count = shared.execute(
            f"SELECT count(*) AS n FROM ({source}) m JOIN articles a ON a.rowid = m.rowid"
            f"{_lang_clause(watchlist)}{' AND' if watchlist.lang else ' WHERE'} a.rowid > ?",
            [*params, *_lang_params(watchlist), watchlist.seen_rowid]).fetchone()
        watchlist.new_items = int(count["n"]) if count is not None else 0
        return watchlist

    def _matching(self, watchlist: Watchlist) -> tuple[str, list[Any]]:
        if watchlist.kind is WatchlistKind.ENTITY:
            return _ENTITY_ARTICLES, [watchlist.target]
        return self.text_match.sql, [self.text_match.parameter(watchlist.target)]


def _lang_clause(watchlist: Watchlist) -> str:
    return " WHERE a.lang = ?" if watchlist.lang else ""


def _lang_params(watchlist: Watchlist) -> list[str]:
    return [watchlist.lang] if watchlist.lang else []
