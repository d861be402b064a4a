"""TurnDetector: speech start and end of turn on espeak-ng speech padded with silence."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from simulator.speech.vad import TurnDetector


def speech_with_silence(tmp_path: Path, text: str, lead: float = 0.5, tail: float = 1.0) -> bytes:
    raw, wav = tmp_path / "raw.wav", tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav),
                    "pad", str(lead), str(tail)], check=True)
    with wave.open(str(wav)) as w:
        return w.readframes(w.getnframes())


def last_loud_sample(pcm: bytes) -> float:
    samples = np.abs(np.frombuffer(pcm, dtype="<i2").astype(float))
    return float(np.nonzero(samples > 0.02 * samples.max())[0][-1]) / 16000


def run(detector: TurnDetector, pcm: bytes, chunk: int = 960) -> list[tuple[str, float, float]]:
    """(kind, event time, detector time when reported) for every event."""
    events = []
    for offset in range(0, len(pcm), chunk):
        for event in detector.feed(pcm[offset:offset + chunk]):
            events.append((event.kind, event.time, detector.time))
    return events


def test_finds_start_and_end_of_a_reply_within_a_few_hundred_ms(tmp_path):
    pcm = speech_with_silence(tmp_path, "I can see you're upset, let me check that for you")
    events = run(TurnDetector(), pcm)
    assert [kind for kind, *_ in events] == ["speech_start", "turn_end"]
    (_, start, _), (_, end, reported) = events
    assert 0.4 < start < 0.7
    true_end = last_loud_sample(pcm)
    assert abs(end - true_end) < 0.3
    # Reported after the 0.35 s hangover plus the VAD's fading tail: well under SpeechRecognition's 0.8 s.
    assert reported - true_end < 0.7


def trimmed(pcm: bytes) -> bytes:
    samples = np.frombuffer(pcm, dtype="<i2")
    loud = np.nonzero(np.abs(samples.astype(float)) > 0.02 * np.abs(samples).max())[0]
    return samples[loud[0]:loud[-1] + 1].tobytes()


@pytest.mark.parametrize(("pause", "turns"), [(0.2, 1), (0.8, 2)])
def test_a_short_pause_inside_a_sentence_does_not_end_the_turn(tmp_path, pause, turns):
    first = trimmed(speech_with_silence(tmp_path, "I'm sorry"))
    second = trimmed(speech_with_silence(tmp_path, "you have been waiting so long"))
    silence = bytes(int(16000 * pause) * 2)
    events = run(TurnDetector(), bytes(16000) + first + silence + second + bytes(32000))
    assert [kind for kind, *_ in events] == ["speech_start", "turn_end"] * turns


def test_a_longer_hangover_waits_longer(tmp_path):
    pcm = speech_with_silence(tmp_path, "thank you for waiting")
    quick = run(TurnDetector(hangover=0.3), pcm)[-1][2]
    slow = run(TurnDetector(hangover=0.6), pcm)[-1][2]
    assert slow - quick == pytest.approx(0.3, abs=0.07)


def test_silence_and_a_click_are_not_a_turn():
    silence = bytes(16000 * 2)
    click = (np.r_[np.zeros(8000), 20000 * np.ones(480), np.zeros(16000)]).astype("<i2").tobytes()
    assert run(TurnDetector(), silence) == []
    assert [kind for kind, *_ in run(TurnDetector(), click)] in ([], ["speech_start"])


def test_flush_ends_an_open_turn(tmp_path):
    pcm = speech_with_silence(tmp_path, "let me get my manager", tail=0)
    detector = TurnDetector()
    run(detector, pcm)
    assert detector.in_speech
    assert [e.kind for e in detector.flush()] == ["turn_end"]
