"""``babelwire eval ner``: entity-level exact match (conlleval) per file, as the shared data says.

Headline: micro P/R/F1 over PER, ORG and LOC; MISC separately (only files
that annotate it). Two modes:

- the bundled (or ``--model``) head tags every file;
- ``--train FILES --leave-one-language-out``: for each language group of the
  scored files, a head is trained on the training files without that group and
  tags it. Norwegian Bokmål and Nynorsk form one group, as do Croatian and
  Serbian, so "left out" means no closely related training data either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import EvaluationError
from ..ner.corpus import FeatureCache, read_ner_file
from ..ner.decode import chunks
from ..ner.features import FEATURE_LAYERS, FEATURE_POOLING, WordFeatures
from ..ner.head import NerHead, load_head
from ..ner.tagger import NerTagger
from ..ner.train import train_head
from .jsonl import write_predictions

HEADLINE = ("PER", "ORG", "LOC")
LANGUAGE_GROUPS = ({"nb", "nn"}, {"hr", "sr", "bs"})


def language_group(lang: str) -> set[str]:
    """The languages left out together with ``lang``."""
    return next((group for group in LANGUAGE_GROUPS if lang in group), {lang})


def score_tags(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, Any]:
    """The reference scorer's metrics for aligned tag lists."""
    counts = {t: [0, 0, 0] for t in (*HEADLINE, "MISC")}
    for gold_tags, predicted_tags in zip(gold, predicted, strict=True):
        gold_chunks, predicted_chunks = set(chunks(gold_tags)), set(chunks(predicted_tags))
        for kind, row in counts.items():
            g = {c for c in gold_chunks if c[2] == kind}
            p = {c for c in predicted_chunks if c[2] == kind}
            row[0] += len(g & p)
            row[1] += len(p - g)
            row[2] += len(g - p)
    micro = _prf(*(sum(counts[t][i] for t in HEADLINE) for i in range(3)))
    return {"micro_precision": micro["precision"], "micro_recall": micro["recall"],
            "micro_f1": micro["f1"], "per_type": {t: _prf(*counts[t]) for t in HEADLINE},
            "misc": _prf(*counts["MISC"]), "sentences": len(gold)}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


LEAVE_OUT_SEEDS = (0,)
"""Leave-one-language-out heads have one member, not the shipped three: seven language groups
times three members would take an hour and a half on two cores. Their scores are therefore a
lower bound for a shipped-style head (three members scored 1.5-2.5 F1 above one on dev files)."""


def evaluate_ner(files: list[Path], *, predictions: Path | None = None,
                 model: Path | None = None, train: list[Path] | None = None,
                 leave_one_language_out: bool = False) -> dict[str, Any]:
    """Tag every file and score it; optionally with heads trained without its language."""
    scored = [read_ner_file(path) for path in files]
    if leave_one_language_out and not train:
        raise EvaluationError("--leave-one-language-out needs the training files: --train FILE…")
    head = None if leave_one_language_out else load_head(model)
    cache = FeatureCache(WordFeatures(layers=head.layers if head else FEATURE_LAYERS,
                                      pooling=head.pooling if head else FEATURE_POOLING))
    training = [read_ner_file(path) for path in train or []]
    results: dict[str, Any] = {}
    heads: dict[frozenset[str], NerHead] = {}
    trained: frozenset[str] = frozenset().union(*(d.languages for d in training))
    records: list[dict[str, Any]] = []
    for data in scored:
        if head is not None:
            used = head
        else:
            # languages without training data share one head trained on everything
            group = frozenset().union(*(language_group(lang) for lang in data.languages)) & trained
            if group not in heads:
                heads[group] = train_head(training, cache, exclude=set(group),
                                          seeds=LEAVE_OUT_SEEDS)
            used = heads[group]
        tagger = NerTagger(used, encoder=cache.features.encoder)
        tags = tagger.tag_states(cache.states(data))
        metrics = score_tags([s.tags for s in data.sentences], tags)
        results[data.path.name] = {
            **metrics, "annotates_misc": data.has_misc,
            "trained_on": used.meta.get("trained_on", []),
            "training_languages": used.meta.get("languages", []),
            "trained_on_this_file": data.path.name in used.meta.get("trained_on", []),
        }
        records.extend({"id": s.id, "tags": t} for s, t in zip(data.sentences, tags, strict=True))
    if predictions is not None:
        write_predictions(predictions, records)
    return {"mode": "leave-one-language-out" if leave_one_language_out else "head",
            "head": str(model) if model else "bundled", "files": results}
