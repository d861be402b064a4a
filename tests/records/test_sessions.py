"""Sessions on SQLite and PostgreSQL: saved after every turn, read back as saved (records/sessions.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from simulator.engine.judgement import Finding
from simulator.records import db
from simulator.records.sessions import SessionNotFound
from simulator.records.store import SessionStore
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


def test_a_trainers_note_is_written_alone_and_a_whole_save_never_puts_back_an_older_one(store):
    r = record(n_turns=2)
    r.trainer_note = "Written before the first save"
    r.state.turns[1].trainer_note = "Turn note before the first save"
    store.save(r)  # new rows come with their notes
    back = store.load(r.session_id)
    assert (back.trainer_note, back.state.turns[1].trainer_note) == (
        "Written before the first save", "Turn note before the first save")
    assert store.save_note(r.session_id, "Session: good teamwork")
    assert store.save_note(r.session_id, "Too quick to offer a refund", turn_index=0)
    r.trainer_note = ""  # a screen still holding the record as it was
    r.state.turns.append(turn(2))
    store.save(r)
    back = store.load(r.session_id)
    assert back.trainer_note == "Session: good teamwork"
    assert [t.trainer_note for t in back.state.turns] == [
        "Too quick to offer a refund", "Turn note before the first save", ""]
    assert store.save_note(r.session_id, "", turn_index=0)
    assert store.load(r.session_id).state.turns[0].trainer_note == ""
    # No row yet: nothing is written, and the caller hears it.
    assert not store.save_note(r.session_id, "later", turn_index=7)
    assert not store.save_note("no-such-session", "lost?")


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
    monkeypatch.setattr(db, "now", lambda: later)
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


def test_a_finished_session_without_a_score_is_scored_as_the_debrief_would(store):
    from simulator.engine.scoring import score_session

    ended = record(outcome="resolved")
    store.save(ended)
    expected = round(score_session(ended.state.turns, "resolved").total, 1)
    assert store.load(ended.session_id).score == expected == ended.score
    unfinished = record()
    store.save(unfinished)
    assert store.load(unfinished.session_id).score is None


def test_a_corrected_turn_counts_in_the_trends_as_corrected_and_keeps_what_was_heard(store):
    import sqlalchemy as sa

    from simulator.engine.session import Correction
    from simulator.records.schema import findings

    r = record(n_turns=1)
    heard = r.state.turns[0]
    r.state.turns[0] = heard.model_copy(update={"judgement": judgement("escalate", triggers=["insult"]),
                                               "correction": Correction(reply="that was our mistake",
                                                                        judgement=judgement(techniques=["apologise"]))})
    store.save(r)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(findings.c.kind, findings.c.name)).all()
    assert rows == [("technique", "apologise")]
    point = store.score_trend(r.trainee)[0]
    assert (point.techniques, point.triggers) == ({"apologise": 1}, {})
    again = store.load(r.session_id).state.turns[0]
    assert again.reply == heard.reply and again.judgement.trigger_names() == {"insult"}
