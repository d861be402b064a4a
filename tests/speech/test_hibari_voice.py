"""The hibari neural voice: the real model, its SHA-256 checks, and never a download."""

from __future__ import annotations

import socket
import urllib.request

import numpy as np
import pytest

from simulator.speech import hibari_voice
from simulator.speech.cache import VoiceCache
from simulator.speech.catalogue import VoiceFailed, VoiceUnavailable
from simulator.speech.hibari_voice import HibariEngine
from simulator.speech.tts import LineRenderer, Synthesizer
from simulator.speech.voices import Delivery
from tests.support.scenarios import DANA

LINE = "Where is my order? I was told it would be ready at four."


@pytest.fixture(scope="module")
def engine() -> HibariEngine:
    engine = HibariEngine()
    if not engine.available:
        pytest.fail(f"hibari-tts is a dependency and must be installed: {engine.problem}")
    return engine


def test_the_bundled_voice_speaks(engine):
    assert [v.voice for v in engine.voices()] == ["heart"]
    us, rate = engine.raw(LINE, Delivery("heart", 200, 50, 1.0, 0.3, engine="hibari"))
    assert rate == 24000 and us.dtype == np.float32
    assert 2.0 < len(us) / rate < 6.0 and np.sqrt(np.mean(us**2)) > 0.02


def test_rate_follows_the_delivery(engine):
    slow, rate = engine.raw(LINE, Delivery("heart", 150, 50, 1.0, 0.3, engine="hibari"))
    fast, _ = engine.raw(LINE, Delivery("heart", 260, 50, 1.0, 0.3, engine="hibari"))
    assert len(fast) < len(slow) * 0.7


def test_a_line_renders_the_same_every_time(engine):
    d = Delivery("heart", 200, 50, 1.0, 0.3, engine="hibari")
    assert np.array_equal(engine.raw(LINE, d)[0], engine.raw(LINE, d)[0])


def test_voices_that_would_download_are_refused(engine):
    with pytest.raises(VoiceFailed, match="no offline voice 'emma'"):
        engine.raw(LINE, Delivery("emma", 200, 50, 1.0, 0.3, engine="hibari"))


def test_nothing_is_fetched_from_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the natural voice tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    fresh = HibariEngine()  # loads the model and the pronunciation data afresh
    samples, _ = fresh.raw(LINE, Delivery("heart", 200, 50, 1.0, 0.3, engine="hibari"))
    assert len(samples) > 0


def test_an_altered_model_file_is_refused_with_what_to_do(monkeypatch):
    monkeypatch.setitem(hibari_voice.MODEL_SHA256, "hibari.onnx", "0" * 64)
    engine = HibariEngine()
    assert not engine.available and engine.voices() == ()
    assert "does not match its SHA-256" in engine.problem
    assert "pip install --force-reinstall hibari-tts==0.2.1" in engine.problem
    with pytest.raises(VoiceUnavailable):
        HibariEngine.verify()


def test_another_version_is_refused(monkeypatch):
    monkeypatch.setattr(hibari_voice, "VERSION", "9.9.9")
    assert "checks the model files of 9.9.9" in HibariEngine().problem


def test_a_mismatched_model_falls_back_to_espeak_ng(monkeypatch, private_data_dir):
    synth = Synthesizer()
    if not synth.available:
        pytest.skip("espeak-ng is not installed")
    monkeypatch.setitem(hibari_voice.MODEL_SHA256, "hibari.onnx", "0" * 64)
    renderer = LineRenderer(synth, VoiceCache(), natural=[HibariEngine()])
    assert renderer.delivery_for(DANA, 50).engine == "pyttsx3"
    assert renderer.render(LINE, DANA, 50).stat().st_size > 10000
    assert any("SHA-256" in problem for problem in renderer.problems)


def test_a_failing_natural_voice_hands_the_customer_to_espeak_ng(private_data_dir):
    synth = Synthesizer()
    if not synth.available:
        pytest.skip("espeak-ng is not installed")

    class Broken(HibariEngine):
        def raw(self, text, settings):
            raise VoiceFailed("onnxruntime could not run the model")

    renderer = LineRenderer(synth, VoiceCache(), natural=[Broken()])
    assert renderer.delivery_for(DANA, 50).engine == "hibari"
    assert renderer.render(LINE, DANA, 50).is_file()
    assert renderer.delivery_for(DANA, 50).engine == "pyttsx3"
    assert any("system voice instead" in problem for problem in renderer.problems)
