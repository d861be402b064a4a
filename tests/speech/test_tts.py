"""Rendering lines with the installed engine (espeak-ng through pyttsx3), the render cache and pre-rendering."""

from __future__ import annotations

import io
import threading
import time
import wave
from pathlib import Path

import numpy as np
import parselmouth
import pytest

from simulator import paths
from simulator.engine.model import Voice
from simulator.speech.cache import VoiceCache, line_key
from simulator.speech.tts import (
    MISSING_MESSAGE,
    SAMPLE_RATE,
    Gate,
    LineRenderer,
    PrerenderReport,
    Synthesizer,
    TtsUnavailable,
    Upcoming,
    finish,
    prerender,
    read_wav,
    upcoming,
)
from simulator.speech.voices import Delivery
from tests.support.scenarios import DANA

LINE = "Forty minutes. I have been standing at this counter for forty minutes. Where is it?"
RAJ = Voice(gender="male", pitch=40, rate=165, volume=0.85, accent="en-us")


@pytest.fixture(scope="module")
def synth() -> Synthesizer:
    synth = Synthesizer()
    if not synth.available:
        pytest.skip("espeak-ng is not installed")
    return synth


@pytest.fixture
def renderer(synth, private_data_dir) -> LineRenderer:
    return LineRenderer(synth)


def wav_info(path: Path) -> tuple[wave._wave_params, np.ndarray]:
    with wave.open(str(path)) as wav:
        params = wav.getparams()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").astype(np.float64) / 32768
    return params, samples


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples**2)))


def median_pitch(path: Path) -> float:
    f0 = parselmouth.Sound(str(path)).to_pitch(pitch_floor=60, pitch_ceiling=500).selected_array["frequency"]
    return float(np.median(f0[f0 > 0]))


def test_a_rendered_line_is_a_mono_16_bit_wav_of_speech(renderer):
    path = renderer.render(LINE, DANA, 50)
    params, samples = wav_info(path)
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, SAMPLE_RATE)
    seconds = params.nframes / params.framerate
    assert 3.0 < seconds < 7.0  # 14 words at 185 wpm, with two sentence pauses
    assert rms(samples) > 0.03  # speech, not silence (silence is below 0.001)
    assert np.max(np.abs(samples)) < 0.99  # levelled without clipping
    # Playback must start speaking at once: little silence before the first sound.
    onset = int(np.argmax(np.abs(samples) > 0.02))
    assert onset / SAMPLE_RATE < 0.05
    assert path.parent.parent == paths.cache_dir() / "voice"


def test_agitation_is_heard_faster_higher_and_louder(renderer):
    calm = renderer.render(LINE, DANA, 5)
    furious = renderer.render(LINE, DANA, 95)
    (calm_params, calm_samples), (hot_params, hot_samples) = wav_info(calm), wav_info(furious)
    assert hot_params.nframes < calm_params.nframes * 0.75
    assert rms(hot_samples) > rms(calm_samples) * 1.2
    assert median_pitch(furious) > median_pitch(calm) * 1.1


def test_voices_are_levelled_to_the_same_loudness(renderer):
    her = rms(wav_info(renderer.render(LINE, DANA, 50))[1])
    him = rms(wav_info(renderer.render(LINE, RAJ, 50))[1])
    assert her == pytest.approx(him, rel=0.25)


def test_different_customers_sound_different(renderer):
    her, him = renderer.render(LINE, DANA, 50), renderer.render(LINE, RAJ, 50)
    assert renderer.delivery_for(DANA, 50).voice_id != renderer.delivery_for(RAJ, 50).voice_id
    assert median_pitch(her) > median_pitch(him) * 1.4


def test_the_cache_hits_on_the_second_render_and_misses_on_any_change(synth, private_data_dir):
    cache = VoiceCache()
    renderer = LineRenderer(synth, cache)
    first = renderer.render(LINE, DANA, 50)
    assert (cache.hits, cache.misses) == (0, 1)
    stamp = first.stat().st_mtime_ns
    # Same text, voice and band (52 and 50 share the 40-60 band): the same file, not re-rendered.
    assert renderer.render(LINE, DANA, 52) == first
    assert first.stat().st_mtime_ns == stamp
    assert (cache.hits, cache.misses) == (1, 1)
    assert renderer.cached(LINE, DANA, 50) == first

    assert renderer.cached(LINE + " Now!", DANA, 50) is None  # new text
    assert renderer.cached(LINE, RAJ, 50) is None  # another voice
    assert renderer.cached(LINE, DANA, 90) is None  # another band

    class Upgraded(Synthesizer):
        @property
        def engine_id(self) -> str:
            return super().engine_id + "-next"

    upgraded = LineRenderer(Upgraded(), cache)
    assert upgraded.cached(LINE, DANA, 50) is None
    assert upgraded.render(LINE, DANA, 50) != first
    assert len(cache.files()) == 2


