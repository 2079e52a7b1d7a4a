"""``babelwire bench cluster``: clusterer throughput on a synthetic stream, at growing sizes.

The stream mimics what the clusterer sees in a big monitor: ``articles_per_day``
articles (20,000 by default, so a million span 50 days and the live window holds
60,000 of them), each a report of a story that started up to a day and a half
earlier (a new story with probability 1 / ``mean_story_size``), in one of
``languages`` languages. Vectors are e5-shaped: the shipped model's all-language
prior mean (real e5 vectors share one direction) plus a deviation of norm 0.45
towards the story's own random direction, a language direction and noise, so the
centred cosine of two reports of one story is about 0.75 and of two stories about
0. Keys are the story's three main entities (each report names each with
probability 0.8) plus four background entities and two numbers, all drawn from a
Zipf distribution over ``entity_vocabulary`` names.

What is timed: `StreamingClusterer.add` on the ``probe`` articles that follow the
first ``size`` articles, for each size (features are generated before the clock
starts), in wall time and in CPU time of the process. Why CPU time too: on the
shared 2-core machine other jobs often keep the load at 5-13, which stretches the
wall time two to four times and by a different amount at each size; CPU time is
what the clusterer itself spends. The probe's CPU time can also miss or hit one
rebuild of the thread archive's HNSW graph (past 40,000 archived stories, every
few tens of thousands of articles), so the CPU time per article over all the
articles clustered since the previous size (the "amortised" figure, stream
generation excluded) is reported as well. Memory per
article is the growth of the resident set over the articles clustered so far. The
run stops by itself after the largest size's probe, or when ``max_seconds`` have
passed (what was measured until then is reported).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from .clusterer import ClustererOptions, StreamingClusterer
from .features import ArticleFeatures
from .model import StoryModel, load_model
from .training import pairwise_f1

DEVIATION = 0.45
LANGUAGE_WEIGHT = 0.3
NOISE = 0.5
STORY_ACTIVE_DAYS = 1.5
CHUNK = 10_000


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamShape:
    """The synthetic stream's parameters (see the module docstring)."""

    articles_per_day: float = 20_000.0
    mean_story_size: float = 6.0
    languages: int = 12
    entity_vocabulary: int = 200_000
    zipf_exponent: float = 1.1
    seed: int = 0


@dataclass(frozen=True, slots=True)
class SizeResult:
    """Throughput and state after ``size`` articles were clustered."""

    size: int
    articles_per_s: float
    us_per_article: float
    cpu_us_per_article: float
    amortised_cpu_us_per_article: float
    live_stories: int
    stories_in_memory: int
    index_mode: str
    rss_mb: float
    bytes_per_article: float
    probe_pairwise_f1: float


@dataclass(frozen=True, slots=True)
class ClusterBenchmark:
    """The whole run: one result per size reached, and what the stream was."""

    sizes: list[SizeResult]
    articles: int
    seconds: float
    stopped_early: bool
    shape: dict[str, float]

    @property
    def articles_per_s(self) -> dict[str, float]:
        """``{size: articles/s}``, the headline of the JSON output."""
        return {str(r.size): r.articles_per_s for r in self.sizes}


