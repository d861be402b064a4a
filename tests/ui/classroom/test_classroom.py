"""Classroom mode: two trainees take turns, the trainer overrides a turn with one key, pause and repeat."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLabel

from simulator.engine.loader import load_library
from simulator.settings import Settings
from tests.ui.fakes import FakeVoice

pytestmark = pytest.mark.gui


@pytest.fixture
def classroom(qtbot, make_context, scenario_dir):
    """Classroom mode for the class 'Tuesday' (Ana, Ben) with the inline parcel scenario, on one screen."""
    from simulator.ui.classroom.view import Classroom

    def make(devices=None, settings=None):
        ctx = make_context(settings=settings, devices=devices)
        for name in ("Ana", "Ben"):
            ctx.store.add_trainee(name, "Tuesday")
        room = Classroom(ctx)
        qtbot.addWidget(room.trainer)
        qtbot.addWidget(room.projector)
        room.show(class_name="Tuesday", library=load_library([scenario_dir]))
        qtbot.waitExposed(room.trainer)
        room.trainer.select_scenario("parcel")
        assert room.trainer.start()
        return room

    return make


def press(qtbot, window, key) -> None:
    """One key to a window, as the trainer presses it (the window has the focus)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, key)


def reply(qtbot, room, text: str) -> None:
    box = room.trainer.reply_box
    box.setFocus()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_two_trainees_alternate_and_one_key_overrides_the_branch(qtbot, classroom):
    room = classroom()
    p, trainer, projector = room.presenter, room.trainer, room.projector
    assert not room.second_screen and projector.isVisible() and trainer.isVisible()
    assert "I was promised this parcel today" in projector.subtitle.text()
    assert projector.answering.text() == "Answering: Ana"
    assert [trainer.trainee_combo.itemText(i) for i in range(trainer.trainee_combo.count())] == ["Ana", "Ben"]

    # Ana calms: the proposal shows before any branch is taken.
    reply(qtbot, room, "I'm so sorry, Sam, I understand how frustrating this is.")
    assert p.phase == "deciding" and p.runner.state.turns == [] and p.runner.state.node_id == "start"
    assert trainer.intent_chip.text() == "Calming"
    assert "Confidence 90%" in trainer.figures.text()
    # Where each decision leads, and the agitation change that will really be applied.
    shown = p.steering().leads[None]
    assert f"agitation {shown.signed_delta} if accepted" in trainer.figures.text()
    leads = [w.text() for w in trainer.findChildren(QLabel) if "</b>: branch" in w.text()]
    assert len(leads) == 3 and "2 as proposed</b>: branch" in leads[0] and "“options”" in leads[0]
    # The node's model answer and coach note, as the debrief will show them.
    texts = [w.text() for w in trainer.findChildren(QLabel)]
    assert "Coach note" in texts and "Apologise and acknowledge before you explain." in texts
    assert any(t.startswith("“I'm really sorry, Sam.") for t in texts)
    assert all(b.isEnabled() for b in trainer.decision_buttons.values())
    assert "Ana: “I'm so sorry" in projector.reply.text()
    press(qtbot, trainer, Qt.Key.Key_2)  # as proposed
    first = p.runner.state.turns[0]
    assert (first.trainee, first.override, first.target) == ("Ana", None, "options")
    assert (first.applied_delta, first.agitation_after) == (shown.applied_delta, shown.agitation_after)
    assert p.trainee == "Ben" and projector.answering.text() == "Answering: Ben"
    assert not any(b.isEnabled() for b in trainer.decision_buttons.values())

    # Ben's reply is proposed as neutral (which would stay on "options"); the trainer calls it calmer.
    reply(qtbot, room, "Let me look at the tracking page.")
    assert trainer.intent_chip.text() == "Neutral"
    press(qtbot, trainer, Qt.Key.Key_1)
    second = p.runner.state.turns[1]
    assert (second.trainee, second.override, second.target) == ("Ben", "calmer", "sorted")
    assert p.runner.outcome == "resolved" and p.phase == "ended"
    assert projector.outcome.isVisible() and projector.outcome.text() == "Resolved"
    assert trainer.turns.count() == 2 and "overridden: calmer" in trainer.turns.item(1).text()

    saved = room.trainer.ctx.store.load(p.record.session_id)
    assert [(t.trainee, t.override) for t in saved.state.turns] == [("Ana", None), ("Ben", "calmer")]
    assert saved.class_name == "Tuesday" and not saved.trainee  # the class's session
    assert saved.closed and saved.state.outcome == "resolved"
    assert trainer.debrief_button.isVisible()
    with qtbot.waitSignal(room.debrief_requested) as sent:
        trainer.debrief_button.click()
    assert sent.args == [p.record.session_id]


