"""Checks on the calibration recording: a clipping or too quiet microphone, noise, no speech.

The calibration sentence becomes the trainee's baseline, so a bad recording would skew every later
tone judgement; these checks tell the trainee, in plain words, what to change before it is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from simulator.analysis.audio import RATE, Audio, resample
from simulator.analysis.tone import ToneFeatures, measure

ProblemKind = Literal["clipping", "too_quiet", "no_speech", "too_short", "noisy"]

MIN_DURATION_S = 1.5  # one short sentence, with a little silence either side
MIN_SPEECH_S = 1.0
MIN_VOICED_S = 0.5
QUIET_DB = -55.0  # active speech below this (dBFS RMS) sits too near the converter's own noise
MIN_SNR_DB = 15.0  # below this the background colours pitch and spectrum measurements
# A natural waveform reaches its own peak only a few times; a clipped one sits there for whole runs.
_CLIP_SHARE = 0.999
_CLIP_MIN_SAMPLES = 20
_CLIP_MIN_FRACTION = 5e-4

MESSAGES: dict[str, str] = {
    "clipping": "Your microphone is clipping: move it a little further away or turn the input level down.",
    "too_quiet": "Your microphone is too quiet: move closer to it or turn the input level up.",
    "no_speech": "No speech was heard: check that the right microphone is selected and not muted, then read the sentence aloud.",
    "too_short": "The recording is too short: read the whole sentence at your normal pace.",
    "noisy": "There is a lot of background noise: move somewhere quieter or closer to the microphone.",
}


@dataclass(frozen=True)
class CalibrationProblem:
    """One thing wrong with a calibration recording, and what the trainee should do about it."""

    kind: ProblemKind
    message: str


def check_calibration(
    samples: np.ndarray, rate: int, features: ToneFeatures | None = None
) -> list[CalibrationProblem]:
    """Everything wrong with a calibration recording; an empty list means it can be used.

    `features` may pass an earlier `measure` of the same audio to save the work.
    """
    x = np.asarray(samples, dtype=np.float32).ravel()
    problems: list[ProblemKind] = []
    if x.size == 0 or not np.any(x):
        return [_problem("no_speech")]
    if _clipped(x):
        problems.append("clipping")
    if features is None:
        features = measure(Audio(resample(x, rate, RATE), RATE))
    if features.duration_s < MIN_DURATION_S:
        problems.append("too_short")
    if features.voiced_s < MIN_VOICED_S or features.loudness_db is None:
        if "too_short" not in problems:
            problems.append("no_speech")
    elif features.speech_s < MIN_SPEECH_S and "too_short" not in problems:
        problems.append("too_short")
    if features.loudness_db is not None and features.loudness_db < QUIET_DB:
        problems.append("too_quiet")
    # The recording needs some quiet either side of the sentence to tell speech from background.
    quiet_s = features.duration_s - features.speech_s
    if (
        features.snr_db is not None
        and quiet_s >= 0.2
        and features.snr_db < MIN_SNR_DB
        and "no_speech" not in problems
    ):
        problems.append("noisy")
    return [_problem(kind) for kind in problems]


def _clipped(x: np.ndarray) -> bool:
    peak = float(np.max(np.abs(x)))
    if peak < 0.25:  # a recording this far below full scale has not hit the converter's limits
        return False
    at_peak = int(np.count_nonzero(np.abs(x) >= _CLIP_SHARE * peak))
    return at_peak >= max(_CLIP_MIN_SAMPLES, _CLIP_MIN_FRACTION * x.size)


def _problem(kind: ProblemKind) -> CalibrationProblem:
    return CalibrationProblem(kind, MESSAGES[kind])
