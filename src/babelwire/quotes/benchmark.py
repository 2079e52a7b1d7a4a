"""``babelwire bench quotes``: articles per second of the quotes stage, against a regex pass.

The peer measured in the same run, on the same texts, is the reference
scorer's floor: one regular expression finding every „…“ “…” "…" «…» stretch
(no speakers, no indirect speech). It is about the least work that finds any
quotation, so ``ratio_vs_regex`` says how many regex passes one extraction
costs. Both run ``repeats`` times, interleaved; the best round counts (the
machine is shared). Lexicons are loaded before timing (``load_s`` reports it).

The stage works per article, so it scales over processes: ``workers=N`` runs the
extraction in N worker processes (started and given their lexicons before
timing; each round sends them their share of the texts and waits for the last),
while the regex floor stays in this process, so with N > 1 ``ratio_vs_regex``
compares N processes with one. ``cpu_articles_per_s`` divides by the CPU seconds
the extraction took (summed over the workers): it is the rate per core, which
the load from other jobs moves far less than the wall-clock ``articles_per_s``.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import ConfigError
from ..samples import sample_paths
from .extractor import QuoteExtractor

FLOOR_RE = re.compile(r"„[^„“\n]+“|“[^“”\n]+”|\"[^\"\n]+\"|«[^«»\n]+»")
"""The reference scorer's baseline: marked stretches on one line."""


@dataclass(frozen=True, slots=True)
class QuotesBenchmark:
    """One run of the quotes benchmark."""

    articles: int
    characters: int
    languages: list[str]
    quotes: int
    workers: int
    load_s: float
    articles_per_s: float
    cpu_articles_per_s: float
    characters_per_s: float
    regex_articles_per_s: float
    ratio_vs_regex: float


def sample_articles(paths: list[Path] | None = None) -> list[tuple[str, str]]:
    """(text, language) of every article in JSONL files with ``text`` and ``lang``/``language``.

    Defaults to the bundled sample corpus.
    """
    articles = []
    for path in paths or sample_paths():
        for number, line in enumerate(_lines(path), start=1):
            if line.strip():
                record = _record(path, number, line)
                articles.append((record["text"], record.get("lang") or record.get("language", "")))
    if not articles:
        raise ConfigError(f"no articles to time in {[str(p) for p in paths or []]}: give JSONL"
                          " files with one {\"text\": ..., \"lang\": ...} object per line")
    return articles


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start}):"
                          " give JSONL files with `text` and `lang`") from error


def _record(path: Path, number: int, line: str) -> dict[str, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path}:{number} is not a JSON object ({error.msg}):"
                          " give JSONL files with `text` and `lang`") from error
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ConfigError(f"{path}:{number} has no string `text` field:"
                          " give JSONL files with `text` and `lang`")
    return record


def bench_quotes(articles: list[tuple[str, str]], repeats: int = 3,
                 workers: int = 1) -> QuotesBenchmark:
    """Time the extractor (in ``workers`` processes) and the regex floor over ``articles``,
    best of ``repeats`` each."""
    languages = sorted({lang for _, lang in articles})
    started = time.perf_counter()
    with _Extraction(articles, languages, workers) as extraction:
        load_s = time.perf_counter() - started

        def regex() -> None:
            for text, _ in articles:
                FLOOR_RE.findall(text)

        ours, floor = _best_of(extraction.run, regex, repeats)
    characters = sum(len(text) for text, _ in articles)
    return QuotesBenchmark(
        articles=len(articles), characters=characters, languages=languages,
        quotes=extraction.quotes, workers=workers, load_s=round(load_s, 3),
        articles_per_s=round(len(articles) / ours, 1),
        cpu_articles_per_s=round(len(articles) / extraction.best_cpu_s, 1)
        if extraction.best_cpu_s > 0 else 0.0,
        characters_per_s=round(characters / ours),
        regex_articles_per_s=round(len(articles) / floor, 1),
        ratio_vs_regex=round(floor / ours, 4))


