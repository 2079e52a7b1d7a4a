"""Who may use the server: nobody logs in on loopback; elsewhere an API token is required.

Why the split: on 127.0.0.1 only this machine's users can connect, and a login
would only get in the way of an analyst's local monitor. Bound to any other
address, the store (and its watchlists) would be open to the network, so every
request must carry the token: ``Authorization: Bearer <token>`` for API
clients, or the HttpOnly cookie the ``/login`` form sets for browsers.

A token is 32 random bytes (``secrets.token_urlsafe``), shown once when
``serve`` creates it and stored only as its SHA-256 digest; with that much
entropy a salted slow hash buys nothing. Comparison is constant-time.

On loopback the ``Host`` header must name a loopback address too: otherwise a
web page could rebind its own domain name to 127.0.0.1 (DNS rebinding) and read
the unauthenticated server through the analyst's browser.

Read-only mode refuses every request that would change the store (watchlists),
whoever asks.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.types import ASGIApp

from ..db.store import Store
from .middleware import RequestGate
from .security import SAFE_METHODS, error_response

COOKIE = "babelwire_token"
OPEN_PATHS = ("/login", "/static/")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessPolicy:
    """How `AccessGate` treats requests; the default is an open, writable loopback server.

    Attributes:
        token_digests: SHA-256 hex digests of valid tokens; empty means no token needed.
        read_only: refuse requests that would change the store.
        loopback_hosts_only: refuse a ``Host`` header that does not name a loopback address.
    """

    token_digests: frozenset[str] = field(default_factory=frozenset)
    read_only: bool = False
    loopback_hosts_only: bool = False

    @property
    def requires_token(self) -> bool:
        """True when requests must prove they hold a token."""
        return bool(self.token_digests)

    def accepts(self, token: str | None) -> bool:
        """True if ``token`` is one of the valid tokens (constant time per digest)."""
        if not token:
            return False
        digest = token_digest(token)
        return any(hmac.compare_digest(digest, known) for known in self.token_digests)


def token_digest(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_loopback(host: str) -> bool:
    """True for an address (or the name ``localhost``) only this machine can reach."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class ServerAccess:
    """The policy `serve` runs with, and the token to show once if it has just made one."""

    policy: AccessPolicy
    new_token: str | None = None


def server_access(store: Store, host: str, *, read_only: bool = False,
                  new_token: bool = False) -> ServerAccess:
    """Decide the policy for a server bound to ``host``, creating a token if one is needed.

    A token is created on the first start off loopback (none stored yet), or when
    ``new_token`` asks to replace a lost one; otherwise the stored digests apply.
    """
    if is_loopback(host):
        return ServerAccess(AccessPolicy(read_only=read_only, loopback_hosts_only=True))
    created = None
    if new_token or not store.api_token_digests():
        created = secrets.token_urlsafe(32)
        store.replace_api_token(token_digest(created), label=f"serve --host {host}")
    digests = frozenset(store.api_token_digests())
    return ServerAccess(AccessPolicy(token_digests=digests, read_only=read_only), created)


class AccessGate(RequestGate):
    """Applies an `AccessPolicy` before any route runs."""

    def __init__(self, app: ASGIApp, policy: AccessPolicy) -> None:
        super().__init__(app)
        self.policy = policy

    def refusal(self, request: Request) -> Response | None:
        """The answer to a request the policy refuses (or a login redirect), else None."""
        if not (self.policy.loopback_hosts_only or self.policy.requires_token
                or self.policy.read_only):
            return None
        path = request.url.path
        if self.policy.loopback_hosts_only and not is_loopback(_host_name(request)):
            return error_response(request, 403, f"host {_host_name(request)!r} is not this"
                                  " machine; open the server as http://127.0.0.1:<port>/")
        if self.policy.requires_token and not path.startswith(OPEN_PATHS) and \
                not self.policy.accepts(_presented_token(request)):
            return _ask_for_token(request)
        if self.policy.read_only and request.method not in SAFE_METHODS and path != "/login":
            return error_response(request, 403, f"this server is read-only: {request.method}"
                                  f" {path} is refused; restart serve without --read-only")
        return None


def _host_name(request: Request) -> str:
    host = request.headers.get("host", "")
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _presented_token(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.cookies.get(COOKIE)


def _ask_for_token(request: Request) -> Response:
    """Browsers go to the login form; API clients get a 401 in the one error shape."""
    wants_html = "text/html" in request.headers.get("accept", "")
    if wants_html and request.method in SAFE_METHODS and not request.url.path.endswith(".json"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)
    response = error_response(request, 401, "an API token is required: send 'Authorization:"
                              " Bearer <token>' (serve printed it at first start; serve"
                              " --new-token makes another)")
    response.headers["WWW-Authenticate"] = 'Bearer realm="babelwire"'
    return response


def safe_next(target: str | None, allowed: Iterable[str] = ("/",)) -> str:
    """A local path to go to after login; anything else (another host, ``//x``) is ``/``.

    Control characters and spaces are refused too: browsers drop tabs and line
    breaks from URLs, so ``/<TAB>/evil.example`` would become ``//evil.example``.
    """
    if target and target.startswith(tuple(allowed)) and "\\" not in target \
            and not any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target) \
            and not target.startswith("//"):
        return target
    return "/"
