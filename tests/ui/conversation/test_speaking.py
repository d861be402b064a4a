"""Spoken replies through the real window with stand-in audio services: push-to-talk on Space, recordings kept,
say-again, no microphone, voice turns. Judging at a pause and unsure grave words are the presenter's
(tests/ui/conversation/test_presenter.py)."""

from __future__ import annotations

import wave

import pytest
from PySide6.QtCore import Qt

from simulator.settings import Settings
from simulator.ui.context import Devices
from simulator.ui.conversation.presenter import SAY_AGAIN
from tests.ui.fakes import FakeListener, FakeMicrophone, FakeVoice

pytestmark = pytest.mark.gui


@pytest.fixture
def devices():
    return Devices(voice=FakeVoice(), microphone=FakeMicrophone(), listener=FakeListener())


@pytest.fixture
def spoken_window(qtbot, make_context, devices):
    from simulator.ui.main_window import MainWindow

    ctx = make_context(Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True, subtitles=False),
                       devices)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.start_scenario("parcel")
    qtbot.mouseClick(win.conversation.begin_button, Qt.MouseButton.LeftButton)
    return win


def a_wav(path):
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x00\x01" * 16000)
    return path


def test_the_customer_speaks_then_it_is_your_turn(qtbot, spoken_window, devices):
    page = spoken_window.conversation
    voice = devices.voice
    assert voice.spoken[-1][1] == "I was promised this parcel today. Where is it?"
    assert page.presenter.phase == "speaking"
    assert "is speaking" in page.phase_label.text()
    # Subtitles are off by choice: the line is not shown, and toggling shows it.
    assert page.bubbles[-1].text.text() != page.bubbles[-1].text_value
    page.subtitles.setChecked(True)
    assert page.bubbles[-1].text.text() == page.bubbles[-1].text_value
    voice.finish()
    assert page.presenter.phase == "your_turn"
    assert "Hold the Space bar" in page.phase_label.text()


def test_space_is_push_to_talk_and_the_recording_is_kept(qtbot, spoken_window, devices, tmp_path, judge):
    win = spoken_window
    page = win.conversation
    listener = devices.listener
    devices.voice.finish()
    page.talk_button.setFocus()
    page.setFocus()
    qtbot.keyPress(page, Qt.Key.Key_Space)
    assert listener.presses == 1 and page.presenter.phase == "listening"
    listener.partial.emit("I'm so sorry")
    assert page.partial.isVisible() and "so sorry" in page.partial.text()
    qtbot.keyRelease(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: listener.releases == 1, timeout=2000)
    assert page.presenter.phase == "thinking"

    listener.hear("I'm so sorry Sam I understand", wav_path=a_wav(tmp_path / "reply.wav"), confidence=0.8)
    record = win.ctx.store.all()[0]
    turn = record.state.turns[0]
    kept = win.ctx.store.recordings.turn_path(record.session_id, 0)
    assert turn.audio_file == str(kept) and kept.is_file()
    assert turn.reply == "I'm so sorry Sam I understand"
    assert page.bubbles[-2].text_value == "I'm so sorry Sam I understand"
    assert devices.voice.spoken[-1][1] == "Fine. So what are you going to do about it?"

    # Once the trainee has started typing, Space is just a space.
    devices.voice.finish()
    page.reply_box.setFocus()
    qtbot.keyClicks(page.reply_box, "I")
    qtbot.keyClick(page.reply_box, Qt.Key.Key_Space)
    assert listener.presses == 1 and page.reply_box.text() == "I "

    # The debrief offers the recording and describes the (spoken) tone.
    page.reply_box.setText("I can refund you now, sorry.")
    page._on_send_clicked()
    page.presenter.show_debrief()
    card = win.debrief.cards[0]
    assert card.play is not None
    assert "Sounded <b>calm</b>" in " ".join(w.text() for w in card.findChildren(type(page.phase_label)))


