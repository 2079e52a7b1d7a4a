"""The layout the quote rules read: paragraphs, sentences and word tokens, with quoted stretches.

Sentences never end inside a quoted stretch: „Satz eins. Satz zwei“, sagte er.
is one sentence, so the attribution after a multi-sentence (or multi-paragraph)
quotation stays with it. Sentence ends are a full stop, question or exclamation
mark (or 。！？) followed by space and something that can begin a sentence, or a
line break; a full stop after a known abbreviation, an initial ("W.") or a day
number ("am 25. Mai") ends nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from .marks import QuotedStretch, pair_marks

PUNCTUATION_AS_READ = str.maketrans({"،": ",", "，": ",", "、": ",", "：": ":", "؛": ";", "；": ";",
                              "？": "?", "！": "!", "。": ".", "؟": "?"})
"""Token text of the comma, colon and stops of other scripts, as the rules read them."""
_READ_AS_RE = re.compile("[" + "".join(chr(c) for c in PUNCTUATION_AS_READ) + "]")
"""Whether a text needs `PUNCTUATION_AS_READ` at all (translating a long non-ASCII text
character by character costs more than its tokenizing)."""
_TOKEN_RE = re.compile(r"\w+(?:[-'’.·]\w+|(?<=\d):\d+)*|''|``|\S")
"""A word, with inner hyphens, apostrophes and dots; a clock time ("9:42") is one token."""
_UNSPACED_TOKEN_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|\w+(?:[-'’.·]\w+)*|''|``|\S")
"""Chinese and Japanese characters are one token each: words are found by the lexicon."""
_BOUNDARY_RE = re.compile(r"[.!?…؟]+[\"'”’»«“)\]]*(?=\s)|[。！？]+[」』”]*|\n+")
_ABBREVIATIONS = frozenset("""
dr prof mr mrs ms st jr sr nr no co inc ltd corp gen sen rep gov lt col sgt capt maj adm hon rev
vs bzw ca abs art hr fr frau usw z.b u.a d.h dipl ing mio mrd bzw evtl ggf inkl zb ua dh vgl
jan feb mar apr jun jul aug sep sept oct okt nov dec dez mme mlle dott sig sr sra dña
""".split())


class Token(NamedTuple):
    """A word or a punctuation character, with its offsets (``lower`` kept: rules ask often).

    A named tuple, not a frozen dataclass: an article has thousands of tokens, and building
    them as tuples took the tokenizer from about 0.4 to 0.2 s over the two dev files.
    """

    start: int
    end: int
    text: str
    lower: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()


@dataclass(slots=True)
class Sentence:
    """One sentence: offsets, the paragraph it starts in, and the index range of its tokens."""

    start: int
    end: int
    paragraph: int
    first_token: int
    last_token: int  # exclusive


@dataclass(slots=True)
class Layout:
    """A text cut into paragraphs, sentences and tokens, with its quoted stretches."""

    text: str
    tokens: list[Token]
    sentences: list[Sentence]
    stretches: list[QuotedStretch]  # outermost and nested, sorted by start
    paragraph_starts: list[int]
    _starts: list[int] = field(default_factory=list, repr=False)
    _outer: list[QuotedStretch] = field(default_factory=list, repr=False)
    _outer_starts: list[int] = field(default_factory=list, repr=False)
    _stretch_at: dict[int, QuotedStretch | None] = field(default_factory=dict, init=False,
                                                         repr=False, compare=False)

    def letters(self, start: int, end: int) -> int:
        """Letters and digits in ``text[start:end]``."""
        return sum(map(str.isalnum, self.text[start:end])) if end > start else 0

    def __post_init__(self) -> None:
        self._starts = [t.start for t in self.tokens]
        self._outer = [s for s in self.stretches if s.depth == 0]
        self._outer_starts = [s.start for s in self._outer]

    def token_index(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect.bisect_left(self._starts, offset)

    def outer_stretch_at(self, offset: int) -> QuotedStretch | None:
        """The outermost quoted stretch containing ``offset``, if any.

        Remembered per offset: the rules ask about the same tokens again and again (clause
        bounds, cues, noun phrases), about 2.4 times per token on the dev files.
        """
        if not self._outer:
            return None
        remembered = self._stretch_at
        if offset in remembered:
            return remembered[offset]
        i = bisect.bisect_right(self._outer_starts, offset) - 1
        found = self._outer[i] if i >= 0 and self._outer[i].start <= offset < self._outer[i].end \
            else None
        remembered[offset] = found
        return found

    @property
    def outer_stretches(self) -> list[QuotedStretch]:
        return self._outer

    def outer_stretches_within(self, start: int, end: int) -> list[QuotedStretch]:
        """Outermost stretches that overlap ``[start, end)``."""
        i = max(bisect.bisect_right(self._outer_starts, start) - 1, 0)
        found = []
        while i < len(self._outer) and self._outer[i].start < end:
            if self._outer[i].end > start:
                found.append(self._outer[i])
            i += 1
        return found

    def paragraph_of(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def sentence_tokens(self, sentence: Sentence) -> list[Token]:
        return self.tokens[sentence.first_token:sentence.last_token]


def build_layout(text: str, extra: list[QuotedStretch] | None = None, *,
                 spaced: bool = True) -> Layout:
    """Tokenise ``text``, pair its quotation marks and cut it into sentences.

    ``extra`` stretches (dash-led quotations) are outermost; marked stretches
    inside one become nested in it. ``spaced=False`` (Chinese, Japanese) makes
    each ideograph or kana a token of its own.
    """
    stretches = merge_stretches(extra or [], pair_marks(text, directional=not spaced))
    outer = [s for s in stretches if s.depth == 0]
    tokens = _tokens(text, _TOKEN_RE if spaced else _UNSPACED_TOKEN_RE)
    paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n+", text)]
    sentences = _sentences(text, tokens, outer, paragraph_starts)
    return Layout(text=text, tokens=tokens, sentences=sentences, stretches=stretches,
                  paragraph_starts=paragraph_starts)


def _tokens(text: str, pattern: re.Pattern[str]) -> list[Token]:
    """The tokens of ``text``; their text read with `PUNCTUATION_AS_READ` (one character for
    one, so the whole text is translated once and sliced)."""
    read = text.translate(PUNCTUATION_AS_READ) if _READ_AS_RE.search(text) else text
    tokens: list[Token] = []
    append, new = tokens.append, tuple.__new__
    for match in pattern.finditer(text):
        start, end = match.span()
        word = read[start:end]
        append(new(Token, (start, end, word, word.lower())))
    return tokens


def merge_stretches(outer: list[QuotedStretch],
                    marked: list[QuotedStretch]) -> list[QuotedStretch]:
    """``marked`` stretches with those inside an ``outer`` one moved one level down."""
    if not outer:
        return marked
    merged = list(outer)
    for stretch in marked:
        container = next((o for o in outer if o.start <= stretch.start and stretch.end <= o.end),
                         None)
        if container is not None:
            stretch = replace(stretch, depth=stretch.depth + 1)
        elif any(o.start < stretch.end and stretch.start < o.end for o in outer):
            continue
        merged.append(stretch)
    return sorted(merged, key=lambda s: (s.start, -s.end))


def _sentences(text: str, tokens: list[Token], outer: list[QuotedStretch],
               paragraph_starts: list[int]) -> list[Sentence]:
    cuts = [0]
    open_at = _stretch_lookup(outer)
    for match in _BOUNDARY_RE.finditer(text):
        at = match.start() if match.group()[0] == "\n" else match.end()
        if open_at(at) or not _is_sentence_end(text, match):
            continue
        cuts.append(match.end())
    cuts.append(len(text))
    starts = [t.start for t in tokens]
    sentences = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        if a >= b:
            continue
        first, last = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
        if first == last:
            continue
        end = tokens[last - 1].end
        paragraph = bisect.bisect_right(paragraph_starts, a) - 1
        sentences.append(Sentence(a, end, paragraph, first, last))
    return sentences


def _stretch_lookup(outer: list[QuotedStretch]) -> Callable[[int], bool]:
    """A function telling whether an offset lies strictly inside an outermost stretch."""
    starts = [s.start for s in outer]

    def inside(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and outer[i].start < offset < outer[i].end
    return inside


def _is_sentence_end(text: str, match: re.Match[str]) -> bool:
    mark = match.group()
    if mark.startswith("\n") or mark[0] in "。！？":
        return True
    following = text[match.end():match.end() + 3].lstrip()
    if not following:
        return True
    nxt = following[0]
    if nxt.islower():
        return False
    if mark.startswith(".") and mark.rstrip(".") == "":
        word = _word_before(text, match.start())
        if _is_abbreviation(word) and not _is_number(text, match.start() - len(word), word):
            return False
    return True


def _is_number(text: str, start: int, word: str) -> bool:
    """A decimal or grouped number ("7,1", "1.000", "2.5"): no ordinal or date before a
    full stop, so the stop ends the sentence ("… von 7,1. Nach Angaben …")."""
    if word[:1].isdigit() and word[-1:].isdigit() and "." in word \
            and word.replace(".", "").isdigit():
        return True
    return word.isdigit() and start >= 2 and text[start - 1] == "," and text[start - 2].isdigit()


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    return text[start:end]


def _is_abbreviation(word: str) -> bool:
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "Matthias W. Beckmann"
    if word.isdigit() and len(word) <= 2:
        return True  # a German day or ordinal: "am 25. Mai", "1. FC"
    if "." in word.strip("."):
        return True  # "U.S", "z.B"
    if len(word) <= 4 and set(word) <= set("IVXL"):
        return True  # a regnal number: "Benedikt XVI. sagte"
    return word.lower() in _ABBREVIATIONS
