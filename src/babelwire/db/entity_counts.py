"""Per-entity counts for entity pages, kept by triggers (migration ``014_entity_day_counts``).

Why: an entity page grouped all of the entity's mentions on every request; for
the hottest entity of a 1M-article store (240,742 mentions) the timeline, the
stories, the co-occurring entities and the newest articles took 350-570 ms of
CPU each (docs/issues/issue-7-progress.md). These tables hold the answers of
those GROUP BYs, so a page reads a slice of a few hundred rows:

- ``entity_days`` (entity, day → mentions, articles): the timeline, and the
  newest days, from which the newest articles are read through the day index.
- ``entity_stories`` (entity, story → articles): the stories list, and
  ``entity_story_sources`` (entity, story, source → articles): its sources.
- ``entity_langs`` (entity, mention language → mentions, articles).
- ``entity_article_counts`` (entity → articles).
- ``entity_pairs`` (entity, other → shared articles), both directions.

Each count means exactly what the query it replaces computed: ``entity_days``,
``entity_stories`` and ``entity_story_sources`` count only mentions whose article
is stored (those queries joined ``articles``); the other three count every
linked mention (those did not).

One set of statements serves both backends (the SQL is written in their common
dialect: conflict targets named, columns qualified in upserts, ``CASE`` for
booleans): SQLite wraps them in ``CREATE TRIGGER`` bodies, PostgreSQL in plpgsql
functions (`db.postgres.entity_counts`). Every write of a mention (insert,
delete, a change of its entity, article or language) is "remove the old row,
add the new one", each judged against the *other* rows (``id != row.id``), so
an update is exactly a delete followed by an insert.
"""

from __future__ import annotations

DAY = "substr(coalesce({a}.published_at, {a}.ingested_at), 1, 10)"
"""`entity_pages.ARTICLE_DAY` for the article row ``{a}``."""

TABLES = """
CREATE TABLE entity_days (
    entity_id TEXT NOT NULL, day TEXT NOT NULL,
    mentions INTEGER NOT NULL, articles INTEGER NOT NULL,
    PRIMARY KEY (entity_id, day)){without_rowid};
CREATE TABLE entity_stories (
    entity_id TEXT NOT NULL, story_id TEXT NOT NULL, articles INTEGER NOT NULL,
    PRIMARY KEY (entity_id, story_id)){without_rowid};
CREATE TABLE entity_story_sources (
    entity_id TEXT NOT NULL, story_id TEXT NOT NULL, source TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (entity_id, story_id, source)){without_rowid};
CREATE TABLE entity_langs (
    entity_id TEXT NOT NULL, lang TEXT NOT NULL,
    mentions INTEGER NOT NULL, articles INTEGER NOT NULL,
    PRIMARY KEY (entity_id, lang)){without_rowid};
CREATE TABLE entity_article_counts (
    entity_id TEXT NOT NULL PRIMARY KEY, articles INTEGER NOT NULL){without_rowid};
CREATE TABLE entity_pairs (
    entity_id TEXT NOT NULL, other_id TEXT NOT NULL, shared INTEGER NOT NULL,
    PRIMARY KEY (entity_id, other_id)){without_rowid};
"""

