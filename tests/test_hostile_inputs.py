"""Bad input never crashes a batch and loses nothing.

Every case ingests a batch of [good article, hostile input, good article] and
asserts the exact failure recorded for the hostile input (or, for input that is
repaired, the exact text stored) and that both good articles were stored.
"""

from __future__ import annotations

import codecs
import gzip
import http.server
import json
import socket
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from babelwire import Database, Settings
from babelwire.assembly import make_ingestor
from babelwire.ingest import IngestReport

GOOD_ONE = ("Council approves school budget\n\nThe city council approved the new school budget"
            " on Tuesday after a long debate about teachers' pay and building repairs.\n")
GOOD_TWO = ("Rail strike called off\n\nThe rail union called off next week's strike after the"
            " operator improved its pay offer to drivers and conductors on Wednesday.\n")
RUSSIAN = "Правительство утвердило бюджет на следующий год и увеличило расходы на школы."
ARTICLE_BODY = "The harbour authority reopened the port on Friday after the storm had passed."
FEED_ITEM = ("<item><title>Storm hits coast</title><description>A storm hit the coast on Monday"
             " and cut power to thousands of homes in the region.</description></item>")


@dataclass(frozen=True)
class Failed:
    """The hostile input must be recorded with exactly this stage, error and message."""

    stage: str
    error: str
    message: str  # "{path}" is replaced by the hostile input's reference


@dataclass(frozen=True)
class Stored:
    """The hostile input must be repaired and stored with exactly this title and text."""

    title: str
    text: str


Builder = Callable[[Path], str]  # writes the hostile input under tmp_path, returns its reference


def _write(name: str, data: bytes) -> Builder:
    def build(tmp: Path) -> str:
        (tmp / name).write_bytes(data)
        return str(tmp / name)

    return build


def _gzip_bomb(tmp: Path) -> str:
    path = tmp / "bomb.txt.gz"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1 << 20)
    with path.open("wb") as out:
        for _ in range(64):  # 64 MiB of zeros -> ~64 KiB compressed
            out.write(compressor.compress(chunk))
        out.write(compressor.flush())
    return str(path)


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    """A minimal uncompressed WARC file of response records (written by hand: no temp files)."""
    out = b""
    for number, (url, content_type, body) in enumerate(records):
        block = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
                 f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
                f"WARC-Date: 2024-05-01T10:00:00Z\r\n"
                f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
                f"Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(block)}\r\n\r\n").encode()
        out += head + block + b"\r\n\r\n"
    return out


def _directory(tmp: Path) -> str:
    folder = tmp / "folder"
    folder.mkdir()
    (folder / "a-good.txt").write_text("Harbour reopens\n\n" + ARTICLE_BODY, encoding="utf-8")
    (folder / "b-bad.bin").write_bytes(b"\x00\x01\x02\x03" * 100)
    return str(folder)


def _sparse_over_default_limit(tmp: Path) -> str:
    path = tmp / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(100_000_001)  # sparse: no disk space used
    return str(path)


def _closed_port_url(tmp: Path) -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/news"


SMALL_LIMIT = Settings(max_bytes=1_000_000, error_policy="record")

