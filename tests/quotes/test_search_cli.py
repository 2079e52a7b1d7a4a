"""`babelwire quotes search`: stored quotes by words or entity, newest first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from babelwire import Database
from babelwire.cli import cli

from .quote_store import BRIDGE, LATER, ROTH, fill


def _run(db_path: Path, *args: str):  # noqa: ANN202
    return CliRunner().invoke(cli, ["--db", str(db_path), "quotes", "search", *args])


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "q.db"
    with Database(path) as db:
        fill(db)
    return path


def test_quotes_search_json_gives_an_entity_s_quotes_newest_first(db_path: Path) -> None:
    result = _run(db_path, "--entity", ROTH, "--json")
    assert result.exit_code == 0, result.output
    statements = [json.loads(line) for line in result.stdout.splitlines()]
    assert [s["quotes"][0]["text"] for s in statements] == [
        LATER, BRIDGE["fr"], BRIDGE["en"], BRIDGE["de"]]
    assert statements[0]["quotes"][0]["speaker_entity"] == ROTH


def test_quotes_search_prints_day_language_speaker_and_words(db_path: Path) -> None:
    result = _run(db_path, "brücke")
    assert result.stdout.splitlines()[0] == f"2024-05-01  de  Jan Roth: {BRIDGE['de']}  [de1]"


def test_quotes_search_without_query_or_entity_is_a_usage_error(db_path: Path) -> None:
    result = _run(db_path)
    assert result.exit_code == 2
    assert "give a QUERY, --entity ID, or both" in result.output
