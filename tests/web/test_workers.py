"""``serve --workers N``: several processes on one port, one token, one rate limit, no orphans.

Each test runs a real server (subprocess on 127.0.0.1, stopped by its PID) and
tells the workers apart by which process holds the server end of a connection
(`live_server.owner_of_connection`): the kernel spreads connections over the
workers' sockets, so a test opens fresh connections until it has seen each
worker, up to `MAX_CONNECTIONS` (all landing on one worker of two that often
has probability 2**-60).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from babelwire import Database

from .live_server import (
    children_of,
    free_port,
    is_running,
    owner_of_connection,
    serving_process,
    stop,
    wait_until_up,
)

MAX_CONNECTIONS = 60
EXIT_TIMEOUT_S = 30


def _store(tmp_path: Path) -> Path:
    path = tmp_path / "workers.db"
    Database(path).close()
    return path


def _port(base: str) -> int:
    return int(urlsplit(base).port or 0)


def _request(port: int, method: str = "GET", path: str = "/openapi.json",
             headers: dict[str, str] | None = None,
             body: str | None = None) -> tuple[http.client.HTTPConnection, int, bytes]:
    """One request on a new connection, left open so its worker can be identified."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}",
                                                   **(headers or {})})
    response = conn.getresponse()
    return conn, response.status, response.read()


def _by_worker(port: int, workers: set[int], send: Callable[[int], tuple[
        http.client.HTTPConnection, int, bytes]], *, at_least: int = 0
               ) -> list[tuple[int | None, int, bytes]]:
    """(worker, status, body) per request on fresh connections, until every worker answered
    and ``at_least`` requests were made."""
    answers: list[tuple[int | None, int, bytes]] = []
    open_connections = []
    while len(answers) < MAX_CONNECTIONS:
        conn, status, body = send(port)
        open_connections.append(conn)
        assert conn.sock is not None
        answers.append((owner_of_connection(conn.sock, workers), status, body))
        if {w for w, _, _ in answers} >= workers and len(answers) >= at_least:
            break
    for conn in open_connections:
        conn.close()
    return answers


def _wait_gone(pids: set[int]) -> set[int]:
    """The PIDs still running after waiting up to `EXIT_TIMEOUT_S`."""
    deadline = time.monotonic() + EXIT_TIMEOUT_S
    while time.monotonic() < deadline and any(is_running(p) for p in pids):
        time.sleep(0.05)
    return {p for p in pids if is_running(p)}


def test_serve_workers_two_processes_both_answer_and_stop_with_the_parent(
        tmp_path: Path) -> None:
    with serving_process(_store(tmp_path), "--workers", "2") as (base, server):
        workers = children_of(server.pid)
        answers = _by_worker(_port(base), workers, _request)
        os.kill(server.pid, signal.SIGTERM)
        status = server.wait(timeout=EXIT_TIMEOUT_S)
    assert len(workers) == 2
    assert {worker for worker, _, _ in answers} == workers
    assert {code for _, code, _ in answers} == {200}
    assert status == 0
    assert _wait_gone(workers) == set()


@pytest.mark.slow  # a server start each (~6 s under load); the default suite has four
def test_serve_workers_stop_when_the_parent_is_killed(tmp_path: Path) -> None:
    with serving_process(_store(tmp_path), "--workers", "2") as (_base, server):
        workers = children_of(server.pid)
        os.kill(server.pid, signal.SIGKILL)  # no chance to stop them: the kernel tells them
        server.wait(timeout=EXIT_TIMEOUT_S)
        left = _wait_gone(workers)
    assert len(workers) == 2
    assert left == set()


@pytest.mark.slow  # a server start each (~6 s under load); the default suite has four
def test_serve_workers_a_worker_dying_stops_the_server_with_status_1(tmp_path: Path) -> None:
    with serving_process(_store(tmp_path), "--workers", "2") as (_base, server):
        workers = children_of(server.pid)
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        status = server.wait(timeout=EXIT_TIMEOUT_S)
    log = next(tmp_path.glob("serve-*.log")).read_text()
    assert status == 1
    assert f"worker {victim} exited on its own (status -9); stopping the other workers" in log
    assert _wait_gone(workers) == set()


