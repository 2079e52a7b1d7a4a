"""Pure ASGI middleware for checks that may answer a request before any route runs.

Why not Starlette's ``BaseHTTPMiddleware``: it runs the rest of the app in a
task of its own and passes every response message through a memory stream, per
layer and per request. Replacing the three layers took the event loop's CPU per
story request from 1.1-1.2 to 0.6 ms (1M-article bench store, see
docs/issues/issue-7-progress.md "Session 6"), and Starlette's docs advise
against it for its context-variable and background-task limits too. A gate
here reads the request's headers (`Request` over the scope, the body is never
read) and either answers itself or hands the untouched scope on.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware:
    """Pure ASGI middleware for HTTP requests; other scopes (lifespan) pass untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one HTTP request (subclasses call ``self.app`` to pass it on)."""
        raise NotImplementedError


class RequestGate(HttpMiddleware):
    """A middleware that may refuse a request; subclasses say when in `refusal`."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.refusal(Request(scope))
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)

    def refusal(self, request: Request) -> Response | None:
        """The answer to send instead of running the app, or None to let the request in."""
        raise NotImplementedError
