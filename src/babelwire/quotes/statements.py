"""One statement, many reports: quotes of the same words in several languages, grouped.

Quotes are compared by the e5 embeddings of their texts ("query: " prefix on
both sides, e5's advice for symmetric similarity). Raw cosines of e5 are
compressed and carry the language: on 20 statements written for the tests in
English, German, French and Spanish (``tests/quotes/statements.json``), the
same statement in two languages scores 0.88–0.95 while two different
statements in one language reach 0.93, so no raw threshold separates them.
Subtracting each language's mean embedding (taken from other quotes of that
language) removes the language's share: translations then score 0.47–0.83
(5th percentile 0.61) and different statements at most 0.56 (same topic) and
0.51 (other topics), with the means taken from statements of other topics.

Two quotes are the same statement when their centred cosine is at least
`CENTRED_SAME` (0.60: 95 % of the translation pairs, none of the 1,440
different pairs) or their raw cosine at least `RAW_SAME` (the same words
reported twice in one language). A group takes a quote only when the quote
is the same statement as every member (complete linkage): a chain of near
matches never merges two different statements. The language means come from
the store's newest quotes of that language (`BACKGROUND_QUOTES`); a language
with fewer than `MIN_BACKGROUND` quotes is compared by the raw cosine only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

CENTRED_SAME = 0.60
RAW_SAME = 0.95
BACKGROUND_QUOTES = 64
MIN_BACKGROUND = 8

Embed = Callable[[list[str]], list[list[float]]]
"""Texts in, one embedding per text out (the e5 encoder with the "query: " prefix)."""
Background = Callable[[str], list[str]]
"""A language code in, texts of other quotes in that language out (for its mean)."""


class Said(Protocol):
    """What grouping reads of a quote."""

    @property
    def text(self) -> str: ...

    @property
    def lang(self) -> str: ...


@dataclass(slots=True)
class StatementGrouper:
    """Groups quotes that report the same statement (see the module docstring).

    The language means are computed on first use of a language and kept on the
    object, so a server that owns one grouper embeds each language's background once.
    """

    embed: Embed
    background: Background
    _means: dict[str, np.ndarray | None] = field(default_factory=dict, repr=False)

    def group(self, quotes: Sequence[Said]) -> list[list[int]]:
        """Indices of ``quotes`` in groups, each in input order, groups by their first member."""
        if not quotes:
            return []
        vectors = _unit(np.asarray(self.embed([q.text for q in quotes]), dtype=np.float64))
        centred = self._centred(vectors, [q.lang for q in quotes])
        groups: list[list[int]] = []
        for i in range(len(quotes)):
            home = next((g for g in groups
                         if all(self._same(vectors, centred, i, j) for j in g)), None)
            if home is None:
                groups.append([i])
            else:
                home.append(i)
        return groups

    def _same(self, raw: np.ndarray, centred: np.ndarray | None, i: int, j: int) -> bool:
        if float(raw[i] @ raw[j]) >= RAW_SAME:
            return True
        return centred is not None and bool(np.isfinite(centred[i, 0])) \
            and bool(np.isfinite(centred[j, 0])) and float(centred[i] @ centred[j]) >= CENTRED_SAME

    def _centred(self, vectors: np.ndarray, langs: list[str]) -> np.ndarray | None:
        """Each vector minus its language's mean, renormalised; NaN rows where no mean."""
        out = np.full_like(vectors, np.nan)
        for row, lang in enumerate(langs):
            mean = self._mean(lang)
            if mean is not None:
                out[row] = vectors[row] - mean
        known = np.isfinite(out[:, 0])
        if not known.any():
            return None
        out[known] = _unit(out[known])
        return out

    def _mean(self, lang: str) -> np.ndarray | None:
        if lang not in self._means:
            texts = self.background(lang)[:BACKGROUND_QUOTES]
            self._means[lang] = None if len(texts) < MIN_BACKGROUND else _unit(
                np.asarray(self.embed(texts), dtype=np.float64)).mean(axis=0)
        return self._means[lang]


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


class EncoderEmbed:
    """`Embed` with the e5 encoder, loaded on first use (grouping is optional; most callers
    of quote search never need the model)."""

    def __init__(self) -> None:
        self._encoder: object | None = None

    def __call__(self, texts: list[str]) -> list[list[float]]:
        from ..encoder import Encoder

        if self._encoder is None:
            self._encoder = Encoder()
        assert isinstance(self._encoder, Encoder)
        return [list(map(float, v)) for v in self._encoder.encode(texts, query=True).embeddings]