@dataclass(slots=True)
class SyntheticStream:
    """Generates the stream chunk by chunk, remembering each article's true story."""

    shape: StreamShape
    prior: np.ndarray
    dim: int = 384
    _rng: np.random.Generator = field(init=False)
    _languages: np.ndarray = field(init=False)
    _active: deque[tuple[int, float, np.ndarray, tuple[str, ...]]] = field(init=False)
    _stories: int = 0
    _made: int = 0
    truth: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._rng = np.random.default_rng(self.shape.seed)
        self._languages = _unit(self._rng.standard_normal((self.shape.languages, self.dim)))
        self._active = deque()

    def next(self, count: int) -> list[ArticleFeatures]:
        """The next ``count`` articles of the stream, in time order."""
        rng = self._rng
        langs = self._zipf_ints(count, self.shape.languages)
        noise = rng.standard_normal((count, self.dim)) * NOISE / np.sqrt(self.dim)
        background = self._zipf_ints(count * 4, self.shape.entity_vocabulary).reshape(count, 4)
        numbers = rng.integers(10, 100_000, (count, 2))
        keep = rng.random((count, 3)) < 0.8
        out = []
        for n in range(count):
            day = (self._made + n) / self.shape.articles_per_day
            story, direction, main = self._story_for(day)
            deviation = direction + LANGUAGE_WEIGHT * self._languages[langs[n]] + noise[n]
            vector = self.prior + DEVIATION * deviation / np.linalg.norm(deviation)
            keys = {f"n:{k}" for k, kept in zip(main, keep[n], strict=True) if kept}
            keys |= {f"n:e{int(k)}" for k in background[n]} | {f"d:{int(k)}" for k in numbers[n]}
            article_id = f"a{self._made + n}"
            self.truth[article_id] = story
            out.append(ArticleFeatures(id=article_id, lang=f"l{int(langs[n])}",
                                       vector=(vector / np.linalg.norm(vector)).astype(np.float32),
                                       day=day, keys=frozenset(keys)))
        self._made += count
        return out

    def _story_for(self, day: float) -> tuple[int, np.ndarray, tuple[str, ...]]:
        while self._active and self._active[0][1] < day - STORY_ACTIVE_DAYS:
            self._active.popleft()
        if not self._active or self._rng.random() < 1.0 / self.shape.mean_story_size:
            direction = _unit(self._rng.standard_normal((1, self.dim)))[0]
            main = tuple(f"e{int(k)}" for k in self._zipf_ints(3, self.shape.entity_vocabulary))
            self._active.append((self._stories, day, direction, main))
            self._stories += 1
            return self._active[-1][0], direction, main
        story, _, direction, main = self._active[int(self._rng.integers(len(self._active)))]
        return story, direction, main

    def _zipf_ints(self, count: int, vocabulary: int) -> np.ndarray:
        """Zipf-distributed integers in [0, vocabulary)."""
        return (self._rng.zipf(self.shape.zipf_exponent, count) - 1) % vocabulary


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _import_faiss() -> None:
    try:
        import faiss  # noqa: F401
    except ImportError:
        pass


