"""Ingest one hostile input between two good articles and measure what it cost.

Every hostile case goes through the real ingest path (`make_ingestor` over a
SQLite file in the test's folder) as the batch [good, hostile, good], so a case
proves three things at once: the exact failure recorded (or the article kept),
that both good articles were stored, and that peak memory stayed bounded.

Peak memory is what the batch added to the process: the resident high-water mark
(``VmHWM``), reset through ``/proc/self/clear_refs`` when the batch begins, minus
the resident size then (an xdist worker that ran the NER and encoder tests already
holds ~1 GB). Where /proc is missing the lifetime maximum from ``getrusage`` is
used, which can only overstate. Tests assert a generous bound (`MAX_PEAK_RSS_MB`)
and record the figure for docs/RELIABILITY.md; time is guarded by pytest-timeout
as a hang catcher only.
"""

from __future__ import annotations

import http.server
import json
import resource
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from babelwire import Article, Database, Pipeline, Settings
from babelwire.assembly import make_ingestor
from babelwire.settings import LIGHT_STAGES

MAX_PEAK_RSS_MB = 1024
"""Resident memory one batch may add; inputs here are at most ~100 MB."""

BODY = "The harbour authority reopened the port on Friday after the storm had passed."
FERRY = "The ferry company said crossings would resume on Saturday morning."
STORM = "A storm hit the coast on Monday and cut power to thousands of homes in the region."
GOOD_ONE = ("Council approves school budget\n\nThe city council approved the new school budget"
            " on Tuesday after a long debate about teachers' pay and building repairs.\n")
GOOD_TWO = ("Rail strike called off\n\nThe rail union called off next week's strike after the"
            " operator improved its pay offer to drivers and conductors on Wednesday.\n")
GOOD_TITLES = ["Council approves school budget", "Rail strike called off"]
BINARY = ("{ref}: looks like a binary file, not text (NUL or control bytes); babelwire reads"
          " text, HTML, JSONL, feeds and WARC")
RECORD = Settings(stages=LIGHT_STAGES, error_policy="record")
SMALL_LIMIT = Settings(stages=LIGHT_STAGES, max_bytes=1_000_000, error_policy="record")
MIB = 1 << 20


@dataclass
class Loopback:
    """A loopback HTTP server that answers 200 to everything and counts the requests."""

    base: str
    hits: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Env:
    """What builders may use: a scratch folder and the counting loopback server."""

    tmp: Path
    loopback: Loopback


Builder = Callable[[Env], str]  # writes the hostile input, returns its reference
Check = Callable[[list[Article]], None]  # extra assertions on the hostile input's articles


@dataclass(frozen=True)
class Case:
    """One hostile input and exactly what the batch keeps of it ("{ref}" is its reference)."""

    name: str
    build: Builder
    failures: tuple[tuple[str, str, str], ...] = ()  # (stage, error class, message)
    stored: tuple[tuple[str, str], ...] = ()  # (title, text), in ingestion order
    settings: Settings = RECORD
    duplicates: int = 0  # articles of the input that repeat an earlier one of it
    check: Check | None = None
    marks: tuple[Any, ...] = ()

    def param(self) -> Any:
        return pytest.param(self, id=self.name, marks=self.marks)


def failed(name: str, build: Builder, stage: str, error: str, message: str, **more: Any) -> Case:
    return Case(name, build, ((stage, error, message),), **more)


def kept(name: str, build: Builder, title: str, text: str, **more: Any) -> Case:
    return Case(name, build, stored=((title, text),), **more)


def file(name: str, data: bytes | Callable[[], bytes]) -> Builder:
    """A builder writing ``data`` (or what a function makes, at test time) to ``name``."""

    def build(env: Env) -> str:
        (env.tmp / name).write_bytes(data() if callable(data) else data)
        return str(env.tmp / name)

    return build


def jsonl(*records: object) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def rss(items: str, *, prolog: str = '<?xml version="1.0"?>') -> bytes:
    return (f'{prolog}<rss version="2.0"><channel><title>F</title>{items}</channel>'
            "</rss>").encode()


def item(*, link: str = "", date: str = "", description: str = STORM,
         title: str = "Storm hits coast") -> str:
    link_tag = f"<link>{link}</link>" if link else ""
    date_tag = f"<pubDate>{date}</pubDate>" if date else ""
    return (f"<item><title>{title}</title>{link_tag}{date_tag}<description>{description}"
            "</description></item>")


def page(body: str, *, head: str = "") -> bytes:
    return (f"<html><head>{head}</head><body><article><p>{body}</p></article></body>"
            "</html>").encode()


