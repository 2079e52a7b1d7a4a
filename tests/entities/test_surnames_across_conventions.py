"""Bare, titled and compound surnames link across scripts and conventions (session 14)."""

from __future__ import annotations

import pytest

from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, Link, LinkRule, Mention
from babelwire.entities.resolver import EntityResolver
from babelwire.entities.titles import without_titles

PER = EntityType.PER


def _each_in_own_article(resolver: EntityResolver, *names: tuple[str, str]) -> list[Link]:
    mentions = [Mention(text=text, type=PER, lang=lang, article_id=f"art{i}")
                for i, (text, lang) in enumerate(names)]
    return resolver.resolve(mentions)


@pytest.mark.parametrize(("text", "expected"), [
    ("Außenministerin Baerbock", "Baerbock"),  # ß folds to ss; the list must fold too
    ("US-Präsident Trump", "Trump"),
    ("Finanzminister Lindner", "Lindner"),
    ("Cumhurbaşkanı Erdoğan", "Erdoğan"),
    ("ο πρωθυπουργός Μητσοτάκης", "Μητσοτάκης"),
    ("マクロン大統領", "マクロン"),
    ("王毅外长", "王毅"),
    ("Westminster", "Westminster"),
])
def test_titles_in_many_languages_are_dropped(text: str, expected: str) -> None:
    assert without_titles(text) == expected


@pytest.mark.parametrize(("bare", "full"), [
    (("Макрона", "ru"), ("Emmanuel Macron", "fr")),
    (("Μητσοτάκη", "el"), ("Kyriakos Mitsotakis", "en")),
    (("Łukaszenki", "pl"), ("Alexander Lukashenko", "en")),
    (("Kułeby", "pl"), ("Dmytro Kuleba", "uk")),
    (("マクロン大統領", "ja"), ("Emmanuel Macron", "fr")),
    (("il premier Netanyahu", "it"), ("Benjamin Netanyahu", "en")),
])
def test_a_bare_surname_in_another_convention_links_to_its_only_bearer_either_order(
        gazetteer: Gazetteer, bare: tuple[str, str], full: tuple[str, str]) -> None:
    for first_name, later_name in ((full, bare), (bare, full)):
        first, later = _each_in_own_article(EntityResolver(gazetteer), first_name, later_name)
        assert later.entity_id == first.entity_id
        assert later.rule == LinkRule.STORED_SURNAME


@pytest.mark.parametrize(("one", "other"), [
    (("Kowalska", "pl"), ("Jan Kowalski", "pl")),  # another person, not a case form
    (("Macron", "fr"), ("Mauricio Macri", "es")),  # "macro" is not read off Macron by sound
    (("Idriss Déby", "fr"), ("Mahamat Idriss Déby", "fr")),  # the father's name in the son's
])
def test_similar_sounding_or_contained_names_stay_apart(
        gazetteer: Gazetteer, one: tuple[str, str], other: tuple[str, str]) -> None:
    for first_name, later_name in ((other, one), (one, other)):
        first, later = _each_in_own_article(EntityResolver(gazetteer), first_name, later_name)
        assert later.entity_id != first.entity_id


@pytest.mark.parametrize(("short", "full"), [
    (("von der Leyen", "fr"), ("Ursula von der Leyen", "de")),
    (("Akufo-Addo", "fr"), ("Nana Akufo-Addo", "en")),
    (("Kosiniaka-Kamysza", "pl"), ("Władysław Kosiniak-Kamysz", "pl")),
    (("Lacalle Pou", "en"), ("Luis Lacalle Pou", "es")),
])
def test_a_compound_surname_alone_links_to_the_longer_name(
        gazetteer: Gazetteer, short: tuple[str, str], full: tuple[str, str]) -> None:
    first, later = _each_in_own_article(EntityResolver(gazetteer), full, short)
    assert later.entity_id == first.entity_id


def test_a_sound_alike_surname_borne_by_two_stored_people_names_neither(
        gazetteer: Gazetteer) -> None:
    resolver = EntityResolver(gazetteer)
    one, two, bare = _each_in_own_article(resolver, ("Anna Makrone", "de"),
                                          ("Emmanuel Macron", "fr"), ("Макрона", "ru"))
    assert bare.entity_id not in {one.entity_id, two.entity_id}
