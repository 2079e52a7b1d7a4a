"""The ``embed`` stage: one multilingual vector per article, for stories and semantic search.

Policy: the "passage: " embedding of the title, the lead and the body's key
sentences within a token budget (`babelwire.passage`, where the reasons and the
measured effect are). The encoder comes from the pipeline's `StageResources`
(shared with ``ner.e5.v3`` when both run) and is loaded on first use, so
building a pipeline stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..encoder import Encoder
from ..passage import PassagePolicy, TokenCounter
from ..record import Article
from ..resources import StageResources


@dataclass(slots=True)
class EmbedStage:
    """Assign ``embedding`` (L2-normalised, 384 floats) from the article's passage."""

    name: str = "embed"
    requires: tuple[str, ...] = ("title", "text")
    assigns: tuple[str, ...] = ("embedding",)
    policy: PassagePolicy = field(default_factory=PassagePolicy)
    resources: StageResources = field(default_factory=StageResources, repr=False)

    @property
    def encoder(self) -> Encoder:
        """The (shared) encoder; its extra layers do not change the pooled embedding."""
        return self.resources.encoder.get()

    def __call__(self, article: Article) -> Article:
        return self.process_batch([article])[0]

    def process_batch(self, articles: list[Article]) -> list[Article]:
        """Embed many articles in one packed pass (much faster than one by one)."""
        tokenizer = self.encoder.tokenizer

        def count(text: str) -> int:
            return len(tokenizer.content_ids(text))

        texts = [article_passage(a, self.policy, count) for a in articles]
        vectors = self.encoder.encode(texts).embeddings
        for article, vector in zip(articles, vectors, strict=True):
            article.embedding = vector.tolist()
        return articles


def article_passage(article: Article, policy: PassagePolicy | None = None,
                    count_tokens: TokenCounter | None = None) -> str:
    """The text an article is embedded from: title, lead and key sentences (see `passage`)."""
    return (policy or PassagePolicy()).build(article.title, article.text,
                                             count_tokens).text
