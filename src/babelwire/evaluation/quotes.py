"""``babelwire eval quotes``: quote P/R/F1 at character IoU ≥ 0.5 and speaker accuracy, per file.

The metric is the shared data README's (and ``score_quotes.py``'s), computed
the same way: characters that count leave out whitespace and quotation marks;
candidate pairs at IoU ≥ 0.5 are matched greedily by IoU, ties broken by
speaker correctness, gold index, predicted index; a speaker is right when its
spans share a character with the gold speaker's or the names match
(normalised, or the shorter a whole-word ending of the longer). Predictions are
made from each article's text (and language) alone — never from a gold field.

``ner=True`` runs the ``ner.e5.v3`` stage first so that speakers resolve to
its mentions; without it the extractor falls back to capitalised names.
"""

from __future__ import annotations

import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EvaluationError
from ..quotes.extractor import ExtractorOptions, QuoteExtractor
from ..record import Entity, Quote
from .jsonl import read_records, write_predictions

QUOTE_CHARS = frozenset("\"'`«»‹›‘’‚‛“”„‟〝〞＂「」『』")
MATCH_IOU = 0.5
TYPES = ("direct", "indirect", "mixed", "other")


def counted(text: str, spans: list[list[int]] | list[tuple[int, int]]) -> frozenset[int]:
    """Positions covered by ``spans``, leaving out whitespace and quotation marks."""
    return frozenset(p for s, e in spans for p in range(s, e)
                     if not text[p].isspace() and text[p] not in QUOTE_CHARS)


def normalise_name(name: str) -> str:
    """NFKC, case-folded, whitespace collapsed, punctuation and symbols stripped at the ends."""
    name = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    strip = "".join(ch for ch in set(name) if unicodedata.category(ch)[0] in "PS")
    return name.strip(strip + " ")


def names_match(predicted: str, gold: str) -> bool:
    """Equal after normalising, or the shorter is a whole-word ending of the longer."""
    a, b = sorted((normalise_name(predicted), normalise_name(gold)), key=len)
    return bool(a) and (a == b or b.endswith(" " + a))


@dataclass(slots=True)
class Tally:
    """Counts of one file (or one gold type)."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    exact: int = 0
    speaker_scored: int = 0
    speaker_ok: int = 0
    speaker_span: int = 0
    speaker_text: int = 0
    typed: int = 0
    type_ok: int = 0

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.predicted if self.predicted else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _fraction(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


@dataclass(slots=True)
class _Side:
    """One side (gold or predicted) of an article: counted characters, speakers, names, types."""

    chars: list[frozenset[int]] = field(default_factory=list)
    speaker_chars: list[frozenset[int]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    types: list[str | None] = field(default_factory=list)
    has_speaker: list[bool] = field(default_factory=list)


def _side(text: str, quotes: list[dict[str, Any]], *, gold: bool) -> _Side:
    side = _Side()
    for quote in quotes:
        speaker = quote.get("speaker") or []
        side.chars.append(counted(text, quote["quote"]))
        side.speaker_chars.append(counted(text, speaker))
        spoken = " ".join(text[s:e] for s, e in speaker)
        name = quote.get("speaker_text")
        side.names.append(spoken if gold or not (isinstance(name, str) and name.strip())
                          else name)
        kind = quote.get("type")
        side.types.append(kind if kind in TYPES else None)
        side.has_speaker.append(bool(speaker))
    return side


def score_article(text: str, gold_quotes: list[dict[str, Any]], predicted: list[dict[str, Any]],
                  total: Tally, by_type: dict[str, Tally]) -> None:
    """Add one article's matches to ``total`` and ``by_type`` (rules 1–4 of the metric)."""
    gold, pred = _side(text, gold_quotes, gold=True), _side(text, predicted, gold=False)

    def speaker(gi: int, pi: int) -> tuple[bool, bool]:
        return (bool(gold.speaker_chars[gi] & pred.speaker_chars[pi]),
                names_match(pred.names[pi], gold.names[gi]))

    pairs = []
    for gi, g in enumerate(gold.chars):
        for pi, p in enumerate(pred.chars):
            shared = len(g & p)
            if shared and shared / len(g | p) >= MATCH_IOU:
                ok = any(speaker(gi, pi)) if gold.has_speaker[gi] else False
                pairs.append((-shared / len(g | p), -int(ok), gi, pi))
    pairs.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, _, gi, pi in pairs:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        gold_type = gold_quotes[gi]["type"]
        for tally in (total, by_type[gold_type]):
            tally.matched += 1
            tally.exact += gold.chars[gi] == pred.chars[pi]
            if gold.has_speaker[gi]:
                span_ok, text_ok = speaker(gi, pi)
                tally.speaker_scored += 1
                tally.speaker_ok += span_ok or text_ok
                tally.speaker_span += span_ok
                tally.speaker_text += text_ok
            if pred.types[pi] is not None:
                tally.typed += 1
                tally.type_ok += pred.types[pi] == gold_type
    total.gold += len(gold_quotes)
    total.predicted += len(predicted)
    for quote in gold_quotes:
        by_type[quote["type"]].gold += 1


