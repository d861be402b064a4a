"""Author and trainee text is shown as written, never as markup: a scenario and a trainee name full of
HTML go through every screen, and no label, tooltip or text view renders an <img> (which Qt would
load from the disk) or any other tag from them."""

from __future__ import annotations

import pytest
from PySide6.QtGui import Qt  # QtGui's Qt also has mightBeRichText
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox, QTextEdit

from simulator.engine.loader import load_library
from simulator.settings import Settings
from tests.ui.conftest import SCENARIO

pytestmark = pytest.mark.gui

IMG = "<img src='file:///etc/hostname'>"
EVIL = f"{IMG}<b>bold</b>"
HTML_SCENARIO = (SCENARIO
                 .replace("title: The missing parcel", f'title: "Parcel {EVIL}"')
                 .replace("brief: Sam's parcel", f'brief: "Brief {EVIL}" #')
                 .replace("name: Sam Okafor", f'name: "Sam {EVIL}"')
                 .replace("say: I was promised this parcel today. Where is it?", f'say: "Where is it? {EVIL}"')
                 .replace("coach: Apologise", f'coach: "Coach {EVIL}" #')
                 .replace("summary: Sam left satisfied.", f'summary: "Left {EVIL}"')
                 .replace("say: Right. Thank you, that's fine.", f'say: "Fine {EVIL}"'))
TRAINEE = f"Alex {EVIL}"


def _offenders() -> list[str]:
    """Every widget that would render the markup: a rich-text label, a tooltip, a text view."""
    found = []
    for widget in QApplication.allWidgets():
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QLabel) and "<img" in widget.text():
            if widget.textFormat() != Qt.TextFormat.PlainText and Qt.mightBeRichText(widget.text()):
                found.append(f"{where}: {widget.text()[:80]!r}")
        if "<img" in widget.toolTip() and Qt.mightBeRichText(widget.toolTip()):
            found.append(f"{where} tooltip: {widget.toolTip()[:80]!r}")
        if isinstance(widget, QTextEdit) and "<img" in widget.toHtml():
            found.append(f"{where} document")
        if isinstance(widget, QAbstractButton) and "<img" in widget.text():
            pass  # buttons are always plain text
    return found


@pytest.fixture
def html_window(qtbot, make_context, scenario_dir, answer):
    from simulator.ui.main_window import MainWindow

    (scenario_dir / "parcel.yaml").write_text(HTML_SCENARIO, encoding="utf-8")
    assert load_library([scenario_dir]).scenarios, load_library([scenario_dir]).problems
    context = make_context(Settings(first_run_done=True, trainee_name=TRAINEE, voice_enabled=False))
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    return win


def test_html_in_a_scenario_and_a_trainee_name_is_shown_as_text_on_every_screen(html_window, qtbot):
    win = html_window
    win.show_library()
    assert not _offenders(), _offenders()

    win.start_scenario("parcel")
    assert not _offenders(), _offenders()
    win.conversation.begin_button.click()
    for reply in (f"Sorry {EVIL}", "I'm sorry, I understand. A refund?"):
        win.conversation.reply_box.setText(reply)
        win.conversation.send_button.click()
        assert not _offenders(), _offenders()
    assert not _offenders(), _offenders()  # the ending's line and summary
    win.conversation.debrief_button.click()
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.debrief, timeout=5000)
    assert not _offenders(), _offenders()

    for show in (win.show_history, win.show_roster, win.show_authoring, win.show_settings):
        show()
        assert not _offenders(), (show.__name__, _offenders())

    win.open_classroom()
    assert not _offenders(), _offenders()
    win.classroom.close()


def test_messages_show_names_and_paths_as_text(qtbot, monkeypatch):
    from simulator.ui import dialogs

    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    dialogs.tell(None, "Scenario not found", f"The scenario “{EVIL}” is no longer in the library.")
    dialogs.ask(None, "Delete?", f"Delete {EVIL}?", [("no", "Keep"), ("yes", "Delete")], detail=EVIL)
    assert [box.textFormat() for box in shown] == [Qt.TextFormat.PlainText] * 2
