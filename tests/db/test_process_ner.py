"""`babelwire process` with NER (both stores): new mentions replace the old; a replay links them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from babelwire import Database
from babelwire.assembly import after_ingest_steps
from babelwire.db.store import Store
from babelwire.ingest import IngestReport
from babelwire.pipeline import Pipeline
from babelwire.processing import Processor
from babelwire.record import Article, Entity


@dataclass(slots=True)
class CapitalisedPairs:
    """A deterministic NER stage: every two capitalised words in a row are a person."""

    name: str = "ner"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("entities",)

    def __call__(self, article: Article) -> Article:
        found = [Entity(id="", name=m.group(), type="PER", mention=m.group(),
                        spans=((m.start(), m.end()),))
                 for m in re.finditer(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", article.text)]
        article.entities = found
        return article


NAMED = ("Mayor Anna Berg said the harbour of Alta stays open. Anna Berg met Olav Lind.",
         "Olav Lind and Kari Moe spoke in Alta. Kari Moe said the ships can leave.")


def _named(make_article: Callable[..., Article]) -> list[Article]:
    return [make_article(id=f"n{n}", title=f"Harbour {n}", text=text, lang="en")
            for n, text in enumerate(NAMED)]


def _entity_links(db: Store) -> dict[str, list[tuple[str, str, tuple[tuple[int, int], ...]]]]:
    return {a.id: sorted((e.id, e.name, tuple(e.spans)) for e in a.entities)
            for a in db.iter_articles()}


def _mention_rows(db: Store) -> int:
    return int(db.transaction(
        lambda conn: conn.execute("SELECT count(*) FROM entity_mentions").fetchone()[0]))


def test_process_with_ner_links_the_new_mentions_as_an_ingest_with_ner_does(
        db: Store, make_article: Callable[..., Article]) -> None:
    ner = CapitalisedPairs()
    processed = db
    with Database(memory=True) as ingested:
        for article in _named(make_article):
            processed.add_article(article)
        steps = after_ingest_steps(Pipeline([ner]), processed, replay_entities=True)
        report = Processor(processed, [ner], after=steps).process()
        for article in _named(make_article):
            ingested.add_article(ner(article))
        for step in after_ingest_steps(Pipeline([ner]), ingested):
            step(IngestReport())
        assert (report.stages_run, report.steps_run) == (["ner"], ["entities.resolve"])
        links = _entity_links(processed)
        assert links == _entity_links(ingested)
        assert all(entity_id for found in links.values() for entity_id, _, _ in found)
        assert {name for found in links.values() for _, name, _ in found} >= {
            "Anna Berg", "Olav Lind", "Kari Moe"}


def test_process_with_ner_run_twice_keeps_one_row_per_mention(
        db: Store, make_article: Callable[..., Article]) -> None:
    ner = CapitalisedPairs()
    for article in _named(make_article):
        db.add_article(article)
    for _ in range(2):
        Processor(db, [ner], after=after_ingest_steps(Pipeline([ner]), db,
                                                      replay_entities=True)).process()
    links = _entity_links(db)
    assert _mention_rows(db) == sum(len(found) for found in links.values()) == 6
