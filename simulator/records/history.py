"""Questions about the past: a trainee's or a class's sessions, best outcomes, the score trend, what is untried.

    history = History(engine)
    history.sessions(trainee="Sam"), history.best_outcomes("Sam"), history.score_trend("Sam")

A trainee's history includes the classroom sessions they answered a turn in (trainees take turns).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from simulator.records import db
from simulator.records.roster import existing_class, existing_trainee
from simulator.records.schema import findings, sessions, trainees, turns
from simulator.records.sessions import SessionRecord, read_records

_OUTCOME_RANK = {"resolved": 3, "unresolved": 2, "escalated": 1}


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


class History:
    """Read-only questions across sessions (see the module docstring)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def sessions(self, trainee: str | None = None, class_name: str | None = None) -> list[SessionRecord]:
        """A trainee's or a class's sessions, oldest first. Raises UnknownTrainee / UnknownClass."""
        with db.transaction(self.engine) as conn:
            where: list[Any] = []
            if trainee is not None:
                where.append(_took_part(existing_trainee(conn, trainee), trainee))
            if class_name is not None:
                class_id = existing_class(conn, class_name)
                where.append(sessions.c.trainee_id.in_(
                    sa.select(trainees.c.id).where(trainees.c.class_id == class_id)))
            return read_records(conn, where, order=sessions.c.started_at)

    def best_outcomes(self, trainee: str | None = None) -> dict[str, str]:
        """scenario id -> the best outcome reached (resolved > unresolved > escalated)."""
        query = (sa.select(sessions.c.scenario_id, sessions.c.outcome).distinct()
                 .where(sessions.c.outcome.is_not(None)))
        if trainee is not None:
            query = query.join(trainees, sessions.c.trainee_id == trainees.c.id).where(trainees.c.name == trainee)
        best: dict[str, str] = {}
        with db.transaction(self.engine) as conn:
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
        with db.transaction(self.engine) as conn:
            tried = set(conn.execute(sa.union(owned, answered)).scalars())
        return [s for s in scenario_ids if s not in tried]

    def score_trend(self, trainee: str) -> list[TrendPoint]:
        """Per session, oldest first: score, outcome, and how often each technique and trigger showed."""
        with db.transaction(self.engine) as conn:
            trainee_id = existing_trainee(conn, trainee)
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
            TrendPoint(session_id=h.session_id, scenario_id=h.scenario_id, started_at=db.iso(h.started_at),
                       turns=h.turns, outcome=h.outcome, score=h.score, overrides=h.overrides,
                       techniques=counts[h.session_id]["technique"],
                       triggers=counts[h.session_id]["trigger"])
            for h in heads
        ]


def _took_part(trainee_id: int, name: str) -> Any:
    """Sessions the trainee owns, or answered at least one turn of (classroom mode: trainees take turns)."""
    answered = sa.select(turns.c.session_id).where(turns.c.trainee == name)
    return sa.or_(sessions.c.trainee_id == trainee_id, sessions.c.session_id.in_(answered))
