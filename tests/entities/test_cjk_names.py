"""Names in Chinese characters and katakana against Latin ones: readings, sounds, and guards."""

from __future__ import annotations

import pytest

from babelwire.entities.han_names import japanese_readings, normal_romaji, pinyin_readings
from babelwire.entities.name_key import name_key
from babelwire.entities.name_match import MatchMode, align_names
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, Link, LinkRule, Mention
from babelwire.entities.resolver import EntityResolver
from babelwire.entities.sound_classes import kana_sounds, latin_sound, pinyin_sound

PER = EntityType.PER


def _pair(gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]
          ) -> tuple[Link, Link]:
    resolver = EntityResolver(gazetteer)
    a, b = resolver.resolve([Mention(text=first[0], type=PER, lang=first[1], article_id="a"),
                             Mention(text=second[0], type=PER, lang=second[1], article_id="b")])
    return a, b


def _classes(units: tuple) -> str:
    return "".join(u.cls for u in units)


def test_kanji_name_is_read_family_first_from_the_name_table() -> None:
    assert japanese_readings("岸田文雄") == (("kishida", "fumio"),)
    assert ("kono", "taro") in japanese_readings("河野太郎")  # コウノ tarou: long vowels unmarked


def test_romaji_of_a_latin_name_drops_long_vowel_marks() -> None:
    assert normal_romaji("Tarō Kōno") == normal_romaji("Taro Kohno") == "taro kono"


@pytest.mark.parametrize("latin", [("Fumio Kishida", "en"), ("Kishida Fumio", "ja")])
def test_kanji_name_links_to_its_latin_reading_in_either_order(
        gazetteer: Gazetteer, latin: tuple[str, str]) -> None:
    a, b = _pair(gazetteer, latin, ("岸田文雄", "ja"))
    assert b.entity_id == a.entity_id
    assert "japanese-reading match" in b.evidence


def test_kanji_reading_must_match_family_and_given_name() -> None:
    assert align_names(name_key("岸信介", "ja"), name_key("Fumio Kishida", "en")) is None
    assert align_names(name_key("河野太郎", "ja"), name_key("Taro Aso", "en")) is None


def test_two_kanji_names_with_one_reading_do_not_merge_on_it(gazetteer: Gazetteer) -> None:
    assert japanese_readings("斉藤太郎") == japanese_readings("斎藤太郎") == (("saito", "taro"),)
    a, b = _pair(gazetteer, ("斉藤太郎", "ja"), ("斎藤太郎", "ja"))
    assert a.entity_id != b.entity_id


def test_sound_units_survive_inserted_vowels_and_dropped_codas() -> None:
    assert _classes(latin_sound("merkel")) == _classes(pinyin_sound(["mo", "ke", "er"])) == "NK"
    assert _classes(latin_sound("trump")) == _classes(pinyin_sound(["te", "lang", "pu"])) == "TLNP"
    assert _classes(latin_sound("vladimir")) in {_classes(s) for s in kana_sounds("urajiimiru")}


@pytest.mark.parametrize(("latin", "han"), [
    (("Angela Merkel", "de"), ("安格拉·默克尔", "zh")),
    (("Vladimir Putin", "en"), ("弗拉基米尔·普京", "zh")),
    (("Antony Blinken", "en"), ("安东尼·布林肯", "zh")),
    (("Ursula von der Leyen", "de"), ("乌尔苏拉·冯德莱恩", "zh")),
    (("Trump", "en"), ("特朗普", "zh")),
])
def test_western_name_in_chinese_characters_joins_its_latin_entity_by_sound(
        gazetteer: Gazetteer, latin: tuple[str, str], han: tuple[str, str]) -> None:
    a, b = _pair(gazetteer, latin, han)
    assert b.entity_id == a.entity_id
    assert b.rule == LinkRule.FUZZY_NAME
    assert "han-sounds match" in b.evidence


@pytest.mark.parametrize(("latin", "han"), [
    (("Tim Cook", "en"), ("吉姆·库克", "zh")),  # 吉 at a word's start is j, g or k, never t
    (("Hillary Clinton", "en"), ("比尔·克林顿", "zh")),
    (("Mark Kay", "en"), ("马凯", "zh")),  # a Chinese name, not a transliteration
    (("Mark", "en"), ("马克", "zh")),  # two units: too few to tell names apart
])
def test_sound_match_keeps_apart_names_that_only_share_classes(
        latin: tuple[str, str], han: tuple[str, str]) -> None:
    assert align_names(name_key(*latin), name_key(*han)) is None


def test_latin_name_spelled_in_pinyin_is_compared_by_pinyin_only() -> None:
    found = align_names(name_key("Ma Kai", "en"), name_key("马凯", "zh"))
    assert found is not None and found.mode == MatchMode.STRICT


@pytest.mark.parametrize("latin", [("Xí Jìnpíng", "en"), ("Jinping Xi", "en"),
                                   ("Xi Jinping", "de")])
def test_pinyin_with_tone_marks_or_given_name_first_joins_the_han_name(
        gazetteer: Gazetteer, latin: tuple[str, str]) -> None:
    a, b = _pair(gazetteer, latin, ("习近平", "zh"))
    assert b.entity_id == a.entity_id


def test_a_surname_character_is_also_read_by_its_surname_reading() -> None:
    assert "zeng qing hong" in pinyin_readings("曾庆红")  # 曾 is ceng in words, zeng as a name


@pytest.mark.parametrize(("latin", "kana"), [
    (("Vladimir Putin", "en"), ("ウラジーミル・プーチン", "ja")),  # ウ for V, ジ for di, チ for ti
    (("George Bush", "en"), ("ジョージ・ブッシュ", "ja")),  # ジ is j; r after a vowel silent
    (("Dmitry Medvedev", "en"), ("ドミトリー・メドベージェフ", "ja")),
])
def test_katakana_name_with_dropped_or_softened_consonants_joins_its_latin_entity(
        gazetteer: Gazetteer, latin: tuple[str, str], kana: tuple[str, str]) -> None:
    a, b = _pair(gazetteer, latin, kana)
    assert b.entity_id == a.entity_id


def test_katakana_sound_match_keeps_relatives_apart() -> None:
    hillary = name_key("ヒラリー・クリントン", "ja")
    assert align_names(name_key("Bill Clinton", "en"), hillary) is None
