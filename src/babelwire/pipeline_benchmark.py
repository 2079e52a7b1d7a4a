"""``babelwire bench pipeline``: articles/s of a whole ingest and each stage's share of the time.

One real ingest of sample-corpus articles into a fresh store in a temporary
folder, through the configured machinery (`assembly.make_ingestor`): reading the
input, the stages (clean → segment → language → NER → quotes → embed by default),
the store's inserts, and the after-ingest steps (entity resolution, story
clustering). Each stage object, the store's ``add_article`` and each after-ingest
step are wrapped in a timer; ``ingest`` is what remains (reading and parsing the
input, the ingestor's own work). Model loading counts where it happens (the first
article of the encoder stages), as it does for a user.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .record import Article
from .samples import sample_paths
from .settings import Settings

FULL_STAGES = ("clean.trafilatura.v1", "segment.rules.v1", "language.cld2.v1", "ner.e5.v3",
               "quotes.rules.v1", "embed.e5.v1")
"""The issue's pipeline: ingest → segment → language → entities → quotes → embed → cluster."""

STAGE_GROUP = {"ner": "entities", "entities.resolve": "entities", "stories.cluster": "cluster"}
"""Timer names shown under the issue's stage names (NER and resolution are "entities")."""


@dataclass(frozen=True, slots=True)
class PipelineBenchmark:
    """One timed ingest."""

    articles: int
    seconds: float
    articles_per_s: float
    stage_seconds: dict[str, float]
    stage_share: dict[str, float]
    stages: list[str]
    stories: int


@dataclass(slots=True)
class _Clock:
    seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, name: str, started: float) -> None:
        self.seconds[STAGE_GROUP.get(name, name)] += time.perf_counter() - started


class _TimedStage:
    """A stage that adds its running time to a clock; otherwise the stage itself."""

    def __init__(self, stage: Any, clock: _Clock) -> None:
        self._stage = stage
        self._clock = clock
        self.name = stage.name
        self.requires = stage.requires
        self.assigns = stage.assigns
        self.expands = getattr(stage, "expands", False)

    def __call__(self, article: Article) -> Any:
        started = time.perf_counter()
        try:
            return self._stage(article)
        finally:
            self._clock.add(self.name, started)


class _TimedStep:
    def __init__(self, step: Any, clock: _Clock) -> None:
        self._step = step
        self._clock = clock
        self.name = step.name

    def __call__(self, report: Any) -> None:
        started = time.perf_counter()
        try:
            self._step(report)
        finally:
            self._clock.add(self.name, started)


def sample_input(folder: Path, limit: int) -> Path:
    """A JSONL file of ``limit`` sample-corpus articles taken evenly across the files."""
    lines = [line for path in sample_paths()
             for line in path.read_text(encoding="utf-8").splitlines()]
    step = max(len(lines) // limit, 1)
    chosen = lines[::step][:limit]
    target = folder / "sample.jsonl"
    target.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    return target


def bench_pipeline(*, limit: int = 120, stages: Sequence[str] = FULL_STAGES,
                   settings: Settings | None = None) -> PipelineBenchmark:
    """Ingest ``limit`` sample articles through ``stages`` into a fresh store, timing each part."""
    from . import assembly
    from .pipeline import ErrorPolicy, Pipeline

    clock = _Clock()
    with tempfile.TemporaryDirectory(prefix="babelwire-bench-") as folder:
        base = replace(settings or Settings(), db_path=str(Path(folder) / "bench.db"),
                       stages=tuple(stages), error_policy="record")
        source = sample_input(Path(folder), limit)
        db = assembly.open_database(base)
        try:
            built = assembly.build_pipeline(base)
            timed = Pipeline([_TimedStage(s, clock) for s in built.stages],
                             policy=ErrorPolicy(base.error_policy))
            ingestor = assembly.make_ingestor(base, db, pipeline=timed)
            ingestor.after = [_TimedStep(step, clock) for step in ingestor.after]
            _time_store(ingestor, clock)
            started = time.perf_counter()
            report = ingestor.ingest([str(source)])
            total = time.perf_counter() - started
            stories = int(db.write(lambda conn: conn.execute(
                "SELECT count(*) FROM stories").fetchone()[0]))
        finally:
            db.close()
    parts = dict(clock.seconds)
    parts["ingest"] = max(0.0, total - sum(parts.values()))
    articles = report.inserted
    return PipelineBenchmark(
        articles=articles, seconds=round(total, 2),
        articles_per_s=round(articles / total, 2) if total else 0.0,
        stage_seconds={k: round(v, 3) for k, v in sorted(parts.items())},
        stage_share={k: round(v / total, 4) for k, v in sorted(parts.items())},
        stages=list(stages), stories=stories)


def _time_store(ingestor: Any, clock: _Clock) -> None:
    """Time the store's inserts (the ``store`` stage) without touching the store class."""
    add = ingestor.store.add_article

    def timed_add(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return add(*args, **kwargs)
        finally:
            clock.add("store", started)

    ingestor.store = _StoreProxy(ingestor.store, timed_add)


class _StoreProxy:
    def __init__(self, store: Any, add_article: Any) -> None:
        self._store = store
        self.add_article = add_article

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def to_json(result: PipelineBenchmark) -> str:
    """The ``--json`` output."""
    from dataclasses import asdict

    return json.dumps(asdict(result))


def render_markdown(result: PipelineBenchmark, command: str) -> str:
    """The docs/BENCHMARKS.md section of a run."""
    rows = "\n".join(f"| {name} | {result.stage_seconds[name]} | {100 * share:.1f} % |"
                     for name, share in sorted(result.stage_share.items(),
                                               key=lambda item: -item[1]))
    return (
        f"## Whole pipeline (`{command}`)\n\n"
        f"One ingest of {result.articles} sample-corpus articles into a fresh store with"
        f" {', '.join(result.stages)}, then entity resolution and story clustering"
        f" ({result.stories} stories): **{result.articles_per_s} articles/s**"
        f" ({result.seconds} s, model loading included), shared 2-core machine.\n\n"
        "| part | seconds | share |\n|---|---|---|\n" + rows + "\n")
