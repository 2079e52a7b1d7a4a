"""The ``embed`` stage: one multilingual vector per article, for stories and semantic search.

Policy: the "passage: " embedding of the title and the lead, cut to the model's
512-position window (title + first paragraphs carry who/what/where; the rest of
a news article repeats or adds background). The encoder is loaded on first use,
so building a pipeline stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..encoder import Encoder
from ..record import Article

LEAD_CHARS = 2000
"""Characters of body text given to the encoder after the title (about 400-500 tokens)."""


@dataclass(slots=True)
class EmbedStage:
    """Assign ``embedding`` (L2-normalised, 384 floats) from title and lead."""

    name: str = "embed"
    requires: tuple[str, ...] = ("title", "text")
    assigns: tuple[str, ...] = ("embedding",)
    _encoder: Encoder | None = field(default=None, repr=False)

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = Encoder()
        return self._encoder

    def __call__(self, article: Article) -> Article:
        return self.process_batch([article])[0]

    def process_batch(self, articles: list[Article]) -> list[Article]:
        """Embed many articles in one packed pass (much faster than one by one)."""
        texts = [article_passage(a) for a in articles]
        vectors = self.encoder.encode(texts).embeddings
        for article, vector in zip(articles, vectors, strict=True):
            article.embedding = vector.tolist()
        return articles


def article_passage(article: Article) -> str:
    """The text an article is embedded from: its title and lead."""
    return f"{article.title}\n{article.text[:LEAD_CHARS]}".strip()
