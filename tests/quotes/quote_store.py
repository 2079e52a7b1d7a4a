"""A small store of quoted articles for the quote search, page and CLI tests.

Jan Roth (entity ``ent:per:roth``) says one thing in German, English and French
(one statement, three languages) and something else later in English; Ana Ruiz,
who is not linked to an entity, is quoted once. The words were written for these
tests. `fake_embed` gives the three reports of Roth's bridge statement the same
vector and every other quote one of its own, so grouping is exact.
"""

from __future__ import annotations

from datetime import datetime

from babelwire import Article, Database
from babelwire.db import entity_tables
from babelwire.entities.records import CanonicalEntity, EntityType, Link, LinkRule, Mention
from babelwire.record import Entity, Quote, QuoteType

ROTH = "ent:per:roth"
BRIDGE = {"de": "Die Brücke wird im Mai eröffnet", "en": "The bridge will open in May",
          "fr": "Le pont ouvrira en mai"}
LATER = "We need more money for the tunnel"
RUIZ = "La obra es un desastre"


def _article(article_id: str, lang: str, day: str, speaker: str, said: str,
             entity: str = "") -> Article:
    text = f"{speaker}: „{said}“."
    start = 0
    return Article(id=article_id, title=f"Report {article_id}", text=text, lang=lang,
                   source="test", published_at=datetime.fromisoformat(f"{day}T08:00:00+00:00"),
                   entities=[Entity(id=entity, name=speaker, type="PER",
                                    spans=((start, len(speaker)),), mention=speaker)],
                   quotes=[Quote(text=said, type=QuoteType.DIRECT, language=lang,
                                 spans=((len(speaker) + 2, len(text) - 1),),
                                 speaker_name=speaker, speaker_mention=speaker,
                                 speaker_spans=((0, len(speaker)),), cue=":",
                                 rule="direct-colon")])


def fill(db: Database) -> Database:
    """Store the articles and resolve Roth's mentions to ``ROTH``."""
    articles = [
        _article("de1", "de", "2024-05-01", "Jan Roth", BRIDGE["de"]),
        _article("en1", "en", "2024-05-02", "Jan Roth", BRIDGE["en"]),
        _article("fr1", "fr", "2024-05-02", "Jan Roth", BRIDGE["fr"]),
        _article("en2", "en", "2024-05-09", "Jan Roth", LATER),
        _article("es1", "es", "2024-05-05", "Ana Ruiz", RUIZ),
    ]
    roth = CanonicalEntity(id=ROTH, name="Jan Roth", type=EntityType.PER)
    links = []
    for article in articles:
        db.add_article(article)
        if article.quotes[0].speaker_name == "Jan Roth":
            roth.add_variant("Jan Roth", article.lang)
            links.append(Link(mention=Mention(text="Jan Roth", type=EntityType.PER,
                                              lang=article.lang, article_id=article.id,
                                              span=(0, 8)),
                              entity_id=ROTH, rule=LinkRule.NAME_KEY, evidence=""))
    entity_tables.replace_resolution(db, [roth], links)  # either store (db.shared_sql)
    return db


def fake_embed(texts: list[str]) -> list[list[float]]:
    """One axis per statement: the bridge reports share theirs."""
    axes = [BRIDGE["de"], LATER, RUIZ]
    def axis(text: str) -> int:
        return 0 if text in BRIDGE.values() else axes.index(text) if text in axes else 3
    return [[1.0 if axis(t) == k else 0.0 for k in range(4)] for t in texts]
