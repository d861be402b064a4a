"""Sessions, turns and judgements for the records tests, built in one line each.

Kept apart from conftest.py (no pytest import) so a test's helper processes can import it quickly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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


def _turn(i: int, line: str, mood: str, before: float, reply: str, intent: str, delta: float,
          techniques=(), triggers=(), tone: str = "calm", cues=(), explanation=(), override=None) -> TurnRecord:
    j = Judgement(intent=intent, confidence=0.82, techniques=[Finding(name=n, evidence=e) for n, e in techniques],
                  triggers=[Finding(name=n, evidence=e) for n, e in triggers],
                  tone=ToneReading(label=tone, cues=list(cues)), agitation_delta=delta, explanation=list(explanation))
    return TurnRecord(index=i, node_id=f"n{i}", customer_line=line, mood=mood, agitation_before=before,
                      reply=reply, judgement=j, override=override, applied_delta=delta,
                      agitation_after=before + delta, branch_index=0, target=f"n{i + 1}")


def sample_class(store) -> dict[str, SessionRecord]:
    """A realistic class: 'Tuesday evening' with Sam (three sessions), Alex (two) and Jo (none)."""
    for name in ("Sam Patel", "Alex Moreno", "Jo Kim"):
        store.add_trainee(name, "Tuesday evening")
    store.add_trainee("Other Person", "Weekend")
    pickup = [
        _turn(0, "I've been waiting forty minutes and nobody can tell me where my order is!", "angry", 72,
              "Calm down, sir. Our policy is that orders can take up to an hour.", "escalate", 14,
              triggers=[("calm_down", "Calm down"), ("policy", "Our policy is")], tone="raised",
              cues=["pitch 3.2 semitones above your baseline"],
              explanation=["Telling someone to calm down usually does the opposite."]),
        _turn(1, "Don't tell me to calm down! I want my order NOW.", "furious", 86,
              "I'm sorry, you're right to be frustrated. Let me check the back room right now.", "deescalate", -12,
              techniques=[("apologise", "I'm sorry"), ("name_emotion", "right to be frustrated"),
                          ("offer_options", "Let me check the back room")],
              explanation=["You named the feeling: 'frustrated'."], override="calmer"),
        _turn(2, "Fine. Delivered tomorrow would do, I suppose.", "uneasy", 74,
              "Thank you for your patience, Mr Okafor. I'll set that up now.", "deescalate", -18,
              techniques=[("thank", "Thank you for your patience"), ("use_name", "Mr Okafor")]),
    ]
    door = [
        _turn(0, "You can't let me in without ID? I work here!", "angry", 70, "Rules are rules.", "escalate", 16,
              triggers=[("dismissal", "Rules are rules")], tone="flat"),
    ]
    refund = [
        _turn(0, "I want a refund and I don't have the receipt.", "annoyed", 60,
              "I understand. Can you tell me what happened?", "deescalate", -10,
              techniques=[("empathy", "I understand"), ("open_question", "Can you tell me")]),
        _turn(1, "It was a gift.", "uneasy", 50, "=1+1 let's see what we can do", "neutral", -2),
    ]

    def save(key, trainee, scenario_id, title, started, turns, outcome, score):
        state = SessionState(scenario_id=scenario_id, seed=1, node_id="end", agitation=turns[-1].agitation_after,
                             turns=turns, outcome=outcome, ending_id=outcome, started_at=started)
        r = SessionRecord(trainee=trainee, scenario_title=title, state=state, score=score, closed=outcome is not None)
        store.save(r)
        return key, r

    return dict([
        save("sam_door", "Sam Patel", "door-no-id", "Staff member without ID", "2025-02-25T18:00:00+00:00",
             door, "escalated", 22.0),
        save("sam_pickup", "Sam Patel", "late-pickup", "Late click-and-collect pickup",
             "2025-03-04T18:10:00+00:00", pickup, "resolved", 78.0),
        save("sam_refund", "Sam Patel", "refund-no-receipt", "Refund without a receipt",
             "2025-03-11T18:05:00+00:00", refund, "unresolved", 55.0),
        save("alex_pickup", "Alex Moreno", "late-pickup", "Late click-and-collect pickup",
             "2025-03-04T18:30:00+00:00", pickup[:2], None, None),
        save("alex_refund", "Alex Moreno", "refund-no-receipt", "Refund without a receipt",
             "2025-03-05T18:30:00+00:00", refund, "resolved", 81.0),
        save("other", "Other Person", "late-pickup", "Late click-and-collect pickup",
             "2025-03-06T10:00:00+00:00", door, "escalated", 10.0),
    ])


def classroom_session(store) -> SessionRecord:
    """A finished classroom session of class 'Tue' (Ana, Ben, Cleo): Ana answers turns 1 and 3 well, Ben turn 2
    badly ("Calm down.", raised voice). Saved without a score, so the store scores it (70.8); returned as loaded."""
    for name in ("Ana", "Ben", "Cleo"):
        store.add_trainee(name, "Tue")
    shared = record("Ana", n_turns=3, outcome="resolved", started_at="2025-03-04T18:00:00+00:00")
    shared.state.turns[1] = turn(1, "Calm down.", agitation=shared.state.turns[1].agitation_before,
                                 judged=judgement("escalate", triggers=["calm_down"], tone="raised"))
    shared.state.turns = [t.model_copy(update={"trainee": name})
                          for t, name in zip(shared.state.turns, ["Ana", "Ben", "Ana"], strict=True)]
    shared.trainee, shared.class_name = "", "Tue"  # the class's session, each turn its trainee's
    store.save(shared)
    return store.load(shared.session_id)


def with_recordings(store, trainee: str, days_ago: float, n: int = 2, closed: bool = True):
    """A session with a recording per turn, made `days_ago`; finished unless `closed` is False (in progress)."""
    r = record(trainee, n_turns=0, closed=closed)
    at = (datetime.now(UTC) - timedelta(days=days_ago)).isoformat(timespec="seconds")
    for i in range(n):
        wav = store.recordings.turn_path(r.session_id, i)
        wav.write_bytes(b"RIFF....WAVE")
        r.state.turns.append(turn(i, audio_file=str(wav), at=at))
    store.save(r)
    return r


def shared_session(store, owner="Ann", helper="Bo", class_name="Tue"):
    """A classroom session of `class_name` in which `owner` answered the first turn and `helper` the second,
    with a recording each."""
    store.add_trainee(owner, class_name)
    store.add_trainee(helper, class_name)
    shared = record(owner, scenario_id="door-no-id")
    for t in shared.state.turns:
        wav = store.recordings.turn_path(shared.session_id, t.index)
        wav.parent.mkdir(parents=True, exist_ok=True)
        wav.write_bytes(b"RIFF")
        shared.state.turns[t.index] = t.model_copy(update={
            "trainee": owner if t.index == 0 else helper, "audio_file": str(wav),
            "reply": f"words of {owner if t.index == 0 else helper}"})
    shared.trainee, shared.class_name = "", class_name
    store.save(shared)
    return shared


def corrected_session(store, trainee: str = "Sam Patel", *, restarted: bool = False) -> SessionRecord:
    """A saved session whose first, spoken reply was misheard as an insult and corrected by the trainee."""
    from simulator.engine.session import Correction

    r = record(trainee, n_turns=2, closed=restarted)
    r.restarted = restarted
    r.state.turns[0] = r.state.turns[0].model_copy(update={
        "reply": "that was a dick", "judgement": judgement("escalate", triggers=[("insult", "a dick")]),
        "correction": Correction(reply="that was our mistake",
                                 judgement=judgement(techniques=[("apologise", "our mistake")]))})
    store.save(r)
    return r


def played(scenario, *replies: str, trainee: str = "Sam Patel", class_name: str = "") -> SessionRecord:
    """A session of real turns of `scenario`: the runner takes each reply's branch, judged by the engine
    tests' ScriptedJudge ('+' de-escalates, '!' says calm down, '-' escalates)."""
    from simulator.engine.judgement import Reply
    from simulator.engine.session import Runner
    from tests.engine.conftest import ScriptedJudge

    runner = Runner(scenario, seed=1)
    for text in replies:
        runner.respond(Reply(text), ScriptedJudge())
    return SessionRecord(trainee=trainee, class_name=class_name, scenario_title=scenario.title, state=runner.state)
