"""Tone of voice from a reply's audio: the measurements, the trainee's baseline and the label.

A reply is labelled `calm`, `raised`, `shouting` or `flat` by comparing it with the trainee's own
calibration sentence. Laptop microphones apply automatic gain control and trainees sit at
different distances, so loudness alone cannot tell a shout from a calm reply; the label rests
mostly on cues that survive a change of gain: pitch level and range, the share of energy above
1 kHz on voiced frames (a raised voice pushes the glottis harder and brightens the spectrum) and
how sharply the energy moves within the reply.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np
import parselmouth

from simulator.analysis.audio import Audio, AudioError, load_wav
from simulator.analysis.tone_text import TOO_LITTLE, describe
from simulator.engine.judgement import ToneReading

_HOP = 0.01
_WIN = 512  # 32 ms at 16 kHz: enough resolution below 1 kHz for the band energies
_PITCH_FLOOR = 70.0
_PITCH_CEILING = 600.0
_SYLLABLES_PER_WORD = 1.4


@dataclass(frozen=True)
class ToneFeatures:
    """Everything measured on one stretch of speech. None where the audio did not allow it."""

    duration_s: float
    speech_s: float
    voiced_s: float
    loudness_db: float | None  # dBFS RMS of the active-speech frames
    pitch_hz: float | None  # median F0 of voiced frames
    pitch_range_st: float | None  # 10th-90th percentile of F0, in semitones
    pitch_sd_st: float | None
    alpha_db: float | None  # energy 1-5 kHz over 50 Hz-1 kHz on voiced frames (alpha ratio)
    hammarberg_db: float | None  # strongest peak 0-2 kHz minus strongest 2-5 kHz, voiced frames
    dynamics_db: float | None  # 95th percentile minus median frame level of active speech
    onset_db: float | None  # steepest level rises (90th percentile, dB per 10 ms)
    hnr_db: float | None  # from the pitch tracker's autocorrelation strength
    cpp_db: float | None  # cepstral peak prominence, voiced frames
    syllables: int
    rate_wps: float | None  # words per second, from syllable nuclei over the speaking time
    pauses: int  # silences of 250 ms or more inside the reply
    pause_s: float
    noise_floor_db: float
    snr_db: float | None  # active-speech level over the quiet frames' level

    def to_dict(self) -> dict[str, float | int | None]:
        return asdict(self)


def measure(audio: Audio) -> ToneFeatures:
    """Measure loudness, pitch, spectral balance, dynamics, voice quality, rate and pauses."""
    x = np.asarray(audio.samples, dtype=np.float64)
    rate = audio.rate
    x = x - float(np.mean(x)) if x.size else x
    duration = x.size / rate if rate else 0.0
    if x.size < int(0.1 * rate) or not np.any(x):
        return _empty(duration)

    level = _frame_levels(x, rate)
    hop = int(round(_HOP * rate))
    noise_floor = float(np.percentile(level, 10))
    peak = float(np.percentile(level, 99))
    # Active speech: well clear of the room's floor and within 35 dB of the loudest speech.
    threshold = max(noise_floor + 6.0, peak - 35.0)
    active = level > threshold
    speech_s = float(active.sum()) * _HOP

    f0, strength = _pitch(x, rate, len(level))
    voiced = (f0 > 0) & active
    voiced_s = float(voiced.sum()) * _HOP

    loud = None
    snr = None
    if active.any():
        power = np.mean(10.0 ** (level[active] / 10.0))
        loud = 10.0 * math.log10(power)
        quiet = level[~active]
        if quiet.size:
            snr = loud - 10.0 * math.log10(np.mean(10.0 ** (quiet / 10.0)))

    pitch_hz = pitch_range = pitch_sd = hnr = None
    if voiced.sum() >= 5:
        st = 12.0 * np.log2(f0[voiced] / 100.0)
        pitch_hz = float(100.0 * 2.0 ** (np.median(st) / 12.0))
        pitch_range = float(np.percentile(st, 90) - np.percentile(st, 10))
        pitch_sd = float(np.std(st))
        r = np.clip(strength[voiced], 1e-4, 1 - 1e-4)
        hnr = float(np.median(10.0 * np.log10(r / (1.0 - r))))

    alpha = hammarberg = cpp = None
    if voiced.sum() >= 5:
        alpha, hammarberg, cpp = _spectral(x, np.flatnonzero(voiced) * hop + hop // 2, rate)

    dynamics = onset = None
    if active.sum() >= 5:
        lv = level[active]
        dynamics = float(np.percentile(lv, 95) - np.median(lv))
        rises = np.diff(level)
        rises = rises[active[1:] & (rises > 0)]
        onset = float(np.percentile(rises, 90)) if rises.size else 0.0

    syllables = _syllable_nuclei(level, voiced, threshold)
    pauses, pause_s, span = _pauses(active)
    rate_wps = syllables / _SYLLABLES_PER_WORD / span if span >= 0.3 and syllables else None

    return ToneFeatures(
        duration_s=duration,
        speech_s=speech_s,
        voiced_s=voiced_s,
        loudness_db=loud,
        pitch_hz=pitch_hz,
        pitch_range_st=pitch_range,
        pitch_sd_st=pitch_sd,
        alpha_db=alpha,
        hammarberg_db=hammarberg,
        dynamics_db=dynamics,
        onset_db=onset,
        hnr_db=hnr,
        cpp_db=cpp,
        syllables=syllables,
        rate_wps=rate_wps,
        pauses=pauses,
        pause_s=pause_s,
        noise_floor_db=noise_floor,
        snr_db=snr,
    )


def _empty(duration: float) -> ToneFeatures:
    return ToneFeatures(
        duration_s=duration, speech_s=0.0, voiced_s=0.0, loudness_db=None, pitch_hz=None,
        pitch_range_st=None, pitch_sd_st=None, alpha_db=None, hammarberg_db=None,
        dynamics_db=None, onset_db=None, hnr_db=None, cpp_db=None, syllables=0, rate_wps=None,
        pauses=0, pause_s=0.0, noise_floor_db=-120.0, snr_db=None,
    )


def _frame_levels(x: np.ndarray, rate: int) -> np.ndarray:
    """Level in dBFS of 25 ms windows every 10 ms, centred on 0.01 * (i + 0.5) s like the pitch frames."""
    hop = int(round(_HOP * rate))
    win = int(round(0.025 * rate))
    n = max(1, len(x) // hop)
    padded = np.concatenate([np.zeros(win), x, np.zeros(win)])
    csum = np.concatenate([[0.0], np.cumsum(padded * padded)])
    centres = win + (np.arange(n) * hop + hop // 2)
    lo = centres - win // 2
    energy = (csum[lo + win] - csum[lo]) / win
    return 10.0 * np.log10(energy + 1e-12)


def _pitch(x: np.ndarray, rate: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Praat's autocorrelation pitch, resampled onto the 10 ms level frames."""
    sound = parselmouth.Sound(x, sampling_frequency=rate)
    pitch = sound.to_pitch_ac(
        time_step=_HOP, pitch_floor=_PITCH_FLOOR, pitch_ceiling=_PITCH_CEILING
    )
    arr = pitch.selected_array
    times = pitch.xs()
    f0 = np.zeros(n)
    strength = np.zeros(n)
    idx = np.round(times / _HOP - 0.5).astype(int)
    ok = (idx >= 0) & (idx < n)
    f0[idx[ok]] = arr["frequency"][ok]
    strength[idx[ok]] = arr["strength"][ok]
    return f0, strength