BACKFILL = f"""
INSERT INTO entity_days (entity_id, day, mentions, articles)
    SELECT m.entity_id, {DAY.format(a="a")}, sum(m.n), count(*) FROM
    (SELECT entity_id, article_id, count(*) AS n FROM entity_mentions
     WHERE entity_id IS NOT NULL GROUP BY entity_id, article_id) m
    JOIN articles a ON a.id = m.article_id GROUP BY 1, 2;
INSERT INTO entity_stories (entity_id, story_id, articles)
    SELECT m.entity_id, a.story_id, count(*) FROM
    (SELECT DISTINCT entity_id, article_id FROM entity_mentions WHERE entity_id IS NOT NULL) m
    JOIN articles a ON a.id = m.article_id WHERE a.story_id IS NOT NULL GROUP BY 1, 2;
INSERT INTO entity_story_sources (entity_id, story_id, source, articles)
    SELECT m.entity_id, a.story_id, a.source, count(*) FROM
    (SELECT DISTINCT entity_id, article_id FROM entity_mentions WHERE entity_id IS NOT NULL) m
    JOIN articles a ON a.id = m.article_id WHERE a.story_id IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO entity_langs (entity_id, lang, mentions, articles)
    SELECT entity_id, lang, count(*), count(DISTINCT article_id) FROM entity_mentions
    WHERE entity_id IS NOT NULL GROUP BY 1, 2;
INSERT INTO entity_article_counts (entity_id, articles)
    SELECT entity_id, count(DISTINCT article_id) FROM entity_mentions
    WHERE entity_id IS NOT NULL GROUP BY 1;
INSERT INTO entity_pairs (entity_id, other_id, shared)
    SELECT x.entity_id, y.entity_id, count(*) FROM
    (SELECT DISTINCT entity_id, article_id FROM entity_mentions WHERE entity_id IS NOT NULL) x
    JOIN (SELECT DISTINCT entity_id, article_id FROM entity_mentions
          WHERE entity_id IS NOT NULL) y
    ON y.article_id = x.article_id AND y.entity_id != x.entity_id GROUP BY 1, 2;
"""
"""The counts of the mentions stored before the triggers existed (one GROUP BY each)."""


def _alone(r: str, *, lang: bool = False) -> str:
    """1 if no *other* mention row links ``{r}``'s entity in its article (and language)."""
    same_lang = f" AND lang = {r}.lang" if lang else ""
    return (f"CASE WHEN NOT EXISTS (SELECT 1 FROM entity_mentions WHERE entity_id = {r}.entity_id"
            f" AND article_id = {r}.article_id{same_lang} AND id != {r}.id) THEN 1 ELSE 0 END")


def _others(r: str) -> str:
    """The other entities linked in ``{r}``'s article (by other mention rows)."""
    return (f"SELECT DISTINCT entity_id FROM entity_mentions WHERE article_id = {r}.article_id"
            f" AND entity_id IS NOT NULL AND entity_id != {r}.entity_id AND id != {r}.id")


def add_mention(r: str) -> list[str]:
    """Statements that count mention row ``{r}`` (whose entity is not NULL) in."""
    alone, day = _alone(r), DAY.format(a="a")
    return [
        f"INSERT INTO entity_langs (entity_id, lang, mentions, articles)"
        f" SELECT {r}.entity_id, {r}.lang, 1, {_alone(r, lang=True)} WHERE 1 = 1"
        " ON CONFLICT (entity_id, lang) DO UPDATE SET mentions = entity_langs.mentions + 1,"
        " articles = entity_langs.articles + excluded.articles",
        f"INSERT INTO entity_article_counts (entity_id, articles) SELECT {r}.entity_id, 1"
        f" WHERE {alone} = 1 ON CONFLICT (entity_id) DO UPDATE"
        " SET articles = entity_article_counts.articles + 1",
        f"INSERT INTO entity_days (entity_id, day, mentions, articles)"
        f" SELECT {r}.entity_id, {day}, 1, {alone} FROM articles a WHERE a.id = {r}.article_id"
        " ON CONFLICT (entity_id, day) DO UPDATE SET mentions = entity_days.mentions + 1,"
        " articles = entity_days.articles + excluded.articles",
        f"INSERT INTO entity_stories (entity_id, story_id, articles)"
        f" SELECT {r}.entity_id, a.story_id, 1 FROM articles a WHERE a.id = {r}.article_id"
        f" AND a.story_id IS NOT NULL AND {alone} = 1 ON CONFLICT (entity_id, story_id)"
        " DO UPDATE SET articles = entity_stories.articles + 1",
        f"INSERT INTO entity_story_sources (entity_id, story_id, source, articles)"
        f" SELECT {r}.entity_id, a.story_id, a.source, 1 FROM articles a"
        f" WHERE a.id = {r}.article_id AND a.story_id IS NOT NULL AND {alone} = 1"
        " ON CONFLICT (entity_id, story_id, source)"
        " DO UPDATE SET articles = entity_story_sources.articles + 1",
        f"INSERT INTO entity_pairs (entity_id, other_id, shared)"
        f" SELECT {r}.entity_id, o.entity_id, 1 FROM ({_others(r)}) o WHERE {alone} = 1"
        " ON CONFLICT (entity_id, other_id) DO UPDATE SET shared = entity_pairs.shared + 1",
        f"INSERT INTO entity_pairs (entity_id, other_id, shared)"
        f" SELECT o.entity_id, {r}.entity_id, 1 FROM ({_others(r)}) o WHERE {alone} = 1"
        " ON CONFLICT (entity_id, other_id) DO UPDATE SET shared = entity_pairs.shared + 1",
    ]


