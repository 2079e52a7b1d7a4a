"""An in-process `ArticleQueue`: for tests and single-process runs, with the Redis semantics."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .protocol import QueueMessage


@dataclass(slots=True)
class _Pending:
    consumer: str
    delivered_at: float
    deliveries: int


class MemoryQueue:
    """Messages in a dict, delivered in push order; pending entries tracked per consumer.

    ``clock`` (seconds, monotonic) is injectable so tests can age pending
    messages without sleeping.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._messages: dict[str, dict[str, str]] = {}
        self._undelivered: list[str] = []
        self._pending: dict[str, _Pending] = {}
        self._ids = itertools.count(1)
        self._ready = threading.Condition()

    def push(self, payload: Mapping[str, str]) -> str:
        """Append one message; return its id (``N-0``, like a Redis stream id)."""
        with self._ready:
            message_id = f"{next(self._ids)}-0"
            self._messages[message_id] = dict(payload)
            self._undelivered.append(message_id)
            self._ready.notify_all()
        return message_id

    def consume(self, consumer: str, *, count: int, block_s: float = 0.0) -> list[QueueMessage]:
        """Up to ``count`` new messages for ``consumer``; waits up to ``block_s`` for one."""
        with self._ready:
            if not self._undelivered and block_s > 0:
                self._ready.wait_for(lambda: bool(self._undelivered), timeout=block_s)
            taken, self._undelivered = self._undelivered[:count], self._undelivered[count:]
            now = self._clock()
            for message_id in taken:
                self._pending[message_id] = _Pending(consumer, now, 1)
            return [QueueMessage(i, dict(self._messages[i]), 1) for i in taken]

    def ack(self, ids: Sequence[str]) -> int:
        """Forget pending messages; return how many were pending."""
        with self._ready:
            done = [i for i in ids if self._pending.pop(i, None) is not None]
            for message_id in done:
                self._messages.pop(message_id, None)
            return len(done)

    def reclaim_stale(self, consumer: str, *, idle_s: float, count: int) -> list[QueueMessage]:
        """Hand messages pending longer than ``idle_s`` to ``consumer`` (oldest id first)."""
        with self._ready:
            now = self._clock()
            stale = [i for i, entry in self._pending.items()
                     if now - entry.delivered_at >= idle_s][:count]
            claimed = []
            for message_id in stale:
                entry = self._pending[message_id]
                entry.consumer, entry.delivered_at = consumer, now
                entry.deliveries += 1
                claimed.append(QueueMessage(message_id, dict(self._messages[message_id]),
                                            entry.deliveries))
            return claimed

    def pending(self) -> int:
        """How many delivered messages are not acknowledged yet."""
        with self._ready:
            return len(self._pending)

    def close(self) -> None:
        """Nothing to release: the messages live as long as this object."""
