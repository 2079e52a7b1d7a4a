"""A real `babelwire serve` for end-to-end tests: a store made by the CLI, a server on loopback.

Both run as subprocesses, as a user runs them; the server is stopped by its own
PID (never by name: other servers may be running on this machine).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from babelwire.samples import sample_paths

CLI = [sys.executable, "-m", "babelwire"]
INGEST_TIMEOUT_S = 900
START_TIMEOUT_S = 60
HOSTILE_ID = "hostile-script"
HOSTILE_TEXT = ("This report quotes <script>document.title='pwned'</script> verbatim and an"
                " <img src=x onerror=alert(1)> tag.\nBoeing and Airbus are named here.")


def write_demo_corpus(path: Path, per_language: int) -> Path:
    """The first ``per_language`` MEANTIME articles of each language (the same stories
    translated, so a search in one language has answers in the others) plus one
    article whose title and text hold markup and script."""
    lines = []
    for lang in ("en", "es", "it", "nl"):
        [sample] = [p for p in sample_paths() if p.name == f"meantime-{lang}.jsonl"]
        source = sample.read_text(encoding="utf-8")
        lines += source.splitlines()[:per_language]
    lines.append(json.dumps({"id": HOSTILE_ID, "lang": "en", "date": "2008-03-02",
                             "title": "<script>alert('title')</script> Hostile headline",
                             "text": HOSTILE_TEXT}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest(db: Path, corpus: Path, stages: Sequence[str]) -> dict:
    """Run ``babelwire ingest`` with these stages; return its JSON summary."""
    done = subprocess.run(
        [*CLI, "--db", str(db), "--set", "pipeline.stages=" + ",".join(stages), "ingest",
         str(corpus)], capture_output=True, text=True, timeout=INGEST_TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ingest exited {done.returncode}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(db: Path, *extra: str, host: str = "127.0.0.1") -> Iterator[str]:
    """``babelwire serve`` on a free port; yields its base URL, stops it by PID."""
    with serving_process(db, *extra, host=host) as (base, _server):
        yield base


@contextmanager
def serving_process(db: Path, *extra: str, host: str = "127.0.0.1",
                    settings: Sequence[str] = ()) -> Iterator[tuple[str, subprocess.Popen]]:
    """Like `serving`, and also yields the server's process (``settings``: ``--set`` values)."""
    port = free_port()
    sets = [arg for value in settings for arg in ("--set", value)]
    log_path = db.parent / f"serve-{port}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen([*CLI, "--db", str(db), *sets, "serve", "--host", host,
                                   "--port", str(port), *extra], stdout=log,
                                  stderr=subprocess.STDOUT,
                                  env={**os.environ, "OMP_NUM_THREADS": "1"})
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(server, base, log_path)
            yield base, server
        finally:
            stop(server)


def wait_until_up(server: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"serve exited {server.returncode}: {log.read_text()[-2000:]}")
        try:
            httpx.get(f"{base}/openapi.json", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"serve did not answer at {base} within {START_TIMEOUT_S} s")


def children_of(pid: int) -> set[int]:
    """The PIDs of ``pid``'s child processes (Linux /proc)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in path.read_text().split()} if path.exists() else set()


def is_running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def owner_of_connection(client: socket.socket, pids: set[int]) -> int | None:
    """Which of ``pids`` holds the server end of ``client``'s TCP connection (/proc/net/tcp
    names the socket's inode; /proc/PID/fd names who holds it)."""
    client_port = client.getsockname()[1]
    server_port = client.getpeername()[1]
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == server_port and \
                int(remote.split(":")[1], 16) == client_port:
            inode = fields[9]
    for pid in pids:
        fds = Path(f"/proc/{pid}/fd")
        for fd in fds.iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:  # closed while we looked
                continue
    return None


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait(timeout=15)
