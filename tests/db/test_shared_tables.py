"""Entity resolution and story clustering give the same outcome on SQLite and PostgreSQL.

Both stores run the one SQL of `db.shared_sql` (issue 8). The sample corpus is
ingested into each store in two runs (so the second run continues the stored
resolver state and loads stored stories) with deterministic NER and embedding
fakes, and every table those steps write, and the export, must come out equal.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from babelwire import Article, Database, ErrorPolicy, Pipeline, Settings
from babelwire.assembly import story_catalog
from babelwire.db import entity_tables
from babelwire.db.shared_sql import TableStore
from babelwire.entities.catalog import EntityCatalog, ResolveAfterIngest
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, Mention
from babelwire.export import write_jsonl
from babelwire.ingest import IngestOptions, Ingestor
from babelwire.record import Entity
from babelwire.samples import sample_paths
from babelwire.stages.language import LanguageStage
from babelwire.stories.catalog import ClusterAfterIngest

from ..entities.conftest import gazetteer  # noqa: F401  (fixture)

DIM = 384  # multilingual-e5-small's: the dimension PostgreSQL's HNSW index covers
LINES_PER_FILE = 30
_NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]+(?: [A-ZÀ-ÖØ-Þ][\w'’-]+)*")


@dataclass
class CapitalisedNames:
    """A deterministic NER stage: runs of capitalised words, typed by their shape."""

    name: str = "ner"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("entities",)

    def __call__(self, article: Article) -> Article:
        found = []
        for match in _NAME.finditer(article.text):
            words = match.group().split()
            kind = "ORG" if match.group().isupper() else "PER" if len(words) == 2 else "LOC"
            found.append(Entity(id="", name=match.group(), type=kind, mention=match.group(),
                                spans=((match.start(), match.end()),)))
        article.entities = found
        return article


@dataclass
class WordHashEmbedder:
    """A deterministic embed stage: the normalised sum of one fixed vector per title word."""

    name: str = "embed"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("embedding",)

    def __call__(self, article: Article) -> Article:
        words = re.findall(r"\w+", f"{article.title} {article.text[:300]}".lower()) or ["∅"]
        total = np.zeros(DIM)
        for word in words:
            seed = int.from_bytes(hashlib.sha1(word.encode()).digest()[:4], "little")
            total += np.random.default_rng(seed).standard_normal(DIM)
        article.embedding = (total / np.linalg.norm(total)).astype(np.float32).tolist()
        return article


def _corpus(tmp_path: Path) -> list[list[str]]:
    """The sample files cut to their first lines, as two ingest runs (halves of each file)."""
    runs: list[list[str]] = [[], []]
    for path in sample_paths():
        lines = path.read_text(encoding="utf-8").splitlines()[:LINES_PER_FILE]
        for half, part in enumerate((lines[:LINES_PER_FILE // 2], lines[LINES_PER_FILE // 2:])):
            cut = tmp_path / f"{half}-{path.name}"
            cut.write_text("\n".join(part) + "\n", encoding="utf-8")
            runs[half].append(str(cut))
    return runs


def _ingest(store: Any, runs: list[list[str]], places: Gazetteer) -> list[dict[str, Any]]:
    pipeline = Pipeline([LanguageStage(), CapitalisedNames(), WordHashEmbedder()],
                        policy=ErrorPolicy.RAISE)
    steps = [ResolveAfterIngest(EntityCatalog(store, gazetteer=places)),
             ClusterAfterIngest(story_catalog(store, Settings(), gazetteer=places))]
    reports = []
    for refs in runs:
        report = Ingestor(store, pipeline, IngestOptions(), after=steps).ingest(refs)
        reports.append({"inserted": report.inserted, "failed": report.failed,
                        "resolution": steps[0].last, "clustering": steps[1].last})
    return reports


def _exported(store: Any) -> list[dict[str, Any]]:
    """The export without ``fetched_at``: a local file's is the clock at its ingest."""
    out = io.StringIO()
    write_jsonl(store.iter_articles(), out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    for line in lines:
        line.pop("fetched_at")
    return lines


def _story_rows(store: TableStore) -> list[tuple[Any, ...]]:
    def run(conn: Any) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in conn.execute(
            "SELECT id, label, thread_id, size, first_day, last_day, languages, headlines,"
            " top_entities, keys, centroid, member_vectors, member_langs FROM stories"
            " ORDER BY id COLLATE BINARY")]

    return store.transaction(run)


