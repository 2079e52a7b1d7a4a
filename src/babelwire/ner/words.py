"""Words of raw text, with their character spans: the units NER tags.

The training data comes tokenized into words; raw article text does not. Words
here are runs of letters and digits (with inner hyphens, apostrophes and dots,
as in "Jean-Luc", "O'Neill", "U.S") and single punctuation marks. Runs of scripts
written without spaces (Han, kana, Thai) are cut by a `RunSplitter`:

- Chinese (the article's language ``zh``): jieba's dictionary (rjieba, MIT, the
  ``zh`` extra), without its HMM for unknown words; traditional characters are
  mapped one to one to simplified ones first, since the dictionary is simplified.
  Measured by scripts/ner_raw_text.py (PER/ORG/LOC character spans, dev files joined
  into raw text, NER head v2): F1 0.672 vs 0.626 for tokenizer pieces on
  zh-uner_gsdsimp-dev, 0.640 vs 0.591 on the traditional zh-uner_gsd-dev. With the
  head before it, jieba's HMM scored 0.636 / 0.622 against 0.648 / 0.624 without, and
  without the mapping to simplified traditional text lost (0.550 vs 0.555).
- otherwise, where the encoder's own tokenizer cuts the run ("北京|天安门"): those
  pieces are what the model saw in training, and a name lies on piece boundaries far
  more often than on arbitrary characters (0.582 vs 0.403 one word per character).
  Japanese stays here: there is no Japanese NER file to show a segmenter wins.

Without a splitter, each such character is a word.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import cache
from importlib.resources import files as package_files

from ..encoder.tokenizer import Tokenizer

logger = logging.getLogger(__name__)

_NO_SPACE_SCRIPTS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f"
_WORD = re.compile(
    rf"[{_NO_SPACE_SCRIPTS}]+"
    rf"|(?:(?![{_NO_SPACE_SCRIPTS}])\w)+(?:['’.\-](?:(?![{_NO_SPACE_SCRIPTS}])\w)+)*"
    r"|[^\w\s]")
_UNSPACED = re.compile(rf"[{_NO_SPACE_SCRIPTS}]")

RunSplitter = Callable[[str], list[int]]
"""Lengths in characters of the pieces a run of unspaced script is cut into."""


def word_spans(text: str, split_run: RunSplitter | None = None) -> list[tuple[int, int]]:
    """(start, end) character offsets of each word of ``text``, in order."""
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        if not _UNSPACED.match(text, start):
            spans.append((start, end))
            continue
        lengths = split_run(text[start:end]) if split_run else []
        if sum(lengths) != end - start or min(lengths, default=0) <= 0:
            lengths = [1] * (end - start)
        for length in lengths:
            spans.append((start, start + length))
            start += length
    return spans


def tokenizer_run_splitter(tokenizer: Tokenizer) -> RunSplitter:
    """A splitter cutting runs where the encoder's SentencePiece tokenizer cuts them.

    Piece lengths come from the pieces' own text; when the tokenizer's
    normalisation changes a run's length (rare for these scripts), the lengths
    do not add up and ``word_spans`` falls back to one character per word.
    """
    pieces, unknown = tokenizer.model.pieces, tokenizer.model.unk

    def split(run: str) -> list[int]:
        lengths = []
        for piece_id in tokenizer.content_ids(run):
            text = "\ufffd" if piece_id == unknown else pieces[piece_id].decode("utf-8", "replace")
            text = text.replace("\u2581", "")
            if text:
                lengths.append(len(text))
        return lengths

    return split


@cache
def _traditional_to_simplified() -> dict[int, str]:
    """Traditional → simplified characters (OpenCC, one to one), read on first use."""
    path = package_files("babelwire.ner") / "data" / "zh_traditional_to_simplified.txt"
    return {ord(line[0]): line[1] for line in path.read_text(encoding="utf-8").splitlines()
            if len(line) == 2 and not line.startswith("#")}


def chinese_run_splitter() -> RunSplitter | None:
    """A splitter cutting Chinese runs into jieba's dictionary words; None without rjieba.

    Characters are mapped to simplified ones before cutting (one to one, so lengths
    hold) and the words' lengths returned. Returns None, logging what to install, when
    rjieba is missing: the caller then keeps the tokenizer's pieces.
    """
    try:
        import rjieba
    except ImportError:
        logger.warning("rjieba is not installed: Chinese text is cut into the encoder's"
                       " tokenizer pieces; install babelwire[zh] for word segmentation")
        return None
    simplified = _traditional_to_simplified()

    def split(run: str) -> list[int]:
        return [len(word) for word in rjieba.cut(run.translate(simplified), hmm=False)]

    return split
