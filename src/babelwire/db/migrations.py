"""Named, transactional schema migrations, recorded in ``_migrations``.

Each migration is a function of a connection. It runs once, inside a
transaction, and its name is recorded; never edit a migration that has shipped,
add a new one. `MIGRATIONS` is the one ordered list for both backends: each
entry names its SQLite form (a function here) and its PostgreSQL form (a script
in `db.postgres.schema`, applied by `db.postgres.migrate`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple

from . import entity_counts
from .postgres import entity_counts as pg_entity_counts
from .postgres import schema as pg

Migration = Callable[[sqlite3.Connection], None]


class NamedMigration(NamedTuple):
    """One schema version: its name (recorded in ``_migrations``) and its form per backend."""

    name: str
    sqlite: Migration
    postgres: str


def m001_articles(conn: sqlite3.Connection) -> None:
    """Articles with provenance, their full-text index, duplicates and failures."""
    execute_script(
        conn,
        """
        CREATE TABLE articles (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            content_hash TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'article',
            parent_id TEXT,
            url TEXT,
            source TEXT NOT NULL DEFAULT '',
            input_ref TEXT NOT NULL DEFAULT '',
            licence TEXT,
            fetched_at TEXT,
            published_at TEXT,
            ingested_at TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            author TEXT,
            captions TEXT NOT NULL DEFAULT '[]',
            subheadings TEXT NOT NULL DEFAULT '[]',
            clean_method TEXT NOT NULL DEFAULT '',
            lang TEXT NOT NULL DEFAULT 'und',
            lang_score REAL NOT NULL DEFAULT 0,
            lang_method TEXT NOT NULL DEFAULT '',
            entities TEXT NOT NULL DEFAULT '[]',
            quotes TEXT NOT NULL DEFAULT '[]',
            story_id TEXT,
            failures TEXT NOT NULL DEFAULT '[]',
            minhash BLOB
        );
        CREATE INDEX articles_lang ON articles(lang);
        CREATE INDEX articles_parent ON articles(parent_id);
        CREATE INDEX articles_published ON articles(published_at);

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;

        CREATE TABLE article_aliases (
            article_id TEXT NOT NULL REFERENCES articles(id),
            relation TEXT NOT NULL,
            similarity REAL NOT NULL,
            content_hash TEXT NOT NULL,
            url TEXT,
            source TEXT NOT NULL DEFAULT '',
            input_ref TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            fetched_at TEXT,
            published_at TEXT,
            seen_at TEXT NOT NULL
        );
        CREATE INDEX article_aliases_article ON article_aliases(article_id);

        CREATE TABLE minhash_bands (
            band_key INTEGER NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id)
        );
        CREATE INDEX minhash_bands_key ON minhash_bands(band_key);

        CREATE TABLE ingest_failures (
            id INTEGER PRIMARY KEY,
            input_ref TEXT NOT NULL,
            stage TEXT NOT NULL,
            error TEXT NOT NULL,
            message TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """
    )


def execute_script(conn: sqlite3.Connection, script: str) -> None:
    """Run a multi-statement script inside the caller's transaction.

    ``Connection.executescript`` would COMMIT first, which breaks transactional
    migrations, so statements are split with SQLite's own completeness test
    (which understands trigger bodies) and executed one by one.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement at end of migration script: {statement!r}")


def m002_embeddings(conn: sqlite3.Connection) -> None:
    """Article embeddings as float32 BLOBs with the model that made them and their dimension."""
    execute_script(
        conn,
        """
        ALTER TABLE articles ADD COLUMN embedding BLOB;
        ALTER TABLE articles ADD COLUMN embedding_model TEXT;
        ALTER TABLE articles ADD COLUMN embedding_dim INTEGER;
        """,
    )


def m003_embedding_log(conn: sqlite3.Connection) -> None:
    """A log of every article row whose embedding appeared, changed or went, for the vector index.

    The faiss file beside the database records the last ``seq`` it has seen, so
    catching up is "re-read the rows logged since", which covers inserts, deletes,
    re-embedding and rowid reuse without the writer knowing the index exists.
    AUTOINCREMENT keeps ``seq`` from ever going back. ``store_id`` tells an index
    file which database it was built from (a recreated database must not reuse it).
    """
    execute_script(
        conn,
        """
        CREATE TABLE embedding_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            article_rowid INTEGER NOT NULL
        );
        CREATE TRIGGER embedding_log_ai AFTER INSERT ON articles
        WHEN new.embedding IS NOT NULL BEGIN
            INSERT INTO embedding_log(article_rowid) VALUES (new.rowid);
        END;
        CREATE TRIGGER embedding_log_au AFTER UPDATE OF embedding, embedding_model, embedding_dim
        ON articles BEGIN
            INSERT INTO embedding_log(article_rowid) VALUES (old.rowid);
            INSERT INTO embedding_log(article_rowid)
            SELECT new.rowid WHERE new.rowid != old.rowid;
        END;
        CREATE TRIGGER embedding_log_ad AFTER DELETE ON articles
        WHEN old.embedding IS NOT NULL BEGIN
            INSERT INTO embedding_log(article_rowid) VALUES (old.rowid);
        END;
        CREATE TABLE store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO store_info(key, value) VALUES ('store_id', lower(hex(randomblob(16))));
        """,
    )


def m004_entities(conn: sqlite3.Connection) -> None:
    """Canonical entities, their variants, every resolved mention with its rule, and user decisions.

    ``entities``, ``entity_variants`` and ``entity_mentions`` are rebuilt whenever the
    mentions are re-resolved; ``entity_decisions`` is only ever written by a user, so
    merges and splits survive re-processing (they name variants, not ids).
    """
    execute_script(
        conn,
        """
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            mentions INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX entities_name ON entities(name);
        CREATE TABLE entity_variants (
            entity_id TEXT NOT NULL,
            name TEXT NOT NULL,
            lang TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (entity_id, name, lang)
        );
        CREATE TABLE entity_mentions (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            lang TEXT NOT NULL DEFAULT 'und',
            entity_id TEXT,
            role TEXT,
            rule TEXT,
            evidence TEXT
        );
        CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id);
        CREATE INDEX entity_mentions_article ON entity_mentions(article_id);
        CREATE TABLE entity_decisions (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
            anchor TEXT NOT NULL,
            anchor_lang TEXT NOT NULL,
            other TEXT NOT NULL,
            other_lang TEXT NOT NULL,
            entity_id TEXT NOT NULL DEFAULT '',
            other_id TEXT NOT NULL DEFAULT '',
            made_at TEXT NOT NULL
        );
        """,
    )


def m005_entity_page_indexes(conn: sqlite3.Connection) -> None:
    """Covering indexes for entity pages: an entity's articles, and each article's entities.

    Entity pages count an entity's mentions per language and its articles, and find
    the entities that share those articles. ``(entity_id, article_id, lang)`` answers
    the first from the index alone, ``(article_id, entity_id)`` the second, so a page
    reads index pages only, never the mention rows (EXPLAIN QUERY PLAN in
    tests/db/test_entity_pages.py). They make the single-column indexes of
    ``004_entities`` redundant (each is a prefix), so those go.
    """
    execute_script(
        conn,
        """
        CREATE INDEX entity_mentions_entity_article ON entity_mentions(entity_id, article_id, lang);
        CREATE INDEX entity_mentions_article_entity ON entity_mentions(article_id, entity_id);
        DROP INDEX entity_mentions_entity;
        DROP INDEX entity_mentions_article;
        """,
    )


def m006_watchlists_and_tokens(conn: sqlite3.Connection) -> None:
    """The web's own state: watchlists (a saved entity or query) and hashed API tokens.

    ``seen_rowid`` is the highest article rowid the user has marked as seen: later
    matches are new. Tokens are stored as SHA-256 digests only (a token is 32
    random bytes, so no salt or slow hash is needed); the token itself is shown
    once, when ``serve`` creates it.
    """
    execute_script(
        conn,
        """
        CREATE TABLE watchlists (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('entity', 'query')),
            target TEXT NOT NULL,
            lang TEXT,
            created_at TEXT NOT NULL,
            seen_rowid INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            digest TEXT NOT NULL UNIQUE,
            label TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        """,
    )


_QUOTE_ROWS = """
    INSERT INTO quotes (article_id, position, text, type, lang, speaker_name, speaker_entity,
                        cue, day)
    SELECT {a}.id, q.key, json_extract(q.value, '$.text'), json_extract(q.value, '$.type'),
           coalesce(json_extract(q.value, '$.language'), {a}.lang),
           json_extract(q.value, '$.speaker_name'), json_extract(q.value, '$.speaker_entity'),
           json_extract(q.value, '$.cue'),
           substr(coalesce({a}.published_at, {a}.ingested_at), 1, 10)
    FROM {source}json_each({a}.quotes) AS q
    WHERE json_extract(q.value, '$.text') IS NOT NULL
"""


def m008_quotes(conn: sqlite3.Connection) -> None:
    """Every stored quote as a row, with a full-text index, for quote search and quote pages.

    The rows are the articles' ``quotes`` JSON, kept in step by triggers (insert, update
    of quotes or dates, delete), so no writer has to know the table exists. ``day`` is
    the article's day as `entity_pages.ARTICLE_DAY` counts it. An entity's quotes are
    found through ``entity_mentions`` by (article, speaker name) — ``quotes_speaker`` —
    so a re-resolution never leaves stale entity ids here; ``quotes_day`` serves
    "newest first", ``quotes_lang_day`` the newest quotes of one language.
    """
    execute_script(
        conn,
        f"""
        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            lang TEXT NOT NULL DEFAULT 'und',
            speaker_name TEXT,
            speaker_entity TEXT,
            cue TEXT,
            day TEXT NOT NULL,
            UNIQUE (article_id, position)
        );
        CREATE INDEX quotes_day ON quotes(day, id);
        CREATE INDEX quotes_speaker ON quotes(article_id, speaker_name);
        CREATE INDEX quotes_entity ON quotes(speaker_entity, day);
        CREATE INDEX quotes_lang_day ON quotes(lang, day);
        CREATE VIRTUAL TABLE quotes_fts USING fts5(
            text, speaker_name, content='quotes', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
            INSERT INTO quotes_fts(rowid, text, speaker_name)
            VALUES (new.id, new.text, new.speaker_name);
        END;
        CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
            INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker_name)
            VALUES ('delete', old.id, old.text, old.speaker_name);
        END;
        CREATE TRIGGER articles_quotes_ai AFTER INSERT ON articles BEGIN
            {_QUOTE_ROWS.format(a="new", source="")};
        END;
        CREATE TRIGGER articles_quotes_au AFTER UPDATE OF quotes, published_at, lang ON articles
        BEGIN
            DELETE FROM quotes WHERE article_id = old.id;
            {_QUOTE_ROWS.format(a="new", source="")};
        END;
        CREATE TRIGGER articles_quotes_ad AFTER DELETE ON articles BEGIN
            DELETE FROM quotes WHERE article_id = old.id;
        END;
        {_QUOTE_ROWS.format(a="articles", source="articles, ")};
        """,
    )


def m009_stories(conn: sqlite3.Connection) -> None:
    """Stories, their user decisions, and the statistics the clusterer keeps between runs.

    ``stories`` holds each story's state (centroid = sum of the members' centred
    vectors, float32; a few member vectors; the member count of its most shared
    evidence keys) beside what pages show (label, headlines, languages, top
    entities, span, thread); members are the articles whose ``story_id`` names it.
    ``story_counted`` marks articles already counted in ``story_key_stats`` and
    ``story_language_stats`` (IDF and language means), so a re-clustered article is
    not counted twice. ``story_decisions`` are written only by users (merge/split
    name articles, never story ids, so they survive re-clustering).
    """
    execute_script(
        conn,
        """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL DEFAULT '',
            thread_id TEXT NOT NULL,
            size INTEGER NOT NULL,
            first_day REAL,
            last_day REAL,
            languages TEXT NOT NULL DEFAULT '{}',
            headlines TEXT NOT NULL DEFAULT '{}',
            top_entities TEXT NOT NULL DEFAULT '[]',
            keys TEXT NOT NULL DEFAULT '{}',
            centroid BLOB NOT NULL,
            member_vectors BLOB NOT NULL,
            member_langs TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL
        );
        CREATE INDEX stories_last_day ON stories(last_day);
        CREATE INDEX stories_thread ON stories(thread_id, first_day);
        CREATE INDEX articles_story ON articles(story_id);
        ALTER TABLE articles ADD COLUMN story_counted INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE story_decisions (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
            moved TEXT NOT NULL,
            kept TEXT NOT NULL DEFAULT '[]',
            made_at TEXT NOT NULL
        );
        CREATE TABLE story_key_stats (key TEXT PRIMARY KEY, df INTEGER NOT NULL);
        CREATE TABLE story_language_stats (
            lang TEXT PRIMARY KEY,
            n INTEGER NOT NULL,
            vector_sum BLOB NOT NULL
        );
        """,
    )


def m010_front_page_index(conn: sqlite3.Connection) -> None:
    """An index on the day an article counts on, with its story, language and source.

    The front page counts each story's articles in a window of days; with this
    index it reads the window's slice only, and covers everything it counts
    (``db.story_views``). The expression is `entity_pages.ARTICLE_DAY`'s (without
    the table alias): SQLite uses an expression index only for the same expression.
    """
    execute_script(
        conn,
        """
        CREATE INDEX articles_day_story ON articles(
            substr(coalesce(published_at, ingested_at), 1, 10), story_id, lang, source);
        """,
    )


def m011_entity_resolver_state(conn: sqlite3.Connection) -> None:
    """The entity resolver's stored state, so after-ingest resolution links only new mentions.

    What each table holds is in `db.resolver_state`. ``resolver_keys`` is read by key
    in the order added (the index ``(key, seq, entity)`` gives a key's first ids in order
    from the index alone, no sort), ``resolver_context`` by pair (smaller number first),
    ``resolver_variants`` by entity in first-seen order. Stores resolved before this
    migration have no state yet: their next resolution replays every mention once
    and writes it.
    """
    execute_script(
        conn,
        """
        CREATE TABLE resolver_entities (
            num INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            type TEXT NOT NULL
        );
        CREATE TABLE resolver_variants (
            seq INTEGER PRIMARY KEY,
            entity INTEGER NOT NULL,
            name TEXT NOT NULL,
            lang TEXT NOT NULL,
            count INTEGER NOT NULL,
            UNIQUE (entity, name, lang)
        );
        CREATE TABLE resolver_keys (
            seq INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            entity INTEGER NOT NULL
        );
        CREATE INDEX resolver_keys_key ON resolver_keys(key, seq, entity);
        CREATE TABLE resolver_context (
            a INTEGER NOT NULL,
            b INTEGER NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (a, b)
        ) WITHOUT ROWID;
        CREATE TABLE resolver_splits (decision INTEGER PRIMARY KEY, entity TEXT NOT NULL);
        CREATE TABLE resolver_merges (
            gone TEXT PRIMARY KEY,
            keep TEXT NOT NULL,
            decision INTEGER NOT NULL
        );
        """,
    )


def m012_ingest_resume(conn: sqlite3.Connection) -> None:
    """The inputs ingest has finished with, by a hash of what the source delivered, and
    failures found by their input.

    Why: an ingest killed half-way and run again skips what it had stored (issue 9,
    crash safety) instead of running every stage again only to find a duplicate;
    with NER and embed that is most of the cost. A row is written in the same
    transaction as the last article made from that input, so an input is either
    wholly stored and skipped, or read again. An input that failed is read again
    and fails again: the index lets the store replace that failure's row instead
    of keeping it twice.
    """
    execute_script(
        conn,
        """
        CREATE TABLE ingested_sources (
            source_key TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX ingest_failures_input ON ingest_failures(input_ref);
        """,
    )


STORY_HOUR = "substr(coalesce({row}.published_at, {row}.ingested_at), 1, 13)"
"""The hour an article counts on in a story's timeline (`story_views.story_timeline`)."""


def m013_story_page_counts(conn: sqlite3.Connection) -> None:
    """Articles per story, hour and language, kept by triggers; an index of each story's members.

    A story page drew its timeline by grouping all of a story's articles (9 ms for
    a story of 1,200 articles in a 1M-article store, reading every member row);
    ``story_hours`` holds those counts, so the timeline reads one slice of a small
    table. Triggers keep it right for every way an article enters, leaves or moves
    between stories (insert, delete, an update of its story, time or language).
    ``articles_story_members`` (story, language, time, then what the member list
    shows) lists a story's first articles per language in time order and finds its
    quotes from the index alone, never reading article rows (2.4 against 4.6-7 ms for
    the 300 members a big story lists, cold); it costs about 300 bytes per article
    (300 MB at 1M) and replaces ``articles_story`` of ``009_stories`` (its prefix).
    A thread's stories in order come from ``stories_thread_order`` alone (it replaces
    ``stories_thread``), not from story rows that carry centroids and member vectors.
    """
    old, new = STORY_HOUR.format(row="old"), STORY_HOUR.format(row="new")
    execute_script(
        conn,
        f"""
        CREATE TABLE story_hours (
            story_id TEXT NOT NULL,
            hour TEXT NOT NULL,
            lang TEXT NOT NULL,
            articles INTEGER NOT NULL,
            PRIMARY KEY (story_id, hour, lang)
        ) WITHOUT ROWID;
        INSERT INTO story_hours (story_id, hour, lang, articles)
            SELECT story_id, {STORY_HOUR.format(row="articles")}, lang, count(*) FROM articles
            WHERE story_id IS NOT NULL GROUP BY 1, 2, 3;
        CREATE TRIGGER articles_story_hours_ai AFTER INSERT ON articles
        WHEN new.story_id IS NOT NULL BEGIN
            INSERT INTO story_hours (story_id, hour, lang, articles)
                VALUES (new.story_id, {new}, new.lang, 1)
                ON CONFLICT DO UPDATE SET articles = articles + 1;
        END;
        CREATE TRIGGER articles_story_hours_ad AFTER DELETE ON articles
        WHEN old.story_id IS NOT NULL BEGIN
            UPDATE story_hours SET articles = articles - 1
                WHERE story_id = old.story_id AND hour = {old} AND lang = old.lang;
            DELETE FROM story_hours WHERE story_id = old.story_id AND hour = {old}
                AND lang = old.lang AND articles <= 0;
        END;
        CREATE TRIGGER articles_story_hours_au
        AFTER UPDATE OF story_id, published_at, ingested_at, lang ON articles
        WHEN old.story_id IS NOT new.story_id OR old.lang IS NOT new.lang OR {old} IS NOT {new}
        BEGIN
            UPDATE story_hours SET articles = articles - 1
                WHERE story_id = old.story_id AND hour = {old} AND lang = old.lang;
            DELETE FROM story_hours WHERE story_id = old.story_id AND hour = {old}
                AND lang = old.lang AND articles <= 0;
            INSERT INTO story_hours (story_id, hour, lang, articles)
                SELECT new.story_id, {new}, new.lang, 1 WHERE new.story_id IS NOT NULL
                ON CONFLICT DO UPDATE SET articles = articles + 1;
        END;
        CREATE INDEX articles_story_members ON articles(
            story_id, lang, coalesce(published_at, ingested_at), id, title, source,
            published_at, ingested_at);
        DROP INDEX articles_story;
        CREATE INDEX stories_thread_order ON stories(thread_id, first_day, id);
        DROP INDEX stories_thread;
        """,
    )


def m014_entity_day_counts(conn: sqlite3.Connection) -> None:
    """Per-entity counts for entity pages (days, stories, languages, articles, pairs), kept by
    triggers on ``entity_mentions`` and ``articles``; see `db.entity_counts` for why and how."""
    execute_script(conn, entity_counts.sqlite_script())


MIGRATIONS: tuple[NamedMigration, ...] = (
    NamedMigration("001_articles", m001_articles, pg.M001_ARTICLES),
    NamedMigration("002_embeddings", m002_embeddings, pg.M002_EMBEDDINGS),
    NamedMigration("003_embedding_log", m003_embedding_log, pg.M003_STORE_INFO),
    NamedMigration("004_entities", m004_entities, pg.M004_ENTITIES),
    NamedMigration("005_entity_page_indexes", m005_entity_page_indexes,
                   pg.M005_ENTITY_PAGE_INDEXES),
    NamedMigration("006_watchlists_and_tokens", m006_watchlists_and_tokens,
                   pg.M006_WATCHLISTS_AND_TOKENS),
    NamedMigration("008_quotes", m008_quotes, pg.M008_QUOTES),
    NamedMigration("009_stories", m009_stories, pg.M009_STORIES),
    NamedMigration("010_front_page_index", m010_front_page_index, pg.M010_FRONT_PAGE_INDEX),
    NamedMigration("011_entity_resolver_state", m011_entity_resolver_state,
                   pg.M011_ENTITY_RESOLVER_STATE),
    NamedMigration("012_ingest_resume", m012_ingest_resume, pg.M012_INGEST_RESUME),
    NamedMigration("013_story_page_counts", m013_story_page_counts, pg.M013_STORY_PAGE_COUNTS),
    NamedMigration("014_entity_day_counts", m014_entity_day_counts,
                   pg_entity_counts.postgres_script()),
)


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet recorded; return the names applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied = []
    for name, migration, _ in MIGRATIONS:
        if name in done:
            continue
        # IMMEDIATE, then look again: another process (serve and ingest started together)
        # may have applied it since `done` was read; a plain BEGIN let both run the DDL
        # and the second failed with "table ... already exists" (issue 9).
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                conn.execute("COMMIT")
                continue
            migration(conn)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat()),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
