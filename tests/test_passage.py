"""The embedding policy: title first, lead, key sentences, within the token budget."""

from __future__ import annotations

import pytest

from babelwire.passage import PassagePolicy, estimate_tokens, split_sentences, split_title


def words(text: str) -> int:
    return len(text.split())


BODY = ("The council met on Monday. It discussed the budget. "
        "The weather was mild and people walked in the park all afternoon long. "
        "Mayor Anne Hidalgo said 1,200 new homes will be built in Paris by 2026. "
        "Many things were said about many things by many people in the room.")


@pytest.mark.parametrize("budget", [5, 12, 25, 40, 200])
def test_passage_stays_within_budget_and_starts_with_title(budget: int) -> None:
    passage = PassagePolicy(budget_tokens=budget).build("Paris housing plan", BODY, words)
    assert passage.text.split("\n")[0] == "Paris housing plan"
    body_lines = passage.text.split("\n")[1:]
    assert words("Paris housing plan") + sum(words(s) + 1 for s in body_lines) <= max(budget, 3)
    assert passage.tokens <= max(budget, 3)


def test_key_sentence_with_names_and_numbers_beats_filler() -> None:
    passage = PassagePolicy(budget_tokens=30, lead_sentences=1).build("Plan", BODY, words)
    assert "Anne Hidalgo" in passage.text
    assert "weather" not in passage.text and "Many things" not in passage.text


def test_kept_sentences_stay_in_text_order() -> None:
    passage = PassagePolicy(budget_tokens=200).build("Plan", BODY, words)
    lines = passage.text.split("\n")[1:]
    assert lines == split_sentences(BODY)


def test_repeated_sentences_and_title_are_dropped() -> None:
    text = "Plan for Paris. The council met. The council met. Plan for Paris."
    passage = PassagePolicy(budget_tokens=100).build("Plan for Paris.", text, words)
    assert passage.text == "Plan for Paris.\nThe council met."


def test_split_title_takes_first_line_else_first_sentence() -> None:
    assert split_title("Headline here\nBody one. Body two.") == ("Headline here",
                                                                 "Body one. Body two.")
    assert split_title("Headline here. Body one.") == ("Headline here.", "Body one.")


def test_estimate_counts_cjk_characters_one_each() -> None:
    assert estimate_tokens("北京市") == 3
    assert estimate_tokens("abcdefgh") == 2
