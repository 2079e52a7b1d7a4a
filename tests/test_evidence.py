"""Evidence keys agree across languages and scripts (names, numbers, dates, places)."""

from __future__ import annotations

import pytest

from babelwire.entities.name_key import word_key
from babelwire.entities.places import Gazetteer
from babelwire.evidence import (
    EvidenceExtractor,
    MonthNames,
    Overlap,
    name_words,
    numbers_and_years,
)


@pytest.fixture(scope="module")
def extractor(tmp_path_factory: pytest.TempPathFactory) -> EvidenceExtractor:
    return EvidenceExtractor(gazetteer=Gazetteer(tmp_path_factory.mktemp("places")))


@pytest.mark.parametrize("spelling", ["Мишустин", "Mishustin", "Misjoestin", "Mischustin",
                                      "Michoustine", "Miszustin", "MISHUSTIN"])
def test_word_key_merges_transliterations_of_one_name(spelling: str) -> None:
    assert word_key(spelling) == word_key("Mishustin")


@pytest.mark.parametrize(("first", "second"), [("Jelzin", "Yeltsin"), ("Путин", "Putin"),
                                               ("Tschaikowski", "Chaikowski")])
def test_word_key_merges_more_variants(first: str, second: str) -> None:
    assert word_key(first) == word_key(second)


@pytest.mark.parametrize(("first", "second"), [("Putin", "Merkel"), ("Orban", "Urban"),
                                               ("Paris", "Parma")])
def test_word_key_keeps_different_names_apart(first: str, second: str) -> None:
    assert word_key(first) != word_key(second)


def test_word_key_uses_the_script_conventions_of_the_entity_name_key() -> None:
    assert word_key("Ντόναλντ") == word_key("Donald")  # Greek ντ is d
    assert word_key("Τραμπ") != word_key("Trump")  # but a single word keeps its vowels


def test_name_words_skip_sentence_initial_words_seen_in_lower_case() -> None:
    text = ("Der Bundestag tagte. Die Kanzlerin Angela Merkel sprach mit der EVP über die Lage."
            " Orban fehlte.")
    names = name_words(text)
    assert "Die" not in names and "Der" not in names  # "der" occurs in lower case
    assert {"Angela", "Merkel", "EVP", "Orban", "Bundestag", "Kanzlerin"} <= set(names)


def test_name_words_keep_every_longer_word_in_caseless_scripts() -> None:
    assert name_words("التقى أردوغان مع بوتين في") == ["التقى", "أردوغان", "بوتين"]


@pytest.mark.parametrize("written", ["1,000", "1.000", "1 000", "1000", "1\u202f000", "١٠٠٠"])
def test_numbers_in_every_grouping_style_get_one_key(written: str) -> None:
    assert numbers_and_years(f"Es kamen {written} Menschen.") == ({"1000"}, set())


def test_decimals_keep_their_fraction_whatever_the_separator() -> None:
    assert numbers_and_years("34,7 mln") == numbers_and_years("$34.7 million") == ({"34.7"}, set())
    assert numbers_and_years("1.234.567,5 Euro")[0] == {"1234567.5"}


def test_years_are_kept_apart_and_small_numbers_dropped() -> None:
    assert numbers_and_years("In 2020, 3 of 45 members left.") == ({"45"}, {"2020"})


@pytest.mark.parametrize("name", ["Deutschland", "Germany", "Allemagne", "Германия", "Niemcy",
                                  "Alemania", "Almanya", "ألمانيا", "Německo"])
def test_country_names_in_many_languages_map_to_one_place_id(extractor: EvidenceExtractor,
                                                             name: str) -> None:
    assert "geo:country:DE" in extractor.extract(f"Nachrichten: {name} und die Welt.").places


@pytest.mark.parametrize(("text", "lang"), [("Exporte Deutschlands stiegen.", "de"),
                                            ("Экспорт Германии вырос.", "ru"),
                                            ("Vývoz z Německa vzrostl.", "cs")])
def test_inflected_country_names_are_found(extractor: EvidenceExtractor, text: str,
                                           lang: str) -> None:
    assert "geo:country:DE" in extractor.extract(text, lang).places


def test_big_city_names_give_city_and_country(extractor: EvidenceExtractor) -> None:
    russian = extractor.extract("Встреча прошла в Москве.", "ru").places
    german = extractor.extract("Das Treffen fand in Moskau statt.", "de").places
    assert {"geo:country:RU", "geo:city:524901"} <= russian & german


def test_smaller_cities_and_adjectives_are_not_place_evidence(
        extractor: EvidenceExtractor) -> None:
    assert extractor.extract("The talks in Split ended. Russische Truppen zogen ab.").places \
        == set()


def test_all_caps_country_aliases_count_but_lower_case_words_do_not(
        extractor: EvidenceExtractor) -> None:
    assert extractor.extract("Sanctions by the USA.").places == {"geo:country:US"}
    assert extractor.extract("Give it to us now.").places == set()


def test_dates_in_two_languages_share_day_month_and_year(extractor: EvidenceExtractor) -> None:
    german = extractor.extract("Am 14. März 2021 wurde gewählt.").dates
    english = extractor.extract("The vote was held on March 14, 2021.").dates
    assert {"2021", "m03", "03-14"} <= german & english


def test_month_names_are_read_on_first_use_only() -> None:
    months = MonthNames()
    assert months._months_cache is None
    assert "m03" in months.dates("am 3. März")
    assert months._months_cache is not None


def test_overlap_matches_inflected_names_by_prefix() -> None:
    overlap = Overlap.fit([{"hastings"}, {"hastingsa"}, {"netflix"}])
    assert overlap.score({"hastings", "netflix"}, {"hastingsa", "netflix"}) == pytest.approx(1.0)
    assert Overlap.fit([{"hastings"}], prefix_match=False).score({"hastings"}, {"hastingsa"}) == 0


def test_overlap_weights_rare_keys_above_common_ones() -> None:
    sets = [{"common", "rare"}, {"common", "other"}, {"common"}, {"common"}]
    overlap = Overlap.fit(sets)
    rare_shared = overlap.score({"rare", "x1"}, {"rare", "x2"})
    common_shared = overlap.score({"common", "x1"}, {"common", "x2"})
    assert rare_shared > common_shared > 0


@pytest.mark.parametrize(("text", "place"), [
    ("日本气象厅称，周一日本北部近海发生6.8级地震。", "geo:country:JP"),
    ("土耳其东部马拉蒂亚省发生5.9级地震", "geo:country:TR"),
    ("トルコ東部で地震が発生した", "geo:country:TR"),
    ("俄羅斯總統在莫斯科發表講話", "geo:country:RU"),
    ("러시아는 성명을 발표했다", "geo:country:RU"),
])
def test_place_names_inside_unspaced_cjk_text_are_found(extractor: EvidenceExtractor,
                                                          text: str, place: str) -> None:
    assert place in extractor.extract(text, "und").places


def test_a_big_city_written_in_han_gives_city_and_country(extractor: EvidenceExtractor) -> None:
    places = extractor.extract("米舒斯京周一在莫斯科会见李强", "zh").places
    assert "geo:country:RU" in places
    assert any(p.startswith("geo:city:") for p in places)
