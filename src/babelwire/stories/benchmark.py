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
Zipf distribution over ``entity_vocabulary`` names. A share of the new stories
(15 %) are follow-ups of a story begun 5 to 20 days before (a nearby direction, two
of its main names), which the thread linker should put into that story's thread;
the bench counts the threads linked and whether each is the true one.

What is timed: `StreamingClusterer.add` on the ``probe`` articles that follow the
first ``size`` articles, for each size (features are generated before the clock
starts), in wall time and in CPU time of the process. Why CPU time too: on the
shared 2-core machine other jobs often keep the load at 5-13, which stretches the
wall time two to four times and by a different amount at each size; CPU time is
what the clusterer itself spends. The probe's CPU time can also miss or hit
costs that come in bursts (a batch full of new stories, an ageing-out wave), so
the CPU time per article over all the articles clustered since the previous size
(the "amortised" figure, stream generation excluded) is reported as well. Memory per
article is the growth of the resident set over the articles clustered so far. The
run stops by itself after the largest size's probe, or when ``max_seconds`` have
passed (what was measured until then is reported).
"""

from __future__ import annotations

import bisect
import time
from array import array
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from .clusterer import Assignment, ClustererOptions, StreamingClusterer
from .features import ArticleFeatures
from .model import StoryModel, load_model
from .training import pairwise_f1

DEVIATION = 0.45
LANGUAGE_WEIGHT = 0.3
NOISE = 0.5
STORY_ACTIVE_DAYS = 1.5
FOLLOW_UP_DAYS = (5.0, 20.0)
"""How long before a follow-up the story it continues began: from 5 days (so that story, at
most `STORY_ACTIVE_DAYS` long, has left the 3-day live window) to 20 (inside the 21-day
thread window)."""
FOLLOW_UP_COSINE = 0.6
"""Cosine of a follow-up's direction with its earlier story's: a follow-up's first report has
a centred cosine of 0.43-0.55 (1st-75th percentile, measured) with that story's centroid,
above the thread rule's 0.3. With two of three main names shared, the thread rule's name
overlap (≥ 0.2 of the IDF mass) holds for about two thirds of the follow-ups: the four
background names of a report often carry more IDF than the shared main ones."""
CHUNK = 10_000


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamShape:
    """The synthetic stream's parameters (see the module docstring)."""

    articles_per_day: float = 20_000.0
    mean_story_size: float = 6.0
    languages: int = 12
    entity_vocabulary: int = 200_000
    zipf_exponent: float = 1.1
    follow_up_share: float = 0.15
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
    follow_ups: int
    threads_linked: int
    threads_correct: int


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
class _Origin:
    """A story the stream may continue later: when it began, its number and main names."""

    day: float
    story: int
    main: tuple[str, ...]


@dataclass(slots=True)
class SyntheticStream:
    """Generates the stream chunk by chunk, remembering each article's true story.

    A share of the new stories (``follow_up_share``) continue an earlier story that began
    `FOLLOW_UP_DAYS` before: their direction has cosine `FOLLOW_UP_COSINE` with the
    earlier one's and they name two of its three main names (and one of their own), so
    the thread linker has something to link; ``parent`` maps each such story to the
    earlier one (``followers`` the other way). Only stories that are not follow-ups
    themselves are continued, so a story's true thread is its parent's (or its own).
    """

    shape: StreamShape
    prior: np.ndarray
    dim: int = 384
    _rng: np.random.Generator = field(init=False)
    _languages: np.ndarray = field(init=False)
    _active: deque[tuple[int, float, np.ndarray, tuple[str, ...]]] = field(init=False)
    _origins: list[_Origin] = field(default_factory=list)
    _origin_days: list[float] = field(default_factory=list)
    _stories: int = 0
    _made: int = 0
    truth: dict[str, int] = field(default_factory=dict)
    parent: dict[int, int] = field(default_factory=dict)
    followers: dict[int, list[int]] = field(default_factory=dict)
    first_article: array[int] = field(default_factory=lambda: array("q"))

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
            story, direction, main = self._story_for(day, self._made + n)
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

    def thread_of(self, story: int) -> int:
        """The true thread of a story: the earlier story it continues, else itself."""
        return self.parent.get(story, story)

    def _story_for(self, day: float, article: int) -> tuple[int, np.ndarray, tuple[str, ...]]:
        while self._active and self._active[0][1] < day - STORY_ACTIVE_DAYS:
            self._active.popleft()
        if not self._active or self._rng.random() < 1.0 / self.shape.mean_story_size:
            story = self._stories
            self._stories += 1
            self.first_article.append(article)
            direction, main = self._new_story(story, day)
            self._active.append((story, day, direction, main))
            return story, direction, main
        story, _, direction, main = self._active[int(self._rng.integers(len(self._active)))]
        return story, direction, main

    def _new_story(self, story: int, day: float) -> tuple[np.ndarray, tuple[str, ...]]:
        """A new story's direction and main names: fresh, or continuing an earlier story."""
        direction = self._direction(story)
        own = tuple(f"e{int(k)}" for k in self._zipf_ints(3, self.shape.entity_vocabulary))
        origin = self._origin_for(day) if self._rng.random() < self.shape.follow_up_share else None
        if origin is None:
            self._origins.append(_Origin(day, story, own))
            self._origin_days.append(day)
            return direction, own
        self.parent[story] = origin.story
        self.followers.setdefault(origin.story, []).append(story)
        mixed = (FOLLOW_UP_COSINE * self._direction(origin.story)
                 + np.sqrt(1.0 - FOLLOW_UP_COSINE**2) * direction)
        return mixed / np.linalg.norm(mixed), (*origin.main[:2], own[2])

    def _origin_for(self, day: float) -> _Origin | None:
        """A story that began `FOLLOW_UP_DAYS` before ``day`` (None when there is none)."""
        earliest, latest = day - FOLLOW_UP_DAYS[1], day - FOLLOW_UP_DAYS[0]
        first = bisect.bisect_left(self._origin_days, earliest)
        if first > 4096:  # drop the stories too old to be continued (a list, not a deque:
            del self._origins[:first]  # bisect and random picks need indexing)
            del self._origin_days[:first]
            first = 0
        last = bisect.bisect_right(self._origin_days, latest)
        return self._origins[int(self._rng.integers(first, last))] if last > first else None

    def _direction(self, story: int) -> np.ndarray:
        """Story ``story``'s own random direction (seeded by its number: nothing to keep)."""
        seeded = np.random.default_rng((self.shape.seed, story)).standard_normal(self.dim)
        return seeded / np.linalg.norm(seeded)

    def _zipf_ints(self, count: int, vocabulary: int) -> np.ndarray:
        """Zipf-distributed integers in [0, vocabulary)."""
        return (self._rng.zipf(self.shape.zipf_exponent, count) - 1) % vocabulary


