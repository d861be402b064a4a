""""Delete my data": a trainee's profile, their sessions, every turn they answered and its recording.

Exactly theirs: the turns other trainees answered in a classroom session stay, with their recordings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from simulator.records import db
from simulator.records.recordings import Recordings
from simulator.records.roster import existing_trainee
from simulator.records.schema import sessions, trainees, turns

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
    # Turns they answered in classroom sessions, removed from those sessions (the others' turns stay).
    shared_turns: int = 0


def delete_trainee_data(engine: Engine, recordings: Recordings, trainee: str) -> DeletedData:
    """Delete a trainee's profile, sessions, the turns they answered and the recordings on this station's disk."""
    deleted, elsewhere = 0, []
    with db.transaction(engine) as conn:
        trainee_id = existing_trainee(conn, trainee)
        own = sessions.c.trainee_id == trainee_id
        theirs = sa.or_(own, turns.c.trainee_id == trainee_id)
        rows = conn.execute(
            sa.select(sessions.c.session_id, sessions.c.station, turns.c.audio_file, own.label("own"))
            .select_from(sessions.outerjoin(turns, turns.c.session_id == sessions.c.session_id))
            .where(sa.or_(own, sessions.c.session_id.in_(
                sa.select(turns.c.session_id).where(turns.c.trainee_id == trainee_id))))
            .where(sa.or_(theirs, turns.c.session_id.is_(None)))
        ).all()
        session_ids = {r.session_id for r in rows if r.own}
        for row in rows:
            if row.audio_file:
                gone = recordings.erase(row.audio_file, row.station)
                if gone:
                    deleted += 1
                elif gone is False:
                    elsewhere.append((row.station, row.audio_file))
        recordings.erase_folders(session_ids)
        shared = conn.execute(sa.delete(turns).where(
            turns.c.trainee_id == trainee_id, turns.c.session_id.not_in(sa.select(sessions.c.session_id).where(own))
        )).rowcount
        # Their sessions go with their turns and findings (ON DELETE CASCADE), then the profile.
        conn.execute(sa.delete(sessions).where(own))
        conn.execute(sa.delete(trainees).where(trainees.c.id == trainee_id))
    log.info("deleted the data of a trainee: %d session(s), %d recording(s), %d turn(s) in classroom sessions",
             len(session_ids), deleted, shared)
    return DeletedData(sessions=len(session_ids), recordings=deleted, elsewhere=elsewhere, shared_turns=shared)