def _stats(store: TableStore) -> list[list[tuple[Any, ...]]]:
    def run(conn: Any) -> list[list[tuple[Any, ...]]]:
        return [[tuple(row) for row in conn.execute(sql)] for sql in (
            "SELECT key, df FROM story_key_stats ORDER BY key COLLATE BINARY",
            "SELECT lang, n, vector_sum FROM story_language_stats ORDER BY lang COLLATE BINARY",
            "SELECT id, story_id, story_counted FROM articles ORDER BY id COLLATE BINARY")]

    return store.transaction(run)


def test_sample_corpus_gives_the_same_entities_and_stories_on_both_backends(
        postgres_url: str, gazetteer: Gazetteer, tmp_path: Path) -> None:  # noqa: F811
    from babelwire.db.postgres.database import PostgresDatabase

    runs = _corpus(tmp_path)
    with Database(memory=True) as sqlite, PostgresDatabase(postgres_url) as postgres:
        on_sqlite, on_postgres = _ingest(sqlite, runs, gazetteer), _ingest(postgres, runs,
                                                                            gazetteer)
        assert on_sqlite == on_postgres
        assert on_sqlite[1]["resolution"].mode == "incremental"  # the stored state continued
        assert on_sqlite[1]["clustering"].stories_loaded > 0  # stored stories were read back
        exported = _exported(sqlite)
        assert len(exported) == sum(r["inserted"] for r in on_sqlite) > 100
        assert all(e["id"] for line in exported for e in line["entities"])
        assert all(line["story_id"] for line in exported)
        assert exported == _exported(postgres)
        assert (entity_tables.resolution_snapshot(sqlite)
                == entity_tables.resolution_snapshot(postgres))
        assert _story_rows(sqlite) == _story_rows(postgres)
        assert _stats(sqlite) == _stats(postgres)
        assert [s.id for s in sqlite.list_stories(limit=500)] == [
            s.id for s in postgres.list_stories(limit=500)]



def _mentions(article: str, *names: str) -> list[Mention]:
    out, start = [], 0
    for name in names:
        out.append(Mention(text=name, type=EntityType.PER, lang="en", article_id=article,
                           span=(start, start + len(name))))
        start += len(name) + 1
    return out


def test_two_stores_resolving_one_postgresql_database_at_once_give_one_replay_s_outcome(
        postgres_url: str, gazetteer: Gazetteer) -> None:  # noqa: F811
    from babelwire.db.postgres.database import PostgresDatabase

    with PostgresDatabase(postgres_url) as one, PostgresDatabase(postgres_url) as other:
        entity_tables.add_mentions(one, _mentions("a1", "Mikhail Mishustin", "George Bush"))
        EntityCatalog(one, gazetteer=gazetteer).resolve_pending()
        entity_tables.add_mentions(one, _mentions("a2", "Mishustin", "George W. Bush"))
        entity_tables.add_mentions(other, _mentions("a3", "Михаил Мишустин", "Laura Bush"))
        barrier = threading.Barrier(2)

        def resolve(store: PostgresDatabase) -> str:
            barrier.wait()
            return EntityCatalog(store, gazetteer=gazetteer).resolve_pending().mode

        with ThreadPoolExecutor(2) as pool:
            modes = list(pool.map(resolve, (one, other)))
        assert modes == ["incremental", "incremental"]  # one linked both articles, one none
        assert not entity_tables.has_unresolved_mentions(one)
        with Database(memory=True) as replayed:
            entity_tables.add_mentions(replayed, entity_tables.read_mentions(one))
            EntityCatalog(replayed, gazetteer=gazetteer).resolve()
            assert (entity_tables.resolution_snapshot(one)
                    == entity_tables.resolution_snapshot(replayed))


def test_shared_sql_reads_the_same_on_both_backends(db: Any) -> None:
    def run(conn: Any) -> list[Any]:
        rows = conn.execute("SELECT * FROM (SELECT '100%' AS literal, ? AS given, 'b' AS key"
                            " UNION ALL SELECT 'x', ?, 'B') AS t ORDER BY key COLLATE BINARY",
                            ("?", "2")).fetchall()
        return [(row["literal"], row[1], tuple(row), dict(row)) for row in rows]

    # "B" before "b": code points (the test cluster's collation is C.UTF-8, which agrees;
    # what this checks on PostgreSQL is that COLLATE BINARY is translated to a valid "C")
    assert db.transaction(run) == [
        ("x", "2", ("x", "2", "B"), {"literal": "x", "given": "2", "key": "B"}),
        ("100%", "?", ("100%", "?", "b"), {"literal": "100%", "given": "?", "key": "b"})]
