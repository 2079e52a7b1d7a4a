"""What ``babelwire serve`` runs: decide access once, then serve from one or N processes.

Order matters with ``--workers N``: the access policy (and a first-start API
token, made and shown exactly once) and the shared rate-limit file are decided
in the parent, which then closes its store; each worker opens its own store
after the fork (`workers`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from starlette.types import ASGIApp

from .. import assembly
from ..db.rate_buckets import RateBucketFile
from ..settings import Settings
from .access import AccessPolicy, server_access
from .app import create_app
from .embedding import EncoderQueryEmbedder
from .rate_limit import RateLimit, RateLimiter, SearchLimiter, SharedRateLimiter
from .workers import ServeConfig, serve

KEEP_ALIVE_S = 30
"""Seconds an idle HTTP connection stays open (uvicorn's default is 5). A client that reuses a
connection just as the server closes it gets a reset (2 of ~3,400 requests in the 50-client load
test under CI load, issue 9); browsers retry that, scripts often do not. A longer idle time makes
the race rare without holding many sockets: one per open browser tab."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ServeRequest:
    """What the user asked ``serve`` for (flags over settings)."""

    host: str
    port: int
    workers: int = 1
    read_only: bool = False
    new_token: bool = False


def run_server(settings: Settings, request: ServeRequest, *,
               show_token: Callable[[str], None]) -> int:
    """Serve until stopped; ``show_token`` gets a newly made API token (once). Returns the
    exit status."""
    return serve_decided(settings, decide_access(settings, request, show_token), request)


def serve_decided(settings: Settings, policy: AccessPolicy, request: ServeRequest) -> int:
    """Serve ``request`` with an access policy `decide_access` made (in this process, before
    any worker exists); returns the exit status."""
    limit = RateLimit.from_settings(settings)
    config = ServeConfig(host=request.host, port=request.port, workers=request.workers,
                         keep_alive_s=KEEP_ALIVE_S)
    with tempfile.TemporaryDirectory(prefix="babelwire-serve-") as scratch:
        limiter = _search_limiter(limit, request.workers, Path(scratch))
        return serve(partial(_app, settings, policy, limiter), config)


def decide_access(settings: Settings, request: ServeRequest,
                  show_token: Callable[[str], None]) -> AccessPolicy:
    """The policy every worker uses (a first-start token is made here, once, and given to
    ``show_token``); the store is closed again before any fork."""
    db = assembly.open_store(settings)
    try:
        access = server_access(db, request.host, read_only=request.read_only,
                               new_token=request.new_token)
    finally:
        db.close()
    if access.new_token is not None:
        show_token(access.new_token)
    return access.policy


def _search_limiter(limit: RateLimit | None, workers: int,
                    scratch: Path) -> SearchLimiter | None:
    """No limiter when the limit is off; per process for one worker; else shared by file."""
    if limit is None:
        return None
    if workers == 1:
        return RateLimiter(limit)
    buckets = RateBucketFile(scratch / "search-rate.sqlite")
    buckets.create()
    return SharedRateLimiter(limit, buckets)


@contextmanager
def _app(settings: Settings, policy: AccessPolicy,
         limiter: SearchLimiter | None) -> Iterator[ASGIApp]:
    """One worker's app over its own store connection (opened here, after any fork)."""
    db = assembly.open_store(settings)
    try:
        yield create_app(db, embedder=EncoderQueryEmbedder(), access=policy,
                         search_limiter=limiter)
    finally:
        db.close()
