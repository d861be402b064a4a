""""Delete my data": a trainee's profile, sessions and recordings go, and their words leave the
classroom sessions of others (those turns stay, the session would not follow without them)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from simulator.engine.judgement import Judgement
from simulator.records import db
from simulator.records.recordings import Recordings
from simulator.records.roster import existing_trainee
from simulator.records.schema import findings, sessions, trainees, turns

log = logging.getLogger(__name__)

# What a deleted trainee's reply in someone else's classroom session reads afterwards.
ERASED_REPLY = "(deleted at the trainee's request)"


@dataclass(frozen=True)
class DeletedData:
    """What `delete_trainee_data` removed, and the recordings it could not reach."""

    sessions: int
    recordings: int
    # Recordings kept on another station's disk: delete them there (see `station`).
    elsewhere: list[tuple[str, str]] = field(default_factory=list)  # (station, path)
    # Turns they answered in someone else's classroom session: kept for that session, their words wiped.
    shared_turns: int = 0


def delete_trainee_data(engine: Engine, recordings: Recordings, trainee: str) -> DeletedData:
    """Delete a trainee's profile, sessions, turns and the recordings on this station's disk."""
    deleted, elsewhere = 0, []

    def erase(audio_file: str, station: str) -> None:
        nonlocal deleted
        gone = recordings.erase(audio_file, station)
        if gone:
            deleted += 1
        elif gone is False:
            elsewhere.append((station, audio_file))

    with db.transaction(engine) as conn:
        trainee_id = existing_trainee(conn, trainee)
        rows = conn.execute(
            sa.select(sessions.c.session_id, sessions.c.station, turns.c.audio_file)
            .select_from(sessions.outerjoin(turns, turns.c.session_id == sessions.c.session_id))
            .where(sessions.c.trainee_id == trainee_id)
        ).all()
        session_ids = {r.session_id for r in rows}
        for row in rows:
            if row.audio_file:
                erase(row.audio_file, row.station)
        recordings.erase_folders(session_ids)
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
        for turn in shared:
            if turn.audio_file:
                erase(turn.audio_file, turn.station)
            judged = Judgement.model_validate(turn.judgement)
            judgement = judged.model_copy(update={
                "techniques": [f.model_copy(update={"evidence": ""}) for f in judged.techniques],
                "triggers": [f.model_copy(update={"evidence": ""}) for f in judged.triggers],
                "explanation": []})
            where = (turns.c.session_id == turn.session_id, turns.c.turn_index == turn.turn_index)
            conn.execute(sa.update(turns).where(*where).values(
                trainee=None, reply=ERASED_REPLY, audio_file=None, judgement=judgement.model_dump(mode="json")))
            conn.execute(sa.update(findings).where(findings.c.session_id == turn.session_id,
                                                   findings.c.turn_index == turn.turn_index).values(evidence=""))
    log.info("deleted the data of a trainee: %d session(s), %d recording(s), %d shared turn(s) wiped",
             len(session_ids), deleted, len(shared))
    return DeletedData(sessions=len(session_ids), recordings=deleted, elsewhere=elsewhere,
                       shared_turns=len(shared))
