"""Article text cut into runs for highlighting entity mentions, quotes, speakers and cues.

Why runs and not markup: spans overlap (a name inside a quotation, nested
quotations, a speaker span touching a quote), and building HTML by inserting
tags at offsets breaks nesting and invites escaping mistakes. Instead every span
boundary (and every line break) cuts the text; each run knows which mention and
which quotation cover it (the innermost when several do: the shortest span,
then the first listed), and the template wraps each run in at most one quote
mark, one speaker/cue mark and one entity link, escaping the run's text. A span
that does not fit the text (stale offsets, start >= end) is counted in
``skipped`` and shown nowhere, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Mark = tuple[int, int, int]
"""``(start, end, index)`` of one span of the entity or quote numbered ``index``."""


class Role(StrEnum):
    """What a run is besides its quote and mention: a speaker, a speech cue, or plain."""

    NONE = ""
    SPEAKER = "speaker"
    CUE = "cue"


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text covered by the same marks."""

    text: str
    entity: int | None = None
    quote: int | None = None
    quote_start: bool = False
    role: Role = Role.NONE
    role_quote: int | None = None


@dataclass(slots=True)
class Highlighted:
    """The text as paragraphs of runs, and how many spans could not be placed."""

    paragraphs: list[list[Run]] = field(default_factory=list)
    skipped: int = 0


def highlight(text: str, entities: Sequence[dict[str, Any]],
              quotes: Sequence[dict[str, Any]]) -> Highlighted:
    """Cut ``text`` into runs by the spans of export-record entities and quotes.

    Args:
        text: the article body.
        entities: records with ``spans`` (``[[start, end], ...]``).
        quotes: records with ``spans``, ``speaker_spans`` and ``cue_spans``.
    """
    result = Highlighted()
    layers = {
        "entity": _marks(text, ((i, e["spans"]) for i, e in enumerate(entities)), result),
        "quote": _marks(text, ((i, q["spans"]) for i, q in enumerate(quotes)), result),
        "speaker": _marks(text, ((i, q["speaker_spans"]) for i, q in enumerate(quotes)), result),
        "cue": _marks(text, ((i, q["cue_spans"]) for i, q in enumerate(quotes)), result),
    }
    cuts = {0, len(text)}
    for marks in layers.values():
        for start, end, _ in marks:
            cuts.update((start, end))
    for position, char in enumerate(text):
        if char == "\n":
            cuts.update((position, position + 1))
    started: set[int] = set()
    paragraph: list[Run] = []
    ordered = sorted(cuts)
    for start, end in zip(ordered, ordered[1:], strict=False):
        piece = text[start:end]
        if piece == "\n":
            _close(result, paragraph)
            paragraph = []
            continue
        quote = _innermost(layers["quote"], start, end)
        role, role_quote = _role(layers, start, end)
        paragraph.append(Run(piece, entity=_innermost(layers["entity"], start, end),
                             quote=quote, quote_start=quote is not None and quote not in started,
                             role=role, role_quote=role_quote))
        if quote is not None:
            started.add(quote)
    _close(result, paragraph)
    return result


def _marks(text: str, spans: Iterable[tuple[int, Sequence[Sequence[int]]]],
           result: Highlighted) -> list[Mark]:
    marks = []
    for index, item_spans in spans:
        for span in item_spans:
            start, end = int(span[0]), int(span[1])
            if 0 <= start < end <= len(text):
                marks.append((start, end, index))
            else:
                result.skipped += 1
    return marks


def _innermost(marks: list[Mark], start: int, end: int) -> int | None:
    """The index of the shortest mark covering ``[start, end)`` (first listed on ties)."""
    best: Mark | None = None
    for mark in marks:
        if mark[0] <= start and end <= mark[1] and (
                best is None or mark[1] - mark[0] < best[1] - best[0]):
            best = mark
    return None if best is None else best[2]


def _role(layers: dict[str, list[Mark]], start: int, end: int) -> tuple[Role, int | None]:
    """Speaker or cue of which quote (a speaker span wins over a cue span)."""
    for role, layer in ((Role.SPEAKER, "speaker"), (Role.CUE, "cue")):
        quote = _innermost(layers[layer], start, end)
        if quote is not None:
            return role, quote
    return Role.NONE, None


def _close(result: Highlighted, paragraph: list[Run]) -> None:
    if any(run.text.strip() for run in paragraph):
        result.paragraphs.append(paragraph)
