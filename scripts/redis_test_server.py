"""A throw-away Redis server for tests and CI (issue 8: streaming ingest via Redis Streams).

    python scripts/redis_test_server.py install   # root: apt-get install redis-server
    python scripts/redis_test_server.py start     # installs if needed; prints JSON (url, pid, stop)
    python scripts/redis_test_server.py stop --pid PID --dir DIR

``start`` runs Debian's ``redis-server`` daemonised on 127.0.0.1 on a free port
with no persistence (no RDB snapshots, no AOF: a test's data dies with the
server), its pid file and log in a new temporary folder, and prints one JSON
object on stdout: ``url``, ``pid``, ``dir`` and ``stop`` (the command that
stops it by its PID and removes the folder). Logs go to stderr.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _test_service import emit, free_port, log, stop_pid, wait_for_port

APT_PACKAGE = "redis-server"
LOCK_FILE = Path(tempfile.gettempdir()) / "babelwire-redis-install.lock"
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("install", help="apt-get install redis-server (root)")
    start = sub.add_parser("start", help="start a throw-away server; prints JSON")
    start.add_argument("--no-install", action="store_true", help="never run apt")
    stop = sub.add_parser("stop", help="stop a server by its PID")
    stop.add_argument("--pid", type=int, required=True)
    stop.add_argument("--dir", required=True, help="the folder start printed (removed)")
    args = parser.parse_args()
    if args.command == "install":
        emit({"redis_server": install()})
    elif args.command == "start":
        binary = shutil.which("redis-server") if args.no_install else install()
        if binary is None:
            raise SystemExit("redis-server is not installed; run"
                             " `python scripts/redis_test_server.py install` as root")
        emit(start_server(binary))
    else:
        stop_server(args.pid, Path(args.dir))


def install() -> str:
    """The redis-server binary, installed from Debian first if missing (under a lock)."""
    with LOCK_FILE.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = shutil.which("redis-server")
        if found is not None:
            log(f"redis: {found} already installed; nothing to do")
            return found
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            raise SystemExit(f"installing redis-server needs root and apt-get (uid"
                             f" {os.geteuid()}, apt-get"
                             f" {'found' if shutil.which('apt-get') else 'missing'})")
        log(f"redis: apt-get install {APT_PACKAGE}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                        APT_PACKAGE], check=True, env=env, stdout=subprocess.DEVNULL)
        found = shutil.which("redis-server")
        if found is None:
            raise SystemExit(f"apt-get installed {APT_PACKAGE} but redis-server is not on PATH")
        return found


def start_server(binary: str) -> dict[str, object]:
    """Start ``binary`` daemonised on a free loopback port with persistence off."""
    base = Path(tempfile.mkdtemp(prefix="babelwire-redis-"))
    port = free_port()
    pidfile = base / "redis.pid"
    subprocess.run([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                    "--appendonly", "no", "--dir", str(base), "--daemonize", "yes",
                    "--pidfile", str(pidfile), "--logfile", str(base / "redis.log")],
                   check=True)
    pid = _read_pid(pidfile)
    wait_for_port(port, pid, START_TIMEOUT_S)
    url = f"redis://127.0.0.1:{port}/0"
    stop = f"{sys.executable} {Path(__file__).resolve()} stop --pid {pid} --dir {base}"
    log(f"redis: server pid {pid} on {url} (no persistence)")
    return {"url": url, "pid": pid, "port": port, "dir": str(base),
            "log": str(base / "redis.log"), "stop": stop}


def _read_pid(pidfile: Path) -> int:
    """The daemon's pid: redis writes the file just after forking, so wait for it briefly."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if pidfile.exists() and pidfile.read_text(encoding="utf-8").strip():
            return int(pidfile.read_text(encoding="utf-8").strip())
        time.sleep(0.05)
    raise SystemExit(f"redis-server wrote no pid file {pidfile} within {START_TIMEOUT_S} s;"
                     f" see {pidfile.parent / 'redis.log'}")


def stop_server(pid: int, base: Path) -> None:
    """SIGTERM the server ``pid`` (it exits without saving: persistence is off)."""
    was_running = stop_pid(pid, signal.SIGTERM, STOP_TIMEOUT_S)
    if base.name.startswith("babelwire-redis-"):
        shutil.rmtree(base, ignore_errors=True)
    log(f"redis: pid {pid} {'stopped' if was_running else 'was not running'}; {base} removed")


if __name__ == "__main__":
    main()
