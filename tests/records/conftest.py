"""Fixtures for the records tests: a store on each backend (SQLite file, real PostgreSQL) and sessions.

`store` runs each test twice: on SQLite in the test's data folder and on a fresh database of the
session's PostgreSQL server (tests/support/postgres.py). `SIMULATOR_DATABASE_URL` is set for the
PostgreSQL run, so anything that opens "the configured store" (the command line) uses it too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from simulator.records.db import ENV_VAR
from simulator.records.schema import metadata
from simulator.records.store import SessionStore
from tests.support.postgres import (  # noqa: F401 - fixtures
    PostgresServer,
    postgres_server,
    stoppable_database,
    stoppable_postgres,
)


@pytest.fixture(scope="session")
def postgres_records_url(request) -> str:
    """One migrated PostgreSQL database for the run, emptied before each test that uses it.

    Emptying takes milliseconds where a new database plus migrations takes a few hundred; the
    migrations themselves are tested on fresh databases in test_db.py.
    """
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    SessionStore(url=url).close()
    return url


def _empty(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, private_data_dir, monkeypatch) -> str:
    """The URL of an empty records database on the parametrised backend, also set in the env var."""
    if request.param == "sqlite":
        url = f"sqlite+pysqlite:///{private_data_dir / 'simulator.db'}"
    else:
        url = request.getfixturevalue("postgres_records_url")
        _empty(url)
    monkeypatch.setenv(ENV_VAR, url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database_url(request, private_data_dir) -> str:
    """A database nothing has touched yet: no tables, no migrations."""
    if request.param == "sqlite":
        return f"sqlite+pysqlite:///{private_data_dir / 'fresh.db'}"
    return request.getfixturevalue("postgres_server").create_database()


@pytest.fixture
def store(database_url, private_data_dir) -> Iterator[SessionStore]:
    s = SessionStore(station="station-a")
    yield s
    s.close()