def test_escalate_from_the_projector_window_with_the_arrow_key(qtbot, classroom):
    room = classroom()
    p = room.presenter
    reply(qtbot, room, "I'm so sorry about that.")
    press(qtbot, room.projector, Qt.Key.Key_Right)  # escalate, pressed while the projector has the focus
    turn = p.runner.state.turns[0]
    assert turn.judgement.intent == "deescalate"  # the proposal is kept as it was...
    assert turn.override == "escalate" and turn.target == "start"  # ...the branch follows the override
    assert turn.agitation_after > turn.agitation_before
    saved = room.trainer.ctx.store.load(p.record.session_id)
    assert saved.state.turns[0].override == "escalate"


def test_keys_do_nothing_until_a_reply_is_proposed_and_typing_digits_is_just_typing(qtbot, classroom):
    room = classroom()
    press(qtbot, room.trainer, Qt.Key.Key_3)
    assert room.presenter.runner.state.turns == []
    room.trainer.reply_box.setFocus()
    qtbot.keyClicks(room.trainer.reply_box, "Order 123")
    assert room.trainer.reply_box.text() == "Order 123" and room.presenter.runner.state.turns == []


def test_switching_the_active_trainee_and_adding_a_name(qtbot, classroom):
    room = classroom()
    p, trainer = room.presenter, room.trainer
    trainer.rotate.setChecked(False)
    trainer.trainee_combo.setCurrentIndex(1)  # click the combo, click "Ben"
    trainer.trainee_combo.activated.emit(1)
    assert p.trainee == "Ben"
    reply(qtbot, room, "Sorry for the wait.")
    press(qtbot, trainer, Qt.Key.Key_Down)
    assert p.runner.state.turns[0].trainee == "Ben" and p.trainee == "Ben"  # no rotation when it is off

    trainer.add_name.setText("Cleo")
    trainer.add_name_button.click()
    assert [t.name for t in trainer.ctx.store.trainees("Tuesday")] == ["Ana", "Ben", "Cleo"]
    press(qtbot, trainer, Qt.Key.Key_N)
    assert p.trainee == "Cleo" and trainer.trainee_combo.currentText() == "Cleo"


def test_pause_and_repeat_the_customer(qtbot, classroom):
    voice = FakeVoice()
    from simulator.ui.context import Devices

    room = classroom(devices=Devices(voice=voice),
                     settings=Settings(first_run_done=True, trainee_name="", voice_enabled=True))
    p = room.presenter
    assert p.phase == "speaking" and len(voice.spoken) == 1
    press(qtbot, room.trainer, Qt.Key.Key_P)
    assert p.paused and voice.stops == 1 and room.projector.paused_tag.isVisible()
    assert room.trainer.pause_button.text() == "Carry on (P)"
    press(qtbot, room.trainer, Qt.Key.Key_P)
    assert not p.paused and len(voice.spoken) == 2  # carrying on: the line is said again
    voice.finish()
    assert p.phase == "your_turn"

    press(qtbot, room.trainer, Qt.Key.Key_R)
    assert p.runner.state.repeats == 1 and len(voice.spoken) == 3 and p.runner.state.turns == []
    assert room.trainer.ctx.store.load(p.record.session_id).state.repeats == 1

    # Pausing while a reply waits for the decision: the decision is taken, the customer waits.
    voice.finish()
    reply(qtbot, room, "I'm sorry, I understand.")
    press(qtbot, room.trainer, Qt.Key.Key_P)
    press(qtbot, room.trainer, Qt.Key.Key_2)
    assert len(p.runner.state.turns) == 1 and len(voice.spoken) == 3  # not spoken while paused
    press(qtbot, room.trainer, Qt.Key.Key_P)
    assert len(voice.spoken) == 4 and "what are you going to do" in voice.spoken[-1][1]
    room.close()
    assert not room.projector.isVisible()


