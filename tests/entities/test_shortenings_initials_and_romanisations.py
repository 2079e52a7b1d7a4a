"""Name conventions: more shortened forms, initials, Polish instrumental, Arabic
name parts, romaji order, Wade–Giles, and organisation acronyms."""

from __future__ import annotations

import pytest

from babelwire.entities.acronyms import acronym_letters, initials
from babelwire.entities.korean_latin import korean_readings
from babelwire.entities.name_key import name_key, shortened_compacts
from babelwire.entities.organisations import OrganisationTable
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, LinkRule, Mention
from babelwire.entities.resolver import EntityResolver
from babelwire.entities.wade_giles import wade_giles_pinyin

PER = EntityType.PER
ORG = EntityType.ORG


def _resolve(gazetteer: Gazetteer, type_: EntityType, first: tuple[str, str],
             second: tuple[str, str]) -> tuple[bool, LinkRule]:
    resolver = EntityResolver(gazetteer, organisations=OrganisationTable(rows=[]))
    a, b = resolver.resolve([Mention(text=first[0], type=type_, lang=first[1], article_id="a"),
                             Mention(text=second[0], type=type_, lang=second[1], article_id="b")])
    return a.entity_id == b.entity_id, b.rule


@pytest.mark.parametrize(("first", "second"), [
    (("Gustavo Petro Urrego", "es"), ("Gustavo Petro", "en")),  # second surname left out
    (("Brice Clotaire Oligui Nguema", "fr"), ("Brice Oligui Nguema", "en")),  # 4 → 3 words
    (("Imran Khan", "en"), ("Imran Ahmed Khan Niazi", "en")),  # middle and last left out
    (("Subrahmanyam Jaishankar", "en"), ("S. Jaishankar", "en")),  # given name as initial
    (("Narendra Modi", "en"), ("Narendrą Modim", "pl")),  # Polish instrumental
    (("Recep Tayyip Erdoğan", "tr"), ("Recepem Tayyipem Erdoğanem", "pl")),
    (("Narendra Modi", "en"), ("Narendra Modival", "hu")),  # Hungarian -val after a vowel
    (("Muhammad Yunus", "en"), ("Mohammad Yunus", "en")),  # spellings of Muhammad
    (("Tamim bin Hamad Al Thani", "en"), ("Tamim ben Hamad Al Thani", "fr")),  # ben / bin
    (("Abdel Fattah al-Burhan", "en"), ("Abd al-Fattah al-Burhan", "de")),  # Abd al / Abdel
    (("Shigeru Ishiba", "en"), ("Ishiba Shigeru", "en")),  # Japanese order in romaji
    (("Lai Ching-te", "en"), ("赖清德", "zh")),  # Wade–Giles / characters
    (("Teng Hsiao-p'ing", "en"), ("Deng Xiaoping", "en")),  # Wade–Giles / pinyin
])
def test_one_person_written_two_ways_is_one_entity(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert _resolve(gazetteer, PER, first, second)[0]


@pytest.mark.parametrize(("first", "second"), [
    (("Nicolás Maduro Moros", "es"), ("Nicolás Maduro Guerra", "es")),  # two shortened forms
    (("Kim Jong-un", "en"), ("Kim Yo-jong", "en")),
    (("George W. Bush", "en"), ("George H. W. Bush", "en")),
    (("George Herbert Walker Bush", "en"), ("George W. Bush", "en")),
    (("Ferdinand Marcos Jr.", "en"), ("Ferdinand Marcos Sr.", "en")),
    (("Abdel Fattah al-Burhan", "en"), ("Abdel Fattah al-Sisi", "en")),
    (("Ali Hassan", "en"), ("Hassan Ali", "en")),  # not romaji: order matters
    (("Mahamat Idriss Déby", "fr"), ("Idriss Déby", "fr")),  # a patronymic name's father
    (("George Bush", "en"), ("George W. Bush", "en")),  # initials: no shortened form
    (("Chiang Kai-shek", "en"), ("Chiang Ching-kuo", "en")),
])
def test_similar_names_of_different_people_stay_apart(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert not _resolve(gazetteer, PER, first, second)[0]


@pytest.mark.parametrize(("first", "second"), [
    (("Economic Community of West African States", "en"), ("ECOWAS", "en")),  # "of" kept
    (("Industrial and Commercial Bank of China", "en"), ("ICBC", "en")),  # "and", "of" not
    (("ZANU-PF", "en"), ("Zimbabwe African National Union – Patriotic Front", "en")),
    (("Partai Demokrasi Indonesia Perjuangan", "id"), ("PDI-P", "en")),
])
def test_organisation_acronym_links_to_its_full_name(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert _resolve(gazetteer, ORG, first, second) == (True, LinkRule.ACRONYM)


def test_two_full_names_with_one_acronym_stay_apart(gazetteer: Gazetteer) -> None:
    assert not _resolve(gazetteer, ORG, ("Press Trust of India", "en"),
                        ("Pakistan Tehreek-e-Insaf", "en"))[0]


def test_acronyms_need_two_letters_and_a_multi_word_name() -> None:
    assert acronym_letters("U.N.") == "UN"  # two letters: linked within one language only
    assert acronym_letters("A") is None
    assert acronym_letters("ZANU-PF") == "ZANUPF"
    assert acronym_letters("Hamas") is None
    assert initials("Hezbollah") == ()
    assert initials("Korean Central News Agency") == ("KCNA",)


def test_shortened_forms_never_start_or_end_with_a_particle() -> None:
    forms = shortened_compacts(name_key("Mohammed bin Salman", "en").readings)
    assert "muhamadsalman" in forms
    assert not {"binsalman", "muhamadbin"} & forms


def test_romaji_order_is_swapped_only_for_japanese_syllables() -> None:
    assert ("ishiba", "shigeru") in name_key("Shigeru Ishiba", "en").readings
    assert ("rosi", "paolo") not in name_key("Paolo Rossi", "en").readings


def test_wade_giles_needs_a_hyphenated_name_of_table_syllables() -> None:
    assert "zhou enlai" in wade_giles_pinyin("Chou En-lai")
    assert wade_giles_pinyin("Jean-Claude Juncker") == []
    assert wade_giles_pinyin("Ho Chi Minh") == []  # no hyphen: Vietnamese, not Wade–Giles
    assert wade_giles_pinyin("Kim Jong-un") == []


def test_a_name_that_begins_with_a_parents_whole_name_is_another_person(
        gazetteer: Gazetteer) -> None:
    assert not _resolve(gazetteer, PER, ("Aung San Suu Kyi", "en"), ("Aung San", "de"))[0]


@pytest.mark.parametrize(("first", "second"), [
    (("Yoon Suk-yeol", "en"), ("Yun Seok-yeol", "en")),  # own spelling / Revised Romanization
    (("Lee Jae-myung", "en"), ("I Jae-myeong", "en")),
    (("Moon Jae-in", "en"), ("Mun Jae-in", "en")),
])
def test_korean_name_in_two_romanisations_is_one_entity(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert _resolve(gazetteer, PER, first, second)[0]


def test_korean_readings_need_a_listed_surname_and_two_syllables() -> None:
    assert korean_readings("Ali Hassan") == []
    assert korean_readings("Kim Jong-un") == ["kim cong un"]
