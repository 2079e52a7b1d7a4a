"""Hostile markup: deep, truncated and malformed HTML, XML and WARC; entity attacks.

Decisions the cases pin (beyond tests/test_hostile_inputs.py):
- Nesting deeper than libxml2's limit yields no text: the page fails the clean stage
  with NoMainText, fast, wherever the HTML came from (a file, a feed entry, a JSONL
  html field, a WARC record). Deep XML in the feed itself is parsed (expat has no
  depth limit) and the entry kept.
- Entity declarations are refused however the prolog names the encoding: the text is
  decoded already, so the XML declaration is rewritten to UTF-8 before the check
  (a declared UTF-16 made the check fail as malformed and let feedparser expand).
- A prolog so broken that no XML parser reads it goes to feedparser's loose parser,
  which expands no declared entity: the reference stays as written ("&lol9;").
- External DTDs, XInclude and SYSTEM entities in HTML are never loaded: nothing
  reads the file or connects (the harness fails the case on any connect).
- A feed file whose content is only a URL or a path is parsed as (broken) XML:
  feedparser, given a string, fetched URLs with urllib and opened local files
  (fixed by giving it a stream; found by scripts/fuzz_feed.py).
- A WARC record whose header cannot be read ends the file; the records before it
  are kept and the failure names the record.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable

import pytest

from babelwire import Article, Pipeline

from .batch import (
    BINARY,
    BODY,
    MIB,
    SMALL_LIMIT,
    STORM,
    Case,
    Env,
    failed,
    file,
    item,
    jsonl,
    kept,
    page,
    rss,
    run_case,
)

pytestmark = [pytest.mark.reliability("hostile input"), pytest.mark.timeout(600)]

DEEP = 100_000
ENTITIES = ("{ref}: feed refused: it declares XML entities or external references"
            " (EntitiesForbidden), the shape of an entity-expansion attack")
NOT_XML = "{{ref}}: feed has no entries (<unknown>:2:{column}: not well-formed (invalid token))"
PAGE = page(BODY, head="<title>Harbour reopens</title>")
PORT = PAGE.replace(b"Harbour", b"Port")


def no_main_text(chars: int, ref: str = "{ref}") -> str:
    return (f"{ref}: clean stage: no article text found in {chars:,} characters of HTML"
            " (trafilatura and its baseline found fewer than 5 words)")


def laughs(levels: int = 9) -> str:
    return ('<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels + 1)))


def laughs_feed(prolog: str) -> bytes:
    return (f'{prolog}<!DOCTYPE rss [{laughs()}]><rss version="2.0"><channel><item>'
            f"<title>&lol9;</title><description>{STORM}</description></item></channel>"
            "</rss>").encode()


def deep_divs(inner: str) -> str:
    return "<div>" * DEEP + inner + "</div>" * DEEP


def warc_record(number: int, target: str, body: bytes, *, content_type: str = "text/html",
                date: str = "2024-05-01T10:00:00Z", length: str | None = None,
                http: bytes | None = None) -> bytes:
    """One WARC response record, written by hand (``length`` overrides Content-Length)."""
    block = http if http is not None else (
        f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}"
        "\r\n\r\n").encode() + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {target}\r\n"
            f"WARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-"
            f"{number:012d}>\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {length if length is not None else len(block)}\r\n\r\n").encode()
    return head + block + b"\r\n\r\n"


GOOD_RECORD = warc_record(1, "https://news.example/harbour", PAGE)
HARBOUR = ("Harbour reopens", BODY)


def fetched_at_is_none(articles: list[Article]) -> None:
    assert [a.fetched_at for a in articles] == [None]


def url_is(expected: str) -> Callable[[list[Article]], None]:
    def check(articles: list[Article]) -> None:
        assert [a.url for a in articles] == [expected]

    return check


def nothing_from_passwd(articles: list[Article]) -> None:
    assert not any("root:" in a.text or "root:" in a.title for a in articles)


def dtd_server_not_asked(env: Env) -> str:
    """A feed whose parameter entity names a DTD on the loopback server."""
    (env.tmp / "remote-dtd.rss").write_bytes(rss(item(), prolog=(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % dtd SYSTEM "{env.loopback.base}'
        '/evil.dtd"> %dtd;]>')))
    return str(env.tmp / "remote-dtd.rss")


def feed_file_holding(content: Callable[[Env], str]) -> Callable[[Env], str]:
    """A .rss file whose whole content is a URL or a path (feedparser would follow it)."""

    def build(env: Env) -> str:
        other = env.tmp / "other-feed.rss"
        other.write_bytes(rss(item(title="Read through a pointer")))
        (env.tmp / "pointer.rss").write_text(content(env), encoding="utf-8")
        return str(env.tmp / "pointer.rss")

    return build


CASES: list[Case] = [
    # -- deep nesting -------------------------------------------------------------------
    kept("100,000 nested elements inside a feed item", file("deep.rss", rss(
        "<item><title>Deep</title><description>" + "<a>" * DEEP + STORM + "</a>" * DEEP
        + "</description></item>")), "Deep", STORM),
    failed("100,000 nested divs in a feed entry", file("deep-entry.rss", rss(item(
        description=f"<![CDATA[{deep_divs(STORM)}]]>"))), "clean", "NoMainText",
        no_main_text(1_100_127, "{ref}#entry=1")),
    failed("100,000 unclosed b tags", file("unclosed.html", (
        "<html><body><p>" + "<b>" * DEEP + BODY).encode()), "clean", "NoMainText",
        no_main_text(300_092)),
    failed("100,000 nested divs in a JSONL html field", file("deep.jsonl", jsonl(
        {"title": "Harbour reopens", "html": "<div>" * DEEP + BODY})), "clean", "NoMainText",
        no_main_text(500_077, "{ref}#line=1")),
    failed("100,000 nested divs in a WARC record", file("deep.warc", warc_record(
        1, "https://news.example/deep", b"<html><body>" + b"<div>" * DEEP + BODY.encode())),
        "clean", "NoMainText", no_main_text(500_089, "{ref}#record=1")),
    # -- truncated and malformed ----------------------------------------------------------
    kept("HTML cut off inside an attribute", file("cut.html", (
        f'<html><body><article><p>{BODY}</p><p>{STORM} Then <a href="http://x').encode()),
        "", f"{BODY}\n{STORM} Then"),
    kept("HTML cut off inside a comment", file("cut-comment.html", (
        f"<html><body><article><p>{BODY}</p><!-- {STORM}").encode()), "", BODY),
    Case("feed cut off inside CDATA", file("cut.rss", rss(item()).removesuffix(
        b"</channel></rss>") + b"<item><title>Half</title><description><![CDATA[half"),
        (("ingest", "ParseError", "{ref}#entry=2: feed entry has neither content nor"
          " summary"),), (("Storm hits coast", STORM),)),
    kept("control characters that XML forbids", file("controls.rss", rss(item(
        description=STORM + "\x01\x02\x1b"))), "Storm hits coast", STORM),
    Case("Atom feed cut off inside an entry tag", file("broken.atom", (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>'
        f"<entry><title>Storm hits coast</title><summary>{STORM}</summary></entry>"
        "<entry><title>x</title></entr").encode()),
        (("ingest", "ParseError", "{ref}#entry=2: feed entry has neither content nor"
          " summary"),), (("Storm hits coast", STORM),)),
    # -- entities, DTDs, XInclude ---------------------------------------------------------
    failed("parameter entity naming a remote DTD", dtd_server_not_asked, "ingest",
           "ParseError", ENTITIES),
    kept("external DTD on file:///etc/passwd is not loaded", file("dtd.rss", rss(
        item(), prolog='<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd">')),
        "Storm hits coast", STORM, check=nothing_from_passwd),
    failed("quadratic blowup (one 100 KB entity used 10,000 times)", file("quadratic.rss", rss(
        item(description="&a;" * 10_000),
        prolog='<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + "x" * 100_000 + '">]>')),
        "ingest", "ParseError", ENTITIES),
    failed("billion laughs declaring UTF-16", file("laughs16.rss", laughs_feed(
        '<?xml version="1.0" encoding="UTF-16"?>')), "ingest", "ParseError", ENTITIES),
    failed("billion laughs declaring an unknown encoding", file("laughs-bogus.rss", laughs_feed(
        '<?xml version="1.0" encoding="x-bogus"?>')), "ingest", "ParseError", ENTITIES),
    failed("billion laughs in UTF-16 with its BOM", file("laughs-bom.rss", b"\xff\xfe" + (
        laughs_feed('<?xml version="1.0" encoding="UTF-16"?>').decode().encode("utf-16-le"))),
        "ingest", "ParseError", ENTITIES),
    kept("billion laughs behind a prolog no parser reads", file("laughs-junk.rss", laughs_feed(
        '<?xml version="1.0"?><?xml version="1.0"?>')), "&lol9;", STORM),
    failed("XXE in an Atom feed", file("xxe.atom", (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&x;</title><summary>s'
        b"</summary></entry></feed>")), "ingest", "ParseError", ENTITIES),
    kept("XInclude of file:///etc/passwd is not processed", file("xinclude.rss", rss(item(
        description='<xi:include xmlns:xi="http://www.w3.org/2001/XInclude"'
                    ' href="file:///etc/passwd" parse="text"/>' + STORM))),
        "Storm hits coast", STORM, check=nothing_from_passwd),
    kept("SYSTEM entity in an HTML doctype stays text", file("entity.html", (
        f'<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body><article>'
        f"<p>{BODY} &x;</p></article></body></html>").encode()), "", f"{BODY} &x;",
        check=nothing_from_passwd),
    kept("UTF-16 feed with its BOM and declaration is read", file("utf16.rss", b"\xff\xfe" + (
        rss(item(title="Tempête sur la côte"), prolog='<?xml version="1.0" encoding="UTF-16"?>')
        .decode().encode("utf-16-le"))), "Tempête sur la côte", STORM),
    # -- feeds that are only a pointer: never followed (found by scripts/fuzz_feed.py) -----
    failed("feed file holding only a loopback URL", feed_file_holding(
        lambda env: f"{env.loopback.base}/feed.rss"), "ingest", "ParseError",
        NOT_XML.format(column=5)),
    failed("feed file holding only file:///etc/passwd", feed_file_holding(
        lambda env: "file:///etc/passwd"), "ingest", "ParseError",
        NOT_XML.format(column=5)),
    failed("feed file holding only the path of another feed", feed_file_holding(
        lambda env: str(env.tmp / "other-feed.rss")), "ingest", "ParseError",
        NOT_XML.format(column=0)),
    failed("feed starting with a processing instruction naming a NUL encoding", file(
        "nul-encoding.rss", b'<?feed encoding="utf\x00-8"?>' + rss(item()).split(b"?>", 1)[1]),
        "ingest", "ParseError", "{ref}: feedparser cannot read this feed (ValueError: embedded"
        " null character)"),
    # -- WARC -------------------------------------------------------------------------
    Case("WARC record with a non-numeric Content-Length", file("length.warc", (
        GOOD_RECORD + warc_record(2, "https://news.example/port", PORT, length="abc"))),
        (("ingest", "ParseError", "{ref}#record=3: record header cannot be read (Invalid WARC"
          " record, first line: Content-Type: text/html); 2 record(s) before it were read, the"
          " rest of the file is skipped"),), (HARBOUR,)),
    Case("WARC with garbage between records", file("garbage.warc", (
        GOOD_RECORD + b"GARBAGE GARBAGE\r\n\r\n" + warc_record(2, "https://news.example/port",
                                                               PORT))),
        (("ingest", "ParseError", "{ref}#record=2: record header cannot be read (Invalid WARC"
          " record, first line: GARBAGE GARBAGE); 1 record(s) before it were read, the rest of"
          " the file is skipped"),), (HARBOUR,)),
    Case("WARC ending in a header without a target", file("header.warc", (
        GOOD_RECORD + b"WARC/1.0\r\nWARC-Type: response\r\n")),
        (("ingest", "ParseError", "{ref}#record=2: record header cannot be read"
          " (AttributeError: 'NoneType' object has no attribute 'startswith'); 1 record(s)"
          " before it were read, the rest of the file is skipped"),), (HARBOUR,)),
    Case("WARC record claiming a petabyte", file("huge.warc", (
        GOOD_RECORD + warc_record(2, "https://news.example/port", PORT, length=str(10**15)))),
        (("ingest", "ParseError", "{ref}#record=2: record is cut off (999,999,999,999,762 of"
          " its 1,000,000,000,000,000 bytes are missing); re-download the WARC file"),),
        (HARBOUR,)),
    failed("gzipped WARC cut off", file("cut.warc.gz", gzip.compress(
        GOOD_RECORD + warc_record(2, "https://news.example/port", PORT))[:-30]),
        "ingest", "ParseError", "{ref}: gzip data is truncated (ends inside a compressed"
        " stream); re-download the file"),
    failed("WARC of an unknown version", file("v9.warc", GOOD_RECORD.replace(
        b"WARC/1.0", b"WARC/9.9")), "ingest", "ParseError", "{ref}: not a readable WARC file"
        " (Unknown archive format, first line: ['WARC/9.9'])"),
    kept("WARC date that is no date", file("date.warc", warc_record(
        1, "https://news.example/harbour", PAGE, date="not a date")), *HARBOUR,
        check=fetched_at_is_none),
    kept("WARC date in year 0 once in UTC", file("year0.warc", warc_record(
        1, "https://news.example/harbour", PAGE, date="0001-01-01T00:00:00+14:00")), *HARBOUR,
        check=fetched_at_is_none),
    failed("WARC record for a file:// target", file("file.warc", warc_record(
        1, "file:///etc/passwd", PAGE)), "ingest", "ParseError",
        "{ref}: WARC file holds no HTML response records"),
    kept("WARC target URI of 100,000 characters", file("long-uri.warc", warc_record(
        1, "https://news.example/" + "a" * 100_000, PAGE)), *HARBOUR,
        check=url_is("https://news.example/" + "a" * 100_000)),
    failed("WARC body that is a gzip bomb", file("bomb.warc", warc_record(
        1, "https://news.example/bomb", b"", http=(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
            + gzip.compress(bytes(50 * MIB))))), "ingest", "InputTooLarge",
        "{ref}#record=1: input is larger than the 1,000,000-byte limit (ingest.max_bytes);"
        " split it or raise the limit with --set ingest.max_bytes=N", settings=SMALL_LIMIT),
    failed("WARC body of NUL bytes", file("nul.warc", warc_record(
        1, "https://news.example/nul", bytes(5000))), "ingest", "ParseError",
        BINARY.replace("{ref}", "{ref}#record=1")),
]


@pytest.mark.parametrize("case", [case.param() for case in CASES])
def test_hostile_markup_is_recorded_exactly_and_the_batch_is_stored(
    case: Case, env: Env, pipeline: Pipeline, record_property: Callable[[str, object], None],
) -> None:
    run_case(case, env, pipeline, record_property)


def test_the_markup_corpus_has_distinct_names() -> None:
    names = [case.name for case in CASES]
    assert len(set(names)) == len(names)
