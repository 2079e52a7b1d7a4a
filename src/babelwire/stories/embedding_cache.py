"""Passage embeddings for evaluation and training, cached by content.

Why a cache: the encoder is the slow part of evaluating or training the story
model (minutes for the sample corpus on a busy 2-core machine), and the same
passages are embedded again and again. One block per list of passages, keyed by
the SHA-256 of the model tag and the passages, under
``<cache_dir>/story-embeddings`` (no cache without a ``cache_dir``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..passage import PassagePolicy
from ..record import Article

CACHE_TAG = "e5-small-passage-v1"


class PassageEmbedder:
    """Embeds articles as the ``embed`` stage does, caching vectors by passage text."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = None if cache_dir is None else cache_dir / "story-embeddings"
        self._encoder: Any = None
        self.policy = PassagePolicy()

    def embed_articles(self, articles: Sequence[Article]) -> None:
        """Set ``embedding`` on every article (from the cache where possible)."""
        from ..stages.embed import article_passage

        encoder = self._get_encoder()

        def count(text: str) -> int:
            return len(encoder.tokenizer.content_ids(text))

        passages = [article_passage(a, self.policy, count) for a in articles]
        for article, vector in zip(articles, self.embed_texts(passages), strict=True):
            article.embedding = vector.tolist()

    def embed_texts(self, passages: Sequence[str]) -> np.ndarray:
        """Passage embeddings [n, 384], read from or written to the cache as one block."""
        digest = hashlib.sha256("\0".join([CACHE_TAG, *passages]).encode(
            "utf-8", "surrogatepass")).hexdigest()
        path = None if self.cache_dir is None else self.cache_dir / f"{digest[:32]}.npy"
        if path is not None and path.is_file():
            return np.load(path)
        vectors = np.asarray(self._get_encoder().encode(list(passages)).embeddings,
                             dtype=np.float32)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
        return vectors

    def _get_encoder(self) -> Any:
        if self._encoder is None:
            from ..encoder import Encoder

            self._encoder = Encoder()
        return self._encoder
