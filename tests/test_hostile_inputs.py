"""Bad input never crashes a batch and loses nothing.

Every case ingests the batch [good article, hostile input, good article] and asserts
the exact failures recorded for the hostile input (stage, error class, message), the
exact articles kept from it (title, text), and that both good articles were stored.

Decisions the cases pin:
- A NUL byte in valid UTF-8 text is a stray and is removed; the article is kept. NULs in
  bytes that are not UTF-8, or control bytes in over 10 % of the first 4 KiB, mean binary.
- UTF-16 without a BOM is decoded when charset-normalizer recognises it.
- Named pipes, sockets and devices inside a directory are recorded, never opened (a FIFO
  nobody writes to would block the batch); named directly, a FIFO is read as a stream.
- Permission bits cannot make a file unreadable for root, so those two cases skip under
  root; "a path through a regular file" exercises the same unreadable-path branch for all.
- Linked folders are followed, each real folder once, so a link loop ends.
- XML that is not RSS or Atom (a sitemap) is refused with its root element named.
- A JSON integer past Python's 4,300-digit limit is kept as its digits; the article stays.
- HTML nested deeper than libxml2's limit (255 levels) yields no text to trafilatura; such
  a page fails the clean stage, quickly and without a RecursionError.
"""

from __future__ import annotations

import codecs
import gzip
import http.server
import json
import os
import socket
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest

from babelwire import Database, Pipeline, Settings
from babelwire.assembly import build_pipeline, make_ingestor
from babelwire.settings import LIGHT_STAGES
from babelwire.sources import SourceOptions

GOOD_ONE = ("Council approves school budget\n\nThe city council approved the new school budget"
            " on Tuesday after a long debate about teachers' pay and building repairs.\n")
GOOD_TWO = ("Rail strike called off\n\nThe rail union called off next week's strike after the"
            " operator improved its pay offer to drivers and conductors on Wednesday.\n")
GOOD_TITLES = ["Council approves school budget", "Rail strike called off"]
BODY = "The harbour authority reopened the port on Friday after the storm had passed."
FERRY = "The ferry company said crossings would resume on Saturday morning."
RUSSIAN = "Правительство утвердило бюджет на следующий год и увеличило расходы на школы."
STORM = "A storm hit the coast on Monday and cut power to thousands of homes in the region."
FEED_ITEM = f"<item><title>Storm hits coast</title><description>{STORM}</description></item>"
PAGE = (f"<html><head><title>Harbour reopens</title></head><body><article><p>{BODY} {FERRY}</p>"
        "</article></body></html>").encode()
BINARY = ("{ref}: looks like a binary file, not text (NUL or control bytes); babelwire reads"
          " text, HTML, JSONL, feeds and WARC")
pytestmark = pytest.mark.reliability("hostile input")  # counted in docs/RELIABILITY.md
MIB = 1 << 20
LOOPBACK_ALLOWED = ("127.0.0.1/32",)  # the test servers; the fetcher refuses loopback by default
RECORD = Settings(stages=LIGHT_STAGES, error_policy="record", fetch_allow=LOOPBACK_ALLOWED)
SMALL_LIMIT = Settings(stages=LIGHT_STAGES, max_bytes=1_000_000, error_policy="record",
                       fetch_allow=LOOPBACK_ALLOWED)


@dataclass(frozen=True)
class Env:
    """What builders may use: a scratch folder and loopback servers (never another host)."""

    tmp: Path
    http: str  # base URL of the test server (see `_Handler` for its paths)
    silent: str  # URL of a port that accepts connections and never answers
    gzip_bomb: bytes  # 200 MiB of zeros as one ~200 KB gzip stream


@dataclass(frozen=True)
class Expected:
    """Exactly what the batch keeps of the hostile input. "{ref}" stands for its reference."""

    failures: tuple[tuple[str, str, str], ...] = ()  # (stage, error class, message)
    stored: tuple[tuple[str, str], ...] = ()  # (title, text), in ingestion order
    settings: Settings = RECORD
    stdin: bytes | None = None
    needs_non_root: bool = False