CASES: list[tuple[str, Builder, Failed | Stored, Settings | None]] = [
    ("empty file", _write("empty.txt", b""),
     Failed("ingest", "ParseError", "{path}: empty input (0 bytes of content)"), None),
    ("whitespace only", _write("blank.txt", b"  \n\t\r\n  "),
     Failed("ingest", "ParseError", "{path}: empty input (0 bytes of content)"), None),
    ("png image", _write("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
     Failed("ingest", "ParseError", "{path}: looks like a binary file, not text (NUL or control"
            " bytes); babelwire reads text, HTML, JSONL, feeds and WARC"), None),
    ("random bytes with NULs", _write("blob.dat", bytes((i * 37) % 256 for i in range(5000))),
     Failed("ingest", "ParseError", "{path}: looks like a binary file, not text (NUL or control"
            " bytes); babelwire reads text, HTML, JSONL, feeds and WARC"), None),
    ("file over the configured limit", _write("big.txt", b"Big\n\n" + b"word " * 300_000),
     Failed("ingest", "InputTooLarge", "{path}: file is 1,500,005 bytes, over the 1,000,000-byte"
            " limit (ingest.max_bytes); split it or raise the limit with"
            " --set ingest.max_bytes=N"), SMALL_LIMIT),
    ("file over the default 100 MB limit", _sparse_over_default_limit,
     Failed("ingest", "InputTooLarge", "{path}: file is 100,000,001 bytes, over the"
            " 100,000,000-byte limit (ingest.max_bytes); split it or raise the limit with"
            " --set ingest.max_bytes=N"), Settings(error_policy="record")),
    ("cp1252 with curly quotes", _write("cp1252.html", (
        '<html><head><meta charset="windows-1252"></head><body><article><h1>Caf\xe9 reopens</h1>'
        "<p>The caf\xe9 \x93Zum L\xf6wen\x94 reopened on Monday after a long renovation of"
        " its kitchen and dining room.</p></article></body></html>").encode("latin-1")),
     Stored("Café reopens", "The café “Zum Löwen” reopened on Monday after a long renovation"
            " of its kitchen and dining room."), None),
    ("undeclared latin-1", _write("latin1.txt", ("Crème brûlée à Genève\n\nLa pâtisserie genevoise"
                                                  " a remporté un prix très convoité à Zürich,"
                                                  " où le jury a salué sa crème brûlée.\n"
                                                  ).encode("latin-1")),
     Stored("Crème brûlée à Genève", "La pâtisserie genevoise a remporté un prix très convoité"
            " à Zürich, où le jury a salué sa crème brûlée."), None),
    ("undeclared KOI8-R", _write("koi8.txt", f"Бюджет\n\n{RUSSIAN} {RUSSIAN}\n".encode("koi8-r")),
     Stored("Бюджет", f"{RUSSIAN} {RUSSIAN}"), None),
    ("UTF-16 LE with BOM", _write("utf16le.txt", codecs.BOM_UTF16_LE + (
        "Harbour reopens\n\n" + ARTICLE_BODY).encode("utf-16-le")),
     Stored("Harbour reopens", ARTICLE_BODY), None),
    ("UTF-16 BE with BOM", _write("utf16be.txt", codecs.BOM_UTF16_BE + (
        "Hafen wieder offen\n\n" + ARTICLE_BODY).encode("utf-16-be")),
     Stored("Hafen wieder offen", ARTICLE_BODY), None),
    ("UTF-8 with BOM", _write("bom.txt", codecs.BOM_UTF8 + "Hamn öppnar\n\n".encode()
                              + ARTICLE_BODY.encode()),
     Stored("Hamn öppnar", ARTICLE_BODY), None),
    ("UTF-8 with one stray cp1252 byte", _write("mixed.txt", "Ålesund hamn\n\nHavna i Ålesund"
                                                 " åpnet igjen fredag etter stormen. ".encode()
                                                 + b"\x93Endelig\x94, sa havnesjefen."),
     Stored("Ålesund hamn", "Havna i Ålesund åpnet igjen fredag etter stormen. \ufffdEndelig"
            "\ufffd, sa havnesjefen."), None),
    ("control characters", _write("controls.txt", ("Harbour\x1b[31m reopens\x07\n\n"
                                                   + ARTICLE_BODY.replace("port", "port\x0c\x85")
                                                   ).encode()),
     Stored("Harbour[31m reopens", ARTICLE_BODY), None),
    ("lone surrogate in JSONL", _write("surrogate.jsonl", json.dumps(
        {"title": "Harbour \ud800reopens", "text": ARTICLE_BODY}).encode()),
     Stored("Harbour reopens", ARTICLE_BODY), None),
    ("malformed HTML", _write("broken.html", (
        "<html><body><div><p>" + ARTICLE_BODY + "<p>The ferry company said crossings would"
        " resume on Saturday morning<div><b>unclosed").encode()),
     Stored("", ARTICLE_BODY + "\nThe ferry company said crossings would resume on Saturday"
            " morning"), None),
    ("HTML with no article text", _write("nav.html", (
        b'<html><head><script>var x = 1;</script></head><body><nav><a href="/">Home</a>'
        b"</nav></body></html>")),
     Failed("clean", "NoMainText", "{path}: clean stage: no article text found in 97"
            " characters of HTML (trafilatura and its baseline found fewer than 5 words)"),
     None),
    ("deeply nested HTML", lambda tmp: _write("deep.html", (
        "<html><body>" + "<div>" * 100_000 + "<p>" + ARTICLE_BODY + "</p>" + "</div>" * 100_000
        + "</body></html>").encode())(tmp),
     Failed("clean", "NoMainText", "{path}: clean stage: no article text found in 1,100,110"
            " characters of HTML (trafilatura and its baseline found fewer than 5 words)"),
     None),
    ("malformed feed keeps its readable entries", _write("broken.xml", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>' + FEED_ITEM
        + "<item><title>Broken").encode()),
     Failed("ingest", "ParseError", "{path}#entry=2: feed entry has neither content nor summary"),
     None),
    ("billion laughs feed", _write("lol.xml", (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;'
        b'&lol;&lol;&lol;&lol;&lol;">]><rss version="2.0"><channel><item><title>&lol2;</title>'
        b"<description>x</description></item></channel></rss>")),
     Failed("ingest", "ParseError", "{path}: feed refused: it declares XML entities or external"
            " references (EntitiesForbidden), the shape of an entity-expansion attack"), None),
    ("external entity feed", _write("xxe.xml", (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><item><title>&xxe;</title><description>x</description>'
        b"</item></channel></rss>")),
     Failed("ingest", "ParseError", "{path}: feed refused: it declares XML entities or external"
            " references (EntitiesForbidden), the shape of an entity-expansion attack"), None),
    ("feed whose entries are empty", _write("empty-entries.xml", (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>Only'
        b" a title</title></item></channel></rss>")),
     Failed("ingest", "ParseError", "{path}#entry=1: feed entry has neither content nor summary"),
     None),
    ("gzip bomb", _gzip_bomb,
     Failed("ingest", "InputTooLarge", "{path}: gzip data decompresses to more than the"
            " 1,000,000-byte limit (ingest.max_bytes); possibly a decompression bomb, not read"),
     SMALL_LIMIT),
    ("truncated gzip", _write("cut.txt.gz", gzip.compress(GOOD_ONE.encode() * 50)[:60]),
     Failed("ingest", "ParseError", "{path}: gzip data is truncated (ends inside a compressed"
            " stream); re-download the file"), None),
    ("corrupt gzip", _write("bad.gz", b"\x1f\x8b\x08\x00garbage-not-deflate-data"),
     Failed("ingest", "ParseError", "{path}: corrupt gzip data (Error -3 while decompressing"
            " data: invalid code lengths set); re-download or decompress it by hand"), None),
    ("JSON line that is not JSON", _write("lines.jsonl", (
        json.dumps({"title": "Harbour reopens", "text": ARTICLE_BODY}) + "\n{not json}\n"
    ).encode()),
     Failed("ingest", "ParseError", "{path}#line=2: invalid JSON (Expecting property name"
            " enclosed in double quotes at column 2)"), None),
    ("JSON line that is an array", _write("array.jsonl", b'["title", "text"]\n'),
     Failed("ingest", "ParseError", "{path}#line=1: expected a JSON object per line, got list"),
     None),
    ("JSON object without text", _write("notext.jsonl", b'{"title": "Only a title"}\n'),
     Failed("ingest", "ParseError", "{path}#line=1: record has no text: expected a string in one"
            " of text, body, content or html"), None),
    ("WARC without HTML responses", _write("images.warc", _warc(
        [("https://example.org/a.png", "image/png", b"\x89PNG....")])),
     Failed("ingest", "ParseError", "{path}: WARC file holds no HTML response records"), None),
    ("file named .warc that is not WARC", _write("fake.warc", b"this is not a warc file\n"),
     Failed("ingest", "ParseError", "{path}: not a WARC file (it does not start with 'WARC/');"
            " check the file or its name"), None),
    ("directory with a binary file", _directory,
     Failed("ingest", "ParseError", "{path}/b-bad.bin: looks like a binary file, not text (NUL or"
            " control bytes); babelwire reads text, HTML, JSONL, feeds and WARC"), None),
    ("nonexistent path", lambda tmp: str(tmp / "missing.txt"),
     Failed("ingest", "SourceError", "{path}: no such file or directory"), None),
    ("title line without body", _write("title-only.txt", b"Just a headline\n"),
     Failed("ingest", "EmptyArticle", "{path}: article text is 0 characters after cleaning,"
            " under the minimum of 1 (ingest.min_text_chars); nothing stored"), None),
    ("huge single line", _write("oneline.txt", (ARTICLE_BODY + " ") .encode() * 20_000),
     Stored("", " ".join([ARTICLE_BODY] * 20_000)), None),
    ("unreachable URL", _closed_port_url,
     Failed("ingest", "FetchError", "{path}: cannot fetch (ConnectError: [Errno 111] Connection"
            " refused); check the address and that this machine can reach it"), None),
]


