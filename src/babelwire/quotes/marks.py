"""Quotation marks: which characters open and close a quotation, and pairing them in a text.

News in different languages quotes with different marks: “…” and "…" (English,
Dutch), „…“ (German, Czech), „…” (Polish, Romanian, Hungarian), «…» (French,
Russian, Spanish, Norwegian), »…« (German and Danish books and some papers),
”…” (Swedish, Finnish), ‹…› and ‚…‘ (nested), 「…」 and 『…』 (Japanese,
Chinese), and the New York Times writes two apostrophes ('' … '') for a double
mark. A mark's role (opening or closing) comes from its neighbours, the same
rule the data README uses to type quotes: a mark with space before and a letter
after opens, one with a letter before and space or punctuation after closes, one
with space on both sides toggles (French « guillemets » are spaced), one inside
a word (an apostrophe) is ignored. Pairing is then a stack per paragraph: a
closer pairs with the nearest open mark it can close.

A quotation that runs over several paragraphs leaves its mark open at the end of
a paragraph and opens the next paragraph again (English and German press); such
stretches are joined into one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..record import Span

CLOSERS: dict[str, frozenset[str]] = {
    "„": frozenset("“”\""),
    "“": frozenset("”“"),
    "\"": frozenset("\""),
    "«": frozenset("»"),
    "»": frozenset("«»"),
    "”": frozenset("”"),
    "’": frozenset("’"),
    "‹": frozenset("›"),
    "›": frozenset("‹›"),
    "‚": frozenset("‘’"),
    "‘": frozenset("’‘"),
    "'": frozenset("'"),
    "「": frozenset("」"),
    "『": frozenset("』"),
    "''": frozenset(["''"]),
    "``": frozenset(["''"]),
}
"""For each opening mark, the marks that may close it."""

ALWAYS_OPEN = frozenset(["„", "‚", "「", "『", "``"])
ALWAYS_CLOSE = frozenset(["」", "』"])
SINGLE_MARKS = frozenset("‚‘’'‹›")
ALL_MARK_CHARS = frozenset("\"'«»‹›‘’‚‛“”„‟「」『』`")
"""Every character that can be (part of) a quotation mark; also what the metric ignores."""

_MARK_CHAR_RE = re.compile("[" + re.escape("".join(sorted(ALL_MARK_CHARS))) + "]")
"""Finds the mark characters in C: the scan of every character in Python was 4 % of the stage."""
_LEFT_FREE = frozenset("([{<:—–-/：，、（")
_OPENING = frozenset("“‘「『")
_CLOSING = frozenset("”’」』")
_RIGHT_BLOCK = frozenset("([{")


@dataclass(frozen=True, slots=True)
class Mark:
    """One quotation mark in a text and the role its neighbours give it."""

    start: int
    end: int
    char: str
    opens: bool
    closes: bool


@dataclass(frozen=True, slots=True)
class QuotedStretch:
    """Text between a pair of marks, marks included: ``text[start:end]``.

    ``inner`` is the part between the marks. ``single`` says the pair is of
    single marks (‘…’, ‹…›, '…'), which are mostly nested quotes or scare quotes.
    ``depth`` is 0 for an outermost stretch.
    """

    start: int
    end: int
    inner: Span
    open_mark: str
    single: bool
    depth: int


def find_marks(text: str, *, directional: bool = False) -> list[Mark]:
    """Every quotation mark in ``text`` with its role; apostrophes inside words are left out.

    ``directional``: “ ‘ always open and ” ’ always close (Chinese, Japanese:
    without spaces the neighbours cannot tell).
    """
    marks: list[Mark] = []
    n = len(text)
    resume = 0  # the offset after the last mark read (a double mark is two characters)
    for found in _MARK_CHAR_RE.finditer(text):
        i = found.start()
        if i < resume:
            continue
        ch = found.group()
        width = 2 if ch in "'`" and i + 1 < n and text[i + 1] == ch else 1
        char = text[i:i + width]
        resume = i + width
        if char == "`":
            continue
        if directional and char in _OPENING:
            mark: Mark | None = Mark(i, i + 1, char, True, False)
        elif directional and char in _CLOSING:
            mark = Mark(i, i + 1, char, False, True)
        else:
            mark = _classify(text, i, i + width, char)
        if mark is not None:
            marks.append(mark)
    return marks


def _classify(text: str, start: int, end: int, char: str) -> Mark | None:
    if char in ALWAYS_OPEN:
        return Mark(start, end, char, True, False)
    if char in ALWAYS_CLOSE:
        return Mark(start, end, char, False, True)
    before = _neighbour(text, start - 1, -1)
    after = _neighbour(text, end, 1)
    left_free = before == "" or before.isspace() or before in _LEFT_FREE
    right_free = (after == "" or after.isspace()
                  or (_is_punctuation(after) and after not in _RIGHT_BLOCK))
    if not left_free and not right_free:
        return None
    return Mark(start, end, char, left_free, right_free)


def _neighbour(text: str, index: int, step: int) -> str:
    """The first character from ``index`` in direction ``step`` that is not itself a mark."""
    while 0 <= index < len(text):
        if text[index] not in ALL_MARK_CHARS:
            return text[index]
        index += step
    return ""


def _is_punctuation(ch: str) -> bool:
    return not ch.isalnum() and not ch.isspace()


def pair_marks(text: str, marks: list[Mark] | None = None, *,
               directional: bool = False) -> list[QuotedStretch]:
    """Pair the marks of ``text`` into quoted stretches, sorted by start.

    Pairing runs per paragraph. A double mark left open at the end of a
    paragraph continues when the next paragraph opens with a mark of the same
    kind (the multi-paragraph convention); otherwise it is dropped.
    """
    marks = find_marks(text, directional=directional) if marks is None else marks
    stretches: list[QuotedStretch] = []
    stack: list[tuple[Mark, int]] = []  # open mark, start of its stretch (earlier paragraph)
    for mark in marks:
        if stack and "\n" in text[stack[-1][0].end:mark.start]:
            stack = _carry_over(text, stack, mark)
        if mark.closes and _close(stack, mark, stretches):
            continue
        if mark.opens:
            start = mark.start
            if stack and stack[-1][0].char == mark.char and _continues(text, stack[-1][0], mark):
                start = stack.pop()[1]
            stack.append((mark, start))
    stretches.sort(key=lambda s: (s.start, -s.end))
    return stretches


def _carry_over(text: str, stack: list[tuple[Mark, int]], mark: Mark) -> list[tuple[Mark, int]]:
    """At a paragraph break keep only an open double mark that the new paragraph re-opens."""
    last, _ = stack[-1]
    if (mark.opens and mark.char == last.char and last.char not in SINGLE_MARKS
            and _continues(text, last, mark)):
        return stack[-1:]
    return []


def _continues(text: str, previous: Mark, mark: Mark) -> bool:
    """``mark`` opens the paragraph right after the one ``previous`` left open."""
    lines = text[previous.end:mark.start].split("\n")
    return len(lines) > 1 and not lines[-1].strip() and not any(x.strip() for x in lines[1:-1])


def _close(stack: list[tuple[Mark, int]], mark: Mark, out: list[QuotedStretch]) -> bool:
    """Close the nearest open mark that ``mark`` can close; return whether one was closed."""
    for depth in range(len(stack) - 1, -1, -1):
        opener, start = stack[depth]
        if mark.char in CLOSERS.get(opener.char, ()) and opener.end <= mark.start:
            if opener.start == mark.start:
                continue
            del stack[depth:]
            out.append(QuotedStretch(start=start, end=mark.end, inner=(opener.end, mark.start),
                                     open_mark=opener.char, single=opener.char in SINGLE_MARKS,
                                     depth=depth))
            return True
    return False


def strip_marks(text: str) -> str:
    """``text`` without quotation marks, spaces and a closing comma at either end."""
    marks = "".join(ALL_MARK_CHARS)
    return text.strip().strip(marks).strip().rstrip(",;:").strip().strip(marks).strip()
