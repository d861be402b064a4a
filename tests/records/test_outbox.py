"""Nothing lost between stations: sessions kept on this computer while the shared PostgreSQL server was
down reach it when it is back, once each. Each test stops and restarts a real server of its own."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from simulator.records.db import DatabaseUnavailable, sqlite_url
from simulator.records.outbox import KeptLocally
from simulator.records.schema import sessions, turns
from simulator.records.store import SessionStore
from tests.records.factories import record, turn
from tests.support.postgres import (
    PostgresServer,
    halt_postgres,
    restart_postgres,
)


@pytest.fixture
def server(stoppable_postgres) -> PostgresServer:
    return stoppable_postgres


@pytest.fixture
def server_url(stoppable_database) -> str:
    return stoppable_database


def on_server(url: str) -> tuple[int, int]:
    """(sessions, turns) the server holds, counted as a trainer's report would find them."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        counts = (conn.execute(sa.select(sa.func.count()).select_from(sessions)).scalar_one(),
                  conn.execute(sa.select(sa.func.count()).select_from(turns)).scalar_one())
    engine.dispose()
    return counts


def test_a_session_kept_while_the_server_was_down_at_start_is_sent_once_it_is_back(server, server_url,
                                                                                  private_data_dir):
    halt_postgres(server)
    # What the app opens when it cannot reach the server at start (ui/context.py open_store):
    # this computer's file, standing in for the server.
    store = SessionStore(private_data_dir, url=sqlite_url(private_data_dir / "simulator.db"),
                         standing_in_for=server_url)
    sam = record("Sam Patel", n_turns=3, outcome="resolved", closed=True)
    store.save(sam)
    store.save(record("Alex Moreno", n_turns=1))
    assert store.waiting() == 2
    with pytest.raises(DatabaseUnavailable, match="cannot reach the database"):
        store.send_waiting()
    assert store.waiting() == 2  # still queued, nothing lost

    restart_postgres(server)
    sent = store.send_waiting()
    assert (sent.sent, sent.waiting, sent.problem) == (2, 0, "")
    assert store.waiting() == 0
    # The trainer, on the server, sees the session as it was played, with its times.
    trainer = SessionStore(private_data_dir / "trainer", url=server_url)
    seen = trainer.load(sam.session_id)
    assert seen.trainee == "Sam Patel" and seen.state.outcome == "resolved" and seen.closed
    assert [t.reply for t in seen.state.turns] == [t.reply for t in sam.state.turns]
    assert seen.updated_at == store.load(sam.session_id).updated_at
    assert seen.station == store.station
    assert {r.trainee for r in trainer.sessions()} == {"Sam Patel", "Alex Moreno"}
    # Sending again (another start, another tick) doubles nothing.
    assert store.send_waiting().sent == 0
    assert on_server(server_url) == (2, 4)
    trainer.close()
    store.close()


def test_a_save_the_server_could_not_take_mid_session_is_kept_and_caught_up(server, server_url, private_data_dir):
    store = SessionStore(private_data_dir, url=server_url, station="desk-3")
    session = record("Sam Patel", n_turns=1)
    store.save(session)
    halt_postgres(server)
    session.state.turns.append(turn(1))
    with pytest.raises(KeptLocally, match="kept on this computer"):
        store.save(session)
    assert store.waiting() == 1
    assert store.send_waiting().problem  # still down: stays queued
    assert store.waiting() == 1

    restart_postgres(server)
    # The next turn's save writes the whole session to the server; nothing waits any more.
    session.state.turns.append(turn(2))
    store.save(session)
    assert store.waiting() == 0
    assert on_server(server_url) == (1, 3)
    store.close()


def test_a_last_turn_kept_on_this_computer_reaches_the_server(server, server_url, private_data_dir):
    store = SessionStore(private_data_dir, url=server_url, station="desk-3")
    session = record("Sam Patel", n_turns=2)
    store.save(session)
    halt_postgres(server)
    session.state.turns.append(turn(2))
    session.state.outcome = session.state.ending_id = "resolved"
    session.closed = True
    with pytest.raises(KeptLocally):
        store.save(session)
    store.close()  # the app is closed before the server is back

    restart_postgres(server)
    again = SessionStore(private_data_dir, url=server_url, station="desk-3")
    assert again.waiting() == 1
    assert again.send_waiting().sent == 1
    seen = again.load(session.session_id)
    assert seen.closed and seen.state.outcome == "resolved" and len(seen.state.turns) == 3
    assert on_server(server_url) == (1, 3)
    again.close()


def test_notes_typed_while_the_server_was_down_reach_it_with_the_session(server, server_url, private_data_dir):
    store = SessionStore(private_data_dir, url=server_url, station="desk-3")
    session = record("Sam Patel", n_turns=1)
    store.save(session)
    halt_postgres(server)
    session.state.turns.append(turn(1))
    with pytest.raises(KeptLocally):
        store.save(session)  # kept on this computer
    # The trainer's notes while the server is down: on the record (their own save failed), kept with the next turn.
    session.trainer_note = "Typed while the server was down"
    session.state.turns[1].trainer_note = "Froze, then recovered"
    session.state.turns.append(turn(2))
    session.closed = True
    with pytest.raises(KeptLocally):
        store.save(session)
    store.close()

    restart_postgres(server)
    again = SessionStore(private_data_dir, url=server_url, station="desk-3")
    assert again.send_waiting().sent == 1
    seen = again.load(session.session_id)
    assert seen.trainer_note == "Typed while the server was down"
    assert [t.trainer_note for t in seen.state.turns] == ["", "Froze, then recovered", ""]
    again.close()


def test_a_kept_copy_older_than_the_servers_is_not_sent_over_it(server, server_url, private_data_dir):
    store = SessionStore(private_data_dir, url=server_url, station="desk-3")
    session = record("Sam Patel", n_turns=1)
    old_copy = session.model_copy(deep=True)
    store.outbox.keep(old_copy)  # kept here when the server failed ...
    session.state.turns += [turn(1), turn(2)]
    SessionStore(private_data_dir / "other", url=server_url).save(session)  # ... then it went on there
    assert store.send_waiting().sent == 1  # unqueued
    assert len(store.load(session.session_id).state.turns) == 3
    assert store.waiting() == 0
    store.close()


def test_a_station_without_a_shared_server_keeps_no_outbox(private_data_dir):
    store = SessionStore(private_data_dir)
    store.save(record())
    assert store.outbox is None and store.waiting() == 0 and store.send_waiting().sent == 0
    store.close()


def test_a_trainee_s_deleted_data_is_never_sent_from_this_computer_afterwards(server, server_url, private_data_dir):
    store = SessionStore(private_data_dir, url=server_url, station="desk-3")
    store.save(record("Sam Patel", n_turns=1))
    halt_postgres(server)
    kept = record("Sam Patel", n_turns=2)
    with pytest.raises(KeptLocally):
        store.save(kept)
    restart_postgres(server)
    deleted = store.delete_trainee_data("Sam Patel")
    assert deleted.sessions == 1
    assert store.waiting() == 0
    assert store.send_waiting().sent == 0
    assert on_server(server_url) == (0, 0)
    store.close()
