"""`ingest` and `process` with the real NER and embed stages: PostgreSQL matches SQLite (slow)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from babelwire.cli import cli
from babelwire.samples import sample_paths

PIPELINE = ("clean.trafilatura.v1,segment.rules.v1,language.cld2.v1,ner.e5.v3,quotes.rules.v1,"
            "embed.e5.v1")
LINES_PER_FILE = 5
FILL = "clean.trafilatura.v1,segment.rules.v1"
"""What `process` finds stored: the stages it cannot run (they set the text, the identity)."""
PROCESS = "language.cld2.v1,ner.e5.v3,quotes.rules.v1,embed.e5.v1"
"""The rest of the default pipeline, run again over the stored articles."""


def _sample(tmp_path: Path) -> str:
    """The first lines of every sample file, as one JSONL file."""
    lines = [line for path in sample_paths()
             for line in path.read_text(encoding="utf-8").splitlines()[:LINES_PER_FILE]]
    source = tmp_path / "sample.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(source)


def _ingest_and_export(runner: CliRunner, db: str, source: str) -> list[dict[str, Any]]:
    ingested = runner.invoke(cli, ["--db", db, "--set", f"pipeline.stages={PIPELINE}", "ingest",
                                   source], catch_exceptions=False)
    assert ingested.exit_code == 0, ingested.output
    return _export(runner, db)


def _export(runner: CliRunner, db: str) -> list[dict[str, Any]]:
    exported = runner.invoke(cli, ["--db", db, "export", "--format", "jsonl"])
    assert exported.exit_code == 0, exported.output
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    for line in lines:
        line.pop("fetched_at")  # the clock at ingest: a local file has no other
    return lines


@pytest.mark.slow
def test_cli_ingest_with_ner_and_embed_gives_the_same_export_on_both_backends(
        postgres_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    source = _sample(tmp_path)
    on_sqlite = _ingest_and_export(runner, str(tmp_path / "news.db"), source)
    on_postgres = _ingest_and_export(runner, postgres_url, source)
    assert len(on_sqlite) == 6 * LINES_PER_FILE
    assert all(e["id"] for line in on_sqlite for e in line["entities"])
    assert all(line["story_id"] for line in on_sqlite)
    assert on_postgres == on_sqlite
    stories = [runner.invoke(cli, ["--db", db, "stories", "list", "--limit", "100"]).stdout
               for db in (str(tmp_path / "news.db"), postgres_url)]
    assert stories[0] == stories[1] and stories[0].count("\n") >= 10


def _ingest_process_and_export(runner: CliRunner, db: str,
                               source: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Ingest with `FILL` only, then `process` with `PROCESS`: its report and the export."""
    ingested = runner.invoke(cli, ["--db", db, "--set", f"pipeline.stages={FILL}", "ingest",
                                   source], catch_exceptions=False)
    assert ingested.exit_code == 0, ingested.output
    processed = runner.invoke(cli, ["--db", db, "--set", f"pipeline.stages={PROCESS}",
                                    "process", "--batch", "8"], catch_exceptions=False)
    assert processed.exit_code == 0, processed.output
    return json.loads(processed.stdout.splitlines()[-1]), _export(runner, db)


@pytest.mark.slow
def test_cli_process_with_ner_and_embed_gives_the_same_export_on_both_backends(
        postgres_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    source = _sample(tmp_path)
    report_sqlite, on_sqlite = _ingest_process_and_export(runner, str(tmp_path / "news.db"),
                                                          source)
    report_postgres, on_postgres = _ingest_process_and_export(runner, postgres_url, source)
    assert report_sqlite == report_postgres
    assert (report_sqlite["articles"], report_sqlite["steps_run"]) == (
        6 * LINES_PER_FILE, ["entities.resolve", "stories.cluster"])
    assert all(e["id"] for line in on_sqlite for e in line["entities"])
    assert all(line["story_id"] for line in on_sqlite)
    assert on_postgres == on_sqlite
