"""SessionStore: the one records object the app and the command line hold, over one database and one
data folder. A thin facade: each job is its own module, and each method here hands the call on.

    store = SessionStore()                       # <data>/simulator.db, or the shared PostgreSQL
    store.save(record), store.load(session_id)   # sessions.py: a session saved after every turn
    store.save_note(session_id, "text", 2)       # sessions.py: a trainer's note on a session or turn
    store.sessions(trainee="Sam")                # history.py: questions across sessions
    store.add_trainee("Sam", "Tuesday")          # roster.py: trainees and classes
    store.recordings.keep(wav, session_id, 3)    # recordings.py: the recording files
    store.delete_trainee_data("Sam")             # erasure.py: "delete my data"
    store.send_waiting()                         # outbox.py: sessions kept here while the server was down

Kept as a facade because its many callers (screens, the CLI, reports, tests) hold one store and
reopen it when Settings change the data folder or database; the parts need no more than an engine.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.engine import Engine

from simulator import paths
from simulator.engine.model import Scenario
from simulator.records import db
from simulator.records.coverage import Coverage, coverage
from simulator.records.erasure import DeletedData, delete_trainee_data
from simulator.records.history import History, TrendPoint
from simulator.records.outbox import KeptLocally, Outbox, Sent
from simulator.records.recordings import Recordings, this_station
from simulator.records.roster import Roster, Trainee, UnknownTrainee
from simulator.records.sessions import SessionRecord, Sessions

log = logging.getLogger(__name__)


class SessionStore:
    """Sessions, trainees and classes in the records database, recordings in the data folder."""

    def __init__(self, root: Path | None = None, url: str | None = None, station: str | None = None, *,
                 standing_in_for: str | None = None):
        """`root` holds the recordings and, unless a URL is configured, the SQLite file.

        On a shared server, a save the server cannot take is kept in `root`'s SQLite file and sent
        later (`send_waiting`). `standing_in_for`: this store is `root`'s SQLite file because that
        server could not be reached at start; every session saved is queued to be sent to it.
        """
        self.root = root or paths.data_dir()
        self.url = url or db.configured_url(self.root)
        self.station = station or this_station()
        self.standing_in_for = standing_in_for
        self.engine: Engine = db.create_engine(self.url)
        db.migrate(self.engine)
        self.outbox: Outbox | None = None
        if standing_in_for:
            self.outbox = Outbox(self.root, self.station, engine=self.engine)
        elif self.engine.dialect.name != "sqlite":
            self.outbox = Outbox(self.root, self.station)
        self.roster = Roster(self.engine)
        self.recordings = Recordings(self.root, self.station)
        self._sessions = Sessions(self.engine, self.station)
        self._history = History(self.engine)

    @property
    def saving(self) -> bool:
        """False for the in-memory store the app falls back on when the data folder cannot be written."""
        return db.is_saved(self.url)

    def close(self) -> None:
        if self.outbox is not None:
            self.outbox.close()
        self.engine.dispose()

    # -- sessions (sessions.py, outbox.py) -------------------------------------------------------
    def save(self, record: SessionRecord) -> None:
        """Save the session. On a shared server that cannot take it, it is kept on this computer and
        queued, and KeptLocally says so; a caller that treats it as a failed save saves it again later."""
        if self.standing_in_for:
            self.outbox.keep(record)  # type: ignore[union-attr]  # always set when standing in
            return
        try:
            self._sessions.save(record)
        except db.DatabaseUnavailable as exc:
            if self.outbox is None:
                raise
            self.outbox.keep(record)
            raise KeptLocally(f"{str(exc).rstrip('.')}. The session is kept on this computer and sent to the "
                              "shared database when it can be reached") from exc
        if self.outbox is not None:
            try:
                self.outbox.forget(record.session_id)
            except db.DatabaseUnavailable as exc:  # the session is safe on the server; a later send skips it
                log.warning("could not unqueue session %s kept on this computer: %s", record.session_id, exc)

    def waiting(self) -> int:
        """How many sessions this computer keeps for the shared server (0 without one)."""
        return self.outbox.waiting() if self.outbox is not None else 0

    def send_waiting(self) -> Sent:
        """Send the sessions kept on this computer to the shared server. When it still cannot be reached
        the sessions stay queued, and `Sent.problem` says why (or DatabaseUnavailable is raised, when
        a stand-in store cannot open the server at all)."""
        if self.outbox is None:
            return Sent(0, 0)
        if not self.standing_in_for:
            return self.outbox.send(self._sessions)
        engine = db.create_engine(self.standing_in_for)
        try:
            db.migrate(engine)
            return self.outbox.send(Sessions(engine, self.station))
        finally:
            engine.dispose()

    def save_note(self, session_id: str, note: str, turn_index: int | None = None) -> bool:
        return self._sessions.save_note(session_id, note, turn_index)

    def load(self, session_id: str) -> SessionRecord:
        return self._sessions.load(session_id)

    def all(self) -> list[SessionRecord]:
        return self._sessions.all()

    def unfinished(self) -> list[SessionRecord]:
        return self._sessions.unfinished()

    # -- questions across sessions (history.py) --------------------------------------------------
    def sessions(self, trainee: str | None = None, class_name: str | None = None) -> list[SessionRecord]:
        return self._history.sessions(trainee, class_name)

    def history(self, trainee: str) -> list[SessionRecord]:
        """A trainee's sessions over time, oldest first (classroom sessions they answered in included)."""
        return self._history.sessions(trainee=trainee)

    def best_outcomes(self, trainee: str | None = None) -> dict[str, str]:
        return self._history.best_outcomes(trainee)

    def untried_scenarios(self, trainee: str, scenario_ids: Iterable[str]) -> list[str]:
        return self._history.untried_scenarios(trainee, scenario_ids)

    def score_trend(self, trainee: str) -> list[TrendPoint]:
        return self._history.score_trend(trainee)

    def coverage(self, scenario: Scenario) -> Coverage:
        """Which branches and endings of `scenario` trainees have reached (coverage.py)."""
        return coverage(self.engine, scenario)

    # -- trainees and classes (roster.py) --------------------------------------------------------
    def add_trainee(self, name: str, class_name: str | None = None) -> Trainee:
        return self.roster.add_trainee(name, class_name)

    def trainee(self, name: str) -> Trainee:
        return self.roster.trainee(name)

    def trainees(self, class_name: str | None = None) -> list[Trainee]:
        return self.roster.trainees(class_name)

    def add_class(self, name: str) -> None:
        self.roster.add_class(name)

    def classes(self) -> list[str]:
        return self.roster.classes()

    def remove_from_class(self, trainee: str) -> None:
        self.roster.remove_from_class(trainee)

    def rename_class(self, old: str, new: str) -> None:
        self.roster.rename_class(old, new)

    def delete_class(self, name: str) -> None:
        self.roster.delete_class(name)

    # -- deleting (recordings.py, erasure.py) ----------------------------------------------------
    def purge_recordings(self, older_than_days: int) -> int:
        """Retention: see Recordings.purge."""
        return self.recordings.purge(self.engine, older_than_days)

    def delete_trainee_data(self, trainee: str) -> DeletedData:
        deleted = delete_trainee_data(self.engine, self.recordings, trainee)
        self._erase_kept(trainee)
        return deleted

    def _erase_kept(self, trainee: str) -> None:
        """A trainee's sessions this computer keeps for the shared server go too: never sent after being deleted."""
        if self.outbox is None or self.standing_in_for or not self.outbox.path.is_file():
            return  # standing in, the store's own database is that file: done above
        try:
            delete_trainee_data(self.outbox.engine, self.recordings, trainee)
        except UnknownTrainee:
            pass  # nothing of theirs was kept here
