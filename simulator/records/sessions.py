"""Sessions as the records keep them: a session's record, saved after every turn and read back.

    sessions = Sessions(engine, station="desk-3")
    sessions.save(record)                        # after every turn: one transaction, committed
    sessions.save_note(session_id, "text", turn_index=2)   # a trainer's note, and nothing else
    sessions.load(session_id), sessions.all(), sessions.unfinished()

Saving is an upsert keyed by session id and (session id, turn index), so a station that saves the
same session twice, or two stations saving different sessions at once, never lose or double rows.
`station` (the host name) says which computer's disk has a session's recordings.

A trainer's notes are written by `save_note` alone: `save` writes them with a session or turn row it
adds, never over a row already saved. The trainer may be editing a note in the debrief while the
classroom still holds the same session, so a whole-session save from one screen must not put back
the note as the other screen last saw it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection, Engine

from simulator.engine.judgement import Judgement
from simulator.engine.scoring import score_session
from simulator.engine.session import Correction, SessionState, TurnRecord
from simulator.records import db
from simulator.records.roster import class_id, trainee_id
from simulator.records.schema import classes, findings, sessions, trainees, turns


class SessionRecord(BaseModel):
    """What is saved: who played which scenario, and the runner's state.

    A session played alone is its `trainee`'s; a classroom session is its class's (`class_name`, and no
    trainee). Each turn names who answered it (TurnRecord.trainee); in a session of one trainee's own,
    an unnamed turn is theirs.
    """

    trainee: str = ""
    class_name: str = ""
    scenario_title: str = ""
    updated_at: str = Field(default_factory=lambda: db.iso(db.now()))
    closed: bool = False  # the trainee finished or left the session deliberately
    # The trainee restarted the scenario part-way (closed too): kept, since its turns are theirs, but
    # neither resumable nor "not finished" (a session restarted before any turn is never saved).
    restarted: bool = False
    score: float | None = None
    state: SessionState
    # The computer the session was started on (filled in by the store).
    station: str = ""
    # What the trainer noted about the whole session ("" : nothing).
    trainer_note: str = ""

    @property
    def session_id(self) -> str:
        return self.state.session_id

    @property
    def owner(self) -> str:
        """Whose session it is, as a report titles it: the class's for a classroom session, else the trainee's."""
        return self.class_name or self.trainee


class SessionNotFound(FileNotFoundError):
    """No session with that id. A FileNotFoundError, as when sessions were files, for old callers."""


class Sessions:
    """Saving and loading whole sessions (see the module docstring)."""

    def __init__(self, engine: Engine, station: str):
        self.engine = engine
        self.station = station

    def save(self, record: SessionRecord) -> None:
        """Write a session and all its turns in one transaction (call it after every turn)."""
        with db.transaction(self.engine) as conn:
            self.write(conn, record)

    def write(self, conn: Connection, record: SessionRecord, touch: bool = True, notes: bool | None = None) -> None:
        """Write a session and its turns in the caller's transaction. `touch`: stamp it as updated now
        (a turn was just taken); False keeps its `updated_at` (a copy sent on from another database).
        `notes`: write the trainer's notes over those of rows already there (default: only for a copy,
        `touch` False; this computer's kept copy of a session takes them too, see Outbox.keep)."""
        overwrite_notes = not touch if notes is None else notes
        now = db.now() if touch else db.parse_time(record.updated_at, "update time")
        record.updated_at = db.iso(now)
        state = record.state
        if record.score is None and state.outcome is not None:
            # Ended but never shown in the debrief (the app was closed first): score it the
            # same way the debrief would, so reports and trends have every finished session.
            record.score = round(score_session(state.turns, state.outcome).total, 1)
        owner = trainee_id(conn, record.trainee) if record.trainee else None
        values = {
            "session_id": state.session_id,
            "trainee_id": owner,
            "class_id": class_id(conn, record.class_name) if record.class_name else None,
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
            "restarted": record.restarted,
            "score": record.score,
            "trainer_note": record.trainer_note or None,
            "started_at": db.parse_time(state.started_at, "start time"),
            "updated_at": now,
        }
        insert = db.insert(conn, sessions).values(values)
        # The station stays the one that started the session: its disk has the recordings. A turn's save
        # leaves the trainer's notes alone (they are saved on their own, `save_note`); a copy sent on from
        # another database (`touch` False) brings its notes along.
        kept = ("session_id", "station") if overwrite_notes else ("session_id", "station", "trainer_note")
        changes = {k: insert.excluded[k] for k in values if k not in kept}
        conn.execute(insert.on_conflict_do_update(index_elements=["session_id"], set_=changes))
        if not record.station:
            record.station = conn.execute(
                sa.select(sessions.c.station).where(sessions.c.session_id == state.session_id)
            ).scalar_one()

        # A rewind drops turns from the state; drop them here too.
        conn.execute(sa.delete(turns).where(turns.c.session_id == state.session_id,
                                            turns.c.turn_index >= len(state.turns)))
        if state.turns:
            answered = {name: trainee_id(conn, name) for name in {t.trainee for t in state.turns if t.trainee}}
            rows = [_turn_row(state.session_id, t, answered.get(t.trainee or "", owner)) for t in state.turns]
            insert = db.insert(conn, turns)
            updated = {c.name: insert.excluded[c.name] for c in turns.c
                       if c.name not in ("session_id", "turn_index", "recording_deleted_at")
                       and (c.name != "trainer_note" or overwrite_notes)}
            conn.execute(insert.on_conflict_do_update(
                index_elements=["session_id", "turn_index"], set_=updated), rows)
            conn.execute(sa.delete(findings).where(findings.c.session_id == state.session_id))
            found = [row for t in state.turns for row in _finding_rows(state.session_id, t)]
            if found:
                conn.execute(sa.insert(findings), found)

    def save_note(self, session_id: str, note: str, turn_index: int | None = None) -> bool:
        """Write the trainer's note on a session (`turn_index` None) or on one of its turns, and nothing else.

        False when that session or turn has no row yet (its save failed): `save` then writes the note with it.
        """
        table = sessions if turn_index is None else turns
        where = [table.c.session_id == session_id]
        if turn_index is not None:
            where.append(turns.c.turn_index == turn_index)
        with db.transaction(self.engine) as conn:
            done = conn.execute(sa.update(table).where(*where).values(trainer_note=note or None))
        return bool(done.rowcount)

    def load(self, session_id: str) -> SessionRecord:
        with db.transaction(self.engine) as conn:
            found = read_records(conn, [sessions.c.session_id == session_id])
        if not found:
            raise SessionNotFound(f"no session {session_id}")
        return found[0]

    def all(self) -> list[SessionRecord]:
        """Every session, most recently updated first."""
        with db.transaction(self.engine) as conn:
            return read_records(conn)

    def unfinished(self) -> list[SessionRecord]:
        """Sessions this station left before an ending (the app was closed or killed).

        Only this station's: on a shared server, another station's session may be in progress.
        """
        has_turns = sa.exists().where(turns.c.session_id == sessions.c.session_id)
        with db.transaction(self.engine) as conn:
            return read_records(conn, [sessions.c.station == self.station, sessions.c.closed == sa.false(),
                                       sessions.c.outcome.is_(None), has_turns])


