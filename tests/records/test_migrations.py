"""Migrations of a database the previous release made: every row kept, each turn given its owner."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from simulator.engine.session import Correction
from simulator.records import db
from simulator.records.store import SessionStore
from tests.records.factories import judgement

AT = datetime(2025, 3, 4, 18, 0, tzinfo=UTC)
ERASED = "(deleted at the trainee's request)"  # what 0001's "delete my data" left in others' sessions


def _session(session_id: str, trainee_id: int | None) -> dict:
    return {"session_id": session_id, "trainee_id": trainee_id, "scenario_id": "late-pickup",
            "scenario_title": "Late pickup", "station": "desk-1", "state_version": 1, "seed": 7, "node_id": "n1",
            "agitation": 50.0, "ending_id": None, "outcome": None, "repeats": 0, "closed": False, "score": None,
            "started_at": AT, "updated_at": AT}


def _turn(session_id: str, index: int, trainee: str | None, reply: str = "I hear you.") -> dict:
    j = judgement(techniques=["empathy"])
    return {"session_id": session_id, "turn_index": index, "node_id": f"n{index}", "customer_line": "Where is it?",
            "mood": "angry", "agitation_before": 60.0, "reply": reply, "audio_file": f"/r/{session_id}/{index}.wav",
            "recording_deleted_at": None, "judgement": j.model_dump(mode="json"), "intent": "deescalate",
            "tone": "calm", "override": "calmer" if index == 1 else None, "applied_delta": -8.0,
            "agitation_after": 52.0, "branch_index": 0, "target": f"n{index + 1}", "trainee": trainee, "at": AT}


def _fill_release_0001(url: str) -> None:
    """The previous release's database: a class, trainees, sessions alone and in class, an erasure's leftovers."""
    engine = db.create_engine(url)
    with engine.begin() as conn:
        command.upgrade(db._alembic_config(conn), "0001")
        t = sa.MetaData()
        t.reflect(conn)
        classes, trainees = t.tables["classes"], t.tables["trainees"]
        conn.execute(classes.insert(), [{"name": "Tue", "created_at": AT}, {"name": "Wed", "created_at": AT}])
        tue = conn.execute(sa.select(classes.c.id).where(classes.c.name == "Tue")).scalar_one()
        conn.execute(trainees.insert(), [{"name": "Ann", "class_id": tue, "created_at": AT},
                                         {"name": "Bo", "class_id": tue, "created_at": AT},
                                         {"name": "Cy", "class_id": None, "created_at": AT}])
        ann, cy = (conn.execute(sa.select(trainees.c.id).where(trainees.c.name == n)).scalar_one() for n in ("Ann", "Cy"))
        conn.execute(t.tables["sessions"].insert(), [
            _session("solo", ann), _session("class", ann), _session("anonymous", None), _session("empty", cy)])
        conn.execute(t.tables["turns"].insert(), [
            _turn("solo", 0, None), _turn("solo", 1, None),
            # Filed under Ann, who answered first; Bo answered turn 1; Dee's turn 2 was wiped by "delete
            # my data"; Eve answered turn 3 without ever being on a roster.
            _turn("class", 0, "Ann"), _turn("class", 1, "Bo"), _turn("class", 2, None, ERASED),
            _turn("class", 3, "Eve"),
            _turn("anonymous", 0, None)])
        conn.execute(t.tables["findings"].insert(), [
            {"session_id": s, "turn_index": i, "kind": "technique", "position": 0, "name": "empathy",
             "evidence": "I hear you"} for s, i in (("solo", 0), ("class", 1), ("class", 2))])
    engine.dispose()


# What 0002 changes: who a turn and a session belong to (checked through the store below).
OWNERS = {("turns", "trainee"), ("turns", "trainee_id"), ("sessions", "trainee_id"), ("sessions", "class_id")}
# What 0003 adds: empty columns for corrected transcripts and trainer notes.
ADDED_IN_0003 = {("turns", "correction"), ("turns", "trainer_note"), ("sessions", "trainer_note")}
# What 0004 adds: whether a session was restarted, and a spoken turn's recognised words.
ADDED_IN_0004 = {("sessions", "restarted"), ("turns", "heard")}


def _rows(engine: sa.Engine) -> dict[str, list[dict]]:
    t = sa.MetaData()
    t.reflect(engine)
    with engine.connect() as conn:
        return {name: sorted(({k: v for k, v in r.items() if (name, k) not in OWNERS | ADDED_IN_0003 | ADDED_IN_0004}
                              for r in conn.execute(table.select()).mappings()), key=repr)
                # The outbox (0005) is a station's queue, not records: empty here, and gone when going back.
                for name, table in t.tables.items() if name not in ("alembic_version", "outbox")}


def test_a_database_of_the_previous_release_keeps_every_row_and_gives_each_turn_its_owner(fresh_database_url):
    _fill_release_0001(fresh_database_url)
    old = sa.create_engine(fresh_database_url)
    before = _rows(old)
    old.dispose()

    store = SessionStore(url=fresh_database_url)
    assert db.current_revision(store.engine) == db.head_revision()
    after = _rows(store.engine)
    # Every row and value is kept; Eve, who answered a turn, is now on the list of trainees.
    eve = [r for r in after["trainees"] if r["name"] == "Eve"]
    assert len(eve) == 1 and after["trainees"] == sorted(before["trainees"] + [{**eve[0]}], key=repr)
    for name in ("classes", "sessions", "turns", "findings"):
        assert after[name] == before[name], name

    solo, classroom, anonymous, empty = (store.load(s) for s in ("solo", "class", "anonymous", "empty"))
    assert (solo.trainee, solo.class_name, [t.trainee for t in solo.state.turns]) == ("Ann", "", [None, None])
    # The classroom session is the class's; the wiped turn is nobody's, not Ann's.
    assert (classroom.trainee, classroom.class_name) == ("", "Tue")
    assert [t.trainee for t in classroom.state.turns] == ["Ann", "Bo", None, "Eve"]
    assert (anonymous.trainee, anonymous.state.turns[0].trainee) == ("", None)
    assert (empty.trainee, empty.state.turns) == ("Cy", [])
    assert [(p.session_id, p.turns, p.overrides) for p in store.score_trend("Ann")] == [("class", 1, 0), ("solo", 2, 1)]
    assert [(p.session_id, p.turns, p.overrides) for p in store.score_trend("Bo")] == [("class", 1, 1)]
    store.close()


def test_going_back_to_the_previous_release_keeps_every_row(fresh_database_url):
    from tests.records.factories import record, shared_session

    store = SessionStore(url=fresh_database_url)
    shared = shared_session(store)
    store.save(record("Ann"))
    before = _rows(store.engine)
    store.close()
    engine = db.create_engine(fresh_database_url)
    with engine.connect() as conn, db._foreign_keys_off(conn), conn.begin():
        command.downgrade(db._alembic_config(conn), "0001")
    assert _rows(engine) == before
    with engine.connect() as conn:
        # The release before 0002 files the classroom session under whoever answered first.
        owner = conn.execute(sa.text("SELECT t.name FROM sessions s JOIN trainees t ON t.id = s.trainee_id "
                                     "WHERE s.session_id = :s"), {"s": shared.session_id}).scalar_one()
        names = conn.execute(sa.text("SELECT trainee FROM turns WHERE session_id = :s ORDER BY turn_index"),
                             {"s": shared.session_id}).scalars().all()
    assert (owner, names) == ("Ann", ["Ann", "Bo"])
    engine.dispose()


def test_corrections_and_notes_are_added_empty_and_a_downgrade_keeps_every_other_value(fresh_database_url):
    from tests.records.factories import record

    _fill_release_0001(fresh_database_url)
    store = SessionStore(url=fresh_database_url)
    solo = store.load("solo")
    assert solo.trainer_note == "" and [(t.correction, t.trainer_note) for t in solo.state.turns] == [(None, "")] * 2

    mine = record("Ann")
    mine.trainer_note = "Good recovery after turn 2."
    first = mine.state.turns[0]
    mine.state.turns[0] = first.model_copy(update={
        "trainer_note": "Name the feeling first.",
        "correction": Correction(reply="I can hear how upset you are.", judgement=judgement(techniques=["empathy"]))})
    store.save(mine)
    again = store.load(mine.session_id)
    assert again.trainer_note == "Good recovery after turn 2."
    turn = again.state.turns[0]
    assert turn.trainer_note == "Name the feeling first." and turn.reply == first.reply
    assert turn.correction is not None and turn.correction.reply == "I can hear how upset you are."
    assert [f.name for f in turn.correction.judgement.techniques] == ["empathy"]
    before = _rows(store.engine)
    store.close()

    engine = db.create_engine(fresh_database_url)
    with engine.connect() as conn, db._foreign_keys_off(conn), conn.begin():
        command.downgrade(db._alembic_config(conn), "0002")
    assert _rows(engine) == before
    engine.dispose()


def test_restarts_and_heard_words_are_added_empty_and_a_downgrade_keeps_every_other_value(fresh_database_url):
    from simulator.engine.judgement import HeardWord
    from tests.records.factories import record

    _fill_release_0001(fresh_database_url)
    store = SessionStore(url=fresh_database_url)
    solo = store.load("solo")
    assert not solo.restarted and [t.heard for t in solo.state.turns] == [[], []]
    assert [r.session_id for r in store.unfinished()] == [], "another station's sessions are never offered"

    mine = record("Ann")
    mine.closed = mine.restarted = True
    mine.state.turns[0] = mine.state.turns[0].model_copy(update={
        "heard": [HeardWord("I", 0.98), HeardWord("can", 0.31)]})
    store.save(mine)
    again = store.load(mine.session_id)
    assert again.restarted and again.state.turns[0].heard == [("I", 0.98), ("can", 0.31)]
    assert isinstance(again.state.turns[0].heard[0], HeardWord)
    before = _rows(store.engine)
    store.close()

    engine = db.create_engine(fresh_database_url)
    with engine.connect() as conn, db._foreign_keys_off(conn), conn.begin():
        command.downgrade(db._alembic_config(conn), "0003")
    assert _rows(engine) == before
    engine.dispose()


def test_the_outbox_comes_with_0005_and_goes_when_going_back_keeping_the_sessions(fresh_database_url, tmp_path):
    from simulator.records.outbox import Outbox
    from tests.records.factories import record

    store = SessionStore(tmp_path, url=fresh_database_url)
    kept = record("Ann")
    Outbox(tmp_path, "desk-1", engine=store.engine).keep(kept)
    before = _rows(store.engine)
    store.close()
    engine = db.create_engine(fresh_database_url)
    assert "outbox" in sa.inspect(engine).get_table_names()
    with engine.connect() as conn, db._foreign_keys_off(conn), conn.begin():
        command.downgrade(db._alembic_config(conn), "0004")
    assert "outbox" not in sa.inspect(engine).get_table_names()
    assert _rows(engine) == before
    engine.dispose()
