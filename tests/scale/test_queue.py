"""The ingest queue contract, on the in-memory queue and on a real redis-server (issue 8)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from babelwire.errors import ConfigError
from babelwire.queue import ArticleQueue, MemoryQueue, QueueMessage, open_queue
from tests.scale.conftest import RunningService

SRC = Path(__file__).resolve().parents[2] / "src"
# A deadline for waiting on another process or on Redis's idle clock, not a speed claim.
WAIT_DEADLINE_S = 60.0


class FakeClock:
    """A monotonic clock the memory-queue tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _redis_queue(service: RunningService) -> ArticleQueue:
    return open_queue(service.url, name=f"test:{uuid.uuid4().hex}", group="processors")


@pytest.fixture(params=["memory", "redis"])
def make_queue(request: pytest.FixtureRequest) -> Iterator[Callable[[], ArticleQueue]]:
    """A factory of queues on one stream (several handles, as several processes would have)."""
    if request.param == "memory":
        shared = MemoryQueue()
        yield lambda: shared
        return
    service: RunningService = request.getfixturevalue("redis_server")
    stream = f"test:{uuid.uuid4().hex}"
    opened: list[ArticleQueue] = []

    def make() -> ArticleQueue:
        opened.append(open_queue(service.url, name=stream, group="processors"))
        return opened[-1]

    yield make
    for queue in opened:
        queue.close()


def _payloads(messages: list[QueueMessage]) -> list[str]:
    return [m.payload["article_id"] for m in messages]


def test_queue_delivers_in_push_order_and_ack_ends_pending(
        make_queue: Callable[[], ArticleQueue]) -> None:
    queue = make_queue()
    ids = [queue.push({"article_id": f"a{n}"}) for n in range(5)]
    first = queue.consume("c1", count=3)
    rest = queue.consume("c1", count=10)
    assert _payloads(first) == ["a0", "a1", "a2"]
    assert _payloads(rest) == ["a3", "a4"]
    assert [m.id for m in first + rest] == ids
    assert queue.pending() == 5
    assert queue.ack([m.id for m in first]) == 3
    assert queue.ack([m.id for m in first]) == 0  # acknowledging twice changes nothing
    assert queue.pending() == 2
    assert queue.consume("c1", count=10) == []


def test_queue_consumers_of_one_group_share_the_messages(
        make_queue: Callable[[], ArticleQueue]) -> None:
    producer, one, two = make_queue(), make_queue(), make_queue()
    for n in range(6):
        producer.push({"article_id": f"a{n}"})
    got_one = one.consume("c1", count=4)
    got_two = two.consume("c2", count=4)
    assert _payloads(got_one) == ["a0", "a1", "a2", "a3"]
    assert _payloads(got_two) == ["a4", "a5"]


def test_queue_reclaim_stale_leaves_messages_inside_the_timeout(
        make_queue: Callable[[], ArticleQueue]) -> None:
    queue = make_queue()
    queue.push({"article_id": "a0"})
    taken = queue.consume("c1", count=1)
    assert queue.reclaim_stale("c2", idle_s=3600, count=10) == []
    assert queue.pending() == 1
    assert _payloads(taken) == ["a0"]


def test_memory_queue_reclaims_after_the_timeout_with_delivery_count() -> None:
    clock = FakeClock()
    queue = MemoryQueue(clock=clock)
    queue.push({"article_id": "a0"})
    queue.consume("dead", count=1)
    clock.now += 29.0
    assert queue.reclaim_stale("alive", idle_s=30.0, count=10) == []
    clock.now += 1.0
    claimed = queue.reclaim_stale("alive", idle_s=30.0, count=10)
    assert [(m.payload["article_id"], m.deliveries) for m in claimed] == [("a0", 2)]
    assert queue.reclaim_stale("other", idle_s=30.0, count=10) == []  # its clock restarted


def test_open_queue_refuses_an_unknown_url_naming_the_choices() -> None:
    with pytest.raises(ConfigError) as error:
        open_queue("kafka://broker:9092")
    assert str(error.value) == ("unknown queue URL 'kafka://broker:9092'; use memory:// or"
                                " redis://HOST:PORT/DB")


_DOOMED_CONSUMER = """
import sys
from babelwire.queue import open_queue
queue = open_queue(sys.argv[1], name=sys.argv[2], group="processors")
batch = queue.consume("doomed", count=5)
queue.ack([m.id for m in batch[:2]])  # two finished and acknowledged, three still in work
print(" ".join(m.id for m in batch), flush=True)
sys.stdin.read()  # "processing" until killed
"""


def _run_doomed_consumer(service: RunningService, stream: str) -> tuple[subprocess.Popen[str],
                                                                         list[str]]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-c", _DOOMED_CONSUMER, service.url, stream],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line.split()


def _reclaim_until(queue: ArticleQueue, consumer: str, *, expected: int,
                   idle_s: float) -> list[QueueMessage]:
    """Poll for stale messages until ``expected`` arrived (Redis ages entries on its own clock)."""
    claimed: list[QueueMessage] = []
    deadline = time.monotonic() + WAIT_DEADLINE_S
    while len(claimed) < expected and time.monotonic() < deadline:
        claimed += queue.reclaim_stale(consumer, idle_s=idle_s, count=expected)
        time.sleep(0.05)
    return claimed


def test_redis_queue_killed_consumer_messages_are_reclaimed_once(
        redis_server: RunningService) -> None:
    stream = f"test:{uuid.uuid4().hex}"
    queue = open_queue(redis_server.url, name=stream, group="processors")
    pushed = [queue.push({"article_id": f"a{n}"}) for n in range(20)]
    doomed, doomed_ids = _run_doomed_consumer(redis_server, stream)
    with doomed:
        os.kill(doomed.pid, signal.SIGKILL)
        assert doomed.wait(timeout=WAIT_DEADLINE_S) == -signal.SIGKILL
    processed: list[str] = list(doomed_ids[:2])  # what the dead consumer acknowledged

    fresh = queue.consume("survivor", count=100)
    processed += [m.id for m in fresh]
    assert queue.ack([m.id for m in fresh]) == 15
    assert queue.reclaim_stale("survivor", idle_s=3600, count=100) == []  # not stale yet
    reclaimed = _reclaim_until(queue, "survivor", expected=3, idle_s=0.2)
    processed += [m.id for m in reclaimed]
    assert queue.ack([m.id for m in reclaimed]) == 3

    assert [m.id for m in reclaimed] == doomed_ids[2:]
    assert [m.deliveries for m in reclaimed] == [2, 2, 2]
    assert sorted(processed) == sorted(pushed)  # nothing lost, nothing twice
    assert queue.pending() == 0
    assert queue.reclaim_stale("late", idle_s=0, count=100) == []
    assert queue.consume("late", count=100) == []
    queue.close()