Builder = Callable[[Env], str]  # writes or serves the hostile input, returns its reference


def failed(stage: str, error: str, message: str, *, stored: tuple[tuple[str, str], ...] = (),
           settings: Settings = RECORD, needs_non_root: bool = False) -> Expected:
    return Expected(((stage, error, message),), stored, settings, needs_non_root=needs_non_root)


def kept(title: str, text: str) -> Expected:
    return Expected(stored=((title, text),))


def file(name: str, data: bytes) -> Builder:
    def build(env: Env) -> str:
        (env.tmp / name).write_bytes(data)
        return str(env.tmp / name)

    return build


def url(path: str) -> Builder:
    return lambda env: env.http + path


def jsonl(*records: object) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def warc(records: list[tuple[str, str, bytes]]) -> bytes:
    """An uncompressed WARC file of HTTP response records, written by hand."""
    out = b""
    for number, (target, content_type, body) in enumerate(records):
        block = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
                 f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {target}\r\n"
                "WARC-Date: 2024-05-01T10:00:00Z\r\n"
                f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
                "Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(block)}\r\n\r\n").encode()
        out += head + block + b"\r\n\r\n"
    return out


def make_gzip_bomb(mebibytes: int) -> bytes:
    """Zeros as one valid gzip stream, made without compressing them all.

    After a full flush deflate forgets its history, so the compressed form of each
    further MiB of zeros is the same block; only the CRC needs every byte.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(bytes(MIB), crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (mebibytes * MIB) & 0xFFFFFFFF)
    return header + block * mebibytes + compressor.flush() + trailer


def billion_laughs() -> bytes:
    entities = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{entities}]>'
            '<rss version="2.0"><channel><item><title>&lol9;</title>'
            "<description>x</description></item></channel></rss>").encode()


def gzip_bomb_file(env: Env) -> str:
    (env.tmp / "bomb.txt.gz").write_bytes(env.gzip_bomb)
    return str(env.tmp / "bomb.txt.gz")


def sparse_file_over_default_limit(env: Env) -> str:
    path = env.tmp / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(100_000_001)  # sparse: takes no disk space
    return str(path)


def folder_with(name: str, make_entry: Callable[[Path], None]) -> Builder:
    """A folder holding one good article and one hostile entry."""

    def build(env: Env) -> str:
        folder = env.tmp / "folder"
        folder.mkdir()
        (folder / "a-good.txt").write_text("Harbour reopens\n\n" + BODY, encoding="utf-8")
        make_entry(folder / name)
        return str(folder)

    return build


def locked_folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("Hidden away\n\n" + FERRY, encoding="utf-8")
    path.chmod(0)


def unreadable_file(env: Env) -> str:
    path = env.tmp / "secret.txt"
    path.write_text("Secret\n\n" + BODY, encoding="utf-8")
    path.chmod(0)
    return str(path)


def path_through_a_file(env: Env) -> str:
    (env.tmp / "plain.txt").write_text("Plain\n\n" + BODY, encoding="utf-8")
    return str(env.tmp / "plain.txt" / "inner.txt")


def closed_port_url(env: Env) -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/news"


DEEP_HTML = ("<html><body>" + "<div>" * 100_000 + f"<p>{BODY}</p>" + "</div>" * 100_000
             + "</body></html>").encode()
CUT_WARC = warc([("https://news.example/harbour", "text/html", PAGE),
                 ("https://news.example/port", "text/html", PAGE.replace(b"Harbour", b"Port"))])

CASES: list[tuple[str, Builder, Expected]] = [
    # -- nothing, or not text ---------------------------------------------------------------
    ("empty file", file("empty.txt", b""),
     failed("ingest", "ParseError", "{ref}: empty input (0 bytes of content)")),
    ("whitespace-only file", file("blank.txt", b"  \n\t\r\n  \x0c "),
     failed("ingest", "ParseError", "{ref}: empty input (0 bytes of content)")),
    ("PNG image", file("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
     failed("ingest", "ParseError", BINARY)),
    ("random bytes with NULs", file("blob.dat", bytes((i * 37 + i // 7) % 256
                                                      for i in range(5000))),
     failed("ingest", "ParseError", BINARY)),
    ("PDF document", file("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 99"
                          b" /Filter /FlateDecode >>\nstream\n"
                          + zlib.compress(b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET\n" * 40)),
     failed("ingest", "ParseError", BINARY)),
    ("binary on standard input", lambda env: "-",
     Expected((("ingest", "ParseError", BINARY.replace("{ref}", "<stdin>")),),
              stdin=b"\x7fELF\x02\x01\x01\x00" + bytes(200))),
    ("stray NUL in UTF-8 text is removed", file("nul.txt", f"Harbour reopens\n\n{BODY}\x00"
                                                f" {FERRY}".encode()),
     kept("Harbour reopens", f"{BODY} {FERRY}")),
    ("NUL in cp1252 text means binary", file("nul-cp1252.txt", f"Caf\xe9\n\n{BODY}\x00"
                                             .encode("cp1252")),
     failed("ingest", "ParseError", BINARY)),
    # -- too large --------------------------------------------------------------------------
    ("file over the configured limit", file("big.txt", b"Big\n\n" + b"word " * 300_000),
     failed("ingest", "InputTooLarge", "{ref}: file is 1,500,005 bytes, over the 1,000,000-byte"
            " limit (ingest.max_bytes); split it or raise the limit with"
            " --set ingest.max_bytes=N", settings=SMALL_LIMIT)),
    ("file over the default 100 MB limit", sparse_file_over_default_limit,
     failed("ingest", "InputTooLarge", "{ref}: file is 100,000,001 bytes, over the"
            " 100,000,000-byte limit (ingest.max_bytes); split it or raise the limit with"
            " --set ingest.max_bytes=N")),
    ("gzip bomb of 200 MiB of zeros", gzip_bomb_file,
     failed("ingest", "InputTooLarge", "{ref}: gzip data decompresses to more than the"
            " 1,000,000-byte limit (ingest.max_bytes); possibly a decompression bomb, not read",
            settings=SMALL_LIMIT)),
    ("truncated gzip", file("cut.txt.gz", gzip.compress(GOOD_ONE.encode() * 50)[:60]),
     failed("ingest", "ParseError", "{ref}: gzip data is truncated (ends inside a compressed"
            " stream); re-download the file")),
    ("corrupt gzip", file("bad.gz", b"\x1f\x8b\x08\x00garbage-not-deflate-data"),
     failed("ingest", "ParseError", "{ref}: corrupt gzip data (Error -3 while decompressing"
            " data: invalid code lengths set); re-download or decompress it by hand")),
    ("huge single line", file("oneline.txt", f"{BODY} ".encode() * 20_000),
     kept("", " ".join([BODY] * 20_000))),
    # -- wrong and mixed encodings ----------------------------------------------------------
    ("cp1252 declared in HTML", file("cp1252.html", (
        '<html><head><meta charset="windows-1252"></head><body><article><h1>Caf\xe9 reopens'
        "</h1><p>The café “Zum Löwen” reopened on Monday after a long renovation of"
        " its kitchen and dining room.</p></article></body></html>").encode("cp1252")),
     kept("Café reopens", "The café “Zum Löwen” reopened on Monday after a long renovation"
          " of its kitchen and dining room.")),
    ("undeclared cp1252 curly quotes", file("quotes.txt", (
        "Minister says no\n\nThe minister said “no” to the plan on Monday and left the"
        " meeting early.\n").encode("cp1252")),
     kept("Minister says no", "The minister said “no” to the plan on Monday and left the"
          " meeting early.")),
    ("undeclared latin-1", file("latin1.txt", (
        "Crème brûlée à Genève\n\nLa pâtisserie genevoise a remporté un prix très convoité à"
        " Zürich, où le jury a salué sa crème brûlée.\n").encode("latin-1")),
     kept("Crème brûlée à Genève", "La pâtisserie genevoise a remporté un prix très convoité"
          " à Zürich, où le jury a salué sa crème brûlée.")),
    ("undeclared KOI8-R Russian", file("koi8.txt", f"Бюджет\n\n{RUSSIAN} {RUSSIAN}\n"
                                       .encode("koi8-r")),
     kept("Бюджет", f"{RUSSIAN} {RUSSIAN}")),
    ("UTF-16 LE with BOM", file("utf16le.txt", codecs.BOM_UTF16_LE
                                + f"Harbour reopens\n\n{BODY}".encode("utf-16-le")),
     kept("Harbour reopens", BODY)),
    ("UTF-16 BE with BOM", file("utf16be.txt", codecs.BOM_UTF16_BE
                                + f"Hafen wieder offen\n\n{BODY}".encode("utf-16-be")),
     kept("Hafen wieder offen", BODY)),
    ("UTF-16 LE without BOM", file("utf16-nobom.txt", f"Бюджет\n\n{RUSSIAN}"
                                   .encode("utf-16-le")),
     kept("Бюджет", RUSSIAN)),
    ("UTF-8 with BOM", file("bom.txt", codecs.BOM_UTF8 + f"Hamn öppnar\n\n{BODY}".encode()),
     kept("Hamn öppnar", BODY)),
    ("UTF-8 with two stray cp1252 bytes", file("mixed.txt", "Ålesund hamn\n\nHavna i Ålesund"
                                               " åpnet igjen fredag etter stormen. ".encode()
                                               + b"\x93Endelig\x94, sa havnesjefen."),
     kept("Ålesund hamn", "Havna i Ålesund åpnet igjen fredag etter stormen. \ufffdEndelig"
          "\ufffd, sa havnesjefen.")),
    ("HTML declaring UTF-8 but holding cp1252", file("lying.html", (
        '<html><head><meta charset="utf-8"></head><body><article><p>Caf\xe9 cr\xe8me: the'
        " caf\xe9 reopened on Monday after a long renovation of its kitchen.</p></article>"
        "</body></html>").encode("cp1252")),
     kept("", "Café crème: the café reopened on Monday after a long renovation of its"
          " kitchen.")),
    ("HTML declaring an unknown charset", file("unknown-charset.html", (
        '<html><head><meta charset="x-no-such-charset"></head><body><article><p>'
        f"{BODY}</p></article></body></html>").encode()),
     kept("", BODY)),
    # -- control characters and lone surrogates ---------------------------------------------
    ("C0 and C1 control characters and form feeds", file("controls.txt", (
        "Harbour\x1b[31m reopens\x07\n\n" + BODY.replace("port", "port\x0c\x85\x9b")).encode()),
     kept("Harbour[31m reopens", BODY)),
    ("lone surrogates in JSON escapes", file("surrogate.jsonl", jsonl(
        {"title": "Harbour \ud800reopens", "text": f"{BODY}\udc80"})),
     kept("Harbour reopens", BODY)),
    ("JSON text holding an unescaped U+2028", file("u2028.jsonl", json.dumps(
        {"title": "Harbour reopens", "text": f"{BODY}\u2028{FERRY}"},
        ensure_ascii=False).encode()),
     kept("Harbour reopens", f"{BODY}\n{FERRY}")),
    # -- HTML -------------------------------------------------------------------------------
    ("malformed HTML with unclosed tags", file("broken.html", (
        f"<html><body><div><p>{BODY}<p>{FERRY}<div><b>unclosed").encode()),
     kept("", f"{BODY}\n{FERRY}")),
    ("tag soup around the text", file("soup.html", (
        f"<html><body><<p>>{BODY}</</div><p <p>{FERRY}</p><!-- never closed").encode()),
     kept("", f">{BODY}\n{FERRY}")),
    ("HTML with no article text", file("nav.html", (
        b'<html><head><script>var x = 1;</script></head><body><nav><a href="/">Home</a>'
        b"</nav></body></html>")),
     failed("clean", "NoMainText", "{ref}: clean stage: no article text found in 97"
            " characters of HTML (trafilatura and its baseline found fewer than 5 words)")),
    ("100,000 nested divs", file("deep.html", DEEP_HTML),
     failed("clean", "NoMainText", "{ref}: clean stage: no article text found in 1,100,110"
            " characters of HTML (trafilatura and its baseline found fewer than 5 words)")),
    ("title line without body", file("title-only.txt", b"Just a headline\n"),
     failed("ingest", "EmptyArticle", "{ref}: article text is 0 characters after cleaning,"
            " under the minimum of 1 (ingest.min_text_chars); nothing stored")),
    # -- feeds ------------------------------------------------------------------------------
    ("malformed feed keeps its readable entries", file("broken.xml", (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{FEED_ITEM}'
        "<item><title>Broken").encode()),
     failed("ingest", "ParseError", "{ref}#entry=2: feed entry has neither content nor summary",
            stored=(("Storm hits coast", STORM),))),
    ("billion laughs feed", file("lol.xml", billion_laughs()),
     failed("ingest", "ParseError", "{ref}: feed refused: it declares XML entities or external"
            " references (EntitiesForbidden), the shape of an entity-expansion attack")),
    ("external entity (XXE) feed", file("xxe.rss", (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><item><title>&xxe;</title><description>x</description>'
        b"</item></channel></rss>")),
     failed("ingest", "ParseError", "{ref}: feed refused: it declares XML entities or external"
            " references (EntitiesForbidden), the shape of an entity-expansion attack")),
    ("RSS 0.91 with a DOCTYPE is still read", file("netscape.rss", (
        '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        ' "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel>'
        f"<title>F</title>{FEED_ITEM}</channel></rss>").encode()),
     kept("Storm hits coast", STORM)),
    ("feed whose entry has no content", file("empty-entry.rss", (
        b'<rss version="2.0"><channel><title>F</title><item><title>Only a title</title>'
        b"</item></channel></rss>")),
     failed("ingest", "ParseError", "{ref}#entry=1: feed entry has neither content nor summary")),
    ("feed without items", file("no-items.rss", (
        b'<rss version="2.0"><channel><title>Quiet day</title></channel></rss>')),
     failed("ingest", "ParseError", "{ref}: feed has no entries")),
    ("XML that is not a feed (sitemap)", file("sitemap.xml", (
        b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
        b'sitemap/0.9"><url><loc>https://news.example/harbour</loc></url></urlset>')),
     failed("ingest", "ParseError", "{ref}: XML whose root element is <urlset>, not an RSS or"
            " Atom feed; babelwire reads feeds, HTML, text, JSONL and WARC")),
    ("plain text named .rss", file("notes.rss", b"this is not xml at all"),
     failed("ingest", "ParseError", "{ref}: feed has no entries (<unknown>:2:0: syntax error)")),
    # -- JSON Lines -------------------------------------------------------------------------
    ("JSONL with one invalid line keeps the good lines", file("lines.jsonl", jsonl(
        {"title": "Harbour reopens", "text": BODY}) + b"{not json}\n" + jsonl(
        {"title": "Ferries resume", "text": FERRY})),
     failed("ingest", "ParseError", "{ref}#line=2: invalid JSON (Expecting property name"
            " enclosed in double quotes: column 2)",
            stored=(("Harbour reopens", BODY), ("Ferries resume", FERRY)))),
    ("JSON line that is an array", file("array.jsonl", b'["title", "text"]\n'),
     failed("ingest", "ParseError", "{ref}#line=1: expected a JSON object per line, got list")),
    ("JSON object without text", file("notext.jsonl", jsonl({"title": "Only a title",
                                                             "text": 42})),
     failed("ingest", "ParseError", "{ref}#line=1: record has no text: expected a string in one"
            " of text, body, content or html")),
    ("JSON integer of 5,000 digits", file("bigint.jsonl", (
        '{"title": "Harbour reopens", "views": ' + "9" * 5000 + f', "text": "{BODY}"}}\n')
        .encode()),
     kept("Harbour reopens", BODY)),
    ("JSON nested 100,000 deep", file("deep.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n"),
     failed("ingest", "ParseError", "{ref}#line=1: JSON nested too deeply to read (past Python's"
            " recursion limit); an article record is a flat object of fields")),
    ("JSONL reusing an id for other content", file("ids.jsonl", jsonl(
        {"id": "a1", "title": "Harbour reopens", "text": BODY},
        {"id": "a1", "title": "Ferries resume", "text": FERRY})),
     failed("store", "StorageError", "{ref}#line=2: article id 'a1' is already stored with"
            " different content; give the changed article its own id (or drop the id field to"
            " use a hash)", stored=(("Harbour reopens", BODY),))),
    # -- WARC -------------------------------------------------------------------------------
    ("WARC without HTML responses", file("images.warc", warc(
        [("https://news.example/a.png", "image/png", b"\x89PNG....")])),
     failed("ingest", "ParseError", "{ref}: WARC file holds no HTML response records")),
    ("file named .warc that is not WARC", file("fake.warc", b"this is not a warc file\n"),
     failed("ingest", "ParseError", "{ref}: not a WARC file (it does not start with 'WARC/');"
            " check the file or its name")),
    ("WARC cut off inside its last record", file("cut.warc", CUT_WARC[:-200]),  # 4 after it
     failed("ingest", "ParseError", "{ref}#record=2: record is cut off (196 of its 301 bytes"
            " are missing); re-download the WARC file",
            stored=(("Harbour reopens", f"{BODY} {FERRY}"),))),
    # -- paths ------------------------------------------------------------------------------
    ("directory with a binary file among good ones",
     folder_with("b-bad.bin", lambda path: path.write_bytes(b"\x00\x01\x02\x03" * 100)),
     failed("ingest", "ParseError", BINARY.replace("{ref}", "{ref}/b-bad.bin"),
            stored=(("Harbour reopens", BODY),))),
    ("directory holding a named pipe", folder_with("b-pipe", os.mkfifo),
     failed("ingest", "SourceError", "{ref}/b-pipe: is a named pipe (FIFO), not a regular file;"
            " skipped (name it directly to read from it)", stored=(("Harbour reopens", BODY),))),
    ("directory holding a link back to itself",
     folder_with("b-loop", lambda path: path.symlink_to(path.parent, target_is_directory=True)),
     kept("Harbour reopens", BODY)),
    ("directory with an unlistable folder", folder_with("b-locked", locked_folder),
     failed("ingest", "SourceError", "{ref}/b-locked: cannot list directory (Permission"
            " denied); check its permissions", stored=(("Harbour reopens", BODY),),
            needs_non_root=True)),
    ("nonexistent path", lambda env: str(env.tmp / "missing.txt"),
     failed("ingest", "SourceError", "{ref}: no such file or directory")),
    ("unreadable file", unreadable_file,
     failed("ingest", "SourceError", "{ref}: cannot read (Permission denied); check the path"
            " and its permissions", needs_non_root=True)),
    ("path through a regular file", path_through_a_file,
     failed("ingest", "SourceError", "{ref}: cannot read (Not a directory); check the path"
            " and its permissions")),
    # -- URLs (loopback only) ---------------------------------------------------------------
    ("unreachable URL", closed_port_url,
     failed("ingest", "FetchError", "{ref}: cannot fetch (ConnectError: [Errno 111] Connection"
            " refused); check the address and that this machine can reach it")),
    ("URL answering HTTP 404", url("/missing"),
     failed("ingest", "FetchError", "{ref}: server answered HTTP 404")),
    ("URL answering HTTP 500", url("/broken"),
     failed("ingest", "FetchError", "{ref}: server answered HTTP 500")),
    ("URL redirecting to itself", url("/loop"),
     failed("ingest", "FetchError", "{ref}: cannot fetch (TooManyRedirects: Exceeded maximum"
            " allowed redirects.); check the address and that this machine can reach it")),
    ("URL that never answers", lambda env: env.silent,
     failed("ingest", "FetchError", "{ref}: cannot fetch (ReadTimeout: timed out); check the"
            " address and that this machine can reach it",
            settings=Settings(stages=LIGHT_STAGES, fetch_timeout_s=0.2, error_policy="record",
                              fetch_allow=LOOPBACK_ALLOWED))),
    ("URL answering with an empty body", url("/empty"),
     failed("ingest", "ParseError", "{ref}: empty input (0 bytes of content)")),
    ("URL answering over the size limit", url("/big"),
     failed("ingest", "InputTooLarge", "{ref}: response is larger than the 1,000,000-byte limit"
            " (ingest.max_bytes); raise the limit with --set ingest.max_bytes=N",
            settings=SMALL_LIMIT)),
    ("URL serving a gzip bomb as Content-Encoding", url("/bomb"),
     failed("ingest", "InputTooLarge", "{ref}: gzip data decompresses to more than the"
            " 1,000,000-byte limit (ingest.max_bytes); possibly a decompression bomb, not read",
            settings=SMALL_LIMIT)),
    ("malformed URL", lambda env: "http://[::1/news",
     failed("ingest", "FetchError", "{ref}: not a valid URL (Invalid port: ':1'); check the"
            " address")),
]


class _Handler(http.server.BaseHTTPRequestHandler):
    """/missing 404, /broken 500, /loop redirects to itself, /empty, /big, /bomb."""

    gzip_bomb = b""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path in ("/missing", "/broken"):
            self._answer(404 if self.path == "/missing" else 500, b"")
        elif self.path == "/loop":
            self._answer(302, b"", Location="/loop")
        elif self.path == "/big":
            self._answer(200, b"word " * 400_000, **{"Content-Type": "text/plain"})
        elif self.path == "/bomb":
            self._answer(200, self.gzip_bomb, **{"Content-Type": "text/html",
                                                 "Content-Encoding": "gzip"})
        else:
            self._answer(200, b"", **{"Content-Type": "text/html"})

    def _answer(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    return make_gzip_bomb(200)


@pytest.fixture(scope="module")
def http_base(gzip_bomb: bytes) -> Iterator[str]:
    """A loopback HTTP server for the module, stopped at the end."""
    handler = type("Handler", (_Handler,), {"gzip_bomb": gzip_bomb})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def silent_url() -> Iterator[str]:
    """A loopback port whose connections the kernel accepts and nobody ever answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/news"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    """The configured pipeline (clean, segment, language), built once: it takes ~1 s."""
    return build_pipeline(RECORD)


def _permission_bits_bind(tmp: Path) -> bool:
    """False for root (or any process that may override file modes)."""
    probe = tmp / "mode-probe"
    probe.write_bytes(b"x")
    probe.chmod(0)
    try:
        probe.read_bytes()
    except PermissionError:
        return True
    finally:
        probe.unlink()
    return False


def test_there_are_at_least_30_distinct_hostile_cases() -> None:
    names = [name for name, _, _ in CASES]
    assert len(set(names)) == len(names) >= 30


@pytest.mark.parametrize(("build", "expected"),
                         [pytest.param(b, e, id=name) for name, b, e in CASES])
def test_hostile_input_is_recorded_exactly_and_the_rest_of_the_batch_is_stored(
    tmp_path: Path, gzip_bomb: bytes, http_base: str, silent_url: str, pipeline: Pipeline,
    build: Builder, expected: Expected,
) -> None:
    if expected.needs_non_root and not _permission_bits_bind(tmp_path):
        pytest.skip("this process reads files whatever their mode (root)")
    ref = build(Env(tmp_path, http_base, silent_url, gzip_bomb))
    (tmp_path / "good-1.txt").write_text(GOOD_ONE, encoding="utf-8")
    (tmp_path / "good-2.txt").write_text(GOOD_TWO, encoding="utf-8")
    batch = [str(tmp_path / "good-1.txt"), ref, str(tmp_path / "good-2.txt")]
    stdin = BytesIO(expected.stdin) if expected.stdin is not None else None
    with Database(memory=True) as db:
        report = make_ingestor(expected.settings, db, pipeline=pipeline).ingest(
            batch, stdin=stdin)
        articles = list(db.iter_articles())
        recorded = [(f.input_ref, f.stage, f.error, f.message) for f in reversed(db.failures())]
    assert [(f.stage, f.error, f.message) for f in report.failures] == [
        (stage, error, message.replace("{ref}", ref))
        for stage, error, message in expected.failures]
    assert recorded == [(f.input_ref, f.stage, f.error, f.message) for f in report.failures]
    from_hostile = [(a.title, a.text) for a in articles
                    if a.input_ref.startswith(ref) or (ref == "-" and a.input_ref == "<stdin>")]
    assert from_hostile == list(expected.stored)
    assert sorted(a.title for a in articles) == sorted(
        GOOD_TITLES + [title for title, _ in expected.stored])


def test_default_size_limit_is_100_megabytes_in_settings_and_sources() -> None:
    assert (Settings().max_bytes, SourceOptions().max_bytes) == (100_000_000, 100_000_000)


def test_gzip_bomb_is_a_valid_gzip_stream_of_200_mebibytes(gzip_bomb: bytes) -> None:
    decompressor = zlib.decompressobj(wbits=31)
    size = 0
    pending = gzip_bomb
    while pending:
        size += len(decompressor.decompress(pending, 16 * MIB))
        pending = decompressor.unconsumed_tail
    assert (size, decompressor.eof, len(gzip_bomb) < 250_000) == (200 * MIB, True, True)


def test_a_reader_bug_is_recorded_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pipeline: Pipeline,
) -> None:
    from babelwire.sources import reader

    def broken(*args: object, **kwargs: object) -> Iterator[object]:
        raise KeyError("entries")
        yield  # a generator, as the real reader is

    monkeypatch.setattr(reader.feed, "read_feed", broken)
    (tmp_path / "good-1.txt").write_text(GOOD_ONE, encoding="utf-8")
    (tmp_path / "feed.rss").write_text(f'<rss version="2.0"><channel>{FEED_ITEM}</channel></rss>',
                                       encoding="utf-8")
    (tmp_path / "good-2.txt").write_text(GOOD_TWO, encoding="utf-8")
    ref = str(tmp_path / "feed.rss")
    with Database(memory=True) as db:
        report = make_ingestor(RECORD, db, pipeline=pipeline).ingest(
            [str(tmp_path / "good-1.txt"), ref, str(tmp_path / "good-2.txt")])
        titles = sorted(a.title for a in db.iter_articles())
    assert [(f.stage, f.error, f.message) for f in report.failures] == [
        ("ingest", "KeyError", f"{ref}: reading stopped on an unexpected KeyError: 'entries';"
         " this is a babelwire bug, please report it with the input")]
    assert titles == GOOD_TITLES