def test_serve_workers_search_rate_limit_is_one_limit_for_all_workers(tmp_path: Path) -> None:
    limit = ("web.search_rate_per_minute=1", "web.search_burst=3")
    with serving_process(_store(tmp_path), "--workers", "2", settings=limit) as (base, server):
        workers = children_of(server.pid)
        answers = _by_worker(_port(base), workers,
                             lambda port: _request(port, path="/search.json?q=news"),
                             at_least=6)
    statuses = [code for _, code, _ in answers]
    refused_by = {worker for worker, code, _ in answers if code == 429}
    assert statuses[:3] == [200, 200, 200]
    assert set(statuses[3:]) == {429}  # per-worker buckets would allow 3 more on the other
    assert {worker for worker, _, _ in answers} == workers
    assert json.loads(answers[-1][2])["error"].startswith("too many searches from 127.0.0.1:"
                                                          " the limit is 1 a minute")
    assert refused_by  # at least one worker refused a client whose tokens another spent


@pytest.mark.slow  # a server start each (~6 s under load); the default suite has four
def test_serve_workers_read_only_holds_in_every_worker(tmp_path: Path) -> None:
    body = json.dumps({"kind": "query", "target": "x"})
    with serving_process(_store(tmp_path), "--workers", "2", "--read-only") as (base, server):
        workers = children_of(server.pid)
        answers = _by_worker(_port(base), workers, lambda port: _request(
            port, "POST", "/watchlists.json", {"Content-Type": "application/json"}, body))
    assert {worker for worker, _, _ in answers} == workers
    assert {code for _, code, _ in answers} == {403}
    assert {json.loads(text)["error"] for _, _, text in answers} == {
        "this server is read-only: POST /watchlists.json is refused; restart serve without"
        " --read-only"}


TOKEN_SERVER = """
import sys
from pathlib import Path
from babelwire.settings import load_settings
from babelwire.web.server import ServeRequest, decide_access, serve_decided
settings = load_settings(overrides={"db.path": sys.argv[1]}, cwd=Path(sys.argv[1]).parent)
# The token is decided for an address off loopback (tests bind only 127.0.0.1).
policy = decide_access(settings, ServeRequest(host="192.0.2.7", port=0),
                       lambda token: print("TOKEN", token, flush=True))
sys.exit(serve_decided(settings, policy,
                       ServeRequest(host="127.0.0.1", port=int(sys.argv[2]), workers=2)))
"""


@pytest.mark.parametrize("start", [1, pytest.param(2, marks=pytest.mark.slow)],
                         ids=["first-start", "second-start"])
def test_serve_workers_make_the_api_token_once_and_every_worker_checks_it(
        tmp_path: Path, start: int) -> None:
    db = _store(tmp_path)
    printed: list[str] = []
    for _ in range(start):
        port = free_port()
        log_path = tmp_path / f"token-{port}.log"
        with log_path.open("w") as log:
            server = subprocess.Popen([sys.executable, "-c", TOKEN_SERVER, str(db), str(port)],
                                      stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_until_up(server, f"http://127.0.0.1:{port}", log_path)
                workers = children_of(server.pid)
                printed += [line.split()[1] for line in log_path.read_text().splitlines()
                            if line.startswith("TOKEN ")]
                token = {"Authorization": f"Bearer {printed[0]}"}
                allowed = _by_worker(port, workers, lambda p, t=token: _request(p, headers=t))
                refused = _by_worker(port, workers, _request)
            finally:
                stop(server)
    with Database(db) as store:
        digests = store.api_token_digests()
    assert len(printed) == 1  # made and shown once, on the first start only
    assert len(digests) == 1
    assert {w for w, _, _ in allowed} == workers and {c for _, c, _ in allowed} == {200}
    assert {w for w, _, _ in refused} == workers and {c for _, c, _ in refused} == {401}


def test_tune_collector_freezes_the_built_app_and_collects_young_objects_less_often() -> None:
    import gc

    from babelwire.web.workers import GC_YOUNG_OBJECTS, _tune_collector

    before = gc.get_threshold()
    try:
        _tune_collector()
        assert gc.get_threshold() == (GC_YOUNG_OBJECTS, before[1], before[2])
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
