"""The README's quick start: `make demo` ingests the sample corpus and serves a page."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_S = 900.0
"""A guard against a hang: the full pipeline over the slice takes a minute or two on 2 cores."""
SLICE_PER_FILE = 10
"""Articles the test takes from each sample file: every language, and MEANTIME's shared events.

The whole corpus (871 articles) took 1,372 s of a CI run through every stage; the target is
the same, `make demo` as users run it, only with `SAMPLE=` naming a slice (the Makefile's
documented variable). The bundled corpus's size is checked without the pipeline below.
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_page(url: str, process: subprocess.Popen[str]) -> httpx.Response:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make demo exited with {process.returncode} before serving")
        try:
            return httpx.get(url, timeout=2.0)
        except httpx.TransportError:
            time.sleep(0.2)  # polling a starting server, not waiting for an outcome
    raise AssertionError(f"no answer from {url} within {STARTUP_TIMEOUT_S} s")


def _sample_slice(folder: Path) -> tuple[Path, int]:
    """The first SLICE_PER_FILE articles of every bundled sample file, as one JSONL file."""
    from babelwire.samples import sample_paths

    lines = [line for path in sample_paths()
             for line in path.read_text(encoding="utf-8").splitlines()[:SLICE_PER_FILE]]
    target = folder / "demo-slice.jsonl"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target, len(lines)


def _without_test_pipeline(env: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """The environment minus the tests' light-pipeline default: the demo runs as users run it."""
    return {k: v for k, v in env.items() if k != "BABELWIRE_PIPELINE__STAGES"}


@pytest.mark.slow
def test_make_demo_ingests_sample_corpus_and_serves_article_list(tmp_path: Path) -> None:
    port = _free_port()
    db_path = tmp_path / "demo.db"
    sample, count = _sample_slice(tmp_path)
    process = subprocess.Popen(
        ["make", "--no-print-directory", "demo", f"DB={db_path}", f"PORT={port}",
         f"SAMPLE={sample}"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True, env={**_without_test_pipeline(os.environ), "PYTHONUNBUFFERED": "1"},
    )
    try:
        front = _wait_for_page(f"http://127.0.0.1:{port}/", process)
        response = httpx.get(f"http://127.0.0.1:{port}/articles", timeout=5.0)
        listing = httpx.get(f"http://127.0.0.1:{port}/articles.json", timeout=5.0).json()
        stories = httpx.get(f"http://127.0.0.1:{port}/stories.json", timeout=5.0).json()
        entities = httpx.get(f"http://127.0.0.1:{port}/entities.json", timeout=5.0).json()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert front.status_code == 200 and response.status_code == 200
    assert "<h1>Articles</h1>" in response.text
    assert listing["stats"]["articles"] == count
    assert set(listing["stats"]["by_language"]) >= {"en", "es", "it", "nl", "fr"}
    summary = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    assert summary["inserted"] == count
    assert summary["failed"] == 0
    assert stories["stories"] and entities["entities"], "the demo shows stories and entities"


def test_make_demo_ingests_with_the_default_pipeline_so_entities_and_stories_exist() -> None:
    import re

    from babelwire import Database, load_settings
    from babelwire.assembly import build_pipeline, make_ingestor

    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    demo = re.search(r"^demo: .*\n((?:\t.*\n)+)", makefile, re.M)
    assert demo is not None and "pipeline.stages" not in demo.group(1)
    settings = load_settings(env={})
    pipeline = build_pipeline(settings)
    assert pipeline.names == ["clean", "segment", "language", "ner", "quotes", "embed"]
    with Database(memory=True) as db:
        assert [step.name for step in make_ingestor(settings, db, pipeline=pipeline).after] == [
            "entities.resolve", "stories.cluster"]


def test_bundled_sample_corpus_holds_871_articles_in_five_languages() -> None:
    """What `make demo` ingests without SAMPLE=: the corpus the README and NOTICE describe."""
    from babelwire.samples import sample_paths

    records = [json.loads(line) for path in sample_paths()
               for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) == 871
    assert {record["lang"] for record in records} == {"en", "es", "it", "nl", "fr"}


def test_make_demo_ingests_the_bundled_corpus_unless_sample_names_files() -> None:
    import re

    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^SAMPLE \?=\s*$", makefile, re.M), "SAMPLE is empty by default"
    assert "ingest $(or $(SAMPLE),--sample)" in makefile
