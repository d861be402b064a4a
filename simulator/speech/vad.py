"""Voice activity detection and end-of-turn detection on streamed 16 kHz PCM16 audio.

The frame classifier is pocketsphinx's `Vad`, a port of the WebRTC voice activity detector:
it ships inside the pocketsphinx wheel we already depend on (no extra megabytes, no model to
download), it works on 10, 20 or 30 ms frames so a decision is never more than a frame late, and
its Gaussian-mixture features were tuned for speech against everyday noise, unlike an energy
threshold that a fan or a raised voice fools. pocketsphinx's own `Endpointer` wraps the same
`Vad`, but it delays its output by a whole window and reports no speech start before that window
fills; `TurnDetector` keeps the frame decisions and applies its own smoothing so the speech start
is reported within ~100 ms and the end of the turn after a configurable hangover.

The hangover is the silence that must follow speech before the trainee's turn counts as over.
SpeechRecognition waits 0.8 s; we default to 0.35 s, measured on the 51 real read utterances in
/work/shared/data/speech-asr with bench/endpoint.py: at 0.35 s the loose mode ends 6 of them
early at a pause inside the sentence (0.2 s: 32, 0.3 s: 16, 0.5 s: 3, 0.7 s: 2, 0.8 s: 1), and
on synthetic replies (espeak-ng, flite, Festival) padded with silence the end of the turn is
reported a median 0.45 s (p95 0.56 s) after the last sample above 2% of the peak: the VAD hears
the fading last syllable as speech for ~0.1 s. The stricter VAD modes split far more real
sentences, so LOOSE is the default.

The detector can also end a turn sooner when what was said sounds finished (`short_hangover`,
`pause_after`, `verdict`; the cue is simulator.speech.endpoint's, the figures are there).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pocketsphinx import Vad

SAMPLE_RATE = 16000
DEFAULT_HANGOVER = 0.35
# Frames in the start window, and how many must be speech: 3 of 5 x 30 ms ignores a click or a
# cough shorter than 90 ms but reports a real word within about 150 ms.
_START_WINDOW = 5
_START_NEEDED = 3
# Frames quieter than this RMS (about -72 dBFS: digital silence or dither) are never speech:
# the WebRTC VAD calls the first ~180 ms of digital silence speech while its noise model
# settles. A higher gate (-55 dBFS) split 26 of the 51 real sentences at their quiet pauses.
_SILENCE_RMS = 8.0


@dataclass(frozen=True)
class TurnEvent:
    """Something the detector noticed. `time` is seconds of audio since the stream started."""

    kind: Literal["speech_start", "pause", "turn_end"]
    time: float
    # For "pause": which pause of the stream it is, to hand back to `TurnDetector.verdict`.
    pause: int = 0


class TurnDetector:
    """Streaming end-of-turn detector: feed PCM16 mono chunks of any size, get events back.

    A turn starts when most of the last few frames are speech, and ends once `hangover`
    seconds have passed with (almost) no speech. A turn with less than `min_speech` seconds of
    speech in it (a cough, a door) is dropped without a `turn_end`: `speech_start` can be
    reported for it, so callers treat `speech_start` as "maybe speaking".

    With `pause_after` and `short_hangover` the end of a turn can come sooner: after
    `pause_after` seconds of silence a `pause` event asks the caller whether what was said sounds
    finished (simulator.speech.endpoint), and if `verdict()` says so before the speech resumes,
    the turn ends after `short_hangover` seconds of silence instead of `hangover`.
    """

    def __init__(self, hangover: float = DEFAULT_HANGOVER, *, mode: int = Vad.LOOSE,
                 min_speech: float = 0.2, frame_length: float = 0.03,
                 sample_rate: int = SAMPLE_RATE, short_hangover: float | None = None,
                 pause_after: float | None = None) -> None:
        if hangover <= 0:
            raise ValueError("hangover must be positive")
        if (short_hangover is None) != (pause_after is None):
            raise ValueError("short_hangover and pause_after go together")
        if short_hangover is not None and pause_after is not None \
                and not 0 < pause_after <= short_hangover <= hangover:
            raise ValueError("need 0 < pause_after <= short_hangover <= hangover")
        self._vad = Vad(mode, sample_rate, frame_length)
        self.frame_length: float = self._vad.frame_length
        self._frame_bytes: int = self._vad.frame_bytes
        self.hangover = hangover
        self.min_speech = min_speech
        self._hang_frames = max(1, round(hangover / self.frame_length))
        self.short_hangover = short_hangover
        self.pause_after = pause_after
        self._short_frames = max(1, round(short_hangover / self.frame_length)) \
            if short_hangover is not None else None
        self._pause_frames = max(1, round(pause_after / self.frame_length)) \
            if pause_after is not None else None
        self.pauses = 0
        self.reset()

    def reset(self) -> None:
        self._buffer = b""
        self._frames = 0
        self._recent: deque[bool] = deque(maxlen=_START_WINDOW)
        self.in_speech = False
        self.speech_start: float | None = None
        self.speech_end: float | None = None
        self._speech_frames = 0
        self._silent_run = 0
        self._last_speech_frame = 0
        self._pause_open = False  # a `pause` was reported and the speech has not resumed
        self._complete = False  # ... and the caller said what came before it sounds finished

    @property
    def time(self) -> float:
        """Seconds of audio consumed so far."""
        return self._frames * self.frame_length

    def feed(self, pcm: bytes) -> list[TurnEvent]:
        self._buffer += pcm
        events: list[TurnEvent] = []
        step = self._frame_bytes
        usable = len(self._buffer) - len(self._buffer) % step
        for offset in range(0, usable, step):
            frame = self._buffer[offset:offset + step]
            samples = np.frombuffer(frame, dtype="<i2").astype(np.float32)
            loud = float(np.sqrt(np.mean(samples * samples))) >= _SILENCE_RMS
            event = self._frame(loud and self._vad.is_speech(frame))
            if event is not None:
                events.append(event)
        self._buffer = self._buffer[usable:]
        return events

    def flush(self) -> list[TurnEvent]:
        """End of stream: a turn still open ends where its speech ended."""
        self._buffer = b""
        if self.in_speech:
            return self._end()
        return []

    def verdict(self, pause: int, complete: bool) -> list[TurnEvent]:
        """The caller's answer to `pause` event number `pause`: does the turn sound finished?

        Ignored once the speech has resumed (a later pause asks again). A `turn_end` comes back
        at once when the short hangover has already passed, else from `feed` when it does.
        """
        if not (self.in_speech and self._pause_open and pause == self.pauses and complete):
            return []
        self._complete = True
        assert self._short_frames is not None
        if self._silent_run >= self._short_frames:
            return self._end()
        return []

    def _frame(self, speech: bool) -> TurnEvent | None:
        index = self._frames
        self._frames += 1
        self._recent.append(speech)
        if not self.in_speech:
            if sum(self._recent) >= _START_NEEDED:
                self.in_speech = True
                first = index - len(self._recent) + 1 + self._recent.index(True)
                self.speech_start = first * self.frame_length
                self.speech_end = None
                self._speech_frames = sum(self._recent)
                self._silent_run = 0
                self._pause_open = self._complete = False
                self._last_speech_frame = index
                return TurnEvent("speech_start", self.speech_start)
            return None
        if speech:
            self._speech_frames += 1
            self._last_speech_frame = index
            # A lone speech frame inside a pause (a breath, a click) does not restart the
            # hangover; two in a row do.
            if len(self._recent) >= 2 and self._recent[-2]:
                self._silent_run = 0
                self._pause_open = self._complete = False
            else:
                self._silent_run += 1
        else:
            self._silent_run += 1
        if self._silent_run >= self._hang_frames or (
                self._complete and self._short_frames is not None
                and self._silent_run >= self._short_frames):
            events = self._end()
            return events[0] if events else None
        if self._pause_frames is not None and self._silent_run == self._pause_frames:
            self.pauses += 1
            self._pause_open = True
            return TurnEvent("pause", (self._last_speech_frame + 1) * self.frame_length,
                             self.pauses)
        return None

    def _end(self) -> list[TurnEvent]:
        self.in_speech = False
        self._pause_open = self._complete = False
        self._recent.clear()
        self._silent_run = 0
        end = (self._last_speech_frame + 1) * self.frame_length
        if self._speech_frames * self.frame_length < self.min_speech:
            self.speech_start = None
            return []
        self.speech_end = end
        return [TurnEvent("turn_end", end)]
