"""What the watcher remembers between polls, per feed, in one JSON file.

A JSON file beside the store, not a table in it: the state belongs to the
watcher (a store may be fed by several watchers with their own lists), and it
is small (validators, a bounded list of seen item keys, error counts).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import ConfigError

# Items remembered per feed: feeds list their newest 10-100 items and sitemaps up
# to 50,000 URLs; the store's content-hash dedup catches anything forgotten.
MAX_SEEN_PER_FEED = 50_000
STATE_VERSION = 1


@dataclass(slots=True)
class FeedState:
    """One feed's validators, seen item keys and error backoff (times are Unix seconds)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)
    failures: int = 0
    next_poll_at: float = 0.0
    last_status: int | None = None
    last_error: str | None = None

    def remember(self, keys: list[str]) -> None:
        """Add item keys, keeping the newest `MAX_SEEN_PER_FEED`."""
        known = set(self.seen)
        self.seen += [k for k in keys if k not in known]
        del self.seen[:-MAX_SEEN_PER_FEED]


@dataclass(slots=True)
class WatchState:
    """The state of every feed, loaded from and saved to ``path``."""

    path: Path
    feeds: dict[str, FeedState] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> WatchState:
        """The saved state, or an empty one if ``path`` does not exist yet."""
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            feeds = {url: FeedState(**values) for url, values in raw["feeds"].items()}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ConfigError(f"{path}: unreadable watch state ({type(error).__name__}: {error});"
                              " delete it to start over (feeds are then polled afresh; the store"
                              " drops duplicates)") from error
        return cls(path, feeds)

    def feed(self, url: str) -> FeedState:
        """The state of ``url``, created empty when first seen."""
        return self.feeds.setdefault(url, FeedState(url))

    def save(self) -> None:
        """Write atomically (a temporary file renamed over the old one)."""
        payload = {"version": STATE_VERSION,
                   "feeds": {url: asdict(state) for url, state in self.feeds.items()}}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)
