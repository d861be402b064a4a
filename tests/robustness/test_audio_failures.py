"""Audio failing mid-session, on the real virtual devices where they can fail for real: said plainly,
naming the device, and the trainee can always type (and read the customer's lines) instead.

Covered elsewhere: a microphone id that is not connected (tests/devices/test_microphone.py and
test_listener.py), no microphone at all in the window (tests/ui/conversation/test_speaking.py), a speaker id that
is not connected and no speech engine at all (tests/devices/test_voice_out.py), and empty, non-WAV,
truncated and missing files for `simulator assess --audio` (tests/cli/test_assess.py).
"""

from __future__ import annotations

import subprocess
import sys
import types
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from simulator.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
REPLY = "I'm sorry, let me sort this out."


def _mic_window(qtbot, make_context, tmp_path, recognizer=None, device: bytes | None = None):
    """The real window with the real Microphone and Listener (push-to-talk, recognition inline)."""
    from simulator.devices.listener import Listener
    from simulator.devices.microphone import Microphone
    from simulator.devices.workers import InlineWorker
    from simulator.records.recordings import Recordings
    from simulator.ui.context import Devices
    from simulator.ui.listening import listening_signature
    from simulator.ui.main_window import MainWindow

    microphone = Microphone()
    listener = Listener(recognizer, mode="push_to_talk", worker=InlineWorker(), microphone=microphone,
                        recordings=Recordings(tmp_path))
    settings = Settings(first_run_done=True, trainee_name="Alex", voice_enabled=False,
                        input_device=device.decode() if device else None)
    # Built for these Settings, so the window keeps it rather than rebuilding it (ListeningService).
    listener.settings_signature = listening_signature(settings)
    win = MainWindow(make_context(settings, Devices(microphone=microphone, listener=listener)))
    qtbot.addWidget(win)
    win.show()
    win.start_scenario("parcel")
    qtbot.mouseClick(win.conversation.begin_button, Qt.MouseButton.LeftButton)
    return win, microphone, listener


def _type_a_reply(win) -> None:
    page = win.conversation
    assert page.reply_box.isEnabled()
    page.reply_box.setText(REPLY)
    page.send_button.click()
    assert len(page.presenter.runner.state.turns) == 1


# -- the microphone ------------------------------------------------------------------------------------

@pytest.mark.audio
def test_a_headset_pulled_out_mid_reply_is_named_and_what_it_heard_is_kept(qtbot, headset):
    from simulator.devices.microphone import Microphone

    mic = Microphone()
    finished: list[bool] = []
    mic.finished.connect(lambda: finished.append(True))
    with qtbot.waitSignal(mic.started, timeout=5000):
        assert mic.start(headset.id)
    qtbot.waitUntil(lambda: len(mic.recording()) > 3200, timeout=5000)
    with qtbot.waitSignal(mic.failed, timeout=5000) as failed:
        headset.unplug()
    message = failed.args[0]
    assert "USB Headset" in message and "unplugged" in message, message
    assert "Plug it back in" in message
    assert not mic.active and finished == [True]
    heard = mic.recording()
    assert len(heard) > 3200, "what was captured before the headset went must not be lost"
    saved = mic.save_wav(headset.pulse.runtime_dir / "kept.wav")
    with wave.open(str(saved)) as w:
        assert w.getnframes() == len(heard) // 2


@pytest.mark.audio
def test_a_microphone_that_goes_silent_is_noticed_within_two_seconds(qtbot, headset):
    import time

    from simulator.devices.microphone import Microphone

    mic = Microphone()
    with qtbot.waitSignal(mic.started, timeout=5000):
        assert mic.start(headset.id)
    qtbot.waitUntil(lambda: len(mic.recording()) > 3200, timeout=5000)
    began = time.monotonic()
    with qtbot.waitSignal(mic.failed, timeout=5000) as failed:
        headset.stall()
    assert time.monotonic() - began < 2.5
    message = failed.args[0]
    assert "USB Headset" in message and "stopped sending sound" in message, message
    assert not mic.active


