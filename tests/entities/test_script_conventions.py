"""Names in Han, kana, Hangul, Thai and the abjads against Latin and Cyrillic: session 6 rules.

Each rule has a pair it links and, where the rule loosens a check, a pair of two real
people it keeps apart. The names are not those of the entity-link lists.
"""

from __future__ import annotations

import pytest

from babelwire.entities.han_names import polivanov_romaji
from babelwire.entities.name_key import name_key
from babelwire.entities.name_match import MatchMode, align_names
from babelwire.entities.organisations import OrganisationTable
from babelwire.entities.palladius import palladius_pinyin
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, Link, Mention
from babelwire.entities.resolver import EntityResolver
from babelwire.entities.romanise import kana_readings
from babelwire.entities.thai import thai_spellings


def _pair(gazetteer: Gazetteer, first: tuple[str, str], second: tuple[str, str]
          ) -> tuple[Link, Link]:
    resolver = EntityResolver(gazetteer, organisations=OrganisationTable(rows=[]))
    a, b = resolver.resolve([
        Mention(text=first[0], type=EntityType.PER, lang=first[1], article_id="a"),
        Mention(text=second[0], type=EntityType.PER, lang=second[1], article_id="b")])
    return a, b


@pytest.mark.parametrize(("cyrillic", "pinyin"), [
    ("Чжао Цзыян", ["zhao ziyang"]),  # цзы is zi, ян is yang
    ("Ху Яобан", ["hu yaobang"]),
    ("Сергей Шойгу", []),  # ой is no Palladius syllable: not a Chinese name
])
def test_palladius_cyrillic_is_read_back_as_pinyin(cyrillic: str, pinyin: list[str]) -> None:
    assert palladius_pinyin(cyrillic) == pinyin


@pytest.mark.parametrize(("han", "russian"), [("胡耀邦", "Ху Яобан"), ("赵紫阳", "Чжао Цзыян")])
def test_chinese_name_links_to_its_russian_palladius_form(
        gazetteer: Gazetteer, han: str, russian: str) -> None:
    a, b = _pair(gazetteer, (han, "zh"), (russian, "ru"))
    assert a.entity_id == b.entity_id


def test_palladius_reading_keeps_two_chinese_leaders_apart(gazetteer: Gazetteer) -> None:
    a, b = _pair(gazetteer, ("胡耀邦", "zh"), ("Ху Цзиньтао", "ru"))
    assert a.entity_id != b.entity_id


def test_pinyin_given_name_written_as_one_word_matches_its_syllables() -> None:
    # 丽 媛 are "li" "iuan" once folded; the Latin word "Liyuan" folds to "liuan".
    assert align_names(name_key("彭丽媛", "zh"), name_key("Peng Liyuan", "en")) is not None


def test_polivanov_cyrillic_is_turned_into_hepburn() -> None:
    assert polivanov_romaji("sindzo abe") == "shinzo abe"
    assert polivanov_romaji("dzyun'itiro") == "jun'ichiro"


def test_japanese_kanji_name_links_to_its_russian_form_by_reading(gazetteer: Gazetteer) -> None:
    a, b = _pair(gazetteer, ("福田康夫", "ja"), ("Ясуо Фукуда", "ru"))
    assert a.entity_id == b.entity_id
    father = _pair(gazetteer, ("福田康夫", "ja"), ("Такэо Фукуда", "ru"))
    assert father[0].entity_id != father[1].entity_id


@pytest.mark.parametrize(("cjk", "cyrillic"), [
    (("安东尼·布林肯", "zh"), ("Энтони Блинкен", "ru")),
    (("アンゲラ・メルケル", "ja"), ("Ангела Меркель", "ru")),
])
def test_transliterated_foreign_names_align_with_cyrillic(
        cjk: tuple[str, str], cyrillic: tuple[str, str]) -> None:
    assert align_names(name_key(*cjk), name_key(*cyrillic)) is not None


