"""Words of raw text, with their character spans: the units NER tags.

The training data comes tokenized into words; raw article text does not. Words
here are runs of letters and digits (with inner hyphens, apostrophes and dots,
as in "Jean-Luc", "O'Neill", "U.S") and single punctuation marks. Scripts
written without spaces (Han, kana, Thai) have no word segmenter offline; a run
of them is cut where the encoder's own tokenizer cuts it ("北京|天安门"), since
those pieces are what the model saw in training, and a name then lies on piece
boundaries far more often than on arbitrary characters. Without a tokenizer,
each such character is a word.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..encoder.tokenizer import Tokenizer

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
