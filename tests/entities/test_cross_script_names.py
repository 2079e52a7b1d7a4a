"""Names across scripts: the transcription, consonant and Korean rules, and what they keep apart."""

from __future__ import annotations

import pytest

from babelwire.entities.name_key import name_key
from babelwire.entities.name_match import MatchMode, align_names, match_mode
from babelwire.entities.organisations import OrganisationTable
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, Link, LinkRule, Mention
from babelwire.entities.resolver import EntityResolver

PER, ORG = EntityType.PER, EntityType.ORG


def _pair(gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str],
          type_: EntityType = PER) -> tuple[Link, Link]:
    # The name rules alone: no listed organisations (they would link Hamas / حماس).
    resolver = EntityResolver(gazetteer, organisations=OrganisationTable(rows=[]))
    a, b = resolver.resolve([Mention(text=first[0], type=type_, lang=first[1], article_id="a"),
                             Mention(text=second[0], type=type_, lang=second[1], article_id="b")])
    return a, b


@pytest.mark.parametrize(("latin", "other"), [
    (("Joe Biden", "en"), ("Джо Байден", "ru")),
    (("Keir Starmer", "en"), ("Кир Стармер", "ru")),
    (("Olaf Scholz", "de"), ("Ολάφ Σολτς", "el")),
    (("Donald Trump", "de"), ("Ντόναλντ Τραμπ", "el")),
    (("Giorgia Meloni", "it"), ("Джорджа Мелони", "ru")),
    (("Helmut Kohl", "de"), ("Гельмут Коль", "ru")),
    (("James Cleverly", "en"), ("Джеймс Клеверли", "ru")),  # English a_e is ei, c is k
    (("Gordon Brown", "en"), ("Гордон Браун", "ru")),
    (("George Bush", "en"), ("Τζορτζ Μπους", "el")),  # soft g: a second English reading
    (("Jacques Chirac", "fr"), ("Жак Ширак", "ru")),  # French silent finals: a second reading
])
def test_western_names_transcribed_in_cyrillic_or_greek_join_their_latin_entity(
        gazetteer: Gazetteer, latin: tuple[str, str], other: tuple[str, str]) -> None:
    a, b = _pair(gazetteer, latin, other)
    assert b.entity_id == a.entity_id
    assert b.rule in (LinkRule.NAME_KEY, LinkRule.FUZZY_NAME)


@pytest.mark.parametrize(("first", "second"), [
    (("Мария Захарова", "ru"), ("Mario Zakharov", "en")),  # last letter: another name, gender
    (("Ивана Трамп", "ru"), ("Ivanka Trump", "en")),  # another consonant skeleton
    (("Александра Вучич", "ru"), ("Aleksandar Vučić", "sr")),
    (("Ирина Медведева", "ru"), ("Dmitry Medvedev", "en")),
    (("李克强", "zh"), ("Li Qiang", "en")),  # pinyin is exact: no transcription tolerance
])
def test_transcription_tolerance_keeps_other_people_apart(
        gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]) -> None:
    a, b = _pair(gazetteer, first, second)
    assert a.entity_id != b.entity_id


def test_cyrillic_against_latin_is_compared_as_a_transcription() -> None:
    alignment = align_names(name_key("Keir Starmer", "en"), name_key("Кир Стармер", "ru"))
    assert alignment is not None
    assert alignment.mode == MatchMode.TRANSCRIBED
    assert "transcribed match" in alignment.describe()


@pytest.mark.parametrize(("latin", "other"), [
    (("Mahmoud Abbas", "en"), ("محمود عباس", "ar")),
    (("Yahya Sinwar", "en"), ("يحيى السنوار", "ar")),  # waw as w, article dropped
    (("Bashar al-Assad", "en"), ("بشار الأسد", "ar")),
    (("Ehud Olmert", "en"), ("אהוד אולמרט", "he")),  # vav as a vowel after alef
    (("Vladimir Putin", "en"), ("ולדימיר פוטין", "he")),  # word-initial vav is v
    (("Narendra Modi", "en"), ("नरेन्द्र मोदी", "hi")),
])
def test_names_in_vowel_poor_scripts_match_by_consonant_skeleton(
        gazetteer: Gazetteer, latin: tuple[str, str], other: tuple[str, str]) -> None:
    a, b = _pair(gazetteer, latin, other)
    assert b.entity_id == a.entity_id
    assert "skeletal match" in b.evidence


def test_a_short_single_word_in_arabic_script_is_too_weak_to_merge(gazetteer: Gazetteer) -> None:
    a, b = _pair(gazetteer, ("Hamas", "en"), ("حماس", "ar"), ORG)
    assert a.entity_id != b.entity_id


def test_a_single_word_with_four_consonants_matches_by_skeleton(gazetteer: Gazetteer) -> None:
    a, b = _pair(gazetteer, ("Knesset", "en"), ("כנסת", "he"), ORG)
    assert a.entity_id == b.entity_id


