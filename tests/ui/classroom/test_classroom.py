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
    from simulator.ui.classroom.trainer import Classroom

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
    assert place_windows(projector, trainer, [primary, second], primary)
    projector.setScreen.assert_called_once_with(second)
    projector.showFullScreen.assert_called_once()
    trainer.setScreen.assert_called_once_with(primary)
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