def test_playing_a_recording_without_speakers_says_so(qtbot, spoken_window, devices, tmp_path, monkeypatch):
    from simulator.ui.debrief import view as debrief

    win = spoken_window
    page = win.conversation
    devices.voice.finish()
    page.setFocus()
    qtbot.keyPress(page, Qt.Key.Key_Space)
    qtbot.keyRelease(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: devices.listener.releases == 1, timeout=2000)
    devices.listener.hear("I'm so sorry Sam I understand", wav_path=a_wav(tmp_path / "reply.wav"), confidence=0.8)
    page.presenter.show_debrief()
    monkeypatch.setattr(debrief, "has_speakers", lambda: False)
    card = win.debrief.cards[0]
    qtbot.mouseClick(card.play, Qt.MouseButton.LeftButton)
    assert card.play_note.isVisible() and "No speakers found" in card.play_note.text()
    assert card.play.text() == "▶ Play"


def mumble(page, devices) -> None:
    """The customer has spoken; the trainee talks, and the recogniser is unsure of what it heard."""
    devices.voice.finish()
    page.presenter.press_to_talk()
    page.presenter.release_to_talk()
    devices.listener.hear("I'm sorry bam", confidence=0.2)


def test_low_confidence_makes_the_customer_ask_again(qtbot, spoken_window, devices, judge):
    page = spoken_window.conversation
    mumble(page, devices)
    assert judge.calls == []  # never a silent wrong judgement
    assert page.bubbles[-1].text_value == SAY_AGAIN
    assert devices.voice.spoken[-1][1] == SAY_AGAIN
    assert page.notice.isVisible() and "type your reply" in page.notice.text.text()
    assert page.presenter.runner.state.repeats == 1 and page.presenter.runner.state.turns == []
    devices.voice.finish()
    devices.listener.hear("", low_confidence=True)
    assert page.presenter.runner.state.repeats == 2
    # Typing still works, and the reply taken, the "wasn't sure it heard you" notice goes.
    page.reply_box.setText("I'm sorry, I understand.")
    page._on_send_clicked()
    assert judge.calls == ["I'm sorry, I understand."]
    assert not page.notice.isVisible()


def test_a_notice_that_replaced_the_say_again_hint_stays(qtbot, spoken_window, devices, judge):
    page = spoken_window.conversation
    mumble(page, devices)
    page.show_notice("Your session could not be saved: the disk is full.", "danger")
    page.reply_box.setText("I'm sorry, I understand.")
    page._on_send_clicked()
    assert page.notice.isVisible() and "could not be saved" in page.notice.text.text()


def test_no_microphone_means_typing(qtbot, make_context):
    from simulator.ui.main_window import MainWindow

    win = MainWindow(make_context(devices=Devices(voice=FakeVoice(available=False))))
    qtbot.addWidget(win)
    win.start_scenario("parcel")
    page = win.conversation
    assert "Type what you would say" in page.brief_how.text()
    qtbot.mouseClick(page.begin_button, Qt.MouseButton.LeftButton)
    assert page.talk_row.isHidden()
    assert "No microphone was found" in page.no_mic.text()
    # No voice: subtitles are shown and can't be turned off.
    assert page.subtitles.isChecked() and not page.subtitles.isEnabled()
    assert not page.presenter.press_to_talk()


def _begin(qtbot, make_context, devices, mode):
    """The real window with these devices, the customer's voice on, the conversation begun."""
    from simulator.ui.main_window import MainWindow

    settings = Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True, listen_mode=mode)
    win = MainWindow(make_context(settings, devices))
    qtbot.addWidget(win)
    win.show()
    win.start_scenario("parcel")
    qtbot.mouseClick(win.conversation.begin_button, Qt.MouseButton.LeftButton)
    return win.conversation


