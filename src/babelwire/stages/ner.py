"""The ``ner`` stage: names of people, organisations, places and other things in the body text.

Mentions are stored on ``Article.entities`` with their character spans in
``Article.text`` and an empty canonical id: linking them to canonical entities
across articles needs the store, so the ingestor does it once the articles are
stored (`babelwire.entities.catalog.ResolveAfterIngest`). The head is read when
the stage is built (it names the encoder layers it reads); the encoder, on the
pipeline's shared weights and stopping at the deepest of those layers, loads on
first use, so building a pipeline stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ner import NerTagger
from ..ner.head import NerHead, load_head
from ..record import Article, Entity
from ..resources import StageResources

MAX_TAGGED_CHARS = 200_000
"""NER reads at most this much of a body (about 30,000 words; news articles are far shorter).

Why a bound: the encoder reads about 5,000 tokens a second on two cores, so a hostile
or broken 20-million-character "article" (the ingest limit) would hold one ingest for
an hour. The mentions of the part read are kept; the rest of such a text has none.
"""


@dataclass(slots=True)
class NerStage:
    """Assign ``entities`` (unlinked mentions) from the trained NER head."""

    name: str = "ner"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("entities",)
    resources: StageResources = field(default_factory=StageResources, repr=False)
    head: NerHead = field(default_factory=load_head, repr=False)
    _tagger: NerTagger | None = field(default=None, repr=False)

    @property
    def tagger(self) -> NerTagger:
        """The tagger over an encoder on the pipeline's shared weights (built on first use)."""
        if self._tagger is None:
            reader = self.resources.encoder.reading(self.head.layers)
            self._tagger = NerTagger(self.head, encoder=reader)
        return self._tagger

    def __call__(self, article: Article) -> Article:
        return self.process_batch([article])[0]

    def process_batch(self, articles: list[Article]) -> list[Article]:
        """Tag many articles in one batched encoder pass."""
        found = self.tagger.mentions([a.text[:MAX_TAGGED_CHARS] for a in articles],
                                     [a.lang or "und" for a in articles])
        for article, mentions in zip(articles, found, strict=True):
            article.entities = [
                Entity(id="", name=m.text, type=m.type, spans=((m.start, m.end),), mention=m.text)
                for m in mentions]
        return articles
