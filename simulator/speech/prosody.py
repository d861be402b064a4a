"""Pitch, pitch range and timbre changed after synthesis, with Praat's "Change gender" (parselmouth).

Natural voices have no pitch control and no engine exposes the pitch range, so a line is reshaped
after it is rendered: its median pitch moved by `Delivery.shift` semitones, its range around that
median scaled by `Delivery.range`, and its formants by `Delivery.formant` (a smaller or larger
vocal tract: the timbre that tells two customers on one base voice apart). Praat does all three in
one overlap-add resynthesis, about 30-100 ms for a 4 s line on one core here.
"""

from __future__ import annotations

import logging
import threading

import numpy as np
import parselmouth
from parselmouth.praat import call

from simulator.speech.voices import Delivery

log = logging.getLogger(__name__)

PITCH_FLOOR, PITCH_CEILING = 75.0, 600.0
# Praat keeps global state; the voice service renders on two threads, so one line at a time.
_PRAAT = threading.Lock()


def median_pitch(sound: parselmouth.Sound) -> float | None:
    """The median F0 of the voiced frames in Hz, or None when nothing is voiced."""
    f0 = sound.to_pitch(0.01, PITCH_FLOOR, PITCH_CEILING).selected_array["frequency"]
    voiced = f0[f0 > 0]
    return float(np.median(voiced)) if len(voiced) else None


def reshape(samples: np.ndarray, rate: int, settings: Delivery) -> np.ndarray:
    """The line with its pitch shifted, its range scaled and its formants moved (float, same rate).

    A line with no voiced sound (or one Praat cannot analyse) comes back unchanged: it is better
    heard as synthesised than not at all.
    """
    if not settings.reshaped or len(samples) < rate // 10:
        return samples
    sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=float(rate))
    try:
        with _PRAAT:
            median = median_pitch(sound)
            if median is None:
                return samples
            target = median * 2 ** (settings.shift / 12) if settings.shift else 0.0  # 0: keep the median
            out = call(sound, "Change gender", PITCH_FLOOR, PITCH_CEILING, settings.formant, target,
                       settings.range, 1.0)
    except parselmouth.PraatError as exc:
        log.warning("voice: the line could not be reshaped (%s); it is played as synthesised", exc)
        return samples
    values = np.asarray(out.values[0], dtype=np.float32)
    if int(round(out.sampling_frequency)) != rate:
        # Change gender keeps the rate; this guards a Praat version that would not.
        n = int(round(len(values) * rate / out.sampling_frequency))
        values = np.interp(np.arange(n) * out.sampling_frequency / rate, np.arange(len(values)),
                           values).astype(np.float32)
    return values