def remove_mention(r: str) -> list[str]:
    """Statements that count mention row ``{r}`` (whose entity is not NULL) out."""
    alone, day = _alone(r), DAY.format(a="a")
    article_day = f"(SELECT {day} FROM articles a WHERE a.id = {r}.article_id)"
    article_story = f"(SELECT a.story_id FROM articles a WHERE a.id = {r}.article_id)"
    article_source = f"(SELECT a.source FROM articles a WHERE a.id = {r}.article_id)"
    story_source = (f"entity_id = {r}.entity_id AND story_id = {article_story}"
                    f" AND source = {article_source}")
    return [
        f"UPDATE entity_langs SET mentions = mentions - 1,"
        f" articles = articles - {_alone(r, lang=True)}"
        f" WHERE entity_id = {r}.entity_id AND lang = {r}.lang",
        f"DELETE FROM entity_langs WHERE entity_id = {r}.entity_id AND lang = {r}.lang"
        " AND mentions <= 0",
        f"UPDATE entity_article_counts SET articles = articles - 1"
        f" WHERE entity_id = {r}.entity_id AND {alone} = 1",
        f"DELETE FROM entity_article_counts WHERE entity_id = {r}.entity_id AND articles <= 0",
        f"UPDATE entity_days SET mentions = mentions - 1, articles = articles - {alone}"
        f" WHERE entity_id = {r}.entity_id AND day = {article_day}",
        f"DELETE FROM entity_days WHERE entity_id = {r}.entity_id AND day = {article_day}"
        " AND mentions <= 0",
        f"UPDATE entity_stories SET articles = articles - 1"
        f" WHERE entity_id = {r}.entity_id AND story_id = {article_story} AND {alone} = 1",
        f"DELETE FROM entity_stories WHERE entity_id = {r}.entity_id"
        f" AND story_id = {article_story} AND articles <= 0",
        f"UPDATE entity_story_sources SET articles = articles - 1 WHERE {story_source}"
        f" AND {alone} = 1",
        f"DELETE FROM entity_story_sources WHERE {story_source} AND articles <= 0",
        f"UPDATE entity_pairs SET shared = shared - 1 WHERE entity_id = {r}.entity_id"
        f" AND other_id IN ({_others(r)}) AND {alone} = 1",
        f"UPDATE entity_pairs SET shared = shared - 1 WHERE other_id = {r}.entity_id"
        f" AND entity_id IN ({_others(r)}) AND {alone} = 1",
        f"DELETE FROM entity_pairs WHERE entity_id = {r}.entity_id AND shared <= 0",
        f"DELETE FROM entity_pairs WHERE other_id = {r}.entity_id"
        f" AND entity_id IN ({_others(r)}) AND shared <= 0",
    ]


def _article_entities(r: str) -> str:
    return (f"SELECT entity_id FROM entity_mentions WHERE article_id = {r}.id"
            " AND entity_id IS NOT NULL")


def add_article(r: str) -> list[str]:
    """Statements that count the linked mentions of article row ``{r}`` into its day and story."""
    return [
        f"INSERT INTO entity_days (entity_id, day, mentions, articles)"
        f" SELECT entity_id, {DAY.format(a=r)}, count(*), 1 FROM entity_mentions"
        f" WHERE article_id = {r}.id AND entity_id IS NOT NULL GROUP BY entity_id"
        " ON CONFLICT (entity_id, day) DO UPDATE"
        " SET mentions = entity_days.mentions + excluded.mentions,"
        " articles = entity_days.articles + 1",
        f"INSERT INTO entity_stories (entity_id, story_id, articles)"
        f" SELECT DISTINCT entity_id, {r}.story_id, 1 FROM entity_mentions"
        f" WHERE article_id = {r}.id AND entity_id IS NOT NULL AND {r}.story_id IS NOT NULL"
        " ON CONFLICT (entity_id, story_id) DO UPDATE"
        " SET articles = entity_stories.articles + 1",
        f"INSERT INTO entity_story_sources (entity_id, story_id, source, articles)"
        f" SELECT DISTINCT entity_id, {r}.story_id, {r}.source, 1 FROM entity_mentions"
        f" WHERE article_id = {r}.id AND entity_id IS NOT NULL AND {r}.story_id IS NOT NULL"
        " ON CONFLICT (entity_id, story_id, source) DO UPDATE"
        " SET articles = entity_story_sources.articles + 1",
    ]


