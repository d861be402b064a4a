"""A throw-away PostgreSQL server for tests: initdb into a temporary folder, listen on a unix socket.

`postgres_server` is a session-scoped fixture: the server starts once (about a second) and every
test that needs it gets a fresh database from `server.create_database()`. PostgreSQL refuses to
run as root, so as root the server runs as the `postgres` system user (created if missing); as a
normal user it runs as that user. Durability is switched off: the data folder is deleted anyway.

Without the PostgreSQL server binaries the fixture skips with the reason, except under CI (the
CI environment variable set), where it fails: CI must test the shared-server set-up.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DB_SUPERUSER = "simulator"
_PORT = 5432  # only names the socket file: the server listens on no TCP port


class PostgresUnavailable(RuntimeError):
    pass


@dataclass
class PostgresServer:
    folder: Path
    bin_dir: Path
    process: subprocess.Popen
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def socket_dir(self) -> Path:
        return self.folder

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{DB_SUPERUSER}@/{database}?host={self.socket_dir}&port={_PORT}"

    def create_database(self) -> str:
        """A new empty database; returns its SQLAlchemy URL.

        Each is a schema of its own in one database, found through the connection's search_path:
        creating a schema takes milliseconds where CREATE DATABASE takes a third of a second.
        """
        import psycopg
        from psycopg import sql

        name = f"test_{next(self._names)}"
        with psycopg.connect(host=str(self.socket_dir), port=_PORT, user=DB_SUPERUSER,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        return self.url("postgres") + f"&options=-csearch_path%3D{name}"


def find_bin_dir() -> Path | None:
    """The folder with initdb and postgres: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("postgres"):
        return Path(os.path.realpath(on_path)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "postgres").exists():
            return Path(folder)
    return None


def _server_account() -> tuple[int, int] | None:
    """(uid, gid) to run the server as when we are root; None when we can run it ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        "postgres"], check=True, capture_output=True)
        account = pwd.getpwnam("postgres")
    return account.pw_uid, account.pw_gid


def start_postgres(timeout: float = 20.0) -> PostgresServer:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable(
            "the PostgreSQL server is not installed (no initdb/postgres): install the Debian package "
            "postgresql to run the shared-database tests")
    account = _server_account()
    # A short path under /tmp: a unix socket path must stay under ~100 characters.
    folder = Path(tempfile.mkdtemp(prefix="simpg-", dir="/tmp"))
    as_server: dict = {}
    if account is not None:
        os.chown(folder, *account)
        as_server = {"user": account[0], "group": account[1], "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    data = folder / "data"
    try:
        subprocess.run([str(bin_dir / "initdb"), "-D", str(data), "-U", DB_SUPERUSER, "--auth=trust",
                        "-E", "UTF8", "--locale=C", "--no-sync"],
                       check=True, capture_output=True, env=env, cwd=folder, **as_server)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(f"initdb failed: {exc.stderr.decode(errors='replace')}") from exc
    server = PostgresServer(folder=folder, bin_dir=bin_dir, process=_spawn(bin_dir, folder))
    try:
        _wait_ready(server, timeout)
    except PostgresUnavailable:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return server


def _spawn(bin_dir: Path, folder: Path) -> subprocess.Popen:
    account = _server_account()
    as_server: dict = {}
    if account is not None:
        as_server = {"user": account[0], "group": account[1], "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    log = open(folder / "server.log", "ab")  # noqa: SIM115 - closed once the server has it
    process = subprocess.Popen(
        [str(bin_dir / "postgres"), "-D", str(folder / "data"), "-k", str(folder), "-p", str(_PORT),
         "-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
         "-c", "full_page_writes=off", "-c", "max_connections=60"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder, **as_server)
    log.close()
    return process


def _wait_ready(server: PostgresServer, timeout: float) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            text = (server.folder / "server.log").read_text(errors="replace")
            raise PostgresUnavailable(f"postgres exited at start-up:\n{text}")
        try:
            psycopg.connect(host=str(server.folder), port=_PORT, user=DB_SUPERUSER, dbname="postgres",
                            connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                _halt(server)
                raise PostgresUnavailable(f"postgres did not accept connections within {timeout:.0f} s") from None
            time.sleep(0.05)


def _halt(server: PostgresServer) -> None:
    if server.process.poll() is None:
        # SIGINT is PostgreSQL's "fast" shutdown: it disconnects clients instead of waiting for them.
        server.process.send_signal(signal.SIGINT)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def halt_postgres(server: PostgresServer) -> None:
    """Stop the server as a network cut or a shut-down server would look to a station; its data is kept."""
    _halt(server)


def restart_postgres(server: PostgresServer, timeout: float = 20.0) -> None:
    """Start a halted server again on the same data."""
    server.process = _spawn(server.bin_dir, server.folder)
    _wait_ready(server, timeout)


def stop_postgres(server: PostgresServer) -> None:
    _halt(server)
    shutil.rmtree(server.folder, ignore_errors=True)


def _own_server() -> Iterator[PostgresServer]:
    """A server started for the fixture and stopped after it; skipped (failed under CI) when unavailable."""
    try:
        server = start_postgres()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a PostgreSQL server: {exc}")
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        stop_postgres(server)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole test run."""
    yield from _own_server()


@pytest.fixture(scope="module")
def stoppable_postgres() -> Iterator[PostgresServer]:
    """A server of the module's own, which its tests may halt and restart (the session's one is left alone)."""
    yield from _own_server()


@pytest.fixture
def stoppable_database(stoppable_postgres) -> Iterator[str]:
    """A migrated, empty database on `stoppable_postgres`, which runs when the test starts and ends."""
    from simulator.records.store import SessionStore

    if stoppable_postgres.process.poll() is not None:
        restart_postgres(stoppable_postgres)
    url = stoppable_postgres.create_database()
    SessionStore(url=url).close()
    yield url
    if stoppable_postgres.process.poll() is not None:
        restart_postgres(stoppable_postgres)