def took_part(record: SessionRecord, trainee: str) -> bool:
    """The session is `trainee`'s, or they answered a turn of it (classroom mode: trainees take turns)."""
    return record.trainee == trainee or any(t.trainee == trainee for t in record.state.turns)


def turns_of(record: SessionRecord, trainee: str) -> list[TurnRecord]:
    """The turns `trainee` answered: those naming them, and in a session of their own the unnamed ones."""
    return [t for t in record.state.turns
            if t.trainee == trainee or (t.trainee is None and record.trainee == trainee)]


def trainee_score(record: SessionRecord, trainee: str | None) -> float | None:
    """The session's score for `trainee` (None: the whole session's, `record.score`).

    When they answered every turn (a session of their own) it is the session's score. A classroom session
    shared with others is scored on the turns they answered (`turns_of`; the outcome is shared), as the
    history's trend chart scores it. None when the session has no score (unfinished, never debriefed) or
    they answered none of its turns: nothing of theirs to score, which is not a score of 0.
    """
    if not trainee or record.score is None:
        return record.score
    mine = turns_of(record, trainee)
    if len(mine) == len(record.state.turns):
        return record.score
    if not mine:
        return None
    return score_session(mine, record.state.outcome).total


def behaviour_counts(turns: Iterable[TurnRecord]) -> tuple[Counter[str], Counter[str]]:
    """How often each technique and each trigger was found in `turns` (by id; a corrected turn's as
    corrected, as the score counts them: TurnRecord.assessed)."""
    techniques: Counter[str] = Counter()
    triggers: Counter[str] = Counter()
    for t in turns:
        techniques.update(f.name for f in t.assessed.techniques)
        triggers.update(f.name for f in t.assessed.triggers)
    return techniques, triggers


