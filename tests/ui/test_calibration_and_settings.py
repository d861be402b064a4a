"""The microphone check (calibrating from WAV files, good and bad) and the settings screen, through the real window."""

from __future__ import annotations

import csv
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from simulator.settings import load_settings
from tests.support.postgres import postgres_server  # noqa: F401 - a fixture

pytestmark = pytest.mark.gui

SHARED_TONE = Path(__file__).resolve().parents[3] / "shared" / "data" / "speech-tone"


def write_wav(path: Path, samples: np.ndarray, rate: int = 16000) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture
def speech_wav(tmp_path) -> Path:
    """A spoken sentence: a real recording when the shared data is here, else espeak-ng's voice."""
    manifest = SHARED_TONE / "manifest.csv"
    if manifest.is_file():
        with manifest.open(newline="") as handle:
            row = next(r for r in csv.DictReader(handle) if r.get("label") == "neutral")
        path_key = next(k for k in row if k in ("path", "file", "wav", "audio"))
        return SHARED_TONE / row[path_key]
    espeak = shutil.which("espeak-ng") or shutil.which("espeak")
    if espeak is None:
        pytest.skip("no speech recording available (no shared data, no espeak-ng)")
    out = tmp_path / "speech.wav"
    subprocess.run([espeak, "-w", str(out), "Good afternoon. I'm sorry you've had to wait. Let me have a look "
                    "at what has happened and see what I can do to help you today."], check=True)
    return out


