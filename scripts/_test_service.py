"""What the throw-away test services (PostgreSQL, Redis) share: free ports, waits, stop by PID.

Imported by scripts/postgres_test_cluster.py and scripts/redis_test_server.py
(run as scripts, so this folder is on ``sys.path``); not part of the package.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time

WAIT_STEP_S = 0.1


def log(message: str) -> None:
    """One line on stderr: stdout carries only the JSON the callers parse."""
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, pid: int, timeout_s: float) -> None:
    """Return once 127.0.0.1:``port`` accepts connections; fail if ``pid`` dies first."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not is_alive(pid):
            raise SystemExit(f"the server (pid {pid}) exited before listening on port {port};"
                             " see its log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=WAIT_STEP_S):
                return
        except OSError:
            time.sleep(WAIT_STEP_S)
    raise SystemExit(f"nothing listened on 127.0.0.1:{port} within {timeout_s:.0f} s"
                     f" (pid {pid}); see its log")


def is_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (a zombie child counts as gone)."""
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass  # not our child: fall through to the signal-0 probe
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_pid(pid: int, sig: signal.Signals, timeout_s: float) -> bool:
    """Send ``sig`` to ``pid`` and wait for it to exit; SIGKILL after ``timeout_s``.

    Returns whether the process was running when asked to stop.
    """
    if not is_alive(pid):
        return False
    os.kill(pid, sig)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not is_alive(pid):
            return True
        time.sleep(WAIT_STEP_S)
    log(f"pid {pid} still running {timeout_s:.0f} s after {sig.name}; sending SIGKILL")
    os.kill(pid, signal.SIGKILL)
    return True


def emit(payload: dict[str, object]) -> None:
    """Print the machine-readable result (one JSON object) on stdout."""
    print(json.dumps(payload), flush=True)
