"""Recording files: where they go, kept with their turn, discarded, purged by retention (records/recordings.py)."""

from __future__ import annotations

import os

from simulator.records.recordings import Recordings
from simulator.records.store import SessionStore
from tests.records.factories import record, with_recordings


def test_recordings_live_in_the_data_folder(store, private_data_dir):
    path = store.recordings.turn_path("abc", 3)
    assert path == private_data_dir / "recordings" / "abc" / "turn-003.wav"
    assert path.parent.is_dir()


def test_retention_deletes_old_recordings_and_marks_them_gone(store, database_url):
    old = with_recordings(store, "Ann", days_ago=40)
    recent = with_recordings(store, "Ann", days_ago=2)
    assert store.purge_recordings(0) == 0  # the setting's "keep for ever"
    assert store.purge_recordings(30) == 2
    assert not store.recordings.folder(old.session_id).exists()
    assert all(t.audio_file is None for t in store.load(old.session_id).state.turns)
    assert all(t.audio_file and os.path.exists(t.audio_file) for t in store.load(recent.session_id).state.turns)
    # Saving the session again (the UI still holds the old record) does not resurrect the paths.
    store.save(old)
    assert all(t.audio_file is None for t in store.load(old.session_id).state.turns)
    assert store.purge_recordings(30) == 0


def test_retention_never_deletes_a_recording_of_a_session_in_progress(store, database_url):
    finished = with_recordings(store, "Ann", days_ago=40)
    playing = with_recordings(store, "Ann", days_ago=40, closed=False)  # being played, or left to carry on
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
    assert not store.recordings.folder(finished.session_id).exists() and not store.recordings.folder(playing.session_id).exists()
    assert all(t.audio_file is None for r in (finished, playing, retried) for t in store.load(r.session_id).state.turns)


def test_retention_leaves_other_stations_recordings_to_them(store, database_url):
    other = SessionStore(url=database_url, station="station-b", root=store.root / "elsewhere")
    theirs = with_recordings(other, "Bo", days_ago=40)
    wavs = [t.audio_file for t in theirs.state.turns]
    for wav in wavs:  # on station b's disk, which station a cannot see
        os.rename(wav, wav + ".moved")
    assert store.purge_recordings(30) == 0
    for wav in wavs:
        os.rename(wav + ".moved", wav)
    assert other.purge_recordings(30) == 2
    other.close()


# -- the files alone: no database ------------------------------------------------------------------
def test_incoming_replies_are_named_by_time_and_number_in_their_own_folder(tmp_path):
    recordings = Recordings(tmp_path)
    path = recordings.incoming_path(7, "-likely2")
    assert path.parent == tmp_path / "recordings" / "incoming" and path.parent.is_dir()
    assert path.name.startswith("reply-") and path.name.endswith("-007-likely2.wav")


def test_a_kept_reply_moves_into_its_session_as_its_turns_recording(tmp_path):
    recordings = Recordings(tmp_path)
    wav = recordings.incoming_path(1)
    wav.write_bytes(b"RIFF")
    kept = recordings.keep(wav, "abc", 2)
    assert kept == tmp_path / "recordings" / "abc" / "turn-002.wav" and kept.read_bytes() == b"RIFF"
    assert not wav.exists()
    assert recordings.keep(None, "abc", 3) is None  # a typed reply has no recording


def test_a_reply_that_cannot_be_moved_stays_where_it_was(tmp_path, caplog):
    recordings = Recordings(tmp_path)
    wav = recordings.incoming_path(1)
    wav.write_bytes(b"RIFF")
    recordings.folder("abc").write_bytes(b"")  # a file where the session's folder should be
    assert recordings.keep(wav, "abc", 0) == wav and wav.exists()
    assert "keeping the recording" in caplog.text
    wav.unlink()
    assert recordings.keep(wav, "abc", 0) is None  # gone meanwhile: nothing to offer


def test_replies_interrupted_twice_in_one_turn_are_both_kept(tmp_path):
    recordings = Recordings(tmp_path)
    kept = []
    for n in range(2):
        wav = recordings.incoming_path(n, "-interrupted")
        wav.write_bytes(b"RIFF")
        kept.append(recordings.keep_interrupted(wav, "abc", 4))
    assert [p.name for p in kept] == ["turn-004-interrupted.wav", "turn-004-interrupted-2.wav"]
    recordings.folder("other").write_bytes(b"")
    wav = recordings.incoming_path(3, "-interrupted")
    wav.write_bytes(b"RIFF")
    assert recordings.keep_interrupted(wav, "other", 0) is None and wav.exists()


def test_discarding_and_erasing(tmp_path):
    recordings = Recordings(tmp_path, station="here")
    wav = recordings.incoming_path(1)
    wav.write_bytes(b"RIFF")
    recordings.discard(wav)
    recordings.discard(wav)  # already gone: nothing to do
    assert not wav.exists()
    wav.write_bytes(b"RIFF")
    assert recordings.erase(str(wav), "here") is True and not wav.exists()
    assert recordings.erase(str(wav), "here") is None  # gone already
    assert recordings.erase(str(wav), "there") is False  # on another station's disk