def test_cache_keys_cover_every_delivery_setting():
    base = Delivery("gmw/en+f2", 185, 55, 0.85, 0.3)
    keys = {line_key("Hello", base, "espeak:1")}
    for changed in (
        Delivery("gmw/en+f3", 185, 55, 0.85, 0.3), Delivery("gmw/en+f2", 186, 55, 0.85, 0.3),
        Delivery("gmw/en+f2", 185, 56, 0.85, 0.3), Delivery("gmw/en+f2", 185, 55, 0.9, 0.3),
        Delivery("gmw/en+f2", 185, 55, 0.85, 0.2),
    ):
        keys.add(line_key("Hello", changed, "espeak:1"))
    keys.add(line_key("Hello", base, "espeak:2"))
    keys.add(line_key("Hello!", base, "espeak:1"))
    assert len(keys) == 8


def test_prerender_renders_every_line_at_every_band_once(synth, private_data_dir, late_order):
    scenario = late_order
    renderer = LineRenderer(synth, bands=5)
    report = renderer.prerender(scenario)
    assert (report.lines, report.renders, report.rendered, report.reused) == (3, 15, 15, 0)
    assert report.cache_bytes == renderer.cache.size_bytes() > 0
    # Every line is now found without synthesis, whatever the agitation during the session.
    for text in scenario.lines():
        for agitation in (0, 33, 61, 100):
            assert renderer.cached(text, scenario.customer.voice, agitation) is not None
    again = prerender(scenario, bands=5, renderer=renderer)
    assert (again.rendered, again.reused) == (0, 15)


def test_prerender_stops_when_cancelled_and_the_rest_renders_later(synth, private_data_dir, late_order):
    """A natural voice takes minutes over a whole scenario; quitting or switching scenario must not
    wait for it (the pool's destructor did, at the end of every test run and at every quit)."""
    scenario = late_order
    renderer = LineRenderer(synth, bands=5)
    asked = []
    report = renderer.prerender(scenario, cancelled=lambda: len(asked) > 3 or asked.append(1) is not None)
    assert report.rendered == 4 and report.cache_bytes > 0
    assert renderer.prerender(scenario).rendered == 11  # what was left, when next asked


def test_prerender_waits_while_its_gate_is_held_and_a_needed_line_does_not(synth, private_data_dir, late_order):
    """The app holds rendering ahead while the trainee's reply is recognised (2 cores): the
    scenario waits between lines, while the line needed next is rendered at once."""
    scenario, voice = late_order, late_order.customer.voice
    renderer = LineRenderer(synth, bands=5)
    gate = Gate()
    gate.hold()
    reports: list[PrerenderReport] = []
    worker = threading.Thread(target=lambda: reports.append(renderer.prerender(scenario, gate=gate)))
    worker.start()
    try:
        time.sleep(0.5)
        assert renderer.cache.files() == []  # held before its first line
        needed = renderer.render("Right. Thank you.", voice, 90)  # the next line: not held
        assert renderer.cache.files() == [needed]
    finally:
        gate.release()
        worker.join(30)
    assert reports and reports[0].rendered == 15


def test_the_lines_expected_next_are_rendered_before_the_rest(synth, private_data_dir, late_order):
    """While the customer speaks, the answers they may give next are rendered first: early in a
    scenario, whose lines are still rendering, the answer is then ready when the trainee replies."""
    scenario, voice = late_order, late_order.customer.voice
    renderer = LineRenderer(synth, bands=5)
    soon = Upcoming()
    soon.set(upcoming(["Thank you."], 10))
    report = renderer.prerender(scenario, cancelled=lambda: len(renderer.cache.files()) >= 3, soon=soon)
    assert report.rendered == 3 and len(soon) == 0
    assert all(renderer.cached("Thank you.", voice, a) for a in (10, 30, 50))
    # The opening lines at the customer's starting agitation (60) were next, and are not done yet.
    assert renderer.cached("Where is my order?", voice, 60) is None
    assert renderer.prerender(scenario, soon=soon).rendered == 12  # the rest, once each


