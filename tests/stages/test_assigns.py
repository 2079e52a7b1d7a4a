"""Every core stage changes only the fields it declares in ``assigns``."""

from __future__ import annotations

import copy

import pytest

from babelwire import Article
from babelwire.plugins import build_registry, make_plugin_manager

from ..conftest import changed_fields

PAGE_HTML = ("<html><head><title>Storm closes port</title></head><body><article><h1>Storm closes"
             " port</h1><p>The harbour authority closed the port on Tuesday as a storm brought"
             " strong winds to the coast and ferries were cancelled.</p>"
             "<p>Fallen trees block a road. (Photo: Reuters)</p></article></body></html>")


@pytest.mark.parametrize("name", ["clean.trafilatura.v1", "segment.rules.v1", "language.cld2.v1"])
def test_core_stage_changes_only_its_declared_fields(name: str) -> None:
    stage = build_registry(make_plugin_manager(load_entry_points=False)).create(name)
    article = Article(html=PAGE_HTML if name.startswith("clean") else None,
                      title="Storm closes port",
                      text="The harbour authority closed the port on Tuesday as a storm brought"
                           " strong winds.\n\nFallen trees block a road. (Photo: Reuters)",
                      input_ref="page.html")
    before = copy.deepcopy(article)
    result = stage(article)
    after = result[0] if isinstance(result, list) else result
    assert changed_fields(before, after) - set(stage.assigns) == set()
    assert changed_fields(before, after)  # the stage did something on this input
