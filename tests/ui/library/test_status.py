"""The library's card agrees with the record: a scenario played but not finished is not 'Not tried yet'."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conversation.test_window import start_parcel, type_reply

pytestmark = pytest.mark.gui


def test_a_scenario_played_and_ended_early_says_so_on_its_card(qtbot, window, answer):
    win = window
    assert win.library.cards == [] or win.library.cards[0].best_label.text() == "Not tried yet"
    page = start_parcel(qtbot, win)
    assert win.library.cards[0].best_label.text() == "Not tried yet"
    type_reply(qtbot, win, "Give me a second.")
    answer("leave", "end")
    qtbot.mouseClick(page.leave_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.debrief
    qtbot.mouseClick(win.debrief.back_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.library
    assert win.library.cards[0].best_label.text() == "Tried, not finished"
