"""Where the quote layout ends sentences. Every sentence here was written for these tests."""

from __future__ import annotations

import pytest

from babelwire.quotes.layout import build_layout


def _sentences(text: str) -> list[str]:
    return [text[s.start:s.end].strip() for s in build_layout(text).sentences]


@pytest.mark.parametrize("number", ["7,1", "1.000", "2.5"])
def test_layout_ends_a_sentence_after_a_decimal_or_grouped_number(number: str) -> None:
    text = f"Der Wert lag bei {number}. Nach Angaben der Behörde stieg er später."
    assert _sentences(text) == [f"Der Wert lag bei {number}.",
                                "Nach Angaben der Behörde stieg er später."]


def test_layout_keeps_a_german_day_ordinal_inside_its_sentence() -> None:
    text = "Die Messe beginnt am 25. Mai in Leipzig."
    assert _sentences(text) == [text]