@pytest.mark.audio
@pytest.mark.gui
def test_the_conversation_offers_typing_when_the_headset_goes(qtbot, headset, make_context, tmp_path):
    win, microphone, listener = _mic_window(qtbot, make_context, tmp_path, device=headset.id)
    presenter = win.conversation.presenter
    assert presenter.press_to_talk()
    qtbot.waitUntil(lambda: microphone.active and microphone.device_description == "USB Headset", timeout=5000)
    qtbot.waitUntil(lambda: len(microphone.recording()) > 3200, timeout=5000)
    # The presenter may have rebuilt its listener around the same microphone for the chosen device.
    with qtbot.waitSignal(microphone.failed, timeout=5000):
        headset.unplug()
    notice = win.conversation.notice
    assert notice.isVisibleTo(win.conversation)
    text = notice.text.text()
    assert "USB Headset" in text and "type your reply" in text, text
    assert presenter.phase == "your_turn"
    # What the headset captured before it went is kept with the session's recordings.
    kept = presenter.ctx.store.recordings.folder(presenter.runner.state.session_id) / "turn-000-interrupted.wav"
    assert kept.is_file()
    with wave.open(str(kept)) as w:
        assert w.getframerate() == 16000 and w.getnframes() > 1600
    assert not list(tmp_path.rglob("reply-*-interrupted.wav"))  # moved, not copied
    # Trying the microphone again while the headset is still out says so again, and typing still works.
    assert win.conversation.notice_retry.isVisibleTo(win.conversation)
    win.conversation.notice_retry.click()
    text = notice.text.text()
    assert notice.isVisibleTo(win.conversation) and "is not connected" in text, text
    assert presenter.phase == "your_turn"
    _type_a_reply(win)


@pytest.mark.audio
@pytest.mark.gui
def test_a_chosen_microphone_that_is_missing_when_talking_means_typing(qtbot, pulse, make_context, tmp_path):
    win, _, listener = _mic_window(qtbot, make_context, tmp_path, device=b"usb-mic-left-at-home")
    assert not win.conversation.presenter.press_to_talk()
    text = win.conversation.notice.text.text()
    assert "usb-mic-left-at-home" in text and "type your reply" in text, text
    _type_a_reply(win)


# -- the recogniser ------------------------------------------------------------------------------------

class _BrokenRecognizer:
    """A recogniser whose decoder raises mid-reply (a corrupt model, a bug in the engine)."""

    def prepare(self) -> None:
        pass

    def start(self) -> None:
        pass

    def feed(self, pcm: bytes) -> None:
        raise RuntimeError("decoder state corrupt")

    def partial(self) -> str:
        return ""

    def finish(self):
        raise RuntimeError("decoder state corrupt")

    def cancel(self) -> None:
        pass


@pytest.mark.audio
@pytest.mark.gui
def test_a_recogniser_that_raises_is_said_and_typing_stays_open(qtbot, pulse, make_context, tmp_path):
    win, microphone, listener = _mic_window(qtbot, make_context, tmp_path, recognizer=_BrokenRecognizer())
    presenter = win.conversation.presenter
    with qtbot.waitSignal(listener.failed, timeout=5000) as failed:
        assert presenter.press_to_talk()
    assert "Speech recognition failed" in failed.args[0]
    assert "decoder state corrupt" in failed.args[0]
    text = win.conversation.notice.text.text()
    assert "Speech recognition failed" in text and "type your reply" in text, text
    assert presenter.phase == "your_turn"
    _type_a_reply(win)


# -- the speaker and the speech engine -----------------------------------------------------------------

def _voice_window(qtbot, make_context, voice):
    from simulator.ui.context import Devices
    from simulator.ui.main_window import MainWindow

    settings = Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True, subtitles=False)
    win = MainWindow(make_context(settings, Devices(voice=voice)))
    qtbot.addWidget(win)
    win.show()
    win.start_scenario("parcel")
    qtbot.mouseClick(win.conversation.begin_button, Qt.MouseButton.LeftButton)
    return win