@dataclass(frozen=True)
class Outcome:
    """What one batch did: the hostile input's failures and articles, and its cost."""

    failures: list[tuple[str, str, str]]
    recorded: list[tuple[str, str, str]]  # the same, as read back from the store
    hostile: list[Article]
    all_titles: list[str]
    peak_rss_mb: float  # above the resident size when the batch began
    connections: list[Any]
    duplicates: int  # exact and near duplicates the report counted


def ingest_between_goods(env: Env, ref: str, settings: Settings, pipeline: Pipeline,
                         *, stdin: bytes | None = None) -> Outcome:
    """Ingest [good, ``ref``, good] into a store file in ``env.tmp``; count connections."""
    (env.tmp / "good-1.txt").write_text(GOOD_ONE, encoding="utf-8")
    (env.tmp / "good-2.txt").write_text(GOOD_TWO, encoding="utf-8")
    batch = [str(env.tmp / "good-1.txt"), ref, str(env.tmp / "good-2.txt")]
    with Database(env.tmp / "store.db") as db, _connections() as connections:
        baseline = _reset_peak_rss_mb()
        report = make_ingestor(settings, db, pipeline=pipeline).ingest(
            batch, stdin=BytesIO(stdin) if stdin is not None else None)
        peak = _rss_mb("VmHWM") - baseline
        articles = list(db.iter_articles())
        recorded = [(f.stage, f.error, f.message) for f in reversed(db.failures())]
    return Outcome(
        failures=[(f.stage, f.error, f.message) for f in report.failures],
        recorded=recorded,
        hostile=[a for a in articles if a.input_ref.startswith(ref)],
        all_titles=sorted(a.title for a in articles),
        peak_rss_mb=peak, connections=connections,
        duplicates=report.duplicates + report.near_duplicates)


def assert_case(case: Case, outcome: Outcome, ref: str) -> None:
    """The exact failures and articles of ``case``, the good articles, bounded memory."""
    assert outcome.failures == [(stage, error, message.replace("{ref}", ref))
                                for stage, error, message in case.failures]
    assert outcome.recorded == outcome.failures
    assert [(a.title, a.text) for a in outcome.hostile] == list(case.stored)
    assert outcome.all_titles == sorted(GOOD_TITLES + [t for t, _ in case.stored])
    assert outcome.duplicates == case.duplicates
    assert outcome.connections == []  # nothing in a local file makes babelwire connect
    assert outcome.peak_rss_mb < MAX_PEAK_RSS_MB
    if case.check is not None:
        case.check(outcome.hostile)


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    """A loopback server for one test; every request it gets is a hostile input obeyed."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Loopback(f"http://127.0.0.1:{server.server_address[1]}", hits)
    server.shutdown()
    server.server_close()
    thread.join()


class _connections:  # noqa: N801 - used as a context manager, reads as one
    """Records every socket connect attempted inside the block (and lets none through)."""

    def __enter__(self) -> list[Any]:
        self.seen: list[Any] = []
        self.real = socket.socket.connect

        def refuse(sock: socket.socket, address: Any) -> None:
            self.seen.append(address)
            raise OSError(f"hostile-input test: connection to {address!r} attempted")

        socket.socket.connect = refuse  # type: ignore[method-assign, assignment]
        return self.seen

    def __exit__(self, *exc: object) -> None:
        socket.socket.connect = self.real  # type: ignore[method-assign]


def _reset_peak_rss_mb() -> float:
    """Reset the high-water mark to the current resident size, and return that size.

    Where that cannot be done (not Linux, not allowed) the baseline is 0 and the
    lifetime maximum is read instead, which can only overstate the batch's cost.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return 0.0
    return _rss_mb("VmRSS")


def _rss_mb(field: str) -> float:
    """``VmRSS`` or ``VmHWM`` of this process in MB; getrusage's maximum without /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(case: Case, env: Env, pipeline: Pipeline,
             record_property: Callable[[str, object], None]) -> Outcome:
    """Build, ingest and check one case; record its peak memory for docs/RELIABILITY.md.

    No case may make the reader fetch anything: links inside hostile inputs point at the
    test's loopback server, which counts every request.
    """
    ref = case.build(env)
    outcome = ingest_between_goods(env, ref, case.settings, pipeline)
    record_property("figure:batch peak RSS added MB", round(outcome.peak_rss_mb, 1))
    assert_case(case, outcome, ref)
    assert env.loopback.hits == []
    return outcome
