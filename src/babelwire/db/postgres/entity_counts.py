"""Migration ``014_entity_day_counts`` on PostgreSQL: the statements of `db.entity_counts`
in plpgsql trigger functions.

Why BEFORE and not AFTER row triggers (SQLite's are AFTER): each statement judges a
row against the *other* rows, so it must see the table as it is between two rows
of one multi-row write (``DELETE FROM entity_mentions`` of a re-resolution).
PostgreSQL runs AFTER row triggers once the whole statement is done, when every
row is already gone; a BEFORE row trigger sees the rows processed before it and
its own row still unchanged, which is what the statements assume.
"""

from __future__ import annotations

from ..entity_counts import (
    BACKFILL,
    DAY,
    TABLES,
    add_article,
    add_mention,
    remove_article,
    remove_mention,
)


def _block(statements: list[str], indent: str = "        ") -> str:
    return "".join(f"{indent}{s};\n" for s in statements)


def _mention_function() -> str:
    moved = ("OLD.entity_id IS DISTINCT FROM NEW.entity_id"
             " OR OLD.article_id IS DISTINCT FROM NEW.article_id"
             " OR OLD.lang IS DISTINCT FROM NEW.lang")
    return f"""
CREATE FUNCTION babelwire_entity_mention_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NOT ({moved}) THEN
        RETURN NEW;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.entity_id IS NOT NULL THEN
{_block(remove_mention("OLD"))}    END IF;
    IF TG_OP <> 'DELETE' AND NEW.entity_id IS NOT NULL THEN
{_block(add_mention("NEW"))}    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER entity_mentions_counts BEFORE INSERT OR DELETE OR UPDATE OF entity_id,
    article_id, lang ON entity_mentions FOR EACH ROW
    EXECUTE FUNCTION babelwire_entity_mention_counts();
"""


def _article_function() -> str:
    moved = (f"OLD.id IS DISTINCT FROM NEW.id OR OLD.story_id IS DISTINCT FROM NEW.story_id"
             f" OR OLD.source IS DISTINCT FROM NEW.source"
             f" OR {DAY.format(a='OLD')} IS DISTINCT FROM {DAY.format(a='NEW')}")
    return f"""
CREATE FUNCTION babelwire_article_entity_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NOT ({moved}) THEN
        RETURN NEW;
    END IF;
    IF TG_OP <> 'INSERT' THEN
{_block(remove_article("OLD"))}    END IF;
    IF TG_OP <> 'DELETE' THEN
{_block(add_article("NEW"))}    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER articles_entity_counts BEFORE INSERT OR DELETE OR UPDATE OF id, published_at,
    ingested_at, story_id, source ON articles FOR EACH ROW
    EXECUTE FUNCTION babelwire_article_entity_counts();
"""


def postgres_script() -> str:
    """Tables, backfill and triggers of migration ``014_entity_day_counts`` for PostgreSQL."""
    return TABLES.format(without_rowid="") + BACKFILL + _mention_function() + _article_function()
