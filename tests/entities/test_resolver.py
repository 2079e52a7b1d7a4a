"""The resolver's outcomes: one entity per person or place across languages and scripts."""

from __future__ import annotations

import pytest

from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, Link, LinkRule, Mention, MentionRole
from babelwire.entities.resolver import EntityResolver

PER, LOC, MISC = EntityType.PER, EntityType.LOC, EntityType.MISC


def _resolve(gazetteer: Gazetteer, *articles: list[tuple[str, EntityType, str]]) -> list[Link]:
    mentions = [Mention(text=text, type=type_, lang=lang, article_id=f"art{a}", span=(i, i + 1))
                for a, article in enumerate(articles)
                for i, (text, type_, lang) in enumerate(article)]
    return EntityResolver(gazetteer).resolve(mentions)


def test_mishustin_variants_in_five_languages_are_one_entity(gazetteer: Gazetteer) -> None:
    variants = [("Michail Misjoestin", "nl"), ("Mikhail Misjustin", "nb"),
                ("Michail Mischustin", "de"), ("Mikhail Mishustin", "en"),
                ("Михаил Мишустин", "ru")]
    links = _resolve(gazetteer, *[[(name, PER, lang)] for name, lang in variants])
    assert len({link.entity_id for link in links}) == 1
    assert {link.rule for link in links[1:]} == {LinkRule.NAME_KEY}


@pytest.mark.parametrize(("names", "place_id"), [
    (["Kina", "China", "Chine", "Китай", "中国"], "geo:country:CN"),
    (["Moskou", "Moskva", "Moscou", "Москва"], "geo:city:524901"),
])
def test_place_variants_resolve_to_one_stable_place_id(
        gazetteer: Gazetteer, names: list[str], place_id: str) -> None:
    links = _resolve(gazetteer, [(name, LOC, "und") for name in names])
    assert [link.entity_id for link in links] == [place_id] * len(names)
    assert {link.rule for link in links} == {LinkRule.PLACE}


@pytest.mark.parametrize(("text", "lang", "type_"), [
    ("russiske", "nb", MISC), ("Russische", "nl", MISC), ("Russian", "en", PER),
    ("russe", "fr", MISC), ("русский", "ru", MISC)])
def test_demonyms_link_to_the_country_as_adjectives_not_people(
        gazetteer: Gazetteer, text: str, lang: str, type_: EntityType) -> None:
    resolver = EntityResolver(gazetteer)
    [link] = resolver.resolve([Mention(text=text, type=type_, lang=lang, article_id="a")])
    assert link.entity_id == "geo:country:RU"
    assert link.role == MentionRole.ADJECTIVE
    assert link.rule == LinkRule.PLACE_ADJECTIVE
    assert resolver.index.entities["geo:country:RU"].type == EntityType.LOC


def test_surname_only_mention_resolves_to_full_name_earlier_in_the_article(
        gazetteer: Gazetteer) -> None:
    links = _resolve(gazetteer, [("Mikhail Mishustin", PER, "en"), ("Moscow", LOC, "en"),
                                 ("Mishustin", PER, "en")],
                     [("Mishustin", PER, "en")])
    full, _, surname, elsewhere = links
    assert surname.entity_id == full.entity_id
    assert surname.rule == LinkRule.ARTICLE_SURNAME
    assert "Mikhail Mishustin" in surname.evidence
    # In another article, with no full name and no shared context, the bare surname links
    # only because one stored person bears it (the store-wide rule, not the article's).
    assert elsewhere.entity_id == full.entity_id
    assert elsewhere.rule == LinkRule.STORED_SURNAME


def test_surname_only_across_articles_links_when_context_is_shared(gazetteer: Gazetteer) -> None:
    links = _resolve(gazetteer,
                     [("Mikhail Mishustin", PER, "en"), ("Vladimir Putin", PER, "en")],
                     [("Vladimir Putin", PER, "en"), ("Mishustin", PER, "en")])
    assert links[3].entity_id == links[0].entity_id
    assert links[3].rule == LinkRule.SURNAME_CONTEXT


@pytest.mark.parametrize(("left", "right"), [
    (("Andrej Babiš", "cs"), ("Andrej Kiska", "sk")),
    (("Kim Jong-un", "en"), ("Kim Jong-il", "en")),
    (("George W. Bush", "en"), ("George H. W. Bush", "en")),
    (("George Bush", "en"), ("George W. Bush", "en")),
    (("Lech Kaczyński", "pl"), ("Jarosław Kaczyński", "pl")),
    (("Alexei Navalny", "en"), ("Yulia Navalnaya", "en")),
])
def test_hard_negative_people_stay_apart(
        gazetteer: Gazetteer, left: tuple[str, str], right: tuple[str, str]) -> None:
    a, b = _resolve(gazetteer, [(left[0], PER, left[1])], [(right[0], PER, right[1])])
    assert a.entity_id != b.entity_id, (a, b)


@pytest.mark.parametrize(("left", "right"), [
    ("Austria", "Australia"), ("Niger", "Nigeria"), ("Slovakia", "Slovenia"),
    ("Guinea", "Guinea-Bissau"), ("Slowakei", "Slowenien")])
def test_countries_with_similar_names_stay_apart(
        gazetteer: Gazetteer, left: str, right: str) -> None:
    a, b = _resolve(gazetteer, [(left, LOC, "en")], [(right, LOC, "en")])
    assert a.entity_id.startswith("geo:country:") and b.entity_id.startswith("geo:country:")
    assert a.entity_id != b.entity_id


def test_fuzzy_link_explains_the_token_alignment(gazetteer: Gazetteer) -> None:
    first, second = _resolve(gazetteer, [("Alexander Lukashenko", PER, "en")],
                             [("Aleksandr Lukashenka", PER, "en")])
    assert second.entity_id == first.entity_id
    assert second.rule == LinkRule.FUZZY_NAME
    assert "surname edits 1, strict match" in second.evidence


def test_han_name_matches_its_pinyin(gazetteer: Gazetteer) -> None:
    a, b = _resolve(gazetteer, [("习近平", PER, "zh")], [("Xi Jinping", PER, "en")])
    assert a.entity_id == b.entity_id
