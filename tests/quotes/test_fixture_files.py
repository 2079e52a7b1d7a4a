"""File-format checks for the hand-written quote fixtures in tests/quotes/fixtures/*.jsonl.

These tests check the data only, never the extractor: valid UTF-8 JSON lines, the fields and
their types, that every quote text is an exact substring of the article (in article order), that
the "text" boundaries follow tests/quotes/fixtures/README.md, and that every stretch of text in
quotation marks and every dash-led paragraph is accounted for (listed as a quote, or listed in
"non_quotes"). `load_fixtures` and `quote_spans` can be reused by tests of the quote stage.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LANGUAGES = ("nb", "nl", "fr", "es", "ru", "pl", "it", "ar")
TYPES = {"direct", "indirect", "mixed"}
ARTICLE_KEYS = {"id", "language", "title", "text", "quotes"}
OPTIONAL_KEYS = {"non_quotes"}
QUOTE_KEYS = {"text", "type", "speaker"}
# A quote text never ends with these (the sentence's final period, the comma before the
# attribution, Arabic comma and semicolon); "?", "!" and "…" are kept when they are the speaker's.
BAD_END = tuple(".,;:،؛")
DASHES = ("–", "—")
# Closing mark(s) expected for each opening mark. "„" closes with “ (ru, de) or ” (pl).
PAIRS = {"«": "»", "“": "”", "„": "“”", "‹": "›", "‘": "’", '"': '"'}
DOUBLE_MARKS = set('«»“”„"')


def load_fixtures(lang: str) -> list[dict[str, Any]]:
    """The articles of tests/quotes/fixtures/<lang>.jsonl, in file order."""
    path = FIXTURES / f"{lang}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def quote_spans(article: dict[str, Any]) -> list[tuple[int, int]]:
    """[start, end) offsets of each quote: the first occurrence after the previous quote's end."""
    spans = []
    pos = 0
    for quote in article["quotes"]:
        start = article["text"].find(quote["text"], pos)
        if start < 0:
            raise ValueError(f"{article['id']}: quote not found after {pos}: {quote['text']!r}")
        spans.append((start, start + len(quote["text"])))
        pos = start + len(quote["text"])
    return spans


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) for each paragraph of text."""
    out = []
    pos = 0
    for para in text.split("\n\n"):
        out.append((pos, para))
        pos += len(para) + 2
    return out


def marked_stretches(text: str, language: str) -> list[tuple[int, int]]:
    """[start, end) of the content of every stretch in quotation marks, nested ones included.

    Paragraph-local: a mark left open at the end of a paragraph (a quote that goes on in the next
    paragraph) closes there. In Spanish a paragraph opening with » continues a quotation.
    Apostrophes (’ before a letter, or without an open ‘) are not marks.
    """
    found = []
    for offset, para in paragraphs(text):
        stack: list[tuple[str, int]] = []
        for i, ch in enumerate(para):
            nxt = para[i + 1] if i + 1 < len(para) else ""
            prev = para[i - 1] if i else ""
            if stack and ch in PAIRS[stack[-1][0]] and not (ch == "’" and nxt.isalpha()):
                _, start = stack.pop()
                found.append((offset + start, offset + i))
            elif ch == "’" or (ch == "‘" and prev.isalpha()):
                continue
            elif ch in PAIRS:
                stack.append((ch, i + 1))
            elif ch == "»" and i == 0 and language == "es":
                stack.append(("«", 1))
        for _, start in stack:
            found.append((offset + start, offset + len(para)))
    return sorted(found)


def _strip(s: str) -> str:
    return s.strip().strip("\u00a0\u202f")


def _articles() -> list[tuple[str, dict[str, Any]]]:
    return [(lang, a) for lang in LANGUAGES for a in load_fixtures(lang)]


ARTICLES = _articles()
IDS = [a["id"] for _, a in ARTICLES]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_file_is_utf8_json_lines(lang: str) -> None:
    raw = (FIXTURES / f"{lang}.jsonl").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert b"\r" not in raw, "Unix line ends only"
    assert raw.endswith(b"\n")
    for number, line in enumerate(raw.decode("utf-8").splitlines(), 1):
        assert line, f"{lang}.jsonl:{number}: empty line"
        record = json.loads(line)
        assert isinstance(record, dict)
        assert "\\u" not in line, f"{lang}.jsonl:{number}: written with ensure_ascii=False"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_at_least_eight_articles_with_unique_ids(lang: str) -> None:
    articles = load_fixtures(lang)
    assert len(articles) >= 8
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids))
    for a in articles:
        assert a["language"] == lang
        assert a["id"].startswith(f"{lang}-")


def test_ids_unique_across_files() -> None:
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize(("lang", "article"), ARTICLES, ids=IDS)
def test_article_shape(lang: str, article: dict[str, Any]) -> None:
    assert ARTICLE_KEYS <= set(article) <= ARTICLE_KEYS | OPTIONAL_KEYS
    assert isinstance(article["title"], str) and article["title"].strip()
    text = article["text"]
    assert isinstance(text, str)
    assert unicodedata.is_normalized("NFC", text)
    assert text == text.strip()
    assert "\n\n\n" not in text
    for _, para in paragraphs(text):
        assert para and para == para.strip(), f"paragraph with edge whitespace: {para[:40]!r}"
        assert "\n" not in para, "paragraphs are separated by a blank line, lines are not wrapped"
    words = len(text.split())
    assert 150 <= words <= 400, f"{words} words"
    assert 2 <= len(article["quotes"]) <= 6
    assert isinstance(article.get("non_quotes", []), list)


@pytest.mark.parametrize(("lang", "article"), ARTICLES, ids=IDS)
def test_quote_fields_and_boundaries(lang: str, article: dict[str, Any]) -> None:
    text = article["text"]
    spans = quote_spans(article)  # raises if a quote is not an exact substring, in order
    for quote, (start, end) in zip(article["quotes"], spans, strict=True):
        q = quote["text"]
        assert set(quote) == QUOTE_KEYS
        assert quote["type"] in TYPES
        assert isinstance(quote["speaker"], str) and quote["speaker"].strip()
        assert quote["speaker"] in text, f"speaker {quote['speaker']!r} is written in the article"
        assert q == _strip(q) and q, f"no edge whitespace: {q!r}"
        assert "\n" not in q, "one entry per paragraph"
        assert not q.endswith(BAD_END) or q.endswith("..."), f"final punctuation: {q!r}"
        assert not q.startswith(DASHES) and q[0] not in ",;:،", f"leading dash/punctuation: {q!r}"
        inner = [(s, e) for s, e in marked_stretches(text, lang) if start <= s and e <= end]
        if quote["type"] == "indirect":
            assert not DOUBLE_MARKS & set(q), f"indirect with quotation marks: {q!r}"
        if quote["type"] == "mixed":
            assert inner, f"mixed without a quoted stretch inside: {q!r}"
            quoted = set()
            for s, e in inner:
                quoted.update(range(s - 1, e + 1))
            outside = [text[i] for i in range(start, end) if i not in quoted]
            assert any(c.isalpha() for c in outside), f"mixed that is wholly quoted: {q!r}"
        if quote["type"] == "direct":
            before = _strip(text[:start])
            para_start = text.rfind("\n\n", 0, start) + 2 if "\n\n" in text[:start] else 0
            dash_led = text[para_start:start].rstrip() in DASHES
            # after an opening mark, a dash, or the comma/period that ends an incise
            assert dash_led or before[-1:] in '«“„‘"»–—,.', (
                f"direct quote not after an opening mark, a dash or an incise: {q!r}"
            )


@pytest.mark.parametrize(("lang", "article"), ARTICLES, ids=IDS)
def test_every_marked_stretch_is_a_quote_or_a_listed_non_quote(
    lang: str, article: dict[str, Any]
) -> None:
    text = article["text"]
    spans = quote_spans(article)
    non_quotes = article.get("non_quotes", [])
    seen = set()
    for s, e in marked_stretches(text, lang):
        content = _strip(text[s:e])
        overlaps = any(s < qe and qs < e for qs, qe in spans)
        if content in non_quotes:
            assert not overlaps, f"non-quote {content!r} overlaps a listed quote"
            seen.add(content)
        else:
            assert overlaps, f"quoted stretch {content!r} is neither a quote nor in non_quotes"
    assert seen == set(non_quotes), f"non_quotes not found in marks: {set(non_quotes) - seen}"


@pytest.mark.parametrize(("lang", "article"), ARTICLES, ids=IDS)
def test_every_dash_led_paragraph_starts_a_direct_quote(lang: str, article: dict[str, Any]) -> None:
    starts = {s: q for (s, _), q in zip(quote_spans(article), article["quotes"], strict=True)}
    for offset, para in paragraphs(article["text"]):
        if para[:1] in DASHES and para[1:2].isspace():
            quote = starts.get(offset + 2)
            assert quote is not None, f"dash-led paragraph without a quote: {para[:50]!r}"
            assert quote["type"] == "direct"
