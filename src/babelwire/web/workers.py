"""Several server processes on one port: ``serve --workers N``, a small pre-fork supervisor.

Why processes: a story page costs ~9 ms of Python CPU, and one process runs
Python on about one core (the GIL), so 8 clients queue behind each other even
when the machine has idle cores. N processes serve N pages at once.

Why our own pre-fork and not uvicorn's ``workers=``: uvicorn spawns fresh
interpreters that import the app from a string, so each worker would rebuild
the settings and the access policy on its own, and the first-start API token
(made once, printed once) would have to travel through the environment or be
made N times. Here the parent decides everything once (settings, token,
read-only, the shared rate-limit file), binds the socket, then forks: each
worker inherits the decided policy and the listening socket, and opens its own
store connection after the fork (SQLite connections and the writer thread must
never cross a fork, so the parent holds no open store when it forks).

The parent only supervises. SIGTERM or SIGINT to the parent is passed to every
worker, which finishes its requests (at most `GRACEFUL_S`) and exits; the
parent exits when all are reaped. A worker that exits on its own is a failure,
not something to hide by restarting: the parent stops the others and exits 1
with the worker's PID and status in the log. Each worker also asks the kernel
for SIGTERM if the parent dies (``PR_SET_PDEATHSIG``), so even a SIGKILLed
parent leaves no workers behind.

All workers accept from one listening socket; a busy worker is not waiting in
``accept``, so new connections go to the idle ones.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

log = logging.getLogger(__name__)

GRACEFUL_S = 10
"""Seconds a stopping worker waits for requests in flight before closing them."""
LISTEN_BACKLOG = 2048
"""uvicorn's default; connections queue here while every worker is busy."""
PR_SET_PDEATHSIG = 1
STARTUP_FAILURE = 3
"""uvicorn's exit status when the server never started (e.g. the port is taken)."""

AppFactory = Callable[[], AbstractContextManager[ASGIApp]]
"""Called in each worker after the fork: opens that worker's store and yields its app."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ServeConfig:
    """Where and how many processes serve.

    Attributes:
        host, port: the address to bind.
        workers: server processes (1 serves in this process, without forking).
        keep_alive_s: idle seconds before a keep-alive connection is closed.
    """

    host: str
    port: int
    workers: int = 1
    keep_alive_s: int = 5

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be 1 or more; got {self.workers}")


def serve(make_app: AppFactory, config: ServeConfig) -> int:
    """Serve until stopped; returns the exit status (0 after a requested stop)."""
    if config.workers == 1:
        with make_app() as app:
            server = uvicorn.Server(_uvicorn_config(app, config))
            server.run()
        return 0 if server.started else STARTUP_FAILURE
    listener = _listen(config.host, config.port)
    try:
        return _supervise(make_app, config, listener)
    finally:
        listener.close()


def _uvicorn_config(app: ASGIApp, config: ServeConfig) -> uvicorn.Config:
    return uvicorn.Config(app, host=config.host, port=config.port, log_level="warning",
                          timeout_keep_alive=config.keep_alive_s,
                          timeout_graceful_shutdown=GRACEFUL_S)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host.strip("[]"), port))
    except OSError as e:
        listener.close()
        raise OSError(e.errno, f"cannot bind {host}:{port}: {e.strerror}; is another server"
                      " on that port? choose another with --port") from e
    listener.listen(LISTEN_BACKLOG)
    listener.set_inheritable(True)
    return listener


def _supervise(make_app: AppFactory, config: ServeConfig, listener: socket.socket) -> int:
    """Fork the workers, then wait: pass a stop on to them, or stop all if one dies."""
    parent = os.getpid()
    children: set[int] = set()
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        _signal_all(children, signal.SIGTERM)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for _ in range(config.workers):
            children.add(_fork_worker(make_app, config, listener, parent))
        log.warning("serving on %s:%s with %d workers (PIDs %s)", config.host, config.port,
                    config.workers, ", ".join(map(str, sorted(children))))
        status = 0
        while children:
            pid, wait_status = os.waitpid(-1, 0)
            children.discard(pid)
            if not stopping:
                log.error("worker %d exited on its own (status %d); stopping the other"
                          " workers", pid, os.waitstatus_to_exitcode(wait_status))
                status, stopping = 1, True
                _signal_all(children, signal.SIGTERM)
        return status
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _signal_all(children: set[int], signum: int) -> None:
    for pid in sorted(children):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:  # exited already; waitpid reaps it
            pass


def _fork_worker(make_app: AppFactory, config: ServeConfig, listener: socket.socket,
                 parent: int) -> int:
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_DFL)  # uvicorn installs its own on start
        _die_with(parent)
        with make_app() as app:
            uvicorn.Server(_uvicorn_config(app, config)).run(sockets=[listener])
        status = 0
    except BaseException:  # a worker must never return into the parent's code
        log.exception("worker %d failed", os.getpid())
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _die_with(parent: int) -> None:
    """Ask Linux for SIGTERM when the parent dies; exit now if it died already."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os._exit(1)