def test_projector_goes_full_screen_on_a_second_screen():
    from simulator.ui.classroom.windows import place_windows

    primary, second = MagicMock(), MagicMock()
    primary.availableGeometry.return_value = QRect(0, 0, 1920, 1040)
    second.geometry.return_value = QRect(1920, 0, 1920, 1080)
    projector, trainer = MagicMock(), MagicMock()
    trainer.width.return_value, trainer.height.return_value = 1180, 780
    assert place_windows(projector, trainer, [primary, second], primary)
    projector.setScreen.assert_called_once_with(second)
    projector.showFullScreen.assert_called_once()
    trainer.setScreen.assert_called_once_with(primary)
    trainer.resize.assert_called_once_with(1180, 780)  # its usual size: the screen has room for it
    trainer.show.assert_called_once()


def test_an_override_from_the_main_window_s_classroom_is_in_the_records_the_debrief_and_the_reports(
        qtbot, window, tmp_path):
    import csv
    import shutil
    import subprocess

    import sqlalchemy as sa

    from simulator.records.reports import build_report, write_csv
    from simulator.records.schema import trainees as trainees_table
    from simulator.records.schema import turns as turns_table

    store = window.ctx.store
    for name in ("Ana", "Ben"):
        store.add_trainee(name, "Tuesday")
    window.show_roster()
    window.roster.refresh(select="Tuesday")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)  # Classroom mode
    room = window.classroom
    trainer, p = room.trainer, room.presenter
    qtbot.waitExposed(trainer)
    assert trainer.scenario_combo.currentData() == "parcel"
    trainer.class_combo.setCurrentText("Tuesday")
    qtbot.mouseClick(trainer.start_button, Qt.MouseButton.LeftButton)
    assert p.trainee == "Ana"

    reply(qtbot, room, "Let me check the tracking.")
    # The proposal is on the trainer's window before any branch is taken.
    assert trainer.intent_chip.text() == "Neutral" and p.runner.state.turns == []
    press(qtbot, trainer, Qt.Key.Key_3)  # override: escalate
    reply(qtbot, room, "I'm so sorry, I understand.")
    press(qtbot, trainer, Qt.Key.Key_2)  # as proposed
    session_id = p.record.session_id

    # In the database: each turn's trainee and the override.
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(trainees_table.c.name, turns_table.c.override)
                            .join(trainees_table, trainees_table.c.id == turns_table.c.trainee_id)
                            .where(turns_table.c.session_id == session_id)
                            .order_by(turns_table.c.turn_index)).all()
    assert [tuple(r) for r in rows] == [("Ana", "escalate"), ("Ben", None)]

    # The debrief, opened from the trainer's window, says who answered and marks the override.
    trainer.end_button.click()
    with qtbot.waitSignal(room.debrief_requested):
        trainer.debrief_button.click()
    debrief = window.debrief
    assert window.stack.currentWidget() is debrief and debrief.record.session_id == session_id
    assert debrief.subheading.text().startswith("Classroom: Ana, Ben")
    notes = [c.findChild(type(debrief.subheading), "classroomNote") for c in debrief.cards]
    assert "Answered by <b>Ana</b>" in notes[0].text() and "Trainer override: escalate" in notes[0].text()
    assert "Answered by <b>Ben</b>" in notes[1].text() and "override" not in notes[1].text()

    # The reports: the CSV has the override and who answered; the PDF says so in words.
    report = build_report(store, class_name="Tuesday")
    write_csv(report, tmp_path / "class.csv")
    table = list(csv.DictReader((tmp_path / "class.csv").open(encoding="utf-8-sig")))
    assert [(r["answered_by"], r["override"]) for r in table] == [("Ana", "escalate"), ("Ben", "")]
    if shutil.which("pdftotext"):
        from simulator.reports.pdf import write_pdf

        write_pdf(build_report(store, session_id=session_id), tmp_path / "session.pdf")
        text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "session.pdf"), "-"], check=True,
                                       capture_output=True, text=True).stdout.split())
        assert "trainer judged it escalating" in text and "1 trainer override" in text
        assert "Ana:" in text and "Ben:" in text
    room.close()