@pytest.mark.parametrize(("latin", "other"), [
    (("Hassan Nasrallah", "en"), ("حسن نصر الله", "ar")),
    (("Hossein Amir-Abdollahian", "en"), ("حسین امیرعبداللهیان", "fa")),
])
def test_compound_names_split_differently_still_match(
        gazetteer: Gazetteer, latin: tuple[str, str], other: tuple[str, str]) -> None:
    a, b = _pair(gazetteer, latin, other)
    assert a.entity_id == b.entity_id


@pytest.mark.parametrize(("latin", "hangul", "same"), [
    ("Kim Jong-un", "김정은", True),
    ("Ban Ki-moon", "반기문", True),
    ("Moon Jae-in", "문재인", True),
    ("Kim Jong-un", "김정일", False),
    ("Kim Jong-un", "김여정", False),
    ("Park Geun-hye", "박정희", False),
])
def test_hangul_names_match_by_surname_spelling_and_syllables(
        gazetteer: Gazetteer, latin: str, hangul: str, same: bool) -> None:
    a, b = _pair(gazetteer, (latin, "en"), (hangul, "ko"))
    assert (a.entity_id == b.entity_id) is same


def test_hangul_surname_is_read_by_its_usual_spellings() -> None:
    surnames = {reading[0] for reading in name_key("이재명", "ko").readings}
    assert {"le", "ri", "i"} <= surnames  # Lee, Ri, I (folded: doubled letters single)
    assert match_mode(name_key("이재명", "ko"), name_key("Lee Jae-myung", "en")) == MatchMode.KOREAN


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Lech Kaczyński", "pl", ("leh", "kachinski")),  # cz is ch, not kh
    ("Karel Čapek", "cs", ("karel", "chapek")),
    ("Siergiej Ławrow", "pl", ("sergei", "lavrov")),  # Polish ie after a consonant is e
    ("Ivica Dačić", "sr", ("iviza", "dachich")),  # Serbian c is ts
])
def test_language_conventions_give_the_expected_first_reading(
        text: str, lang: str, expected: tuple[str, ...]) -> None:
    key = name_key(text, lang)
    assert key.tokens == expected


def test_uncertain_spelling_rules_add_a_reading_and_keep_the_convention_one() -> None:
    readings = name_key("George Bush", "en").readings
    assert readings[0] == ("george", "bush")
    assert ("dzhordzhe", "bush") in readings


def test_katakana_small_vowels_make_one_syllable() -> None:
    assert name_key("ナレンドラ・モディ", "ja").tokens == ("narendora", "modi")


def test_turkish_letters_add_the_turkish_reading_in_another_language() -> None:
    readings = name_key("Recep Erdoğan", "de").readings
    assert ("redzhep", "erdogan") in readings


@pytest.mark.parametrize(("text", "lang", "country"), [
    ("israelische", "de", "IL"), ("Iranian", "en", "IR"), ("израильский", "ru", "IL"),
    ("Afghan", "en", "AF"), ("irakien", "fr", "IQ"), ("kenianische", "de", "KE"),
    ("Lebanese", "en", "LB"), ("American", "en", "US"), ("britannique", "fr", "GB"),
    ("Swiss", "en", "CH"), ("amerikanske", "nb", "US"), ("Nigerian", "en", "NG"),
])
def test_demonyms_that_are_not_language_names_link_to_their_country(
        gazetteer: Gazetteer, text: str, lang: str, country: str) -> None:
    [link] = EntityResolver(gazetteer).resolve(
        [Mention(text=text, type=EntityType.MISC, lang=lang, article_id="a")])
    assert link.entity_id == f"geo:country:{country}"
    assert link.rule == LinkRule.PLACE_ADJECTIVE


@pytest.mark.parametrize(("text", "country"), [("American", "US"), ("British", "GB")])
def test_person_tagged_listed_demonyms_become_adjective_links_not_people(
        gazetteer: Gazetteer, text: str, country: str) -> None:
    [link] = EntityResolver(gazetteer).resolve(
        [Mention(text=text, type=PER, lang="en", article_id="a")])
    assert link.entity_id == f"geo:country:{country}"


@pytest.mark.parametrize("surname", ["Romano", "Franco", "Sony"])
def test_surnames_that_look_like_inflected_adjectives_stay_people(
        gazetteer: Gazetteer, surname: str) -> None:
    [link] = EntityResolver(gazetteer).resolve(
        [Mention(text=surname, type=PER, lang="it", article_id="a")])
    assert not link.entity_id.startswith("geo:")


def test_katakana_brand_name_is_not_a_country_adjective(gazetteer: Gazetteer) -> None:
    a, b = _pair(gazetteer, ("Sony", "en"), ("ソニー", "ja"), ORG)
    assert a.entity_id == b.entity_id
    assert not b.entity_id.startswith("geo:")


@pytest.mark.parametrize(("text", "wrong"), [
    ("nigerianische", "NE"), ("Austrian", "AU"), ("slowenische", "SK"), ("irakische", "IR")])
def test_derived_demonyms_do_not_link_to_a_similarly_named_country(
        gazetteer: Gazetteer, text: str, wrong: str) -> None:
    match = gazetteer.lookup(text, "und", prefer_adjective=True)
    assert match is not None
    assert match.place.id != f"geo:country:{wrong}"
