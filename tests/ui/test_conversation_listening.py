"""Building the recogniser from Settings (simulator/ui/conversation_listening.py)."""

from __future__ import annotations

import subprocess

from simulator.settings import Settings
from simulator.ui.conversation_listening import build_recognizer


def test_the_recogniser_is_warmed_up_on_the_trainees_calibration_reading(tmp_path):
    reading = tmp_path / "baseline.wav"
    subprocess.run(["espeak-ng", "-w", str(reading),
                    "Good morning, I am reading this sentence in my normal speaking voice."],
                   check=True)
    assert build_recognizer(Settings(baseline_wav=str(reading))).warm


def test_a_missing_calibration_file_only_leaves_the_recogniser_cold(tmp_path):
    recognizer = build_recognizer(Settings(baseline_wav=str(tmp_path / "gone.wav")))
    assert not recognizer.warm
    assert not build_recognizer(Settings()).warm