@dataclass(slots=True)
class ThreadTally:
    """The thread decisions of the stories a stream's articles started, against its truth.

    A new story is *linked* when the thread linker put it into an earlier story's thread;
    *correct* when it is a follow-up and that thread is its true one: the id the clusterer
    gives the story begun by the first article of its earlier story, or of another
    follow-up of that story (which started the thread when it was not linked itself).
    """

    linked: int = 0
    correct: int = 0

    def count(self, stream: SyntheticStream, clusterer: StreamingClusterer,
              assigned: Sequence[Assignment]) -> None:
        """Tally the stories ``assigned`` started (call before ``stream.truth`` is cleared)."""
        for assignment in assigned:
            if not assignment.is_new:
                continue
            story = clusterer.story(assignment.story_id)
            if story is None or story.thread_id in (None, story.id):
                continue
            self.linked += 1
            truth = stream.truth[assignment.article_id]
            thread = stream.thread_of(truth)
            if thread == truth:
                continue  # not a follow-up: no earlier story's thread is right
            right = {clusterer.make_id(f"a{stream.first_article[member]}")
                     for member in (thread, *stream.followers[thread])}
            self.correct += story.thread_id in right


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
    tally = ThreadTally()
    _import_faiss()  # its import (tens of MB) must not count as memory per article
    baseline = _rss_bytes()
    started = time.perf_counter()
    done = 0
    results: list[SizeResult] = []
    for size in sorted(sizes):
        since, cpu = done, 0.0
        for chunk in _chunks_until(stream, done, size):
            cpu_clock = time.process_time()
            assigned = clusterer.add(chunk)
            cpu += time.process_time() - cpu_clock
            tally.count(stream, clusterer, assigned)
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
        tally.count(stream, clusterer, assigned)
        results.append(_size_result(size, timing, clusterer, baseline, done,
                                    stream, assigned, tally))
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
                 assigned: Sequence[Assignment], tally: ThreadTally) -> SizeResult:
    rss = _rss_bytes()
    ids = {a.article_id: a.story_id for a in assigned}
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
        probe_pairwise_f1=round(pairwise_f1(truth, ids), 4),
        follow_ups=len(stream.parent), threads_linked=tally.linked,
        threads_correct=tally.correct)


def _result(results: list[SizeResult], done: int, started: float, stopped: bool,
            shape: StreamShape) -> ClusterBenchmark:
    return ClusterBenchmark(sizes=results, articles=done,
                            seconds=round(time.perf_counter() - started, 1),
                            stopped_early=stopped,
                            shape={"articles_per_day": shape.articles_per_day,
                                   "mean_story_size": shape.mean_story_size,
                                   "languages": shape.languages,
                                   "entity_vocabulary": shape.entity_vocabulary,
                                   "zipf_exponent": shape.zipf_exponent,
                                   "follow_up_share": shape.follow_up_share})


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
        f" | {r.probe_pairwise_f1} | {r.follow_ups:,} | {r.threads_linked:,}"
        f" ({r.threads_correct:,} right) |" for r in result.sizes)
    shape = result.shape
    return (
        f"## Story clustering (`{command}`)\n\n"
        f"`StreamingClusterer.add` on a synthetic stream ({shape['articles_per_day']:,.0f}"
        f" articles a day, stories of {shape['mean_story_size']:.0f} articles on average,"
        f" {shape['languages']:.0f} languages, e5-shaped vectors, entities Zipf"
        f" s={shape['zipf_exponent']} over {shape['entity_vocabulary']:,.0f} names;"
        f" {shape['follow_up_share']:.0%} of new stories continue one begun 5-20 days"
        " earlier), timing the"
        " articles that follow each size; one process on the shared 2-core machine. Wall"
        " time (articles/s, µs/article) and CPU time of the process (CPU µs/article: what the"
        " clusterer spends, whatever the other jobs' load); amortised: CPU µs per article over"
        " all the articles clustered since the previous size. Memory per article: growth"
        " of the resident set over the articles clustered so far (stories older than the"
        " 21-day thread window leave memory, so it falls as the stream grows). Follow-up"
        " stories: those the stream made so far that continue an earlier one; threads"
        " linked: new stories the clusterer put into an earlier story's thread (right:"
        " into their true earlier story's)."
        f" {result.articles:,} articles in {result.seconds} s"
        + (" (stopped early at the time limit)" if result.stopped_early else "") + ".\n\n"
        "| clustered | articles/s | µs/article | CPU µs/article | amortised CPU µs/article |"
        " live stories (index) | stories in memory | RSS MB | bytes/article |"
        " probe pairwise F1 | follow-up stories | threads linked |"
        "\n|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        + rows + "\n")
