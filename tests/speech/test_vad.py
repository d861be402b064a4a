"""TurnDetector: speech start and end of turn on espeak-ng speech padded with silence."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from simulator.speech.vad import TurnDetector
from tests.support.speech import espeak_wav


def speech_with_silence(tmp_path: Path, text: str, lead: float = 0.5, tail: float = 1.0) -> bytes:
    wav = espeak_wav(text, tmp_path / "speech.wav", pad=(lead, tail))
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


def run_judged(detector: TurnDetector, pcm: bytes, complete: bool) -> list[tuple[str, float, float]]:
    """`run`, answering every pause at once with `complete`."""
    events = []
    for offset in range(0, len(pcm), 960):
        found = detector.feed(pcm[offset:offset + 960])
        while found:
            event = found.pop(0)
            events.append((event.kind, event.time, detector.time))
            if event.kind == "pause":
                found += detector.verdict(event.pause, complete)
    return events


@pytest.mark.parametrize(("complete", "hangover"), [(True, 0.2), (False, 0.7)])
def test_a_reply_that_sounds_finished_ends_on_the_short_hangover(tmp_path, complete, hangover):
    pcm = speech_with_silence(tmp_path, "thank you for waiting")
    detector = TurnDetector(0.7, short_hangover=0.2, pause_after=0.09)
    events = run_judged(detector, pcm, complete)
    kinds = [kind for kind, *_ in events]
    assert kinds[0] == "speech_start" and kinds[-1] == "turn_end" and "pause" in kinds
    assert kinds.count("turn_end") == 1
    (_, end, reported) = events[-1]
    pause = [e for e in events if e[0] == "pause"][-1]
    assert pause[1] == end
    assert pause[2] - end == pytest.approx(0.09, abs=0.016)
    assert reported - end == pytest.approx(hangover, abs=0.035)


def test_a_verdict_after_the_speech_went_on_is_ignored(tmp_path):
    first = trimmed(speech_with_silence(tmp_path, "I'm sorry"))
    second = trimmed(speech_with_silence(tmp_path, "you have been waiting so long"))
    detector = TurnDetector(0.7, short_hangover=0.2, pause_after=0.09)
    pauses = [e for e in detector.feed(bytes(16000) + first + bytes(8000)) if e.kind == "pause"]
    assert len(pauses) == 1
    detector.feed(second[:16000])  # the trainee goes on before the answer comes back
    assert detector.verdict(pauses[0].pause, True) == []
    events = run(detector, second[16000:] + bytes(48000))
    assert [kind for kind, *_ in events] == ["pause", "turn_end"]
    # No answer for the last pause: the long hangover.
    assert events[-1][2] - events[-1][1] == pytest.approx(0.7, abs=0.035)


def test_a_late_verdict_ends_the_turn_at_once(tmp_path):
    pcm = trimmed(speech_with_silence(tmp_path, "thank you for waiting"))
    detector = TurnDetector(0.7, short_hangover=0.2, pause_after=0.09)
    events = run(detector, bytes(16000) + pcm + bytes(4800))
    pauses = [kind for kind, *_ in events if kind == "pause"]
    assert pauses and events[-1][0] == "pause"
    run(detector, bytes(9600))  # the answer comes after 0.45 s of silence
    late = detector.verdict(detector.pauses, True)
    assert [e.kind for e in late] == ["turn_end"]
    assert detector.verdict(detector.pauses, True) == []


def test_short_hangover_and_pause_after_go_together():
    with pytest.raises(ValueError):
        TurnDetector(0.7, short_hangover=0.2)
    with pytest.raises(ValueError):
        TurnDetector(0.3, short_hangover=0.5, pause_after=0.1)
