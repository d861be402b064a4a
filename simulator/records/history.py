"""Questions about the past: a trainee's or a class's sessions, best outcomes, the score trend, what is untried.

    history = History(engine)
    history.sessions(trainee="Sam"), history.best_outcomes("Sam"), history.score_trend("Sam")

A trainee's history includes the classroom sessions they answered a turn in (trainees take turns); a
class's, its classroom sessions and its trainees' own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from simulator.records import db
from simulator.records.roster import existing_class, existing_trainee
from simulator.records.schema import sessions, trainees, turns
from simulator.records.sessions import (
    SessionRecord,
    behaviour_counts,
    read_records,
    trainee_score,
    turns_of,
)

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
                where.append(_took_part(existing_trainee(conn, trainee)))
            if class_name is not None:
                class_id = existing_class(conn, class_name)
                where.append(sa.or_(sessions.c.class_id == class_id, sessions.c.trainee_id.in_(
                    sa.select(trainees.c.id).where(trainees.c.class_id == class_id))))
            return read_records(conn, where, order=sessions.c.started_at)

    def best_outcomes(self, trainee: str | None = None) -> dict[str, str]:
        """scenario id -> the best outcome reached (resolved > unresolved > escalated)."""
        query = (sa.select(sessions.c.scenario_id, sessions.c.outcome).distinct()
                 .where(sessions.c.outcome.is_not(None)))
        best: dict[str, str] = {}
        with db.transaction(self.engine) as conn:
            if trainee is not None:
                found = conn.execute(sa.select(trainees.c.id).where(trainees.c.name == trainee)).scalar()
                if found is None:
                    return best
                query = query.where(_took_part(found))
            for scenario_id, outcome in conn.execute(query):
                if _OUTCOME_RANK.get(outcome, 0) > _OUTCOME_RANK.get(best.get(scenario_id, ""), 0):
                    best[scenario_id] = outcome
        return best

    def untried_scenarios(self, trainee: str, scenario_ids: Iterable[str]) -> list[str]:
        """Those of `scenario_ids` (the library's) the trainee has not started yet, in that order."""
        with db.transaction(self.engine) as conn:
            found = conn.execute(sa.select(trainees.c.id).where(trainees.c.name == trainee)).scalar()
            tried = set() if found is None else set(
                conn.execute(sa.select(sessions.c.scenario_id).where(_took_part(found))).scalars())
        return [s for s in scenario_ids if s not in tried]

    def score_trend(self, trainee: str) -> list[TrendPoint]:
        """Per session they took part in, oldest first: their score, the outcome, and how often each technique
        and trigger showed in their replies (in a classroom session, the turns they answered)."""
        points = []
        for record in self.sessions(trainee=trainee):
            mine = turns_of(record, trainee)
            techniques, triggers = behaviour_counts(mine)
            s = record.state
            points.append(TrendPoint(
                session_id=s.session_id, scenario_id=s.scenario_id, started_at=s.started_at, turns=len(mine),
                outcome=s.outcome, score=trainee_score(record, trainee),
                overrides=sum(t.override is not None for t in mine),
                techniques=dict(techniques), triggers=dict(triggers)))
        return points


def _took_part(trainee_id: int) -> Any:
    """Sessions the trainee owns, or answered at least one turn of (classroom mode: trainees take turns)."""
    answered = sa.select(turns.c.session_id).where(turns.c.trainee_id == trainee_id)
    return sa.or_(sessions.c.trainee_id == trainee_id, sessions.c.session_id.in_(answered))
