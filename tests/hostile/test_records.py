"""Hostile records: broken JSON Lines, odd and duplicate ids, impossible dates, and
links to file://, ftp://, private and link-local addresses.

Decisions the cases pin (beyond tests/test_hostile_inputs.py):
- An id is kept exactly or its record is refused: one with control characters or
  lone surrogates (SQLite cannot store those; one crashed the whole batch) or one
  that is not a string or an integer. Url, source and licence are made safe.
- The same id with the same content is a duplicate (counted, not a failure), within
  a file and across the files of a batch.
- Dates outside years 2-9998, or out of range once in UTC, are no date (None), as
  are impossible days, leap seconds, offsets past 24 h, and RFC 822 dates whose
  four-digit year email.utils would widen (0001 -> 2001).
- Item links are never fetched. Only http(s) and relative links become an article's
  url; another scheme (file:, ftp:, javascript:, gopher:) is dropped and the drop
  recorded as RefusedLink, the article stored. Links to private, loopback and
  link-local hosts are kept as addresses: nothing connects to them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from babelwire import Article, Pipeline

from .batch import (
    BODY,
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

HARBOUR = {"title": "Harbour reopens", "text": BODY}
# In no other case, so that in one batch of all cases (test_cli_batch) neither is a duplicate.
QUAY = {"title": "Quay works begin", "text": "Work on the new quay began on Monday."}
QUAY_STORED = (QUAY["title"], QUAY["text"])
ISLANDS = "Ferries to the islands resumed on Sunday."


def with_date(value: object) -> bytes:
    return jsonl({**HARBOUR, "date": value})


def published(expected: datetime | None) -> Callable[[list[Article]], None]:
    def check(articles: list[Article]) -> None:
        assert [a.published_at for a in articles] == [expected]

    return check


def ids(*expected: str) -> Callable[[list[Article]], None]:
    def check(articles: list[Article]) -> None:
        assert [a.id for a in articles] == list(expected)

    return check


def fields(**expected: object) -> Callable[[list[Article]], None]:
    def check(articles: list[Article]) -> None:
        assert [{k: getattr(a, k) for k in expected} for a in articles] == [expected]

    return check


def date_case(raw: object, expected: datetime | None) -> Case:
    return kept(f"JSONL date {raw!r}", file("dated.jsonl", with_date(raw)), "Harbour reopens",
                BODY, check=published(expected))


def two_files(first: bytes, second: bytes) -> Callable[[Env], str]:
    """A folder of two JSONL files read in name order: one batch input."""

    def build(env: Env) -> str:
        folder = env.tmp / "dumps"
        folder.mkdir()
        (folder / "a.jsonl").write_bytes(first)
        (folder / "b.jsonl").write_bytes(second)
        return str(folder)

    return build


def refused_link(link: str, ref: str = "{ref}#entry=1") -> tuple[str, str, str]:
    scheme = link.split(":")[0].lower()
    return ("ingest", "RefusedLink", f"{ref}: ingest stage: link {link!r} uses the {scheme}:"
            " scheme, not http(s); the article is stored without a link")


def feed_link(link: str) -> Case:
    """A feed item pointing at ``link``: stored (with or without it), never fetched."""
    scheme = link.split(":")[0]
    build = file("links.rss", rss(item(link=link)))
    if scheme in ("http", "https"):
        return kept(f"feed item linking to {link}", build, "Storm hits coast", STORM,
                    check=fields(url=link))
    shown = link.replace("file:///", "file://")  # feedparser drops the empty host
    return Case(f"feed item linking to {link}", build, (refused_link(shown),),
                (("Storm hits coast", STORM),), check=fields(url=None))


def loopback_link(env: Env) -> str:
    """A feed whose item link and image point at the live loopback server."""
    (env.tmp / "loopback.rss").write_bytes(rss(item(link=f"{env.loopback.base}/admin",
                                                    description=(
        f'<![CDATA[<img src="{env.loopback.base}/pixel.gif"><p>{STORM}</p>]]>'))))
    return str(env.tmp / "loopback.rss")


UTC_PLUS_2 = timezone(timedelta(hours=2))
CASES: list[Case] = [
    # -- broken JSON Lines --------------------------------------------------------------
    Case("JSONL cut off inside its last line", file("cut.jsonl", jsonl(HARBOUR)
                                                    + b'{"title": "Ferr'),
         (("ingest", "ParseError", "{ref}#line=2: invalid JSON (Unterminated string starting"
           " at: column 11)"),), (("Harbour reopens", BODY),)),
    kept("JSONL with a BOM and CRLF line ends", file("crlf.jsonl", b"\xef\xbb\xbf" + jsonl(
        HARBOUR).replace(b"\n", b"\r\n")), "Harbour reopens", BODY),
    Case("JSON lines that are null, a number and a string", file("scalars.jsonl", (
        b'null\n42\n"text"\n' + jsonl(HARBOUR))),
         (("ingest", "ParseError", "{ref}#line=1: expected a JSON object per line, got"
           " NoneType"),
          ("ingest", "ParseError", "{ref}#line=2: expected a JSON object per line, got int"),
          ("ingest", "ParseError", "{ref}#line=3: expected a JSON object per line, got str")),
         (("Harbour reopens", BODY),)),
    kept("JSON NaN and Infinity", file("nan.jsonl", (
        f'{{"title": "Harbour reopens", "text": "{BODY}", "score": NaN, "x": -Infinity}}\n')
        .encode()), "Harbour reopens", BODY),
    kept("JSON object repeating a key (the last wins)", file("keys.jsonl", (
        f'{{"title": "First", "title": "Harbour reopens", "text": "{BODY}"}}\n').encode()),
        "Harbour reopens", BODY),
    kept("JSON object of 200,000 keys", file("keys.jsonl", (
        "{" + ",".join(f'"k{i}": {i}' for i in range(200_000))
        + f', "title": "Harbour reopens", "text": "{BODY}"}}\n').encode()),
        "Harbour reopens", BODY),
    kept("JSON text of 10 MB on one line", file("long.jsonl", jsonl(
        {"title": "Harbour reopens", "text": " ".join([BODY] * 130_000)})),
        "Harbour reopens", " ".join([BODY] * 130_000)),
    # -- ids ----------------------------------------------------------------------------
    failed("id that is an object", file("id-object.jsonl", jsonl({**HARBOUR, "id": {"a": 1}})),
           "ingest", "ParseError", "{ref}#line=1: id must be a string or an integer, got dict"),
    failed("id that is true", file("id-bool.jsonl", jsonl({**HARBOUR, "id": True})),
           "ingest", "ParseError", "{ref}#line=1: id must be a string or an integer, got bool"),
    failed("id holding a lone surrogate", file("id-surrogate.jsonl", jsonl(
        {**HARBOUR, "id": "a\ud800b"})), "ingest", "ParseError", "{ref}#line=1: id"
        " 'a\\ud800b' holds control characters or lone surrogates; give the record a"
        " plain-text id (or drop the id field to use a hash)"),
    failed("id holding a NUL", file("id-nul.jsonl", jsonl({**HARBOUR, "id": "a\x00b"})),
           "ingest", "ParseError", "{ref}#line=1: id 'a\\x00b' holds control characters or"
           " lone surrogates; give the record a plain-text id (or drop the id field to use a"
           " hash)"),
    kept("integer id", file("id-int.jsonl", jsonl({**HARBOUR, "id": 7})), "Harbour reopens",
         BODY, check=ids("7")),
    kept("id of 100,000 characters", file("id-long.jsonl", jsonl({**HARBOUR, "id": "x" * 100_000})),
         "Harbour reopens", BODY, check=ids("x" * 100_000)),
    kept("the same id and content twice is one article", file("twice.jsonl", jsonl(
        {**HARBOUR, "id": "a1"}, {**HARBOUR, "id": "a1"})), "Harbour reopens", BODY,
        check=ids("a1"), duplicates=1),
    kept("the same content twice without ids is one article", file("twice-noid.jsonl", jsonl(
        HARBOUR, HARBOUR)), "Harbour reopens", BODY, duplicates=1),
    Case("one id for other content in another file of the batch", two_files(
        jsonl({"id": "b2", **QUAY}), jsonl({"id": "b2", "title": "Ferries resume",
                                            "text": ISLANDS})),
         (("store", "StorageError", "{ref}/b.jsonl#line=1: article id 'b2' is already stored"
           " with different content; give the changed article its own id (or drop the id"
           " field to use a hash)"),), (QUAY_STORED,)),
    kept("the same id and content in two files of the batch", two_files(
        jsonl({**HARBOUR, "id": "a1"}), jsonl({**HARBOUR, "id": "a1"})), "Harbour reopens",
        BODY, check=ids("a1"), duplicates=1),
    kept("url, source and licence holding surrogates and NULs", file("fields.jsonl", jsonl(
        {**HARBOUR, "url": "https://news.example/\udc80a\x00", "source": "wire\ud800",
         "licence": "CC\x00-BY"})), "Harbour reopens", BODY,
        check=fields(url="https://news.example/a", source="wire", licence="CC-BY")),
    # -- dates --------------------------------------------------------------------------
    date_case("0001-01-01T00:00:00+14:00", None),
    date_case("9999-12-31T23:59:59-14:00", None),
    date_case("0001-01-01", None),
    date_case("9999-12-31", None),
    date_case("-0044-03-15", None),
    date_case("99999-01-01", None),
    date_case("yesterday", None),
    date_case("2024-02-30", None),
    date_case("2016-12-31T23:59:60Z", None),
    date_case("2024-05-01T10:00:00+99:99", None),
    date_case("Fri, 31 Dec 9999 23:59:59 -1400", None),
    date_case("Mon, 01 Jan 0001 00:00:00 +0100", None),
    date_case("Mon, 06 May 2024 1999999999999999990:00:00 GMT", None),  # hour past a C int
    date_case("1e309", None),
    date_case("\x00", None),
    date_case(10**20, None),
    date_case("0002-01-01", datetime(2, 1, 1, tzinfo=UTC)),
    date_case("9998-12-31T23:59:59Z", datetime(9998, 12, 31, 23, 59, 59, tzinfo=UTC)),
    date_case("Thu, 01 Jan 1970 00:00:00 GMT", datetime(1970, 1, 1, tzinfo=UTC)),
    date_case("Wed, 31 Dec 1969 23:59:59 +0000", datetime(1969, 12, 31, 23, 59, 59,
                                                          tzinfo=UTC)),
    date_case("2024-05-01T12:00:00.123456+02:00", datetime(2024, 5, 1, 12, 0, 0, 123456,
                                                           tzinfo=UTC_PLUS_2)),
    kept("feed date in year 9999 at -14:00", file("future.rss", rss(item(
        date="Fri, 31 Dec 9999 23:59:59 -1400"))), "Storm hits coast", STORM,
        check=published(None)),
    kept("feed date that is no date", file("nodate.rss", rss(item(
        date="the day after tomorrow"))), "Storm hits coast", STORM, check=published(None)),
    # -- links that must not be fetched ---------------------------------------------------
    *[feed_link(link) for link in (
        "file:///etc/passwd", "ftp://ftp.example/pub/story.txt", "javascript:alert(1)",
        "gopher://127.0.0.1:25/", "http://10.0.0.1/", "http://192.168.1.1/admin",
        "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/",
        "http://[::1]:9/", "http://localhost:2375/containers/json")],
    kept("feed item linking to the live loopback server", loopback_link, "Storm hits coast",
         STORM),
    Case("Atom xml:base turning a relative link into file://", file("base.atom", (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"'
        ' xml:base="file:///etc/"><title>F</title><entry><title>Storm hits coast</title>'
        f'<link href="passwd"/><summary>{STORM}</summary></entry></feed>').encode()),
         (refused_link("file://etc/passwd"),), (("Storm hits coast", STORM),)),
    kept("feed entry embedding file:// and metadata-address media", file("media.rss", rss(item(
        description='<![CDATA[<img src="file:///etc/passwd"><iframe'
                    f' src="http://169.254.169.254/"></iframe><p>{STORM}</p>]]>'))),
        "Storm hits coast", STORM),
    kept("page with a meta refresh to file:// and a private stylesheet", file("refresh.html", page(
        BODY, head='<meta http-equiv="refresh" content="0;url=file:///etc/passwd">'
                   '<link rel="stylesheet" href="http://10.0.0.1/x.css">')), "", BODY),
    Case("JSONL url with the javascript: scheme", file("js.jsonl", jsonl(
        {**HARBOUR, "url": "JavaScript:alert(document.cookie)"})),
         (refused_link("JavaScript:alert(document.cookie)", "{ref}#line=1"),),
         (("Harbour reopens", BODY),), check=fields(url=None)),
    kept("relative JSONL url is kept", file("relative.jsonl", jsonl(
        {**HARBOUR, "url": "/news/harbour"})), "Harbour reopens", BODY,
        check=fields(url="/news/harbour")),
]


@pytest.mark.parametrize("case", [case.param() for case in CASES])
def test_hostile_records_are_recorded_exactly_and_the_batch_is_stored(
    case: Case, env: Env, pipeline: Pipeline, record_property: Callable[[str, object], None],
) -> None:
    run_case(case, env, pipeline, record_property)


def test_the_record_corpus_has_distinct_names() -> None:
    names = [case.name for case in CASES]
    assert len(set(names)) == len(names)
