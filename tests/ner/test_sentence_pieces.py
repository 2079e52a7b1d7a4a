"""Raw text is tagged sentence by sentence: where the pieces are cut."""

from __future__ import annotations

from babelwire.ner.tagger import _calls, sentence_pieces
from babelwire.ner.words import word_spans


def _pieces(text: str, max_words: int | None = None) -> list[str]:
    spans = word_spans(text, None)
    return [" ".join(text[a:b] for a, b in spans[first:last])
            for first, last in sentence_pieces(text, spans, max_words)]


def test_sentences_are_cut_after_a_stop_before_a_capital() -> None:
    assert _pieces("Frederiksen talte i går. Hun sagde nej. 3 ministre gik.") == [
        "Frederiksen talte i går .", "Hun sagde nej .", "3 ministre gik ."]


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    assert _pieces("Dr. Smith met J. K. Rowling in the U.S. Then he left.") == [
        "Dr . Smith met J . K . Rowling in the U.S . Then he left ."]


def test_a_line_break_ends_a_piece_and_cjk_stops_end_sentences() -> None:
    assert len(_pieces("Headline without stop\nBody starts here.")) == 2
    assert len(_pieces("北京是首都。他来了。")) == 2


def test_a_run_on_sentence_is_cut_at_the_word_limit() -> None:
    text = " ".join(["ord"] * 130)
    assert [len(p.split()) for p in _pieces(text, max_words=60)] == [60, 60, 10]


def test_calls_group_pieces_within_the_word_budget_keeping_order() -> None:
    pieces = [(0, 0, 3000), (0, 3000, 3500), (1, 0, 900), (1, 900, 5000)]
    assert _calls(pieces) == [[(0, 0, 3000), (0, 3000, 3500)], [(1, 0, 900)], [(1, 900, 5000)]]
