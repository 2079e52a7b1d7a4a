"""Fetching a URL with a timeout and a size limit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from ..errors import FetchError, InputTooLarge

USER_AGENT = "babelwire/0.1 (+https://github.com/babelwire/babelwire; news monitor)"


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """The body of a fetched URL and what the server said about it."""

    final_url: str
    body: bytes
    content_type: str
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    """Response headers, names lower-cased (``etag``, ``last-modified``, ``retry-after``)."""


def fetch_url(url: str, *, max_bytes: int, timeout_s: float,
              headers: Mapping[str, str] | None = None,
              raise_for_status: bool = True) -> FetchedPage:
    """GET ``url``, following redirects; raise `FetchError` on any failure.

    Args:
        headers: extra request headers (``If-None-Match`` for a conditional GET);
            they cannot replace the User-Agent.
        raise_for_status: False returns 4xx/5xx answers (body read within
            ``max_bytes``) instead of raising, for callers that act on the status
            (robots.txt, backoff). A 304 is always returned, with an empty body.
    """
    request_headers = {**(headers or {}), "User-Agent": USER_AGENT,
                       "Accept-Encoding": "gzip, identity"}
    try:
        with httpx.Client(timeout=timeout_s, follow_redirects=True,
                          headers=request_headers) as client:
            with client.stream("GET", url) as response:
                if response.status_code >= 400 and raise_for_status:
                    raise FetchError(
                        f"{url}: server answered HTTP {response.status_code}", input_ref=url)
                body = _read_body(response, url, max_bytes)
                return FetchedPage(str(response.url), body,
                                   response.headers.get("content-type", "").lower(),
                                   status=response.status_code,
                                   headers={k.lower(): v for k, v in response.headers.items()})
    except httpx.InvalidURL as error:  # not an HTTPError: raised before any request is made
        raise FetchError(f"{url}: not a valid URL ({error}); check the address",
                         input_ref=url) from error
    except httpx.HTTPError as error:
        raise FetchError(
            f"{url}: cannot fetch ({type(error).__name__}: {error}); check the address and"
            " that this machine can reach it", input_ref=url) from error


def _read_body(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    chunks = []
    total = 0
    for chunk in response.iter_raw():
        total += len(chunk)
        if total > max_bytes:
            raise InputTooLarge(
                f"{url}: response is larger than the {max_bytes:,}-byte limit"
                " (ingest.max_bytes); raise the limit with --set ingest.max_bytes=N",
                input_ref=url)
        chunks.append(chunk)
    return b"".join(chunks)