def test_the_trainer_s_keys_work_whatever_has_the_focus_but_a_text_box_being_typed_in(qtbot, classroom):
    from PySide6.QtWidgets import QApplication

    room = classroom()
    p, trainer = room.presenter, room.trainer
    trainer.activateWindow()
    qtbot.waitUntil(trainer.isActiveWindow, timeout=2000)

    def key(k) -> None:
        """A real key press to whatever has the focus."""
        qtbot.keyClick(QApplication.focusWidget() or trainer, k)

    qtbot.waitUntil(lambda: p.phase in ("your_turn", "speaking"), timeout=5000)
    # At the trainee's turn the reply box does not take the focus: P, R and N are the trainer's.
    assert not trainer.reply_box.hasFocus()
    key(Qt.Key.Key_P)
    assert p.paused and trainer.reply_box.text() == ""
    key(Qt.Key.Key_P)
    assert not p.paused
    repeats = p.runner.state.repeats
    key(Qt.Key.Key_R)
    assert p.runner.state.repeats == repeats + 1
    # From the list of trainees, too: N is the next trainee, not a jump to a name starting with N.
    trainer.trainee_combo.setFocus()
    key(Qt.Key.Key_N)
    assert p.trainee == "Ben" and trainer.reply_box.text() == ""

    # Typing in the reply box types (a reply may start with P); Escape leaves it and the keys act again.
    reply(qtbot, room, "Please, let me check.")
    assert p.phase == "deciding" and p.pending[0].text == "Please, let me check."
    trainer.turns.setFocus()  # the list of turns: the arrows are the trainer's, not the list's
    key(Qt.Key.Key_Left)  # calmer
    assert p.runner.state.turns[-1].override == "calmer"
    qtbot.waitUntil(lambda: p.phase in ("your_turn", "speaking"), timeout=5000)
    assert not trainer.reply_box.hasFocus()
    trainer.reply_box.setFocus()
    qtbot.keyClicks(trainer.reply_box, "Nr")
    assert trainer.reply_box.text() == "Nr" and p.trainee == "Ana"
    qtbot.keyClick(trainer.reply_box, Qt.Key.Key_Escape)
    assert not trainer.reply_box.hasFocus()
    key(Qt.Key.Key_N)
    assert p.trainee == "Ben"


def test_the_trainer_takes_any_branch_of_the_node_with_one_click(qtbot, classroom):
    room = classroom()
    p, trainer = room.presenter, room.trainer
    reply(qtbot, room, "I'm so sorry, Sam, I understand how frustrating this is.")
    labels = [b.text() for b in trainer.branch_buttons]
    assert len(labels) == 3
    assert labels[0].startswith("Branch 1 → ends escalated")
    assert labels[0].endswith("\nwhen: triggers calm_down, threat, insult, dismissal")
    assert labels[2].startswith("Branch 3 → “start”") and labels[2].endswith("\nwhen: otherwise")
    # Every button's text fits the trainer's window at 1280x720 (one centred line was cut at both ends).
    trainer.resize(1280, 720)
    qtbot.wait(20)
    assert all(b.width() >= b.fontMetrics().horizontalAdvance(line) for b in trainer.branch_buttons
               for line in b.text().split("\n")[:1] if len(line) < 70)
    # The judgement proposes the calming branch; the trainer keeps Sam where he is instead.
    qtbot.mouseClick(trainer.branch_buttons[2], Qt.MouseButton.LeftButton)
    turn = p.runner.state.turns[0]
    assert (turn.override, turn.branch_index, turn.target) == ("branch", 2, "start")
    assert turn.judgement.intent == "deescalate"  # the proposal is kept with the turn
    assert trainer.branch_buttons == [] and "branch chosen by the trainer" in trainer.turns.item(0).text()
    saved = trainer.ctx.store.load(p.record.session_id)
    assert (saved.state.turns[0].override, saved.state.turns[0].branch_index) == ("branch", 2)


