"""Recordings of the trainee's replies, from the microphone to deletion: the one place that names,
moves and deletes recording files.

    recordings = Recordings(data_folder)              # files under <data_folder>/recordings/
    wav = recordings.incoming_path(3)                 # the listener writes a reply there
    kept = recordings.keep(wav, session_id, 3)        # <data>/recordings/<session_id>/turn-003.wav
    recordings.discard(wav)                           # a recording nobody will use
    recordings.purge(engine, older_than_days=30)      # retention (Settings: "Keep recordings")

Recordings stay WAV files on the station that made them; the database keeps their paths (turns'
`audio_file`) and the session's `station`, so a station deletes only what is on its own disk and
leaves another station's recordings to it. Deleting a trainee's data asks `erase` for each of theirs.
"""

from __future__ import annotations

import logging
import shutil
import socket
import time
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from simulator.records import db
from simulator.records.schema import sessions, turns

log = logging.getLogger(__name__)


def this_station() -> str:
    """The name this computer's sessions are saved under (its host name)."""
    return socket.gethostname() or "unknown"


class Recordings:
    """The recording files of one data folder (see the module docstring)."""

    def __init__(self, root: Path, station: str | None = None):
        self.path = root / "recordings"
        self.station = station or this_station()

    # -- incoming: written by the listener before anyone knows whether they are kept ------------
    @property
    def incoming(self) -> Path:
        return self.path / "incoming"

    def incoming_path(self, number: int, suffix: str = "") -> Path:
        """Where the listener writes reply `number` (any thread). Raises OSError when the folder cannot be made."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        return self.incoming / f"reply-{time.strftime('%Y%m%d-%H%M%S')}-{number:03d}{suffix}.wav"

    @staticmethod
    def discard(path: Path | str) -> None:
        """Delete a recording nobody will use: one made at a pause the trainee spoke after, or a reply
        the recogniser was unsure of. (Static: it needs no folder, only the file it is given.)"""
        try:
            Path(path).unlink(missing_ok=True)
        except OSError as exc:
            log.info("a discarded recording stays in %s: %s", path, exc)  # still open elsewhere (Windows)

    # -- kept with the session -------------------------------------------------------------------
    def folder(self, session_id: str) -> Path:
        """Where this station keeps a session's recordings."""
        return self.path / session_id

    def turn_path(self, session_id: str, turn_index: int) -> Path:
        """Where turn `turn_index`'s reply is kept (the session's folder is made)."""
        folder = self.folder(session_id)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"turn-{turn_index:03d}.wav"

    def keep(self, source: Path | str | None, session_id: str, turn_index: int) -> Path | None:
        """Move a reply's recording into the session as turn `turn_index`'s, so the debrief can play
        it and the judge hears it. When that fails it stays where it is (None if it is gone)."""
        if not source:
            return None
        try:
            # Inside the try: making the session folder fails on a read-only or full disk too.
            target = self.turn_path(session_id, turn_index)
            shutil.move(str(source), target)
        except OSError as exc:
            log.warning("keeping the recording %s failed: %s", source, exc)
            return Path(source) if Path(source).is_file() else None
        return target

    def keep_interrupted(self, source: Path | str, session_id: str, turn_index: int) -> Path | None:
        """Keep what the microphone captured before it failed mid-reply, beside the session's
        recordings as turn-NNN-interrupted.wav (-2, -3... when it failed more than once), so
        nothing the trainee said is lost. None when it could not be moved (it stays where it is)."""
        try:
            folder = self.folder(session_id)
            folder.mkdir(parents=True, exist_ok=True)
            stem = f"turn-{turn_index:03d}-interrupted"
            target = folder / f"{stem}.wav"
            n = 1
            while target.exists():
                n += 1
                target = folder / f"{stem}-{n}.wav"
            shutil.move(str(source), target)
        except OSError as exc:
            log.warning("the interrupted reply stays in %s (moving it to the session failed: %s)", source, exc)
            return None
        log.warning("the reply interrupted by the microphone failure is kept in %s", target)
        return target

    # -- deleting --------------------------------------------------------------------------------
    def erase(self, audio_file: str, station: str) -> bool | None:
        """Delete a recording for good (a trainee's "delete my data"). True when deleted, False when
        it is on `station`'s disk, another computer's, None when it is gone already. A file that
        cannot be deleted raises OSError: nothing is reported deleted that was not."""
        path = Path(audio_file)
        if path.exists():
            path.unlink()
            return True
        return False if station != self.station else None

    def erase_folders(self, session_ids: Iterable[str]) -> None:
        """Delete whatever is left of these sessions' folders on this station (interrupted replies)."""
        for session_id in session_ids:
            shutil.rmtree(self.folder(session_id), ignore_errors=True)

    def purge(self, engine: Engine, older_than_days: int) -> int:
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
        cutoff = db.now() - timedelta(days=older_than_days)
        in_progress = sa.and_(sessions.c.closed == sa.false(), sessions.c.outcome.is_(None))
        query = (sa.select(turns.c.session_id, turns.c.turn_index, turns.c.audio_file, sessions.c.station)
                 .join(sessions, sessions.c.session_id == turns.c.session_id)
                 .where(turns.c.audio_file.is_not(None), turns.c.recording_deleted_at.is_(None),
                        turns.c.at < cutoff, sa.not_(in_progress)))
        still_used = (sa.select(turns.c.audio_file).join(sessions, sessions.c.session_id == turns.c.session_id)
                      .where(turns.c.audio_file.is_not(None), in_progress))
        deleted = 0
        with db.transaction(engine) as conn:
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
                    _remove_empty(path.parent)
                elif station != self.station:
                    continue
                conn.execute(sa.update(turns)
                             .where(turns.c.session_id == session_id, turns.c.turn_index == turn_index)
                             .values(recording_deleted_at=db.now()))
        if deleted:
            log.info("retention: deleted %d recording(s) older than %d days", deleted, older_than_days)
        return deleted


def _remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty, or already gone
