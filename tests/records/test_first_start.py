"""The very first start: the schema is built in one transaction, so a kill part-way leaves nothing
behind, and a half-built database left by an older release is repaired when the app starts."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.schema import CreateTable

from simulator.records import db
from simulator.records.db import DatabaseUnavailable
from simulator.records.schema import classes, trainees
from simulator.records.store import SessionStore
from tests.records.factories import record as make_record

# Runs the first start in a child process and SIGKILLs it once the migration has created some
# tables (at its third index): what a trainee closing the laptop lid mid-start does.
KILLED_START = textwrap.dedent("""
    import os, signal, sys
    from alembic.operations import Operations
    from simulator.records.store import SessionStore

    made = []
    real = Operations.create_index

    def create_index(self, *args, **kwargs):
        made.append(args)
        if len(made) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, *args, **kwargs)

    Operations.create_index = create_index
    SessionStore(url=sys.argv[1])
""")


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _reopen(url: str) -> SessionStore:
    db._migrated.discard(url)
    return SessionStore(url=url)


def test_a_kill_during_the_first_start_leaves_a_database_that_opens(tmp_path):
    path = tmp_path / "simulator.db"
    url = db.sqlite_url(path)
    killed = subprocess.run([sys.executable, "-c", KILLED_START, url], capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    # Nothing of the half-done schema was committed.
    assert _tables(path) <= {"alembic_version"}
    store = _reopen(url)
    record = make_record()
    store.save(record)
    assert store.load(record.session_id).state.turns == record.state.turns
    store.close()


def _half_built(path: Path, rows: bool = False) -> None:
    """What the older release left after a kill: some tables, no schema version."""
    dialect = sa.create_engine("sqlite://").dialect
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                     "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
        for table in (classes, trainees):
            conn.execute(str(CreateTable(table).compile(dialect=dialect)))
        if rows:
            conn.execute("INSERT INTO classes (name, created_at) VALUES ('Monday', '2026-01-01')")


def test_a_half_built_database_from_an_older_release_is_repaired_at_start(tmp_path):
    path = tmp_path / "simulator.db"
    _half_built(path)
    store = _reopen(db.sqlite_url(path))
    assert db.current_revision(store.engine) == db.head_revision()
    record = make_record()
    store.save(record)
    assert [r.session_id for r in store.all()] == [record.session_id]
    store.close()


def test_a_half_built_database_that_holds_records_is_left_alone_and_explained(tmp_path):
    path = tmp_path / "simulator.db"
    _half_built(path, rows=True)
    with pytest.raises(DatabaseUnavailable) as caught:
        _reopen(db.sqlite_url(path))
    message = str(caught.value)
    assert str(path) in message and "incomplete" in message
    assert "written to" not in message  # not the read-only advice: the folder is fine
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM classes").fetchall() == [("Monday",)]
