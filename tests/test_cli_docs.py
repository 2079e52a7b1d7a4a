"""docs/CLI.md is generated from --help and must match the commands as they are."""

from __future__ import annotations

import runpy
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current_run_make_docs_if_not() -> None:
    render = runpy.run_path(str(REPO / "scripts" / "cli_reference.py"))["render"]
    assert (REPO / "docs" / "CLI.md").read_text(encoding="utf-8") == render()
