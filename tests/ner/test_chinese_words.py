"""Chinese raw text is cut into dictionary words; traditional characters like simplified ones."""

from __future__ import annotations

import logging
import sys

import pytest

from babelwire.ner.words import chinese_run_splitter, word_spans

pytest.importorskip("rjieba")


def test_chinese_run_is_cut_into_dictionary_words() -> None:
    split = chinese_run_splitter()
    assert split is not None
    text = "习近平在北京会见默克尔"
    assert [text[a:b] for a, b in word_spans(text, split)] == \
        ["习近平", "在", "北京", "会见", "默克尔"]


def test_traditional_characters_are_cut_where_simplified_ones_are() -> None:
    split = chinese_run_splitter()
    assert split is not None
    assert split("台灣總統在臺北會見記者") == split("台湾总统在台北会见记者")


def test_missing_segmenter_falls_back_with_a_log_line_naming_the_extra(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "rjieba", None)
    with caplog.at_level(logging.WARNING, logger="babelwire.ner.words"):
        assert chinese_run_splitter() is None
    assert "install babelwire[zh]" in caplog.text
