"""The bundled sample news corpus (see NOTICE.md beside this file for credits and licences)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def sample_paths() -> list[Path]:
    """Paths of the bundled sample corpus files, in name order."""
    folder = resources.files(__package__)
    return sorted(
        Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".jsonl")
    )
