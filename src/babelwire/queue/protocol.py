"""What every ingest queue offers: push, consume a batch, acknowledge, re-claim stale messages.

The contract (at-least-once delivery, as Redis Streams and Kafka consumer
groups give): a consumed message stays *pending* for its consumer until it is
acknowledged; a pending message whose consumer died is handed to another
consumer by `ArticleQueue.reclaim_stale` once it has been pending longer than
a timeout. An acknowledged message is never delivered again. So a processor
acknowledges only after its work is stored, and its work must be idempotent
(a message re-claimed from a consumer that died after storing but before
acknowledging is processed twice; the store's content-hash dedup absorbs it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..errors import ConfigError


@dataclass(frozen=True, slots=True)
class QueueMessage:
    """One delivered message: its queue-assigned id, its fields, and how often it was delivered."""

    id: str
    payload: Mapping[str, str]
    deliveries: int = 1


class ArticleQueue(Protocol):
    """A work queue with consumer groups and acknowledgements (see the module docstring)."""

    def push(self, payload: Mapping[str, str]) -> str:
        """Append one message; return its id."""
        ...

    def consume(self, consumer: str, *, count: int, block_s: float = 0.0) -> list[QueueMessage]:
        """Up to ``count`` never-delivered messages for ``consumer``, now pending for it.

        Waits up to ``block_s`` seconds when there are none (0: return at once).
        """
        ...

    def ack(self, ids: Sequence[str]) -> int:
        """Mark messages done; return how many were pending (others are ignored)."""
        ...

    def reclaim_stale(self, consumer: str, *, idle_s: float, count: int) -> list[QueueMessage]:
        """Take over up to ``count`` messages pending for longer than ``idle_s`` seconds."""
        ...

    def pending(self) -> int:
        """How many delivered messages are not acknowledged yet."""
        ...

    def close(self) -> None:
        """Release the connection (the queued messages stay where they are)."""
        ...


def open_queue(url: str, *, name: str = "babelwire:articles",
               group: str = "processors") -> ArticleQueue:
    """The queue a URL names: ``memory://`` (this process only) or ``redis://host:port/db``.

    Args:
        url: where the queue lives.
        name: the stream (Redis key) that holds the messages.
        group: the consumer group processors share.
    """
    if url == "memory://":
        from .memory import MemoryQueue

        return MemoryQueue()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from .redis_streams import RedisStreamQueue

        return RedisStreamQueue.from_url(url, stream=name, group=group)
    raise ConfigError(f"unknown queue URL {url!r}; use memory:// or redis://HOST:PORT/DB")
