"""Organisation names read as (kind, domain, country): translations of one body link,
different bodies (another ministry, another country's) stay apart."""

from __future__ import annotations

import pytest

from babelwire.entities.organisation_readings import OrganisationReader, OrganisationReading
from babelwire.entities.organisations import read_rows
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, LinkRule, Mention
from babelwire.entities.resolver import EntityResolver, display_name


def _org(text: str, lang: str, article: str = "a") -> Mention:
    return Mention(text=text, type=EntityType.ORG, lang=lang, article_id=article)


@pytest.mark.parametrize(("text", "lang"), [
    ("Hungarian Foreign Ministry", "en"),
    ("Ministry of Foreign Affairs of Hungary", "en"),
    ("Külügyminisztérium", "hu"),
    ("ungarisches Außenministerium", "de"),
    ("Außenministeriums Ungarns", "de"),
    ("węgierskie MSZ", "pl"),
    ("Ministerstwa Spraw Zagranicznych Węgier", "pl"),
    ("МИД Венгрии", "ru"),
    ("Министерство иностранных дел Венгрии", "ru"),
])
def test_translated_names_of_a_foreign_ministry_read_alike(gazetteer: Gazetteer, text: str,
                                                         lang: str) -> None:
    assert OrganisationReader(gazetteer).read(text, lang) == \
        OrganisationReading("ministry", "foreign", "HU")


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Ministerstwo Finansów", "pl", OrganisationReading("ministry", "finance", "PL")),
    ("Finanzministerium", "de", OrganisationReading("ministry", "finance", "DE")),
    ("Ministero della Difesa", "it", OrganisationReading("ministry", "defence", "IT")),
    ("ministerstvo vnitra", "cs", OrganisationReading("ministry", "interior", "CZ")),
    ("Utrikesdepartementet", "sv", OrganisationReading("ministry", "foreign", "SE")),
    ("Ministerul Afacerilor Externe", "ro", OrganisationReading("ministry", "foreign", "RO")),
    ("משרד הביטחון", "he", OrganisationReading("ministry", "defence", "IL")),
    ("Välisministeerium", "et", OrganisationReading("ministry", "foreign", "EE")),
])
def test_a_name_that_names_no_country_reads_as_its_languages_one_country(
        gazetteer: Gazetteer, text: str, lang: str, expected: OrganisationReading) -> None:
    assert OrganisationReader(gazetteer).read(text, lang) == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("Ministry of Finance", "en"),              # English news is written in many countries
    ("ministère des Finances", "fr"),           # so is French
    ("Ministry of Foreign Affairs and Trade of Hungary", "en"),  # "and trade": not understood
    ("Georgia Supreme Court", "en"),            # a US state bears the name too
    ("Ministry of Hungary", "en"),              # a ministry of what?
    ("Hungarian Romanian Foreign Ministry", "en"),  # two countries
    ("Supreme Court", "en"),
])
def test_a_name_with_a_word_or_slot_left_open_has_no_reading(gazetteer: Gazetteer, text: str,
                                                            lang: str) -> None:
    assert OrganisationReader(gazetteer).read(text, lang) is None


def _entities(gazetteer: Gazetteer, *mentions: tuple[str, str]) -> list[str]:
    """Each mention resolved in its own article by one resolver: the entity ids."""
    resolver = EntityResolver(gazetteer)
    return [resolver.resolve([_org(text, lang, str(i))])[0].entity_id
            for i, (text, lang) in enumerate(mentions)]


def test_the_same_ministry_in_three_languages_is_one_entity(gazetteer: Gazetteer) -> None:
    ids = _entities(gazetteer, ("Czech Finance Ministry", "en"),
                    ("Ministerstvo financí", "cs"), ("tschechisches Finanzministerium", "de"))
    assert len(set(ids)) == 1


def test_two_ministries_of_one_country_stay_apart(gazetteer: Gazetteer) -> None:
    ids = _entities(gazetteer, ("Ministerstwo Finansów", "pl"), ("Ministerstwo Zdrowia", "pl"),
                    ("Ministerstwo Sprawiedliwości", "pl"))
    assert len(set(ids)) == 3


def test_the_same_ministry_of_two_countries_stays_apart(gazetteer: Gazetteer) -> None:
    ids = _entities(gazetteer, ("Ministerstvo financí", "cs"), ("Ministerstvo financií", "sk"),
                    ("МИД Венгрии", "ru"), ("МИД Румынии", "ru"))
    assert ids[0] != ids[1] and ids[2] != ids[3]


def test_a_central_bank_and_a_court_of_one_country_stay_apart(gazetteer: Gazetteer) -> None:
    ids = _entities(gazetteer, ("Hungarian central bank", "en"), ("Magyar Nemzeti Bank", "hu"),
                    ("Hungarian Constitutional Court", "en"), ("Alkotmánybíróság", "hu"))
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]


def test_armed_forces_by_name_and_acronym_are_one_entity(gazetteer: Gazetteer) -> None:
    ids = _entities(gazetteer, ("Збройні сили України", "uk"), ("ЗСУ", "uk"),
                    ("ukrainische Streitkräfte", "de"), ("Armed Forces of Ukraine", "en"),
                    ("Russian Armed Forces", "en"))
    assert len(set(ids[:4])) == 1 and ids[4] != ids[0]


def test_a_reading_of_a_listed_ministry_joins_the_listed_organisation(
        gazetteer: Gazetteer) -> None:
    resolver = EntityResolver(gazetteer)
    listed = resolver.resolve([_org("МИД России", "ru", "a")])[0]
    read = resolver.resolve([_org("Ministerstwo Spraw Zagranicznych Rosji", "pl", "b")])[0]
    assert (listed.rule, read.rule) == (LinkRule.ORGANISATION, LinkRule.ORGANISATION_READING)
    assert read.entity_id == listed.entity_id == "org:russian-foreign-ministry"


def test_a_read_organisation_is_shown_by_its_latin_full_name(gazetteer: Gazetteer) -> None:
    resolver = EntityResolver(gazetteer)
    resolver.resolve([_org("МИД Венгрии", "ru", "a")])
    link = resolver.resolve([_org("Hungarian Foreign Ministry", "en", "b")])[0]
    entity = resolver.index.get(link.entity_id)
    assert entity is not None and display_name(entity) == "Hungarian Foreign Ministry"
    assert link.evidence == "read as ministry (foreign), HU"


def test_every_listed_form_of_a_reading_id_that_reads_reads_to_its_own_row(
        gazetteer: Gazetteer) -> None:
    reader = OrganisationReader(gazetteer)
    wrong = []
    for org_id, lang, form in read_rows():
        reading = reader.read(form, lang)
        listed = reader.listed_id(reading) if reading else None
        if listed is not None and listed != f"org:{org_id}":
            wrong.append((form, lang, listed, org_id))
    assert wrong == []
