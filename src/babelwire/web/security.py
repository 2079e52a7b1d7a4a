"""Response headers and request checks that hold for every page, logged in or not.

The Content-Security-Policy allows scripts, styles and images from this server
only: no inline script, no inline event handler, no inline style attribute, no
plugin, no framing. Article text is escaped by the templates; the policy is the
second wall if an escape is ever missed.

Requests that change state (POST and friends) must come from our own pages:
a browser sends ``Sec-Fetch-Site``/``Origin`` with them, and a cross-site value
means another web page is trying to use the analyst's browser (CSRF), which on
an unauthenticated loopback server would otherwise work. A request naming no
origin at all passes only if no HTML form could have sent it: a JSON body
(another site's script cannot send one without a CORS preflight, which this
server never answers) or an ``Authorization`` header. So a browser too old to
send either header still cannot post a cross-site form; API clients (curl,
scripts) use the ``.json`` twins with JSON as before.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from .middleware import HttpMiddleware

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SECURITY_HEADERS = (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
                    ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"))


class SecurityHeaders(HttpMiddleware):
    """Adds the CSP and friends to every response and refuses cross-site writes.

    Pure ASGI (see `middleware`): the headers are set on the response's start
    message as it passes, replacing any a route set under the same names.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers[name] = value
            await send(message)

        if scope["method"] not in SAFE_METHODS:
            request = Request(scope)
            if is_cross_site(request):
                refused = error_response(
                    request, 403, "cross-site request refused: submit the form from this"
                    " server's own pages (API clients: send JSON to the .json route, or an"
                    " Origin header naming this server)")
                await refused(scope, receive, send_with_headers)
                return
        await self.app(scope, receive, send_with_headers)


FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data",
                        "text/plain"})
"""The body types an HTML form can send (it always names one, even with no fields)."""


def is_cross_site(request: Request) -> bool:
    """True when the request comes, or could come, from another site than this server."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return _could_be_a_form(request)
    if origin == "null":
        return True
    return urlsplit(origin).netloc != request.headers.get("host", "")


def _could_be_a_form(request: Request) -> bool:
    """A request without origin headers that a cross-site page could have made."""
    if request.headers.get("authorization"):
        return False
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type in FORM_TYPES


def error_response(request: Request, status: int, message: str) -> Response:
    """The one JSON error shape, for middleware that answers before any route runs."""
    body = {"ok": False, "error": message, "errors": [message], "status": status}
    if request.url.path.endswith(".json") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse(body, status_code=status)
    return Response(f"Error {status}: {message}\n", status_code=status,
                    media_type="text/plain; charset=utf-8")
