"""Wiring settings into objects: the store, the pipeline and the ingestor.

Commands and the web app call these instead of building objects themselves,
so every surface runs the same configured pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

from .db import Database
from .db.postgres import is_postgres_url
from .db.shared_sql import TableStore
from .db.vector_index import IndexKind, VectorIndexOptions
from .ingest import AfterIngest, IngestOptions, Ingestor
from .pipeline import ErrorPolicy, Pipeline, Stage
from .plugins import build_registry, make_plugin_manager
from .resources import SharedEncoder, StageResources
from .settings import Settings
from .sources import SourceOptions
from .sources.address_policy import AddressPolicy

if TYPE_CHECKING:
    from .consumer import AfterBatch, ConsumerOptions, QueueConsumer
    from .db.postgres.database import PostgresDatabase
    from .entities.catalog import EntityCatalog
    from .entities.places import Gazetteer
    from .processing import BatchRunner, Processor
    from .queue import ArticleQueue
    from .stories.catalog import StoryCatalog
    from .watch.watcher import Fetcher, Watcher, WatchRequest



def cache_dir() -> Path:
    """Where built tables (the gazetteer's places) are kept between runs."""
    return Path.home() / ".cache" / "babelwire"


def entity_catalog(db: TableStore) -> EntityCatalog:
    """The entity catalogue of ``db``, with the gazetteer cached in `cache_dir`."""
    from .entities.catalog import EntityCatalog

    return EntityCatalog(db, cache_dir=cache_dir())


def open_store(settings: Settings) -> Database | PostgresDatabase:
    """Open the store ``--db`` names: a ``postgresql://`` URL, else a SQLite file."""
    if is_postgres_url(settings.db_path):
        from .db.postgres.database import PostgresDatabase

        return PostgresDatabase(settings.db_path,
                                near_duplicate_jaccard=settings.near_duplicate_jaccard)
    return open_database(settings)


def open_database(settings: Settings, *, path: str | Path | None = None) -> Database:
    """Open (creating and migrating if needed) the SQLite store the settings name."""
    vectors = VectorIndexOptions(exact_below=settings.index_exact_below,
                                 kind=IndexKind(settings.index_kind),
                                 ef_search=settings.index_ef_search)
    return Database(path or settings.db_path,
                    near_duplicate_jaccard=settings.near_duplicate_jaccard,
                    vector_index=vectors)


def build_pipeline(settings: Settings, manager: pluggy.PluginManager | None = None, *,
                   encoder_threads: int | None = None) -> Pipeline:
    """The pipeline of the stage implementations the settings list, in order.

    Its stages share one `StageResources` (one encoder for embed and NER), whose
    encoder runs ``encoder_threads`` threads (None: one per core).
    """
    registry = build_registry(manager or make_plugin_manager())
    resources = StageResources(encoder=SharedEncoder(threads=encoder_threads))
    stages = [registry.create(name, resources=resources) for name in settings.stages]
    return Pipeline(stages, policy=ErrorPolicy(settings.error_policy))


@dataclass(frozen=True, slots=True)
class SettingsStages:
    """Builds the settings' stages where it is called: picklable, so a Dask worker builds
    its own (models load there, once per worker, not in the client)."""

    settings: Settings
    encoder_threads: int | None = 1

    def __call__(self) -> list[Stage]:
        return build_pipeline(self.settings, encoder_threads=self.encoder_threads).stages


def after_ingest_steps(pipeline: Pipeline, store: TableStore,
                       settings: Settings | None = None, *,
                       replay_entities: bool = False) -> list[AfterIngest]:
    """The store-wide steps an ingest with ``pipeline`` needs once its articles are stored.

    A pipeline whose stages assign ``entities`` (NER) gets entity resolution, so
    every stored mention has its canonical id when ``ingest`` returns; one whose
    stages assign ``embedding`` gets story clustering, after resolution (stories
    read the canonical ids). Both use one gazetteer (it loads once, ~300 MB).
    ``replay_entities``: resolve by replaying every mention (after `process`
    replaced stored mentions) instead of continuing the incremental state.
    """
    assigned = {name for stage in pipeline.stages for name in stage.assigns}
    if not assigned & {"entities", "embedding"}:
        return []
    from .entities.places import Gazetteer

    gazetteer = Gazetteer(cache_dir())
    steps: list[AfterIngest] = []
    if "entities" in assigned:
        from .entities.catalog import EntityCatalog, ReplayAfterProcess, ResolveAfterIngest

        catalog = EntityCatalog(store, cache_dir=cache_dir(), gazetteer=gazetteer)
        steps.append(ReplayAfterProcess(catalog) if replay_entities
                     else ResolveAfterIngest(catalog))
    if "embedding" in assigned:
        from .stories.catalog import ClusterAfterIngest

        steps.append(ClusterAfterIngest(story_catalog(store, settings or Settings(),
                                                      gazetteer=gazetteer)))
    return steps


def make_processor(settings: Settings, store: Database | PostgresDatabase, *,
                   batch_size: int, runner: BatchRunner | None = None) -> Processor:
    """A processor of the settings' stages over ``store``; its stages run on ``runner``
    (None: here), and entity resolution / story clustering of the rewritten articles
    follow, here, on either backend (both keep the entity and story tables).
    """
    from .processing import Processor, process_pipeline

    stages = build_pipeline(settings).stages
    policy = ErrorPolicy(settings.error_policy)
    plan = process_pipeline(stages, policy)
    after = after_ingest_steps(plan.pipeline, store, settings, replay_entities=True)
    return Processor(store, stages, policy=policy, batch_size=batch_size, runner=runner,
                     after=after)


def make_queue_consumer(settings: Settings, store: Database | PostgresDatabase,
                        queue_url: str, options: ConsumerOptions) -> QueueConsumer:
    """A consumer of the queue at ``queue_url`` processing into ``store`` (either backend)."""
    from .queue import open_queue

    return queue_consumer(settings, store, open_queue(queue_url), options)


def queue_consumer(settings: Settings, store: Database | PostgresDatabase,
                   queue: ArticleQueue, options: ConsumerOptions) -> QueueConsumer:
    """A consumer of ``queue`` running the settings' stages as `make_processor` does.

    After each batch it resolves the new mentions incrementally, or replays every
    mention when the batch's articles had stored mentions (they were replaced),
    then clusters the newly embedded articles (`after_batch_steps`).
    """
    from .consumer import QueueConsumer
    from .processing import process_pipeline

    plan = process_pipeline(build_pipeline(settings).stages, ErrorPolicy(settings.error_policy))
    return QueueConsumer(store, queue, plan, options,
                         after=after_batch_steps(plan.pipeline, store, settings))


def after_batch_steps(pipeline: Pipeline, store: TableStore,
                      settings: Settings | None = None) -> AfterBatch:
    """The consumer's store-wide steps: `after_ingest_steps`, and the same with resolution
    replaying (for batches whose articles' stored mentions were replaced)."""
    from .consumer import AfterBatch
    from .entities.catalog import ReplayAfterProcess, ResolveAfterIngest

    incremental = after_ingest_steps(pipeline, store, settings)
    replay = [ReplayAfterProcess(step.catalog) if isinstance(step, ResolveAfterIngest) else step
              for step in incremental]
    return AfterBatch(incremental=incremental, replay=replay)


def story_catalog(db: TableStore, settings: Settings,
                  gazetteer: Gazetteer | None = None) -> StoryCatalog:
    """The story catalogue of ``db`` with the settings' window, candidates and model."""
    from .evidence import EvidenceExtractor
    from .stories.catalog import StoryCatalog
    from .stories.clusterer import ClustererOptions
    from .stories.features import FeatureExtractor
    from .stories.model import load_model
    from .stories.threads import ThreadOptions

    options = ClustererOptions(window_days=settings.stories_window_days,
                               candidates=settings.stories_candidates,
                               threads=ThreadOptions(
                                   window_days=settings.stories_thread_window_days))
    model = load_model(Path(settings.stories_model) if settings.stories_model else None)
    extractor = None if gazetteer is None else FeatureExtractor(
        EvidenceExtractor(gazetteer=gazetteer))
    return StoryCatalog(db, model=model, options=options, cache_dir=cache_dir(),
                        feature_extractor=extractor)


def make_ingestor(
    settings: Settings, store: Database | PostgresDatabase, *, source_name: str | None = None,
    pipeline: Pipeline | None = None,
) -> Ingestor:
    """An ingestor over ``store`` with the configured pipeline and limits."""
    options = IngestOptions(
        sources=SourceOptions(max_bytes=settings.max_bytes,
                              fetch_timeout_s=settings.fetch_timeout_s,
                              fetch_policy=AddressPolicy.from_settings(settings.fetch_allow),
                              source_name=source_name),
        min_text_chars=settings.min_text_chars,
    )
    pipeline = pipeline or build_pipeline(settings)
    return Ingestor(store, pipeline, options,
                    after=after_ingest_steps(pipeline, store, settings))


def make_fetcher(settings: Settings) -> Fetcher:
    """`fetch_url` with the settings' limits; 4xx/5xx answers are returned (the watcher acts)."""
    from functools import partial

    from .sources.fetch import fetch_url

    return partial(fetch_url, max_bytes=settings.max_bytes, timeout_s=settings.fetch_timeout_s,
                   policy=AddressPolicy.from_settings(settings.fetch_allow),
                   raise_for_status=False)


def default_watch_state_path(db_path: str) -> Path:
    """Where `watch` keeps its per-feed state unless told: ``<file>.watch.json`` beside a
    SQLite file; for a PostgreSQL URL, ``<host>-<port>-<database>.watch.json`` in the
    working directory (a URL names no folder; user and password are left out of the name).
    """
    if not is_postgres_url(db_path):
        return Path(f"{db_path}.watch.json")
    from urllib.parse import urlsplit

    url = urlsplit(db_path)
    database = url.path.strip("/") or "postgres"
    return Path(f"{url.hostname or 'localhost'}-{url.port or 5432}-{database}.watch.json")


def make_watcher(settings: Settings, store: Database | PostgresDatabase,
                 request: WatchRequest) -> Watcher:
    """A watcher over the feeds ``request`` lists, ingesting into ``store`` (either backend)."""
    from .queue import open_queue
    from .watch import Watcher, WatchState, read_feed_list

    state_path = request.state_path or default_watch_state_path(settings.db_path)
    queue = open_queue(request.queue_url) if request.queue_url else None
    return Watcher(read_feed_list(request.feeds_path), make_ingestor(settings, store),
                   WatchState.load(state_path), make_fetcher(settings),
                   options=request.options, queue=queue)
