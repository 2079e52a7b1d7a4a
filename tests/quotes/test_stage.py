"""The quotes stage: registered, assigns only ``quotes``, and its quotes reach the export."""

from __future__ import annotations

import copy
import dataclasses
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from babelwire import Article, Database
from babelwire.cli import cli
from babelwire.export import write_jsonl
from babelwire.plugins import build_registry, make_plugin_manager
from babelwire.quotes.benchmark import bench_quotes

from ..conftest import changed_fields

TEXT = ("„Wir bauen die Brücke bis 2027 neu“, sagte Verkehrsminister Jan Roth am Montag."
        " Laut Polizei wurden drei Autos beschädigt.")


def _stage():  # type: ignore[no-untyped-def]
    return build_registry(make_plugin_manager(load_entry_points=False)).create("quotes.rules.v1")


def test_quotes_stage_changes_only_the_quotes_field() -> None:
    article = Article(title="Brücke", text=TEXT, lang="de")
    before = copy.deepcopy(article)
    after = _stage()(article)
    assert changed_fields(before, after) == {"quotes"}
    assert [q.cue for q in after.quotes] == ["sagte", "Laut"]


def test_quotes_stage_counts_articles_in_languages_without_a_lexicon() -> None:
    stage = _stage()
    article = stage(Article(title="t", text='"Hi," she said.', lang="und"))
    assert article.quotes == [] and stage.unsupported == 1


def test_exported_quotes_carry_text_spans_type_speaker_and_entity(db: Database) -> None:
    article = _stage()(Article(id="a1", title="Brücke", text=TEXT, lang="de"))
    out = io.StringIO()
    write_jsonl([article], out)
    quote = json.loads(out.getvalue())["quotes"][0]
    assert quote["text"] == "Wir bauen die Brücke bis 2027 neu"
    assert quote["type"] == "direct"
    assert TEXT[slice(*quote["spans"][0])].startswith("„Wir bauen")
    assert (quote["speaker_name"], quote["speaker_entity"]) == ("Jan Roth", None)
    assert TEXT[slice(*quote["speaker_spans"][0])] == "Verkehrsminister Jan Roth"
    assert quote["cue"] == "sagte"


def test_stored_articles_keep_every_quote_field(db: Database) -> None:
    article = _stage()(Article(id="a1", title="Brücke", text=TEXT, lang="de", source="test"))
    linked = dataclasses.replace(article.quotes[0], speaker_entity="Q-roth")
    article.quotes = [linked, *article.quotes[1:]]
    db.add_article(article)
    stored = db.get_article("a1")
    assert stored is not None
    assert stored.quotes == article.quotes
    assert stored.quotes[0].speaker_mention == "Verkehrsminister Jan Roth"
    assert stored.quotes[0].rule and stored.quotes[0].cue_spans


def test_ingest_then_export_carries_quote_spans_speaker_mention_and_cue(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"id": "bruecke", "title": "Brücke", "text": TEXT,
                                  "lang": "de"}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = ["--db", str(tmp_path / "t.db")]
    ingested = CliRunner().invoke(cli, [*db, "ingest", str(source)])
    assert ingested.exit_code == 0, ingested.output
    exported = CliRunner().invoke(cli, [*db, "export", "--format", "jsonl"])
    record = json.loads(exported.stdout.splitlines()[0])
    text, quote = record["text"], record["quotes"][0]
    assert (quote["text"], quote["type"]) == ("Wir bauen die Brücke bis 2027 neu", "direct")
    assert text[slice(*quote["spans"][0])].startswith("„Wir bauen")
    assert quote["speaker_name"] == "Jan Roth"
    assert quote["speaker_mention"] == "Verkehrsminister Jan Roth"
    assert text[slice(*quote["speaker_spans"][0])] == "Verkehrsminister Jan Roth"
    assert (quote["cue"], text[slice(*quote["cue_spans"][0])]) == ("sagte", "sagte")
    assert quote["rule"]


def test_export_of_a_stored_article_carries_the_speaker_entity_id(tmp_path: Path) -> None:
    article = _stage()(Article(id="a1", title="Brücke", text=TEXT, lang="de", source="test"))
    article.quotes = [dataclasses.replace(article.quotes[0], speaker_entity="Q-roth")]
    with Database(tmp_path / "t.db") as db:
        db.add_article(article)
    exported = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "export"])
    quote = json.loads(exported.stdout.splitlines()[0])["quotes"][0]
    assert (quote["speaker_name"], quote["speaker_entity"], quote["cue"]) == (
        "Jan Roth", "Q-roth", "sagte")


def test_bench_quotes_reports_rates_for_both_contenders() -> None:
    result = bench_quotes([(TEXT, "de"), ('"Yes," she said.', "en")], repeats=1)
    assert (result.articles, result.languages, result.quotes) == (2, ["de", "en"], 3)
    assert result.articles_per_s > 0 and result.regex_articles_per_s > 0
    assert result.workers == 1


def test_bench_quotes_in_two_processes_finds_the_same_quotes() -> None:
    articles = [(TEXT, "de"), ('"Yes," she said.', "en"), ("„Nein“, sagte sie.", "de")]
    alone = bench_quotes(articles, repeats=1)
    shared = bench_quotes(articles, repeats=2, workers=2)
    assert (shared.workers, shared.articles, shared.quotes) == (2, 3, alone.quotes)
    assert shared.articles_per_s > 0


def test_bench_quotes_report_puts_one_and_two_processes_side_by_side(tmp_path: Path) -> None:
    texts = tmp_path / "texts.jsonl"
    texts.write_text(json.dumps({"text": TEXT, "lang": "de"}) + "\n"
                     + json.dumps({"text": '"Yes," she said.', "lang": "en"}) + "\n",
                     encoding="utf-8")
    report = tmp_path / "BENCHMARKS.md"
    result = CliRunner().invoke(cli, ["bench", "quotes", str(texts), "--repeats", "1",
                                      "--workers", "2", "--report", str(report)])
    assert result.exit_code == 0, result.output
    section = report.read_text(encoding="utf-8").split("<!-- bench quotes: start -->")[1]
    rows = [line for line in section.splitlines() if line.startswith("| 1 |")
            or line.startswith("| 2 |")]
    assert [row.split(" | ")[0] for row in rows] == ["| 1", "| 2"]
    assert all(row.split(" | ")[3] == "3" for row in rows)  # same quotes in both runs


@pytest.mark.parametrize("content", [b"", b"\x93\xff binary", b"not json\n", b"[1, 2]\n"])
def test_bench_quotes_refuses_files_without_articles_and_says_which(
        tmp_path: Path, content: bytes) -> None:
    texts = tmp_path / "texts.jsonl"
    texts.write_bytes(content)
    result = CliRunner().invoke(cli, ["bench", "quotes", str(texts), "--repeats", "1"])
    assert result.exit_code == 1 and "texts.jsonl" in result.output
    assert "give JSONL files" in result.output
