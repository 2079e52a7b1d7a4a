"""One gazetteer per test worker: the place table takes seconds to build, so it is shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.entities.places import Gazetteer


@pytest.fixture(scope="session")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    cache: Path = tmp_path_factory.mktemp("entity-cache")
    table = Gazetteer(cache).table
    return Gazetteer(cache, table=table)
