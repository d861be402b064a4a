"""VoiceOut against the virtual speaker: lines are really rendered, played and recorded back."""

from __future__ import annotations

import time
import wave
from pathlib import Path

import numpy as np
import pytest

from simulator.devices.voice_out import NO_SPEAKERS, VoiceOut
from simulator.devices.workers import InlineWorker
from simulator.speech.tts import MISSING_MESSAGE, LineRenderer, Synthesizer
from tests.support.scenarios import DANA

LINE = "Where is my order? I have waited forty minutes."


@pytest.fixture(scope="module", autouse=True)
def _engine():
    if not Synthesizer().available:
        pytest.skip("espeak-ng is not installed")


@pytest.fixture
def worker(qtbot) -> InlineWorker:
    return InlineWorker()


@pytest.fixture
def voice_out(qtbot, worker, private_data_dir) -> VoiceOut:
    out = VoiceOut(worker=worker)
    yield out
    out.stop()


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def loud_span(path: Path) -> tuple[float, float]:
    """RMS of the recording's sound (not its silence) and how long the sound lasts, in seconds."""
    with wave.open(str(path)) as wav:
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").astype(np.float64) / 32768
    frame = rate // 100
    n = len(samples) // frame
    energy = np.sqrt((samples[: n * frame].reshape(n, frame) ** 2).mean(axis=1))
    loud = np.flatnonzero(energy > 0.005)
    if len(loud) == 0:
        return 0.0, 0.0
    sound = samples[loud[0] * frame: (loud[-1] + 1) * frame]
    return float(np.sqrt(np.mean(sound**2))), (loud[-1] + 1 - loud[0]) / 100


@pytest.mark.audio
def test_a_spoken_line_is_heard_on_the_speaker(qtbot, pulse, voice_out, tmp_path):
    assert b"spk" in [bytes(d.id()) for d in voice_out.devices()]
    voice_out.set_device(b"spk")
    assert voice_out.is_available()
    rendered = voice_out._renderer.render(LINE, DANA, 50)
    events: list[tuple[str, str]] = []
    voice_out.started.connect(lambda line: events.append(("started", line)))
    voice_out.finished.connect(lambda line: events.append(("finished", line)))
    voice_out.failed.connect(lambda message: events.append(("failed", message)))

    recording = tmp_path / "speaker.wav"
    recorder = pulse.record_speaker(recording)
    try:
        time.sleep(0.3)  # parec is listening before the line starts
        with qtbot.waitSignal(voice_out.finished, timeout=10000):
            voice_out.speak("start", LINE, DANA, 50)
            assert voice_out.speaking == "start"
        # The monitor can hand over the first sound it carries late (see bench/voice_latency.py).
        qtbot.wait(1600)
    finally:
        pulse.stop_recording(recorder)

    assert events == [("started", "start"), ("finished", "start")]
    assert voice_out.speaking is None
    level, seconds = loud_span(recording)
    assert level > 0.02  # speech: the virtual speaker is digital silence otherwise
    assert seconds == pytest.approx(wav_seconds(rendered), abs=0.3)


@pytest.mark.audio
def test_an_uncached_line_is_rendered_on_the_worker_then_played(qtbot, pulse, voice_out, worker):
    with qtbot.waitSignals([voice_out.started, voice_out.finished], order="strict", timeout=10000):
        voice_out.speak("thanks", "Thank you.", DANA, 20)
    assert worker.calls == 1
    # Now cached: played straight from the cache, without the worker.
    with qtbot.waitSignal(voice_out.started, timeout=5000):
        voice_out.speak("thanks", "Thank you.", DANA, 25)
    assert worker.calls == 1


@pytest.mark.audio
def test_stop_ends_the_line_at_once(qtbot, pulse, voice_out):
    with qtbot.waitSignal(voice_out.started, timeout=10000):
        voice_out.speak("start", LINE, DANA, 50)
    with qtbot.waitSignal(voice_out.finished, timeout=100) as finished:
        voice_out.stop()
    assert finished.args == ["start"]
    assert voice_out.speaking is None
    with qtbot.assertNotEmitted(voice_out.finished, wait=200):
        voice_out.stop()  # nothing is playing: nothing more to say


@pytest.mark.audio
def test_prepare_renders_the_scenario_off_the_gui_thread(qtbot, pulse, private_data_dir, late_order):
    scenario = late_order
    out = VoiceOut()  # the real thread pool
    try:
        with qtbot.waitSignal(out.prepared, timeout=20000):
            began = time.perf_counter()
            out.prepare(scenario, extra=("Sorry, could you say that again?",))
            assert time.perf_counter() - began < 0.2  # handed to the worker, not done here
        # The scenario's three lines and the app's own one, at each of the five bands.
        assert out.last_report is not None and out.last_report.renders == 20
        renderer = out._renderer
        assert all(renderer.cached(text, scenario.customer.voice, a)
                   for text in [*scenario.lines(), "Sorry, could you say that again?"] for a in (0, 50, 100))
    finally:
        out._worker.wait()


