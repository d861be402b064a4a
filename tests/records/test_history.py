"""Questions across sessions: best outcomes, a trainee's and a class's sessions, the trend, what is untried (records/history.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from simulator.records.roster import UnknownTrainee
from tests.records.factories import judgement, record, shared_session, turn


def test_best_outcomes_per_scenario_and_trainee(store):
    store.save(record("Ann", "late-pickup", outcome="escalated"))
    store.save(record("Ann", "late-pickup", outcome="resolved"))
    store.save(record("Ann", "door-no-id", outcome="unresolved"))
    store.save(record("Bo", "door-no-id", outcome="resolved"))
    store.save(record("Bo", "refund-no-receipt"))
    assert store.best_outcomes("Ann") == {"late-pickup": "resolved", "door-no-id": "unresolved"}
    assert store.best_outcomes() == {"late-pickup": "resolved", "door-no-id": "resolved"}
    assert store.best_outcomes("Nobody") == {}


def test_a_class_sessions_and_a_trainees_history_oldest_first(store):
    store.add_trainee("Ann", "Tue")
    store.add_trainee("Bo", "Tue")
    store.add_trainee("Cy", "Wed")
    now = datetime.now(UTC)
    later = record("Ann", started_at=(now - timedelta(days=1)).isoformat())
    earlier = record("Ann", started_at=(now - timedelta(days=3)).isoformat())
    bo = record("Bo", started_at=(now - timedelta(days=2)).isoformat())
    for r in (later, earlier, bo, record("Cy")):
        store.save(r)
    assert [r.session_id for r in store.history("Ann")] == [earlier.session_id, later.session_id]
    assert [r.session_id for r in store.sessions(class_name="Tue")] == [
        earlier.session_id, bo.session_id, later.session_id]
    with pytest.raises(UnknownTrainee):
        store.history("Nobody")


def test_score_trend_counts_behaviours_per_session(store):
    first = record("Ann", n_turns=0, score=40.0, started_at="2025-03-01T10:00:00+00:00")
    first.state.turns = [
        turn(0, judged=judgement(intent="escalate", triggers=["calm_down", "policy"])),
        turn(1, judged=judgement(intent="escalate", triggers=["calm_down"]), override="calmer"),
    ]
    second = record("Ann", n_turns=0, score=75.0, outcome="resolved", started_at="2025-03-08T10:00:00+00:00")
    second.state.turns = [
        turn(0, judged=judgement(techniques=["empathy", "name_emotion"])),
        turn(1, judged=judgement(techniques=["empathy", "offer_options"])),
        turn(2, judged=judgement(techniques=["thank"], triggers=["policy"])),
    ]
    store.save(second)
    store.save(first)
    trend = store.score_trend("Ann")
    assert [(p.session_id, p.score, p.turns, p.overrides) for p in trend] == [
        (first.session_id, 40.0, 2, 1), (second.session_id, 75.0, 3, 0)]
    assert trend[0].techniques == {} and trend[0].triggers == {"calm_down": 2, "policy": 1}
    assert trend[1].techniques == {"empathy": 2, "name_emotion": 1, "offer_options": 1, "thank": 1}
    assert trend[1].triggers == {"policy": 1}
    assert trend[1].outcome == "resolved" and trend[1].started_at == "2025-03-08T10:00:00+00:00"


def test_scenarios_not_yet_tried(store):
    store.save(record("Ann", "late-pickup"))
    store.save(record("Bo", "door-no-id"))
    library = ["door-no-id", "late-pickup", "refund-no-receipt"]
    assert store.untried_scenarios("Ann", library) == ["door-no-id", "refund-no-receipt"]
    assert store.untried_scenarios("New person", library) == library


def test_classroom_turns_count_for_whoever_answered_them(store):
    shared = shared_session(store)
    assert [r.session_id for r in store.history("Bo")] == [shared.session_id]
    assert [r.session_id for r in store.sessions(trainee="Bo")] == [shared.session_id]
    assert store.untried_scenarios("Bo", ["door-no-id", "late-pickup"]) == ["late-pickup"]
    assert [t.trainee for t in store.load(shared.session_id).state.turns] == ["Ann", "Bo"]
