"""The ``quotes`` stage: who said what, direct and indirect, in the article's language.

Reads ``text`` and ``lang`` (and ``entities`` when the NER stage ran before it,
so speakers resolve to its mentions and their canonical ids); without NER the
extractor resolves speakers to capitalised-name spans. An article in a
language without a quote lexicon gets no quotes, which is counted, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..quotes.extractor import QuoteExtractor
from ..record import Article


@dataclass(slots=True)
class QuotesStage:
    """Assign ``quotes`` with the rule-based extractor (`babelwire.quotes`)."""

    name: str = "quotes"
    requires: tuple[str, ...] = ("text", "lang")
    assigns: tuple[str, ...] = ("quotes",)
    extractor: QuoteExtractor = field(default_factory=QuoteExtractor, repr=False)
    unsupported: int = 0

    def __call__(self, article: Article) -> Article:
        if self.extractor.lexicon(article.lang) is None:
            self.unsupported += 1
            article.quotes = []
            return article
        article.quotes = self.extractor.extract(article.text, article.lang, article.entities)
        return article
