"""Sessions, turns and judgements for the records tests, built in one line each.

Kept apart from conftest.py (no pytest import) so a test's helper processes can import it quickly.
"""

from __future__ import annotations

from simulator.engine.judgement import Finding, Judgement, ToneReading
from simulator.engine.session import SessionState, TurnRecord
from simulator.records.sessions import SessionRecord


def judgement(intent="deescalate", techniques=(), triggers=(), tone="calm", explanation=()) -> Judgement:
    """A judgement; techniques and triggers as (name, evidence) pairs or bare names."""

    def found(items):
        return [Finding(name=i, evidence=f"…{i}…") if isinstance(i, str) else Finding(name=i[0], evidence=i[1])
                for i in items]

    return Judgement(
        intent=intent, confidence=0.8, techniques=found(techniques), triggers=found(triggers),
        tone=ToneReading(label=tone, loudness_db=-20.5, cues=["steady pitch"], measurements={"jitter": 0.01})
        if tone else None,
        agitation_delta=-8.0 if intent == "deescalate" else 12.0, explanation=list(explanation),
    )


def turn(index: int, reply: str = "I can see why you're upset.", *, judged: Judgement | None = None,
         agitation: float = 60.0, override=None, audio_file: str | None = None,
         at: str | None = None) -> TurnRecord:
    j = judged or judgement(techniques=["empathy"])
    extra = {"at": at} if at else {}
    return TurnRecord(
        index=index, node_id=f"n{index}", customer_line=f"Customer line {index}!", mood="angry",
        agitation_before=agitation, reply=reply, audio_file=audio_file, judgement=j, override=override,
        applied_delta=j.agitation_delta, agitation_after=agitation + j.agitation_delta, branch_index=0,
        target=f"n{index + 1}", **extra,
    )


def record(trainee: str = "Sam Patel", scenario_id: str = "late-pickup", n_turns: int = 2, *,
           outcome=None, score: float | None = None, started_at: str | None = None,
           closed: bool = False) -> SessionRecord:
    extra = {"started_at": started_at} if started_at else {}
    state = SessionState(scenario_id=scenario_id, seed=7, node_id=f"n{n_turns}", agitation=60.0, **extra)
    agitation = 70.0
    for i in range(n_turns):
        t = turn(i, agitation=agitation)
        state.turns.append(t)
        agitation = t.agitation_after
    state.agitation = agitation
    if outcome:
        state.outcome = outcome
        state.ending_id = outcome
    return SessionRecord(trainee=trainee, scenario_title=scenario_id.replace("-", " ").title(),
                         closed=closed, score=score, state=state)
