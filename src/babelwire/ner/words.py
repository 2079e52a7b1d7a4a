"""Words of raw text, with their character spans: the units NER tags.

The training data comes tokenized into words; raw article text does not. Words
here are runs of letters and digits (with inner hyphens, apostrophes and dots,
as in "Jean-Luc", "O'Neill", "U.S"), single punctuation marks, and single
characters of the scripts written without spaces (Han, kana, Thai), since no
word segmenter for them ships offline.
"""

from __future__ import annotations

import re

_NO_SPACE_SCRIPTS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f"
_WORD = re.compile(
    rf"[{_NO_SPACE_SCRIPTS}]"
    rf"|(?:(?![{_NO_SPACE_SCRIPTS}])\w)+(?:['’.\-](?:(?![{_NO_SPACE_SCRIPTS}])\w)+)*"
    r"|[^\w\s]")


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each word of ``text``, in order."""
    return [match.span() for match in _WORD.finditer(text)]
