"""View data kept for as long as the store has not changed: the front page is read far more
often than the store is written.

Why per store generation and not a time to live: a page cached for N seconds
would show a story that was just merged away, and a short TTL saves little. The
store's generation (`Store.generation`) changes with every commit by anyone, so
an entry is served only while it is exactly what the view would compute. The
generation is read *before* the view runs: a commit during the computation makes
the entry look older than it is (recomputed next time), never newer.

Entries are few and bounded (least recently used out first); each is the view's
data before rendering, so the HTML page and its JSON twin share one entry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

MAX_ENTRIES = 256
"""Front pages differ by filters, page and reader languages: a few hundred cover the
variants readers use without holding much memory (a front page's data is ~20 KB)."""


class PageCache:
    """Computed page data by key, valid for the generation it was computed in."""

    def __init__(self, generation: Callable[[], int], *, max_entries: int = MAX_ENTRIES) -> None:
        self._generation = generation
        self._max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The entry for ``key`` if it was computed in the current generation, else
        ``compute()`` (stored for this generation). Callers must not change the value."""
        generation = self._generation()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == generation:
                self._entries.move_to_end(key)
                self.hits += 1
                return found[1]
            self.misses += 1
        value = compute()  # outside the lock: other pages are served meanwhile
        with self._lock:
            self._entries[key] = (generation, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return value
