"""The ``ner`` stage: names of people, organisations, places and other things in the body text.

Mentions are stored on ``Article.entities`` with their character spans in
``Article.text`` and an empty canonical id: linking them to canonical entities
across articles needs the store, which ``babelwire entity resolve`` (the entity
catalog) does over all stored mentions. The tagger (encoder and head) is loaded
on first use, so building a pipeline stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ner import NerTagger
from ..record import Article, Entity


@dataclass(slots=True)
class NerStage:
    """Assign ``entities`` (unlinked mentions) from the trained NER head."""

    name: str = "ner"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("entities",)
    _tagger: NerTagger | None = field(default=None, repr=False)

    @property
    def tagger(self) -> NerTagger:
        if self._tagger is None:
            self._tagger = NerTagger()
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
