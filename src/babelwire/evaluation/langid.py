"""``babelwire eval langid``: accuracy and macro-F1 of the ``language`` stage's detector.

Two views, as the shared data asks: over every gold language, and over the
languages the detector claims to support (`LanguageDetector.supported`), plus
per-language F1 for the close Nordic and West-Germanic languages. Throughput is
measured over the whole run.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from ..stages.language import LanguageDetector
from .jsonl import read_records, write_predictions

WATCH = ("da", "sv", "nb", "nn", "nl", "de", "en")


def evaluate_langid(files: list[Path], *, predictions: Path | None = None) -> dict[str, Any]:
    """Detect the language of every record and score against its gold ``lang``."""
    required = ("id", "lang", "text")
    gold = {r["id"]: r for path in files for r in read_records(path, required=required)}
    detector = LanguageDetector()
    started = time.perf_counter()
    guesses = {rid: detector.detect(record["text"]).lang for rid, record in gold.items()}
    seconds = time.perf_counter() - started
    if predictions is not None:
        write_predictions(predictions, ({"id": rid, "lang": guesses[rid]} for rid in gold))
    supported = set(detector.supported)
    in_scope = {rid: r for rid, r in gold.items() if r["lang"] in supported}
    return {
        **score(gold, guesses),
        "supported": {**score(in_scope, guesses), "definition": detector.supported_definition,
                      "codes": sorted(supported & {r["lang"] for r in gold.values()})},
        "lines_per_s": round(len(gold) / seconds, 1) if seconds else None,
    }


def score(gold: dict[str, dict[str, Any]], guesses: dict[str, str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over gold languages, and F1 for the watched languages."""
    tp: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    ngold: Counter[str] = Counter()
    correct = 0
    for rid, record in gold.items():
        guess = guesses.get(rid, "und")
        ngold[record["lang"]] += 1
        npred[guess] += 1
        if guess == record["lang"]:
            tp[guess] += 1
            correct += 1

    def f1(lang: str) -> float:
        p = tp[lang] / npred[lang] if npred[lang] else 0.0
        r = tp[lang] / ngold[lang] if ngold[lang] else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    langs = sorted(ngold)
    return {"accuracy": correct / len(gold) if gold else 0.0,
            "macro_f1": sum(f1(lang) for lang in langs) / len(langs) if langs else 0.0,
            "f1_by_lang": {lang: f1(lang) for lang in WATCH if lang in ngold},
            "records": len(gold), "languages": len(langs)}
