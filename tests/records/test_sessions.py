"""The records store on SQLite and PostgreSQL: saving per turn, reading back, trainees, trends, retention."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from simulator.engine.judgement import Finding
from simulator.records import sessions as sessions_module
from simulator.records.sessions import (
    SessionNotFound,
    SessionStore,
    UnknownClass,
    UnknownTrainee,
)
from tests.records.factories import judgement, record, turn


def test_a_session_reads_back_exactly_as_saved(store):
    r = record(n_turns=3, outcome="resolved", score=82.5, closed=True)
    r.state.turns[1] = turn(1, judged=judgement(
        intent="escalate", techniques=[("reflect", "you waited an hour")],
        triggers=[("policy", "policy says"), ("calm_down", "calm down")], tone="raised",
        explanation=["You quoted policy.", "You told them to calm down."]),
        override="calmer", audio_file="/somewhere/turn-001.wav")
    r.state.repeats = 2
    store.save(r)
    back = store.load(r.session_id)
    assert back.model_dump() == r.model_dump()
    assert back.station == "station-a"
    assert back.state.turns[1].judgement.triggers[1] == Finding(name="calm_down", evidence="calm down")
    assert back.state.turns[1].judgement.tone.measurements == {"jitter": 0.01}


def test_every_turn_is_committed_when_saved(store, database_url):
    r = record(n_turns=0)
    for i in range(4):
        r.state.turns.append(turn(i))
        store.save(r)
        # A second store (another process after a crash) sees the turn at once.
        other = SessionStore(url=database_url)
        assert len(other.load(r.session_id).state.turns) == i + 1
        other.close()


def test_saving_again_updates_instead_of_duplicating(store):
    r = record(n_turns=2)
    store.save(r)
    r.state.turns[0] = turn(0, reply="Changed my mind.")
    r.state.outcome = "escalated"
    store.save(r)
    [back] = store.all()
    assert back.state.turns[0].reply == "Changed my mind."
    assert back.state.outcome == "escalated"


def test_a_rewind_drops_the_later_turns(store):
    r = record(n_turns=4)
    store.save(r)
    del r.state.turns[2:]
    store.save(r)
    assert [t.index for t in store.load(r.session_id).state.turns] == [0, 1]
    assert sum(store.score_trend("Sam Patel")[0].techniques.values()) == 2


def test_an_unknown_session_is_not_found(store):
    with pytest.raises(SessionNotFound):
        store.load("nope")
    with pytest.raises(FileNotFoundError):  # what callers of the file-based store caught
        store.load("nope")


def test_all_lists_the_most_recently_updated_first(store, monkeypatch):
    first, second = record(), record()
    store.save(first)
    store.save(second)
    # updated_at has one-second resolution: move the clock rather than sleep.
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=5)
    monkeypatch.setattr(sessions_module, "_now", lambda: later)
    store.save(first)
    assert [r.session_id for r in store.all()] == [first.session_id, second.session_id]


def test_unfinished_are_this_stations_interrupted_sessions(store, database_url):
    interrupted = record()
    ended = record(outcome="resolved")
    left = record(closed=True)
    empty = record(n_turns=0)
    for r in (interrupted, ended, left, empty):
        store.save(r)
    elsewhere = SessionStore(url=database_url, station="station-b")
    in_progress_there = record()
    elsewhere.save(in_progress_there)
    assert [r.session_id for r in store.unfinished()] == [interrupted.session_id]
    assert [r.session_id for r in elsewhere.unfinished()] == [in_progress_there.session_id]
    assert store.load(in_progress_there.session_id).station == "station-b"
    elsewhere.close()


def test_best_outcomes_per_scenario_and_trainee(store):
    store.save(record("Ann", "late-pickup", outcome="escalated"))
    store.save(record("Ann", "late-pickup", outcome="resolved"))
    store.save(record("Ann", "door-no-id", outcome="unresolved"))
    store.save(record("Bo", "door-no-id", outcome="resolved"))
    store.save(record("Bo", "refund-no-receipt"))
    assert store.best_outcomes("Ann") == {"late-pickup": "resolved", "door-no-id": "unresolved"}
    assert store.best_outcomes() == {"late-pickup": "resolved", "door-no-id": "resolved"}
    assert store.best_outcomes("Nobody") == {}


def test_trainees_and_class_rosters(store):
    store.add_trainee("Ann", "Tuesday evening")
    store.add_trainee("Bo", "Tuesday evening")
    store.add_trainee("Cy")
    store.save(record("Dee"))  # a session's trainee gets a profile
    assert store.add_trainee("Ann").class_name == "Tuesday evening"  # adding again finds them
    assert [t.name for t in store.trainees()] == ["Ann", "Bo", "Cy", "Dee"]
    assert [t.name for t in store.trainees("Tuesday evening")] == ["Ann", "Bo"]
    store.add_trainee("Bo", "Weekend")  # moving keeps the history
    assert [t.name for t in store.trainees("Weekend")] == ["Bo"]
    assert store.classes() == ["Tuesday evening", "Weekend"]
    with pytest.raises(UnknownClass, match="no class called 'Nope'"):
        store.trainees("Nope")
    with pytest.raises(UnknownTrainee, match="no trainee called 'Nope'"):
        store.trainee("Nope")
    with pytest.raises(ValueError):
        store.add_trainee("  ")


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


def test_recordings_live_in_the_data_folder(store, private_data_dir):
    path = store.recording_path("abc", 3)
    assert path == private_data_dir / "recordings" / "abc" / "turn-003.wav"
    assert path.parent.is_dir()


def _with_recordings(store, trainee: str, days_ago: float, n: int = 2, closed: bool = True):
    """A session with a recording per turn, made `days_ago`; finished unless `closed` is False (in progress)."""
    r = record(trainee, n_turns=0, closed=closed)
    at = (datetime.now(UTC) - timedelta(days=days_ago)).isoformat(timespec="seconds")
    for i in range(n):
        wav = store.recording_path(r.session_id, i)
        wav.write_bytes(b"RIFF....WAVE")
        r.state.turns.append(turn(i, audio_file=str(wav), at=at))
    store.save(r)
    return r


def test_retention_deletes_old_recordings_and_marks_them_gone(store, database_url):
    old = _with_recordings(store, "Ann", days_ago=40)
    recent = _with_recordings(store, "Ann", days_ago=2)
    assert store.purge_recordings(0) == 0  # the setting's "keep for ever"
    assert store.purge_recordings(30) == 2
    assert not store.folder(old.session_id).exists()
    assert all(t.audio_file is None for t in store.load(old.session_id).state.turns)
    assert all(t.audio_file and os.path.exists(t.audio_file) for t in store.load(recent.session_id).state.turns)
    # Saving the session again (the UI still holds the old record) does not resurrect the paths.
    store.save(old)
    assert all(t.audio_file is None for t in store.load(old.session_id).state.turns)
    assert store.purge_recordings(30) == 0


def test_retention_never_deletes_a_recording_of_a_session_in_progress(store, database_url):
    finished = _with_recordings(store, "Ann", days_ago=40)
    playing = _with_recordings(store, "Ann", days_ago=40, closed=False)  # being played, or left to carry on
    # Tried again from its second turn and still being played: the first turn's recording is the old one's.
    retried = record("Ann", n_turns=0)
    retried.state.turns.append(finished.state.turns[0])
    store.save(retried)
    shared = finished.state.turns[0].audio_file

    assert store.purge_recordings(30) == 1  # only the finished session's turn nobody else uses
    assert os.path.exists(shared) and not os.path.exists(finished.state.turns[1].audio_file)
    assert all(t.audio_file and os.path.exists(t.audio_file) for t in store.load(playing.session_id).state.turns)
    assert store.load(retried.session_id).state.turns[0].audio_file == shared
    assert store.load(finished.session_id).state.turns[0].audio_file == shared  # not marked gone either

    # Once they are finished, the next purge takes them.
    for r in (playing, retried):
        r.closed = True
        store.save(r)
    assert store.purge_recordings(30) == 3
    assert not store.folder(finished.session_id).exists() and not store.folder(playing.session_id).exists()
    assert all(t.audio_file is None for r in (finished, playing, retried) for t in store.load(r.session_id).state.turns)


def test_retention_leaves_other_stations_recordings_to_them(store, database_url):
    other = SessionStore(url=database_url, station="station-b", root=store.root / "elsewhere")
    theirs = _with_recordings(other, "Bo", days_ago=40)
    wavs = [t.audio_file for t in theirs.state.turns]
    for wav in wavs:  # on station b's disk, which station a cannot see
        os.rename(wav, wav + ".moved")
    assert store.purge_recordings(30) == 0
    for wav in wavs:
        os.rename(wav + ".moved", wav)
    assert other.purge_recordings(30) == 2
    other.close()


def test_delete_my_data_removes_sessions_turns_recordings_and_profile(store):
    store.add_trainee("Ann", "Tue")
    gone = _with_recordings(store, "Ann", days_ago=1, n=3)
    store.save(record("Ann"))
    kept = _with_recordings(store, "Bo", days_ago=1)
    result = store.delete_trainee_data("Ann")
    assert (result.sessions, result.recordings, result.elsewhere) == (2, 3, [])
    assert [r.trainee for r in store.all()] == ["Bo"]
    assert not store.folder(gone.session_id).exists()
    assert store.folder(kept.session_id).exists()
    assert [t.name for t in store.trainees()] == ["Bo"]
    assert store.classes() == ["Tue"]
    with pytest.raises(SessionNotFound):
        store.load(gone.session_id)
    with pytest.raises(UnknownTrainee):
        store.delete_trainee_data("Ann")
    assert store.score_trend("Bo")[0].techniques == {"empathy": 2}


def test_a_finished_session_without_a_score_is_scored_as_the_debrief_would(store):
    from simulator.engine.scoring import score_session

    ended = record(outcome="resolved")
    store.save(ended)
    expected = round(score_session(ended.state.turns, "resolved").total, 1)
    assert store.load(ended.session_id).score == expected == ended.score
    unfinished = record()
    store.save(unfinished)
    assert store.load(unfinished.session_id).score is None


def _classroom_session(store, owner="Ann", helper="Bo", class_name="Tue"):
    """A classroom session of `owner`'s in which `helper` answered the second turn, with a recording each."""
    store.add_trainee(owner, class_name)
    store.add_trainee(helper, class_name)
    shared = record(owner, scenario_id="door-no-id")
    for t in shared.state.turns:
        wav = store.recording_path(shared.session_id, t.index)
        wav.parent.mkdir(parents=True, exist_ok=True)
        wav.write_bytes(b"RIFF")
        shared.state.turns[t.index] = t.model_copy(update={
            "trainee": owner if t.index == 0 else helper, "audio_file": str(wav),
            "reply": f"words of {owner if t.index == 0 else helper}"})
    store.save(shared)
    return shared


