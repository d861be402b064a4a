"""Spoken conversations end to end: the real window, VoiceOut, Microphone, Listener and rubric judge on the virtual PulseAudio devices.

The customer's lines are played to the virtual speaker and recorded back; the trainee's replies
are espeak-ng speech (resampled with sox to 16 kHz mono) played into the virtual microphone.
Nothing is faked: the listener's VAD ends the turn, the real Whisper tiny.en model (the default
recogniser, with PocketSphinx adapted to the scenario streaming the live words) transcribes it,
the judge hears its tone against an espeak-ng calibration baseline, and the scenario branches.
"""

from __future__ import annotations

import shutil
import time
import wave
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from simulator.records.store import SessionStore
from simulator.settings import Settings
from simulator.speech.recognizer import word_error_rate
from simulator.ui.conversation.presenter import SAY_AGAIN
from tests.support.speech import espeak_wav

pytestmark = [pytest.mark.audio, pytest.mark.gui]

CALIBRATION = ("Good afternoon. I'm sorry you've had to wait. Let me have a look at what's happened "
               "and see what I can do to help you today.")
REPLY = "I'm really sorry you've been kept waiting, Dana. I can see how frustrating that is."


def espeak(text: str, out: Path, pad: tuple[float, float] = (0.3, 1.0)) -> Path:
    """The trainee's voice: espeak-ng, resampled with sox to 16 kHz mono with some silence around it.

    The en-us voice, because PocketSphinx's acoustic model is American English: with espeak-ng's
    default (British) voice the reply above came back with a third of its words wrong, with
    en-us about one in eight.
    """
    if not shutil.which("espeak-ng") or not shutil.which("sox"):
        pytest.skip("espeak-ng and sox are needed to speak the trainee's replies")
    return espeak_wav(text, out, "en-us", pad)


def seconds_of_sound(path: Path, threshold: float = 0.01) -> float:
    """How much of a recording is louder than `threshold` (RMS of 20 ms frames, full scale 1)."""
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768
    frame = rate // 50
    n = len(samples) // frame
    if n == 0:
        return 0.0
    rms = np.sqrt((samples[: n * frame].reshape(n, frame) ** 2).mean(axis=1))
    return float((rms > threshold).sum()) / 50


@pytest.fixture
def app(pulse, qtbot, private_data_dir, tmp_path):
    """Make the real app for a listen mode; the window is closed (listener, threads) afterwards."""
    from PySide6.QtWidgets import QApplication

    from simulator.devices.workers import TaskPool
    from simulator.ui.context import AppContext, create_devices
    from simulator.ui.main_window import MainWindow
    from simulator.ui.theme import apply_theme

    made: list = []

    def make(listen_mode: str):
        baseline = espeak(CALIBRATION, private_data_dir / "baseline.wav", pad=(0.2, 0.2))
        settings = Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True, subtitles=True,
                            listen_mode=listen_mode, baseline_wav=str(baseline))
        ctx = AppContext(settings=settings, store=SessionStore(private_data_dir), tasks=TaskPool(),
                         devices=create_devices(settings), settings_file=private_data_dir / "settings.json")
        assert ctx.devices.can_listen and ctx.devices.can_speak, ctx.devices.problems
        apply_theme(QApplication.instance(), 1.0)
        win = MainWindow(ctx)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.activateWindow()
        made.append(win)
        # The default recogniser, Whisper, replaces the start-up stand-in once it has loaded (off
        # the GUI thread), as it does while a trainee reads the library.
        qtbot.waitUntil(lambda: getattr(getattr(ctx.devices.listener, "recognizer", None), "engine", "")
                        == "whisper", timeout=60000)
        return win

    yield make
    for win in made:
        win.close()


def start_recording(pulse, qtbot, path: Path):
    """Record the speaker, waiting until the recorder really captures (slow on a fresh daemon)."""
    proc = pulse.record_speaker(path)
    qtbot.waitUntil(lambda: path.exists() and path.stat().st_size > 16000, timeout=5000)
    return proc


def begin(qtbot, win, scenario_id: str):
    win.start_scenario(scenario_id)
    page = win.conversation
    qtbot.mouseClick(page.begin_button, Qt.MouseButton.LeftButton)
    return page