def test_what_is_expected_next_is_the_band_the_customer_is_in_then_either_side():
    assert upcoming(["A", "B", "A"], 65) == [("A", 70.0), ("B", 70.0), ("A", 50.0), ("B", 50.0),
                                             ("A", 90.0), ("B", 90.0)]
    assert [band for _, band in upcoming(["A"], 0)] == [10.0, 30.0, 50.0]
    soon = Upcoming()
    soon.set(upcoming(["A"], 50))
    soon.set(upcoming(["B"], 50))  # a new line replaces what was left of the last
    assert [soon.take(), soon.take(), soon.take(), soon.take()] == [("B", 50.0), ("B", 30.0), ("B", 70.0), None]


def test_a_held_prerender_still_stops_when_cancelled(synth, private_data_dir, late_order):
    renderer = LineRenderer(synth, bands=5)
    gate = Gate()
    gate.hold()
    began = time.perf_counter()
    report = renderer.prerender(late_order, cancelled=lambda: time.perf_counter() - began > 0.3, gate=gate)
    assert report.rendered == 0 and time.perf_counter() - began < 2


def test_no_engine_gives_the_clear_error(private_data_dir):
    # The real lookup, pointed at a driver that is not installed.
    missing = Synthesizer(driver="no_such_engine")
    assert not missing.available
    with pytest.raises(TtsUnavailable) as error:
        LineRenderer(missing).render(LINE, DANA, 50)
    assert str(error.value).startswith(MISSING_MESSAGE)
    assert "sudo apt install espeak-ng" in str(error.value)
    assert "no_such_engine" in str(error.value)