def remove_article(r: str) -> list[str]:
    """Statements that count the linked mentions of article row ``{r}`` out of its day and story."""
    day = DAY.format(a=r)
    return [
        f"UPDATE entity_days SET articles = articles - 1, mentions = mentions -"
        f" (SELECT count(*) FROM entity_mentions m WHERE m.article_id = {r}.id"
        f" AND m.entity_id = entity_days.entity_id)"
        f" WHERE day = {day} AND entity_id IN ({_article_entities(r)})",
        f"DELETE FROM entity_days WHERE day = {day} AND entity_id IN ({_article_entities(r)})"
        " AND mentions <= 0",
        f"UPDATE entity_stories SET articles = articles - 1 WHERE story_id = {r}.story_id"
        f" AND entity_id IN ({_article_entities(r)})",
        f"DELETE FROM entity_stories WHERE story_id = {r}.story_id"
        f" AND entity_id IN ({_article_entities(r)}) AND articles <= 0",
        f"UPDATE entity_story_sources SET articles = articles - 1 WHERE story_id = {r}.story_id"
        f" AND source = {r}.source AND entity_id IN ({_article_entities(r)})",
        f"DELETE FROM entity_story_sources WHERE story_id = {r}.story_id"
        f" AND source = {r}.source AND entity_id IN ({_article_entities(r)}) AND articles <= 0",
    ]


MENTION_MOVED = ("old.entity_id IS NOT new.entity_id OR old.article_id IS NOT new.article_id"
                 " OR old.lang IS NOT new.lang")
"""When an updated mention row counts elsewhere (SQLite's ``IS NOT``: NULL-safe)."""

ARTICLE_MOVED = (f"old.id IS NOT new.id OR old.story_id IS NOT new.story_id"
                 f" OR old.source IS NOT new.source"
                 f" OR {DAY.format(a='old')} IS NOT {DAY.format(a='new')}")
"""When an updated article row's mentions count on another day or story."""


def _trigger(name: str, event: str, when: str, statements: list[str]) -> str:
    body = "".join(f"    {s};\n" for s in statements)
    return f"CREATE TRIGGER {name} {event}\nWHEN {when} BEGIN\n{body}END;\n"


def sqlite_script() -> str:
    """The SQLite form of migration ``014_entity_day_counts``: tables, backfill, triggers."""
    mention_update = "AFTER UPDATE OF entity_id, article_id, lang ON entity_mentions"
    update_when = f"({MENTION_MOVED})"
    return (TABLES.format(without_rowid=" WITHOUT ROWID") + BACKFILL
            + _trigger("entity_mentions_counts_ai", "AFTER INSERT ON entity_mentions",
                       "new.entity_id IS NOT NULL", add_mention("new"))
            + _trigger("entity_mentions_counts_ad", "AFTER DELETE ON entity_mentions",
                       "old.entity_id IS NOT NULL", remove_mention("old"))
            + _trigger("entity_mentions_counts_au_old", mention_update,
                       f"{update_when} AND old.entity_id IS NOT NULL", remove_mention("old"))
            + _trigger("entity_mentions_counts_au_new", mention_update,
                       f"{update_when} AND new.entity_id IS NOT NULL", add_mention("new"))
            + _trigger("articles_entity_counts_ai", "AFTER INSERT ON articles", "1",
                       add_article("new"))
            + _trigger("articles_entity_counts_ad", "AFTER DELETE ON articles", "1",
                       remove_article("old"))
            + _trigger("articles_entity_counts_au", "AFTER UPDATE OF id, published_at,"
                       " ingested_at, story_id, source ON articles",
                       f"({ARTICLE_MOVED})", remove_article("old") + add_article("new")))
