from __future__ import annotations

import pytest

from babelwire.sources.reader import detect_format


@pytest.mark.parametrize(("data", "name", "content_type", "expected"), [
    (b'{"title": "x", "text": "y"}\n', "dump.jsonl", "", "jsonl"),
    (b'{"title": "x", "text": "y"}\n', "", "", "jsonl"),
    (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "crawl", "", "warc"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel>', "feed", "", "feed"),
    (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', "x.xml", "", "feed"),
    (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "page", "", "html"),
    (b"anything", "", "text/html; charset=utf-8", "html"),
    (b"<rss><channel><item><description>&lt;p&gt;</description>", "", "text/html", "feed"),
    (b"Title line\n\nBody text.", "note.txt", "", "text"),
    (b"Title line\n\nBody text.", "README", "", "text"),
])
def test_format_is_detected_by_name_then_content(data: bytes, name: str, content_type: str,
                                                 expected: str) -> None:
    assert detect_format(data, name, content_type) == expected
