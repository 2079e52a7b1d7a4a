"""The training streams made from the sample corpus: halves that are never translations."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest

from babelwire.record import Article
from babelwire.stories.synthesis import half_articles, half_languages, halves_for_training

LANGUAGES = ("en", "es", "it", "nl")
TEXT = ("The ferry left the harbour at dawn.\nIt carried 412 passengers.\n"
        "Storms closed the port later.\nThe captain praised the crew.")


def _translations(story: str) -> list[Article]:
    return [Article(id=f"{story}:{lang}", lang=lang, title=f"Ferry {lang}", text=TEXT)
            for lang in LANGUAGES]


@pytest.mark.parametrize("story", [f"topic/{n}" for n in range(12)])
def test_translated_story_keeps_one_first_half_and_one_second_half_in_two_languages(
        story: str) -> None:
    kept = [(half, gold) for article in _translations(story)
            for half, gold in halves_for_training(article, story, LANGUAGES)]
    first_halves = [half for half, _ in kept if half.id.endswith("#a")]
    second_halves = [half for half, _ in kept if half.id.endswith("#b")]
    assert len(first_halves) == 1 and len(second_halves) == 1
    assert first_halves[0].lang != second_halves[0].lang
    assert {gold for _, gold in kept} == {story}


def test_no_two_kept_halves_of_a_translated_story_are_translations_of_each_other() -> None:
    for n in range(40):
        story = f"topic/{n}"
        kept = [half for article in _translations(story)
                for half, _ in halves_for_training(article, story, LANGUAGES)]
        for one, other in combinations(kept, 2):
            assert one.id[-2:] != other.id[-2:], (story, one.id, other.id)


def test_half_languages_spread_every_language_over_both_halves() -> None:
    picks = Counter(half_languages(f"topic/{n}", LANGUAGES) for n in range(600))
    firsts = Counter(first for first, _ in picks.elements())
    seconds = Counter(second for _, second in picks.elements())
    assert set(firsts) == set(seconds) == set(LANGUAGES)
    assert min(firsts.values()) > 100 and min(seconds.values()) > 100


def test_half_languages_do_not_depend_on_the_order_languages_are_given_in() -> None:
    assert half_languages("topic/7", ["nl", "en", "it", "es"]) == half_languages(
        "topic/7", LANGUAGES)


def test_half_languages_of_a_one_language_story_says_what_to_do() -> None:
    with pytest.raises(ValueError, match="needs two or more"):
        half_languages("topic/1", ["en"])


def test_one_language_article_keeps_both_halves_as_one_story() -> None:
    article = Article(id="wikinews:en:Ferry", lang="en", title="Ferry", text=TEXT)
    kept = halves_for_training(article, None, ())
    assert [half.id for half, _ in kept] == ["wikinews:en:Ferry#a", "wikinews:en:Ferry#b"]
    assert {gold for _, gold in kept} == {"article:wikinews:en:Ferry"}
    first, second = half_articles(article)
    assert first.title == "Ferry" and second.title == ""
    assert not set(first.text.split("\n")) & set(second.text.split("\n"))
