"""Quotation marks pair by convention, and apostrophes never open a quote."""

from __future__ import annotations

import pytest

from babelwire.quotes.marks import pair_marks, strip_marks


def _stretches(text: str) -> list[str]:
    return [text[s.start:s.end] for s in pair_marks(text) if s.depth == 0]


@pytest.mark.parametrize("quote", [
    "“Wir kommen”", '"We will come"', "„Wir kommen“", "„Przyjdziemy”", "« Nous viendrons »",
    "»Wir kommen«", "‹Wir kommen›", "‚Wir kommen‘", "「行きます」", "『行きます』", "”Vi kommer”",
    "''We will come''", "«Мы придём»",
])
def test_each_quoting_convention_pairs_into_one_stretch(quote: str) -> None:
    text = f"Sie sagte: {quote}, und ging."
    assert _stretches(text) == [quote]


def test_apostrophes_inside_words_open_nothing() -> None:
    text = "Don't go, the players' union said: 'no way', isn't it?"
    assert _stretches(text) == ["'no way'"]


def test_single_quotes_nest_inside_double_quotes() -> None:
    text = 'He said "we will see \'maybe\' later".'
    stretches = pair_marks(text)
    assert [(text[s.start:s.end], s.depth, s.single) for s in stretches] == [
        ('"we will see \'maybe\' later"', 0, False), ("'maybe'", 1, True)]


def test_a_quotation_reopened_in_the_next_paragraph_continues() -> None:
    text = '"The first paragraph ends open.\n\n"The second closes," she said.'
    assert _stretches(text) == ['"The first paragraph ends open.\n\n"The second closes,"']


def test_an_unclosed_mark_does_not_swallow_the_next_paragraph() -> None:
    text = '"An unclosed quote.\n\nA normal paragraph with "a quote" in it.'
    assert _stretches(text) == ['"a quote"']


def test_strip_marks_removes_marks_and_spaces_at_both_ends() -> None:
    assert strip_marks(" « Bonjour » ") == "Bonjour"
