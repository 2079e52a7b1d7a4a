"""`babelwire entity show`: the entity page as text, or its data with --json."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from babelwire import Article, Database
from babelwire.cli import cli
from babelwire.record import Entity


def _store_with_mentions(path: Path) -> None:
    with Database(path) as db:
        for article_id, lang, text in [("nb1", "nb", "Kina"), ("ru1", "ru", "Китай"),
                                       ("nb2", "nb", "Kina")]:
            db.add_article(Article(id=article_id, title=f"Nyheter {article_id}",
                                   text=f"{text} og verden.", lang=lang, entities=[
                                       Entity(id="", name=text, type="LOC", mention=text,
                                              spans=((0, len(text)),))]))


def test_entity_show_prints_the_page_as_text_and_as_json(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    _store_with_mentions(Path(db))
    runner = CliRunner()
    resolved = runner.invoke(cli, ["--db", db, "entity", "resolve"])
    assert json.loads(resolved.output)["entities"] == 1
    text = runner.invoke(cli, ["--db", db, "entity", "show", "geo:country:CN"])
    assert text.exit_code == 0, text.output
    assert text.output.splitlines()[:2] == ["China (LOC) geo:country:CN",
                                            "3 mentions in 3 articles"]
    assert "  Kina [nb] ×2" in text.output and "  nb: 2 mentions, 2 articles" in text.output
    data = json.loads(runner.invoke(cli, ["--db", db, "entity", "show", "geo:country:CN",
                                          "--json", "--newest", "1"]).output)
    assert [(v["name"], v["mentions"]) for v in data["variants"]] == [("Kina", 2), ("Китай", 1)]
    assert [a["id"] for a in data["newest"]] == ["nb2"]


def test_entity_show_of_an_unknown_id_says_how_to_find_ids(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "entity", "show", "x:y"])
    assert result.exit_code == 1
    assert "no entity with id 'x:y'; `babelwire entity list --query NAME` finds ids" in (
        result.output)
