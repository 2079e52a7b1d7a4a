"""Every quote and speaker of the hand-written fixture articles is found (one file per language).

The fixtures (``fixtures/<lang>.jsonl``) are realistic news articles written for
this test, with every quotation listed: its words as they stand in the text
(without marks), its type and its speaker's full name. A quote counts as found
when one extracted quote (or one span of it) has the same words once quotation
marks, spaces, punctuation at either end and a leading complementiser ("dass",
"что", "que") are set aside — the metric ignores the same things. The speaker is
right when the fixture's full name contains the resolved name ("Jonas Gahr
Støre" ⊇ "Støre"). Quotes the extractor does not get right yet are listed, one a
line, in ``known_gaps.txt``; the test holds that list exact.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from babelwire.quotes.extractor import QuoteExtractor
from babelwire.quotes.lexicon import Lexicon
from babelwire.quotes.marks import ALL_MARK_CHARS
from babelwire.record import Entity, Quote

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _languages() -> list[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.jsonl"))


def _articles(language: str) -> list[dict[str, Any]]:
    lines = (FIXTURES / f"{language}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _edge_junk(ch: str) -> bool:
    return ch.isspace() or ch in ALL_MARK_CHARS or unicodedata.category(ch)[0] == "P"


def normalised(text: str, lexicon: Lexicon) -> str:
    """Words of a quote as the comparison sees them (see the module docstring)."""
    text = " ".join(text.replace("…", " ").split())
    start, end = 0, len(text)
    while start < end and _edge_junk(text[start]):
        start += 1
    while end > start and _edge_junk(text[end - 1]):
        end -= 1
    words = text[start:end].split(" ")
    if len(words) > 1 and lexicon.is_complementizer(words[0]):
        first = lexicon.strip_elision(words[0])
        words = words[1:] if first == words[0] else [first, *words[1:]]
    return " ".join(words).casefold()


def _texts(quote: Quote, article_text: str, lexicon: Lexicon) -> set[str]:
    parts = {normalised(article_text[a:b], lexicon) for a, b in quote.spans}
    return parts | {normalised(quote.text, lexicon)}


def _speaker_ok(expected: str, quote: Quote) -> bool:
    name = (quote.speaker_name or "").strip().casefold()
    return bool(name) and name in expected.casefold()


def _problems(extractor: QuoteExtractor, article: dict[str, Any],
              entities: list[Entity] | None = None) -> dict[str, str]:
    """``{"<id> <first words of the quote>": what is wrong}`` for every quote not found right."""
    lexicon = extractor.lexicon(article["language"])
    assert lexicon is not None, f"no quote lexicon for {article['language']!r}"
    found = extractor.extract(article["text"], article["language"], entities)
    problems = {}
    for expected in article["quotes"]:
        key = f"{article['id']} {expected['text'][:32]}"
        wanted = normalised(expected["text"], lexicon)
        matches = [q for q in found if wanted in _texts(q, article["text"], lexicon)]
        if not matches:
            problems[key] = "quote not found"
        elif not any(_speaker_ok(expected["speaker"], q) for q in matches):
            got = [q.speaker_name for q in matches]
            problems[key] = f"speaker {expected['speaker']!r}, got {got}"
    return problems


def _known_gaps(name: str = "known_gaps.txt") -> set[str]:
    lines = (FIXTURES.parent / name).read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


@pytest.mark.parametrize("language", _languages())
def test_every_fixture_quote_and_speaker_is_found_without_ner(language: str) -> None:
    """Every quote is found with its speaker, except the gaps listed in known_gaps.txt.

    A listed gap that the extractor now gets right fails the test too, so the
    list only ever shrinks: remove the line.
    """
    extractor = QuoteExtractor()
    problems: dict[str, str] = {}
    for article in _articles(language):
        problems.update(_problems(extractor, article))
    known = {gap for gap in _known_gaps() if gap.startswith(f"{language}-")}
    assert {k: v for k, v in problems.items() if k not in known} == {}
    assert sorted(known - set(problems)) == [], "fixed: remove these lines from known_gaps.txt"


@pytest.mark.slow
@pytest.mark.parametrize("language", _languages())
def test_every_fixture_quote_and_speaker_is_found_with_ner(language: str) -> None:
    from babelwire.record import Article
    from babelwire.stages.ner import NerStage

    articles = _articles(language)
    tagged = NerStage().process_batch([Article(id=a["id"], text=a["text"]) for a in articles])
    extractor = QuoteExtractor()
    problems: dict[str, str] = {}
    for article, result in zip(articles, tagged, strict=True):
        problems.update(_problems(extractor, article, result.entities))
    # NER mentions change which names are antecedents, so the gaps differ: their own exact list
    known = {gap for gap in _known_gaps("known_gaps_ner.txt") if gap.startswith(f"{language}-")}
    assert {k: v for k, v in problems.items() if k not in known} == {}
    assert sorted(known - set(problems)) == [], "fixed: remove these lines from known_gaps_ner.txt"


def test_normalised_quote_text_ignores_marks_edges_and_complementiser() -> None:
    lexicon = Lexicon(language="xx", complementizers=frozenset({"que", "qu"}),
                      elisions=("qu’",))
    assert normalised(" « Nous verrons », ", lexicon) == "nous verrons"
    assert normalised("qu’aucun blessé n’était à déplorer.", lexicon) == \
        "aucun blessé n’était à déplorer"
    assert normalised("que tout va bien", lexicon) == "tout va bien"


@pytest.mark.parametrize("language", _languages())
def test_no_title_name_or_scare_quote_of_a_fixture_is_returned_as_a_quote(language: str) -> None:
    """The fixtures' ``non_quotes`` (quoted titles, names, scare quotes) are never a quote, nor
    one span of a quote: they may only stand inside a longer quote that contains them."""
    extractor = QuoteExtractor()
    returned = []
    for article in _articles(language):
        lexicon = extractor.lexicon(article["language"])
        assert lexicon is not None
        found = extractor.extract(article["text"], article["language"])
        texts = set().union(*(_texts(q, article["text"], lexicon) for q in found))
        returned += [f"{article['id']} {non_quote}" for non_quote in article.get("non_quotes", [])
                     if normalised(non_quote, lexicon) in texts]
    assert returned == []
