"""Per-host politeness and error backoff, on an injectable clock (tests record, never sleep)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Request:
    """One request the scheduler let through: to which host, which URL, at what time."""

    host: str
    url: str
    at: float


@dataclass(slots=True)
class HostScheduler:
    """Lets a request to a host through only ``min_delay_s`` after the previous one to it.

    ``history`` records every request let through, so the schedule can be
    checked without timing anything.
    """

    min_delay_s: float
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    history: list[Request] = field(default_factory=list)
    _last: dict[str, float] = field(default_factory=dict)

    def wait_turn(self, url: str, *, min_delay_s: float | None = None) -> None:
        """Sleep until ``url``'s host may be asked again, then record the request.

        ``min_delay_s`` raises the delay for this host (a robots.txt Crawl-delay).
        """
        host = host_of(url)
        delay = max(self.min_delay_s, min_delay_s or 0.0)
        previous = self._last.get(host)
        if previous is not None:
            wait = previous + delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        now = self.clock()
        self._last[host] = now
        self.history.append(Request(host, url, now))


def host_of(url: str) -> str:
    """``host:port`` of a URL, lower-cased (politeness is per server, so the port counts)."""
    return urlsplit(url).netloc.lower().rpartition("@")[2]


def backoff_s(failures: int, *, base_s: float, max_s: float) -> float:
    """Seconds to wait after ``failures`` failures in a row: base, 2x base, 4x base ..., capped."""
    return min(max_s, base_s * 2 ** max(0, failures - 1))
