"""Ingest with NER resolves mentions itself: the export carries canonical ids, decisions survive."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from babelwire import Article, Database, ErrorPolicy, Pipeline, Settings
from babelwire.assembly import make_ingestor
from babelwire.db import entity_tables
from babelwire.entities.catalog import EntityCatalog, ResolveAfterIngest
from babelwire.entities.places import Gazetteer
from babelwire.errors import StorageError
from babelwire.export import write_jsonl
from babelwire.ingest import IngestOptions, Ingestor
from babelwire.record import Entity
from babelwire.settings import LIGHT_STAGES
from babelwire.stages.language import LanguageStage

from ..db.conftest import (  # noqa: F401  (the PostgreSQL fixtures)
    fixture_on_both_backends,
    postgres_template,
    postgres_url,
)
from ..scale.conftest import postgres_cluster  # noqa: F401  (fixture)

db = fixture_on_both_backends("db")  # every test here runs on SQLite and PostgreSQL


NAMES = {"Mikhail Mishustin": "PER", "Михаил Мишустин": "PER", "George W. Bush": "PER",
         "George Bush": "PER", "Moscow": "LOC", "Москву": "LOC"}


@dataclass
class KnownNames:
    """A deterministic NER stage: every occurrence of a known name is a mention."""

    names: dict[str, str] = field(default_factory=lambda: dict(NAMES))
    name: str = "ner"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("entities",)

    def __call__(self, article: Article) -> Article:
        found = []
        for surface, type_ in self.names.items():
            start = article.text.find(surface)
            while start >= 0:
                found.append(Entity(id="", name=surface, type=type_, mention=surface,
                                    spans=((start, start + len(surface)),)))
                start = article.text.find(surface, start + len(surface))
        article.entities = sorted(found, key=lambda e: e.spans[0])
        return article


def _jsonl(path: Path, *articles: tuple[str, str]) -> str:
    lines = [json.dumps({"id": article_id, "title": "", "text": text}, ensure_ascii=False)
             for article_id, text in articles]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _ingestor(db: Database, gazetteer: Gazetteer) -> Ingestor:
    pipeline = Pipeline([LanguageStage(), KnownNames()], policy=ErrorPolicy.RECORD)
    catalog = EntityCatalog(db, gazetteer=gazetteer)
    return Ingestor(db, pipeline, IngestOptions(), after=[ResolveAfterIngest(catalog)])


def _exported(db: Database) -> dict[str, list[dict[str, object]]]:
    out = io.StringIO()
    write_jsonl(db.iter_articles(), out)
    return {line["id"]: line["entities"] for line in map(json.loads, out.getvalue().splitlines())}


def _ids(db: Database) -> dict[str, str]:
    return {str(e["mention"]): str(e["id"]) for entities in _exported(db).values()
            for e in entities}


def test_ingest_then_export_gives_every_entity_its_canonical_id_across_scripts(
        db: Database, gazetteer: Gazetteer, tmp_path: Path) -> None:
    russian = "Премьер-министр Михаил Мишустин в понедельник прилетел в Москву."
    source = _jsonl(tmp_path / "news.jsonl",
                    ("en1", "Prime Minister Mikhail Mishustin arrived in Moscow on Monday."),
                    ("ru1", russian))
    report = _ingestor(db, gazetteer).ingest([source])
    assert (report.inserted, report.failed) == (2, 0)
    exported = _exported(db)
    people = [e for entities in exported.values() for e in entities if e["type"] == "PER"]
    places = [e for entities in exported.values() for e in entities if e["type"] == "LOC"]
    assert all(e["id"] for entities in exported.values() for e in entities)
    assert len({e["id"] for e in people}) == 1 and {e["name"] for e in people} == {
        "Mikhail Mishustin"}
    assert {e["id"] for e in places} == {"geo:city:524901"}
    start = russian.index("Москву")
    assert [e["spans"] for e in exported["ru1"]] == [[[16, 31]], [[start, start + 6]]]


def test_reingesting_the_same_articles_adds_no_mention_twice(
        db: Database, gazetteer: Gazetteer, tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "news.jsonl", ("en1", "Mikhail Mishustin met George Bush."))
    _ingestor(db, gazetteer).ingest([source])
    again = _ingestor(db, gazetteer).ingest([source])
    assert (again.inserted, again.duplicates) == (0, 1)
    assert len(entity_tables.read_mentions(db)) == 2
    assert sorted(e.mentions for e in db.list_entities()) == [1, 1]


def test_user_merge_holds_for_articles_ingested_after_it(
        db: Database, gazetteer: Gazetteer, tmp_path: Path) -> None:
    first = _jsonl(tmp_path / "a.jsonl", ("a1", "George W. Bush spoke."),
                   ("a2", "George Bush left."))
    _ingestor(db, gazetteer).ingest([first])
    ids = _ids(db)
    assert ids["George W. Bush"] != ids["George Bush"]
    EntityCatalog(db, gazetteer=gazetteer).merge(ids["George W. Bush"], ids["George Bush"])
    later = _jsonl(tmp_path / "b.jsonl", ("a3", "George Bush returned to Texas."))
    _ingestor(db, gazetteer).ingest([later])
    entities = _exported(db)
    merged = {str(e["id"]) for article in entities.values() for e in article}
    assert len(merged) == 1  # a1, a2 and the new a3 name one person


def test_user_split_holds_for_articles_ingested_after_it(
        db: Database, gazetteer: Gazetteer, tmp_path: Path) -> None:
    first = _jsonl(tmp_path / "a.jsonl", ("en1", "Mikhail Mishustin spoke."),
                   ("ru1", "Михаил Мишустин выступил."))
    _ingestor(db, gazetteer).ingest([first])
    person = _ids(db)["Mikhail Mishustin"]
    EntityCatalog(db, gazetteer=gazetteer).split(person, "Михаил Мишустин")
    later = _jsonl(tmp_path / "b.jsonl", ("ru2", "Михаил Мишустин уехал."))
    _ingestor(db, gazetteer).ingest([later])
    exported = _exported(db)
    assert exported["ru2"][0]["id"] == exported["ru1"][0]["id"] != exported["en1"][0]["id"]


def test_a_run_that_stores_nothing_new_still_resolves_mentions_left_unresolved(
        db: Database, gazetteer: Gazetteer, tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "news.jsonl", ("en1", "Mikhail Mishustin spoke."))
    pipeline = Pipeline([LanguageStage(), KnownNames()])
    Ingestor(db, pipeline, IngestOptions()).ingest([source])  # as if it stopped before resolving
    assert entity_tables.has_unresolved_mentions(db)
    again = _ingestor(db, gazetteer).ingest([source])
    assert again.inserted == 0 and not entity_tables.has_unresolved_mentions(db)
    assert _ids(db)["Mikhail Mishustin"].startswith("ent:per:")


def test_failed_resolution_is_recorded_and_the_articles_are_kept(
        db: Database, gazetteer: Gazetteer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: EntityCatalog) -> None:
        raise StorageError("database write failed: disk I/O error")

    monkeypatch.setattr(EntityCatalog, "resolve_pending", broken)
    source = _jsonl(tmp_path / "news.jsonl", ("en1", "Mikhail Mishustin spoke."))
    report = _ingestor(db, gazetteer).ingest([source])
    assert report.inserted == 1
    assert [f.message for f in report.failures] == [
        "entities.resolve: entity resolution after ingest failed: database write failed: disk I/O"
        " error; the articles and their mentions are stored, `babelwire entity resolve` retries"]
    assert [f.stage for f in db.failures()] == ["entities.resolve"]


def test_ingest_resolves_entities_only_when_a_stage_assigns_them(db: Database) -> None:
    assert make_ingestor(Settings(stages=LIGHT_STAGES), db).after == []
    with_ner = Pipeline([LanguageStage(), KnownNames()])
    [step] = make_ingestor(Settings(), db, pipeline=with_ner).after
    assert isinstance(step, ResolveAfterIngest)


def test_mentions_stored_while_a_resolution_runs_stay_queued_for_the_next(
        db: Database, gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    from babelwire.entities.records import EntityType, Mention
    from babelwire.entities.resolver import EntityResolver

    catalog = EntityCatalog(db, gazetteer=gazetteer)
    first = Mention(text="George Bush", type=EntityType.PER, lang="en", article_id="a1",
                    span=(0, 11))
    meanwhile = Mention(text="Mikhail Mishustin", type=EntityType.PER, lang="en",
                        article_id="a2", span=(0, 17))
    real_resolve = EntityResolver.resolve_groups

    def resolve_while_another_ingest_stores(self: EntityResolver, mentions: list[Mention]):  # noqa: ANN202
        entity_tables.add_mentions(db, [meanwhile])  # another process's ingest, mid-resolution
        return real_resolve(self, mentions)

    monkeypatch.setattr(EntityResolver, "resolve_groups", resolve_while_another_ingest_stores)
    catalog.resolve([first])
    assert entity_tables.has_unresolved_mentions(db)
    monkeypatch.setattr(EntityResolver, "resolve_groups", real_resolve)
    report = catalog.resolve_pending()
    assert (report.mode, report.mentions, report.entities) == ("incremental", 1, 1)
    assert not entity_tables.has_unresolved_mentions(db)


def test_ingest_in_batches_gives_the_export_and_links_of_one_replay_after_ingesting_all(
        gazetteer: Gazetteer, tmp_path: Path) -> None:
    texts = ["Mikhail Mishustin met George W. Bush in Moscow.",
             "Михаил Мишустин прилетел в Москву.",
             "George Bush and Mikhail Mishustin spoke.",
             "Москву visited by George W. Bush.",
             "Mikhail Mishustin, Михаил Мишустин and George Bush."]
    articles = [(f"n{i}", text) for i, text in enumerate(texts)]
    with Database(memory=True) as batched, Database(memory=True) as replayed:
        steps = [_ingestor(batched, gazetteer) for _ in range(3)]
        for step, chunk in zip(steps, (articles[:1], articles[1:3], articles[3:]), strict=True):
            step.ingest([_jsonl(tmp_path / f"{chunk[0][0]}.jsonl", *chunk)])
        [resolve_after] = steps[-1].after
        assert isinstance(resolve_after, ResolveAfterIngest)
        assert resolve_after.last is not None and resolve_after.last.mode == "incremental"
        plain = Ingestor(replayed, Pipeline([LanguageStage(), KnownNames()]), IngestOptions())
        plain.ingest([_jsonl(tmp_path / "all.jsonl", *articles)])  # queued, not resolved
        EntityCatalog(replayed, gazetteer=gazetteer).resolve()
        assert _exported(batched) == _exported(replayed)
        assert (entity_tables.resolution_snapshot(batched)
                == entity_tables.resolution_snapshot(replayed))
