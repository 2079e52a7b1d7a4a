"""Reading a posted HTML form without a multipart parser: our forms are url-encoded only.

Why not FastAPI's ``Form``: it needs python-multipart, a dependency for three
small forms; ``application/x-www-form-urlencoded`` is all our pages send. The
body is bounded, so a client cannot make the server buffer an arbitrary upload.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request

MAX_FORM_BYTES = 16_384
FORM_TYPE = "application/x-www-form-urlencoded"


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields (last value wins); 415 for another content type, 413 past the bound."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        raise HTTPException(415, f"send the form as {FORM_TYPE}, not {content_type or 'nothing'}")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise HTTPException(413, f"form body over {MAX_FORM_BYTES} bytes; send less")
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError as error:
        raise HTTPException(400, f"form body is not UTF-8: {error}") from error


def form_body_doc(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """The OpenAPI ``requestBody`` of a url-encoded form with these fields."""
    schema = {"type": "object", "properties": properties, "required": required}
    return {"requestBody": {"required": True, "content": {FORM_TYPE: {"schema": schema}}}}
