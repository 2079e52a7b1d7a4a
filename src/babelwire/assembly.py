"""Wiring settings into objects: the store, the pipeline and the ingestor.

Commands and the web app call these instead of building objects themselves,
so every surface runs the same configured pipeline.
"""

from __future__ import annotations

from pathlib import Path

import pluggy

from .db import Database
from .db.vector_index import IndexKind, VectorIndexOptions
from .ingest import IngestOptions, Ingestor
from .pipeline import ErrorPolicy, Pipeline
from .plugins import build_registry, make_plugin_manager
from .settings import Settings
from .sources import SourceOptions


def open_database(settings: Settings, *, path: str | Path | None = None) -> Database:
    """Open (creating and migrating if needed) the SQLite store the settings name."""
    vectors = VectorIndexOptions(exact_below=settings.index_exact_below,
                                 kind=IndexKind(settings.index_kind),
                                 ef_search=settings.index_ef_search)
    return Database(path or settings.db_path,
                    near_duplicate_jaccard=settings.near_duplicate_jaccard,
                    vector_index=vectors)


def build_pipeline(settings: Settings, manager: pluggy.PluginManager | None = None) -> Pipeline:
    """The pipeline of the stage implementations the settings list, in order."""
    registry = build_registry(manager or make_plugin_manager())
    stages = [registry.create(name) for name in settings.stages]
    return Pipeline(stages, policy=ErrorPolicy(settings.error_policy))


def make_ingestor(
    settings: Settings, store: Database, *, source_name: str | None = None,
    pipeline: Pipeline | None = None,
) -> Ingestor:
    """An ingestor over ``store`` with the configured pipeline and limits."""
    options = IngestOptions(
        sources=SourceOptions(max_bytes=settings.max_bytes,
                              fetch_timeout_s=settings.fetch_timeout_s,
                              source_name=source_name),
        min_text_chars=settings.min_text_chars,
    )
    return Ingestor(store, pipeline or build_pipeline(settings), options)
