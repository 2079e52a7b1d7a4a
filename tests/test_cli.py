from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from babelwire.cli import cli

ARTICLE = """Regjeringen legger fram ny klimaplan

Regjeringen la torsdag fram en ny plan for å kutte utslippene fra transportsektoren med
halvparten innen 2030. Planen ble presentert på en pressekonferanse i Oslo.
"""


def _run(tmp_path: Path, *args: str, input: str | None = None):  # noqa: ANN202
    runner = CliRunner()
    return runner.invoke(cli, ["--db", str(tmp_path / "t.db"), *args], input=input,
                         catch_exceptions=False)


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_ingest_file_then_search_show_and_export(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    ingested = _run(tmp_path, "ingest", str(tmp_path / "a.txt"))
    assert ingested.exit_code == 0, ingested.output
    summary = json.loads(ingested.stdout.splitlines()[0])
    assert (summary["inserted"], summary["failed"]) == (1, 0)

    hits = [json.loads(line) for line in _run(tmp_path, "search", "klimaplan").stdout.splitlines()]
    assert [h["title"] for h in hits] == ["Regjeringen legger fram ny klimaplan"]

    shown = json.loads(_run(tmp_path, "show", hits[0]["id"]).stdout)
    assert shown["text"].startswith("Regjeringen la torsdag fram")

    exported = _run(tmp_path, "export", "--format", "jsonl").stdout.splitlines()
    record = json.loads(exported[0])
    assert set(record) >= {"id", "source", "url", "published_at", "fetched_at", "language",
                           "title", "text", "captions", "story_id", "entities", "quotes"}


def test_reingesting_the_same_file_stores_nothing_new(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    _run(tmp_path, "ingest", str(tmp_path / "a.txt"))
    again = json.loads(_run(tmp_path, "ingest", str(tmp_path / "a.txt")).stdout.splitlines()[0])
    assert (again["inserted"], again["duplicates"], again["stats"]["articles"]) == (0, 1, 1)


def test_ingest_from_stdin(tmp_path: Path) -> None:
    result = _run(tmp_path, "ingest", "-", input=ARTICLE)
    assert json.loads(result.stdout.splitlines()[0])["inserted"] == 1


def test_ingest_exit_code_is_1_when_some_inputs_fail(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = _run(tmp_path, "ingest", str(tmp_path / "a.txt"), str(tmp_path / "empty.txt"))
    assert result.exit_code == 1
    assert f"failed: {tmp_path / 'empty.txt'}: empty input (0 bytes of content)" in result.stderr


def test_ingest_exit_code_is_3_when_every_input_fails(tmp_path: Path) -> None:
    result = _run(tmp_path, "ingest", str(tmp_path / "missing.txt"))
    assert result.exit_code == 3


def test_ingest_without_inputs_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(tmp_path, "ingest")
    assert result.exit_code == 2
    assert "give at least one input" in result.output


def test_unknown_setting_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    result = _run(tmp_path, "--set", "ingest.max_byte=5", "stats")
    assert result.exit_code == 2
    assert "unknown setting 'ingest.max_byte'" in result.output


def test_eval_stories_of_a_file_without_articles_says_what_is_missing(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text("{}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "stories", str(gold)])
    assert result.exit_code == 1
    assert "g.jsonl line 1: missing ['id', 'lang', 'title', 'text']" in result.output


def test_export_csv_and_parquet(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    _run(tmp_path, "ingest", str(tmp_path / "a.txt"))
    csv_out = _run(tmp_path, "export", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,kind,parent_id,source,url")
    assert len(csv_out) >= 2
    _run(tmp_path, "export", "--format", "parquet", "-o", str(tmp_path / "a.parquet"))
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "a.parquet")
    assert table.column("title").to_pylist() == ["Regjeringen legger fram ny klimaplan"]
