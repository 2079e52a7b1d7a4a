"""``babelwire bench quotes``: articles per second of the quotes stage, against a regex pass.

The peer measured in the same run, on the same texts, is the reference
scorer's floor: one regular expression finding every „…“ “…” "…" «…» stretch
(no speakers, no indirect speech). It is about the least work that finds any
quotation, so ``ratio_vs_regex`` says how many regex passes one extraction
costs. Both run ``repeats`` times, interleaved; the best round counts (the
machine is shared). Lexicons are loaded before timing (``load_s`` reports it).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
    load_s: float
    articles_per_s: float
    characters_per_s: float
    regex_articles_per_s: float
    ratio_vs_regex: float


def sample_articles(paths: list[Path] | None = None) -> list[tuple[str, str]]:
    """(text, language) of every article in JSONL files with ``text`` and ``lang``/``language``.

    Defaults to the bundled sample corpus.
    """
    articles = []
    for path in paths or sample_paths():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                articles.append((record["text"], record.get("lang") or record.get("language", "")))
    return articles


def bench_quotes(articles: list[tuple[str, str]], repeats: int = 3) -> QuotesBenchmark:
    """Time the extractor and the regex floor over ``articles``, best of ``repeats`` each."""
    extractor = QuoteExtractor()
    started = time.perf_counter()
    for language in {lang for _, lang in articles}:
        extractor.lexicon(language)
    load_s = time.perf_counter() - started
    counts: list[int] = []

    def extract() -> None:
        counts.append(sum(len(extractor.extract(text, lang)) for text, lang in articles))

    def regex() -> None:
        for text, _ in articles:
            FLOOR_RE.findall(text)

    ours, floor = _best_of(extract, regex, repeats)
    characters = sum(len(text) for text, _ in articles)
    return QuotesBenchmark(
        articles=len(articles), characters=characters,
        languages=sorted({lang for _, lang in articles}), quotes=counts[-1],
        load_s=round(load_s, 3), articles_per_s=round(len(articles) / ours, 1),
        characters_per_s=round(characters / ours),
        regex_articles_per_s=round(len(articles) / floor, 1),
        ratio_vs_regex=round(floor / ours, 4))


def _best_of(one: Callable[[], None], other: Callable[[], None],
             repeats: int) -> tuple[float, float]:
    best = [float("inf"), float("inf")]
    for _ in range(max(repeats, 1)):
        for k, run in enumerate((one, other)):
            started = time.perf_counter()
            run()
            best[k] = min(best[k], time.perf_counter() - started)
    return best[0], best[1]
