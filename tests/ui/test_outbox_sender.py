"""The station while the shared PostgreSQL server is down: sessions kept here, how many wait, sent when it is back.
A real server, halted and restarted by the test."""

from __future__ import annotations

import pytest

from simulator.records.store import SessionStore
from simulator.ui.context import open_store
from simulator.ui.outbox_sender import Attempt, status_text
from tests.records.factories import record
from tests.support.postgres import (
    halt_postgres,
    restart_postgres,
)


def test_the_station_shows_what_waits_and_sends_it_when_the_server_is_back(
        qtbot, make_context, private_data_dir, stoppable_postgres, stoppable_database):
    from simulator.ui.main_window import MainWindow

    halt_postgres(stoppable_postgres)
    store, notices, problem = open_store(private_data_dir, stoppable_database)
    assert problem is None and store.standing_in_for == stoppable_database
    assert "sent to it as soon as it can be reached" in notices[0]
    store.save(record("Sam Patel", n_turns=2, outcome="resolved", closed=True))
    context = make_context()
    context.store.close()
    context.store = store
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert "cannot be reached" in window.where.text()
    assert window.outbox_status.text() == ("1 session waiting to be sent to the shared database "
                                           "(it cannot be reached yet).")

    restart_postgres(stoppable_postgres)
    window.outbox_sender.send_now()  # what the minute's timer does
    assert window.outbox_status.text() == "1 session kept on this computer sent to the shared database."
    # From now on the station saves to the server, and says so.
    assert context.store.url == stoppable_database and not context.store.standing_in_for
    assert window.where.text() == "Records go to your training centre's shared database."
    trainer = SessionStore(private_data_dir / "trainer", url=stoppable_database)
    assert [r.trainee for r in trainer.sessions()] == ["Sam Patel"]
    trainer.close()
    window.outbox_sender.send_now()
    assert window.outbox_status.text() == "" and not window.outbox_status.isVisibleTo(window)
    context.store.close()


@pytest.mark.parametrize(("attempt", "text"), [
    (Attempt(0, 0, "", None), ""),
    (Attempt(0, 3, "down", None), "3 sessions waiting to be sent to the shared database (it cannot be reached yet)."),
    (Attempt(2, 1, "", None), "2 sessions kept on this computer sent to the shared database. "
                              "1 session waiting to be sent to the shared database."),
])
def test_the_status_line(attempt, text):
    assert status_text(attempt) == text


def test_a_turn_the_server_could_not_take_mid_session_is_kept_and_saved_with_the_next(
        qapp, make_context, scenario_dir, private_data_dir, stoppable_postgres, stoppable_database):
    from simulator.engine.loader import load_library
    from simulator.settings import Settings
    from simulator.ui.context import Devices
    from simulator.ui.conversation.presenter import ConversationPresenter
    from tests.ui.conversation.test_presenter import FakeView
    from tests.ui.fakes import FakeListener, FakeMicrophone, FakeVoice

    devices = Devices(voice=FakeVoice(), microphone=FakeMicrophone(), listener=FakeListener())
    ctx = make_context(Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True), devices)
    ctx.store.close()
    ctx.store = SessionStore(private_data_dir, url=stoppable_database)
    view = FakeView()
    presenter = ConversationPresenter(view, ctx)
    presenter.load(load_library([scenario_dir]).scenarios["parcel"])
    presenter.begin()
    devices.voice.finish()
    presenter.submit_text("Okay.")
    devices.voice.finish()
    halt_postgres(stoppable_postgres)
    presenter.submit_text("Right, I see.")
    devices.voice.finish()
    assert "kept on this computer and sent to it when it is back. Nothing is lost." in view.notices[-1]
    assert ctx.store.waiting() == 1

    restart_postgres(stoppable_postgres)
    presenter.submit_text("One moment please.")
    assert view.notices[-1] == "Your session is saved again; nothing was lost."
    trainer = SessionStore(private_data_dir / "trainer", url=stoppable_database)
    saved = trainer.load(presenter.record.session_id).state.turns
    assert [t.reply for t in saved] == ["Okay.", "Right, I see.", "One moment please."]
    assert ctx.store.waiting() == 0
    trainer.close()
    presenter.disconnect_devices()
    ctx.store.close()
