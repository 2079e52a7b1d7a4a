"""Listed organisations: translated names and acronyms in any language → one entity."""

from __future__ import annotations

import pytest

from babelwire.entities.organisations import OrganisationTable, build_table, form_key
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, LinkRule, Mention
from babelwire.entities.resolver import EntityResolver, display_name


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Vereinte Nationen", "de", "org:un"),
    ("ООН", "ru", "org:un"),
    ("联合国", "zh", "org:un"),
    ("האו\"ם", "he", "org:un"),
    ("U.N.", "en", "org:un"),
    ("FN", "sv", "org:un"),
    ("al-Qaida", "de", "org:al-qaeda"),
    ("Газпрома", "ru", "org:gazprom"),
    ("NATO", "pl", "org:nato"),
])
def test_a_listed_form_in_its_language_finds_its_organisation(text: str, lang: str,
                                                              expected: str) -> None:
    match = OrganisationTable().lookup(text, lang)
    assert match is not None and match.organisation.id == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("FN", "fr"),      # the Scandinavian acronym of the UN is a French party's
    ("who", "en"),     # a lower-case word is not the acronym WHO
    ("ES", "es"),      # the Russian ЕС (EU) does not catch a Latin "ES"
    ("United", "en"),  # part of a name is not the name
])
def test_acronyms_match_only_in_their_case_and_language(text: str, lang: str) -> None:
    assert OrganisationTable().lookup(text, lang) is None


def test_full_names_ignore_case_diacritics_and_hyphens() -> None:
    assert form_key("Al-Qaïda") == form_key("al qaida")
    assert form_key("UNION EUROPÉENNE") == form_key("Union europeenne")


def test_a_form_listed_for_two_organisations_is_refused_naming_both() -> None:
    with pytest.raises(ValueError, match="org:a and org:b"):
        build_table([("a", "en", "Same Name"), ("b", "fr", "same name")])


def test_the_shipped_table_builds_without_conflicts() -> None:
    assert len(OrganisationTable()) >= 80


def test_translated_names_of_one_organisation_resolve_to_one_entity() -> None:
    resolver = EntityResolver(Gazetteer())
    mentions = [Mention(text="Vereinte Nationen", type=EntityType.ORG, lang="de", article_id="a"),
                Mention(text="ООН", type=EntityType.ORG, lang="ru", article_id="b"),
                Mention(text="国連", type=EntityType.ORG, lang="ja", article_id="c")]
    links = resolver.resolve(mentions)
    assert {link.entity_id for link in links} == {"org:un"}
    assert {link.rule for link in links} == {LinkRule.ORGANISATION}
    entity = resolver.index.get("org:un")
    assert entity is not None and display_name(entity) == "United Nations"
    assert entity.type == EntityType.ORG


def test_a_place_mention_that_names_a_country_stays_a_place() -> None:
    links = EntityResolver(Gazetteer()).resolve(
        [Mention(text="Deutschland", type=EntityType.LOC, lang="de", article_id="a")])
    assert links[0].entity_id.startswith("geo:")


def test_a_listed_organisation_links_where_its_skeleton_alone_is_too_weak() -> None:
    links = EntityResolver(Gazetteer()).resolve(
        [Mention(text="Hamas", type=EntityType.ORG, lang="en", article_id="a"),
         Mention(text="حماس", type=EntityType.ORG, lang="ar", article_id="b")])
    assert links[0].entity_id == links[1].entity_id == "org:hamas"