def test_classroom_turns_count_for_whoever_answered_them(store):
    shared = _classroom_session(store)
    assert [r.session_id for r in store.history("Bo")] == [shared.session_id]
    assert [r.session_id for r in store.sessions(trainee="Bo")] == [shared.session_id]
    assert store.untried_scenarios("Bo", ["door-no-id", "late-pickup"]) == ["late-pickup"]
    assert [t.trainee for t in store.load(shared.session_id).state.turns] == ["Ann", "Bo"]


def test_delete_my_data_wipes_a_trainee_s_turns_in_someone_else_s_session(store):
    shared = _classroom_session(store)
    bo_wav = Path(store.load(shared.session_id).state.turns[1].audio_file)
    result = store.delete_trainee_data("Bo")
    assert (result.sessions, result.recordings, result.shared_turns) == (0, 1, 1)
    assert not bo_wav.exists()
    kept = store.load(shared.session_id)
    assert kept.trainee == "Ann" and len(kept.state.turns) == 2
    ann, bo = kept.state.turns
    assert (ann.trainee, ann.reply) == ("Ann", "words of Ann") and Path(ann.audio_file).exists()
    assert bo.trainee is None and bo.audio_file is None and "Bo" not in bo.reply
    assert all(not f.evidence for f in bo.judgement.techniques) and not bo.judgement.explanation
    assert [t.name for t in store.trainees()] == ["Ann"]