def _turn_row(session_id: str, turn: TurnRecord, answered_by: int | None) -> dict[str, Any]:
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
        "heard": [list(w) for w in turn.heard] or None,
        "judgement": j.model_dump(mode="json"),
        "intent": j.intent,
        "tone": j.tone.label if j.tone else None,
        "override": turn.override,
        "applied_delta": turn.applied_delta,
        "agitation_after": turn.agitation_after,
        "branch_index": turn.branch_index,
        "target": turn.target,
        "trainee_id": answered_by,
        "at": db.parse_time(turn.at, "turn time"),
        "correction": turn.correction.model_dump(mode="json") if turn.correction else None,
        "trainer_note": turn.trainer_note or None,
    }


def _finding_rows(session_id: str, turn: TurnRecord) -> Iterable[dict[str, Any]]:
    # What the trends count: a corrected turn's findings as corrected, as the score counts them.
    judged = turn.assessed
    for kind, items in (("technique", judged.techniques), ("trigger", judged.triggers)):
        for position, finding in enumerate(items):
            yield {"session_id": session_id, "turn_index": turn.index, "kind": kind,
                   "position": position, "name": finding.name, "evidence": finding.evidence}


def read_records(conn: Connection, where: Sequence[Any] = (), order: Any = None) -> list[SessionRecord]:
    """The sessions matching `where` with all their turns (most recently updated first by default)."""
    query = (sa.select(sessions, trainees.c.name.label("trainee_name"), classes.c.name.label("class_name"))
             .select_from(sessions.outerjoin(trainees, sessions.c.trainee_id == trainees.c.id)
                          .outerjoin(classes, sessions.c.class_id == classes.c.id))
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
        for row in conn.execute(sa.select(turns, trainees.c.name.label("answered_by"))
                                .select_from(turns.outerjoin(trainees, turns.c.trainee_id == trainees.c.id))
                                .where(turns.c.session_id.in_(chunk))
                                .order_by(turns.c.session_id, turns.c.turn_index)).mappings():
            by_session[row["session_id"]].append(TurnRecord(
                index=row["turn_index"], node_id=row["node_id"], customer_line=row["customer_line"],
                mood=row["mood"], agitation_before=row["agitation_before"], reply=row["reply"],
                heard=row["heard"] or [],
                # A recording retention deleted is no longer offered for playback.
                audio_file=None if row["recording_deleted_at"] else row["audio_file"],
                judgement=Judgement.model_validate(row["judgement"]), override=row["override"],
                applied_delta=row["applied_delta"], agitation_after=row["agitation_after"],
                branch_index=row["branch_index"], target=row["target"],
                trainee=row["answered_by"],
                at=db.iso(row["at"]),
                correction=Correction.model_validate(row["correction"]) if row["correction"] else None,
                trainer_note=row["trainer_note"] or "",
            ))
    for h in heads:
        # As the conversation keeps them: a session played alone names nobody on its turns (they are all
        # its trainee's); in a classroom session each turn names who answered it.
        played = by_session[h["session_id"]]
        if h["trainee_name"] and all(t.trainee == h["trainee_name"] for t in played):
            by_session[h["session_id"]] = [t.model_copy(update={"trainee": None}) for t in played]
    return [
        SessionRecord(
            trainee=h["trainee_name"] or "", class_name=h["class_name"] or "", scenario_title=h["scenario_title"],
            updated_at=db.iso(h["updated_at"]), closed=h["closed"], restarted=h["restarted"], score=h["score"],
            station=h["station"], trainer_note=h["trainer_note"] or "",
            state=SessionState(
                state_version=h["state_version"], session_id=h["session_id"],
                scenario_id=h["scenario_id"], seed=h["seed"], node_id=h["node_id"],
                agitation=h["agitation"], turns=by_session[h["session_id"]],
                ending_id=h["ending_id"], outcome=h["outcome"],
                started_at=db.iso(h["started_at"]), repeats=h["repeats"],
            ),
        )
        for h in heads
    ]
