"""Fetching a URL safely: public addresses only, every redirect checked, bounded size and time.

Each hop (the URL given, then every redirect target) is handled alike: the
scheme must be http or https; the host is resolved once and every address it
resolves to must pass the `AddressPolicy` (a name answering with one public
and one private address is refused: that is how DNS rebinding starts); then
the request goes to the checked address itself, with the ``Host`` header and
TLS SNI/certificate check set to the name, so a second DNS answer can never
change where the connection lands. Redirects are followed by hand for that
reason (httpx would resolve the next hop itself).

Limits: ``max_bytes`` of body (before decompression; `limits.gunzip_limited`
bounds what it inflates to) and ``timeout_s`` for the whole fetch, redirects
and a slowly dripping body included. The deadline is checked between hops and
after each body chunk, and each hop's network waits are capped at the time
left when the hop began (httpcore fixes a response's read timeout when the
body starts). So a drip ends at the first chunk past the deadline; a body
that goes silent just before it can wait up to that cap once more: the worst
case is about twice ``timeout_s``.
Environment proxies (``HTTP_PROXY``) are ignored: a proxy would resolve names
itself, outside the policy.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from ..errors import FetchError, FetchRefused, InputTooLarge
from .address_policy import AddressPolicy, IPAddress, resolve

USER_AGENT = "babelwire/0.1 (+https://github.com/babelwire/babelwire; news monitor)"
FETCHED_SCHEMES = frozenset({"http", "https"})
MAX_REDIRECTS = 10
ALLOW_HINT = ("to fetch it deliberately, add the address to the allow-list, e.g."
              " --set ingest.fetch_allow={network} (or fetch_allow in the [ingest] section of"
              " babelwire.toml)")


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """The body of a fetched URL and what the server said about it."""

    final_url: str
    body: bytes
    content_type: str
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    """Response headers, names lower-cased (``etag``, ``last-modified``, ``retry-after``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchLimits:
    """How much one fetch may read and for how long, and where it may connect."""

    max_bytes: int
    timeout_s: float
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    headers: Mapping[str, str] = field(default_factory=dict)
    raise_for_status: bool = True


def fetch_url(url: str, *, max_bytes: int, timeout_s: float,
              policy: AddressPolicy | None = None, headers: Mapping[str, str] | None = None,
              raise_for_status: bool = True) -> FetchedPage:
    """GET ``url``, following checked redirects; raise `FetchError` on any failure.

    Args:
        url: an http(s) URL.
        max_bytes: largest body read (``ingest.max_bytes``).
        timeout_s: the whole fetch's time budget (``ingest.fetch_timeout_s``).
        policy: where connections may go; the default refuses every non-public address.
        headers: extra request headers (``If-None-Match`` for a conditional GET); they
            cannot replace the User-Agent.
        raise_for_status: False returns 4xx/5xx answers (body read within ``max_bytes``)
            instead of raising, for callers that act on the status (robots.txt,
            backoff). A 304 is always returned, with an empty body.

    Raises:
        FetchRefused: the URL or a redirect aims at a refused scheme or address.
        InputTooLarge: the body is over ``max_bytes``.
        FetchError: anything else (unreachable, HTTP error status, time budget spent).
    """
    limits = FetchLimits(max_bytes=max_bytes, timeout_s=timeout_s,
                         policy=policy or AddressPolicy(), headers=dict(headers or {}),
                         raise_for_status=raise_for_status)
    try:
        return _fetch(url, limits)
    except httpx.InvalidURL as error:  # not an HTTPError: raised before any request is made
        raise FetchError(f"{url}: not a valid URL ({error}); check the address",
                         input_ref=url) from error
    except httpx.HTTPError as error:
        raise FetchError(
            f"{url}: cannot fetch ({type(error).__name__}: {error}); check the address and"
            " that this machine can reach it", input_ref=url) from error


def _fetch(url: str, limits: FetchLimits) -> FetchedPage:
    deadline = time.monotonic() + limits.timeout_s
    current = httpx.URL(url)
    with httpx.Client(follow_redirects=False, trust_env=False,
                      headers={**limits.headers, "User-Agent": USER_AGENT,
                               "Accept-Encoding": "gzip, identity"}) as client:
        for hop in range(MAX_REDIRECTS + 1):
            _check_scheme(current, url, redirected=hop > 0)
            address = _checked_address(current, url, limits.policy, redirected=hop > 0)
            with _pinned_stream(client, current, address, _remaining(deadline, url, limits)) \
                    as response:
                if response.has_redirect_location:
                    current = current.join(response.headers["location"])
                    continue
                if response.status_code >= 400 and limits.raise_for_status:
                    raise FetchError(
                        f"{url}: server answered HTTP {response.status_code}", input_ref=url)
                body = _read_body(response, url, limits, deadline)
                return FetchedPage(str(current), body,
                                   response.headers.get("content-type", "").lower(),
                                   status=response.status_code,
                                   headers={k.lower(): v for k, v in response.headers.items()})
    raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.")


def _check_scheme(current: httpx.URL, url: str, *, redirected: bool) -> None:
    if current.scheme in FETCHED_SCHEMES:
        return
    where = f"{url}: redirected to {current}, which" if redirected else f"{url}:"
    raise FetchRefused(f"{where} is a {current.scheme}: URL, refused: only http and https URLs"
                       " are fetched; download the file yourself and ingest its path",
                       input_ref=url)


def _checked_address(current: httpx.URL, url: str, policy: AddressPolicy, *,
                     redirected: bool) -> IPAddress:
    """The address to connect to for ``current``: resolved once, every answer checked."""
    host = current.raw_host.decode("ascii")
    port = current.port or (443 if current.scheme == "https" else 80)
    where = f"{url}: redirected to {current}, whose host" if redirected else f"{url}: host"
    try:
        addresses = resolve(host, port)
    except OSError as error:
        raise FetchError(f"{where} {host!r} does not resolve ({error}); check the address",
                         input_ref=url) from error
    for address in addresses:
        kind = policy.refusal(address)
        if kind is not None:
            network = f"{address}/{address.max_prefixlen}"
            raise FetchRefused(
                f"{where} {host!r} resolves to {address}, {kind}: refused, babelwire fetches"
                f" only public addresses by default; {ALLOW_HINT.format(network=network)}",
                input_ref=url)
    if not addresses:
        raise FetchError(f"{where} {host!r} resolves to no address; check the address",
                         input_ref=url)
    return addresses[0]


@contextmanager
def _pinned_stream(client: httpx.Client, current: httpx.URL, address: IPAddress,
                   timeout_s: float) -> Iterator[httpx.Response]:
    """Stream a GET of ``current`` from ``address`` itself, naming the host in Host and SNI."""
    request = pinned_request(client, current, address, timeout_s)
    response = client.send(request, stream=True)
    try:
        yield response
    finally:
        response.close()


def pinned_request(client: httpx.Client, current: httpx.URL, address: IPAddress,
                   timeout_s: float) -> httpx.Request:
    """A GET of ``current`` whose connection goes to ``address``, as if DNS had answered it.

    The URL's host becomes the address; the ``Host`` header keeps the name (and
    port) as written, and for https the ``sni_hostname`` extension makes TLS
    send the name and verify the certificate against it, not against the address.
    """
    extensions = {"sni_hostname": current.raw_host.decode("ascii")} \
        if current.scheme == "https" else {}
    return client.build_request(
        "GET", current.copy_with(host=str(address)),
        headers={"Host": current.netloc.decode("ascii")},
        timeout=httpx.Timeout(timeout_s), extensions=extensions)


def _remaining(deadline: float, url: str, limits: FetchLimits) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(
            f"{url}: took longer than the {limits.timeout_s:g} s limit for the whole fetch"
            " (ingest.fetch_timeout_s); raise it with --set ingest.fetch_timeout_s=N",
            input_ref=url)
    return left


def _read_body(response: httpx.Response, url: str, limits: FetchLimits,
               deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise _too_large(url, limits.max_bytes)
    chunks = []
    total = 0
    for chunk in response.iter_raw():
        total += len(chunk)
        if total > limits.max_bytes:
            raise _too_large(url, limits.max_bytes)
        chunks.append(chunk)
        _remaining(deadline, url, limits)
    return b"".join(chunks)


def _too_large(url: str, max_bytes: int) -> InputTooLarge:
    return InputTooLarge(
        f"{url}: response is larger than the {max_bytes:,}-byte limit"
        " (ingest.max_bytes); raise the limit with --set ingest.max_bytes=N", input_ref=url)