def _rss_bytes() -> int:
    """The resident set size now (Linux /proc), 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    import resource

    return pages * resource.getpagesize()


def bench_cluster(sizes: Sequence[int] = (10_000, 100_000, 1_000_000), *, probe: int = 5_000,
                  shape: StreamShape | None = None, model: StoryModel | None = None,
                  options: ClustererOptions | None = None,
                  max_seconds: float = 1_800.0) -> ClusterBenchmark:
    """Cluster the synthetic stream up to the largest size, timing ``probe`` articles at each."""
    shape = shape or StreamShape()
    model = model or load_model()
    stream = SyntheticStream(shape, _prior(model))
    clusterer = StreamingClusterer(model, options)
    _import_faiss()  # its import (tens of MB) must not count as memory per article
    baseline = _rss_bytes()
    started = time.perf_counter()
    done = 0
    results: list[SizeResult] = []
    for size in sorted(sizes):
        since, cpu = done, 0.0
        for chunk in _chunks_until(stream, done, size):
            cpu_clock = time.process_time()
            clusterer.add(chunk)
            cpu += time.process_time() - cpu_clock
            clusterer.take_retired()  # a store would write these; here they are let go
            stream.truth.clear()  # only the probes are scored; the rest would cost memory
            done += len(chunk)
            if time.perf_counter() - started > max_seconds:
                return _result(results, done, started, True, shape)
        clusterer.take_retired()
        probe_articles = stream.next(probe)
        clock, cpu_clock = time.perf_counter(), time.process_time()
        assigned = clusterer.add(probe_articles)
        seconds = time.perf_counter() - clock
        timing = _Timing(probe, seconds, time.process_time() - cpu_clock,
                         cpu, done - since)
        done += probe
        results.append(_size_result(size, timing, clusterer, baseline, done,
                                    stream, assigned))
    return _result(results, done, started, False, shape)


@dataclass(frozen=True, slots=True)
class _Timing:
    """One size's clocks: the probe's wall and CPU seconds, and the CPU seconds of the
    ``before`` articles clustered since the previous size."""

    probe: int
    seconds: float
    cpu_seconds: float
    cpu_before: float
    before: int


def _chunks_until(stream: SyntheticStream, done: int, size: int) -> Iterator[list[ArticleFeatures]]:
    while done < size:
        count = min(CHUNK, size - done)
        yield stream.next(count)
        done += count


def _size_result(size: int, timing: _Timing, clusterer: StreamingClusterer,
                 baseline: int, done: int, stream: SyntheticStream,
                 assigned: Sequence[object]) -> SizeResult:
    rss = _rss_bytes()
    ids = {a.article_id: a.story_id for a in assigned}  # type: ignore[attr-defined]
    truth = {a: str(stream.truth[a]) for a in ids}
    stream.truth.clear()
    probe, amortised = timing.probe, timing.cpu_before / max(timing.before, 1)
    return SizeResult(
        size=size, articles_per_s=round(probe / timing.seconds, 1),
        us_per_article=round(1e6 * timing.seconds / probe, 1),
        cpu_us_per_article=round(1e6 * timing.cpu_seconds / probe, 1),
        amortised_cpu_us_per_article=round(1e6 * amortised, 1),
        live_stories=clusterer.index.live,
        stories_in_memory=sum(1 for _ in clusterer.in_memory()),
        index_mode=clusterer.index.mode, rss_mb=round(rss / 2**20, 1),
        bytes_per_article=round((rss - baseline) / done, 1),
        probe_pairwise_f1=round(pairwise_f1(truth, ids), 4))


def _result(results: list[SizeResult], done: int, started: float, stopped: bool,
            shape: StreamShape) -> ClusterBenchmark:
    return ClusterBenchmark(sizes=results, articles=done,
                            seconds=round(time.perf_counter() - started, 1),
                            stopped_early=stopped,
                            shape={"articles_per_day": shape.articles_per_day,
                                   "mean_story_size": shape.mean_story_size,
                                   "languages": shape.languages,
                                   "entity_vocabulary": shape.entity_vocabulary,
                                   "zipf_exponent": shape.zipf_exponent})


def _prior(model: StoryModel) -> np.ndarray:
    prior = model.prior().get("*")
    if prior is None:
        return np.zeros(384)
    return prior


def render_markdown(result: ClusterBenchmark, command: str) -> str:
    """The docs/BENCHMARKS.md section of a run."""
    rows = "\n".join(
        f"| {r.size:,} | {r.articles_per_s:,} | {r.us_per_article} | {r.cpu_us_per_article}"
        f" | {r.amortised_cpu_us_per_article} | {r.live_stories:,}"
        f" ({r.index_mode}) | {r.stories_in_memory:,} | {r.rss_mb} | {r.bytes_per_article:,}"
        f" | {r.probe_pairwise_f1} |" for r in result.sizes)
    shape = result.shape
    return (
        f"## Story clustering (`{command}`)\n\n"
        f"`StreamingClusterer.add` on a synthetic stream ({shape['articles_per_day']:,.0f}"
        f" articles a day, stories of {shape['mean_story_size']:.0f} articles on average,"
        f" {shape['languages']:.0f} languages, e5-shaped vectors, entities Zipf"
        f" s={shape['zipf_exponent']} over {shape['entity_vocabulary']:,.0f} names), timing the"
        " articles that follow each size; one process on the shared 2-core machine. Wall"
        " time (articles/s, µs/article) and CPU time of the process (CPU µs/article: what the"
        " clusterer spends, whatever the other jobs' load); amortised: CPU µs per article over"
        " all the articles clustered since the previous size (the thread archive's HNSW"
        " rebuilds included). Memory per article: growth of the resident set over the"
        " articles clustered so far (stories older than the 21-day thread window leave"
        " memory, so it falls as the stream grows)."
        f" {result.articles:,} articles in {result.seconds} s"
        + (" (stopped early at the time limit)" if result.stopped_early else "") + ".\n\n"
        "| clustered | articles/s | µs/article | CPU µs/article | amortised CPU µs/article |"
        " live stories (index) | stories in memory | RSS MB | bytes/article |"
        " probe pairwise F1 |\n|---|---|---|---|---|---|---|---|---|---|\n"
        + rows + "\n")
