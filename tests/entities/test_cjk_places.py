"""Place names inside unspaced Chinese and Japanese text and spaced Korean, as written."""

from __future__ import annotations

import pytest

from babelwire.entities.cjk_places import CjkPlaceNames, has_cjk

LABELS = [("日本", "geo:country:JP"), ("印度", "geo:country:IN"), ("印度尼西亚", "geo:country:ID"),
          ("土耳其", "geo:country:TR"), ("タイ", "geo:country:TH"), ("アメリカ", "geo:country:US"),
          ("ラテンアメリカ", "geo:region:419"), ("인도", "geo:country:IN"),
          ("러시아", "geo:country:RU"), ("中", "geo:country:CN"), ("Japan", "geo:country:JP")]


@pytest.fixture(scope="module")
def names() -> CjkPlaceNames:
    return CjkPlaceNames.from_labels(LABELS)


def test_a_name_inside_a_sentence_without_spaces_is_found(names: CjkPlaceNames) -> None:
    assert names.find("周一日本北部青森县近海发生6.8级地震，土耳其东部也有震感") == [
        "geo:country:JP", "geo:country:TR"]


def test_the_longest_name_at_a_position_wins(names: CjkPlaceNames) -> None:
    assert names.find("印度尼西亚发生地震") == ["geo:country:ID"]


def test_a_katakana_name_must_be_a_whole_katakana_word(names: CjkPlaceNames) -> None:
    assert names.find("タイトルを見る") == []
    assert names.find("タイで地震") == ["geo:country:TH"]
    assert names.find("ラテンアメリカ諸国") == ["geo:region:419"]


def test_a_korean_name_must_start_a_word(names: CjkPlaceNames) -> None:
    assert names.find("러시아는 보인도 발표") == ["geo:country:RU"]


def test_one_character_and_latin_labels_are_not_listed(names: CjkPlaceNames) -> None:
    assert "中" not in names.names and "Japan" not in names.names
    assert names.find("中方表示") == []


def test_has_cjk_tells_scripts_apart() -> None:
    assert has_cjk("俄罗斯") and has_cjk("モスクワ") and has_cjk("모스크바")
    assert not has_cjk("Москва Moscow")