def test_finish_shortens_long_pauses_more_when_agitated():
    rate = SAMPLE_RATE
    tone = 0.3 * np.sin(np.arange(rate // 2) * 2 * np.pi * 200 / rate).astype(np.float32)
    gap = np.zeros(rate, np.float32)  # one second of silence between two words
    line = np.concatenate([np.zeros(rate // 4, np.float32), tone, gap, tone, gap[: rate // 2]])
    calm = finish(line, rate, Delivery("v", 150, 50, 0.7, 0.45))
    sharp = finish(line, rate, Delivery("v", 150, 50, 0.7, 0.12))
    assert len(calm) / rate == pytest.approx(0.01 + 0.5 + 0.45 + 0.5 + 0.08, abs=0.03)
    assert len(sharp) / rate == pytest.approx(0.01 + 0.5 + 0.12 + 0.5 + 0.08, abs=0.03)


def test_other_engines_wav_formats_are_converted():
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:  # 16 kHz stereo, as some SAPI5 voices write
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes((np.ones((16000, 2)) * 8000).astype("<i2").tobytes())
    samples, rate = read_wav(buffer.getvalue())
    assert rate == 16000 and samples.shape == (16000,)
    out = finish(samples, rate, Delivery("v", 150, 50, 1.0, 0.3))
    assert len(out) == pytest.approx(SAMPLE_RATE + 0.01 * SAMPLE_RATE, abs=0.1 * SAMPLE_RATE)


class _DriverThatCannotSpeak:
    """A pyttsx3 driver that starts but fails its first utterance (a broken audio library)."""

    def __init__(self, proxy):
        self.proxy = proxy

    def destroy(self):
        pass

    def say(self, text):
        pass

    def save_to_file(self, text, filename):
        pass

    def stop(self):
        pass

    def getProperty(self, name):
        return [] if name == "voices" else None

    def setProperty(self, name, value):
        pass

    def startLoop(self):
        raise RuntimeError("audio library failed")

    def endLoop(self):
        pass


def test_an_engine_that_starts_but_cannot_speak_is_unavailable_and_not_kept(monkeypatch):
    import sys
    import types

    from simulator.speech import tts

    module = types.ModuleType("pyttsx3.drivers.cannot_speak")
    module.buildDriver = _DriverThatCannotSpeak  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(tts, "_ENGINES", {})
    synth = tts.Synthesizer(driver="cannot_speak")
    assert not synth.available
    with pytest.raises(tts.TtsUnavailable, match="could not speak"):
        synth.check()
    assert "cannot_speak" not in tts._ENGINES, "a half-started engine would fail every later line"


# -- every engine: agitation heard, natural voices chosen, opening lines first ------------------
def _engines():
    from simulator.speech.flite_voice import FliteEngine
    from simulator.speech.hibari_voice import HibariEngine

    return {"hibari": HibariEngine(), "flite": FliteEngine()}


def pitch_spread(path: Path) -> float:
    """Semitones between the 10th and 90th percentile of F0: how much the voice moves."""
    f0 = parselmouth.Sound(str(path)).to_pitch(pitch_floor=60, pitch_ceiling=500).selected_array["frequency"]
    st = 12 * np.log2(f0[f0 > 0])
    return float(np.percentile(st, 90) - np.percentile(st, 10))


@pytest.mark.parametrize("engine", ["pyttsx3", "hibari", "flite"])
def test_agitation_is_heard_on_every_engine(engine, synth, private_data_dir):
    """Furious against calm: faster, louder, higher and with a wider pitch range, whatever speaks."""
    natural = [] if engine == "pyttsx3" else [_engines()[engine]]
    if natural and not natural[0].available:
        pytest.skip(natural[0].problem)
    renderer = LineRenderer(synth, natural=natural)
    assert renderer.delivery_for(DANA, 50).engine == engine
    calm, furious = renderer.render(LINE, DANA, 5), renderer.render(LINE, DANA, 95)
    (calm_params, calm_samples), (hot_params, hot_samples) = wav_info(calm), wav_info(furious)
    assert (hot_params.framerate, hot_params.nchannels) == (SAMPLE_RATE, 1)
    # 0.69 asked (163 against 237 wpm); hibari's pauses shrink less than its words (0.77 measured).
    assert hot_params.nframes < calm_params.nframes * 0.8
    assert rms(hot_samples) > rms(calm_samples) * 1.2
    assert median_pitch(furious) > median_pitch(calm) * 1.15
    assert pitch_spread(furious) > pitch_spread(calm) * 1.3


def test_the_default_renderer_gives_customers_natural_voices(private_data_dir):
    renderer = LineRenderer()
    her = renderer.delivery_for(DANA, 50)
    assert (her.engine, her.voice_id) in {("hibari", "heart"), ("flite", "slt")}
    him = renderer.delivery_for(RAJ, 50)
    assert him.engine == ("flite" if _engines()["flite"].available else "pyttsx3")
    renderer.choices["female"] = "pyttsx3"  # the trainee's pick in Settings
    assert renderer.delivery_for(DANA, 50).engine == "pyttsx3"


def test_the_cache_key_covers_the_engine_and_the_reshaping():
    base = Delivery("heart", 185, 50, 0.85, 0.3, engine="hibari", shift=1.0, range=1.2, formant=1.02)
    keys = {line_key("Hello", base, "hibari:1")}
    for changed in (
        Delivery("heart", 185, 50, 0.85, 0.3, engine="flite", shift=1.0, range=1.2, formant=1.02),
        Delivery("heart", 185, 50, 0.85, 0.3, engine="hibari", shift=1.5, range=1.2, formant=1.02),
        Delivery("heart", 185, 50, 0.85, 0.3, engine="hibari", shift=1.0, range=1.3, formant=1.02),
        Delivery("heart", 185, 50, 0.85, 0.3, engine="hibari", shift=1.0, range=1.2, formant=1.04),
    ):
        keys.add(line_key("Hello", changed, "hibari:1"))
    assert len(keys) == 5


def test_prerender_renders_the_opening_lines_first(synth, private_data_dir, late_order):
    scenario = late_order
    renderer = LineRenderer(synth, natural=[_engines()["hibari"]])
    order: list[tuple[str, float]] = []
    render = renderer._render

    def spy(text, voice, agitation):
        order.append((text, agitation))
        return render(text, voice, agitation)

    renderer._render = spy  # type: ignore[method-assign]
    report = renderer.prerender(scenario)
    # The customer starts at 60 (band 70): both opening variants come first, at that band.
    assert order[:2] == [("Where is my order?", 70.0), ("I've waited forty minutes!", 70.0)]
    assert len(order) == len(set(order)) == report.renders == 15
    assert [a for _, a in order[2:]] == sorted((a for _, a in order[2:]), key=lambda a: (abs(a - 70), a))
    assert 0 < report.first_seconds <= report.seconds
