"""The store tests run on both backends: the ``db`` fixture is SQLite, then PostgreSQL (issue 8).

The PostgreSQL store of each test is a database of its own, copied from a
template migrated once per session (``CREATE DATABASE … TEMPLATE``), so tests
stay independent without paying for the migrations each time. A test of a
method the PostgreSQL store does not have yet is marked
``@pytest.mark.pg_not_ported("what")``: on PostgreSQL it is a strict xfail (it
fails the run as soon as it passes, so the mark is removed when the port lands),
never a skip.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from babelwire import Database
from babelwire.db.store import Store

from ..scale.conftest import RunningService, postgres_cluster  # noqa: F401  (fixture)

TEMPLATE_DATABASE = "babelwire_template"
BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "pg_not_ported(what): strict xfail on the PostgreSQL store (not ported yet)")


def _database_url(cluster_dsn: str, name: str) -> str:
    return f"{cluster_dsn.rsplit('/', 1)[0]}/{name}"


def _admin(cluster_dsn: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(cluster_dsn, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def postgres_template(postgres_cluster: RunningService) -> str:  # noqa: F811
    """The cluster's DSN, once a template database with every migration applied exists."""
    from babelwire.db.postgres.database import PostgresDatabase

    dsn = postgres_cluster.url
    _admin(dsn, f"DROP DATABASE IF EXISTS {TEMPLATE_DATABASE}")
    _admin(dsn, f"CREATE DATABASE {TEMPLATE_DATABASE}")
    PostgresDatabase(_database_url(dsn, TEMPLATE_DATABASE)).close()
    return dsn


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a new, migrated, empty PostgreSQL database, dropped after the test."""
    dsn: str = request.getfixturevalue("postgres_template")
    name = f"test_{uuid.uuid4().hex}"
    _admin(dsn, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DATABASE}")
    yield _database_url(dsn, name)
    _admin(dsn, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Strict xfail for the PostgreSQL runs of tests marked ``pg_not_ported``.

    At collection, not in a fixture: a mark added during setup comes too late for
    a failure in setup (most unported tests fail while filling the store).
    """
    for item in items:
        marker = item.get_closest_marker("pg_not_ported")
        callspec = getattr(item, "callspec", None)
        if marker is None or callspec is None or callspec.params.get("backend") != "postgresql":
            continue
        item.add_marker(pytest.mark.xfail(
            strict=True, reason=f"not ported to PostgreSQL yet: {marker.args[0]}"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which store implementation the test runs on."""
    return str(request.param)


def open_store(backend: str, request: pytest.FixtureRequest) -> Store:
    """An empty store of ``backend``: in-memory SQLite, or a fresh PostgreSQL database.

    Other test packages whose fixtures run on both backends call this (and import
    `backend`, `postgres_template`, `postgres_url` and `postgres_cluster` from here).
    """
    if backend == "sqlite":
        return Database(memory=True)
    from babelwire.db.postgres.database import PostgresDatabase

    return PostgresDatabase(request.getfixturevalue("postgres_url"))


def fixture_on_both_backends(name: str) -> Any:
    """A fixture ``name`` giving an empty store, once per backend, for modules outside tests/db.

    The module also imports ``postgres_template``, ``postgres_url`` (here) and
    ``postgres_cluster`` (tests/scale) so that pytest finds the fixtures it needs.
    """
    @pytest.fixture(params=BACKENDS, name=name)
    def store(request: pytest.FixtureRequest) -> Iterator[Any]:
        opened = open_store(request.param, request)
        yield opened
        opened.close()

    return store


@pytest.fixture
def db(backend: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """An empty store: in-memory SQLite, or a fresh PostgreSQL database."""
    store = open_store(backend, request)
    yield store
    store.close()