@pytest.mark.audio
def test_a_held_prepare_waits_while_the_line_needed_now_is_spoken(qtbot, pulse, private_data_dir, late_order):
    """While the trainee's reply is heard the conversation holds the scenario's rendering (it
    competes with the recogniser on 2 cores); the customer's answer is rendered at once anyway."""
    scenario = late_order
    out = VoiceOut(renderer=LineRenderer(Synthesizer()))  # espeak-ng, on the real thread pool
    try:
        out.hold_prepare(True)
        assert out.prepare_held
        with qtbot.assertNotEmitted(out.prepared, wait=1000):
            out.prepare(scenario)
            with qtbot.waitSignal(out.started, timeout=10000):
                out.speak("answer", "Right. And when will that be?", scenario.customer.voice, 80)
        assert out._renderer.cache.files() == [out._renderer.cached("Right. And when will that be?",
                                                                  scenario.customer.voice, 80)]
        with qtbot.waitSignal(out.prepared, timeout=20000):
            out.hold_prepare(False)
        assert out.last_report is not None and out.last_report.rendered == 15
    finally:
        out.stop()
        out._worker.wait()


def test_the_lines_expected_next_are_prepared_first(qtbot, private_data_dir, late_order):
    """The conversation tells the voice what the customer may answer (`expect`) while a line plays;
    those are rendered before the rest of the scenario, so the answer is ready in time."""
    scenario, voice = late_order, late_order.customer.voice
    out = VoiceOut(renderer=LineRenderer(Synthesizer()))  # espeak-ng, on the real thread pool
    try:
        out.hold_prepare(True)
        out.prepare(scenario)
        out.expect(["Thank you."], 10)
        with qtbot.waitSignal(out.prepared, timeout=20000):
            out.hold_prepare(False)
        renderer = out._renderer
        made = sorted(renderer.cache.files(), key=lambda path: path.stat().st_mtime_ns)
        assert made[:3] == [renderer.cached("Thank you.", voice, a) for a in (10, 30, 50)]
        assert len(made) == 15
    finally:
        out._worker.wait()


@pytest.mark.audio
def test_a_speaker_that_does_not_exist_fails_clearly(qtbot, pulse, voice_out):
    with qtbot.waitSignal(voice_out.failed, timeout=1000) as failed:
        voice_out.set_device(b"no-such-speaker")
    assert "no-such-speaker" in failed.args[0] and "not connected" in failed.args[0]
    # The default speaker is kept, so the customer is still heard.
    with qtbot.waitSignal(voice_out.started, timeout=10000):
        voice_out.speak("thanks", "Thank you.", DANA, 50)


def test_no_speech_engine_is_said_once(qtbot, worker, private_data_dir):
    out = VoiceOut(renderer=LineRenderer(Synthesizer(driver="no_such_engine")), worker=worker)
    messages: list[str] = []
    finished: list[str] = []
    out.failed.connect(messages.append)
    out.finished.connect(finished.append)
    out.speak("start", LINE, DANA, 50)
    out.speak("next", LINE, DANA, 70)
    assert len(messages) == 1 and messages[0].startswith(MISSING_MESSAGE)
    assert finished == ["next"]  # later lines end at once, so the conversation is not held up
    assert out.tts_available is False
    assert not out.is_available()


def test_no_speakers_is_said_clearly(qtbot, worker, private_data_dir, monkeypatch):
    # Removing the test speaker would affect every other test, so only the lookup is replaced.
    out = VoiceOut(worker=worker)
    monkeypatch.setattr(out, "_device", lambda: None)
    with qtbot.waitSignal(out.failed, timeout=5000) as failed:
        out.speak("start", "Thank you.", DANA, 50)
    assert failed.args == [NO_SPEAKERS]
    assert not out.is_available()


def test_warming_up_loads_the_natural_voice_on_the_worker(qtbot, private_data_dir):
    from simulator.speech.hibari_voice import HibariEngine

    calls: list[object] = []

    class CountingWorker(InlineWorker):
        def submit(self, fn, on_done=None, on_error=None):
            calls.append(fn)
            super().submit(fn, on_done, on_error)

    engine = HibariEngine()
    renderer = LineRenderer(Synthesizer(), natural=[engine])
    out = VoiceOut(renderer=renderer, worker=CountingWorker())
    assert not engine.loaded
    out.warm_up()
    out.warm_up()  # once is enough
    assert engine.loaded and calls == [renderer.warm]