def test_the_trainer_notes_a_turn_and_the_session_while_the_keys_wait_and_work_again_after(qtbot, classroom):
    from PySide6.QtWidgets import QApplication

    from simulator.ui.widgets.note_box import SAVE_AFTER_MS

    room = classroom()
    p, trainer, store = room.presenter, room.trainer, room.presenter.ctx.store
    session_id = p.record.session_id

    def key(k) -> None:
        """A real key press to whatever has the focus."""
        qtbot.keyClick(QApplication.focusWidget() or trainer, k)

    assert not trainer.turn_note.isEnabled()  # no turn yet to note
    reply(qtbot, room, "Let me check the tracking.")
    press(qtbot, trainer, Qt.Key.Key_2)
    assert trainer.turn_note_label.text() == "Note on turn 1" and trainer.turn_note.isEnabled()

    # Typing a note types, whatever the letters: no decision, pause, repeat or next trainee.
    qtbot.waitUntil(lambda: p.phase in ("your_turn", "speaking"), timeout=5000)
    trainer.turn_note.setFocus()
    repeats, trainee = p.runner.state.repeats, p.trainee
    qtbot.keyClicks(trainer.turn_note, "Ana 1 2 3 P R N: rushed")
    assert trainer.turn_note.toPlainText() == "Ana 1 2 3 P R N: rushed"
    assert (p.paused, p.runner.state.repeats, p.trainee, len(p.runner.state.turns)) == (False, repeats, trainee, 1)
    # Saved while typing, without leaving the box (nothing lost if the app is killed now).
    qtbot.waitUntil(lambda: store.load(session_id).state.turns[0].trainer_note == "Ana 1 2 3 P R N: rushed",
                    timeout=SAVE_AFTER_MS + 2000)

    # A reply judged meanwhile does not take the focus from the note: its digits stay words.
    assert p.submit_text("I'm sorry, I understand.")
    assert p.phase == "deciding" and trainer.turn_note.hasFocus()
    qtbot.keyClicks(trainer.turn_note, " 2")
    assert p.phase == "deciding" and len(p.runner.state.turns) == 1
    # Enter ends the note and saves it at once; the keys are the trainer's again.
    qtbot.keyClick(trainer.turn_note, Qt.Key.Key_Return)
    assert not trainer.turn_note.hasFocus()
    assert store.load(session_id).state.turns[0].trainer_note == "Ana 1 2 3 P R N: rushed 2"
    key(Qt.Key.Key_2)
    assert len(p.runner.state.turns) == 2 and trainer.turn_note_label.text() == "Note on turn 2"
    assert trainer.turns.item(0).text().endswith("✎")  # turn 1 has a note

    # The session's note; Escape leaves it and P pauses again.
    qtbot.waitUntil(lambda: p.phase in ("your_turn", "speaking", "ended"), timeout=5000)
    trainer.session_note.setFocus()
    qtbot.keyClicks(trainer.session_note, "Pairs well; practise naming the feeling")
    qtbot.keyClick(trainer.session_note, Qt.Key.Key_Escape)
    assert not trainer.session_note.hasFocus()
    assert store.load(session_id).trainer_note == "Pairs well; practise naming the feeling"
    if p.phase != "ended":
        key(Qt.Key.Key_P)
        assert p.paused

    # A note on an earlier turn, chosen in "Turns so far".
    trainer.turns.setCurrentRow(0)
    assert trainer.turn_note_label.text() == "Note on turn 1"
    assert trainer.turn_note.toPlainText() == "Ana 1 2 3 P R N: rushed 2"

    # A new session starts with empty notes; a note typed just before "Start again" lands on the old session.
    trainer.session_note.setFocus()
    qtbot.keyClicks(trainer.session_note, ".")
    assert trainer.start()
    assert p.record.session_id != session_id
    assert store.load(session_id).trainer_note == "Pairs well; practise naming the feeling."
    assert trainer.session_note.toPlainText() == "" and trainer.turns.count() == 0
    assert not trainer.turn_note.isEnabled()
    room.close()


def test_a_note_left_in_the_box_is_saved_when_classroom_mode_closes(qtbot, classroom):
    room = classroom()
    p, trainer = room.presenter, room.trainer
    session_id = p.record.session_id
    trainer.session_note.setFocus()
    qtbot.keyClicks(trainer.session_note, "Stopped early: fire drill")
    room.close()  # at once, before the pause that saves a note being typed
    assert p.ctx.store.load(session_id).trainer_note == "Stopped early: fire drill"


