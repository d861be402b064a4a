"""The test set-up's virtual devices are what Qt sees, and a WAV played into the mic comes back."""

from __future__ import annotations

import subprocess
import time
import wave

import pytest

pytestmark = pytest.mark.audio


def test_qt_lists_the_virtual_devices(pulse, qapp):
    from PySide6.QtMultimedia import QMediaDevices

    inputs = [bytes(d.id()).decode() for d in QMediaDevices.audioInputs()]
    outputs = [bytes(d.id()).decode() for d in QMediaDevices.audioOutputs()]
    assert "mic" in inputs
    assert "spk" in outputs


def test_played_wav_is_recorded_from_the_speaker_monitor(pulse, tmp_path):
    speech = tmp_path / "say.wav"
    subprocess.run(["espeak-ng", "-w", str(speech), "testing one two three"], check=True)
    out = tmp_path / "back.wav"
    rec = pulse.record_speaker(out)
    time.sleep(1.5)  # the first recording of a fresh daemon takes about 1.3 s to start capturing
    subprocess.run(["paplay", "--device=spk", str(speech)], env=pulse.env, check=True)
    pulse.stop_recording(rec)
    with wave.open(str(out)) as w:
        assert w.getnframes() > 16000 * 0.5