class _Extraction:
    """One timed extraction round over the articles: here, or spread over worker processes
    (the longest texts first, each to the worker with the fewest characters so far)."""

    def __init__(self, articles: list[tuple[str, str]], languages: list[str],
                 workers: int) -> None:
        self.articles, self.languages = articles, languages
        self.shares: list[list[tuple[str, str]]] = [[] for _ in range(workers)]
        sizes = [0] * workers
        for article in sorted(articles, key=lambda a: -len(a[0])):
            k = sizes.index(min(sizes))
            self.shares[k].append(article)
            sizes[k] += len(article[0])
        self.quotes, self.best_cpu_s = 0, float("inf")
        self._extractor: QuoteExtractor | None = None
        self._pipes: list[Connection] = []
        self._processes: list[multiprocessing.process.BaseProcess] = []

    def __enter__(self) -> _Extraction:
        if len(self.shares) == 1:
            self._extractor = QuoteExtractor()
            for language in self.languages:
                self._extractor.lexicon(language)
            return self
        context = multiprocessing.get_context("spawn")
        for _ in self.shares:
            ours, theirs = context.Pipe()
            process = context.Process(target=_worker, args=(theirs, self.languages),
                                      daemon=True)
            process.start()
            self._pipes.append(ours)
            self._processes.append(process)
        for pipe in self._pipes:
            pipe.recv()  # ready: lexicons loaded
        return self

    def __exit__(self, *exc: object) -> None:
        for pipe in self._pipes:
            pipe.send(None)
        for process in self._processes:
            process.join()

    def run(self) -> None:
        """Extract every article once; note the quotes found and the CPU seconds spent."""
        if self._extractor is not None:
            self.quotes, cpu_s = _extract(self._extractor, self.articles)
        else:
            for pipe, share in zip(self._pipes, self.shares, strict=True):
                pipe.send(share)
            results = [pipe.recv() for pipe in self._pipes]
            self.quotes, cpu_s = sum(q for q, _ in results), sum(c for _, c in results)
        self.best_cpu_s = min(self.best_cpu_s, cpu_s)


def _extract(extractor: QuoteExtractor, articles: list[tuple[str, str]]) -> tuple[int, float]:
    """(quotes found, CPU seconds of this process) for one pass over ``articles``."""
    started = time.process_time()
    quotes = sum(len(extractor.extract(text, lang)) for text, lang in articles)
    return quotes, time.process_time() - started


def _worker(pipe: Connection, languages: list[str]) -> None:
    """A worker process: load the lexicons, then extract each share sent until None comes."""
    extractor = QuoteExtractor()
    for language in languages:
        extractor.lexicon(language)
    pipe.send("ready")
    while (share := pipe.recv()) is not None:
        pipe.send(_extract(extractor, share))


def render_markdown(runs: list[QuotesBenchmark], command: str, when: str) -> str:
    """The BENCHMARKS.md section: one row per number of worker processes, same texts.

    Why two rows: the issue's rate is "on 2 cores", and the stage is per article, so
    the second core is used by a second process; the one-process row beside it
    (same moment, same texts) shows what the second process added on this machine.
    """
    first = runs[0]
    rows = [f"| {r.workers} | {r.articles_per_s} | {r.cpu_articles_per_s} | {r.quotes} |"
            f" {r.regex_articles_per_s} | {r.ratio_vs_regex} |" for r in runs]
    return "\n".join([
        f"## Quotes stage (`{command}`)",
        "",
        f"{first.articles} articles ({first.characters:,} characters; languages"
        f" {', '.join(first.languages)}) through `QuoteExtractor.extract`, lexicons loaded"
        " before timing, best of the rounds; the peer in the same run is one regular"
        " expression finding every marked stretch (the least work that finds any quotation).",
        "",
        "| processes | articles/s | articles per CPU second | quotes | regex articles/s |"
        " ratio to regex |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"{when}",
    ])


def _best_of(one: Callable[[], None], other: Callable[[], None],
             repeats: int) -> tuple[float, float]:
    best = [float("inf"), float("inf")]
    for _ in range(max(repeats, 1)):
        for k, run in enumerate((one, other)):
            started = time.perf_counter()
            run()
            best[k] = min(best[k], time.perf_counter() - started)
    return best[0], best[1]