@pytest.mark.audio
@pytest.mark.gui
def test_no_speakers_shows_the_customer_as_subtitles(qtbot, pulse, make_context, monkeypatch):
    # The real VoiceOut renders with espeak-ng; only the speaker lookup finds nothing, because taking
    # the shared virtual speaker away would take it from every later test too.
    from simulator.devices.voice_out import NO_SPEAKERS, VoiceOut
    from simulator.devices.workers import InlineWorker

    voice = VoiceOut(worker=InlineWorker())
    if not voice._renderer.synth.available:
        pytest.skip("espeak-ng is not installed")
    monkeypatch.setattr(voice, "_device", lambda: None)
    messages: list[str] = []
    voice.failed.connect(messages.append)
    win = _voice_window(qtbot, make_context, voice)
    page = win.conversation
    # Found before the conversation starts: the customer is shown as subtitles from the first line.
    assert page.subtitles.isChecked() and not page.subtitles.isEnabled()
    assert "voice is off" in page.subtitles.toolTip()
    assert page.presenter.phase == "your_turn"
    assert set(messages) <= {NO_SPEAKERS}
    _type_a_reply(win)


def _install_driver(monkeypatch, name: str, build) -> None:
    """A pyttsx3 driver module, found by `pyttsx3.init(name)` as an installed one would be."""
    module = types.ModuleType(f"pyttsx3.drivers.{name}")
    module.buildDriver = build  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)


@pytest.mark.gui
def test_a_speech_engine_that_crashes_on_start_is_said_once_and_subtitles_show(qtbot, make_context,
                                                                              monkeypatch):
    # espeak-ng can't be uninstalled for a test, so its driver is replaced by one that dies.
    from simulator.devices.voice_out import VoiceOut
    from simulator.devices.workers import InlineWorker
    from simulator.speech import tts
    from simulator.speech.tts import MISSING_MESSAGE, LineRenderer, Synthesizer

    def build(proxy):
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    _install_driver(monkeypatch, "crashing_at_start", build)
    monkeypatch.setattr(tts, "_ENGINES", {})
    voice = VoiceOut(renderer=LineRenderer(Synthesizer(driver="crashing_at_start")), worker=InlineWorker())
    messages: list[str] = []
    voice.failed.connect(messages.append)
    win = _voice_window(qtbot, make_context, voice)
    page = win.conversation
    # The engine is tried before the conversation starts, so the trainee is told up front.
    assert page.subtitles.isChecked() and not page.subtitles.isEnabled()
    assert page.presenter.phase == "your_turn"
    assert all(m.startswith(MISSING_MESSAGE) for m in messages) and len(messages) <= 1
    _type_a_reply(win)


# -- `simulator assess` with a broken recording --------------------------------------------------------

def _wav(path: Path, frames: bytes, *, channels: int = 1, fmt_code: int | None = None) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(frames)
    if fmt_code is not None:
        data = bytearray(path.read_bytes())
        data[20:22] = fmt_code.to_bytes(2, "little")
        path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: _wav(p, b""), "no audio samples"),
    (lambda p: _wav(p, b"\x00\x00" * 16000), "silent"),
    (lambda p: _wav(p, b"\x01\x02" * 800, fmt_code=7), "unsupported WAV encoding"),
    (lambda p: p.write_bytes(_wav(p, b"\x01\x02" * 800).read_bytes()[:30]), ""),
], ids=["header-only", "all-zero", "mu-law", "cut-in-the-header"])
def test_assess_names_a_broken_recording_and_exits_2_without_a_traceback(tmp_path, make, expected):
    path = tmp_path / "reply.wav"
    make(path)
    done = subprocess.run([sys.executable, "-m", "simulator", "assess", "--audio", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert str(path) in done.stderr and expected in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
