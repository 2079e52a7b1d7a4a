"""`ArticleQueue` on a Redis stream with one consumer group (needs the ``scale`` extra: redis-py).

XADD pushes; XREADGROUP ``>`` delivers never-delivered entries to a named
consumer and records them in the group's pending entries list (PEL); XACK
removes them from it; XAUTOCLAIM moves entries idle in the PEL for longer than
the timeout to another consumer (a processor that died keeps nothing).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ConfigError, StorageError
from .protocol import QueueMessage

logger = logging.getLogger(__name__)
MS_PER_S = 1000


class RedisStreamQueue:
    """One stream (``stream``) consumed by one consumer group (``group``)."""

    def __init__(self, client: Any, *, stream: str, group: str,
                 max_length: int | None = None) -> None:
        """Use ``client`` (a ``redis.Redis`` with ``decode_responses=True``); create the group.

        ``max_length`` trims the stream approximately (XADD MAXLEN ~) so a long
        run does not fill Redis's memory; None keeps every entry.
        """
        self._client = client
        self.stream = stream
        self.group = group
        self.max_length = max_length
        self._ensure_group()

    @classmethod
    def from_url(cls, url: str, *, stream: str, group: str) -> RedisStreamQueue:
        """Connect to ``url`` (``redis://host:port/db``)."""
        try:
            import redis
        except ImportError as error:
            raise ConfigError(f"queue {url!r} needs redis-py; pip install 'babelwire[scale]'"
                              ) from error
        return cls(redis.Redis.from_url(url, decode_responses=True), stream=stream,
                   group=group)

    def _ensure_group(self) -> None:
        import redis

        try:
            self._client.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except redis.ResponseError as error:
            if "BUSYGROUP" not in str(error):  # the group exists: another process made it
                raise StorageError(f"cannot create consumer group {self.group!r} on stream"
                                   f" {self.stream!r}: {error}") from error
        except redis.ConnectionError as error:
            raise StorageError(f"cannot reach Redis for queue {self.stream!r}: {error}; check"
                               " the queue URL and that redis-server runs") from error

    def push(self, payload: Mapping[str, str]) -> str:
        """XADD one entry; return its stream id."""
        if not payload:
            raise ValueError("a queue message needs at least one field (Redis refuses empty"
                             " stream entries)")
        kwargs = {} if self.max_length is None else {"maxlen": self.max_length,
                                                     "approximate": True}
        return str(self._client.xadd(self.stream, dict(payload), **kwargs))

    def consume(self, consumer: str, *, count: int, block_s: float = 0.0) -> list[QueueMessage]:
        """XREADGROUP ``>``: up to ``count`` new entries, pending for ``consumer`` from now on."""
        block = int(block_s * MS_PER_S) if block_s > 0 else None
        reply = self._client.xreadgroup(self.group, consumer, {self.stream: ">"}, count=count,
                                        block=block)
        return [QueueMessage(str(i), dict(fields), 1)
                for _stream, entries in reply or [] for i, fields in entries]

    def ack(self, ids: Sequence[str]) -> int:
        """XACK; return how many were pending."""
        return int(self._client.xack(self.stream, self.group, *ids)) if ids else 0

    def reclaim_stale(self, consumer: str, *, idle_s: float, count: int) -> list[QueueMessage]:
        """XAUTOCLAIM entries idle over ``idle_s``, scanning the whole PEL, up to ``count``."""
        claimed: list[QueueMessage] = []
        cursor = "0-0"
        while len(claimed) < count:
            reply = self._client.xautoclaim(self.stream, self.group, consumer,
                                            min_idle_time=int(idle_s * MS_PER_S),
                                            start_id=cursor, count=count - len(claimed))
            cursor, entries = str(reply[0]), reply[1]
            if len(reply) > 2 and reply[2]:  # entries trimmed away while pending: gone for good
                logger.warning("queue %s: %d pending entries were trimmed before anyone"
                               " acknowledged them: %s", self.stream, len(reply[2]), reply[2])
            claimed += [QueueMessage(str(i), dict(fields)) for i, fields in entries if fields]
            if cursor == "0-0":
                break
        return self._with_deliveries(consumer, claimed)

    def _with_deliveries(self, consumer: str,
                         messages: list[QueueMessage]) -> list[QueueMessage]:
        """The messages with their delivery counts from XPENDING (one range call)."""
        if not messages:
            return messages
        rows = self._client.xpending_range(self.stream, self.group, min=messages[0].id,
                                           max=messages[-1].id, count=len(messages) * 2,
                                           consumername=consumer)
        counts = {str(row["message_id"]): int(row["times_delivered"]) for row in rows}
        return [QueueMessage(m.id, m.payload, counts.get(m.id, 2)) for m in messages]

    def pending(self) -> int:
        """XPENDING summary: entries delivered and not acknowledged."""
        return int(self._client.xpending(self.stream, self.group)["pending"])

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()
