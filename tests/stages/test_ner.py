"""The ner stage finds names in raw text in several languages, with spans into the text."""

from __future__ import annotations

import pytest

from babelwire import Article
from babelwire.stages.ner import NerStage

TEXTS = {
    "nb": ("Statsminister Jonas Gahr Støre møtte Tysklands forbundskansler Olaf Scholz i Berlin"
           " torsdag.", {("Jonas Gahr Støre", "PER"), ("Olaf Scholz", "PER"), ("Berlin", "LOC")}),
    "da": ("Mette Frederiksen talte i Folketinget i København om aftalen med Novo Nordisk.",
           {("Mette Frederiksen", "PER"), ("København", "LOC")}),
    "de": ("Bundeskanzler Olaf Scholz traf am Montag in Paris den französischen Präsidenten"
           " Emmanuel Macron.", {("Olaf Scholz", "PER"), ("Paris", "LOC"),
                                 ("Emmanuel Macron", "PER")}),
    "en": ("Russian Prime Minister Mikhail Mishustin visited Beijing on Tuesday.",
           {("Mikhail Mishustin", "PER"), ("Beijing", "LOC")}),
}


@pytest.fixture(scope="module")
def stage() -> NerStage:
    return NerStage()


@pytest.mark.slow
def test_ner_stage_finds_people_and_places_with_spans_into_the_text(stage: NerStage) -> None:
    articles = [Article(id=lang, text=text, lang=lang) for lang, (text, _) in TEXTS.items()]
    missed = {}
    for article in stage.process_batch(articles):
        found = {(e.mention, e.type) for e in article.entities}
        for entity in article.entities:
            (start, end), = entity.spans
            assert article.text[start:end] == entity.mention
        expected = TEXTS[article.id][1]
        if not expected <= found:
            missed[article.id] = (expected - found, found)
    # a small head: allow one language to miss something, report what
    assert len(missed) <= 1, missed


def test_ner_stage_on_empty_text_finds_nothing(stage: NerStage) -> None:
    [article] = stage.process_batch([Article(id="e", text="")])
    assert article.entities == []


@pytest.mark.slow
def test_long_text_is_tagged_in_pieces_with_spans_into_the_whole_text(
        stage: NerStage, monkeypatch: pytest.MonkeyPatch) -> None:
    from babelwire.ner import tagger

    sentence = "Mette Frederiksen talte i København om aftalen. "  # 8 words
    monkeypatch.setattr(tagger, "CALL_WORDS", 56)  # one piece per sentence, several calls
    [alone] = stage.tagger.mentions([sentence])
    [long] = stage.tagger.mentions([sentence * 50])
    shifted = [(m.start + k * len(sentence), m.end + k * len(sentence), m.text, m.type)
               for k in range(50) for m in alone]
    assert alone and [(m.start, m.end, m.text, m.type) for m in long] == shifted


class _RecordingTagger:
    """Stands in for the encoder-backed tagger: records what it was asked to read."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def mentions(self, texts: list[str], langs: list[str]) -> list[list[object]]:
        self.texts.extend(texts)
        return [[] for _ in texts]


def test_ner_reads_at_most_max_tagged_chars_of_a_huge_body() -> None:
    from babelwire.stages.ner import MAX_TAGGED_CHARS

    tagger = _RecordingTagger()
    stage = NerStage(_tagger=tagger)  # type: ignore[arg-type]
    stage.process_batch([Article(id="huge", text="Word " * (MAX_TAGGED_CHARS // 2)),
                         Article(id="short", text="Olaf Scholz")])
    assert [len(text) for text in tagger.texts] == [MAX_TAGGED_CHARS, len("Olaf Scholz")]
