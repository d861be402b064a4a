"""NoteBox: a note is saved after a short pause in typing, when the box is left, and again after a failed save."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from simulator.ui.widgets.note_box import SAVE_AFTER_MS, NoteBox

pytestmark = pytest.mark.gui


def test_a_note_is_saved_after_a_pause_and_on_leaving_and_a_failed_save_is_tried_again(qtbot):
    saved: list[tuple[str, str]] = []
    failing = [True]

    def save_to(where: str):
        def save(text: str) -> bool:
            if failing[0]:
                failing[0] = False
                return False
            saved.append((where, text))
            return True
        return save

    box = NoteBox("A note", enter_finishes=True)
    qtbot.addWidget(box)
    assert not box.isEnabled()  # nothing to note yet
    box.bind(save_to("turn 1"), "")
    box.show()
    box.setFocus()
    qtbot.keyClicks(box, "Good")
    qtbot.wait(SAVE_AFTER_MS + 200)
    assert saved == [] and box.dirty  # the first save failed: still to be saved
    qtbot.keyClicks(box, " pause")
    qtbot.waitUntil(lambda: saved == [("turn 1", "Good pause")], timeout=2000)
    # Shift+Enter starts a new line; Enter ends the note and saves it at once.
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "x")
    with qtbot.waitSignal(box.finished, timeout=100):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert saved[-1] == ("turn 1", "Good pause\nx") and box.toPlainText() == "Good pause\nx"
    # Bound to another note: what was typed for the first is saved first, the new note's text is shown.
    qtbot.keyClicks(box, "!")
    box.bind(save_to("turn 2"), "Earlier note")
    assert saved[-1] == ("turn 1", "Good pause\nx!") and box.toPlainText() == "Earlier note" and not box.dirty
    box.bind(None)
    assert not box.isEnabled()
