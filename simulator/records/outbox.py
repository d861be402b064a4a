"""Sessions kept on this computer while the shared server could not be reached, and sending them on.

    outbox = Outbox(root, station="desk-3")     # the data folder's SQLite file
    outbox.keep(record)                         # saved here and queued, in one transaction
    outbox.waiting()                            # how many are queued (0 without the file)
    outbox.send(server_sessions)                # copied to the server, then unqueued

A station that keeps its records on a centre's PostgreSQL server keeps a session in its own data
folder when a save to the server fails, or when the server was down at start (records/store.py
decides which). Sending is the sessions' own upsert by session id, so a session sent twice, or sent
after the server already had part of it, never doubles a row; a copy older than the server's (the
session went on there after the failure) is not sent over it. A session kept again while it was
being sent stays queued, so its newest turns go on the next send.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from simulator.records import db
from simulator.records.schema import outbox, sessions, turns
from simulator.records.sessions import SessionRecord, Sessions, read_records

log = logging.getLogger(__name__)


class KeptLocally(db.DatabaseUnavailable):
    """A save the shared server could not take: the session is kept on this computer, queued to be sent."""


@dataclass(frozen=True)
class Sent:
    """What a send did: sessions now on the server, those still waiting, and why it stopped (or "")."""

    sent: int
    waiting: int
    problem: str = ""


class Outbox:
    """The queue of sessions waiting for the shared server, in the data folder's SQLite file."""

    def __init__(self, root: Path, station: str, engine: Engine | None = None):
        self.path = root / "simulator.db"
        self.station = station
        # Handed in when the store already has this file open (the server was down at start).
        self._engine = engine
        self._owns_engine = engine is None
        self._opening = threading.Lock()

    @property
    def engine(self) -> Engine:
        """The local file, opened (and migrated) the first time it is needed (a send runs on a worker
        thread while the GUI thread saves: one engine for both)."""
        with self._opening:
            if self._engine is None:
                engine = db.create_engine(db.sqlite_url(self.path))
                db.migrate(engine)
                self._engine = engine
            return self._engine

    def close(self) -> None:
        if self._engine is not None and self._owns_engine:
            self._engine.dispose()
            self._engine = None

    def keep(self, record: SessionRecord) -> None:
        """Save the session in this computer's file and queue it, in one transaction. Raises
        DatabaseUnavailable when the file cannot be written either."""
        with db.transaction(self.engine) as conn:
            # With the notes as the record has them now: a note typed while the server was down is in no
            # other copy, and `send` brings the notes of this copy to the server.
            Sessions(self.engine, self.station).write(conn, record, notes=True)
            insert = db.insert(conn, outbox).values(session_id=record.session_id, queued_at=db.now(), kept=1)
            conn.execute(insert.on_conflict_do_update(
                index_elements=["session_id"],
                set_={"queued_at": insert.excluded.queued_at, "kept": outbox.c.kept + 1}))

    def waiting(self) -> int:
        """How many sessions wait to be sent (0 when this computer has kept none)."""
        if self._engine is None and not self.path.is_file():
            return 0
        with db.transaction(self.engine) as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(outbox)).scalar_one())

    def forget(self, session_id: str) -> None:
        """The session was just saved whole on the server: nothing of it waits any more."""
        if self._engine is None and not self.path.is_file():
            return
        with db.transaction(self.engine) as conn:
            conn.execute(sa.delete(outbox).where(outbox.c.session_id == session_id))

    def send(self, target: Sessions) -> Sent:
        """Copy every queued session to `target` (the server), oldest first, and unqueue each one sent.

        Stops at the first failure (the server went away again): what is left stays queued, with the
        error noted, for the next send.
        """
        if self._engine is None and not self.path.is_file():
            return Sent(0, 0)
        with db.transaction(self.engine) as conn:
            queue = conn.execute(sa.select(outbox.c.session_id, outbox.c.kept)
                                 .order_by(outbox.c.queued_at, outbox.c.session_id)).all()
        sent = 0
        for session_id, kept in queue:
            with db.transaction(self.engine) as conn:
                found = read_records(conn, [sessions.c.session_id == session_id])
            if not found:  # deleted here meanwhile ("delete my data"): the queue row went with it
                continue
            record = found[0]
            try:
                with db.transaction(target.engine) as conn:
                    if _server_has_newer(conn, record):
                        log.info("session %s: the server's copy is newer; not sending this one", session_id)
                    else:
                        target.write(conn, record, touch=False)
            except db.DatabaseUnavailable as exc:
                self._note_failure(session_id, str(exc))
                return Sent(sent, self.waiting(), str(exc))
            with db.transaction(self.engine) as conn:
                # Kept again while it was being sent: it stays queued, so its newest turns go next time.
                conn.execute(sa.delete(outbox).where(outbox.c.session_id == session_id,
                                                     outbox.c.kept == kept))
            sent += 1
            log.info("sent session %s, kept on this computer, to %s", session_id, db.describe(target.engine.url))
        return Sent(sent, self.waiting())

    def _note_failure(self, session_id: str, error: str) -> None:
        with db.transaction(self.engine) as conn:
            conn.execute(sa.update(outbox).where(outbox.c.session_id == session_id)
                         .values(last_error=error))


def _server_has_newer(conn: sa.Connection, record: SessionRecord) -> bool:
    """The server's copy of the session went further than ours (more turns, or saved later)."""
    row = conn.execute(sa.select(sessions.c.updated_at).where(sessions.c.session_id == record.session_id)).first()
    if row is None:
        return False
    their_turns = conn.execute(sa.select(sa.func.count()).select_from(turns)
                               .where(turns.c.session_id == record.session_id)).scalar_one()
    ours: datetime = db.parse_time(record.updated_at, "update time")
    return their_turns > len(record.state.turns) or row.updated_at > ours
