"""Sessions on disk: one folder per session with its state (rewritten after every turn) and recordings.

    <data>/sessions/<session_id>/session.json    metadata + SessionState, written atomically
    <data>/sessions/<session_id>/turn-003.wav    the trainee's reply to turn 3

A session killed mid-way is found again by `unfinished()`; every finished turn is in its state.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from simulator import paths
from simulator.engine.session import SessionState
from simulator.fileio import atomic_write_text

log = logging.getLogger(__name__)


class SessionRecord(BaseModel):
    """What is saved: who played which scenario, and the runner's state."""

    trainee: str = ""
    scenario_title: str = ""
    updated_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    closed: bool = False  # the trainee finished or left the session deliberately
    score: float | None = None
    state: SessionState

    @property
    def session_id(self) -> str:
        return self.state.session_id


class SessionStore:
    def __init__(self, root: Path | None = None):
        self.root = root or paths.data_dir() / "sessions"

    def folder(self, session_id: str) -> Path:
        return self.root / session_id

    def recording_path(self, session_id: str, turn_index: int) -> Path:
        folder = self.folder(session_id)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"turn-{turn_index:03d}.wav"

    def save(self, record: SessionRecord) -> None:
        record.updated_at = datetime.now(UTC).isoformat(timespec="seconds")
        atomic_write_text(self.folder(record.session_id) / "session.json", record.model_dump_json(indent=1))

    def load(self, session_id: str) -> SessionRecord:
        return SessionRecord.model_validate_json((self.folder(session_id) / "session.json").read_text(encoding="utf-8"))

    def all(self) -> list[SessionRecord]:
        out: list[SessionRecord] = []
        if not self.root.is_dir():
            return out
        for file in self.root.glob("*/session.json"):
            try:
                out.append(SessionRecord.model_validate_json(file.read_text(encoding="utf-8")))
            except (OSError, ValidationError, json.JSONDecodeError) as exc:
                log.warning("skipping unreadable session %s: %s", file, exc)
        out.sort(key=lambda r: r.updated_at, reverse=True)
        return out

    def unfinished(self) -> list[SessionRecord]:
        """Sessions interrupted before an ending (the app was closed or killed)."""
        return [r for r in self.all() if not r.closed and r.state.outcome is None and r.state.turns]

    def best_outcomes(self, trainee: str | None = None) -> dict[str, str]:
        """scenario id -> the best outcome reached (resolved > unresolved > escalated)."""
        rank = {"resolved": 3, "unresolved": 2, "escalated": 1}
        best: dict[str, str] = {}
        for r in self.all():
            if trainee is not None and r.trainee != trainee:
                continue
            outcome = r.state.outcome
            if outcome and rank[outcome] > rank.get(best.get(r.state.scenario_id, ""), 0):
                best[r.state.scenario_id] = outcome
        return best
