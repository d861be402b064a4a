"""The end-of-turn cue: a reply sounds finished on its last word and its falling pitch."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.speech import endpoint
from simulator.speech.endpoint import pitch_ending, sounds_complete, speech_tail


def voice(f0_start: float, f0_end: float, seconds: float = 0.8, bend_at: float = 0.6) -> bytes:
    """A buzzy vowel at `f0_start` Hz that glides to `f0_end` Hz over its last part."""
    n = int(seconds * 16000)
    t = np.arange(n) / 16000
    bend = bend_at * seconds
    f0 = np.where(t < bend, f0_start,
                  f0_start + (f0_end - f0_start) * (t - bend) / (seconds - bend))
    phase = 2 * np.pi * np.cumsum(f0) / 16000
    wave = sum(np.sin(k * phase) / k for k in range(1, 12))
    return (6000 * wave / np.abs(wave).max()).astype("<i2").tobytes()


def test_a_falling_end_falls_and_a_rising_one_does_not():
    falling = pitch_ending(voice(200, 160))  # about -3.9 semitones: a statement's end
    rising = pitch_ending(voice(160, 220))  # a question's or a list's continuation rise
    level = pitch_ending(voice(180, 180))  # held: more is coming
    plunging = pitch_ending(voice(200, 100))  # an octave: creak or a pitch-halving error
    assert falling is not None and rising is not None and level is not None
    assert plunging is not None
    assert falling.drop < -1 and falling.falls
    assert rising.drop > 1 and not rising.falls
    assert abs(level.drop) < 0.5 and not level.falls
    assert not plunging.falls


def test_too_little_voice_gives_no_pitch():
    assert pitch_ending(bytes(16000)) is None
    assert pitch_ending(b"") is None


@pytest.mark.parametrize("partial", [
    "i can check that for you and", "let me see if the", "i'm sorry because", "well um", "",
])
def test_a_reply_stopping_on_a_word_that_needs_more_is_unfinished(partial):
    assert not sounds_complete(partial, voice(200, 160))


def test_a_finished_sentence_with_a_falling_end_is_complete():
    assert sounds_complete("i can check that for you", voice(200, 160))
    assert not sounds_complete("i can check that for you", voice(160, 220))


def test_the_unfinished_words_are_lower_case_single_words():
    assert all(w == w.lower() and " " not in w for w in endpoint.UNFINISHED_WORDS)
    assert {"and", "but", "because", "the", "to", "i", "you're", "a", "so", "if", "um"} \
        <= endpoint.UNFINISHED_WORDS


def test_speech_tail_leaves_out_the_silence_after_the_speech():
    speech = bytes([1, 0]) * 32000  # 2 s
    audio = speech + bytes(3200)  # then 0.1 s of silence
    tail = speech_tail(audio, 0.1)
    assert len(tail) == 2 * int(endpoint.TAIL * 16000)
    assert set(tail) == {0, 1} and tail[-2:] == bytes([1, 0])
    assert speech_tail(bytes(1000), 0.5) == b""