def metrics(name: str, articles: int, missing: int, total: Tally,
            by_type: dict[str, Tally]) -> dict[str, Any]:
    """The reference scorer's output keys, rounded as it rounds them."""
    p, r, f = total.prf(total.matched)
    ep, er, ef = total.prf(total.exact)
    out: dict[str, Any] = {
        "file": name, "articles": articles, "articles_without_prediction": missing,
        "gold_quotes": total.gold, "pred_quotes": total.predicted, "matched": total.matched,
        "quote_p": round(p, 4), "quote_r": round(r, 4), "quote_f1": round(f, 4),
        "exact_quote_p": round(ep, 4), "exact_quote_r": round(er, 4),
        "exact_quote_f1": round(ef, 4),
        "speaker_scored": total.speaker_scored,
        "speaker_accuracy": _fraction(total.speaker_ok, total.speaker_scored),
        "speaker_span_accuracy": _fraction(total.speaker_span, total.speaker_scored),
        "speaker_text_accuracy": _fraction(total.speaker_text, total.speaker_scored),
        "type_accuracy": _fraction(total.type_ok, total.typed),
        "by_type": {},
    }
    order = sorted(by_type, key=lambda t: (TYPES.index(t) if t in TYPES else len(TYPES), t))
    for kind in order:
        tally = by_type[kind]
        if tally.gold:
            out["by_type"][kind] = {
                "gold_quotes": tally.gold, "matched": tally.matched,
                "quote_r": _fraction(tally.matched, tally.gold),
                "exact_quote_r": _fraction(tally.exact, tally.gold),
                "speaker_scored": tally.speaker_scored,
                "speaker_accuracy": _fraction(tally.speaker_ok, tally.speaker_scored)}
    return out


def prediction(quote: Quote) -> dict[str, Any]:
    """A `Quote` in the prediction format of the metric."""
    return {"type": quote.type.value, "quote": [list(s) for s in quote.spans],
            "speaker": [list(s) for s in quote.speaker_spans],
            "speaker_text": quote.speaker_name or "",
            "cue": [list(s) for s in quote.cue_spans], "rule": quote.rule}


def evaluate_quotes(files: list[Path], *, predictions: Path | None = None,
                    ner: bool = False, nested: bool = True) -> dict[str, Any]:
    """Extract quotes from every article's text and score each file on its own.

    ``nested=False`` leaves out the quoted part of a mixed quote as a quote of its
    own, for data that annotates only the outermost quote (PolNeAR).
    """
    extractor = QuoteExtractor(ExtractorOptions(nested_direct=nested))
    results: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    for path in files:
        gold = list(read_records(path, required=("id", "text", "quotes")))
        entities = _ner_entities(gold) if ner else [[] for _ in gold]
        started = time.perf_counter()
        quotes = [extractor.extract(r["text"], r.get("lang", "und"), e)
                  for r, e in zip(gold, entities, strict=True)]
        seconds = time.perf_counter() - started
        total, by_type = Tally(), defaultdict[str, Tally](Tally)
        for record, found in zip(gold, quotes, strict=True):
            predicted = [prediction(q) for q in found]
            _check_spans(record, predicted)
            score_article(record["text"], record["quotes"], predicted, total, by_type)
            records.append({"id": record["id"], "quotes": predicted})
        result = metrics(path.name, len(gold), 0, total, by_type)
        result["articles_per_s"] = round(len(gold) / seconds, 1) if seconds else None
        result["ner"] = ner
        result["nested"] = nested
        results[path.name] = result
    if predictions is not None:
        write_predictions(predictions, records)
    return {"files": results}


def _ner_entities(records: list[dict[str, Any]]) -> list[list[Entity]]:
    """PER/ORG/LOC/MISC mentions of the NER stage for each record's text."""
    from ..record import Article
    from ..stages.ner import NerStage

    articles = [Article(id=r["id"], text=r["text"]) for r in records]
    return [a.entities for a in NerStage().process_batch(articles)]


def _check_spans(record: dict[str, Any], predicted: list[dict[str, Any]]) -> None:
    n = len(record["text"])
    for quote in predicted:
        for start, end in quote["quote"] + quote["speaker"]:
            if not 0 <= start < end <= n:
                raise EvaluationError(
                    f"id {record['id']!r}: the extractor produced span {[start, end]} outside"
                    f" the text ({n} characters); this is a bug, please report it")
