from __future__ import annotations

import codecs

import pytest

from babelwire.errors import ParseError
from babelwire.text.decode import decode_bytes
from babelwire.text.normalize import clean_line, clean_text

RUSSIAN = "Премьер-министр Михаил Мишустин провёл совещание с губернаторами."


@pytest.mark.parametrize(("data", "encoding", "method"), [
    (codecs.BOM_UTF8 + "Året var 2024.".encode(), "utf-8-sig", "bom"),
    ("Året var 2024.".encode("utf-16"), "utf-16", "bom"),
    ("Året var 2024.".encode(), "utf-8", "utf-8"),
    (b'<meta charset="windows-1252"><p>Caf\xe9 cr\xe8me \x93quoted\x94</p>', "cp1252", "declared"),
    (b'<?xml version="1.0" encoding="ISO-8859-1"?><rss>\xe9t\xe9</rss>', "cp1252", "declared"),
])
def test_decoding_order_bom_utf8_declared(data: bytes, encoding: str, method: str) -> None:
    decoded = decode_bytes(data)
    assert (decoded.encoding, decoded.method) == (encoding, method)


def test_undeclared_koi8r_russian_is_guessed_and_recorded_as_a_guess() -> None:
    decoded = decode_bytes((RUSSIAN + " " + RUSSIAN).encode("koi8-r"))
    assert decoded.text.startswith(RUSSIAN)
    assert decoded.method == "guessed"


def test_binary_data_is_refused_with_advice() -> None:
    with pytest.raises(ParseError) as info:
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", input_ref="photo.png")
    assert str(info.value) == (
        "photo.png: looks like a binary file, not text (NUL or control bytes);"
        " babelwire reads text, HTML, JSONL, feeds and WARC")


def test_clean_text_removes_controls_and_lone_surrogates_but_keeps_paragraphs() -> None:
    raw = "Title\x00\r\n\r\n\r\n\r\nPara\x85 one\ud800.\x0c\nPara  two\u00a0here."
    assert clean_text(raw) == "Title\n\nPara one.\nPara two here."


def test_clean_line_collapses_all_whitespace() -> None:
    assert clean_line("  A\n title\t here ") == "A title here"
