"""``babelwire eval extraction``: main-text extraction scored as the shared data defines it.

The product's own pipeline (``clean`` then ``segment``) runs on each page and the
body it would store is scored: segment records (``with``/``without``) as
trafilatura's evaluation does, full-body records (``body``) with 4-token
shingles as the scrapinghub benchmark does. With ``reference=True`` plain
trafilatura runs on the same pages in the same run, for the comparison.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import trafilatura

from ..errors import EvaluationError
from ..pipeline import ErrorPolicy, Pipeline
from ..record import Article
from ..settings import Settings
from ..stages.clean import CleanStage
from ..stages.segment import SegmentStage
from .jsonl import read_records, write_predictions

_WHITESPACE_RE = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"\w+")
SHINGLE_TOKENS = 4


def evaluate_extraction(
    files: list[Path], *, settings: Settings, predictions: Path | None = None,
    reference: bool = False,
) -> dict[str, Any]:
    """Score the product's extraction on each file's pages (all files must be one kind)."""
    gold = [record for path in files for record in read_records(path, required=("id", "html"))]
    kind = _kind(gold)
    pipeline = Pipeline([CleanStage(), SegmentStage()], policy=ErrorPolicy.RECORD)
    started = time.perf_counter()
    texts = {record["id"]: _extract(pipeline, record) for record in gold}
    seconds = time.perf_counter() - started
    if predictions is not None:
        write_predictions(predictions, ({"id": r["id"], "text": texts[r["id"]]} for r in gold))
    result = {"kind": kind, "records": len(gold), **score(kind, gold, texts),
              "pages_per_s": round(len(gold) / seconds, 2) if seconds else None}
    if reference:
        result["reference_trafilatura"] = _reference(kind, gold)
    return result


def _kind(gold: list[dict[str, Any]]) -> str:
    kinds = {"segments" if "with" in r and "without" in r else "body" if "body" in r else "?"
             for r in gold}
    if kinds == {"?"} or "?" in kinds or len(kinds) != 1:
        raise EvaluationError(
            "extraction files must hold one kind of record: all with 'with'/'without'"
            f" segments or all with 'body'; found {sorted(kinds)}")
    return kinds.pop()


def _extract(pipeline: Pipeline, record: dict[str, Any]) -> str:
    outputs = pipeline.run(Article(html=record["html"], url=record.get("url"),
                                   input_ref=record["id"]))
    page = outputs[0]
    return "" if page.failures else page.text


def _reference(kind: str, gold: list[dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    texts = {}
    for record in gold:
        text = trafilatura.extract(record["html"], include_comments=False, include_tables=True)
        texts[record["id"]] = text or ""
    seconds = time.perf_counter() - started
    return {**score(kind, gold, texts), "pages_per_s": round(len(gold) / seconds, 2),
            "call": "trafilatura.extract(html, include_comments=False, include_tables=True)",
            "version": trafilatura.__version__}


def score(kind: str, gold: list[dict[str, Any]], texts: dict[str, str]) -> dict[str, Any]:
    """Metrics of ``texts`` against ``gold`` records of one ``kind``."""
    return score_segments(gold, texts) if kind == "segments" else score_bodies(gold, texts)


def _normalise(text: str) -> str:
    return _WHITESPACE_RE.sub(" ", text).strip()


def score_segments(gold: list[dict[str, Any]], texts: dict[str, str]) -> dict[str, Any]:
    """Micro-averaged segment counts over all pages (trafilatura's evaluation)."""
    tp = fp = fn = tn = 0
    for record in gold:
        out = _normalise(texts.get(record["id"], ""))
        found_with = sum(_normalise(segment) in out for segment in record["with"])
        found_without = sum(_normalise(segment) in out for segment in record["without"])
        tp += found_with
        fn += len(record["with"]) - found_with
        fp += found_without
        tn += len(record["without"]) - found_without
    total = tp + fp + fn + tn
    return {"precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0,
            "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0,
            "accuracy": (tp + tn) / total if total else 0.0,
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN_RE.findall(text)
    count = max(1, len(tokens) - SHINGLE_TOKENS + 1)
    return Counter(tuple(tokens[i : i + SHINGLE_TOKENS]) for i in range(count)
                   if tokens[i : i + SHINGLE_TOKENS])


def _page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    true, got = _shingles(gold), _shingles(predicted)
    tp = sum(min(n, got[s]) for s, n in true.items())
    fp = sum(got.values()) - tp
    fn = sum(true.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score_bodies(gold: list[dict[str, Any]], texts: dict[str, str]) -> dict[str, Any]:
    """Macro-averaged shingle precision and recall (scrapinghub's benchmark)."""
    precisions, recalls, exact = [], [], 0
    for record in gold:
        predicted = texts.get(record["id"], "")
        tp, fp, fn = _page_counts(record["body"], predicted)
        if tp + fp > 0:
            precisions.append(1.0 if fp == fn == 0 else tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(1.0 if fp == fn == 0 else tp / (tp + fn))
        exact += _TOKEN_RE.findall(record["body"]) == _TOKEN_RE.findall(predicted)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": exact / len(gold)}
