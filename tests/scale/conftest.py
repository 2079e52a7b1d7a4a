"""Throw-away PostgreSQL (+pgvector) and Redis servers for the scale-out tests (issue 8).

They are started through scripts/postgres_test_cluster.py and
scripts/redis_test_server.py (which install what is missing when run as root
with apt) and stopped by PID when the session ends. Where they cannot start
(not root, no apt, no client library) the tests that need them are skipped
with the scripts' reason, except under ``CI=true``: CI must run them, so there
a missing service fails the test instead.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
# apt-get install plus the pgvector build took ~32 s here; a loaded CI machine gets headroom.
START_TIMEOUT_S = 900


@dataclass(frozen=True, slots=True)
class RunningService:
    """A server a script started: where to reach it and how it is stopped."""

    url: str
    pid: int
    stop_command: str
    details: dict[str, object]


def _unavailable(reason: str) -> None:
    """Skip, or fail under CI=true (CI installs the services in .ci/run)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and a scale-out service is unavailable: {reason}")
    pytest.skip(reason)


def _start(script: str, url_key: str) -> RunningService:
    try:
        out = subprocess.run([sys.executable, str(SCRIPTS / script), "start"],
                             capture_output=True, text=True, timeout=START_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as error:
        _unavailable(f"scripts/{script} start did not run: {error}")
        raise AssertionError("unreachable") from error
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["(no output)"])[-1]
        _unavailable(f"scripts/{script} start failed (exit {out.returncode}): {last}")
    info = json.loads(out.stdout)
    return RunningService(url=str(info[url_key]), pid=int(info["pid"]),
                          stop_command=str(info["stop"]), details=info)


def _stop(service: RunningService) -> None:
    subprocess.run(shlex.split(service.stop_command), check=True, capture_output=True,
                   timeout=60)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[RunningService]:
    """A PostgreSQL 15 cluster with pgvector available, on 127.0.0.1 and a free port."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed; pip install -e '.[scale]'")
    service = _start("postgres_test_cluster.py", "dsn")
    yield service
    _stop(service)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RunningService]:
    """A redis-server with persistence off, on 127.0.0.1 and a free port."""
    try:
        import redis  # noqa: F401
    except ImportError:
        _unavailable("redis (redis-py) is not installed; pip install -e '.[scale]'")
    service = _start("redis_test_server.py", "url")
    yield service
    _stop(service)
