"""Fetcher safety (SSRF): only public addresses, checked after DNS and on every redirect.

A loopback HTTP server plays the hostile web (redirects to private addresses
and to file://, a slow drip, oversize bodies, a gzip bomb); names resolving to
private or metadata addresses come from a monkeypatched ``socket.getaddrinfo``.
The autouse ``no_network`` fixture still guards every connect: a refusal that
failed would show up as "test tried to reach the network", never as traffic.
"""

from __future__ import annotations

import gzip
import http.server
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from click.testing import CliRunner

from babelwire import Database, Settings
from babelwire.assembly import make_ingestor
from babelwire.cli import cli
from babelwire.errors import ConfigError, FetchError, FetchRefused, InputTooLarge
from babelwire.settings import LIGHT_STAGES, load_settings
from babelwire.sources import SourceOptions, read_input
from babelwire.sources.address_policy import AddressPolicy
from babelwire.sources.fetch import ALLOW_HINT, fetch_url, pinned_request

pytestmark = pytest.mark.reliability("fetcher safety")

LOOPBACK = AddressPolicy.from_settings(["127.0.0.1/32"])
PAGE = (b"<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1><p>The"
        b" harbour reopened on Monday after the storm, and the first ferries left at"
        b" dawn with passengers and freight.</p></article></body></html>")
DRIP_CHUNKS = 400  # one byte every 25 ms: 10 s in all, far past the budgets used here
BOMB_BYTES = 50_000_000


