"""The debrief through the real window: whose reply each turn card shows, in a classroom session and alone."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from simulator.engine.judgement import ToneReading
from simulator.engine.session import SessionState
from simulator.records.sessions import SessionRecord
from tests.records.factories import turn

pytestmark = pytest.mark.gui


def saved_session(store, answered_by: list[str | None], owner: str, *, recording_of: int | None = None) -> str:
    """A session of the inline parcel scenario whose turns were answered by `answered_by` (None: not named)."""
    state = SessionState(scenario_id="parcel", seed=7, node_id="options", agitation=50.0)
    for i, who in enumerate(answered_by):
        audio = None
        if i == recording_of:
            wav = store.recordings.turn_path(state.session_id, i)
            wav.write_bytes(b"RIFF....WAVE")
            audio = str(wav)
        record = turn(i, f"Reply {i}", audio_file=audio)
        judgement = record.judgement.model_copy(update={"tone": CALM_NEAR_CALIBRATION})
        state.turns.append(record.model_copy(update={"trainee": who, "judgement": judgement}))
    store.save(SessionRecord(trainee=owner, scenario_title="The missing parcel", closed=True, state=state))
    return state.session_id


# A spoken reply as tone.judge reads one: calm, its pitch 0.2 semitones from the calibration.
CALM_NEAR_CALIBRATION = ToneReading(label="calm", loudness_db=-24.0,
                                    measurements={"calibrated": 1.0, "arousal": 0.1, "pitch_st_vs_baseline": 0.2})


def speakers(debrief) -> list[str]:
    return [card.speaker.text() for card in debrief.cards]


def test_a_classroom_debrief_names_who_answered_each_turn(qtbot, window):
    win = window
    win.ctx.settings.baseline = {"loudness_db": -25.0}  # the station's Microphone check
    long_name = "Bartholomew Featherstonehaugh-Cholmondeley"
    session_id = saved_session(win.ctx.store, ["Priya", "Ben", long_name], owner="Priya", recording_of=1)

    win.review_session(session_id)
    debrief = win.debrief
    assert win.stack.currentWidget() is debrief
    assert speakers(debrief) == ["Priya said", "Ben said", f"{long_name} said"]
    assert not any("You said" in w.text() for c in debrief.cards for w in c.findChildren(QLabel))
    play = debrief.cards[1].play
    assert play is not None and play.accessibleName() == "Play Ben's reply to turn 2"
    assert play.toolTip() == "Hear Ben's reply"
    # The calibration is the station's recording, not Ben's voice: it is not called his.
    sound = " ".join(w.text() for w in debrief.cards[1].findChildren(QLabel) if "calibration" in w.text())
    assert sound == "Sounded <b>calm</b>, close to the Microphone check's calibration."
    # A long name wraps inside the card instead of widening the page.
    for card in debrief.cards:
        assert card.geometry().right() <= debrief.scroller.viewport().width()


def test_a_session_played_alone_keeps_you_said(qtbot, window):
    win = window
    win.ctx.settings.baseline = {"loudness_db": -25.0}
    session_id = saved_session(win.ctx.store, [None, None], owner="Alex", recording_of=0)

    win.review_session(session_id)
    debrief = win.debrief
    assert speakers(debrief) == ["You said", "You said"]
    assert debrief.cards[0].play.accessibleName() == "Play your reply to turn 1"
    sound = " ".join(w.text() for w in debrief.cards[0].findChildren(QLabel) if "calibration" in w.text())
    assert sound == "Sounded <b>calm</b>, close to your calibration."


def test_the_score_says_why_its_parts_do_not_add_up_when_tone_was_not_measured(qtbot):
    from simulator.engine.scoring import score_session
    from simulator.ui.debrief.view import RubricPanel

    panel = RubricPanel()
    qtbot.addWidget(panel)
    replies = [turn(0, "I'm sorry"), turn(1, "Let me help")]
    typed_replies = [t.model_copy(update={"judgement": t.judgement.model_copy(update={"tone": None})}) for t in replies]
    typed = score_session(typed_replies, "resolved")
    panel.show_score(typed)
    assert panel.note is not None and panel.note.text() == typed.note
    assert f"scaled to {typed.total:g} out of 100" in panel.note.text()


def test_the_tone_sentence_is_shown_once_per_turn(qtbot, window):
    """The judge puts the tone sentence in its explanation too; the card shows it under "How it sounded" only."""
    from simulator.analysis.tone_text import describe

    win = window
    win.ctx.settings.baseline = {"loudness_db": -25.0}
    state = SessionState(scenario_id="parcel", seed=7, node_id="options", agitation=50.0)
    record = turn(0, "Reply 0")
    said = describe(CALM_NEAR_CALIBRATION)
    judgement = record.judgement.model_copy(update={"tone": CALM_NEAR_CALIBRATION,
                                                    "explanation": ["Something else the judge said.", said]})
    state.turns.append(record.model_copy(update={"judgement": judgement}))
    win.ctx.store.save(SessionRecord(trainee="Alex", scenario_title="The missing parcel", closed=True, state=state))

    win.review_session(state.session_id)
    texts = " ".join(w.text() for w in win.debrief.cards[0].findChildren(QLabel))
    assert texts.count("close to your calibration") == 1
    assert "Something else the judge said." in texts


def misheard_session(store, answered_by: str | None = None) -> str:
    """A session whose first reply was spoken and misheard ('sorry' as 'calm down'), the second typed;
    `answered_by`: a classroom session, that trainee answering both."""
    from simulator.engine.judgement import Finding, HeardWord, Judgement

    state = SessionState(scenario_id="parcel", seed=7, node_id="options", agitation=50.0)
    heard = "calm down I'll look"
    misjudged = Judgement(intent="escalate", confidence=0.9, agitation_delta=20, tone=CALM_NEAR_CALIBRATION,
                          transcript=heard, triggers=[Finding(name="calm_down", evidence="calm down")])
    first = turn(0, heard, judged=misjudged).model_copy(update={
        "heard": [HeardWord("calm", 0.35), HeardWord("down", 0.41), HeardWord("I'll", 0.95), HeardWord("look", 0.9)]})
    state.turns += [first, turn(1, "Let me check the van.")]
    if answered_by:
        state.turns = [t.model_copy(update={"trainee": answered_by}) for t in state.turns]
    store.save(SessionRecord(trainee="" if answered_by else "Alex", class_name="Tue" if answered_by else "",
                             scenario_title="The missing parcel", closed=True, state=state))
    return state.session_id


def test_unsure_words_are_marked_and_a_misheard_reply_is_corrected_and_judged_again(qtbot, window):
    from PySide6.QtCore import Qt

    from simulator.ui.heard import UNSURE_NOTE

    win = window
    session_id = misheard_session(win.ctx.store)
    win.review_session(session_id)
    debrief = win.debrief
    spoken, typed = debrief.cards
    assert spoken.unsure == ["calm", "down"] and spoken.unsure_note.isVisibleTo(spoken)
    assert spoken.unsure_note.text() == UNSURE_NOTE and "underline" in spoken.reply_label.text()
    assert typed.correct is None, "a typed reply was not misheard"
    before = debrief.score.total
    assert spoken.intent_chip.text() == "Inflaming"

    # By keyboard: the link opens the editor, Return judges the correction.
    win.activateWindow()
    qtbot.waitActive(win)
    spoken.correct.setFocus()
    qtbot.keyClick(spoken.correct, Qt.Key.Key_Return)
    qtbot.waitUntil(spoken.editor.isVisible)
    box = spoken.correction_box
    assert box.hasFocus() and box.text() == "calm down I'll look"
    box.clear()
    qtbot.keyClicks(box, "sorry, I'll look")
    qtbot.keyClick(box, Qt.Key.Key_Return)

    saved = win.ctx.store.load(session_id)
    first = saved.state.turns[0]
    assert first.reply == "calm down I'll look" and first.judgement.intent == "escalate", "kept as heard"
    assert first.correction is not None and first.correction.reply == "sorry, I'll look"
    assert first.correction.judgement.intent == "deescalate"
    assert saved.score == debrief.score.total > before
    card = debrief.cards[0]
    assert card.speaker.text() == "Heard as" and card.corrected_label.text() == "“sorry, I'll look”"
    assert card.intent_chip.text() == "Calming" and "As heard, this reply was judged inflaming" in card.correction_note.text()
    assert not card.unsure_note.isVisibleTo(card)
    assert card.correct.text() == "Correct again"


def test_a_correction_that_cannot_be_saved_says_so_and_keeps_what_was_heard(qtbot, window, monkeypatch):
    win = window
    session_id = misheard_session(win.ctx.store)
    win.review_session(session_id)
    card = win.debrief.cards[0]
    card.open_editor()
    card.correction_box.setText("")
    card.judge_again.click()
    assert "empty" in card.correction_status.text() and card.editor.isVisible()

    def full(record):
        raise OSError("No space left on device")

    monkeypatch.setattr(win.ctx.store, "save", full)
    card.correction_box.setText("sorry, I'll look")
    card.judge_again.click()
    assert "Not saved: No space left on device" in card.correction_status.text()
    assert card.judge_again.isEnabled()
    monkeypatch.undo()
    assert win.ctx.store.load(session_id).state.turns[0].correction is None


def test_a_classroom_turn_keeps_its_note_after_a_correction(qtbot, window):
    win = window
    win.ctx.store.add_trainee("Priya", "Tue")
    session_id = misheard_session(win.ctx.store, answered_by="Priya")
    win.review_session(session_id)

    def notes() -> list[str]:
        return [w.text() for w in win.debrief.cards[0].findChildren(QLabel) if w.objectName() == "classroomNote"]

    assert notes() and "Priya" in notes()[0]
    card = win.debrief.cards[0]
    card.open_editor()
    card.correction_box.setText("sorry, I'll look")
    card.judge_again.click()
    assert win.debrief.cards[0].corrected_label is not None and notes() and "Priya" in notes()[0]
def test_the_trainer_reads_and_writes_notes_in_the_debrief_after_the_session(qtbot, window):
    from PySide6.QtCore import Qt

    from simulator.ui.widgets.note_box import SAVE_AFTER_MS

    win = window
    store = win.ctx.store
    session_id = saved_session(store, ["Priya", "Ben"], owner="")
    store.save_note(session_id, "Noted in class: Ben froze", turn_index=1)
    store.save_note(session_id, "Good first run")

    win.review_session(session_id)
    debrief = win.debrief
    debrief.show()
    qtbot.waitExposed(debrief)
    # Notes written during the session are shown; a turn without one offers to add one.
    assert debrief.session_note.toPlainText() == "Good first run"
    first, second = debrief.cards
    assert second.note.isVisible() and second.note.toPlainText() == "Noted in class: Ben froze"
    assert not first.note.isVisible() and first.add_note.isVisible()
    qtbot.mouseClick(first.add_note, Qt.MouseButton.LeftButton)
    assert first.note.isVisible() and first.note.hasFocus()
    qtbot.keyClicks(first.note, "Lovely open question")
    qtbot.waitUntil(lambda: store.load(session_id).state.turns[0].trainer_note == "Lovely open question",
                    timeout=SAVE_AFTER_MS + 2000)
    debrief.session_note.setFocus()
    qtbot.keyClicks(debrief.session_note, "; ask Ben to lead next time")
    win.show_library()  # leaving the debrief saves what was typed
    back = store.load(session_id)
    assert back.trainer_note == "Good first run; ask Ben to lead next time"
    assert [t.trainer_note for t in back.state.turns] == ["Lovely open question", "Noted in class: Ben froze"]
