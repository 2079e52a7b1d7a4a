"""The ingest queue between fetchers and processors (issue 8), behind one small interface.

`ArticleQueue` is the protocol; `MemoryQueue` serves tests and single-process
runs, `RedisStreamQueue` (``redis://`` URLs, needs the ``scale`` extra) serves
processes on several machines. A Kafka adapter would be one more module.
"""

from __future__ import annotations

from .memory import MemoryQueue
from .protocol import ArticleQueue, QueueMessage, open_queue

__all__ = ["ArticleQueue", "MemoryQueue", "QueueMessage", "open_queue"]
