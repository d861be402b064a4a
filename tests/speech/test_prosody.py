"""Pitch shift, pitch range and timbre applied after synthesis, measured on real rendered speech."""

from __future__ import annotations

import numpy as np
import parselmouth
import pytest

from simulator.speech.flite_voice import FliteEngine
from simulator.speech.hibari_voice import HibariEngine
from simulator.speech.prosody import reshape
from simulator.speech.voices import Delivery

LINE = "I have been standing at this counter for forty minutes, and nobody has told me anything."


@pytest.fixture(scope="module")
def speech() -> tuple[np.ndarray, int]:
    engine = HibariEngine()
    if not engine.available:
        engine2 = FliteEngine()
        if not engine2.available:
            pytest.skip("neither hibari-tts nor flite is installed")
        return engine2.raw(LINE, Delivery("slt", 180, 50, 1.0, 0.3, engine="flite"))
    return engine.raw(LINE, Delivery("heart", 180, 50, 1.0, 0.3, engine="hibari"))


def semitones(samples: np.ndarray, rate: int) -> np.ndarray:
    sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=rate)
    f0 = sound.to_pitch(0.01, 75, 600).selected_array["frequency"]
    return 12 * np.log2(f0[f0 > 0])


def spread(st: np.ndarray) -> float:
    return float(np.percentile(st, 90) - np.percentile(st, 10))


def test_nothing_to_change_returns_the_line_untouched(speech):
    samples, rate = speech
    assert reshape(samples, rate, Delivery("v", 180, 50, 1.0, 0.3)) is samples


def test_shift_moves_the_median_pitch_by_that_many_semitones(speech):
    samples, rate = speech
    base = np.median(semitones(samples, rate))
    up = reshape(samples, rate, Delivery("v", 180, 50, 1.0, 0.3, shift=3.0))
    down = reshape(samples, rate, Delivery("v", 180, 50, 1.0, 0.3, shift=-2.0))
    assert np.median(semitones(up, rate)) - base == pytest.approx(3.0, abs=0.6)
    assert np.median(semitones(down, rate)) - base == pytest.approx(-2.0, abs=0.6)
    assert abs(len(up) - len(samples)) < rate * 0.05  # the same length: rate is the engine's job


def test_range_widens_and_narrows_the_pitch_movement(speech):
    samples, rate = speech
    base = spread(semitones(samples, rate))
    wide = spread(semitones(reshape(samples, rate, Delivery("v", 180, 50, 1.0, 0.3, range=1.6)), rate))
    flat = spread(semitones(reshape(samples, rate, Delivery("v", 180, 50, 1.0, 0.3, range=0.7)), rate))
    assert wide > base * 1.3 and flat < base * 0.85


def test_formant_shift_moves_the_spectrum_not_the_pitch(speech):
    samples, rate = speech

    def centroid(x: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(x))
        freqs = np.fft.rfftfreq(len(x), 1 / rate)
        return float(np.sum(spectrum * freqs) / np.sum(spectrum))

    brighter = reshape(samples, rate, Delivery("v", 180, 50, 1.0, 0.3, formant=1.1))
    darker = reshape(samples, rate, Delivery("v", 180, 50, 1.0, 0.3, formant=0.9))
    assert centroid(brighter) > centroid(darker) * 1.05
    base = np.median(semitones(samples, rate))
    assert np.median(semitones(brighter, rate)) == pytest.approx(base, abs=0.7)


def test_silence_comes_back_unchanged():
    silence = np.zeros(24000, np.float32)
    out = reshape(silence, 24000, Delivery("v", 180, 50, 1.0, 0.3, shift=2.0, range=1.5))
    assert out is silence
