""""Delete my data": a trainee's profile, sessions and recordings, and their words in others' sessions (records/erasure.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.records.reports import build_report, summarise
from simulator.records.roster import UnknownTrainee
from simulator.records.sessions import SessionNotFound
from tests.records.factories import record, shared_session, with_recordings


def test_delete_my_data_removes_sessions_turns_recordings_and_profile(store):
    store.add_trainee("Ann", "Tue")
    gone = with_recordings(store, "Ann", days_ago=1, n=3)
    store.save(record("Ann"))
    kept = with_recordings(store, "Bo", days_ago=1)
    result = store.delete_trainee_data("Ann")
    assert (result.sessions, result.recordings, result.elsewhere) == (2, 3, [])
    assert [r.trainee for r in store.all()] == ["Bo"]
    assert not store.recordings.folder(gone.session_id).exists()
    assert store.recordings.folder(kept.session_id).exists()
    assert [t.name for t in store.trainees()] == ["Bo"]
    assert store.classes() == ["Tue"]
    with pytest.raises(SessionNotFound):
        store.load(gone.session_id)
    with pytest.raises(UnknownTrainee):
        store.delete_trainee_data("Ann")
    assert store.score_trend("Bo")[0].techniques == {"empathy": 2}


def test_delete_my_data_removes_exactly_that_trainee_s_turns_of_a_classroom_session(store):
    shared = shared_session(store)
    ann_wav, bo_wav = (Path(t.audio_file) for t in store.load(shared.session_id).state.turns)

    def anns_figures() -> tuple:
        s = summarise(build_report(store, trainee="Ann"))
        return store.score_trend("Ann"), s.turns, s.mean_score, s.overrides, s.techniques, s.triggers

    before = anns_figures()
    result = store.delete_trainee_data("Bo")
    assert (result.sessions, result.recordings, result.shared_turns) == (0, 1, 1)
    assert not bo_wav.exists() and ann_wav.exists()
    kept = store.load(shared.session_id)
    assert (kept.trainee, kept.class_name) == ("", "Tue")
    [ann] = kept.state.turns
    assert (ann.index, ann.trainee, ann.reply, ann.audio_file) == (0, "Ann", "words of Ann", str(ann_wav))
    # Nothing of Bo's is credited to Ann: her history, score and report are as they were.
    assert anns_figures() == before
    assert [t.name for t in store.trainees()] == ["Ann"]
    # Ann's turn is hers: deleting her data now empties the class's session, which stays the class's.
    assert store.delete_trainee_data("Ann").shared_turns == 1 and not ann_wav.exists()
    assert store.load(shared.session_id).state.turns == []