@pytest.fixture
def http_server() -> Iterator[str]:
    """A loopback server answering 404 on /missing and 500 on /broken; stopped at the end."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(404 if self.path == "/missing" else 500)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _ingest_batch(tmp_path: Path, hostile: str, settings: Settings) -> tuple[IngestReport,
                                                                             Database]:
    (tmp_path / "good-1.txt").write_text(GOOD_ONE, encoding="utf-8")
    (tmp_path / "good-2.txt").write_text(GOOD_TWO, encoding="utf-8")
    db = Database(memory=True)
    report = make_ingestor(settings, db).ingest(
        [str(tmp_path / "good-1.txt"), hostile, str(tmp_path / "good-2.txt")])
    return report, db


def _titles(db: Database) -> set[str]:
    return {article.title for article in db.iter_articles()}


@pytest.mark.parametrize(("builder", "expected", "settings"),
                         [pytest.param(b, e, s, id=name) for name, b, e, s in CASES])
def test_hostile_input_is_recorded_and_the_batch_goes_on(
    tmp_path: Path, builder: Builder, expected: Failed | Stored, settings: Settings | None,
) -> None:
    hostile = builder(tmp_path)
    report, db = _ingest_batch(tmp_path, hostile, settings or Settings(error_policy="record"))
    try:
        assert {"Council approves school budget", "Rail strike called off"} <= _titles(db)
        if isinstance(expected, Failed):
            failure = report.failures[0]
            assert (failure.stage, failure.error, failure.message) == (
                expected.stage, expected.error, expected.message.format(path=hostile))
            assert db.stats()["failures"] == len(report.failures)
        else:
            assert report.failures == []
            stored = [a for a in db.iter_articles() if a.input_ref.startswith(hostile)]
            assert [(a.title, a.text) for a in stored] == [(expected.title, expected.text)]
    finally:
        db.close()


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/broken", 500)])
def test_url_answering_an_http_error_is_recorded(tmp_path: Path, http_server: str, path: str,
                                                 status: int) -> None:
    url = http_server + path
    report, db = _ingest_batch(tmp_path, url, Settings(error_policy="record"))
    try:
        assert {"Council approves school budget", "Rail strike called off"} <= _titles(db)
        assert [(f.stage, f.error, f.message) for f in report.failures] == [
            ("ingest", "FetchError", f"{url}: server answered HTTP {status}")]
    finally:
        db.close()


def test_good_lines_of_a_jsonl_file_with_a_bad_line_are_stored(tmp_path: Path) -> None:
    hostile = _write("lines.jsonl", (json.dumps({"title": "Harbour reopens", "text": ARTICLE_BODY})
                                     + "\n{not json}\n").encode())(tmp_path)
    report, db = _ingest_batch(tmp_path, hostile, Settings(error_policy="record"))
    try:
        assert "Harbour reopens" in _titles(db)
        assert report.inserted == 3 and report.failed == 1
    finally:
        db.close()


def test_warc_html_response_is_ingested_with_its_url_and_date(tmp_path: Path) -> None:
    page = (f"<html><head><title>Harbour reopens</title></head><body><article><p>{ARTICLE_BODY}"
            " The ferry company said crossings would resume on Saturday morning.</p>"
            "</article></body></html>").encode()
    hostile = _write("crawl.warc", _warc([("https://news.example/harbour", "text/html", page),
                                         ("https://news.example/a.png", "image/png", b"x")]))(
        tmp_path)
    report, db = _ingest_batch(tmp_path, hostile, Settings(error_policy="record"))
    try:
        [article] = [a for a in db.iter_articles() if a.url == "https://news.example/harbour"]
        assert (article.title, article.source, article.fetched_at.isoformat()) == (
            "Harbour reopens", "news.example", "2024-05-01T10:00:00+00:00")
        assert article.text.startswith(ARTICLE_BODY)
        assert report.failed == 0
    finally:
        db.close()


def test_default_size_limit_is_100_megabytes() -> None:
    assert Settings().max_bytes == 100_000_000
