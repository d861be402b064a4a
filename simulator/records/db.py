"""Opening the records database: which one (SQLite file or a shared PostgreSQL), migrating it, and
what every part of the store shares: one transaction with its errors explained, the upsert, and times.

The database is, in order of precedence: the URL a caller passes, the `SIMULATOR_DATABASE_URL`
environment variable, the `database_url` setting, else `<data folder>/simulator.db` (SQLite).

Migrations run automatically the first time a process opens a database. To add one after a schema
change in schema.py, write the next module in migrations/versions/ by hand, or generate it:

    .venv/bin/python -c "from simulator.records.db import revision; revision('add x to y')"
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool

from simulator.fileio import StorageError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

ENV_VAR = "SIMULATOR_DATABASE_URL"
# Records kept in memory only: the app's last resort when the data folder cannot be written.
MEMORY_URL = "sqlite://"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any fixed number: PostgreSQL stations starting together take turns to migrate under this lock.
_MIGRATION_LOCK_KEY = 0x5E5510


class DatabaseUnavailable(StorageError):
    """The records database cannot be opened or written; the message says what to check."""


def configured_url(root: Path) -> str:
    """The database to use when none is passed: the env var, the setting, or SQLite in `root`."""
    url = os.environ.get(ENV_VAR, "").strip()
    if not url:
        from simulator.settings import load_settings

        # Read with getattr: the setting is optional (absent in older settings models).
        url = (getattr(load_settings(), "database_url", None) or "").strip()
    return url or sqlite_url(root / "simulator.db")


def resolve_url(root: Path, setting: str | None) -> str:
    """The database for a data folder and a `database_url` setting: the env var, the setting, or SQLite."""
    return os.environ.get(ENV_VAR, "").strip() or (setting or "").strip() or sqlite_url(root / "simulator.db")


def sqlite_url(path: Path) -> str:
    return URL.create("sqlite+pysqlite", database=str(path)).render_as_string()


def is_saved(url: str) -> bool:
    """Whether a database outlives the process (everything but an in-memory SQLite database)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return True
    return not (parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"))


def read_only_url(url: str) -> str | None:
    """A read-only view of a local SQLite file that exists, for reading records from a data folder
    that cannot be written (SQLite's WAL needs to write beside the file even to read); else None.
    `immutable` is safe there: nothing can write to a read-only folder meanwhile."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None
    if parsed.get_backend_name() != "sqlite" or not is_saved(url) or not Path(str(parsed.database)).is_file():
        return None
    return URL.create("sqlite+pysqlite", database=f"file:{parsed.database}",
                      query={"mode": "ro", "immutable": "1", "uri": "true"}).render_as_string()


def describe(url: URL) -> str:
    """Where a database is, for messages, never with its password: host:port, or the file."""
    if url.get_backend_name() == "sqlite":
        return url.database or "(in memory)"
    host = url.host or url.query.get("host") or "localhost"
    if isinstance(host, tuple):
        host = host[0]
    port = url.port or (5432 if url.get_backend_name() == "postgresql" else None)
    return f"{host}:{port}" if port else str(host)


def unreachable(url: URL, exc: BaseException | None = None) -> DatabaseUnavailable:
    if url.get_backend_name() == "sqlite":
        detail = f" ({short(exc)})" if exc is not None else ""
        return DatabaseUnavailable(
            f"cannot open the database file {url.database}{detail}: check that the data folder "
            "can be written to, or choose another one in Settings")
    return DatabaseUnavailable(f"cannot reach the database at {describe(url)}: check the connection setting")


def short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE, so CREATE TABLE
    # committed at once and a kill mid-migration left a half-built schema. Taking over BEGIN
    # (_sqlite_begin) puts DDL in the transaction too: SQLAlchemy's documented recipe.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets the trainer's report read while a session is being written; FULL syncs each
    # commit so a turn that was saved survives a power cut, not only a crash of the app.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Another process (the command line, a second window) may hold the write lock briefly.
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _port_text(url: str) -> str | None:
    """What follows the host's colon in a URL, read after the password (never part of it)."""
    rest = url.split("://", 1)[-1]
    host_port = re.split(r"[/?]", rest.rsplit("@", 1)[-1], maxsplit=1)[0]
    if host_port.startswith("["):
        host_port = host_port.partition("]")[2]
        return host_port[1:] if host_port.startswith(":") else None
    return host_port.partition(":")[2] if ":" in host_port else None


def url_problem(url: str) -> str | None:
    """What is wrong with a records database URL on its face (no connection is tried), or None.

    The message never includes the password. SQLAlchemy's own parser raises a bare ValueError for
    a port that is not a number, which stopped the app at start.
    """
    example = "postgresql+psycopg://user:password@host:5432/database"
    try:
        parsed = make_url(url)
        number = parsed.port
    except (ArgumentError, ValueError):
        port = _port_text(url)
        if port is not None and not port.isdigit():
            return f"the database connection setting is not valid: its port '{port}' is not a number (write it as {example})"
        return f"the database connection setting is not a valid URL: write it as {example}"
    if number is not None and not 1 <= number <= 65535:
        return f"the database connection setting is not valid: port {number} is not between 1 and 65535"
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        return f"unsupported database '{backend}': use sqlite or postgresql+psycopg"
    return None


def create_engine(url: str) -> Engine:
    """An engine for a records database URL, set up for its backend. Raises DatabaseUnavailable."""
    problem = url_problem(url)
    if problem:
        raise DatabaseUnavailable(problem)
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and not parsed.query.get("uri"):
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise unreachable(parsed, exc) from exc
        if not parsed.database or parsed.database == ":memory:":
            # One connection shared by every thread: each connection would be its own empty database.
            engine = sa.create_engine(parsed, poolclass=StaticPool,
                                      connect_args={"check_same_thread": False})
        else:
            engine = sa.create_engine(parsed)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        # Fail in seconds, not minutes, when the server is down or the network is cut.
        connect_args = {"connect_timeout": 5} if parsed.get_driver_name() == "psycopg" else {}
        return sa.create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    raise DatabaseUnavailable(f"unsupported database '{backend}': use sqlite or postgresql+psycopg")


# alembic (with mako and its dialects) takes a third of a second to import: it is imported only when a
# database is not already at this version's schema, which at the app's start it almost always is.
def _alembic_config(connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


_REVISION = re.compile(r"""^(down_revision|revision)\s*=\s*(?:["']([^"']+)["']|None)""", re.MULTILINE)


def _head_of_files() -> str | None:
    """The newest migration, read from the files' `revision` and `down_revision` lines without
    alembic; None when they do not make one line of revisions (then alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            if value:
                (revisions if name == "revision" else parents).add(value)
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def _at_head(connection: sa.Connection) -> bool:
    """Whether the database is already at this version's schema: nothing to migrate."""
    head = _head_of_files()
    if head is None or not sa.inspect(connection).has_table("alembic_version"):
        return False
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [head]


def _known(script: ScriptDirectory, revision_id: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision_id) is not None
    except CommandError:  # alembic's "Can't locate revision"
        return False


_migrated: set[str] = set()
_migrate_lock = threading.Lock()


def migrate(engine: Engine) -> None:
    """Bring the database's schema up to this version of the app (once per process and database)."""
    key = engine.url.render_as_string(hide_password=False)
    if not is_saved(key):
        key += f"#{id(engine)}"  # every in-memory database is a new, empty one
    with _migrate_lock:
        done = key in _migrated
    if done:
        if engine.dialect.name != "sqlite":
            # Opening a server this process migrated before still says at once when it is unreachable.
            try:
                with engine.connect():
                    pass
            except OperationalError as exc:
                raise unreachable(engine.url, exc) from exc
        return
    with _migrate_lock:
        if key in _migrated:
            return
        try:
            with engine.connect() as connection:
                if _at_head(connection):
                    _migrated.add(key)
                    return
            from alembic import command
            from alembic.runtime.migration import MigrationContext
            from alembic.script import ScriptDirectory

            script = ScriptDirectory.from_config(_alembic_config())
            with engine.connect() as connection, _foreign_keys_off(connection), connection.begin():
                if connection.dialect.name == "postgresql":
                    # Released at commit; a second station waits here rather than racing us.
                    connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
                current = MigrationContext.configure(connection).get_current_revision()
                if current is None:
                    _clear_half_built(connection, engine.url)
                if current is not None and not _known(script, current):
                    raise DatabaseUnavailable(
                        f"the database at {describe(engine.url)} was written by a newer version of the "
                        f"simulator (schema {current}): update this station")
                if current != script.get_current_head():
                    log.info("migrating %s from %s to %s", describe(engine.url), current,
                             script.get_current_head())
                    command.upgrade(_alembic_config(connection), "head")
        except OperationalError as exc:
            raise unreachable(engine.url, exc) from exc
        except DBAPIError as exc:
            raise DatabaseUnavailable(
                f"the database at {describe(engine.url)} could not be prepared: {short(exc)}") from exc
        _migrated.add(key)


@contextmanager
def _foreign_keys_off(connection: sa.Connection) -> Iterator[None]:
    """SQLite: no foreign key actions while migrating. A migration that rebuilds a table (batch mode)
    drops the old one, and with foreign keys on that drop would cascade to the rows referring to it."""
    if connection.dialect.name != "sqlite":
        yield
        return
    # Outside any transaction, where SQLite honours the pragma.
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _clear_half_built(connection: sa.Connection, url: URL) -> None:
    """Drop what a first start killed part-way left behind (releases before the schema was built in
    one transaction committed each table at once), so the migration can build it whole.

    Only empty tables are dropped: a database without a schema version that holds records was not
    made by a killed first start, and is left untouched for someone to look at.
    """
    from simulator.records.schema import metadata

    present = set(sa.inspect(connection).get_table_names())
    ours = [t for t in reversed(metadata.sorted_tables) if t.name in present]
    if not ours:
        return
    holding = [t.name for t in ours
               if connection.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first() is not None]
    if holding:
        raise DatabaseUnavailable(
            f"the records database {describe(url)} is incomplete (it has no schema version, but its "
            f"{', '.join(holding)} table holds data): rename it, e.g. to simulator.db.old, so a new one is "
            "made, and keep the old file for your trainer or support to look at")
    log.warning("repairing %s: dropping the half-built tables %s left by an interrupted first start",
                describe(url), ", ".join(t.name for t in ours))
    for table in ours:
        table.drop(connection)


def revision(message: str) -> None:
    """Write a new migration for the differences between schema.py and a fresh database's schema."""
    from alembic import command

    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
        command.revision(_alembic_config(connection), message=message, autogenerate=True)


# -- what every part of the store shares -----------------------------------------------------------
@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One connection and transaction, committed on success; database errors explained."""
    try:
        with engine.begin() as conn:
            yield conn
    except OperationalError as exc:
        raise unreachable(engine.url, exc) from exc
    except DBAPIError as exc:
        raise DatabaseUnavailable(
            f"the records database at {describe(engine.url)} refused a change: {short(exc)}"
        ) from exc


def insert(bind: Engine | Connection, table: sa.Table) -> Any:
    """An INSERT that can say ON CONFLICT: spelled per dialect, both build the same statement."""
    dialect = postgresql if bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def now() -> datetime:
    """The time as stored: UTC, whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_time(value: str, what: str) -> datetime:
    """A time from a session's state; an unreadable one is stored as now, with a warning."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        log.warning("unreadable %s %r; storing the current time instead", what, value)
        return now()
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
