"""NER on raw text in unspaced scripts: a tokenized dev file joined back into raw text.

Why: the NER files come cut into words, articles do not. Each sentence's tokens are
joined without spaces (as Chinese is written), tagged as raw text, and the PER/ORG/LOC
mentions scored as exact character spans against the gold chunks (MISC left out: most
files have none). The splitter of unspaced runs is chosen by MODE:

- ``tokenizer``: the encoder's tokenizer pieces (what any language but Chinese gets);
- ``zh``: the tagger as an article in Chinese gets it (jieba words, `ner.words`);
- ``chars``: one word per character (the floor);
- ``gold``: the file's own words (the ceiling).

Usage:
    .venv/bin/python scripts/ner_raw_text.py ../shared/data/ner/zh-uner_gsdsimp-dev.jsonl zh
Prints one line: file, mode, precision, recall, F1, seconds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from babelwire.ner.corpus import read_ner_file
from babelwire.ner.decode import chunks
from babelwire.ner.tagger import NerTagger

MODES = ("tokenizer", "zh", "chars", "gold")
SCORED = frozenset({"PER", "ORG", "LOC"})


def joined_sentences(path: Path) -> tuple[list[str], list[list[tuple[int, int]]], list[set]]:
    """Raw texts, the gold words' spans in them, and the gold PER/ORG/LOC character spans."""
    texts, words, gold = [], [], []
    for sentence in read_ner_file(path).sentences:
        spans, position = [], 0
        for token in sentence.tokens:
            spans.append((position, position + len(token)))
            position += len(token)
        texts.append("".join(sentence.tokens))
        words.append(spans)
        gold.append({(spans[a][0], spans[b][1], kind)
                     for a, b, kind in chunks(sentence.tags) if kind in SCORED})
    return texts, words, gold


def main(path: Path, mode: str) -> None:
    """Tag the joined file with the chosen splitter and print the scores."""
    if mode not in MODES:
        raise SystemExit(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    texts, words, gold = joined_sentences(path)
    tagger = NerTagger()
    if mode == "chars":
        tagger._split_run = None
    elif mode == "gold":
        by_text = dict(zip(texts, words, strict=True))
        tagger.word_spans = lambda text, lang="und": by_text[text]  # type: ignore[method-assign]
    started = time.perf_counter()
    found = tagger.mentions(texts, ["zh" if mode == "zh" else "und"] * len(texts))
    tp = fp = fn = 0
    for expected, mentions in zip(gold, found, strict=True):
        predicted = {(m.start, m.end, m.type) for m in mentions if m.type in SCORED}
        tp, fp, fn = tp + len(expected & predicted), fp + len(predicted - expected), \
            fn + len(expected - predicted)
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"{path.name} {mode} P {precision:.3f} R {recall:.3f} F1 {f1:.3f}"
          f" {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2])
