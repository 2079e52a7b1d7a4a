"""Fixtures of the hostile-input corpus: the pipeline (built once) and a scratch Env."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire import Pipeline
from babelwire.assembly import build_pipeline

from .batch import RECORD, Env, Loopback, loopback

__all__ = ["loopback"]


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The configured default pipeline (clean, segment, language), built once: ~1 s."""
    return build_pipeline(RECORD)


@pytest.fixture
def env(tmp_path: Path, loopback: Loopback) -> Env:
    return Env(tmp_path, loopback)
