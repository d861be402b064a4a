"""The records store: trainees, classes and every session with its turns, in a database.

    store = SessionStore()                       # <data>/simulator.db, or the shared PostgreSQL
    store.save(record)                           # after every turn: one transaction, committed
    store.load(session_id), store.all(), store.unfinished(), store.best_outcomes("Sam")
    store.recording_path(session_id, 3)          # <data>/recordings/<session_id>/turn-003.wav

Recordings stay WAV files on the station that made them; the database keeps their paths. With a
shared PostgreSQL server every station's sessions are visible to the trainer, and `station`
(the host name) says where each session's recordings are.

Saving is an upsert keyed by session id and (session id, turn index), so a station that saves the
same session twice, or two stations saving different sessions at once, never lose or double rows.
"""

from __future__ import annotations

import logging
import shutil
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from simulator import paths
from simulator.engine.judgement import Judgement
from simulator.engine.scoring import score_session
from simulator.engine.session import SessionState, TurnRecord
from simulator.records import db
from simulator.records.db import DatabaseUnavailable
from simulator.records.schema import classes, findings, sessions, trainees, turns

log = logging.getLogger(__name__)

_OUTCOME_RANK = {"resolved": 3, "unresolved": 2, "escalated": 1}
# What a deleted trainee's reply in someone else's classroom session reads afterwards.
ERASED_REPLY = "(deleted at the trainee's request)"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class SessionRecord(BaseModel):
    """What is saved: who played which scenario, and the runner's state."""

    trainee: str = ""
    scenario_title: str = ""
    updated_at: str = Field(default_factory=lambda: _iso(_now()))
    closed: bool = False  # the trainee finished or left the session deliberately
    score: float | None = None
    state: SessionState
    # The computer the session was started on (filled in by the store).
    station: str = ""

    @property
    def session_id(self) -> str:
        return self.state.session_id


class SessionNotFound(FileNotFoundError):
    """No session with that id. A FileNotFoundError, as when sessions were files, for old callers."""


class UnknownTrainee(LookupError):
    def __str__(self) -> str:
        return f"no trainee called '{self.args[0]}'"


class UnknownClass(LookupError):
    def __str__(self) -> str:
        return f"no class called '{self.args[0]}'"


@dataclass(frozen=True)
class Trainee:
    name: str
    class_name: str | None
    created_at: str


@dataclass(frozen=True)
class TrendPoint:
    """One session in a trainee's progress: its score and how often each behaviour showed."""

    session_id: str
    scenario_id: str
    started_at: str
    turns: int
    outcome: str | None
    score: float | None
    overrides: int
    # technique / trigger id -> times it was found in this session's replies (absent: never)
    techniques: dict[str, int] = field(default_factory=dict)
    triggers: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DeletedData:
    """What `delete_trainee_data` removed, and the recordings it could not reach."""

    sessions: int
    recordings: int
    # Recordings kept on another station's disk: delete them there (see `station`).
    elsewhere: list[tuple[str, str]] = field(default_factory=list)  # (station, path)
    # Turns they answered in someone else's classroom session: kept for that session, their words wiped.
    shared_turns: int = 0


