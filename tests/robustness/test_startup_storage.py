"""A data folder that is read-only or full before the app starts: the window opens, says so, and lets
the trainee practise typed replies without saving, or choose another folder.

The data folder is a real tmpfs (conftest.SmallDisk), as in test_storage_failures.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.app_start import app_context

pytestmark = pytest.mark.gui


def _start(qtbot, monkeypatch, data: Path, scenario_dir: Path, judge):
    """The app's own start-up (AppContext.for_app), without audio devices and with a synchronous runner."""
    from simulator.ui.main_window import MainWindow

    monkeypatch.setenv("SIMULATOR_DATA_DIR", str(data))
    context = app_context(monkeypatch, scenario_dir, judge)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    return win


def _play_a_typed_turn(win) -> None:
    win.start_scenario("parcel")
    win.conversation.begin_button.click()
    win.conversation.reply_box.setText("I'm sorry, let me look.")
    win.conversation.send_button.click()
    assert len(win.conversation.presenter.runner.state.turns) == 1


def test_a_read_only_data_folder_at_start_opens_the_window_and_practice_goes_on_unsaved(
        qtbot, monkeypatch, small_disk, scenario_dir, judge, tmp_path):
    disk = small_disk.path
    small_disk.read_only(True)
    win = _start(qtbot, monkeypatch, disk, scenario_dir, judge)

    banner = win.storage_banner
    assert banner.isVisibleTo(win)
    text = banner.text.text()
    assert "not saved" in text.lower() and str(disk) in text
    assert "choose another" in text.lower()
    assert not win.ctx.store.saving
    assert "Nothing is being saved" in win.where.text()
    _play_a_typed_turn(win)
    assert banner.isVisibleTo(win)  # still marked while practising

    # A folder that cannot be used either: said, and nothing changes.
    told: list[str] = []
    monkeypatch.setattr("simulator.ui.dialogs.tell", lambda parent, title, text, warning=False: told.append(text))
    monkeypatch.setattr("simulator.ui.dialogs.choose_folder", lambda *a, **k: str(disk))
    win.choose_folder_button.click()
    assert len(told) == 1 and "cannot be used" in told.pop()
    assert banner.isVisibleTo(win) and not win.ctx.store.saving

    # Another folder: records are saved there from now on, and the banner goes.
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.setattr("simulator.ui.dialogs.choose_folder", lambda *a, **k: str(other))
    win.choose_folder_button.click()
    # The settings file lives in the read-only folder: the choice holds until the app closes, and it says so.
    assert len(told) == 1 and "could not be remembered" in told[0]
    assert not banner.isVisibleTo(win)
    assert win.ctx.store.saving and win.ctx.store.root == other
    assert "stays on this computer" in win.where.text()
    _play_a_typed_turn(win)
    assert (other / "simulator.db").exists()
    assert len(win.ctx.store.all()) == 1


def test_a_full_data_folder_at_start_opens_the_window_and_says_so(
        qtbot, monkeypatch, small_disk, scenario_dir, judge):
    small_disk.fill()
    win = _start(qtbot, monkeypatch, small_disk.path, scenario_dir, judge)
    assert win.storage_banner.isVisibleTo(win)
    assert "not saved" in win.storage_banner.text.text().lower()
    _play_a_typed_turn(win)


def test_a_writable_data_folder_shows_no_banner(qtbot, monkeypatch, private_data_dir, scenario_dir, judge):
    win = _start(qtbot, monkeypatch, private_data_dir, scenario_dir, judge)
    assert not win.storage_banner.isVisibleTo(win)
    assert win.ctx.store.saving


def test_a_data_folder_that_cannot_be_made_opens_the_window_and_says_so(
        qtbot, monkeypatch, small_disk, scenario_dir, judge):
    small_disk.read_only(True)
    win = _start(qtbot, monkeypatch, small_disk.path / "not-yet", scenario_dir, judge)
    assert win.storage_banner.isVisibleTo(win)
    _play_a_typed_turn(win)