def test_foreign_name_in_hangul_links_by_sound(gazetteer: Gazetteer) -> None:
    alignment = align_names(name_key("보리스 존슨", "ko"), name_key("Boris Johnson", "en"))
    assert alignment is not None and alignment.mode == MatchMode.HANGUL_SOUNDS
    a, b = _pair(gazetteer, ("보리스 존슨", "ko"), ("Boris Johnson", "en"))
    assert a.entity_id == b.entity_id
    other = _pair(gazetteer, ("보리스 존슨", "ko"), ("Boris Yeltsin", "en"))
    assert other[0].entity_id != other[1].entity_id


@pytest.mark.parametrize(("thai", "first"), [
    ("โจ", "cho"),  # โ is written before the consonant it follows
    ("จันทร์", "chan"),  # ์ marks ร silent, and ท before it
    ("ชาญ", "chan"),  # a final ญ is said n
])
def test_thai_words_are_read_in_spoken_order_without_silent_letters(thai: str, first: str) -> None:
    assert first in thai_spellings(thai)


def test_thai_name_links_to_its_latin_spelling_by_sound(gazetteer: Gazetteer) -> None:
    a, b = _pair(gazetteer, ("สนธิ ลิ้มทองกุล", "th"), ("Sondhi Limthongkul", "en"))
    assert a.entity_id == b.entity_id
    other = _pair(gazetteer, ("สนธิ ลิ้มทองกุล", "th"), ("Sondhi Boonyaratglin", "en"))
    assert other[0].entity_id != other[1].entity_id


def test_arabic_muhammad_is_not_ahmad_by_consonant_skeleton(gazetteer: Gazetteer) -> None:
    same = _pair(gazetteer, ("محمد مرسي", "ar"), ("Mohamed Morsi", "en"))
    assert same[0].entity_id == same[1].entity_id
    other = _pair(gazetteer, ("محمد مرسي", "ar"), ("Ahmed Morsi", "en"))
    assert other[0].entity_id != other[1].entity_id


@pytest.mark.parametrize(("hebrew", "latin"), [
    ("חיים ויצמן", "Chaim Weizmann"),  # het read ch
    ("דוד גרוסמן", "David Grossman"),  # the vav of דוד is v
])
def test_hebrew_readings_of_het_and_inner_vav(gazetteer: Gazetteer, hebrew: str,
                                              latin: str) -> None:
    a, b = _pair(gazetteer, (hebrew, "he"), (latin, "en"))
    assert a.entity_id == b.entity_id


def test_devanagari_ja_is_also_read_dzh() -> None:
    alignment = align_names(name_key("जसप्रीत बुमराह", "hi"), name_key("Jasprit Bumrah", "en"))
    assert alignment is not None


def test_small_tsu_doubles_the_next_consonant() -> None:
    assert kana_readings("ベッカム") == ["bekkamu"]
    assert kana_readings("アッバス・キアロスタミ") == ["abbasu-kiarosutami"]


def test_katakana_toru_is_also_the_cluster_tr(gazetteer: Gazetteer) -> None:
    a, b = _pair(gazetteer, ("ピエール・トルドー", "ja"), ("Pierre Trudeau", "fr"))
    assert a.entity_id == b.entity_id


def test_turkish_soft_g_gives_a_silent_reading() -> None:
    assert ("erdoan",) in name_key("Erdoğan", "tr").readings
    assert name_key("Erdoğan", "tr").tokens == ("erdogan",)


@pytest.mark.parametrize(("text", "lang", "country"), [
    ("الفرنسية", "ar", "FR"), ("العراقي", "ar", "IQ"), ("צרפתי", "he", "FR"),
    ("עיראקי", "he", "IQ"), ("ترکی", "fa", "TR"),
])
def test_abjad_nisba_adjectives_link_to_their_country(
        gazetteer: Gazetteer, text: str, lang: str, country: str) -> None:
    match = gazetteer.lookup(text, lang, prefer_adjective=True)
    assert match is not None and match.place.id == f"geo:country:{country}"