def test_hands_free_spoken_turn_with_real_audio(qtbot, app, pulse, tmp_path):
    reply_wav = espeak(REPLY, tmp_path / "reply.wav")
    speaker = tmp_path / "speaker.wav"
    recorder = start_recording(pulse, qtbot, speaker)
    win = app("hands_free")
    started = time.monotonic()  # once Whisper has loaded (seconds on a busy machine)
    voice = win.ctx.devices.voice
    listener = win.ctx.devices.listener
    lines: list[str] = []
    partials: list[str] = []
    voice.started.connect(lines.append)
    listener.partial.connect(partials.append)

    page = begin(qtbot, win, "late-pickup")
    presenter = page.presenter
    # The customer's first line plays, then the app listens without a key being pressed.
    qtbot.waitUntil(lambda: bool(lines), timeout=10000)
    assert lines[0].startswith("late-pickup/start/")
    qtbot.waitUntil(lambda: presenter.phase == "listening", timeout=20000)
    assert page.phase_label.text() == "Listening…"

    pulse.play_into_mic(reply_wav, wait=False)
    runner = presenter.runner
    heard: list = []
    listener.reply_ready.connect(heard.append)
    qtbot.waitUntil(lambda: len(runner.state.turns) == 1 or runner.state.repeats > 0, timeout=30000)
    assert runner.state.repeats == 0, [(r.text, r.confidence) for r in heard]  # asked again: why
    turn = runner.state.turns[0]

    # Whisper's transcript (its casing and punctuation) is close to what was said.
    assert listener.recognizer.engine == "whisper"
    edits, words = word_error_rate(REPLY, turn.reply)
    assert edits / words <= 0.4, turn.reply
    assert turn.reply[:1].isupper(), turn.reply
    assert partials, "the live transcript should show while the trainee speaks"
    assert page.bubbles[-2 if len(page.bubbles) > 2 else -1].text_value  # the reply is in the transcript
    assert any(b.text_value == turn.reply and not b.customer for b in page.bubbles)
    # Judged on words and tone (against the calibration), and the calm path taken.
    judgement = turn.judgement
    assert judgement.intent == "deescalate", judgement
    assert judgement.tone is not None and judgement.tone.label == "calm", judgement.tone
    assert turn.target == "recital" and runner.state.node_id == "recital"
    assert turn.agitation_after < turn.agitation_before
    # The reply's recording is kept with the session.
    kept = win.ctx.store.recordings.turn_path(runner.state.session_id, 0)
    assert turn.audio_file == str(kept) and kept.is_file()
    with wave.open(str(kept)) as w:
        assert w.getframerate() == 16000 and w.getnframes() > 16000 * 1.5
    assert win.ctx.store.load(runner.state.session_id).state.turns[0].audio_file == str(kept)

    # The customer answers from the node the reply led to.
    qtbot.waitUntil(lambda: len(lines) >= 2, timeout=10000)
    assert lines[1].startswith("late-pickup/recital/")
    qtbot.wait(800)
    pulse.stop_recording(recorder)
    # Both customer lines were really played to the speaker.
    assert seconds_of_sound(speaker) > 3.0
    assert time.monotonic() - started < 60


def test_push_to_talk_on_space_with_real_audio(qtbot, app, pulse, tmp_path):
    reply_wav = espeak(REPLY, tmp_path / "reply.wav", pad=(0.2, 0.2))
    win = app("push_to_talk")
    voice = win.ctx.devices.voice
    lines: list[str] = []
    voice.started.connect(lines.append)
    page = begin(qtbot, win, "late-pickup")
    presenter = page.presenter
    qtbot.waitUntil(lambda: bool(lines), timeout=10000)
    qtbot.waitUntil(lambda: presenter.phase == "your_turn", timeout=20000)
    assert "Hold the Space bar" in page.phase_label.text()
    # Nothing is heard without the key: hands-free is off.
    assert not win.ctx.devices.listener._armed

    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    page.setFocus()
    qtbot.keyPress(page, Qt.Key.Key_Space)
    assert presenter.phase == "listening"
    player = pulse.play_into_mic(reply_wav, wait=False)
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=15000)
    qtbot.wait(300)
    qtbot.keyRelease(page, Qt.Key.Key_Space)
    runner = presenter.runner
    qtbot.waitUntil(lambda: len(runner.state.turns) == 1, timeout=20000)
    turn = runner.state.turns[0]
    edits, words = word_error_rate(REPLY, turn.reply)
    assert edits / words <= 0.4, turn.reply
    assert turn.target == "recital" and turn.judgement.tone is not None
    assert Path(turn.audio_file).is_file()
    qtbot.waitUntil(lambda: len(lines) >= 2, timeout=10000)
    assert lines[1].startswith("late-pickup/recital/")


def test_a_mumble_makes_the_customer_ask_again(qtbot, app, pulse, tmp_path):
    """Noise in the microphone is never judged: the customer asks again, aloud, and typing is offered."""
    rng = np.random.default_rng(1)
    noise = (rng.normal(0, 0.05, 16000 * 1) * 32767).astype("<i2")
    mumble = tmp_path / "mumble.wav"
    with wave.open(str(mumble), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(np.concatenate([np.zeros(8000, "<i2"), noise, np.zeros(16000, "<i2")]).tobytes())
    win = app("push_to_talk")
    voice = win.ctx.devices.voice
    lines: list[str] = []
    voice.started.connect(lines.append)
    page = begin(qtbot, win, "late-pickup")
    presenter = page.presenter
    qtbot.waitUntil(lambda: presenter.phase == "your_turn", timeout=20000)
    assert presenter.press_to_talk()
    player = pulse.play_into_mic(mumble, wait=False)
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=10000)
    presenter.release_to_talk()
    qtbot.waitUntil(lambda: "say-again" in lines, timeout=15000)
    assert presenter.runner.state.turns == [] and presenter.runner.state.repeats == 1
    assert page.bubbles[-1].text_value == SAY_AGAIN
    assert page.notice.isVisible() and "type your reply" in page.notice.text.text()
