"""Does the trainee's reply sound finished at a pause? The cue for ending a turn early.

Voice agents end a turn on more than silence: a reply that sounds complete ends after a short
pause, one that stops on "and", "because", "the" or on a level or rising pitch gets longer to go
on. `TurnDetector` (simulator.speech.vad) reports a `pause` after `PAUSE_AFTER` of silence; the
listener asks `sounds_complete` with the streaming recogniser's partial transcript and the last
`TAIL` seconds of speech, and hands the answer back to the detector, which then ends the turn
after `SHORT_HANGOVER` instead of `LONG_HANGOVER`.

Two cues, both needed for "complete":
  - the last word of the partial is not one a sentence does not end on (`UNFINISHED_WORDS`);
  - the pitch of the last syllables ends a moderate fall (`_FALL_RANGE` semitones below the
    speech before it, and not rising at the very end). A continuation rise or level pitch fails
    it, and so does a very deep "fall", which in read speech was mostly a creaky or pitch-halved
    syllable before a comma rather than a sentence's end.
Pitch comes from parselmouth (Praat's autocorrelation tracker): a verdict (partial + pitch of the
0.8 s tail) takes a median 2.7 ms, p95 4.8 ms, on the listener's worker thread.

Measured with bench/endpoint.py: 51 real read utterances (/work/shared/data/speech-asr), 120
synthetic in-scenario replies and 60 two-sentence ones (espeak-ng, flite, Festival), fed in 30 ms
chunks through the real streaming recogniser (adapted to the scenarios). Delay = turn end
reported - last sample above 2% of the peak, on the synthetic replies.

    rule                        real splits  delay median  p95      two-sentence splits
    plain 0.35 s (the default)   6/51         450 ms        561 ms   19/60
    plain 0.5 s                  3/51         600 ms        711 ms    7/60
    plain 0.7 s                  2/51         780 ms        891 ms    0/60
    cue, 0.2 s / 0.7 s           4/51         341 ms        832 ms   28/60

With the cue, 89 of the 120 synthetic replies ended on the short pause. It splits fewer real
sentences and ends a finished reply ~110 ms sooner, but it ends more two-sentence replies at the
pause between the sentences (0.27 s after "Dana." in tests/ui/conversation/test_voice_e2e.py's espeak-ng
reply), which no cue at that pause can tell from an end: the first sentence is complete. Tried on the same recordings (bench replay): a drop range up
to +0.6 st (level pitch counts as a fall) split 7/51 real and 30/60 two-sentence; short 0.25 s
2/51 and 25/60 at a 380 ms median, 0.3 s 2/51 and 23/60 at 440 ms (both with a long 0.8 s).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16000
# Silence before the cue is asked for: the recogniser's partial has the last word by then.
PAUSE_AFTER = 0.09
# Silence that ends a turn that sounds complete, and one that does not (figures above; a long
# 0.8 s split 3/51 real sentences instead of 4, at a p95 delay of 952 ms instead of 832).
SHORT_HANGOVER = 0.2
LONG_HANGOVER = 0.7
# Seconds of speech before the pause that the pitch is read from.
TAIL = 0.8

# Words a finished sentence rarely ends on: conjunctions, articles, some prepositions, a subject
# pronoun waiting for its verb, hesitations.
UNFINISHED_WORDS = frozenset("""
    and but because or so if than that's the a an my your our their his its to of with from at
    i i'm i'll i'd i've you're we we're we'll they they're he she he's she's it's there's
    um uh er erm ah
""".split())

# The end of the speech, relative to the speech before it in the tail: semitones (median of
# the last quarter of the voiced frames minus the median of the rest) and the slope of that last
# quarter (semitones per second).
_FALL_RANGE = (-5.0, -0.5)
_MAX_END_SLOPE = 10.0
_PITCH_FLOOR = 75.0
_PITCH_CEILING = 500.0
_MIN_VOICED_FRAMES = 6


@dataclass(frozen=True)
class PitchEnding:
    """How the pitch ends: `drop` semitones from the earlier speech, `slope` semitones/s."""

    drop: float
    slope: float

    @property
    def falls(self) -> bool:
        low, high = _FALL_RANGE
        return low < self.drop < high and self.slope < _MAX_END_SLOPE


def pitch_ending(pcm: bytes, sample_rate: int = SAMPLE_RATE) -> PitchEnding | None:
    """The pitch movement at the end of `pcm` (PCM16 mono); None when too little is voiced."""
    import parselmouth  # loaded on first use: the app imports this module at start-up

    samples = np.frombuffer(pcm[:len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float64)
    if len(samples) < sample_rate // 10:
        return None
    sound = parselmouth.Sound(samples / 32768.0, sample_rate)
    pitch = sound.to_pitch_ac(time_step=0.01, pitch_floor=_PITCH_FLOOR,
                              pitch_ceiling=_PITCH_CEILING)
    voiced = pitch.selected_array["frequency"]
    voiced = voiced[voiced > 0]
    if len(voiced) < _MIN_VOICED_FRAMES:
        return None
    semitones = 12 * np.log2(voiced / np.median(voiced))
    last = max(3, len(semitones) // 4)
    tail, head = semitones[-last:], semitones[:-last]
    slope = float(np.polyfit(np.arange(last), tail, 1)[0]) * 100  # 10 ms frames
    return PitchEnding(float(np.median(tail) - np.median(head)), slope)


def last_word(text: str) -> str:
    words = text.lower().split()
    return words[-1].strip(".,!?;:\"") if words else ""


def sounds_complete(partial: str, tail: bytes, sample_rate: int = SAMPLE_RATE) -> bool:
    """True when the reply so far sounds finished: `partial` is the recogniser's live
    transcript, `tail` the last `TAIL` seconds of speech before the pause (PCM16 mono)."""
    word = last_word(partial)
    if not word or word in UNFINISHED_WORDS:
        return False
    ending = pitch_ending(tail, sample_rate)
    return ending is not None and ending.falls


def speech_tail(audio: bytes | bytearray, silence: float, sample_rate: int = SAMPLE_RATE) -> bytes:
    """The last `TAIL` seconds of speech in `audio` (PCM16 mono), which ends with `silence`
    seconds after the speech."""
    end = len(audio) - 2 * int(round(max(0.0, silence) * sample_rate))
    start = max(0, end - 2 * int(TAIL * sample_rate))
    return bytes(audio[start:max(start, end)])
