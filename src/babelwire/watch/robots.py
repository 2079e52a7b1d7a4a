"""robots.txt rules per host, fetched once per ``ttl_s`` (RFC 9309 semantics on errors).

RFC 9309 section 2.3.1: a 4xx answer means no rules (everything allowed); a 5xx
answer or an unreachable server means assume everything is disallowed until a
later fetch succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from ..errors import SourceError
from ..sources.fetch import FetchedPage
from .schedule import host_of

logger = logging.getLogger(__name__)
ROBOTS_AGENT = "babelwire"
ROBOTS_MAX_BYTES = 500_000  # RFC 9309 asks parsers to read at least 500 KiB
ROBOTS_TTL_S = 24 * 3600  # RFC 9309: caching beyond 24 h should not happen


@dataclass(frozen=True, slots=True)
class HostRules:
    """The rules of one host as fetched at ``fetched_at``."""

    parser: RobotFileParser | None  # None: disallow everything (5xx or unreachable)
    fetched_at: float
    reason: str

    def allows(self, url: str) -> bool:
        return self.parser is not None and self.parser.can_fetch(ROBOTS_AGENT, url)

    def crawl_delay_s(self) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(ROBOTS_AGENT)
        return float(delay) if delay is not None else None


@dataclass(slots=True)
class RobotsRules:
    """robots.txt per host, through ``fetch`` (which must return 4xx/5xx pages, not raise)."""

    fetch: Callable[[str], FetchedPage]
    clock: Callable[[], float]
    ttl_s: float = ROBOTS_TTL_S
    _hosts: dict[str, HostRules] = field(default_factory=dict)

    def rules_for(self, url: str, before_fetch: Callable[[str], None]) -> HostRules:
        """The rules of ``url``'s host; ``before_fetch(robots_url)`` runs before a fetch."""
        host = host_of(url)
        cached = self._hosts.get(host)
        if cached is not None and self.clock() - cached.fetched_at < self.ttl_s:
            return cached
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        before_fetch(robots_url)
        rules = self._fetch_rules(robots_url)
        self._hosts[host] = rules
        return rules

    def _fetch_rules(self, robots_url: str) -> HostRules:
        now = self.clock()
        try:
            page = self.fetch(robots_url)
        except SourceError as error:
            logger.warning("%s: unreachable (%s); treating the host as disallowed", robots_url,
                           error)
            return HostRules(None, now, f"robots.txt unreachable: {error}")
        if page.status >= 500:
            return HostRules(None, now, f"robots.txt answered HTTP {page.status}")
        parser = RobotFileParser(robots_url)
        if page.status >= 400:
            parser.parse([])  # no rules: everything allowed
            return HostRules(parser, now, f"no robots.txt (HTTP {page.status})")
        parser.parse(page.body.decode("utf-8", "replace").splitlines())
        return HostRules(parser, now, "robots.txt")
