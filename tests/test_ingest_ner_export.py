"""`ingest` with the NER stage, then `export`, give every entity its canonical id (real models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from babelwire.cli import cli
from babelwire.samples import sample_paths

NER_PIPELINE = "clean.trafilatura.v1,segment.rules.v1,language.cld2.v1,ner.e5.v3"


@pytest.mark.slow
def test_ingest_with_ner_then_export_links_one_story_across_four_languages(
        tmp_path: Path) -> None:
    # MEANTIME is parallel: the first article of each language file is the same Airbus story
    story = [path.read_text(encoding="utf-8").splitlines()[0] for path in sample_paths()
             if path.name.startswith("meantime-")]
    source = tmp_path / "story.jsonl"
    source.write_text("\n".join(story) + "\n", encoding="utf-8")
    db = ["--db", str(tmp_path / "t.db")]
    runner = CliRunner()
    ingested = runner.invoke(cli, [*db, "--set", f"pipeline.stages={NER_PIPELINE}", "ingest",
                                   str(source)])
    assert ingested.exit_code == 0, ingested.output
    exported = runner.invoke(cli, [*db, "export", "--format", "jsonl"])
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    entities = [(line["language"], e) for line in lines for e in line["entities"]]
    assert len(lines) == 4 and len(entities) >= 20
    assert all(e["id"] and e["name"] and e["spans"] for _, e in entities)
    languages_by_id: dict[str, set[str]] = {}
    for lang, e in entities:
        languages_by_id.setdefault(e["id"], set()).add(lang)
    shared = {i for i, langs in languages_by_id.items() if len(langs) == 4}
    assert len(shared) >= 3, languages_by_id  # Airbus, Boeing, Northrop Grumman, EADS, …
