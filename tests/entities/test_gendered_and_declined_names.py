"""Name conventions: women's and men's surname forms, generation suffixes,
declined Cyrillic names, titles before a surname, and inflected organisation names."""

from __future__ import annotations

import pytest

from babelwire.entities.name_key import name_key
from babelwire.entities.organisations import OrganisationTable
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, LinkRule, Mention
from babelwire.entities.resolver import EntityResolver
from babelwire.entities.titles import without_titles

PER = EntityType.PER


def _same_entity(gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str],
                 type_: EntityType = PER) -> bool:
    resolver = EntityResolver(gazetteer, organisations=OrganisationTable(rows=[]))
    a, b = resolver.resolve([Mention(text=first[0], type=type_, lang=first[1], article_id="a"),
                             Mention(text=second[0], type=type_, lang=second[1], article_id="b")])
    return a.entity_id == b.entity_id


@pytest.mark.parametrize(("first", "second"), [
    (("Vladimir Putin", "en"), ("Владимиром Путиным", "ru")),  # Russian instrumental
    (("Karol Nawrocki", "pl"), ("Каролем Навроцким", "ru")),  # -ем of a soft stem, -ским
    (("Donald Trump", "en"), ("Дональда Трампа", "uk")),  # genitive on every word
    (("Michelle Obama", "en"), ("Michelle Obamová", "cs")),  # -ová replacing -a
    (("Maia Sandu", "en"), ("Maiei Sandu", "ro")),  # Romanian genitive of the given name
])
def test_a_declined_name_is_the_person_in_the_nominative(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert _same_entity(gazetteer, first, second)


@pytest.mark.parametrize(("first", "second"), [
    (("Kowalski", "pl"), ("Kowalska", "pl")),
    (("Zełenski", "pl"), ("Zełenska", "pl")),
    (("Иванов", "ru"), ("Иванова", "ru")),
    (("Зеленський", "uk"), ("Зеленська", "uk")),
    (("Babiš", "cs"), ("Babišová", "cs")),  # bare surnames: the Czech wife's -ová
    (("Donald Trump", "en"), ("Donald Trump Jr.", "en")),
    (("Václav Klaus", "cs"), ("Václav Klaus mladší", "cs")),  # Czech "the younger"
    (("Jan Nowak", "pl"), ("Jan Nowak młodszy", "pl")),
])
def test_husband_and_wife_or_father_and_son_stay_two_people(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert not _same_entity(gazetteer, first, second)


def test_a_single_surname_in_the_genitive_keeps_the_feminine_reading() -> None:
    # Лаврова may be Lavrov's genitive or a woman's name: not read as Lavrov.
    assert name_key("Лаврова", "ru").compacts == name_key("Lavrova", "en").compacts
    assert "sergeilavrov" in name_key("Сергея Лаврова", "ru").compacts  # both words declined


def test_a_polish_man_s_surname_in_ski_has_no_feminine_reading() -> None:
    assert "kovalska" not in name_key("Kowalski", "pl").compacts
    assert "kovalska" in name_key("Kowalskiej", "pl").compacts  # the woman's genitive


@pytest.mark.parametrize(("text", "expected"), [
    ("Präsident Macron", "Macron"),
    ("le président Zelensky", "Zelensky"),
    ("премьер-министр Мишустин", "Мишустин"),
    ("Bundeskanzler Olaf Scholz", "Olaf Scholz"),
    ("Le Pen", "Le Pen"),  # an article alone is part of the surname
    ("Premier", "Premier"),  # the last word always stays
])
def test_titles_before_a_name_are_dropped(text: str, expected: str) -> None:
    assert without_titles(text) == expected


def test_a_titled_surname_links_to_the_full_name_of_the_same_article(
        gazetteer: Gazetteer) -> None:
    resolver = EntityResolver(gazetteer, organisations=OrganisationTable(rows=[]))
    full, titled = resolver.resolve_article([
        Mention(text="Olaf Scholz", type=PER, lang="de", article_id="a", span=(0, 11)),
        Mention(text="Bundeskanzler Scholz", type=PER, lang="de", article_id="a",
                span=(40, 60))])
    assert titled.entity_id == full.entity_id
    assert titled.rule == LinkRule.ARTICLE_SURNAME


@pytest.mark.parametrize(("text", "lang", "organisation"), [
    ("Parlamentu Europejskiego", "pl", "org:european-parliament"),
    ("Prawa i Sprawiedliwości", "pl", "org:pis"),
    ("Hamasu", "pl", "org:hamas"),
    ("МИД России", "ru", "org:russian-foreign-ministry"),
])
def test_an_inflected_or_translated_organisation_name_finds_the_listed_body(
        text: str, lang: str, organisation: str) -> None:
    match = OrganisationTable().lookup(text, lang)
    assert match is not None and match.organisation.id == organisation


def test_an_ambiguous_acronym_is_not_listed() -> None:
    # RSF is also Sudan's Rapid Support Forces.
    assert OrganisationTable().lookup("RSF", "en") is None


@pytest.mark.parametrize(("first", "second"), [
    (("Сейм Латвии", "ru"), ("Сейм Литвы", "ru")),  # one letter apart in the key
    (("Sejm Litwy", "pl"), ("Sejm Łotwy", "pl")),
])
def test_one_institution_of_two_countries_stays_two_organisations(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert not _same_entity(gazetteer, first, second, EntityType.ORG)
