"""Name conventions: Latin-to-Latin transcriptions, shortened names, case endings,
Hungarian name order, the Czech transcription of Chinese, Vietnamese, Russian w."""

from __future__ import annotations

import pytest

from babelwire.entities.czech_pinyin import czech_pinyin
from babelwire.entities.name_key import name_key
from babelwire.entities.organisations import OrganisationTable
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, Mention
from babelwire.entities.resolver import EntityResolver
from babelwire.entities.romanise import Script, script_of

PER = EntityType.PER


def _merged(gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> bool:
    resolver = EntityResolver(gazetteer, organisations=OrganisationTable(rows=[]))
    a, b = resolver.resolve([Mention(text=first[0], type=PER, lang=first[1], article_id="a"),
                             Mention(text=second[0], type=PER, lang=second[1], article_id="b")])
    return a.entity_id == b.entity_id


@pytest.mark.parametrize(("first", "second"), [
    (("Ebrahim Raisi", "en"), ("İbrahim Reisi", "tr")),  # Latin spellings by ear
    (("Muammar Gaddafi", "en"), ("Muammer Kaddafi", "tr")),  # k/g: one consonant class
    (("Bola Tinubu", "en"), ("Bola Ahmed Tinubu", "fr")),  # middle name left out
    (("Vladimir Putin", "en"), ("Владимир Владимирович Путин", "ru")),  # patronymic
    (("Lula da Silva", "es"), ("Luiz Inácio Lula da Silva", "pt")),  # given names left out
    (("Nelson Mandela", "en"), ("Nelsona Mandeli", "pl")),  # Polish genitive, every word
    (("Emmanuel Macron", "fr"), ("Emmanuela Macrona", "cs")),  # Czech genitive
    (("Viktor Orbán", "de"), ("Orbán Viktor", "hu")),  # Hungarian order
    (("Xi Jinping", "en"), ("Si Ťin-pching", "cs")),  # Czech transcription of Chinese
    (("William Ruto", "en"), ("Уильям Руто", "ru")),  # Russian у for English w
    (("Nguyễn Phú Trọng", "vi"), ("Нгуен Фу Чонг", "ru")),  # Vietnamese tr / ч
    (("Ismail Haniyeh", "en"), ("Исмаил Хания", "ru")),  # -eh / -а
    (("Muammar Gaddafi", "en"), ("Muammar al-Gaddafi", "de")),  # hyphenated article left out
    (("Ayman al-Zawahiri", "en"), ("Eyman ez-Zevahiri", "tr")),  # assimilated article
])
def test_one_person_in_two_conventions_is_one_entity(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert _merged(gazetteer, first, second)


@pytest.mark.parametrize(("first", "second"), [
    (("Li Qiang", "en"), ("Li Keqiang", "en")),  # a whole syllable more is another name
    (("George W. Bush", "en"), ("George H. W. Bush", "en")),  # initials: no shortened form
    (("Mohammed bin Salman Al Saud", "en"), ("Mohammed bin Nayef Al Saud", "en")),
    (("李克强", "zh"), ("Li Qiang", "en")),  # syllables are not words to leave out
    (("Péter Szijjártó", "hu"), ("Péter Magyar", "hu")),  # the swapped order is no mix
    (("Bako Kalimazov", "en"), ("Boko Kalimazov", "en")),  # one language: a vowel is a name
])
def test_similar_names_of_different_people_stay_apart(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert not _merged(gazetteer, first, second)


def test_turkish_suffix_after_an_apostrophe_is_dropped_in_a_reading() -> None:
    assert ("vladimir", "putin") in name_key("Vladimir Putin'in", "tr").readings


def test_hungarian_case_suffix_and_doubled_consonant_are_dropped_in_a_reading() -> None:
    assert ("orban", "viktor") in name_key("Orbán Viktornak", "hu").readings
    assert set(name_key("Emmanuel Macron", "hu").readings) & set(
        name_key("Emmanuel Macronnal", "hu").readings)


def test_polish_feminine_owa_is_not_read_as_a_genitive() -> None:
    assert ("maria", "zaharov") not in name_key("Maria Zacharowa", "pl").readings


def test_czech_transcription_needs_a_sign_of_a_chinese_name() -> None:
    assert czech_pinyin("Mao Ce-tung") == ["mao zedong"]
    assert czech_pinyin("Teng Siao-pching") == ["deng xiaoping"]
    assert czech_pinyin("Jan Hus") == []  # every syllable in the table, no Czech sign
    assert czech_pinyin("Petr Pavel") == []


def test_vietnamese_letters_are_latin_script() -> None:
    assert script_of("Nguyễn Phú Trọng") == Script.LATIN
