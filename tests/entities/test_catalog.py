"""Stored entities: explain, and user merges/splits that survive re-processing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from babelwire import Database
from babelwire.cli import cli
from babelwire.entities.catalog import EntityCatalog
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, Mention
from babelwire.errors import EntityError

from ..db.conftest import (  # noqa: F401  (the PostgreSQL fixtures)
    fixture_on_both_backends,
    postgres_template,
    postgres_url,
)
from ..scale.conftest import postgres_cluster  # noqa: F401  (fixture)

db = fixture_on_both_backends("db")  # every test here runs on SQLite and PostgreSQL


PER = EntityType.PER


def _ids_by_text(catalog: EntityCatalog) -> dict[str, str]:
    out = {}
    for row in catalog.list(limit=100):
        for link in catalog.explain(row["id"])["links"]:
            out[link["text"]] = row["id"]
    return out


@pytest.fixture
def catalog(db: Database, gazetteer: Gazetteer) -> EntityCatalog:
    catalog = EntityCatalog(db, gazetteer=gazetteer)
    catalog.resolve([
        Mention(text="George W. Bush", type=PER, lang="en", article_id="a1"),
        Mention(text="George Bush", type=PER, lang="en", article_id="a2"),
        Mention(text="Mikhail Mishustin", type=PER, lang="en", article_id="a3"),
        Mention(text="Михаил Мишустин", type=PER, lang="ru", article_id="a4"),
    ])
    return catalog


def test_explain_returns_the_rule_and_evidence_of_each_link(catalog: EntityCatalog) -> None:
    entity_id = _ids_by_text(catalog)["Михаил Мишустин"]
    explained = catalog.explain(entity_id)
    assert explained["rules"] == {"new": 1, "name_key": 1}
    russian = next(k for k in explained["links"] if k["text"] == "Михаил Мишустин")
    assert russian["evidence"] == "name key 'mihailmishustin'"


def test_user_merge_survives_re_processing(catalog: EntityCatalog) -> None:
    ids = _ids_by_text(catalog)
    assert ids["George Bush"] != ids["George W. Bush"]
    catalog.merge(ids["George W. Bush"], ids["George Bush"])
    catalog.resolve()  # re-process every stored mention from scratch
    after = _ids_by_text(catalog)
    assert after["George Bush"] == after["George W. Bush"]
    rules = catalog.explain(after["George Bush"])["rules"]
    assert rules.get("user_merge") == 1


def test_user_split_survives_re_processing(catalog: EntityCatalog) -> None:
    ids = _ids_by_text(catalog)
    entity_id = ids["Mikhail Mishustin"]
    catalog.split(entity_id, "Михаил Мишустин")
    catalog.resolve([Mention(text="Михаил Мишустин", type=PER, lang="ru", article_id="a5")])
    after = _ids_by_text(catalog)
    assert after["Михаил Мишустин"] != after["Mikhail Mishustin"]
    split_off = catalog.explain(after["Михаил Мишустин"])
    assert split_off["mentions"] == 2
    assert set(split_off["rules"]) <= {"user_split", "name_key"}


def test_split_of_unknown_variant_says_which_variants_exist(catalog: EntityCatalog) -> None:
    entity_id = _ids_by_text(catalog)["Mikhail Mishustin"]
    with pytest.raises(EntityError) as error:
        catalog.split(entity_id, "Misjoestin")
    assert str(error.value).startswith(f"entity {entity_id!r} has no variant 'Misjoestin';")
    assert "'Mikhail Mishustin'" in str(error.value)


def test_cli_entity_resolve_explain_and_unknown_id(tmp_path: Path) -> None:
    mentions = tmp_path / "mentions.jsonl"
    mentions.write_text("\n".join(json.dumps(m, ensure_ascii=False) for m in [
        {"article_id": "a", "text": "Kina", "type": "LOC", "lang": "nb"},
        {"article_id": "b", "text": "Китай", "type": "LOC", "lang": "ru"}]), encoding="utf-8")
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    resolved = runner.invoke(cli, ["--db", db, "entity", "resolve", str(mentions)])
    assert resolved.exit_code == 0, resolved.output
    assert json.loads(resolved.output) == {"mentions": 2, "entities": 1, "rules": {"place": 2},
                                            "mode": "replay"}
    explained = runner.invoke(cli, ["--db", db, "entity", "explain", "geo:country:CN"])
    assert json.loads(explained.output)["variants"][0]["name"] in {"Kina", "Китай"}
    missing = runner.invoke(cli, ["--db", db, "entity", "explain", "ent:per:nope"])
    assert missing.exit_code == 1
    assert "no entity with id 'ent:per:nope'" in missing.output


def test_resolution_puts_canonical_ids_on_stored_articles_for_the_export(
        db: Database, gazetteer: Gazetteer) -> None:
    from babelwire import Article
    from babelwire.entities.catalog import mentions_from_articles
    from babelwire.export import article_record
    from babelwire.record import Entity

    texts = {"en": "Mikhail Mishustin visited Moscow.", "ru": "Михаил Мишустин посетил Москву."}
    for lang, text in texts.items():
        name, place = text.split(" ")[0:2], text.split(" ")[-1].rstrip(".")
        person = " ".join(name)
        db.add_article(Article(id=lang, text=text, lang=lang, entities=[
            Entity(id="", name=person, type="PER", spans=((0, len(person)),), mention=person),
            Entity(id="", name=place, type="LOC",
                   spans=((text.index(place), text.index(place) + len(place)),), mention=place),
        ]))
    catalog = EntityCatalog(db, gazetteer=gazetteer)
    catalog.resolve(mentions_from_articles(db.iter_articles()))
    records = {lang: article_record(db.get_article(lang)) for lang in texts}  # type: ignore[arg-type]
    en, ru = (records[k]["entities"] for k in ("en", "ru"))
    assert en[0]["id"] and en[0]["id"] == ru[0]["id"]  # one person across scripts
    assert en[1]["id"] == ru[1]["id"]  # Moscow = Москву
    assert ru[0]["mention"] == "Михаил Мишустин" and ru[0]["name"] == en[0]["name"]
    again = catalog.resolve(mentions_from_articles(db.iter_articles()))
    assert again.mentions == 4  # resolving the same articles again adds no mention twice
