"""The microphone check's presenter against a plain fake view (no window): a WAV file measured and kept, bad
retakes refused without losing the good baseline, the level's hints, a take dropped when the microphone fails."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from simulator.settings import load_settings
from simulator.ui.calibration.presenter import CalibrationPresenter
from simulator.ui.context import Devices
from tests.ui.conftest import write_wav
from tests.ui.fakes import FakeMicrophone

pytestmark = pytest.mark.gui  # the microphone stand-in is a QObject with signals


class FakeView:
    """Records what the presenter shows (CalibrationView); the screen is shown, the first input chosen."""

    def __init__(self) -> None:
        self.shown = True
        self.found: list[tuple[str, str]] = []
        self.device: str | None = None
        self.status: tuple[str, str, str] = ("", "", "")
        self.record_text = ""
        self.recording = False
        self.elapsed = 0
        self.busy = False
        self.levels: list[float] = []
        self.hint = ""
        self.timer = False
        self.calibrated = 0

    def is_shown(self): return self.shown
    def selected_device(self): return self.device
    def show_devices(self, found, chosen):
        self.found = list(found)
        ids = [ident for ident, _ in found]
        self.device = chosen if chosen in ids else (ids[0] if ids else None)
    def show_status(self, kind, title, text): self.status = (kind, title, text)
    def set_record_text(self, text): self.record_text = text
    def show_recording(self, recording, record_text): self.recording, self.record_text = recording, record_text
    def show_elapsed(self, seconds): self.elapsed = seconds
    def set_busy(self, busy, can_record): self.busy = busy
    def show_level(self, level): self.levels.append(level)
    def show_level_hint(self, hint): self.hint = hint
    def start_timer(self): self.timer = True
    def stop_timer(self): self.timer = False
    def announce_calibrated(self): self.calibrated += 1


@pytest.fixture
def check(qapp, make_context):
    """A presenter with no microphone (a WAV file is the only way in)."""
    view = FakeView()
    ctx = make_context()
    return CalibrationPresenter(view, ctx), view, ctx


def test_a_wav_is_measured_and_kept_then_bad_retakes_keep_the_good_baseline(check, speech_wav, tmp_path):
    presenter, view, ctx = check
    presenter.show_current()
    assert view.status[1] == "Not calibrated yet" and view.record_text == "Record"

    presenter.calibrate_from_wav(speech_wav)
    settings = ctx.settings
    assert view.status[1].startswith("Done"), view.status
    assert view.calibrated == 1 and view.record_text == "Record again" and not view.busy
    assert settings.baseline and settings.baseline["source"] == "calibration"
    assert Path(settings.baseline_wav).is_file()
    saved = load_settings(ctx.settings_file)
    assert saved.baseline == settings.baseline and saved.baseline_wav == settings.baseline_wav
    kept = Path(settings.baseline_wav).read_bytes()

    # A clipping retake is refused with what to change, and the good baseline stays.
    t = np.arange(16000 * 3) / 16000
    clipped = write_wav(tmp_path / "loud.wav", np.sign(np.sin(2 * np.pi * 160 * t)) * 1.0)
    presenter.calibrate_from_wav(clipped)
    assert view.status[:2] == ("warning", "Please record it again") and "clipping" in view.status[2]
    assert Path(settings.baseline_wav).read_bytes() == kept and view.calibrated == 1
    silent = write_wav(tmp_path / "silent.wav", np.zeros(16000 * 2))
    presenter.calibrate_from_wav(silent)
    assert "No speech was heard" in view.status[2]
    presenter.show_current()
    assert view.status[1] == "Your voice is calibrated" and view.record_text == "Record again"


def test_the_level_warns_of_clipping_and_a_quiet_take_and_a_quiet_recording_is_refused(
        qapp, make_context, speech_wav, tmp_path):
    with wave.open(str(speech_wav)) as src:
        rate = src.getframerate()
        raw = np.frombuffer(src.readframes(src.getnframes()), dtype="<i2").astype(np.float32) / 32768
        if src.getnchannels() > 1:
            raw = raw.reshape(-1, src.getnchannels()).mean(axis=1)
    mic = FakeMicrophone(recording=write_wav(tmp_path / "quiet.wav", raw * 0.01, rate))
    view = FakeView()
    ctx = make_context(devices=Devices(microphone=mic))
    presenter = CalibrationPresenter(view, ctx)
    presenter.refresh_devices()
    assert view.found == [("mic", "Virtual microphone"), ("usb", "USB headset")] and mic.running == b"mic"

    # Loud enough to clip: said at once, with what to change.
    mic.level.emit(0.99)
    assert view.levels == [0.99] and "clipping" in view.hint
    # Speaking for a few seconds without the level rising: too quiet.
    presenter.toggle_recording()
    assert presenter.recording and view.recording and view.record_text == "Stop" and view.timer
    assert view.hint == ""  # a new take starts without the old warning
    for _ in range(3):
        mic.level.emit(0.1)
        presenter.tick()
    assert view.elapsed == 3 and "too quiet" in view.hint
    presenter.toggle_recording()
    # The recording itself is checked too: refused, with the same advice, and no baseline kept.
    assert not presenter.recording and not view.timer and view.record_text == "Record"
    assert view.status[1] == "Please record it again"
    assert "too quiet" in view.status[2] and "move closer" in view.status[2]
    assert ctx.settings.baseline is None


def test_a_take_stops_by_itself_after_twelve_seconds(qapp, make_context, speech_wav):
    mic = FakeMicrophone(recording=speech_wav)
    view = FakeView()
    presenter = CalibrationPresenter(view, make_context(devices=Devices(microphone=mic)))
    presenter.refresh_devices()
    presenter.toggle_recording()
    for _ in range(12):
        presenter.tick()
    assert not presenter.recording and view.status[1].startswith("Done")


def test_a_microphone_failing_mid_take_drops_the_take_and_says_what_else_works(qapp, make_context, speech_wav):
    mic = FakeMicrophone(recording=speech_wav)
    view = FakeView()
    ctx = make_context(devices=Devices(microphone=mic))
    presenter = CalibrationPresenter(view, ctx)
    presenter.refresh_devices()
    presenter.toggle_recording()
    mic.failed.emit("The microphone was unplugged.")
    assert not presenter.recording and not view.timer and not view.recording
    assert view.status == ("danger", "Microphone problem",
                           "The microphone was unplugged. You can still use a WAV file, or type your replies.")
    assert ctx.settings.baseline is None


def test_choosing_another_input_is_saved_and_listened_to(qapp, make_context):
    mic = FakeMicrophone()
    view = FakeView()
    ctx = make_context(devices=Devices(microphone=mic))
    presenter = CalibrationPresenter(view, ctx)
    presenter.refresh_devices()
    view.device = "usb"
    presenter.choose_device("usb")
    assert mic.running == b"usb" and load_settings(ctx.settings_file).input_device == "usb"
    presenter.hidden()
    assert mic.running is None  # leaving the screen releases the microphone