@pytest.mark.parametrize("mode", ["push_to_talk", "hands_free"])
def test_a_recogniser_without_any_microphone_offers_typing_from_the_start(qtbot, make_context, mode):
    """No sound server or nothing plugged in: the system lists no input, so there is no talk button to
    fail, and the microphone is never opened (which could only fail and say so a second time)."""
    class NoInputs(FakeMicrophone):
        def devices(self):
            return []

    listener = FakeListener(fail_with="No microphone found. Plug one in, then try again.")
    devices = Devices(voice=FakeVoice(), microphone=NoInputs(), listener=listener)
    page = _begin(qtbot, make_context, devices, mode)
    assert page.talk_row.isHidden() and not page.can_talk
    assert "No microphone was found" in page.no_mic.text() and page.no_mic.isVisible()
    devices.voice.finish()
    assert "Type what you would say" in page.phase_label.text()
    assert (listener.opens, listener.starts, listener.presses) == (0, 0, 0)
    assert not page.notice.isVisible()  # no second "No microphone found"
    assert not page.presenter.press_to_talk()
    page.reply_box.setText("I'm so sorry, I understand.")
    page._on_send_clicked()
    assert len(page.presenter.runner.state.turns) == 1


UNPLUGGED = 'The microphone "USB Headset" was unplugged. Plug it back in and try again.'


@pytest.mark.parametrize("mode", ["push_to_talk", "hands_free"])
def test_after_a_microphone_failure_the_notice_offers_to_try_it_again(qtbot, make_context, mode):
    devices = Devices(voice=FakeVoice(), microphone=FakeMicrophone(), listener=FakeListener())
    page = _begin(qtbot, make_context, devices, mode)
    devices.voice.finish()
    listener = devices.listener
    starts = listener.starts
    listener.failed.emit(UNPLUGGED)
    assert page.notice.isVisible() and "Plug it back in" in page.notice.text.text()
    assert page.notice_retry.isVisible()
    assert page.presenter.phase == "your_turn"
    opens = listener.opens
    qtbot.mouseClick(page.notice_retry, Qt.MouseButton.LeftButton)
    assert listener.opens == opens + 1
    assert not page.notice.isVisible()
    if mode == "hands_free":
        assert listener.starts == starts + 1 and page.presenter.phase == "listening"
    else:
        assert page.presenter.phase == "your_turn" and page.talk_button.isEnabled()
        assert page.presenter.press_to_talk()


def test_trying_a_microphone_that_is_still_unplugged_says_so_again(qtbot, make_context):
    devices = Devices(voice=FakeVoice(), microphone=FakeMicrophone(), listener=FakeListener())
    page = _begin(qtbot, make_context, devices, "hands_free")
    devices.voice.finish()
    devices.listener.failed.emit(UNPLUGGED)
    devices.listener.fail_with = "No microphone found. Plug one in, then try again."
    qtbot.mouseClick(page.notice_retry, Qt.MouseButton.LeftButton)
    assert page.notice.isVisible() and "No microphone found" in page.notice.text.text()
    assert page.notice_retry.isVisible()
    assert page.presenter.phase == "your_turn"
    # Other notices carry no such action, and typing still works.
    page.reply_box.setText("")
    page._on_send_clicked()
    assert not page.notice_retry.isVisible()
    page.reply_box.setText("I'm so sorry, I understand.")
    page._on_send_clicked()
    assert len(page.presenter.runner.state.turns) == 1


# -- a grave trigger heard on unsure words (simulator.analysis.unsure) -------------------------------
# -- push-to-talk by keyboard in every state (issue 18, item 1) ---------------------------------------

