"""Acronyms and full names in one language: kept function words, compound heads, two letters."""

import pytest

from babelwire.entities.acronyms import initials
from babelwire.entities.organisations import OrganisationTable
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, LinkRule, Mention
from babelwire.entities.resolver import EntityResolver


def _linked(gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> bool:
    resolver = EntityResolver(gazetteer, organisations=OrganisationTable(rows=[]))
    a, b = resolver.resolve([
        Mention(text=first[0], type=EntityType.ORG, lang=first[1], article_id="a"),
        Mention(text=second[0], type=EntityType.ORG, lang=second[1], article_id="b")])
    return a.entity_id == b.entity_id and LinkRule.ACRONYM in (a.rule, b.rule)


def test_an_acronym_may_spell_some_function_words_and_skip_others() -> None:
    assert "UVV" in initials("Unie voor de Vooruitgang")  # voor spelled, de skipped
    assert {"UV", "UVDV"} <= set(initials("Unie voor de Vooruitgang"))


def test_a_compound_head_gets_its_own_letter() -> None:
    assert "SVP" in initials("Schweizerische Volkspartei")
    assert "SAP" in initials("Socialdemokratiska arbetarepartiet")
    assert "SV" in initials("Schweizerische Volkspartei")  # the unsplit reading stays


def test_a_short_first_part_is_not_split_off_a_head() -> None:
    assert initials("Neue Bank") == ("NB",)  # "bank" alone is a word, not a head


def test_acronym_letters_are_compared_without_accents() -> None:
    assert "CT" in initials("Česká televize")


@pytest.mark.parametrize(("first", "second"), [
    (("Schweizerische Volkspartei", "de"), ("SVP", "de")),
    (("Unie voor de Vooruitgang", "nl"), ("UVV", "nl")),
    (("Česká televize", "cs"), ("ČT", "cs")),  # two letters, one language
    (("Partido dos Trabalhadores", "pt"), ("PT", "pt")),
])
def test_an_acronym_links_to_its_full_name_in_one_language(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert _linked(gazetteer, first, second)


@pytest.mark.parametrize(("first", "second"), [
    (("Česká televize", "cs"), ("ČT", "pl")),  # two letters across languages: too many bodies
    (("Partido dos Trabalhadores", "pt"), ("PT", "es")),
    (("Unie voor de Vooruitgang", "nl"), ("UWV", "nl")),  # a letter the name does not give
])
def test_a_two_letter_or_misspelled_acronym_stays_apart(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert not _linked(gazetteer, first, second)