def _spectral(x: np.ndarray, centres: np.ndarray, rate: int) -> tuple[float, float, float]:
    """Alpha ratio, Hammarberg index and cepstral peak prominence over frames at `centres`."""
    if len(x) < _WIN:
        x = np.concatenate([x, np.zeros(_WIN - len(x))])
    starts = np.clip(centres - _WIN // 2, 0, len(x) - _WIN)
    segs = x[starts[:, None] + np.arange(_WIN)[None, :]]
    spec = np.abs(np.fft.rfft(segs * np.hanning(_WIN), axis=1)) ** 2 + 1e-14
    freqs = np.fft.rfftfreq(_WIN, 1.0 / rate)
    low = (freqs >= 50) & (freqs < 1000)
    high = (freqs >= 1000) & (freqs < 5000)
    # Summed over frames, so the loudest syllables (where the voice effort shows) weigh most.
    alpha = 10.0 * math.log10(spec[:, high].sum() / spec[:, low].sum())
    lo_peak = 10.0 * np.log10(spec[:, freqs < 2000].max(axis=1))
    hi_peak = 10.0 * np.log10(spec[:, (freqs >= 2000) & (freqs < 5000)].max(axis=1))
    hammarberg = float(np.median(lo_peak - hi_peak))

    # Cepstral peak prominence: the rahmonic peak in the F0 quefrency range above the trend line.
    logspec = 10.0 * np.log10(spec)
    ceps = np.fft.irfft(logspec, axis=1)[:, : _WIN // 2]
    q = np.arange(_WIN // 2) / rate
    band = (q >= 1.0 / _PITCH_CEILING) & (q <= 1.0 / _PITCH_FLOOR)
    qb = q[band]
    cb = 20.0 * np.log10(np.abs(ceps[:, band]) + 1e-9)
    # Closed-form least-squares trend line per frame (np.polyfit is needlessly slow here).
    qc = qb - qb.mean()
    slope = (cb - cb.mean(axis=1, keepdims=True)) @ qc / (qc @ qc)
    intercept = cb.mean(axis=1) - slope * qb.mean()
    best = np.argmax(cb, axis=1)
    rows = np.arange(cb.shape[0])
    cpp = float(np.median(cb[rows, best] - (slope * qb[best] + intercept)))
    return alpha, hammarberg, cpp


def _syllable_nuclei(level: np.ndarray, voiced: np.ndarray, threshold: float) -> int:
    """De Jong & Wempe style: level peaks on voiced frames, separated by a dip of at least 2 dB."""
    # Smooth over about 30 ms so a single syllable's ripple does not count twice.
    smooth = np.convolve(level, np.ones(3) / 3.0, mode="same")
    count = 0
    last_peak = None
    trough = math.inf
    for i in range(1, len(smooth) - 1):
        v = smooth[i]
        trough = min(trough, v)
        if not (v >= smooth[i - 1] and v > smooth[i + 1]):
            continue
        if v <= threshold or not voiced[i]:
            continue
        if last_peak is None or (last_peak - trough >= 2.0 and v - trough >= 2.0):
            count += 1
            last_peak = v
            trough = v
        elif v > last_peak:
            last_peak = v
            trough = v
    return count


def _pauses(active: np.ndarray) -> tuple[int, float, float]:
    """Silences of 250 ms or more between the first and last active frame, and that span's length."""
    idx = np.flatnonzero(active)
    if idx.size == 0:
        return 0, 0.0, 0.0
    inner = active[idx[0] : idx[-1] + 1]
    span = inner.size * _HOP
    pauses = 0
    pause_s = 0.0
    run = 0
    for a in inner:
        if a:
            if run * _HOP >= 0.25:
                pauses += 1
                pause_s += run * _HOP
            run = 0
        else:
            run += 1
    return pauses, pause_s, span




# --- the baseline ---------------------------------------------------------------------------------

# Typical neutral read speech, for trainees who have not calibrated. Pitch differs by sex; the
# spectral balance and voice quality figures are medians of neutral read sentences. Loudness is
# listed but never used without a calibration: nobody knows the microphone's gain.
_POPULATION: dict[str, dict[str, float]] = {
    "male": {"pitch_hz": 115.0, "hnr_db": 8.5},
    "female": {"pitch_hz": 205.0, "hnr_db": 12.5},
}
_POPULATION_COMMON = {
    "pitch_range_st": 6.5,
    "loudness_db": -30.0,
    "alpha_db": -10.0,
    "hammarberg_db": 25.5,
    "dynamics_db": 8.5,
    "rate_wps": 2.9,
    "snr_db": 40.0,
}
# Between the two population voices: a pitch above it is taken as a higher (typically female) voice.
_PITCH_SPLIT_HZ = math.sqrt(115.0 * 205.0)


@dataclass(frozen=True)
class Baseline:
    """How the trainee sounds reading the neutral calibration sentence (or a population default)."""

    pitch_hz: float
    pitch_range_st: float
    loudness_db: float
    alpha_db: float
    hammarberg_db: float
    hnr_db: float
    dynamics_db: float
    rate_wps: float
    snr_db: float = 40.0  # how far the calibration speech stood above the room's background
    # "calibration" when measured on the trainee's own voice, else "population".
    source: str = "calibration"
    gender: str | None = None

    @property
    def calibrated(self) -> bool:
        return self.source == "calibration"

    @classmethod
    def population(cls, gender: str | None = None) -> Baseline:
        """Defaults for a trainee who has not calibrated; `gender` "male"/"female" picks the pitch."""
        g = gender.lower() if gender else None
        voice = _POPULATION.get(g or "", None)
        if voice is None:
            g = None
            # Halfway between the two voices, on a log scale; `judge` measures the reply's pitch
            # against whichever population voice is nearer.
            voice = {"pitch_hz": _PITCH_SPLIT_HZ, "hnr_db": 10.5}
        return cls(**voice, **_POPULATION_COMMON, source="population", gender=g)

    @classmethod
    def from_features(cls, features: ToneFeatures) -> Baseline:
        """The baseline of a measured calibration sentence; gaps are filled from the population."""
        if features.pitch_hz is None or features.voiced_s < 0.3:
            raise AudioError("the calibration recording holds too little voiced speech to measure")
        gender = "female" if features.pitch_hz > _PITCH_SPLIT_HZ else "male"
        fallback = cls.population(gender)
        values = {}
        for f in fields(cls):
            if f.name in ("source", "gender"):
                continue
            v = getattr(features, f.name)
            values[f.name] = float(v) if v is not None else getattr(fallback, f.name)
        return cls(**values, source="calibration", gender=gender)

    @classmethod
    def from_audio(cls, audio: Audio) -> Baseline:
        return cls.from_features(measure(audio))

    @classmethod
    def from_wav(cls, path: str | Path) -> Baseline:
        try:
            return cls.from_audio(load_wav(path))
        except AudioError as exc:
            if str(exc).startswith(str(path)):
                raise
            raise AudioError(f"{path}: {exc}") from exc

    def to_dict(self) -> dict[str, float | str | None]:
        """Plain JSON-ready values, for the settings file."""
        return {"version": 1, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict) -> Baseline:
        """Read `to_dict` output back; missing or broken values fall back to the population."""
        gender = data.get("gender") if data.get("gender") in ("male", "female") else None
        fallback = cls.population(gender)
        values: dict[str, object] = {}
        for f in fields(cls):
            v = data.get(f.name)
            if f.name == "source":
                values[f.name] = v if v in ("calibration", "population") else "population"
            elif f.name == "gender":
                values[f.name] = gender
            else:
                try:
                    number = float(v)  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    number = math.nan
                values[f.name] = number if math.isfinite(number) else getattr(fallback, f.name)
        return cls(**values)  # type: ignore[arg-type]


# --- the label --------------------------------------------------------------------------------------

# Each cue is expressed in "steps": the change that, on its own, clearly marks a raised voice.
# A step is roughly twice the spread between one neutral reading and another by the same speaker.
_STEP_PITCH_ST = 3.0  # pitch level
_STEP_BRIGHT_DB = 3.0  # spectral balance: alpha ratio up and Hammarberg index down, averaged
_STEP_HNR_DB = 2.0  # a pressed, rougher voice is less periodic
_STEP_LOUD_DB = 6.0  # loudness: trusted least, as gain control and distance undo it
# Weights of the cues in the arousal score. Pitch carries most: it survives gain control and noise,
# and neutral and calm readings hardly differ in it; the spectrum and voice quality confirm effort.
_WEIGHTS = {"pitch": 0.4, "bright": 0.25, "quality": 0.15, "loud": 0.2}
# Loudness may add at most two steps (12 dB) and take away one: a close microphone is not a shout.
_LOUD_LIMITS = (-1.0, 2.0)
RAISED_AT = 0.75  # arousal score (in steps) from which a reply sounds raised
SHOUTING_AT = 2.0  # ... and shouted
# Monotone: a pitch range under half the calibration's (and under 3 semitones) sounds detached.
_FLAT_SHARE = 0.5
_FLAT_MAX_ST = 3.0
_FLAT_MIN_ST = 2.0
_MIN_VOICED_S = 0.3
# Spectral cues are fully trusted in a clean reply, or one no more than 6 dB noisier than the
# calibration, and ignored once it is 18 dB noisier.
_CLEAN_SNR_DB = 20.0
_SNR_SLACK_DB = 6.0
_SNR_FADE_DB = 12.0


def judge(features: ToneFeatures, baseline: Baseline | None = None) -> ToneReading:
    """Label measured speech against a baseline (population defaults when there is none)."""
    base = baseline or Baseline.population()
    m: dict[str, float] = {k: float(v) for k, v in features.to_dict().items() if v is not None}
    m["calibrated"] = 1.0 if base.calibrated else 0.0
    common = {
        "loudness_db": _round(features.loudness_db),
        "pitch_hz": _round(features.pitch_hz),
        "pitch_range_semitones": _round(features.pitch_range_st),
        "rate_wps": _round(features.rate_wps, 2),
    }
    if features.pitch_hz is None or features.voiced_s < _MIN_VOICED_S:
        m["arousal"] = 0.0
        return ToneReading(
            label="calm",
            cues=[TOO_LITTLE],
            measurements=m,
            **common,
        )

    steps: dict[str, float] = {}
    ref_pitch = base.pitch_hz
    if not base.calibrated and base.gender is None:
        # No calibration and no sex given: judge pitch against the nearer population voice, so a
        # naturally high voice is not taken for a raised one (a raised low voice may be missed).
        ref_pitch = _POPULATION["female" if features.pitch_hz > _PITCH_SPLIT_HZ else "male"]["pitch_hz"]
    pitch_st = 12.0 * math.log2(features.pitch_hz / ref_pitch)
    m["pitch_st_vs_baseline"] = pitch_st
    steps["pitch"] = pitch_st / _STEP_PITCH_ST
    if features.alpha_db is not None and features.hammarberg_db is not None:
        d_alpha = features.alpha_db - base.alpha_db
        d_hammarberg = features.hammarberg_db - base.hammarberg_db
        bright = (d_alpha - d_hammarberg) / 2.0
        m["alpha_db_vs_baseline"] = d_alpha
        m["hammarberg_db_vs_baseline"] = d_hammarberg
        m["tilt_vs_baseline"] = bright
        steps["bright"] = bright / _STEP_BRIGHT_DB
    if features.hnr_db is not None:
        d_hnr = features.hnr_db - base.hnr_db
        m["hnr_db_vs_baseline"] = d_hnr
        steps["quality"] = -d_hnr / _STEP_HNR_DB
    if features.loudness_db is not None:
        d_loud = features.loudness_db - base.loudness_db
        m["loudness_db_vs_baseline"] = d_loud
        # Without a calibration the level says nothing: nobody knows the microphone's gain.
        if base.calibrated:
            steps["loud"] = float(np.clip(d_loud / _STEP_LOUD_DB, *_LOUD_LIMITS))
    if features.pitch_range_st is not None:
        m["pitch_range_st_vs_baseline"] = features.pitch_range_st - base.pitch_range_st
    if features.rate_wps is not None:
        m["rate_vs_baseline"] = features.rate_wps / base.rate_wps
    if features.dynamics_db is not None:
        m["dynamics_db_vs_baseline"] = features.dynamics_db - base.dynamics_db

    weights = dict(_WEIGHTS)
    trust = _spectral_trust(features.snr_db, base.snr_db)
    m["spectral_trust"] = trust
    weights["bright"] *= trust
    weights["quality"] *= trust
    # A weighted mean of the cues there are, so a missing cue neither adds nor subtracts.
    total = sum(weights[k] for k in steps)
    arousal = sum(weights[k] * v for k, v in steps.items()) / total if total else 0.0
    m["arousal"] = arousal
    for k, v in steps.items():
        m[f"{k}_steps"] = v

    flat_limit = min(_FLAT_MAX_ST, max(_FLAT_MIN_ST, _FLAT_SHARE * base.pitch_range_st))
    label: str
    if arousal >= SHOUTING_AT:
        label = "shouting"
    elif arousal >= RAISED_AT:
        label = "raised"
    elif features.pitch_range_st is not None and features.pitch_range_st < flat_limit:
        label = "flat"
    else:
        label = "calm"
    reading = ToneReading(label=label, measurements=m, **common)  # type: ignore[arg-type]
    return reading.model_copy(update={"cues": [describe(reading)]})


def _spectral_trust(reply_snr: float | None, base_snr: float) -> float:
    """How far the spectral balance and voice quality cues can be trusted, 0..1.

    Background noise adds its own high frequencies and aperiodicity. When the reply is much
    noisier than the calibration (a quiet calibration, a reply in a busy shop), those cues would
    call any reply raised, so they fade out and pitch and loudness decide.
    """
    if reply_snr is None or reply_snr >= _CLEAN_SNR_DB:
        return 1.0
    # A calibration in a silent room is no cleaner, for this purpose, than one at 40 dB.
    deficit = min(base_snr, 40.0) - reply_snr
    return float(np.clip(1.0 - (deficit - _SNR_SLACK_DB) / _SNR_FADE_DB, 0.0, 1.0))


def analyse(audio: Audio, baseline: Baseline | None = None) -> ToneReading:
    """Measure and label one reply."""
    return judge(measure(audio), baseline)


def analyse_wav(path: str | Path, baseline: Baseline | None = None) -> ToneReading:
    """Measure and label one reply read from a WAV file (AudioError if it cannot be used)."""
    return analyse(load_wav(path), baseline)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)
