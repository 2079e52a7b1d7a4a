"""Per-client rate limits on search: a token bucket per client address.

Why search: it is the one page whose cost a client chooses. A search by
meaning runs the encoder (tens of ms of CPU) and a full-text search for a
common word reads every match (seconds at 1M articles), so one script looping
over ``/search.json`` would take the server from everyone else. Other pages
are bounded by their page size.

A client may run ``burst`` searches at once, then ``per_minute`` a minute;
past that it gets 429 with ``Retry-After`` (whole seconds until the next
search is allowed). The client is the connecting address: behind a reverse
proxy every user shares the proxy's address, so limit there instead (or raise
``web.search_rate_per_minute``). Requests without a query (the empty search
form) cost nothing and are not counted.

The buckets live on the `RateLimiter` the app owns (no module state), bounded
to `MAX_CLIENTS` addresses (the least recently seen is forgotten first).

With ``serve --workers N`` the limit is one limit for the whole server, not one
per process: a client's connections land on any worker, so per-process buckets
would let it search N times as often (or, divided by N, allow a client whose
keep-alive connection stays on one worker only 1/N of its rate).
`SharedRateLimiter` keeps the buckets in a scratch SQLite file
(`db.rate_buckets`) that all workers lock and update; the parent makes it
before forking. Its cost is one small locked write per search.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from fastapi import Request
from fastapi.responses import Response
from starlette.types import ASGIApp

from ..db.rate_buckets import RateBucketFile
from ..errors import ConfigError
from ..settings import Settings
from .middleware import RequestGate
from .security import error_response

LIMITED_PATHS = frozenset({"/search", "/search.json"})
MAX_CLIENTS = 10_000


@dataclass(frozen=True, slots=True)
class RateLimit:
    """How many searches one client may run: ``burst`` at once, then ``per_minute``."""

    per_minute: int
    burst: int

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimit | None:
        """The configured limit, or None when ``web.search_rate_per_minute`` is 0 (off)."""
        if settings.web_search_rate_per_minute < 0 or settings.web_search_burst < 1:
            raise ConfigError(
                "web.search_rate_per_minute must be 0 (no limit) or more and web.search_burst"
                f" 1 or more; got {settings.web_search_rate_per_minute} and"
                f" {settings.web_search_burst}")
        if settings.web_search_rate_per_minute == 0:
            return None
        return cls(settings.web_search_rate_per_minute, settings.web_search_burst)


class SearchLimiter(Protocol):
    """What `RateLimitGate` asks: may this client search now, and the limit for the message."""

    limit: RateLimit

    def take(self, client: str) -> float:
        """0.0 if ``client`` may go ahead (one token spent), else seconds until it may."""


@dataclass(slots=True)
class Bucket:
    """A client's tokens as of time ``at`` (seconds on the limiter's clock)."""

    tokens: float
    at: float

    def take(self, now: float, limit: RateLimit) -> float:
        """Refill for the time since ``at``, then spend one token: 0.0, or seconds to wait."""
        rate_per_s = limit.per_minute / 60.0
        self.tokens = min(float(limit.burst), self.tokens + max(0.0, now - self.at) * rate_per_s)
        self.at = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / rate_per_s


class RateLimiter:
    """Token buckets per client in this process; `take` spends one token or says how long
    to wait."""

    def __init__(self, limit: RateLimit, *, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = MAX_CLIENTS) -> None:
        self.limit = limit
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()

    def take(self, client: str) -> float:
        """0.0 if ``client`` may go ahead (one token spent), else seconds until it may."""
        now = self.clock()
        bucket = self._buckets.pop(client, None) or Bucket(float(self.limit.burst), now)
        self._buckets[client] = bucket
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return bucket.take(now, self.limit)


class SharedRateLimiter:
    """Token buckets per client shared by every worker process through one `RateBucketFile`.

    The clock must read the same in every process: the default,
    ``time.monotonic``, is the machine's boot-relative clock on Linux.
    """

    def __init__(self, limit: RateLimit, buckets: RateBucketFile, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.buckets = buckets
        self.clock = clock

    def take(self, client: str) -> float:
        """0.0 if ``client`` may go ahead (one token spent), else seconds until it may."""
        with self.buckets.bucket(client) as stored:
            now = self.clock()  # read under the lock, so buckets are written in time order
            bucket = Bucket(float(self.limit.burst), now) if stored.tokens is None or \
                stored.at is None else Bucket(stored.tokens, stored.at)
            wait_s = bucket.take(now, self.limit)
            stored.tokens, stored.at = bucket.tokens, bucket.at
            # A bucket idle this long is full again, exactly like no bucket: forget it.
            stored.forget_before = now - self.limit.burst * 60.0 / self.limit.per_minute
        return wait_s


class RateLimitGate(RequestGate):
    """Answers 429 to a client past its search rate, before the search runs."""

    def __init__(self, app: ASGIApp, limiter: SearchLimiter) -> None:
        super().__init__(app)
        self.limiter = limiter

    def refusal(self, request: Request) -> Response | None:
        """A 429 for a client past its search rate, else None (one token spent if a search)."""
        if request.url.path not in LIMITED_PATHS or not request.query_params.get("q", "").strip():
            return None
        client = request.client.host if request.client else "unknown"
        wait_s = self.limiter.take(client)
        if wait_s <= 0:
            return None
        retry_after = max(1, math.ceil(wait_s))
        limit = self.limiter.limit
        response = error_response(
            request, 429, f"too many searches from {client}: the limit is {limit.per_minute} a"
            f" minute after a burst of {limit.burst} (web.search_rate_per_minute,"
            f" web.search_burst); retry in {retry_after} s")
        response.headers["Retry-After"] = str(retry_after)
        return response