def space(kind: str, autorep: bool = False) -> None:
    """One Space key event as the platform delivers it: to the focus widget (else the window)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    target = QApplication.focusWidget() or QApplication.activeWindow()
    event_type = QEvent.Type.KeyPress if kind == "press" else QEvent.Type.KeyRelease
    QApplication.sendEvent(target, QKeyEvent(event_type, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier,
                                             " ", autorep))


def hold_space(qtbot, seconds: float) -> None:
    """Hold Space down with key auto-repeat: release-press pairs about every 35 ms, some flagged as
    repeats and some not (X11 flags a pair only when both have reached Qt together)."""
    space("press")
    qtbot.wait(500)  # the auto-repeat delay
    for i in range(int((seconds - 0.5) / 0.035)):
        flagged = i % 3 != 0
        space("release", autorep=flagged)
        space("press", autorep=flagged)
        qtbot.wait(35)


def test_holding_space_talks_from_the_reply_box_through_auto_repeat(qtbot, spoken_window, devices):
    from PySide6.QtWidgets import QApplication

    page = spoken_window.conversation
    listener = devices.listener
    devices.voice.finish()
    assert QApplication.focusWidget() is page.reply_box  # typing is no key away
    assert "Space talks" in page.reply_box.placeholderText()
    hold_space(qtbot, 1.5)
    assert listener.presses == 1 and listener.releases == 0 and page.presenter.phase == "listening"
    assert page.reply_box.text() == ""
    space("release")
    qtbot.waitUntil(lambda: listener.releases == 1, timeout=2000)
    assert page.presenter.phase == "thinking" and page.reply_box.text() == ""


def test_holding_space_talks_with_the_focus_elsewhere(qtbot, spoken_window, devices):
    page = spoken_window.conversation
    listener = devices.listener
    devices.voice.finish()
    page.subtitles.setFocus()
    hold_space(qtbot, 1.0)
    assert listener.presses == 1 and listener.releases == 0 and page.presenter.phase == "listening"
    assert not page.subtitles.isChecked()  # Space talked, it did not tick the box
    space("release")
    qtbot.waitUntil(lambda: listener.releases == 1, timeout=2000)


def test_space_talks_after_a_say_again(qtbot, spoken_window, devices):
    from PySide6.QtWidgets import QApplication

    page = spoken_window.conversation
    mumble(page, devices)
    devices.voice.finish()
    assert QApplication.focusWidget() is page.reply_box
    hold_space(qtbot, 1.0)
    assert devices.listener.presses == 2 and page.presenter.phase == "listening"
    assert page.reply_box.text() == ""
    space("release")
    qtbot.waitUntil(lambda: devices.listener.releases == 2, timeout=2000)


def test_a_still_held_space_never_types_into_the_box(qtbot, spoken_window, devices):
    """The reply ends while Space is held (the microphone failed): the repeats go nowhere."""
    page = spoken_window.conversation
    devices.voice.finish()
    space("press")
    devices.listener.failed.emit("The microphone was unplugged")
    assert page.presenter.phase == "your_turn"
    for _ in range(10):
        space("release", autorep=True)
        space("press", autorep=True)
    space("release")
    qtbot.waitUntil(lambda: not page._space_down, timeout=2000)
    assert page.reply_box.text() == ""
    # Typing is still right there, spaces and all.
    qtbot.keyClicks(page.reply_box, "I see")
    assert page.reply_box.text() == "I see"


@pytest.mark.parametrize("mode", ["push_to_talk", "hands_free"])
def test_the_talk_button_says_how_a_reply_is_sent(qtbot, make_context, mode):
    devices = Devices(voice=FakeVoice(), microphone=FakeMicrophone(), listener=FakeListener())
    page = _begin(qtbot, make_context, devices, mode)
    devices.voice.finish()
    if mode == "push_to_talk":
        page.presenter.press_to_talk()
    assert page.presenter.phase == "listening"
    assert ("release" in page.talk_button.text()) == (mode == "push_to_talk")
    assert ("pause" in page.talk_button.text()) == (mode == "hands_free")


def test_hands_free_space_held_keeps_a_long_reply_going_until_it_is_let_go(qtbot, make_context):
    """Hands-free, a pause ends a reply; a reply begun by holding Space ends when Space is let go."""
    listener = FakeListener()
    devices = Devices(voice=FakeVoice(), microphone=FakeMicrophone(), listener=listener)
    page = _begin(qtbot, make_context, devices, "hands_free")
    devices.voice.finish()
    assert page.presenter.phase == "listening" and "pause" in page.talk_button.text()
    page.window().activateWindow()
    qtbot.waitUntil(page.window().isActiveWindow, timeout=2000)
    page.setFocus()
    qtbot.keyPress(page, Qt.Key.Key_Space)
    assert listener.presses == 1 and "release" in page.talk_button.text()
    qtbot.keyRelease(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: listener.releases == 1, timeout=2000)
    assert page.presenter.phase == "thinking"
