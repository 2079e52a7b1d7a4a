"""The query embedder `serve` gives the search page: the e5 encoder, loaded on first use.

Why lazily: most page views never search by meaning, and loading the encoder
costs about half a second and its weights' memory; a server that is only read
for entity pages should not pay that at start. Why a small cache: paging
through results embeds the same query again for every page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..encoder import Encoder

CACHED_QUERIES = 64


class EncoderQueryEmbedder:
    """Embeds search queries with the e5 "query: " prefix, as articles were embedded."""

    def __init__(self) -> None:
        self._encoder: Encoder | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, list[float]] = OrderedDict()

    def __call__(self, query: str) -> list[float]:
        """The query's embedding (the same model `embed.e5.v1` stores for articles)."""
        with self._lock:
            if query in self._cache:
                self._cache.move_to_end(query)
                return self._cache[query]
            if self._encoder is None:
                from ..encoder import Encoder

                self._encoder = Encoder()
            vector = self._encoder.encode([query], query=True).embeddings[0].tolist()
            self._cache[query] = vector
            if len(self._cache) > CACHED_QUERIES:
                self._cache.popitem(last=False)
            return vector
