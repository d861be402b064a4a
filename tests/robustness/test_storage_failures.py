"""A data folder that turns read-only or fills up mid-session: said on screen, the session kept in memory, saved on the next turn.

The data folder is a real tmpfs (conftest.SmallDisk), remounted read-only or filled to the last byte.
"""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from simulator.records.store import SessionStore
from tests.ui.fakes import reply_result

pytestmark = pytest.mark.gui


def _window(qtbot, make_context, data: Path):
    from simulator.ui.main_window import MainWindow

    context = make_context()
    context.store = SessionStore(data)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    win.start_scenario("parcel")
    win.conversation.begin_button.click()
    return win


def _type(win, text: str) -> None:
    win.conversation.reply_box.setText(text)
    win.conversation.send_button.click()


def _speak(win, wav: Path, text: str) -> None:
    win.conversation.presenter._on_listener_reply_ready(reply_result(text, wav_path=wav))


def _wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(bytes(16000))
    return path


def _notice(win) -> str:
    notice = win.conversation.notice
    return notice.text.text() if notice.isVisibleTo(win.conversation) else ""


def test_a_read_only_data_folder_is_said_and_the_turns_are_saved_when_it_can_be_written(
        qtbot, make_context, small_disk, tmp_path):
    win = _window(qtbot, make_context, small_disk.path)
    presenter = win.conversation.presenter
    _type(win, "Okay.")
    session_id = presenter.runner.state.session_id
    assert len(win.ctx.store.load(session_id).state.turns) == 1

    # The kernel refuses to remount while files are open for writing: let SQLite close its
    # connections, as it would after the disk went read-only under it.
    win.ctx.store.engine.dispose()
    small_disk.read_only(True)
    _type(win, "Right, I see.")
    text = _notice(win)
    assert "could not be saved" in text and "Nothing is lost" in text
    assert "can be written" in text or "read-only" in text  # the StorageError's own advice
    assert "Traceback" not in text
    # A spoken reply: its recording cannot be kept in the session folder either; the turn still counts.
    _speak(win, _wav(tmp_path / "reply.wav"), "Let me have a look.")
    assert len(presenter.runner.state.turns) == 3
    assert presenter.accepts_reply()

    small_disk.read_only(False)
    _type(win, "One moment please.")
    assert "saved again" in _notice(win)
    saved = win.ctx.store.load(session_id).state.turns
    assert [t.reply for t in saved] == ["Okay.", "Right, I see.", "Let me have a look.", "One moment please."]


def test_a_full_disk_is_said_in_plain_words(qtbot, make_context, small_disk):
    win = _window(qtbot, make_context, small_disk.path)
    _type(win, "Okay.")
    small_disk.fill()
    _type(win, "Right, I see. " * 400)  # a long reply, so the page it needs is not already there
    text = _notice(win)
    assert "could not be saved" in text and "Traceback" not in text
    assert "full" in text.lower()
    small_disk.free()
    _type(win, "One moment please.")
    assert "saved again" in _notice(win)
    assert len(win.ctx.store.load(win.conversation.presenter.runner.state.session_id).state.turns) == 3

