"""Name-embedding similarity: the resolver's last and most conservative cross-script step.

Why last, and why so strict: name keys cannot cross from Japanese kanji (岸田文雄)
or from brand names written in katakana or Han (ソニー, 阿里巴巴) to Latin script, and a
multilingual encoder has seen such names beside their Latin spellings. But measured
on the development pairs (e5-small, "query: " prefix, a gallery of the 164 Latin
names of the list), the cosine of a name with its right entity is often below that
with a wrong one that looks alike: Kim Jong-un / Kim Jong-il 0.95, 岸田文雄 / Fumio
Kishida 0.83 but 岸田文雄 / Shinzo Abe's 安倍晋三 0.81. Nearest neighbours with
cosine ≥ 0.92 and a margin ≥ 0.06 over the runner-up were right 23 of 23 times (2 of
them CJK: Sony, Alibaba); at margin 0 (a one-entity gallery) and cosine 0.94, 10 of 11.
So the step runs only

- for a mention in a non-Latin script that no key matched (no exact, no fuzzy
  candidate), of type PER or ORG;
- against a gallery of entities of the same type with a Latin-script name, the
  `MAX_GALLERY` most mentioned (an exact scan of a million names per mention would
  cost seconds);
- and links only at cosine ≥ `MIN_COSINE` and, when the gallery has two or more
  names, a margin ≥ `MIN_MARGIN` over the runner-up.

Embeddings are cached per name on the embedder, so a name is encoded once per process.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from ..encoder import Encoder

MIN_COSINE = 0.94
"""Cosine (query-prefixed e5-small name embeddings) a link needs; see the module docstring."""

MIN_MARGIN = 0.06
"""How far the best name must be above the runner-up when there is one."""

MAX_GALLERY = 2_000
"""Most-mentioned entities of a type compared with an unmatched mention (~15 s to embed once)."""

CACHE_NAMES = 100_000
"""Name vectors kept per embedder (384 float32 each: about 150 MB at most)."""


class NameEmbedder(Protocol):
    """Anything that turns names into L2-normalised vectors (rows of one matrix)."""

    def embed(self, names: list[str]) -> np.ndarray: ...


class EncoderNameEmbedder:
    """Names embedded by the e5 encoder with the "query: " prefix, cached per name.

    The encoder is built on first use (loading it costs about half a second), so a
    resolver that never needs it never loads it.
    """

    def __init__(self, encoder: Encoder | None = None, *, cache_names: int = CACHE_NAMES) -> None:
        self._encoder = encoder
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_names = cache_names
        self.encoded = 0

    def embed(self, names: list[str]) -> np.ndarray:
        """Vectors of ``names`` in order; only names not in the cache are encoded."""
        missing = list(dict.fromkeys(n for n in names if n not in self._cache))
        if missing:
            if self._encoder is None:
                from ..encoder import Encoder

                self._encoder = Encoder()
            vectors = self._encoder.encode(missing, query=True).embeddings
            self.encoded += len(missing)
            for name, vector in zip(missing, vectors, strict=True):
                self._cache[name] = vector
            while len(self._cache) > self._cache_names:
                self._cache.popitem(last=False)
        for name in names:
            self._cache.move_to_end(name)
        return np.stack([self._cache[n] for n in names]) if names else np.zeros((0, 0))


@dataclass(frozen=True, slots=True)
class EmbeddingMatch:
    """The gallery entry a name is nearest to, with the numbers that justified the link."""

    entity_id: str
    name: str
    cosine: float
    runner_up: str | None
    margin: float | None
    gallery: int

    def describe(self) -> str:
        """Evidence text for `Link.evidence`."""
        margin = (f", margin {self.margin:.3f} over {self.runner_up!r} (≥ {MIN_MARGIN})"
                  if self.margin is not None else ", no runner-up")
        return (f"name embedding cosine {self.cosine:.3f} to {self.name!r} (≥ {MIN_COSINE})"
                f"{margin}; gallery of {self.gallery}")


class NameEmbeddingMatcher:
    """Nearest Latin-script name by embedding, accepted only past the thresholds."""

    def __init__(self, embedder: NameEmbedder, *, min_cosine: float = MIN_COSINE,
                 min_margin: float = MIN_MARGIN) -> None:
        self.embedder = embedder
        self.min_cosine = min_cosine
        self.min_margin = min_margin

    def best(self, name: str, gallery: list[tuple[str, str]]) -> EmbeddingMatch | None:
        """The entry of ``gallery`` ((entity id, name) pairs) that ``name`` links to, or None."""
        if not gallery:
            return None
        vectors = self.embedder.embed([name, *(n for _, n in gallery)])
        cosines = vectors[1:] @ vectors[0]
        order = np.argsort(-cosines)
        top = int(order[0])
        cosine = float(cosines[top])
        runner_up = int(order[1]) if len(order) > 1 else None
        margin = cosine - float(cosines[runner_up]) if runner_up is not None else None
        if cosine < self.min_cosine or (margin is not None and margin < self.min_margin):
            return None
        return EmbeddingMatch(entity_id=gallery[top][0], name=gallery[top][1], cosine=cosine,
                              runner_up=gallery[runner_up][1] if runner_up is not None else None,
                              margin=margin, gallery=len(gallery))