def _parse_time(value: str, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        log.warning("unreadable %s %r; storing the current time instead", what, value)
        return _now()
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SessionStore:
    """Sessions, trainees and classes in the records database (see the module docstring)."""

    def __init__(self, root: Path | None = None, url: str | None = None, station: str | None = None):
        # `root` holds the recordings and, unless a URL is configured, the SQLite file.
        self.root = root or paths.data_dir()
        self.url = url or db.configured_url(self.root)
        self.station = station or socket.gethostname() or "unknown"
        self.engine: Engine = db.create_engine(self.url)
        db.migrate(self.engine)

    @property
    def saving(self) -> bool:
        """False for the in-memory store the app falls back on when the data folder cannot be written."""
        return db.is_saved(self.url)

    def close(self) -> None:
        self.engine.dispose()

    # -- recordings ------------------------------------------------------------------------------
    def folder(self, session_id: str) -> Path:
        """Where this station keeps a session's recordings."""
        return self.root / "recordings" / session_id

    def recording_path(self, session_id: str, turn_index: int) -> Path:
        folder = self.folder(session_id)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"turn-{turn_index:03d}.wav"

    # -- connections -----------------------------------------------------------------------------
    def _begin(self) -> AbstractContextManager[Connection]:
        return _transaction(self.engine)

    def _insert(self, table: sa.Table) -> Any:
        # ON CONFLICT upserts are spelled per dialect; both build the same statement.
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    # -- sessions --------------------------------------------------------------------------------
    def save(self, record: SessionRecord) -> None:
        """Write a session and all its turns in one transaction (call it after every turn)."""
        now = _now()
        record.updated_at = _iso(now)
        state = record.state
        if record.score is None and state.outcome is not None:
            # Ended but never shown in the debrief (the app was closed first): score it the
            # same way the debrief would, so reports and trends have every finished session.
            record.score = round(score_session(state.turns, state.outcome).total, 1)
        with self._begin() as conn:
            trainee_id = self._trainee_id(conn, record.trainee) if record.trainee else None
            values = {
                "session_id": state.session_id,
                "trainee_id": trainee_id,
                "scenario_id": state.scenario_id,
                "scenario_title": record.scenario_title,
                "station": record.station or self.station,
                "state_version": state.state_version,
                "seed": state.seed,
                "node_id": state.node_id,
                "agitation": state.agitation,
                "ending_id": state.ending_id,
                "outcome": state.outcome,
                "repeats": state.repeats,
                "closed": record.closed,
                "score": record.score,
                "started_at": _parse_time(state.started_at, "start time"),
                "updated_at": now,
            }
            insert = self._insert(sessions).values(values)
            # The station stays the one that started the session: its disk has the recordings.
            changes = {k: insert.excluded[k] for k in values if k not in ("session_id", "station")}
            conn.execute(insert.on_conflict_do_update(index_elements=["session_id"], set_=changes))
            if not record.station:
                record.station = conn.execute(
                    sa.select(sessions.c.station).where(sessions.c.session_id == state.session_id)
                ).scalar_one()

            # A rewind drops turns from the state; drop them here too.
            conn.execute(sa.delete(turns).where(turns.c.session_id == state.session_id,
                                                turns.c.turn_index >= len(state.turns)))
            if state.turns:
                rows = [self._turn_row(state.session_id, t) for t in state.turns]
                insert = self._insert(turns)
                updated = {c.name: insert.excluded[c.name] for c in turns.c
                           if c.name not in ("session_id", "turn_index", "recording_deleted_at")}
                conn.execute(insert.on_conflict_do_update(
                    index_elements=["session_id", "turn_index"], set_=updated), rows)
                conn.execute(sa.delete(findings).where(findings.c.session_id == state.session_id))
                found = [row for t in state.turns for row in self._finding_rows(state.session_id, t)]
                if found:
                    conn.execute(sa.insert(findings), found)

    @staticmethod
    def _turn_row(session_id: str, turn: TurnRecord) -> dict[str, Any]:
        j = turn.judgement
        return {
            "session_id": session_id,
            "turn_index": turn.index,
            "node_id": turn.node_id,
            "customer_line": turn.customer_line,
            "mood": turn.mood,
            "agitation_before": turn.agitation_before,
            "reply": turn.reply,
            "audio_file": turn.audio_file,
            "judgement": j.model_dump(mode="json"),
            "intent": j.intent,
            "tone": j.tone.label if j.tone else None,
            "override": turn.override,
            "applied_delta": turn.applied_delta,
            "agitation_after": turn.agitation_after,
            "branch_index": turn.branch_index,
            "target": turn.target,
            "trainee": turn.trainee,
            "at": _parse_time(turn.at, "turn time"),
        }

    @staticmethod
    def _finding_rows(session_id: str, turn: TurnRecord) -> Iterable[dict[str, Any]]:
        for kind, items in (("technique", turn.judgement.techniques), ("trigger", turn.judgement.triggers)):
            for position, finding in enumerate(items):
                yield {"session_id": session_id, "turn_index": turn.index, "kind": kind,
                       "position": position, "name": finding.name, "evidence": finding.evidence}

    def _records(self, conn: Connection, where: Sequence[Any] = (),
                 order: Any = None) -> list[SessionRecord]:
        query = (sa.select(sessions, trainees.c.name.label("trainee_name"))
                 .select_from(sessions.outerjoin(trainees, sessions.c.trainee_id == trainees.c.id))
                 .where(*where)
                 .order_by(order if order is not None else sessions.c.updated_at.desc(),
                           sessions.c.session_id))
        heads = conn.execute(query).mappings().all()
        if not heads:
            return []
        ids = [h["session_id"] for h in heads]
        by_session: dict[str, list[TurnRecord]] = {i: [] for i in ids}
        # Chunked: SQLite allows only so many bound parameters in one IN list.
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in conn.execute(sa.select(turns).where(turns.c.session_id.in_(chunk))
                                    .order_by(turns.c.session_id, turns.c.turn_index)).mappings():
                by_session[row["session_id"]].append(TurnRecord(
                    index=row["turn_index"], node_id=row["node_id"], customer_line=row["customer_line"],
                    mood=row["mood"], agitation_before=row["agitation_before"], reply=row["reply"],
                    # A recording retention deleted is no longer offered for playback.
                    audio_file=None if row["recording_deleted_at"] else row["audio_file"],
                    judgement=Judgement.model_validate(row["judgement"]), override=row["override"],
                    applied_delta=row["applied_delta"], agitation_after=row["agitation_after"],
                    branch_index=row["branch_index"], target=row["target"], trainee=row["trainee"],
                    at=_iso(row["at"]),
                ))
        return [
            SessionRecord(
                trainee=h["trainee_name"] or "", scenario_title=h["scenario_title"],
                updated_at=_iso(h["updated_at"]), closed=h["closed"], score=h["score"],
                station=h["station"],
                state=SessionState(
                    state_version=h["state_version"], session_id=h["session_id"],
                    scenario_id=h["scenario_id"], seed=h["seed"], node_id=h["node_id"],
                    agitation=h["agitation"], turns=by_session[h["session_id"]],
                    ending_id=h["ending_id"], outcome=h["outcome"],
                    started_at=_iso(h["started_at"]), repeats=h["repeats"],
                ),
            )
            for h in heads
        ]

    def load(self, session_id: str) -> SessionRecord:
        with self._begin() as conn:
            found = self._records(conn, [sessions.c.session_id == session_id])
        if not found:
            raise SessionNotFound(f"no session {session_id}")
        return found[0]

    def all(self) -> list[SessionRecord]:
        """Every session, most recently updated first."""
        with self._begin() as conn:
            return self._records(conn)

    def sessions(self, trainee: str | None = None, class_name: str | None = None) -> list[SessionRecord]:
        """A trainee's or a class's sessions, oldest first. Raises UnknownTrainee / UnknownClass."""
        with self._begin() as conn:
            where: list[Any] = []
            if trainee is not None:
                where.append(self._took_part(self._existing_trainee(conn, trainee), trainee))
            if class_name is not None:
                class_id = self._existing_class(conn, class_name)
                where.append(sessions.c.trainee_id.in_(
                    sa.select(trainees.c.id).where(trainees.c.class_id == class_id)))
            return self._records(conn, where, order=sessions.c.started_at)

    def history(self, trainee: str) -> list[SessionRecord]:
        """A trainee's sessions over time, oldest first (classroom sessions they answered in included)."""
        return self.sessions(trainee=trainee)

    @staticmethod
    def _took_part(trainee_id: int, name: str) -> Any:
        """Sessions the trainee owns, or answered at least one turn of (classroom mode: trainees take turns)."""
        answered = sa.select(turns.c.session_id).where(turns.c.trainee == name)
        return sa.or_(sessions.c.trainee_id == trainee_id, sessions.c.session_id.in_(answered))

    def unfinished(self) -> list[SessionRecord]:
        """Sessions this station left before an ending (the app was closed or killed).

        Only this station's: on a shared server, another station's session may be in progress.
        """
        has_turns = sa.exists().where(turns.c.session_id == sessions.c.session_id)
        with self._begin() as conn:
            return self._records(conn, [sessions.c.station == self.station, sessions.c.closed == sa.false(),
                                        sessions.c.outcome.is_(None), has_turns])

    def best_outcomes(self, trainee: str | None = None) -> dict[str, str]:
        """scenario id -> the best outcome reached (resolved > unresolved > escalated)."""
        query = (sa.select(sessions.c.scenario_id, sessions.c.outcome).distinct()
                 .where(sessions.c.outcome.is_not(None)))
        if trainee is not None:
            query = query.join(trainees, sessions.c.trainee_id == trainees.c.id).where(trainees.c.name == trainee)
        best: dict[str, str] = {}
        with self._begin() as conn:
            for scenario_id, outcome in conn.execute(query):
                if _OUTCOME_RANK.get(outcome, 0) > _OUTCOME_RANK.get(best.get(scenario_id, ""), 0):
                    best[scenario_id] = outcome
        return best

    def untried_scenarios(self, trainee: str, scenario_ids: Iterable[str]) -> list[str]:
        """Those of `scenario_ids` (the library's) the trainee has not started yet, in that order."""
        owned = (sa.select(sessions.c.scenario_id)
                 .join(trainees, sessions.c.trainee_id == trainees.c.id).where(trainees.c.name == trainee))
        answered = (sa.select(sessions.c.scenario_id)
                    .join(turns, turns.c.session_id == sessions.c.session_id).where(turns.c.trainee == trainee))
        with self._begin() as conn:
            tried = set(conn.execute(sa.union(owned, answered)).scalars())
        return [s for s in scenario_ids if s not in tried]

    def score_trend(self, trainee: str) -> list[TrendPoint]:
        """Per session, oldest first: score, outcome, and how often each technique and trigger showed."""
        with self._begin() as conn:
            trainee_id = self._existing_trainee(conn, trainee)
            turn_count = (sa.select(sa.func.count()).where(turns.c.session_id == sessions.c.session_id)
                          .scalar_subquery())
            override_count = (sa.select(sa.func.count())
                              .where(turns.c.session_id == sessions.c.session_id, turns.c.override.is_not(None))
                              .scalar_subquery())
            heads = conn.execute(
                sa.select(sessions.c.session_id, sessions.c.scenario_id, sessions.c.started_at,
                          sessions.c.outcome, sessions.c.score, turn_count.label("turns"),
                          override_count.label("overrides"))
                .where(sessions.c.trainee_id == trainee_id)
                .order_by(sessions.c.started_at, sessions.c.session_id)
            ).all()
            counts: dict[str, dict[str, dict[str, int]]] = {
                h.session_id: {"technique": {}, "trigger": {}} for h in heads}
            for session_id, kind, name, n in conn.execute(
                sa.select(findings.c.session_id, findings.c.kind, findings.c.name, sa.func.count())
                .join(sessions, sessions.c.session_id == findings.c.session_id)
                .where(sessions.c.trainee_id == trainee_id)
                .group_by(findings.c.session_id, findings.c.kind, findings.c.name)
            ):
                counts[session_id][kind][name] = n
        return [
            TrendPoint(session_id=h.session_id, scenario_id=h.scenario_id, started_at=_iso(h.started_at),
                       turns=h.turns, outcome=h.outcome, score=h.score, overrides=h.overrides,
                       techniques=counts[h.session_id]["technique"],
                       triggers=counts[h.session_id]["trigger"])
            for h in heads
        ]

    # -- trainees and classes --------------------------------------------------------------------
    def add_trainee(self, name: str, class_name: str | None = None) -> Trainee:
        """Add a trainee (or find them), putting them on `class_name`'s roster when given."""
        name = name.strip()
        if not name:
            raise ValueError("a trainee needs a name")
        with self._begin() as conn:
            trainee_id = self._trainee_id(conn, name)
            if class_name is not None:
                class_id = self._class_id(conn, class_name)
                conn.execute(sa.update(trainees).where(trainees.c.id == trainee_id).values(class_id=class_id))
        return self.trainee(name)

    def trainee(self, name: str) -> Trainee:
        found = self._trainee_list([trainees.c.name == name])
        if not found:
            raise UnknownTrainee(name)
        return found[0]

    def trainees(self, class_name: str | None = None) -> list[Trainee]:
        """Every trainee, or one class's roster, by name."""
        if class_name is None:
            return self._trainee_list([])
        with self._begin() as conn:
            class_id = self._existing_class(conn, class_name)
        return self._trainee_list([trainees.c.class_id == class_id])

    def add_class(self, name: str) -> None:
        name = name.strip()
        if not name:
            raise ValueError("a class needs a name")
        with self._begin() as conn:
            self._class_id(conn, name)

    def classes(self) -> list[str]:
        with self._begin() as conn:
            return list(conn.execute(sa.select(classes.c.name).order_by(classes.c.name)).scalars())

    def _trainee_list(self, where: list[Any]) -> list[Trainee]:
        query = (sa.select(trainees.c.name, classes.c.name.label("class_name"), trainees.c.created_at)
                 .select_from(trainees.outerjoin(classes, trainees.c.class_id == classes.c.id))
                 .where(*where).order_by(trainees.c.name))
        with self._begin() as conn:
            return [Trainee(r.name, r.class_name, _iso(r.created_at)) for r in conn.execute(query)]

    def _get_or_create(self, conn: Connection, table: sa.Table, name: str) -> int:
        # DO NOTHING then SELECT: safe when two stations add the same name at the same moment.
        conn.execute(self._insert(table).values(name=name, created_at=_now())
                     .on_conflict_do_nothing(index_elements=["name"]))
        return conn.execute(sa.select(table.c.id).where(table.c.name == name)).scalar_one()

    def _trainee_id(self, conn: Connection, name: str) -> int:
        return self._get_or_create(conn, trainees, name)

    def _class_id(self, conn: Connection, name: str) -> int:
        return self._get_or_create(conn, classes, name)

    def _existing_trainee(self, conn: Connection, name: str) -> int:
        found = conn.execute(sa.select(trainees.c.id).where(trainees.c.name == name)).scalar()
        if found is None:
            raise UnknownTrainee(name)
        return found

    def _existing_class(self, conn: Connection, name: str) -> int:
        found = conn.execute(sa.select(classes.c.id).where(classes.c.name == name)).scalar()
        if found is None:
            raise UnknownClass(name)
        return found

    # -- retention and deletion ------------------------------------------------------------------
    def purge_recordings(self, older_than_days: int) -> int:
        """Delete recordings made more than `older_than_days` ago; 0 keeps them for ever (the setting).

        Deletes the files this station can see and marks their turns; returns how many it deleted.
        A recording of another station's session is left for that station to purge.

        A session still in progress (not closed and without an ending: being played, here or on
        another station, or left part-way to be carried on) keeps every recording until it is
        finished or discarded. That includes the recordings it shares with an older session: a
        session tried again from a turn keeps the earlier turns' files where they were recorded.
        """
        if older_than_days <= 0:
            return 0
        cutoff = _now() - timedelta(days=older_than_days)
        in_progress = sa.and_(sessions.c.closed == sa.false(), sessions.c.outcome.is_(None))
        query = (sa.select(turns.c.session_id, turns.c.turn_index, turns.c.audio_file, sessions.c.station)
                 .join(sessions, sessions.c.session_id == turns.c.session_id)
                 .where(turns.c.audio_file.is_not(None), turns.c.recording_deleted_at.is_(None),
                        turns.c.at < cutoff, sa.not_(in_progress)))
        still_used = (sa.select(turns.c.audio_file).join(sessions, sessions.c.session_id == turns.c.session_id)
                      .where(turns.c.audio_file.is_not(None), in_progress))
        deleted = 0
        with self._begin() as conn:
            keep = set(conn.execute(still_used).scalars())
            for session_id, turn_index, audio_file, station in conn.execute(query).all():
                if audio_file in keep:
                    continue  # left for when the session in progress that also has it is finished
                path = Path(audio_file)
                if path.exists():
                    try:
                        path.unlink()
                    except OSError as exc:
                        log.warning("could not delete recording %s: %s", path, exc)
                        continue
                    deleted += 1
                    self._remove_empty(path.parent)
                elif station != self.station:
                    continue
                conn.execute(sa.update(turns)
                             .where(turns.c.session_id == session_id, turns.c.turn_index == turn_index)
                             .values(recording_deleted_at=_now()))
        if deleted:
            log.info("retention: deleted %d recording(s) older than %d days", deleted, older_than_days)
        return deleted

    def delete_trainee_data(self, trainee: str) -> DeletedData:
        """Delete a trainee's profile, sessions, turns and the recordings on this station's disk."""
        with self._begin() as conn:
            trainee_id = self._existing_trainee(conn, trainee)
            rows = conn.execute(
                sa.select(sessions.c.session_id, sessions.c.station, turns.c.audio_file)
                .select_from(sessions.outerjoin(turns, turns.c.session_id == sessions.c.session_id))
                .where(sessions.c.trainee_id == trainee_id)
            ).all()
            session_ids = {r.session_id for r in rows}
            deleted, elsewhere = 0, []
            for row in rows:
                if not row.audio_file:
                    continue
                path = Path(row.audio_file)
                if path.exists():
                    path.unlink()
                    deleted += 1
                elif row.station != self.station:
                    elsewhere.append((row.station, row.audio_file))
            for session_id in session_ids:
                shutil.rmtree(self.folder(session_id), ignore_errors=True)
            # Turns and findings go with their sessions (ON DELETE CASCADE).
            conn.execute(sa.delete(sessions).where(sessions.c.trainee_id == trainee_id))
            conn.execute(sa.delete(trainees).where(trainees.c.id == trainee_id))
            # Their turns in others' classroom sessions stay (the session would not follow without
            # them), but nothing of theirs is left in them: no name, words, quotes or recording.
            shared = conn.execute(
                sa.select(turns.c.session_id, turns.c.turn_index, turns.c.audio_file, turns.c.judgement,
                          sessions.c.station)
                .join(sessions, sessions.c.session_id == turns.c.session_id)
                .where(turns.c.trainee == trainee)
            ).all()
            for row in shared:
                if row.audio_file:
                    path = Path(row.audio_file)
                    if path.exists():
                        path.unlink()
                        deleted += 1
                    elif row.station != self.station:
                        elsewhere.append((row.station, row.audio_file))
                judged = Judgement.model_validate(row.judgement)
                judgement = judged.model_copy(update={
                    "techniques": [f.model_copy(update={"evidence": ""}) for f in judged.techniques],
                    "triggers": [f.model_copy(update={"evidence": ""}) for f in judged.triggers],
                    "explanation": []})
                where = (turns.c.session_id == row.session_id, turns.c.turn_index == row.turn_index)
                conn.execute(sa.update(turns).where(*where).values(
                    trainee=None, reply=ERASED_REPLY, audio_file=None, judgement=judgement.model_dump(mode="json")))
                conn.execute(sa.update(findings).where(findings.c.session_id == row.session_id,
                                                       findings.c.turn_index == row.turn_index).values(evidence=""))
        log.info("deleted the data of a trainee: %d session(s), %d recording(s), %d shared turn(s) wiped",
                 len(session_ids), deleted, len(shared))
        return DeletedData(sessions=len(session_ids), recordings=deleted, elsewhere=elsewhere,
                           shared_turns=len(shared))

    @staticmethod
    def _remove_empty(folder: Path) -> None:
        try:
            folder.rmdir()
        except OSError:
            pass  # not empty, or already gone


@contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    """One connection and transaction, committed on success; database errors explained."""
    try:
        with engine.begin() as conn:
            yield conn
    except OperationalError as exc:
        raise db.unreachable(engine.url, exc) from exc
    except DBAPIError as exc:
        raise DatabaseUnavailable(
            f"the records database at {db.describe(engine.url)} refused a change: {db.short(exc)}"
        ) from exc
