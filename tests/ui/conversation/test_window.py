"""A whole scenario played with typed replies through the real window, then its debrief."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui


def type_reply(qtbot, win, text: str) -> None:
    page = win.conversation
    page.reply_box.setFocus()
    qtbot.keyClicks(page.reply_box, text)
    qtbot.keyClick(page.reply_box, Qt.Key.Key_Return)


def start_parcel(qtbot, win):
    lib = win.library
    qtbot.waitUntil(lambda: not lib.loading)  # the library loads on the task runner
    assert [c.scenario.id for c in lib.cards] == ["parcel"]
    qtbot.mouseClick(lib.cards[0].start, Qt.MouseButton.LeftButton)
    page = win.conversation
    assert win.stack.currentWidget() is page
    assert page.stack.currentWidget() is page.briefing
    assert "parcel was promised" in page.brief_text.text()
    qtbot.mouseClick(page.begin_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.talk
    return page


def test_full_conversation_with_typed_replies_then_debrief(qtbot, window, judge):
    win = window
    assert not win.sidebar.isHidden()
    page = start_parcel(qtbot, win)
    assert win.sidebar.isHidden()
    assert page.bubbles[-1].text_value == "I was promised this parcel today. Where is it?"
    assert page.meter.value == 60
    assert "Type what you would say" in page.phase_label.text()  # no microphone in this context

    type_reply(qtbot, win, "I'm so sorry, Sam, I understand how frustrating this is.")
    assert judge.calls == ["I'm so sorry, Sam, I understand how frustrating this is."]
    assert page.bubbles[-2].text_value.startswith("I'm so sorry")
    assert page.bubbles[-1].text_value == "Fine. So what are you going to do about it?"
    assert page.meter.value < 60
    # Saved after the turn, not closed yet.
    records = win.ctx.store.all()
    assert len(records) == 1 and len(records[0].state.turns) == 1 and not records[0].closed

    type_reply(qtbot, win, "I'm sorry. I can refund you right now, or redeliver tomorrow.")
    assert page.reply_stack.currentWidget() is page.ending_panel
    assert page.outcome_chip.text() == "Resolved"
    record = win.ctx.store.all()[0]
    assert record.closed and record.state.outcome == "resolved" and len(record.state.turns) == 2

    qtbot.mouseClick(page.debrief_button, Qt.MouseButton.LeftButton)
    debrief = win.debrief
    assert win.stack.currentWidget() is debrief
    assert len(debrief.cards) == 2
    assert debrief.chart.values[0] == 60 and debrief.chart.values[-1] < 60
    assert debrief.score is not None and debrief.score.total > 70
    assert debrief.outcome.text() == "Resolved"
    first = debrief.cards[0]
    texts = " ".join(w.text() for w in first.findChildren(type(page.phase_label)))
    assert "I'm really sorry, Sam" in texts  # the model answer from the node
    assert "Apologising" in texts
    assert "Answered by" not in texts, "a session played alone has no classroom notes"
    assert all(c.findChild(type(page.phase_label), "classroomNote") is None for c in debrief.cards)
    assert win.ctx.store.all()[0].score == debrief.score.total

    # Try again from the second turn: a new session that starts with the first turn kept.
    qtbot.mouseClick(debrief.cards[1].retry, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is page
    qtbot.mouseClick(page.begin_button, Qt.MouseButton.LeftButton)
    assert page.bubbles[-1].text_value == "Fine. So what are you going to do about it?"
    type_reply(qtbot, win, "Calm down, it's only a parcel.")
    assert page.outcome_chip.text() == "Escalated"
    sessions = win.ctx.store.all()
    assert len(sessions) == 2
    assert {s.state.outcome for s in sessions} == {"resolved", "escalated"}


def test_best_result_shows_on_the_card(qtbot, window):
    win = window
    page = start_parcel(qtbot, win)
    type_reply(qtbot, win, "Calm down.")
    assert page.outcome_chip.text() == "Escalated"
    qtbot.mouseClick(page.debrief_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(win.debrief.back_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.library
    assert win.library.cards[0].best_label.text() == "Best: Escalated"


def test_leave_for_later_then_resume(qtbot, window, answer):
    win = window
    page = start_parcel(qtbot, win)
    type_reply(qtbot, win, "Hello, can I have your order number?")
    answer("leave", "later")
    qtbot.mouseClick(page.leave_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.library
    lib = win.library
    assert lib.resume_banner.isVisible()
    assert "1 exchange saved" in lib.resume_banner.text.text()
    qtbot.mouseClick(lib.resume_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is page
    assert page.brief_resumed.isVisible()
    qtbot.mouseClick(page.begin_button, Qt.MouseButton.LeftButton)
    # The earlier exchange is back in the transcript, then the customer's current line.
    assert [b.text_value for b in page.bubbles][:2] == ["I was promised this parcel today. Where is it?",
                                                        "Hello, can I have your order number?"]
    type_reply(qtbot, win, "I'm sorry, I understand.")
    records = win.ctx.store.all()
    assert len(records) == 1 and len(records[0].state.turns) == 2


def test_pause_restart_and_end_early(qtbot, window, answer):
    win = window
    page = start_parcel(qtbot, win)
    type_reply(qtbot, win, "What's the order number?")
    qtbot.keyClick(page.reply_box, Qt.Key.Key_Escape)
    assert page.presenter.paused and page.stack.currentWidget() is page.paused_panel
    # Nothing can be sent while paused.
    assert not page.presenter.submit_text("Hello?")
    qtbot.mouseClick(page.resume_button, Qt.MouseButton.LeftButton)
    assert not page.presenter.paused and page.stack.currentWidget() is page.talk

    answer("restart", "stay")
    qtbot.mouseClick(page.restart_button, Qt.MouseButton.LeftButton)
    assert len(page.presenter.runner.state.turns) == 1  # kept going
    answer("restart", "restart")
    qtbot.mouseClick(page.restart_button, Qt.MouseButton.LeftButton)
    assert page.presenter.runner.state.turns == []
    old = win.ctx.store.all()
    assert len(old) == 1 and old[0].closed and len(old[0].state.turns) == 1

    qtbot.mouseClick(page.begin_button, Qt.MouseButton.LeftButton)
    type_reply(qtbot, win, "Give me a second.")
    answer("leave", "end")
    qtbot.mouseClick(page.leave_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.debrief
    assert win.debrief.outcome.text() == "Not finished"
    assert len(win.debrief.cards) == 1


def test_empty_reply_is_not_judged(qtbot, window, judge):
    win = window
    page = start_parcel(qtbot, win)
    type_reply(qtbot, win, "   ")
    assert judge.calls == []
    assert page.notice.isVisible()


def test_real_judge_on_worker_threads(qtbot, make_context):
    """The rubric judge from simulator.analysis, run by the real thread pool: the window waits, never blocks."""
    judge_module = pytest.importorskip("simulator.analysis.judge")
    from simulator.devices.workers import TaskPool
    from simulator.ui.main_window import MainWindow

    ctx = make_context(judge_=judge_module.RubricJudge())
    ctx.tasks = TaskPool()
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    page = start_parcel(qtbot, win)
    for reply, expected in (("I'm so sorry, Sam, I understand how frustrating this is.", 1),
                            ("I'm sorry. I can refund you right now, or redeliver it tomorrow.", 2)):
        type_reply(qtbot, win, reply)
        assert page.presenter.busy or len(page.presenter.runner.state.turns) == expected
        qtbot.waitUntil(lambda n=expected: len(page.presenter.runner.state.turns) == n and not page.presenter.busy,
                        timeout=5000)
    assert page.outcome_chip.text() == "Resolved"
    page.presenter.show_debrief()
    card = win.debrief.cards[0]
    found = " ".join(w.text() for w in card.findChildren(type(page.phase_label)))
    # Each technique is named with the words it was found in, once (not again among the explanations).
    assert "✓ Apologising" in found and "in “I'm so sorry" in found
    assert "You apologised" not in found
    assert ctx.tasks.wait(2000)


def test_enter_presses_the_highlighted_start_conversation(qtbot, window):
    lib = window.library
    qtbot.waitUntil(lambda: not lib.loading)
    qtbot.mouseClick(lib.cards[0].start, Qt.MouseButton.LeftButton)
    page = window.conversation
    assert page.stack.currentWidget() is page.briefing and page.begin_button.hasFocus()
    qtbot.keyClick(page.begin_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.talk, timeout=2000)
    # In the reply box Enter still sends the reply (and only once).
    type_reply(qtbot, window, "Hello there")
    assert [b.text_value for b in page.bubbles].count("Hello there") == 1


def test_no_speakers_is_said_on_the_conversation_screen(qtbot, make_context):
    from simulator.settings import Settings
    from simulator.ui.main_window import MainWindow

    win = MainWindow(make_context(Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True)))
    qtbot.addWidget(win)
    win.show()
    page = start_parcel(qtbot, win)
    assert page.no_voice.isVisible() and "No speakers" in page.no_voice.text()
    assert page.subtitles.isChecked() and not page.subtitles.isEnabled()


def test_a_voice_turned_off_by_choice_is_not_called_missing(qtbot, window):
    page = start_parcel(qtbot, window)
    assert not page.no_voice.isVisible()


@pytest.mark.parametrize("value", [0, 50, 100])
def test_the_agitation_meters_knob_is_whole_at_either_end(qtbot, value):
    from PySide6.QtCore import QRectF

    from simulator.ui.widgets.meter import AgitationMeter

    meter = AgitationMeter()
    qtbot.addWidget(meter)
    meter.resize(300, meter.sizeHint().height())
    meter.set_value(value, animate=False)
    assert QRectF(meter.rect()).contains(meter.knob_rect())
    assert not meter.grab().isNull()


def test_words_the_recogniser_was_unsure_of_are_marked_in_the_transcript(qtbot, window):
    from simulator.engine.judgement import HeardWord
    from simulator.ui.heard import UNSURE_NOTE

    page = start_parcel(qtbot, window)
    text = "Sorry, that was our mistake."
    words = [HeardWord("Sorry,", 0.97), HeardWord("that", 0.95), HeardWord("was", 0.9), HeardWord("our", 0.4),
             HeardWord("mistake.", 0.93)]
    page.add_trainee_reply(text, True, words)
    bubble = page.bubbles[-1]
    assert bubble.text_value == text and bubble.unsure == ["our"]
    assert "underline" in bubble.text.text() and ">our</span>" in bubble.text.text()
    assert bubble.unsure_note is not None and bubble.unsure_note.text() == UNSURE_NOTE
    page.add_trainee_reply("All sure here", True, [HeardWord("All", 0.9), HeardWord("sure", 0.9), HeardWord("here", 0.9)])
    assert page.bubbles[-1].unsure == [] and page.bubbles[-1].unsure_note is None
    page.add_trainee_reply("<b>typed</b>", False)
    assert page.bubbles[-1].text.text() == "<b>typed</b>" and page.bubbles[-1].unsure_note is None


def test_a_typed_reply_that_looks_like_html_is_shown_as_typed(qtbot):
    from simulator.ui.conversation.view import Bubble

    bubble = Bubble("You", "<b>sorry</b> <3", customer=False)
    qtbot.addWidget(bubble)
    assert bubble.text.textFormat() == Qt.TextFormat.PlainText and bubble.text.text() == "<b>sorry</b> <3"
