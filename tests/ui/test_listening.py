"""The recogniser warmed up on the trainee's calibration reading (simulator/ui/listening.py)."""

from __future__ import annotations

import subprocess

from simulator.settings import Settings
from simulator.speech.recognizer import StreamingRecognizer
from simulator.ui.listening import make_listener, warm_up


def test_the_recogniser_is_warmed_up_on_the_trainees_calibration_reading(tmp_path):
    reading = tmp_path / "baseline.wav"
    subprocess.run(["espeak-ng", "-w", str(reading),
                    "Good morning, I am reading this sentence in my normal speaking voice."],
                   check=True)
    recognizer = StreamingRecognizer()
    warm_up(recognizer, Settings(baseline_wav=str(reading)))
    assert recognizer.warm


def test_a_missing_calibration_file_only_leaves_the_recogniser_cold(tmp_path):
    recognizer = StreamingRecognizer()
    warm_up(recognizer, Settings(baseline_wav=str(tmp_path / "gone.wav")))
    warm_up(recognizer, Settings())
    assert not recognizer.warm


def test_the_listener_warms_its_recogniser_up_on_its_worker(qtbot, tmp_path):
    reading = tmp_path / "baseline.wav"
    subprocess.run(["espeak-ng", "-w", str(reading), "I am reading this in my normal voice."],
                   check=True)
    recognizer = StreamingRecognizer()
    listener = make_listener(Settings(baseline_wav=str(reading), data_dir=str(tmp_path)),
                             microphone=None, recognizer=recognizer)
    try:
        qtbot.waitUntil(lambda: recognizer.warm, timeout=20000)
    finally:
        listener.close()
