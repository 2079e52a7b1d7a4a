"""A quotation under construction: its content, cue and subject, before it becomes a `Quote`.

The rules of `indirect.py` and `direct.py` each produce candidates; the
extractor resolves their speakers and types them. The type follows the data's
own rule: direct when every letter of the content lies inside quotation marks,
mixed when some do, indirect when none do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..record import QuoteType, Span
from .cues import Cue
from .layout import Layout
from .marks import QuotedStretch
from .speakers import Phrase, Speaker

_TRIM = " \t\n\u00a0\u202f,;:–—-،؛"
MAX_TITLE_WORDS = 6
"""A quotation inside a sentence this short, without punctuation, reads as a title or name
(dropping unattributed ones: de-wikinews-train F1 0.7149 → 0.7175, en-polnear-train unchanged)."""


@dataclass(slots=True)
class Candidate:
    """One quotation found by a rule (``rule`` names it, for the record and for debugging)."""

    spans: list[Span]
    rule: str
    sentence: int
    cue: Cue | None = None
    subject: Phrase | None = None
    speaker: Speaker | None = None
    confidence: float = 0.5
    nested: list[Span] = field(default_factory=list)
    shares_subject: bool = False
    """An adverbial participle ("…, he said, noting that …"): the speaker of the clause it
    hangs on, which the extractor takes from the sentence's earlier quote when there is one."""

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


def trimmed(layout: Layout, start: int, end: int) -> Span | None:
    """``(start, end)`` without spaces and clause punctuation at either end; None if empty."""
    text = layout.text
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if end > start and text[end - 1] == "." and not _keeps_full_stop(text, start, end):
        end -= 1
    return (start, end) if end > start else None


def _keeps_full_stop(text: str, start: int, end: int) -> bool:
    """A full stop stays when it belongs to an abbreviation ("U.S.") or the quote's marks."""
    return end - start >= 2 and text[end - 2] in "\"”“»«’'"


def token_span(layout: Layout, first: int, last: int) -> Span | None:
    """Character span of tokens ``[first, last)``, trimmed."""
    if last <= first:
        return None
    return trimmed(layout, layout.tokens[first].start, layout.tokens[last - 1].end)


def quote_type(layout: Layout, spans: list[Span]) -> QuoteType:
    """Direct, mixed or indirect by how many letters of ``spans`` lie inside quotation marks."""
    total = inside = 0
    for start, end in spans:
        total += layout.letters(start, end)
        for stretch in layout.outer_stretches_within(start, end):
            inside += layout.letters(max(start, stretch.inner[0]), min(end, stretch.inner[1]))
    if inside and inside >= total:
        return QuoteType.DIRECT
    return QuoteType.MIXED if inside else QuoteType.INDIRECT


def word_count(layout: Layout, spans: list[Span]) -> int:
    """Words (tokens starting with a letter or digit) inside ``spans``."""
    count = 0
    for start, end in spans:
        first, last = layout.token_index(start), layout.token_index(end)
        count += sum(1 for t in layout.tokens[first:last] if t.is_word)
    return count


def title_like(layout: Layout, stretch: QuotedStretch) -> bool:
    """A quoted stretch that reads as a name, not speech: no sentence punctuation inside and
    at most `MAX_TITLE_WORDS` words ("pour « La Maison des marées », son troisième roman",
    "известной как «Итоги года с Владимиром Путиным»")."""
    inner = layout.text[stretch.inner[0]:stretch.inner[1]].strip()
    if any(ch in inner for ch in ".!?;:,"):
        return False
    return len(inner.split()) <= MAX_TITLE_WORDS
