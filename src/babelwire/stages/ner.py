"""The ``ner`` stage: names of people, organisations, places and other things in the body text.

Mentions are stored on ``Article.entities`` with their character spans in
``Article.text`` and an empty canonical id: linking them to canonical entities
across articles needs the store, so the ingestor does it once the articles are
stored (`babelwire.entities.catalog.ResolveAfterIngest`). The head is read when
the stage is built, because it names the encoder layers it reads, which the
pipeline's shared encoder must keep; the encoder itself loads on first use, so
building a pipeline stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ner import NerTagger
from ..ner.head import NerHead, load_head
from ..record import Article, Entity
from ..resources import StageResources


@dataclass(slots=True)
class NerStage:
    """Assign ``entities`` (unlinked mentions) from the trained NER head."""

    name: str = "ner"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("entities",)
    resources: StageResources = field(default_factory=StageResources, repr=False)
    head: NerHead = field(default_factory=load_head, repr=False)
    _tagger: NerTagger | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.resources.encoder.need_layers(self.head.layers)

    @property
    def tagger(self) -> NerTagger:
        """The tagger over the pipeline's shared encoder (built on first use)."""
        if self._tagger is None:
            self._tagger = NerTagger(self.head, encoder=self.resources.encoder.get())
        return self._tagger

    def __call__(self, article: Article) -> Article:
        return self.process_batch([article])[0]

    def process_batch(self, articles: list[Article]) -> list[Article]:
        """Tag many articles in one batched encoder pass."""
        found = self.tagger.mentions([a.text for a in articles])
        for article, mentions in zip(articles, found, strict=True):
            article.entities = [
                Entity(id="", name=m.text, type=m.type, spans=((m.start, m.end),), mention=m.text)
                for m in mentions]
        return articles
