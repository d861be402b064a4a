"""Opening the records database: migrations at start, SQLite's WAL mode, and clear errors."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from simulator.records import db
from simulator.records.db import DatabaseUnavailable
from simulator.records.schema import metadata
from simulator.records.store import SessionStore


def test_a_fresh_database_is_migrated_to_exactly_the_models(fresh_database_url):
    store = SessionStore(url=fresh_database_url)
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []
    assert db.current_revision(store.engine) == db.head_revision()
    store.close()


def test_default_is_sqlite_in_the_data_folder_in_wal_mode(private_data_dir, monkeypatch):
    monkeypatch.delenv(db.ENV_VAR, raising=False)
    store = SessionStore()
    assert store.engine.url.database == str(private_data_dir / "simulator.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_the_env_var_points_every_store_at_one_database(store, database_url):
    assert SessionStore().url == database_url


def test_a_database_from_a_newer_version_is_refused_clearly(fresh_database_url):
    store = SessionStore(url=fresh_database_url)
    version = sa.table("alembic_version", sa.column("version_num"))
    with store.engine.begin() as conn:
        conn.execute(sa.update(version).values(version_num="9999_future"))
    store.close()
    db._migrated.discard(store.engine.url.render_as_string(hide_password=False))
    with pytest.raises(DatabaseUnavailable, match="newer version of the simulator.*update this station"):
        SessionStore(url=fresh_database_url)


def test_an_unreachable_server_says_where_and_what_to_check():
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    with pytest.raises(DatabaseUnavailable) as caught:
        SessionStore(url="postgresql+psycopg://trainer:secret@127.0.0.1:1/records")
    assert str(caught.value) == "cannot reach the database at 127.0.0.1:1: check the connection setting"
    assert "secret" not in str(caught.value)


def test_a_bad_url_and_an_unwritable_folder_are_explained(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="not a valid URL"):
        SessionStore(url="not a url")
    with pytest.raises(DatabaseUnavailable, match="unsupported database 'mysql'"):
        SessionStore(url="mysql://x@y/z")
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(DatabaseUnavailable, match="cannot open the database file"):
        SessionStore(url=db.sqlite_url(blocker / "sub" / "simulator.db"))


def test_records_never_load_qt():
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, simulator.records.store, simulator.records.reports, simulator.cli.report; "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'")
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], check=True)


def test_the_newest_migration_is_read_from_the_files_as_alembic_reads_it():
    assert db._head_of_files() == db.head_revision() is not None


def test_a_database_already_at_this_versions_schema_opens_without_loading_alembic(tmp_path):
    """alembic takes a third of a second to import: the app's every start would pay it (issue 18, start-up)."""
    import subprocess
    import sys

    SessionStore(tmp_path).close()  # made and migrated once
    code = ("import sys; from pathlib import Path; from simulator.records.store import SessionStore; "
            f"SessionStore(Path({str(tmp_path)!r})).close(); "
            "print(sorted(m for m in sys.modules if m.startswith('alembic')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_database_behind_this_version_is_still_migrated(fresh_database_url):
    from alembic import command

    engine = db.create_engine(fresh_database_url)
    with engine.begin() as conn:
        command.upgrade(db._alembic_config(conn), "0002")
    engine.dispose()
    store = SessionStore(url=fresh_database_url)
    assert db.current_revision(store.engine) == db.head_revision()
    store.close()