LONG_LINE = ("“Look, I wouldn't normally make a fuss. But it's my daughter's school recital tonight, she's got a solo, "
             "and I need to leave in about fifteen minutes, so I need that parcel now, not tomorrow, not later, now.”")


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_on_one_screen_the_projector_takes_a_readable_share_beside_the_trainer_and_its_line_fits(
        qtbot, classroom, size):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    from simulator.ui.classroom.windows import place_windows

    width, height = size
    room = classroom()
    screen = MagicMock()
    screen.availableGeometry.return_value = QRect(0, 0, width, height)
    assert not place_windows(room.projector, room.trainer, [screen], screen)
    projector, trainer = room.projector, room.trainer
    QApplication.processEvents()
    shown, beside = projector.frameGeometry(), trainer.frameGeometry()
    # A good share of the screen, its full height, and the trainer's window beside it, not over it.
    assert shown.width() >= max(480, width * 0.35) and shown.height() >= height - 40
    assert beside.left() > shown.right() and beside.right() < width
    assert beside.width() >= trainer.minimumSizeHint().width()
    # The customer's longest line fits its box, at a size a class reads, and the box is inside the window.
    projector.subtitle.setText(LONG_LINE)
    QApplication.processEvents()
    line = projector.subtitle
    assert line.fits(line.pixel_size) and line.pixel_size >= (20 if width < 1600 else 28), line.pixel_size
    corner = line.mapTo(projector, QPoint(line.width(), line.height()))
    assert projector.rect().contains(corner)
    # What the trainer's window shows at an ending ("Open debrief" too) does not widen it off the screen.
    reply(qtbot, room, "Calm down, it's only a parcel.")
    press(qtbot, trainer, Qt.Key.Key_2)
    QApplication.processEvents()
    assert room.presenter.phase == "ended" and trainer.debrief_button.isVisible()
    assert trainer.frameGeometry().right() < width and trainer.minimumSizeHint().width() <= trainer.width()
    room.close()


def test_a_new_session_clears_what_the_projector_showed_of_the_last(qtbot, classroom):
    room = classroom()
    p, trainer, projector = room.presenter, room.trainer, room.projector
    reply(qtbot, room, "Calm down, it's only a parcel.")
    press(qtbot, trainer, Qt.Key.Key_2)  # escalated: the ending is up
    assert p.phase == "ended" and projector.outcome.isVisible()
    assert projector.reply.text() == "Ana: “Calm down, it's only a parcel.”"
    assert not projector.answering.isVisible()  # nobody answers an ended session
    assert trainer.start()
    assert projector.reply.text() == "" and not projector.outcome.isVisible()
    assert projector.answering.isVisible() and projector.answering.text() == "Answering: Ana"
    assert "I was promised this parcel today" in projector.subtitle.text()
    room.close()


def test_with_a_projector_screen_the_trainers_window_fits_the_laptops_screen(qtbot, classroom):
    from PySide6.QtWidgets import QApplication

    from simulator.ui.classroom.windows import place_windows

    room = classroom()
    trainer = room.trainer
    laptop, second, projector = MagicMock(), MagicMock(), MagicMock()
    laptop.availableGeometry.return_value = QRect(0, 0, 1280, 720)
    second.geometry.return_value = QRect(1280, 0, 1920, 1080)
    trainer.setScreen = lambda screen: None  # a stand-in screen is no QScreen; the size is what is tested
    assert place_windows(projector, trainer, [laptop, second], laptop)
    projector.showFullScreen.assert_called_once()
    QApplication.processEvents()
    assert QRect(0, 0, 1280, 720).contains(trainer.frameGeometry()), trainer.frameGeometry()
    room.close()


def test_a_new_class_named_in_the_trainers_window_is_chosen(qtbot, classroom, monkeypatch):
    from simulator.ui import dialogs

    room = classroom()
    trainer = room.trainer
    monkeypatch.setattr(dialogs, "ask_text", lambda *a: None)  # cancelled: nothing changes
    trainer.new_class.click()
    assert trainer.ctx.store.classes() == ["Tuesday"]
    monkeypatch.setattr(dialogs, "ask_text", lambda *a: "Thursday")
    trainer.new_class.click()
    assert "Thursday" in trainer.ctx.store.classes() and trainer.class_combo.currentText() == "Thursday"
