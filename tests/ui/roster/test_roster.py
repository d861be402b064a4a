"""Classes through the real window: a class and its roster made on the Classes screen, classroom mode started
from it, the answering trainee switched in two clicks, and every turn credited to whoever answered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from simulator.records.reports import trainee_score
from tests.records.factories import classroom_session

pytestmark = pytest.mark.gui


def make_class(qtbot, window, class_name: str, names: list[str]) -> None:
    """Classes in the sidebar, a class's name typed and added, then each trainee typed and added."""
    qtbot.mouseClick(window.nav_roster, Qt.MouseButton.LeftButton)
    page = window.roster
    assert window.stack.currentWidget() is page
    first = page.empty_state.isVisible()  # no class yet: the first is added from the empty state
    qtbot.keyClicks(page.first_class_name if first else page.class_name, class_name)
    qtbot.mouseClick(page.first_class_button if first else page.add_class_button, Qt.MouseButton.LeftButton)
    for name in names:
        qtbot.keyClicks(page.trainee_name, name)
        qtbot.keyClick(page.trainee_name, Qt.Key.Key_Return)


def pick_in_two_clicks(qtbot, combo: QComboBox, text: str) -> None:
    """Click the combo box open, click the name in its list."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=2000)
    # A combo box ignores a release that comes sooner than a double click after it opened.
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    index = combo.model().index(combo.findText(text), 0)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2000)


@pytest.fixture
def room(qtbot, window):
    """Classroom mode opened from the Classes screen for "Tuesday" (Ana, Ben, Cleo), the parcel scenario started."""
    make_class(qtbot, window, "Tuesday", ["Cleo", "Ana", "Ben"])
    qtbot.mouseClick(window.roster.classroom_button, Qt.MouseButton.LeftButton)
    classroom = window.classroom
    assert classroom is not None
    qtbot.waitExposed(classroom.trainer)
    yield classroom
    if window.classroom is not None:
        window.classroom.close()


def test_a_class_and_its_roster_are_made_on_the_classes_screen(qtbot, window):
    make_class(qtbot, window, "Tuesday evening", ["Ben Okoro", "Ana Silva"])
    page = window.roster
    assert [page.class_list.item(i).text() for i in range(page.class_list.count())] == ["Tuesday evening"]
    assert page.trainee_names() == ["Ana Silva", "Ben Okoro"]
    assert page.roster.item(0).text() == "Ana Silva   ·   no sessions yet"
    assert page.roster_title.text() == "Roster: Tuesday evening"
    store = window.ctx.store
    assert [(t.name, t.class_name) for t in store.trainees("Tuesday evening")] == [
        ("Ana Silva", "Tuesday evening"), ("Ben Okoro", "Tuesday evening")]
    # A second class keeps its own roster.
    make_class(qtbot, window, "Wednesday", ["Cleo"])
    assert page.trainee_names() == ["Cleo"]
    page.class_list.setCurrentRow(0)
    assert page.roster.count() == 2

    # A name, then History…: that trainee's history.
    rect = page.roster.visualItemRect(page.roster.item(1))
    qtbot.mouseClick(page.roster.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(page.history_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.history and window.history.current() == "Ben Okoro"


def test_classroom_from_the_classes_screen_credits_each_turn_to_whoever_answered(qtbot, window, room):
    trainer, p = room.trainer, room.presenter
    assert trainer.class_combo.currentText() == "Tuesday"
    assert [trainer.trainee_combo.itemText(i) for i in range(trainer.trainee_combo.count())] == ["Ana", "Ben", "Cleo"]
    trainer.select_scenario("parcel")
    qtbot.mouseClick(trainer.start_button, Qt.MouseButton.LeftButton)
    assert p.trainee == "Ana"

    # The trainer switches to Cleo in two clicks, whatever the rotation says.
    trainer.rotate.setChecked(False)
    pick_in_two_clicks(qtbot, trainer.trainee_combo, "Cleo")
    assert p.trainee == "Cleo" and room.projector.answering.text() == "Answering: Cleo"
    trainer.reply_box.setFocus()
    qtbot.keyClicks(trainer.reply_box, "Let me check.")
    qtbot.keyClick(trainer.reply_box, Qt.Key.Key_Return)
    qtbot.keyClick(trainer, Qt.Key.Key_2)
    # Then to Ben, and Ben calms Sam.
    pick_in_two_clicks(qtbot, trainer.trainee_combo, "Ben")
    qtbot.keyClicks(trainer.reply_box, "I'm sorry, I understand how annoying this is.")
    qtbot.keyClick(trainer.reply_box, Qt.Key.Key_Return)
    qtbot.keyClick(trainer, Qt.Key.Key_2)

    store = window.ctx.store
    saved = store.load(p.record.session_id)
    assert [t.trainee for t in saved.state.turns] == ["Cleo", "Ben"]
    # The session is the class's, not its first trainee's.
    assert (saved.trainee, saved.class_name) == ("", "Tuesday")
    # Each trainee's history has the session; Ana never answered, so she has not tried the scenario.
    assert [r.session_id for r in store.history("Ben")] == [saved.session_id]
    assert [r.session_id for r in store.history("Cleo")] == [saved.session_id]
    assert store.history("Ana") == []
    assert store.untried_scenarios("Ana", ["parcel"]) == ["parcel"]
    assert store.untried_scenarios("Ben", ["parcel"]) == []

    window.show_history("Ben")
    history = window.history
    assert history.table.rowCount() == 1 and history.table.item(0, 2).text() == "1 of 2"
    # Ben's trend counts Ben's reply only: his calming reply scores full marks for replies that calmed.
    assert history.chart.series["calming"] == [100.0]
    window.show_history("Cleo")
    assert history.chart.series["calming"] == [0.0]


def test_classroom_mode_from_the_sidebar_and_its_shortcut(qtbot, window):
    window.ctx.store.add_trainee("Ana", "Tuesday")
    qtbot.mouseClick(window.nav_classroom, Qt.MouseButton.LeftButton)
    room = window.classroom
    assert room is not None and room.trainer.isVisible() and room.projector.isVisible()
    assert not room.second_screen and len(QApplication.screens()) == 1
    # Ctrl+7 again brings the same trainer window forward instead of opening another.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.classroom is room
    room.trainer.close()
    assert window.classroom is None and not room.projector.isVisible()


def test_on_one_wide_screen_the_projector_and_the_trainer_sit_side_by_side(qtbot, window):
    from unittest.mock import MagicMock

    from PySide6.QtCore import QRect

    from simulator.ui.classroom.presenter import place_windows

    qtbot.mouseClick(window.nav_classroom, Qt.MouseButton.LeftButton)
    room = window.classroom
    laptop = MagicMock()
    laptop.availableGeometry.return_value = QRect(0, 0, 1920, 1040)
    assert not place_windows(room.projector, room.trainer, [laptop], laptop)
    projector, trainer = room.projector.geometry(), room.trainer.geometry()
    assert not projector.intersects(trainer), (projector, trainer)
    assert projector.width() >= 1000 and trainer.right() <= 1920 and trainer.width() >= 800
    room.close()


def test_a_roster_line_averages_each_trainees_own_turns_of_a_shared_session(qtbot, window):
    shared = classroom_session(window.ctx.store)  # Ana answered turns 1 and 3 well, Ben turn 2 badly
    window.roster.refresh(select="Tue")
    lines = {window.roster.roster.item(i).data(Qt.ItemDataRole.UserRole): window.roster.roster.item(i).text()
             for i in range(window.roster.roster.count())}
    ana, ben = trainee_score(shared, "Ana"), trainee_score(shared, "Ben")
    assert ana is not None and ben is not None and ana > shared.score > ben
    assert lines["Ana"].endswith(f"average score {ana:.0f}")
    assert lines["Ben"].endswith(f"average score {ben:.0f}")
    assert "average score" not in lines["Cleo"]  # answered nothing: no score, not 0


def test_a_class_is_renamed_and_deleted_and_a_trainee_removed_with_confirmation(qtbot, window, answer, monkeypatch):
    from simulator.ui.roster import view as roster_module

    make_class(qtbot, window, "Tue", ["Ana", "Ben"])
    page, store = window.roster, window.ctx.store
    # Removing Ben: asked first; keeping him is the safe answer.
    page.roster.setCurrentRow(1)
    qtbot.mouseClick(page.remove_trainee_button, Qt.MouseButton.LeftButton)
    assert page.trainee_names() == ["Ana", "Ben"] and answer.asked[-1] == "Remove Ben from Tue?"
    answer("remove", "remove")
    qtbot.mouseClick(page.remove_trainee_button, Qt.MouseButton.LeftButton)
    assert page.trainee_names() == ["Ana"] and store.trainee("Ben").class_name is None

    monkeypatch.setattr(roster_module, "ask_text", lambda *a: "Tuesday evening")
    qtbot.mouseClick(page.rename_class_button, Qt.MouseButton.LeftButton)
    assert page.current_class() == "Tuesday evening" and page.trainee_names() == ["Ana"]

    qtbot.mouseClick(page.delete_class_button, Qt.MouseButton.LeftButton)
    assert store.classes() == ["Tuesday evening"]  # kept: the first answer is the safe one
    answer("delete the class", "delete")
    qtbot.mouseClick(page.delete_class_button, Qt.MouseButton.LeftButton)
    assert store.classes() == [] and page.class_list.count() == 0
    # Deleting a class never deletes its trainees.
    assert [t.name for t in store.trainees()] == ["Ana", "Ben"]


def test_with_no_class_the_screen_says_what_classes_are_for_and_adds_the_first(qtbot, window):
    win = window
    win.show_roster()
    page = win.roster
    assert page.empty_state.isVisible() and not page.classes_area.isVisible()
    words = " ".join(w.text() for w in page.empty_state.findChildren(QLabel))
    assert "classroom mode" in words and "report" in words and "No classes yet" in words
    page.first_class_name.setFocus()
    qtbot.keyClicks(page.first_class_name, "Tuesday evening")
    qtbot.keyClick(page.first_class_name, Qt.Key.Key_Return)
    assert win.ctx.store.classes() == ["Tuesday evening"]
    assert not page.empty_state.isVisible() and page.classes_area.isVisible()
    assert page.current_class() == "Tuesday evening" and page.empty_roster.isVisible()
    qtbot.keyClicks(page.trainee_name, "Priya")
    qtbot.keyClick(page.trainee_name, Qt.Key.Key_Return)
    assert page.trainee_names() == ["Priya"] and not page.empty_roster.isVisible()


def test_at_1280x720_the_name_field_is_usable_and_roster_lines_are_not_cut_off(qtbot, window):
    win = window
    win.resize(1280, 720)
    make_class(qtbot, win, "Tuesday evening", ["Chloe Martin"])
    page = win.roster
    page.roster.item(0).setText("Chloe Martin   ·   12 sessions, last 29 Nov 2026, 07:19, average score 100")
    qtbot.wait(50)
    assert page.trainee_name.width() >= 160, "room to type a name"
    assert page.roster.horizontalScrollBar().maximum() == 0, "the line wraps instead of running off the side"
def test_classroom_mode_takes_the_class_chosen_on_the_classes_screen_and_lists_scenarios_easiest_first(
        qtbot, make_context, scenario_dir):
    from simulator.ui.main_window import MainWindow
    from tests.ui.conftest import SCENARIO

    # Two more scenarios: the easiest would come last and the hardest first if they were listed by title.
    for sid, title, level in (("zebra", "Zebra crossing", 1), ("aardvark", "Aardvark at the till", 4)):
        (scenario_dir / f"{sid}.yaml").write_text(SCENARIO.replace("id: parcel", f"id: {sid}")
                                                  .replace("title: The missing parcel", f"title: {title}")
                                                  .replace("difficulty: 2", f"difficulty: {level}"), encoding="utf-8")
    window = MainWindow(make_context())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    store = window.ctx.store
    store.add_trainee("Ana", "Tuesday")
    store.add_trainee("Femi", "Thursday")

    def choose_on_the_classes_screen(name: str) -> None:
        qtbot.mouseClick(window.nav_roster, Qt.MouseButton.LeftButton)
        classes = window.roster.class_list
        item = classes.findItems(name, Qt.MatchFlag.MatchExactly)[0]
        qtbot.mouseClick(classes.viewport(), Qt.MouseButton.LeftButton, pos=classes.visualItemRect(item).center())
        assert window.roster.current_class() == name

    # Chosen on the Classes screen, then classroom mode from the sidebar: that class, not "(no class)".
    choose_on_the_classes_screen("Thursday")
    qtbot.mouseClick(window.nav_classroom, Qt.MouseButton.LeftButton)
    room = window.classroom
    assert room.trainer.class_combo.currentText() == "Thursday" and room.presenter.roster == ["Femi"]
    combo = room.trainer.scenario_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["zebra", "parcel", "aardvark"]
    assert combo.itemText(0) == "●○○○○  Zebra crossing"
    assert combo.itemData(2, Qt.ItemDataRole.ToolTipRole) == "Difficulty 4 of 5: Hard"
    # The library lists them in the same order.
    assert [card.scenario.id for card in window.library.cards] == ["zebra", "parcel", "aardvark"]

    # Another class chosen while classroom mode is open (no session running): classroom mode follows.
    choose_on_the_classes_screen("Tuesday")
    qtbot.mouseClick(window.roster.classroom_button, Qt.MouseButton.LeftButton)
    assert window.classroom is room and room.trainer.class_combo.currentText() == "Tuesday"
    # Closed and opened again with Ctrl+7: still the class chosen on the Classes screen.
    room.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.classroom.trainer.class_combo.currentText() == "Tuesday"
    window.classroom.close()
