"""Fixtures for the records tests: a store on each backend (SQLite file, real PostgreSQL) and sessions.

`store` runs each test twice: on SQLite in the test's data folder and on a fresh database of the
session's PostgreSQL server (tests/support/postgres.py). `SIMULATOR_DATABASE_URL` is set for the
PostgreSQL run, so anything that opens "the configured store" (the command line) uses it too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.records.db import ENV_VAR
from simulator.records.sessions import SessionStore
from tests.support.postgres import PostgresServer, postgres_server  # noqa: F401 - a fixture


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, private_data_dir, monkeypatch) -> str:
    """The URL of an empty records database on the parametrised backend, also set in the env var."""
    if request.param == "sqlite":
        url = f"sqlite+pysqlite:///{private_data_dir / 'simulator.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.create_database()
    monkeypatch.setenv(ENV_VAR, url)
    return url


@pytest.fixture
def store(database_url, private_data_dir) -> Iterator[SessionStore]:
    s = SessionStore(station="station-a")
    yield s
    s.close()