class _Handler(http.server.BaseHTTPRequestHandler):
    """The hostile web, on loopback: each path is one behaviour."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlsplit(self.path)
        route: Callable[[dict[str, list[str]]], None] | None = {
            "/page": self._page, "/host": self._host, "/redirect": self._redirect,
            "/drip": self._drip, "/big": self._big, "/big-chunked": self._big_chunked,
            "/bomb": self._bomb}.get(url.path)
        if route is None:
            self.send_error(404)
        else:
            route(parse_qs(url.query))

    def _send(self, body: bytes, *, content_type: str = "text/html", extra: dict[str, str]
              | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _page(self, query: dict[str, list[str]]) -> None:
        self._send(PAGE)

    def _host(self, query: dict[str, list[str]]) -> None:
        self._send(json.dumps({"host": self.headers["Host"]}).encode(),
                   content_type="application/json")

    def _redirect(self, query: dict[str, list[str]]) -> None:
        self.send_response(302)
        self.send_header("Location", query["to"][0])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _drip(self, query: dict[str, list[str]]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(DRIP_CHUNKS))
        self.end_headers()
        try:
            for _ in range(DRIP_CHUNKS):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.025)  # the server drips; the test itself never sleeps
        except (BrokenPipeError, ConnectionResetError):
            pass  # the fetcher gave up, as it should

    def _big(self, query: dict[str, list[str]]) -> None:
        self._send(b"x" * 2_000_000, content_type="text/plain")

    def _big_chunked(self, query: dict[str, list[str]]) -> None:
        self.protocol_version = "HTTP/1.0"  # no length: the body ends when the socket closes
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for _ in range(40):
                self.wfile.write(b"y" * 65_536)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _bomb(self, query: dict[str, list[str]]) -> None:
        self._send(self.server.bomb, content_type="text/plain",  # type: ignore[attr-defined]
                   extra={"Content-Encoding": "gzip"})

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (base signature)
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A threaded HTTP server on 127.0.0.1; yields its base URL, shut down after the module."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.bomb = gzip.compress(b"\0" * BOMB_BYTES, compresslevel=9)  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Make ``socket.getaddrinfo`` answer these names; returns the log of names asked."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(name)
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port) if ":" not in a else (a, port, 0, 0)) for a in answers[name]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def refused(url: str, host: str, address: str, kind: str, *, redirect_to: str = "") -> str:
    """The exact refusal message for ``url`` (or for the hop it was redirected to)."""
    where = f"{url}: redirected to {redirect_to}, whose host" if redirect_to else f"{url}: host"
    prefix = 32 if "." in address else 128
    return (f"{where} {host!r} resolves to {address}, {kind}: refused, babelwire fetches only"
            f" public addresses by default; {ALLOW_HINT.format(network=f'{address}/{prefix}')}")


def fetch(url: str, policy: AddressPolicy | None = None, *, max_bytes: int = 10_000_000,
          timeout_s: float = 10.0) -> Any:
    return fetch_url(url, max_bytes=max_bytes, timeout_s=timeout_s, policy=policy)


# -- addresses given directly ---------------------------------------------------------------

@pytest.mark.parametrize(("host", "address", "kind"), [
    ("127.0.0.1", "127.0.0.1", "a loopback address (this machine)"),
    ("127.1", "127.0.0.1", "a loopback address (this machine)"),
    ("2130706433", "127.0.0.1", "a loopback address (this machine)"),
    ("[::1]", "::1", "a loopback address (this machine)"),
    ("10.0.0.7", "10.0.0.7", "a private address"),
    ("172.16.5.4", "172.16.5.4", "a private address"),
    ("192.168.1.1", "192.168.1.1", "a private address"),
    ("169.254.169.254", "169.254.169.254", "a cloud metadata address"),
    ("[fd00:ec2::254]", "fd00:ec2::254", "a cloud metadata address"),
    ("100.100.100.200", "100.100.100.200", "a cloud metadata address"),
    ("169.254.10.1", "169.254.10.1", "a link-local address"),
    ("[fe80::1]", "fe80::1", "a link-local address"),
    ("[fd12:3456::1]", "fd12:3456::1", "a private address"),
    ("224.0.0.251", "224.0.0.251", "a multicast address"),
    ("[ff02::1]", "ff02::1", "a multicast address"),
    ("0.0.0.0", "0.0.0.0", "the unspecified address"),
    ("100.64.0.9", "100.64.0.9", "a shared (carrier-grade NAT) address"),
    ("240.0.0.1", "240.0.0.1", "a reserved address"),
    ("192.0.2.10", "192.0.2.10", "a private address"),
    ("[::ffff:127.0.0.1]", "::ffff:7f00:1", "a loopback address (this machine)"),
    ("[::ffff:169.254.169.254]", "::ffff:a9fe:a9fe", "a cloud metadata address"),
    ("[2002:a00:1::]", "2002:a00:1::", "a private address"),
    ("[64:ff9b::a9fe:a9fe]", "64:ff9b::a9fe:a9fe", "a cloud metadata address"),
])
def test_non_public_address_in_the_url_is_refused_before_any_connection(
        host: str, address: str, kind: str) -> None:
    url = f"http://{host}/latest/meta-data/"
    with pytest.raises(FetchRefused) as caught:
        fetch(url)
    bare_host = host.strip("[]") if host.startswith("[") else host
    assert str(caught.value) == refused(url, bare_host, address, kind)
    assert caught.value.input_ref == url


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://ftp.example.org/pub/news.txt",
                                 "gopher://gopher.example.org/0/news", "dict://127.0.0.1:11211/"])
def test_non_http_scheme_is_refused_and_names_the_scheme(url: str) -> None:
    scheme = url.split(":")[0]
    with pytest.raises(FetchRefused) as caught:
        fetch(url)
    assert str(caught.value) == (f"{url}: is a {scheme}: URL, refused: only http and https URLs"
                                 " are fetched; download the file yourself and ingest its path")


def test_public_address_is_not_refused_by_the_policy() -> None:
    from ipaddress import ip_address

    policy = AddressPolicy()
    assert [policy.refusal(ip_address(a)) for a in ("93.184.216.34", "2606:2800:220:1::1",
                                                    "::ffff:93.184.216.34")] == [None] * 3


# -- names: the policy judges what DNS answers ---------------------------------------------

@pytest.mark.parametrize(("answers", "address", "kind"), [
    (["169.254.169.254"], "169.254.169.254", "a cloud metadata address"),
    (["fd00:ec2::254"], "fd00:ec2::254", "a cloud metadata address"),
    (["10.20.30.40"], "10.20.30.40", "a private address"),
    (["127.0.0.1"], "127.0.0.1", "a loopback address (this machine)"),
    (["93.184.216.34", "192.168.0.10"], "192.168.0.10", "a private address"),
])
def test_a_name_resolving_to_a_non_public_address_is_refused(
        monkeypatch: pytest.MonkeyPatch, answers: list[str], address: str, kind: str) -> None:
    asked = fake_dns(monkeypatch, {"news.example": answers})
    url = "http://news.example/feed.xml"
    with pytest.raises(FetchRefused) as caught:
        fetch(url)
    assert str(caught.value) == refused(url, "news.example", address, kind)
    assert asked == ["news.example"]


def test_connection_goes_to_the_checked_address_so_dns_rebinding_cannot_switch_it(
        monkeypatch: pytest.MonkeyPatch, server: str) -> None:
    port = urlsplit(server).port
    answers = iter([["127.0.0.1"], ["10.9.9.9"], ["10.9.9.9"]])  # rebinds after the first answer
    asked: list[str] = []

    real = socket.getaddrinfo

    def getaddrinfo(host: Any, p: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host) != "rebind.example":
            return real(host, p, *args, **kwargs)  # socket.create_connection on an address
        asked.append(str(host))
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, p)) for a in next(answers)]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    page = fetch(f"http://rebind.example:{port}/host", LOOPBACK)
    assert json.loads(page.body) == {"host": f"rebind.example:{port}"}
    assert page.final_url == f"http://rebind.example:{port}/host"
    assert asked == ["rebind.example"]  # resolved once: the connect did not ask DNS again


def test_https_request_to_the_pinned_address_names_the_host_in_sni_and_host_header() -> None:
    from ipaddress import ip_address

    with httpx.Client() as client:
        request = pinned_request(client, httpx.URL("https://news.example:8443/a?b=1"),
                                 ip_address("93.184.216.34"), 5.0)
    assert str(request.url) == "https://93.184.216.34:8443/a?b=1"
    assert request.headers["host"] == "news.example:8443"
    assert request.extensions["sni_hostname"] == "news.example"


# -- redirects: every hop is checked ---------------------------------------------------------

@pytest.mark.parametrize(("target", "host", "address", "kind"), [
    ("http://10.0.0.1/admin", "10.0.0.1", "10.0.0.1", "a private address"),
    ("http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254", "169.254.169.254",
     "a cloud metadata address"),
    ("http://127.0.0.2:8080/", "127.0.0.2", "127.0.0.2", "a loopback address (this machine)"),
    ("http://[fd00:ec2::254]/latest/", "fd00:ec2::254", "fd00:ec2::254",
     "a cloud metadata address"),
])
def test_a_redirect_to_a_non_public_address_is_refused_even_from_an_allowed_server(
        server: str, target: str, host: str, address: str, kind: str) -> None:
    url = f"{server}/redirect?to={target}"
    with pytest.raises(FetchRefused) as caught:
        fetch(url, LOOPBACK)
    assert str(caught.value) == refused(url, host, address, kind,
                                        redirect_to=str(httpx.URL(target)))


def test_a_redirect_to_a_name_resolving_to_metadata_is_refused(
        monkeypatch: pytest.MonkeyPatch, server: str) -> None:
    fake_dns(monkeypatch, {"cdn.example": ["169.254.169.254"]})
    url = f"{server}/redirect?to=http://cdn.example/latest/meta-data/"
    with pytest.raises(FetchRefused) as caught:
        fetch(url, LOOPBACK)
    assert str(caught.value) == refused(url, "cdn.example", "169.254.169.254",
                                        "a cloud metadata address",
                                        redirect_to="http://cdn.example/latest/meta-data/")


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/news.txt",
                                    "gopher://127.0.0.1:70/_stats"])
def test_a_redirect_to_a_non_http_scheme_is_refused(server: str, target: str) -> None:
    url = f"{server}/redirect?to={target}"
    with pytest.raises(FetchRefused) as caught:
        fetch(url, LOOPBACK)
    assert str(caught.value) == (
        f"{url}: redirected to {httpx.URL(target)}, which is a {target.split(':')[0]}: URL,"
        " refused:"
        " only http and https URLs are fetched; download the file yourself and ingest its path")


def test_an_allowed_redirect_is_followed_and_the_final_url_kept(server: str) -> None:
    page = fetch(f"{server}/redirect?to=/page", LOOPBACK)
    assert (page.final_url, page.body, page.content_type) == (f"{server}/page", PAGE,
                                                              "text/html")


# -- size and time -------------------------------------------------------------------------------

def test_a_slow_drip_body_is_cut_at_the_whole_fetch_time_budget(server: str) -> None:
    url = f"{server}/drip"
    with pytest.raises(FetchError) as caught:
        fetch(url, LOOPBACK, timeout_s=0.5)
    assert str(caught.value) == (
        f"{url}: took longer than the 0.5 s limit for the whole fetch (ingest.fetch_timeout_s);"
        " raise it with --set ingest.fetch_timeout_s=N")


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_an_oversize_body_is_refused_with_or_without_a_declared_length(
        server: str, path: str) -> None:
    url = server + path
    with pytest.raises(InputTooLarge) as caught:
        fetch(url, LOOPBACK, max_bytes=1_000_000)
    assert str(caught.value) == (f"{url}: response is larger than the 1,000,000-byte limit"
                                 " (ingest.max_bytes); raise the limit with --set"
                                 " ingest.max_bytes=N")


def test_a_gzip_bomb_is_not_inflated_past_the_size_limit(server: str) -> None:
    url = f"{server}/bomb"
    options = SourceOptions(max_bytes=1_000_000, fetch_policy=LOOPBACK)
    [item] = list(read_input(url, options))
    assert isinstance(item, InputTooLarge)
    assert str(item) == (f"{url}: gzip data decompresses to more than the 1,000,000-byte limit"
                         " (ingest.max_bytes); possibly a decompression bomb, not read")


# -- the policy applies wherever URLs are read ---------------------------------------------------

def test_allow_list_setting_is_parsed_and_a_bad_entry_is_a_config_error() -> None:
    settings = load_settings(env={}, overrides={"ingest.fetch_allow": "127.0.0.1/32,10.1.0.0/16"},
                             cwd=Path("/nonexistent"))
    assert settings.fetch_allow == ("127.0.0.1/32", "10.1.0.0/16")
    assert Settings().fetch_allow == ()
    with pytest.raises(ConfigError) as caught:
        load_settings(env={}, overrides={"ingest.fetch_allow": "intranet"},
                      cwd=Path("/nonexistent"))
    assert str(caught.value).startswith("ingest.fetch_allow: 'intranet' is not an IP network (")


def test_ingest_refuses_a_loopback_url_by_default_and_fetches_it_when_allowed(
        server: str) -> None:
    url = f"{server}/page"
    with Database(memory=True) as db:
        refused_report = make_ingestor(Settings(stages=LIGHT_STAGES), db).ingest([url])
        allowed = Settings(stages=LIGHT_STAGES, fetch_allow=("127.0.0.1/32",))
        allowed_report = make_ingestor(allowed, db).ingest([url])
        titles = [a.title for a in db.iter_articles()]
    assert [(f.error, f.message) for f in refused_report.failures] == [
        ("FetchRefused", refused(url, "127.0.0.1", "127.0.0.1",
                                 "a loopback address (this machine)"))]
    assert allowed_report.failures == [] and titles == ["Harbour"]


def test_a_non_http_input_reference_is_refused_as_a_url_not_read_as_a_path() -> None:
    items = list(read_input("ftp://ftp.example.org/news.xml", SourceOptions()))
    assert [type(i).__name__ for i in items] == ["FetchRefused"]


def test_cli_ingest_url_applies_the_policy_and_the_allow_list(tmp_path: Path,
                                                              server: str) -> None:
    url = f"{server}/page"
    db = str(tmp_path / "t.db")
    refused_run = CliRunner().invoke(cli, ["--db", db, "ingest", url])
    allowed_run = CliRunner().invoke(cli, ["--db", db, "--set", "ingest.fetch_allow=127.0.0.1/32",
                                           "ingest", url])
    assert refused_run.exit_code == 3
    assert "resolves to 127.0.0.1, a loopback address (this machine): refused" in \
        refused_run.output
    assert allowed_run.exit_code == 0
    assert json.loads(allowed_run.stdout)["inserted"] == 1