def test_calibration_from_a_wav_then_a_bad_retake(qtbot, window, speech_wav, tmp_path):
    win = window
    qtbot.keyClick(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = win.calibration
    assert win.stack.currentWidget() is page
    # No microphone in this context: the screen says so and still offers a WAV file.
    assert page.no_mic.isVisible()
    assert not page.record_button.isEnabled() and page.wav_button.isEnabled()
    assert page.status.title.text() == "Not calibrated yet"

    page.calibrate_from_wav(speech_wav)
    settings = win.ctx.settings
    assert page.status.title.text().startswith("Done"), page.status.text.text()
    assert settings.baseline and settings.baseline["source"] == "calibration"
    assert Path(settings.baseline_wav).is_file()
    saved = load_settings(win.ctx.settings_file)
    assert saved.baseline == settings.baseline and saved.baseline_wav == settings.baseline_wav
    kept = Path(settings.baseline_wav).read_bytes()

    # A clipping retake is refused with what to change, and the good baseline stays.
    t = np.arange(16000 * 3) / 16000
    clipped = write_wav(tmp_path / "loud.wav", np.sign(np.sin(2 * np.pi * 160 * t)) * 1.0)
    page.calibrate_from_wav(clipped)
    assert page.status.title.text() == "Please record it again"
    assert "clipping" in page.status.text.text()
    assert Path(settings.baseline_wav).read_bytes() == kept
    silent = write_wav(tmp_path / "silent.wav", np.zeros(16000 * 2))
    page.calibrate_from_wav(silent)
    assert "No speech was heard" in page.status.text.text()

    # The library no longer nags about the microphone.
    qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.library
    assert not win.library.mic_banner.isVisible()


def test_settings_change_and_restore(qtbot, window):
    win = window
    app = QApplication.instance()
    base_size = app.font().pointSizeF()
    qtbot.keyClick(win, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = win.settings_page
    assert win.stack.currentWidget() is page
    assert page.name.text() == "Alex"

    page.name.setText("Jordan Lee")
    page.hands_free.setChecked(True)
    page.subtitles.setChecked(False)
    page.text_size.setCurrentIndex(page.text_size.findData(1.5))
    page.recognizer.setCurrentIndex(page.recognizer.findData("vosk"))
    assert page.model_dir.isEnabled()
    # Vosk without a model folder is refused, with the reason.
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "model folder" in page.status.text()
    assert load_settings(win.ctx.settings_file).trainee_name != "Jordan Lee"
    page.model_dir.setText("/opt/models/vosk-small")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == "Saved."
    saved = load_settings(win.ctx.settings_file)
    assert (saved.trainee_name, saved.listen_mode, saved.subtitles, saved.text_scale, saved.recognizer,
            saved.recognizer_model_dir) == ("Jordan Lee", "hands_free", False, 1.5, "vosk", "/opt/models/vosk-small")
    assert app.font().pointSizeF() == pytest.approx(base_size * 1.5)
    assert "Jordan Lee" in win.who.text()

    # Unsaved edits are reverted; defaults restore everything but who you are.
    page.name.setText("Someone else")
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert page.name.text() == "Jordan Lee"
    qtbot.mouseClick(page.defaults_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = load_settings(win.ctx.settings_file)
    assert (saved.trainee_name, saved.listen_mode, saved.subtitles, saved.text_scale, saved.recognizer) == \
        ("Jordan Lee", "push_to_talk", True, 1.0, "whisper")
    # Which recogniser listens now is shown, and why when it is a stand-in.
    assert page.recognizer_in_use.text().startswith(("Whisper tiny.en", "PocketSphinx", "None"))
    assert app.font().pointSizeF() == pytest.approx(base_size)


def test_data_folder_setting_moves_the_sessions(qtbot, window, tmp_path):
    win = window
    win.show_settings()
    page = win.settings_page
    page.data_dir.setText(str(tmp_path / "elsewhere"))
    assert page.save()
    assert win.ctx.store.root == tmp_path / "elsewhere"


def test_recording_the_sentence_with_a_microphone(qtbot, make_context, speech_wav):
    from simulator.ui.context import Devices
    from simulator.ui.main_window import MainWindow
    from tests.ui.fakes import FakeMicrophone

    mic = FakeMicrophone(recording=speech_wav)
    win = MainWindow(make_context(devices=Devices(microphone=mic)))
    qtbot.addWidget(win)
    win.show()
    win.show_calibration()
    page = win.calibration
    assert not page.no_mic.isVisible()
    assert [page.device.itemText(i) for i in range(page.device.count())] == ["Virtual microphone", "USB headset"]
    assert mic.running == b"mic"  # the level shows as soon as the screen opens
    mic.level.emit(0.4)
    assert page.level.level == pytest.approx(0.4)
    page.device.setCurrentIndex(1)
    assert mic.running == b"usb" and win.ctx.settings.input_device == "usb"

    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert page.recording and page.record_button.text() == "Stop"
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert not page.recording
    assert page.status.title.text().startswith("Done"), page.status.text.text()
    assert page.record_button.text() == "Record again"
    win.show_library()
    assert mic.running is None  # leaving the screen releases the microphone


def settings_with_voice(qtbot, make_context, voice):
    """The main window on its Settings page, with `voice` as the customer's voice service."""
    from simulator.settings import Settings
    from simulator.ui.context import Devices
    from simulator.ui.main_window import MainWindow

    ctx = make_context(Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True), Devices(voice=voice))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    win.show_settings()
    return win


def test_choosing_the_speaker_and_hearing_a_sample(qtbot, make_context):
    from tests.ui.fakes import FakeVoice

    class Speakers(FakeVoice):
        def __init__(self):
            super().__init__()
            self.chosen: list[bytes | None] = []

        def devices(self):
            return [(b"hdmi", "Projector (HDMI)"), (b"jack", "Headphones")]

        def set_device(self, device_id) -> None:
            self.chosen.append(device_id)

    voice = Speakers()
    win = settings_with_voice(qtbot, make_context, voice)
    page = win.settings_page
    items = [page.speaker.itemText(i) for i in range(page.speaker.count())]
    assert items == ["System default", "Projector (HDMI)", "Headphones"]
    assert page.sample_button.isEnabled()

    # A sample plays through the speaker in the form; Revert goes back to the saved one.
    page.speaker.setCurrentIndex(page.speaker.findData("jack"))
    qtbot.mouseClick(page.sample_button, Qt.MouseButton.LeftButton)
    assert voice.chosen[-1] == b"jack" and voice.spoken[-1][0] == "settings/sample"
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert voice.chosen[-1] is None and page.speaker.currentData() is None

    page.speaker.setCurrentIndex(page.speaker.findData("hdmi"))
    assert page.save()
    assert load_settings(win.ctx.settings_file).output_device == "hdmi" and voice.chosen[-1] == b"hdmi"


def test_no_speakers_is_said_in_settings(qtbot, window):
    window.show_settings()
    page = window.settings_page
    assert not page.sample_button.isEnabled()
    assert "subtitles" in page.speaker_note.text()


def test_the_level_warns_of_clipping_and_a_quiet_take_and_a_quiet_recording_is_refused(
        qtbot, make_context, speech_wav, tmp_path):
    from simulator.ui.context import Devices
    from simulator.ui.main_window import MainWindow
    from tests.ui.fakes import FakeMicrophone

    rate = 16000
    with wave.open(str(speech_wav)) as src:
        rate = src.getframerate()
        raw = np.frombuffer(src.readframes(src.getnframes()), dtype="<i2").astype(np.float32) / 32768
        if src.getnchannels() > 1:
            raw = raw.reshape(-1, src.getnchannels()).mean(axis=1)
    quiet = write_wav(tmp_path / "quiet.wav", raw * 0.01, rate)
    mic = FakeMicrophone(recording=quiet)
    win = MainWindow(make_context(devices=Devices(microphone=mic)))
    qtbot.addWidget(win)
    win.show()
    win.show_calibration()
    page = win.calibration

    # Loud enough to clip: said at once, with what to change.
    mic.level.emit(0.99)
    assert page.level_hint.isVisible() and "clipping" in page.level_hint.text()
    # Speaking for a few seconds without the level rising: too quiet.
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert not page.level_hint.isVisible()  # a new take starts without the old warning
    for _ in range(3):
        mic.level.emit(0.1)
        page._on_timer_timeout()
    assert "too quiet" in page.level_hint.text()
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    # The recording itself is checked too: refused, with the same advice, and no baseline kept.
    assert page.status.title.text() == "Please record it again"
    assert "too quiet" in page.status.text.text() and "move closer" in page.status.text.text()
    assert win.ctx.settings.baseline is None


UNREACHABLE = "postgresql+psycopg://trainer@127.0.0.1:1/simulator"


def test_the_shared_database_setting_moves_the_records_to_postgresql_and_back(qtbot, window, request):
    server = request.getfixturevalue("postgres_server")
    win = window
    win.show_settings()
    page = win.settings_page
    local = win.ctx.store.url
    url = server.create_database()
    page.database.setText(url)
    assert page.save(), page.status.text()
    assert win.ctx.store.url == url and load_settings(win.ctx.settings_file).database_url == url
    assert win.ctx.store.all() == []
    assert "shared database" in win.where.text()
    page.database.setText("")
    assert page.save()
    assert win.ctx.store.url == local
    assert win.where.text() == "Everything stays on this computer."


def test_an_unreachable_shared_database_is_refused_with_its_address(qtbot, window, monkeypatch):
    from simulator.ui import dialogs

    told: list[str] = []
    monkeypatch.setattr(dialogs, "tell", lambda parent, title, text, warning=False: told.append(text))
    win = window
    win.show_settings()
    store = win.ctx.store
    win.settings_page.database.setText(UNREACHABLE)
    assert not win.settings_page.save()
    assert told and "127.0.0.1:1" in told[0] and "trainer@" not in told[0]
    assert win.ctx.store is store and win.ctx.settings.database_url is None
    assert load_settings(win.ctx.settings_file).database_url is None


def test_starting_with_the_shared_database_down_keeps_records_locally_and_says_so(private_data_dir):
    from simulator.settings import Settings, save_settings, settings_path
    from simulator.ui.context import AppContext

    save_settings(Settings(database_url=UNREACHABLE), settings_path())
    ctx = AppContext.for_app()
    try:
        assert ctx.store.url.startswith("sqlite") and ctx.store.root == private_data_dir
        assert len(ctx.startup_notices) == 1 and "127.0.0.1:1" in ctx.startup_notices[0]
        assert "kept on this computer" in ctx.startup_notices[0]
    finally:
        ctx.tasks.wait(2000)
        if ctx.devices.listener is not None:
            ctx.devices.listener.close()  # and its worker thread
        ctx.store.close()


class RecordingSynth:
    """A speech engine stand-in for the real LineRenderer: keeps every delivery it renders, returns silence."""

    available = ready = True
    engine_id = "recording:1"

    def __init__(self):
        self.rendered: list[tuple[str, object]] = []

    def catalogue(self):
        from simulator.speech.voices import ESPEAK_NG_CATALOGUE

        return ESPEAK_NG_CATALOGUE

    def synthesize(self, text, settings) -> bytes:
        from simulator.speech.tts import write_wav

        self.rendered.append((text, settings))
        return write_wav(np.zeros(2205, np.float32))


def test_the_customer_speaking_speed_slows_the_rendered_voice_and_renders_lines_afresh(qtbot, make_context, tmp_path):
    from simulator.devices.voice_out import VoiceOut
    from simulator.devices.workers import InlineWorker
    from simulator.engine.model import Voice
    from simulator.speech.cache import VoiceCache
    from simulator.speech.tts import LineRenderer
    from simulator.speech.voices import band, delivery
    from simulator.ui.settings.view import SAMPLE_LINE

    class Speaker(VoiceOut):
        def is_available(self) -> bool:  # no sound server here: the lines are rendered, not heard
            return True

    synth = RecordingSynth()
    renderer = LineRenderer(synth, VoiceCache(tmp_path / "voice"))
    voice = Speaker(renderer=renderer, worker=InlineWorker())
    win = settings_with_voice(qtbot, make_context, voice)
    page = win.settings_page
    assert page.speed.value() == 100 and page.speed.text() == "100%"
    assert (page.speed.minimum(), page.speed.maximum()) == (80, 130)

    # The sample: at 100% the scenario's rate at agitation 50 (165 wpm), at 80% a fifth slower, in another file.
    qtbot.mouseClick(page.sample_button, Qt.MouseButton.LeftButton)
    usual_key = renderer.key(SAMPLE_LINE, Voice(), 50)
    page.speed.setValue(80)
    qtbot.mouseClick(page.sample_button, Qt.MouseButton.LeftButton)
    assert [d.rate for text, d in synth.rendered if text == SAMPLE_LINE] == [165, 132]
    assert renderer.key(SAMPLE_LINE, Voice(), 50) != usual_key
    # Revert puts the saved speed back; Save keeps the new one, for the sample and the conversation alike.
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert page.speed.value() == 100 and renderer.key(SAMPLE_LINE, Voice(), 50) == usual_key
    page.speed.setValue(80)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert load_settings(win.ctx.settings_file).customer_speaking_speed == 80

    # The conversation's first line (agitation 60) is rendered at 80% of the rate its agitation gives.
    synth.rendered.clear()
    win.start_scenario("parcel")
    qtbot.mouseClick(win.conversation.begin_button, Qt.MouseButton.LeftButton)
    first = "I was promised this parcel today. Where is it?"
    scenario = win.library.library.scenarios["parcel"]
    slowed = delivery(scenario.customer.voice, band(60), synth.catalogue(), 0.8)
    assert slowed.rate < delivery(scenario.customer.voice, band(60), synth.catalogue()).rate
    assert slowed in [d for text, d in synth.rendered if text == first]
    assert all(d.rate <= round(scenario.customer.voice.rate * 1.35 * 0.8) for _, d in synth.rendered)
    assert renderer.cached(first, scenario.customer.voice, 60) is not None


def inside(widget, win) -> bool:
    """The widget is shown in full inside the window (not pushed off its right or bottom edge)."""
    from PySide6.QtCore import QRect

    top_left = widget.mapTo(win, widget.rect().topLeft())
    return widget.isVisible() and win.rect().contains(QRect(top_left, widget.size()))


def test_the_microphone_check_fits_1280x720_while_recording(qtbot, make_context, speech_wav):
    """The recording's status and the level hints wrap: the result and Continue stay on screen."""
    from PySide6.QtWidgets import QApplication

    from simulator.ui.context import Devices
    from simulator.ui.main_window import MainWindow
    from simulator.ui.theme import apply_theme
    from tests.ui.fakes import FakeMicrophone

    mic = FakeMicrophone(recording=speech_wav)
    context = make_context(devices=Devices(microphone=mic))
    apply_theme(QApplication.instance(), context.settings.text_scale)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    win.show_calibration()
    page = win.calibration
    qtbot.wait(50)
    assert inside(page.continue_button, win) and inside(page.status, win)
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    for _ in range(8):
        mic.level.emit(0.1)
        page._on_timer_timeout()
    assert "too quiet" in page.level_hint.text()
    qtbot.wait(50)
    assert page.timer_label.isVisible() and inside(page.timer_label, win)
    assert inside(page.continue_button, win) and inside(page.status, win)
    assert page.scroller.widget().width() <= page.scroller.viewport().width()


def test_the_folder_fields_in_settings_are_not_cut_off_at_1280x720(qtbot, window):
    window.resize(1280, 720)
    window.show_settings()
    page = window.settings_page
    qtbot.wait(50)
    path = "/home/trainee/.local/share/deescalation"
    page.data_dir.setText(path)
    for field, text in ((page.model_dir, page.model_dir.placeholderText()), (page.data_dir, path),
                        (page.database, page.database.placeholderText())):
        room = field.contentsRect().width() - 12  # the frame's and the text's margins
        assert field.fontMetrics().horizontalAdvance(text) <= room, (text, room)
    assert page.data_dir.toolTip() == path
