""""Delete my data": a trainee's profile, sessions and recordings, and their words in others' sessions (records/erasure.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_delete_my_data_wipes_a_trainee_s_turns_in_someone_else_s_session(store):
    shared = shared_session(store)
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
