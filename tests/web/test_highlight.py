"""Cutting article text into highlight runs: overlaps, nesting, paragraphs, bad spans."""

from __future__ import annotations

from babelwire.web.highlight import Role, Run, highlight


def _entity(start: int, end: int) -> dict:
    return {"spans": [[start, end]]}


def _quote(spans: list, speaker: list | None = None, cue: list | None = None) -> dict:
    return {"spans": spans, "speaker_spans": speaker or [], "cue_spans": cue or []}


def test_highlight_marks_a_name_inside_a_quote_with_both() -> None:
    text = 'Støre said "Oslo is ready" today.'
    quote = _quote([[11, 26]], speaker=[[0, 5]], cue=[[6, 10]])
    result = highlight(text, [_entity(0, 5), _entity(12, 16)], [quote])
    runs = result.paragraphs[0]
    assert "".join(r.text for r in runs) == text
    assert Run("Støre", entity=0, role=Role.SPEAKER, role_quote=0) in runs
    assert Run("said", role=Role.CUE, role_quote=0) in runs
    assert runs[runs.index(Run('"', quote=0, quote_start=True))] is not None
    assert Run("Oslo", entity=1, quote=0) in runs
    assert result.skipped == 0


def test_highlight_takes_the_innermost_of_overlapping_spans() -> None:
    text = "Bank of England governor"
    result = highlight(text, [_entity(0, 15), _entity(8, 15)], [])
    assert [(r.text, r.entity) for r in result.paragraphs[0]] == [
        ("Bank of ", 0), ("England", 1), (" governor", None)]


def test_highlight_cuts_paragraphs_at_line_breaks_even_inside_a_quote() -> None:
    text = '"First line\nsecond line" end\n\nlast'
    result = highlight(text, [], [_quote([[0, 24]])])
    assert [[r.text for r in p] for p in result.paragraphs] == [
        ['"First line'], ['second line"', " end"], ["last"]]
    assert [r.quote_start for p in result.paragraphs for r in p if r.quote == 0] == [True, False]


def test_highlight_counts_spans_outside_the_text_and_does_not_show_them() -> None:
    result = highlight("Short.", [_entity(3, 99), _entity(4, 4)], [_quote([[-1, 2]])])
    assert result.skipped == 3
    assert [(r.text, r.entity, r.quote) for r in result.paragraphs[0]] == [
        ("Short.", None, None)]
