"""The search rate limit shared by ``serve --workers`` processes through one scratch file."""

from __future__ import annotations

from pathlib import Path

from babelwire.db.rate_buckets import RateBucketFile
from babelwire.web.rate_limit import RateLimit, RateLimiter, SharedRateLimiter


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _pair(tmp_path: Path, limit: RateLimit, clock: _Clock) -> list[SharedRateLimiter]:
    """Two limiters over one file, each with its own connection, as two workers have."""
    path = tmp_path / "rate.sqlite"
    RateBucketFile(path).create()
    return [SharedRateLimiter(limit, RateBucketFile(path), clock=clock) for _ in range(2)]


def test_shared_limiters_spend_one_budget_per_client(tmp_path: Path) -> None:
    clock = _Clock()
    first, second = _pair(tmp_path, RateLimit(per_minute=60, burst=3), clock)
    waits = [limiter.take("10.0.0.1") for limiter in (first, second, first, second)]
    other_client = second.take("10.0.0.2")
    assert waits == [0.0, 0.0, 0.0, 1.0]  # burst of 3, then one a second
    assert other_client == 0.0


def test_shared_limiter_refills_like_the_in_process_one(tmp_path: Path) -> None:
    clock = _Clock()
    limit = RateLimit(per_minute=30, burst=2)
    shared = _pair(tmp_path, limit, clock)
    local = RateLimiter(limit, clock=clock)
    seen_shared, seen_local = [], []
    for step in range(12):
        clock.now += 0.7 * (step % 3)
        seen_shared.append(round(shared[step % 2].take("c"), 6))
        seen_local.append(round(local.take("c"), 6))
    assert seen_shared == seen_local
    assert 0.0 in seen_shared and max(seen_shared) > 0.0


def test_shared_limiter_forgets_buckets_that_are_full_again(tmp_path: Path) -> None:
    clock = _Clock()
    first, second = _pair(tmp_path, RateLimit(per_minute=60, burst=5), clock)
    for client in ("a", "b", "c"):
        first.take(client)
    clock.now += 5.5  # 5 tokens at one a second: every bucket is full again
    second.take("d")
    assert first.buckets.count() == 1
