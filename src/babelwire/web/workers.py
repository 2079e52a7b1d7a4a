"""Several server processes on one port: ``serve --workers N``, a small pre-fork supervisor.

Why processes: a story page costs ~9 ms of Python CPU, and one process runs
Python on about one core (the GIL), so 8 clients queue behind each other even
when the machine has idle cores. N processes serve N pages at once.

Why our own pre-fork and not uvicorn's ``workers=``: uvicorn spawns fresh
interpreters that import the app from a string, so each worker would rebuild
the settings and the access policy on its own, and the first-start API token
(made once, printed once) would have to travel through the environment or be
made N times. Here the parent decides everything once (settings, token,
read-only, the shared rate-limit file), binds the sockets, then forks: each
worker inherits the decided policy and its listening socket, and opens its own
store connection after the fork (SQLite connections and the writer thread must
never cross a fork, so the parent holds no open store when it forks).

The parent only supervises. SIGTERM or SIGINT to the parent is passed to every
worker, which finishes its requests (at most `GRACEFUL_S`) and exits; the
parent exits when all are reaped. A worker that exits on its own is a failure,
not something to hide by restarting: the parent stops the others and exits 1
with the worker's PID and status in the log. Each worker also asks the kernel
for SIGTERM if the parent dies (``PR_SET_PDEATHSIG``), so even a SIGKILLed
parent leaves no workers behind.

Each worker listens on its own socket bound to the same port with
``SO_REUSEPORT``, and the kernel spreads new connections over them by a hash of
the connection's addresses. Why not one shared socket (as uvicorn's and
gunicorn's workers do): asyncio accepts up to its backlog of connections each
time the socket is readable, so a burst of connections went mostly to the first
worker to wake: 8 connections opened at once split 7/1 and 6/2 over 2 workers
(and still 7/1, 5/3, 6/2 with one accept per wake-up); with ``SO_REUSEPORT``
eight tries gave 4/4 twice, 5/3 five times and 6/2 once, with no worker
favoured. Keep-alive connections stay on the worker that accepted them, so an
imbalance lasts as long as the connection. The parent binds every
socket before forking, after checking with a plain bind that nothing else holds
the port: a second ``serve`` on the same port fails instead of silently joining
this one's group.
"""

from __future__ import annotations

import ctypes
import gc
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

from ..errors import ConfigError

log = logging.getLogger(__name__)

GRACEFUL_S = 10
"""Seconds a stopping worker waits for requests in flight before closing them."""
LISTEN_BACKLOG = 2048
"""uvicorn's default; connections queue here while every worker is busy."""
PR_SET_PDEATHSIG = 1
STARTUP_FAILURE = 3
"""uvicorn's exit status when the server never started (e.g. the port is taken)."""

GC_YOUNG_OBJECTS = 10_000
"""Allocations between two collections of the youngest generation (CPython's default is
700). A big story page allocates a few thousand tracked objects (members, chart bars,
rows), so at 700 each request paid several young collections, and every tenth of them
also went over the middle generation (where the page cache's newest entries wait):
6.35/6.55 → 5.90/5.65 ms of server CPU per story request with this and `gc.freeze`
(session 6, 1M store, load 8-9). Garbage in cycles waits at most this many allocations
longer to be freed."""

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
            _tune_collector()
            server = uvicorn.Server(_uvicorn_config(app, config))
            server.run()
        return 0 if server.started else STARTUP_FAILURE
    listeners = _listen_all(config.host, config.port, config.workers)
    try:
        return _supervise(make_app, config, listeners)
    finally:
        for listener in listeners:
            listener.close()


def _uvicorn_config(app: ASGIApp, config: ServeConfig) -> uvicorn.Config:
    return uvicorn.Config(app, host=config.host, port=config.port, log_level="warning",
                          timeout_keep_alive=config.keep_alive_s,
                          timeout_graceful_shutdown=GRACEFUL_S)


def _listen_all(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` listening sockets on one port (``SO_REUSEPORT``), after a plain bind found
    the port free."""
    probe = _bound(host, port, reuse_port=False)
    probe.close()
    listeners: list[socket.socket] = []
    try:
        for _ in range(count):
            listeners.append(_bound(host, port, reuse_port=True))
            listeners[-1].listen(LISTEN_BACKLOG)
    except BaseException:
        for listener in listeners:
            listener.close()
        raise
    return listeners


def _bound(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that
    # say they are TCP; with proto 0 every small page waited ~40 ms for a delayed ACK (2
    # workers capped at 145 req/s on the front page, one process 330/s, same run).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as e:
        sock.close()
        raise ConfigError(f"cannot bind {host}:{port}: {e.strerror}; is another server on"
                           " that port? choose another with --port") from e
    return sock


def _supervise(make_app: AppFactory, config: ServeConfig,
               listeners: list[socket.socket]) -> int:
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
        for index in range(config.workers):
            if stopping:  # a stop during start-up: fork no more, stop those started
                break
            children.add(_fork_worker(make_app, config, listeners, index, parent))
        for listener in listeners:  # each is now only its worker's: it goes when that does
            listener.close()
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


def _tune_collector() -> None:
    """Before serving: move everything built so far (the app, routes, templates, the
    encoder if loaded) out of the collector's view and collect the young generation less
    often. Only server processes do this, after their app is built; tests and library
    callers keep CPython's defaults."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_OBJECTS, middle, old)


def _fork_worker(make_app: AppFactory, config: ServeConfig, listeners: list[socket.socket],
                 index: int, parent: int) -> int:
    """Fork worker ``index``: it serves on ``listeners[index]`` and closes the others (a
    listening socket nobody accepts on would still be given connections)."""
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_DFL)  # uvicorn installs its own on start
        _die_with(parent)
        for other, listener in enumerate(listeners):
            if other != index:
                listener.close()
        with make_app() as app:
            _tune_collector()
            uvicorn.Server(_uvicorn_config(app, config)).run(sockets=[listeners[index]])
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


