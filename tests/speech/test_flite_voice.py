"""flite's recorded voices, through the real `flite` program (a test package of scripts/setup)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from simulator.speech.catalogue import VoiceFailed
from simulator.speech.flite_voice import FliteEngine
from simulator.speech.voices import Delivery

LINE = "I want to speak to the manager, right now."

pytestmark = pytest.mark.skipif(shutil.which("flite") is None, reason="flite is not installed (scripts/setup --test)")


def test_the_recorded_voices_are_listed_and_speak():
    engine = FliteEngine()
    assert engine.available and engine.engine_id.startswith("flite:")
    assert {"awb", "rms", "slt"} <= {v.voice for v in engine.voices()}
    samples, rate = engine.raw(LINE, Delivery("awb", 180, 50, 1.0, 0.3, engine="flite"))
    assert rate == 16000 and 1.0 < len(samples) / rate < 5.0
    assert np.sqrt(np.mean(samples**2)) > 0.01


def test_rate_follows_the_delivery():
    engine = FliteEngine()
    slow, _ = engine.raw(LINE, Delivery("slt", 140, 50, 1.0, 0.3, engine="flite"))
    fast, _ = engine.raw(LINE, Delivery("slt", 260, 50, 1.0, 0.3, engine="flite"))
    assert len(fast) < len(slow) * 0.7


def test_an_unknown_voice_fails_clearly():
    with pytest.raises(VoiceFailed, match="no voice 'nobody'"):
        FliteEngine().raw(LINE, Delivery("nobody", 180, 50, 1.0, 0.3, engine="flite"))


def test_a_missing_program_says_how_to_install_it():
    engine = FliteEngine(program="no-such-flite")
    assert not engine.available and engine.voices() == ()
    assert "sudo apt install flite" in engine.problem
