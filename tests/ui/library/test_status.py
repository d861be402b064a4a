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


def test_every_conversation_left_part_way_is_resumable_where_the_trainee_looks(qtbot, window, answer):
    win = window
    lib = win.library
    page = start_parcel(qtbot, win)
    type_reply(qtbot, win, "Hello, can I have your order number?")
    answer("leave", "later")
    qtbot.mouseClick(page.leave_button, Qt.MouseButton.LeftButton)
    first = win.ctx.store.unfinished()[0].session_id
    card = lib.cards[0]
    assert card.resume is not None and card.start.text() == "Start again" and "1 exchange" in card.left_note.text()

    # Started again from the card and left again: both are offered, the newest first, each with its own banner.
    lib._body.setMinimumHeight(3000)  # a library long enough to scroll
    lib._scroll.verticalScrollBar().setValue(lib._scroll.verticalScrollBar().maximum())
    assert lib._scroll.verticalScrollBar().value() > 0
    qtbot.mouseClick(card.start, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.begin_button, Qt.MouseButton.LeftButton)
    type_reply(qtbot, win, "What's the order number?")
    type_reply(qtbot, win, "Sorry, say that again?")
    answer("leave", "later")
    qtbot.mouseClick(page.leave_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is lib
    shown = [b for b in lib.resume_banners if b.isVisible()]
    assert len(shown) == 2 and "2 exchanges saved" in shown[0].text.text() and "1 exchange saved" in shown[1].text.text()
    assert lib._scroll.verticalScrollBar().value() == 0, "the banners are scrolled into sight"
    assert "2 exchanges" in lib.cards[0].left_note.text(), "the card resumes the newest"

    # The older one resumes from its own banner, by keyboard.
    shown[1].resume.setFocus()
    qtbot.keyClick(shown[1].resume, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is page)
    assert page.presenter.record.session_id == first


def test_a_restarted_conversation_is_not_offered_to_resume_and_says_restarted(qtbot, window, answer):
    win = window
    page = start_parcel(qtbot, win)
    type_reply(qtbot, win, "What's the order number?")
    answer("restart", "restart")
    qtbot.mouseClick(page.restart_button, Qt.MouseButton.LeftButton)
    answer("leave", "later")
    qtbot.mouseClick(page.leave_button, Qt.MouseButton.LeftButton)  # nothing answered yet: just leaves
    assert win.stack.currentWidget() is win.library
    assert not win.library.resume_banner.isVisible() and win.library.cards[0].resume is None
    [kept] = win.ctx.store.all()
    assert kept.restarted
    win.review_session(kept.session_id)
    assert win.debrief.outcome.text() == "Restarted"
