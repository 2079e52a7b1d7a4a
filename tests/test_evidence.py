"""Evidence keys agree across languages and scripts (names, numbers, dates, places)."""

from __future__ import annotations

import pytest

from babelwire.evidence import (
    EvidenceExtractor,
    Gazetteer,
    Overlap,
    name_words,
    numbers_and_years,
    phonetic_key,
)


@pytest.fixture(scope="module")
def extractor() -> EvidenceExtractor:
    return EvidenceExtractor()


@pytest.mark.parametrize("spelling", ["Мишустин", "Mishustin", "Misjoestin", "Mischustin",
                                      "Michoustine", "Miszustin", "MISHUSTIN"])
def test_phonetic_key_merges_transliterations_of_one_name(spelling: str) -> None:
    assert phonetic_key(spelling) == phonetic_key("Mishustin")


@pytest.mark.parametrize(("first", "second"), [("Jelzin", "Yeltsin"), ("Путин", "Putin"),
                                               ("Tschaikowski", "Chaikowski")])
def test_phonetic_key_merges_more_variants(first: str, second: str) -> None:
    assert phonetic_key(first) == phonetic_key(second)


@pytest.mark.parametrize(("first", "second"), [("Putin", "Merkel"), ("Orban", "Urban"),
                                               ("Paris", "Parma")])
def test_phonetic_key_keeps_different_names_apart(first: str, second: str) -> None:
    assert phonetic_key(first) != phonetic_key(second)


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
def test_country_names_in_many_languages_map_to_one_code(extractor: EvidenceExtractor,
                                                         name: str) -> None:
    assert "DE" in extractor.extract(f"Nachrichten: {name} und die Welt.").places


@pytest.mark.parametrize("text", ["Exporte Deutschlands stiegen.", "Экспорт Германии вырос.",
                                  "Vývoz z Německa vzrostl."])
def test_inflected_country_names_are_found(extractor: EvidenceExtractor, text: str) -> None:
    assert "DE" in extractor.extract(text).places


def test_big_city_names_give_city_and_country(extractor: EvidenceExtractor) -> None:
    russian = extractor.extract("Встреча прошла в Москве.").places
    german = extractor.extract("Das Treffen fand in Moskau statt.").places
    shared = russian & german
    assert "RU" in shared and any(code.startswith("RU:") for code in shared)


def test_all_caps_country_aliases_count_but_lower_case_words_do_not(
        extractor: EvidenceExtractor) -> None:
    assert extractor.extract("Sanctions by the USA.").places == {"US"}
    assert extractor.extract("Give it to us now.").places == set()


def test_dates_in_two_languages_share_day_month_and_year(extractor: EvidenceExtractor) -> None:
    german = extractor.extract("Am 14. März 2021 wurde gewählt.").dates
    english = extractor.extract("The vote was held on March 14, 2021.").dates
    assert {"2021", "m03", "03-14"} <= german & english


def test_gazetteer_is_built_on_first_use_only() -> None:
    gazetteer = Gazetteer()
    assert gazetteer._tables_cache is None
    assert "FR" in gazetteer.place_codes("La France")
    assert gazetteer._tables_cache is not None


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
