"""Institutions named "<kind word> of <country>": central banks by a bare bank word, governments,
armies and statistics offices, and the commercial banks that must not read as central banks."""

from __future__ import annotations

import pytest

from babelwire.entities.organisation_readings import OrganisationReader, OrganisationReading
from babelwire.entities.organisations import OrganisationTable
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, LinkRule, Mention
from babelwire.entities.resolver import EntityResolver


def _org(text: str, lang: str, article: str) -> Mention:
    return Mention(text=text, type=EntityType.ORG, lang=lang, article_id=article)


@pytest.mark.parametrize(("text", "lang"), [
    ("Banco de Portugal", "pt"),
    ("Bank of Portugal", "en"),
    ("Banque du Portugal", "fr"),
    ("Banco de Portugal", "es"),
])
def test_a_central_bank_named_bank_of_its_country_reads_in_any_language(
        gazetteer: Gazetteer, text: str, lang: str) -> None:
    assert OrganisationReader(gazetteer).read(text, lang) == \
        OrganisationReading("central-bank", "", "PT")


@pytest.mark.parametrize(("text", "lang", "country"), [
    ("Latvijas Banka", "lv", "LV"),  # the country first, in the genitive
    ("Norges Bank", "nb", "NO"),
    ("Lietuvos bankas", "lt", "LT"),  # Lithuanian genitive -os
    ("Eesti Pank", "et", "EE"),
])
def test_a_genitive_first_language_writes_the_country_before_the_bank(
        gazetteer: Gazetteer, text: str, lang: str, country: str) -> None:
    assert OrganisationReader(gazetteer).read(text, lang) == \
        OrganisationReading("central-bank", "", country)


@pytest.mark.parametrize(("text", "lang"), [
    ("Bank of America", "en"),  # commercial banks named after their country
    ("Bank of Ireland", "en"),
    ("Banco do Brasil", "pt"),
    ("Deutsche Bank", "en"),  # the country in front: a company's name
    ("Danske Bank", "da"),  # Denmark's central bank is the Nationalbank
    ("Bank Millennium", "pl"),
    ("Norway Bank", "en"),  # English writes the country after "bank"
])
def test_a_bank_named_after_a_country_is_not_read_as_its_central_bank(
        gazetteer: Gazetteer, text: str, lang: str) -> None:
    assert OrganisationReader(gazetteer).read(text, lang) is None


@pytest.mark.parametrize(("text", "lang", "kind", "country"), [
    ("Hungarian government", "en", "government", "HU"),
    ("правительство Венгрии", "ru", "government", "HU"),
    ("rząd Węgier", "pl", "government", "HU"),
    ("Pakistani army", "en", "army", "PK"),
    ("Statistics Norway", "en", "statistics-office", "NO"),
    ("Statistisches Bundesamt", "de", "statistics-office", "DE"),
    ("polska policja", "pl", "police", "PL"),
    ("ЦИК Грузии", "ru", "election-commission", "GE"),
    ("Reserve Bank of Australia", "en", "central-bank", "AU"),
])
def test_governments_armies_and_statistics_offices_read_with_their_country(
        gazetteer: Gazetteer, text: str, lang: str, kind: str, country: str) -> None:
    assert OrganisationReader(gazetteer).read(text, lang) == \
        OrganisationReading(kind, "", country)


@pytest.mark.parametrize(("text", "lang"), [
    ("rząd", "pl"),  # a government needs its country written, never the home one
    ("Bundesregierung", "de"),
    ("the government", "en"),
    ("Policja", "pl"),  # nor does the police
    ("Statistics Bank", "en"),  # "statistics" alone needs a country after it
])
def test_a_government_without_a_written_country_is_not_read(
        gazetteer: Gazetteer, text: str, lang: str) -> None:
    assert OrganisationReader(gazetteer).read(text, lang) is None


def test_a_central_bank_by_its_own_name_and_a_translation_is_one_entity(
        gazetteer: Gazetteer) -> None:
    resolver = EntityResolver(gazetteer, organisations=OrganisationTable(rows=[]))
    a, b = resolver.resolve([_org("Banco de Portugal", "pt", "a"),
                             _org("Banque du Portugal", "fr", "b")])
    assert a.entity_id == b.entity_id == "org:central-bank:-:PT"


def test_an_acronym_seen_first_links_to_its_full_name_that_reads(gazetteer: Gazetteer) -> None:
    resolver = EntityResolver(gazetteer, organisations=OrganisationTable(rows=[]))
    a, b = resolver.resolve([_org("ČSÚ", "cs", "a"), _org("Český statistický úřad", "cs", "b")])
    assert a.entity_id == b.entity_id
    assert b.rule == LinkRule.ACRONYM
