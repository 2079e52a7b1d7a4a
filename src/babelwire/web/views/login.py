"""The login form for servers that require a token, and logging out."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..access import COOKIE, AccessPolicy, safe_next
from ..forms import form_body_doc, read_form
from ..pages import WebContext

COOKIE_MAX_AGE_S = 30 * 24 * 3600


def register(app: FastAPI, ctx: WebContext, policy: AccessPolicy) -> None:
    """Add ``/login`` (form and post) and ``/logout``."""

    @app.get("/login", response_class=HTMLResponse, tags=["access"],
             summary="The form that asks for the API token (servers off loopback)")
    def login_form(next: str = "/") -> HTMLResponse:  # noqa: A002 (the query's name)
        return ctx.render("login.html", {"next": safe_next(next), "failed": False,
                                         "needed": policy.requires_token})

    @app.post("/login", tags=["access"], response_class=RedirectResponse, status_code=303,
              summary="Check the token and keep it in an HttpOnly cookie",
              openapi_extra=form_body_doc({"token": {"type": "string"},
                                           "next": {"type": "string"}}, ["token"]))
    async def login(request: Request) -> Response:
        fields = await read_form(request)
        target = safe_next(fields.get("next"))
        if policy.requires_token and not policy.accepts(fields.get("token")):
            return ctx.render("login.html", {"next": target, "failed": True, "needed": True},
                              status=401)
        response = RedirectResponse(target, status_code=303)
        if policy.requires_token:
            response.set_cookie(COOKIE, fields.get("token", ""), max_age=COOKIE_MAX_AGE_S,
                                httponly=True, samesite="strict",
                                secure=request.url.scheme == "https")
        return response

    @app.post("/logout", tags=["access"], response_class=RedirectResponse, status_code=303,
              summary="Forget the token cookie")
    def logout() -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response
