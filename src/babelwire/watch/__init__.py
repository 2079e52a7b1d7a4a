"""Watching feeds and sitemaps: scheduled, polite, conditional polling into the ingest path.

`Watcher` runs rounds over a feed list (`read_feed_list`); per feed it keeps
the validators (ETag, Last-Modified), the items seen and the error backoff in
a `WatchState` file; per host it keeps a minimum delay between requests
(`HostScheduler`) and obeys robots.txt (`RobotsRules`).
"""

from __future__ import annotations

from .feeds import read_feed_list
from .schedule import HostScheduler
from .state import FeedState, WatchState
from .watcher import PollOutcome, RoundReport, Watcher, WatchOptions, WatchRequest

__all__ = ["FeedState", "HostScheduler", "PollOutcome", "RoundReport", "WatchOptions",
           "WatchRequest", "WatchState", "Watcher", "read_feed_list"]
