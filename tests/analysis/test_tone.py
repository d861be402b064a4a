"""Tests for the tone analysis on speech the tests synthesise with espeak-ng and alter with sox."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from simulator.analysis.audio import Audio, AudioError, load_wav
from simulator.analysis.calibration import check_calibration
from simulator.analysis.tone import Baseline, analyse, analyse_wav, measure
from simulator.engine.vocabulary import TONE_LABELS
from tests.support.speech import espeak_wav

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None,
    reason="needs espeak-ng and sox",
)

CALIBRATION = "I can see this has been really frustrating for you. Let me find out what happened."
REPLY = "Let me have a look at your receipt and we can sort this out together."


def _speak(folder: Path, name: str, text: str, *args: str) -> Path:
    return espeak_wav(text, folder / f"{name}.wav", espeak_args=args)


def _sox(src: Path, out: Path, *effects: str) -> Path:
    subprocess.run(["sox", "-R", str(src), str(out), *effects], check=True, stderr=subprocess.DEVNULL)
    return out


@pytest.fixture(scope="module")
def voices(tmp_path_factory) -> dict[str, Path]:
    """One synthetic trainee: a calibration sentence, and replies calm, raised and monotone."""
    d = tmp_path_factory.mktemp("voices")
    calm = ("-p", "40", "-s", "150", "-a", "60")
    v = {
        "calibration": _speak(d, "calibration", CALIBRATION, *calm),
        "calm": _speak(d, "calm", REPLY, *calm),
        "raised": _speak(d, "raised", REPLY, "-p", "85", "-s", "200", "-a", "200"),
        # A voice variant whose pitch barely moves: the same speaker, reading without intonation.
        "flat": _speak(d, "flat", REPLY, *calm, "-v", "en+AnxiousAndy"),
    }
    for name in list(v):
        v[f"{name}-normalised"] = _sox(v[name], d / f"{name}-normalised.wav", "gain", "-n", "-1")
    return v


@pytest.fixture(scope="module")
def baseline(voices) -> Baseline:
    return Baseline.from_wav(voices["calibration"])


def test_calm_reply_is_calm(voices, baseline):
    reading = analyse_wav(voices["calm"], baseline)
    assert reading.label == "calm"
    assert reading.cues and "calm" in reading.cues[0]


def test_raised_reply_is_raised_or_shouting(voices, baseline):
    reading = analyse_wav(voices["raised"], baseline)
    assert reading.label in ("raised", "shouting")
    assert reading.measurements["pitch_st_vs_baseline"] > 4
    assert reading.measurements["loudness_db_vs_baseline"] > 6
    assert len(reading.cues) == 1 and "semitones higher" in reading.cues[0]
    assert reading.cues[0].startswith("Sounded ") and reading.cues[0].endswith("than your calibration.")


def test_monotone_reply_is_flat(voices, baseline):
    reading = analyse_wav(voices["flat"], baseline)
    assert reading.label == "flat"
    assert any("hardly moved" in cue for cue in reading.cues)


@pytest.mark.parametrize("reply", ["calm", "raised", "flat"])
def test_labels_survive_peak_normalisation(voices, baseline, reply):
    """Gain control delivers every reply at the same level; the label must not change."""
    normal_baseline = Baseline.from_wav(voices["calibration-normalised"])
    as_recorded = analyse_wav(voices[reply], baseline).label
    assert analyse_wav(voices[f"{reply}-normalised"], normal_baseline).label == as_recorded


def test_raised_reply_turned_down_still_sounds_raised(voices, baseline):
    """A shout from across the room arrives no louder than the calibration: pitch and spectrum tell."""
    quiet = load_wav(voices["raised"])
    calm_level = measure(load_wav(voices["calm"])).loudness_db
    raised_level = measure(quiet).loudness_db
    gain = 10 ** ((calm_level - raised_level) / 20)
    reading = analyse(Audio(quiet.samples * gain, quiet.rate), baseline)
    assert abs(reading.measurements["loudness_db_vs_baseline"]) < 2
    assert reading.label in ("raised", "shouting")


def test_reading_is_filled(voices, baseline):
    reading = analyse_wav(voices["calm"], baseline)
    assert reading.label in TONE_LABELS
    assert reading.loudness_db is not None and -40 < reading.loudness_db < 0
    assert reading.pitch_hz is not None and 60 < reading.pitch_hz < 200
    assert reading.pitch_range_semitones is not None and reading.pitch_range_semitones > 2
    assert reading.rate_wps is not None and 1.0 < reading.rate_wps < 5.0
    for key in ("pitch_st_vs_baseline", "loudness_db_vs_baseline", "tilt_vs_baseline",
                "hnr_db_vs_baseline", "alpha_db", "hammarberg_db", "arousal", "syllables"):
        assert key in reading.measurements
    assert all(np.isfinite(v) for v in reading.measurements.values())


def test_faster_speech_has_a_higher_rate(tmp_path):
    slow = measure(load_wav(_speak(tmp_path, "slow", REPLY, "-s", "120")))
    fast = measure(load_wav(_speak(tmp_path, "fast", REPLY, "-s", "240")))
    assert fast.rate_wps > 1.4 * slow.rate_wps


def test_without_a_baseline_population_defaults_apply(voices):
    calm = analyse_wav(voices["calm"])
    assert calm.label in ("calm", "flat")
    assert calm.measurements["calibrated"] == 0.0
    assert analyse_wav(voices["raised"]).label in ("raised", "shouting")


def test_population_defaults_differ_by_sex():
    assert Baseline.population("female").pitch_hz > Baseline.population("male").pitch_hz
    assert not Baseline.population().calibrated


def test_baseline_round_trips_through_json(baseline):
    again = Baseline.from_dict(json.loads(json.dumps(baseline.to_dict())))
    assert again == baseline
    assert again.calibrated


def test_broken_baseline_settings_fall_back_to_population():
    restored = Baseline.from_dict({"pitch_hz": "high", "alpha_db": None, "gender": "female"})
    assert restored.pitch_hz == Baseline.population("female").pitch_hz
    assert restored.source == "population"


def test_silence_is_not_judged():
    rng = np.random.default_rng(1)
    hiss = Audio((rng.standard_normal(32000) * 0.001).astype(np.float32), 16000)
    reading = analyse(hiss)
    assert reading.label == "calm"
    assert reading.cues == ["Too little voiced speech to judge the tone of voice."]


def test_calibration_without_speech_is_refused():
    with pytest.raises(AudioError, match="too little voiced speech"):
        Baseline.from_audio(Audio(np.zeros(16000, dtype=np.float32), 16000))


def test_analysis_of_a_four_second_reply_is_quick(voices, baseline):
    audio = load_wav(voices["calm"])
    audio = Audio(np.concatenate([audio.samples, audio.samples])[: 4 * 16000], 16000)
    analyse(audio, baseline)
    start = time.perf_counter()
    for _ in range(3):
        analyse(audio, baseline)
    assert (time.perf_counter() - start) / 3 < 0.3


# --- calibration checks ---------------------------------------------------------------------------


def _kinds(path: Path) -> set[str]:
    audio = load_wav(path)
    return {p.kind for p in check_calibration(audio.samples, audio.rate)}


def test_good_calibration_passes(voices):
    assert _kinds(voices["calibration"]) == set()


def test_clipping_microphone_is_flagged(voices, tmp_path):
    problems = check_calibration(*_samples(_sox(voices["calibration"], tmp_path / "hot.wav", "gain", "30")))
    assert [p.kind for p in problems] == ["clipping"]
    assert "further away" in problems[0].message


def test_quiet_microphone_is_flagged(voices, tmp_path):
    problems = check_calibration(*_samples(_sox(voices["calibration"], tmp_path / "quiet.wav", "vol", "0.01")))
    assert [p.kind for p in problems] == ["too_quiet"]
    assert "closer" in problems[0].message


def test_short_calibration_is_flagged(tmp_path):
    assert "too_short" in _kinds(_speak(tmp_path, "short", "Hi.", "-s", "200"))


def test_calibration_without_speech_is_flagged(tmp_path):
    hum = _sox_synth(tmp_path / "hum.wav", "brownnoise", "vol", "0.05")
    assert _kinds(hum) == {"no_speech"}


def test_noisy_calibration_is_flagged(voices, tmp_path):
    noise = _sox_synth(tmp_path / "noise.wav", "whitenoise", "vol", "0.1", length="6")
    noisy = tmp_path / "noisy.wav"
    subprocess.run(["sox", "-R", "-m", str(voices["calibration"]), str(noise), str(noisy), "trim", "0", "5"], check=True)
    assert "noisy" in _kinds(noisy)


def _samples(path: Path) -> tuple[np.ndarray, int]:
    audio = load_wav(path)
    return audio.samples, audio.rate


def _sox_synth(out: Path, kind: str, *effects: str, length: str = "3") -> Path:
    subprocess.run(
        ["sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", str(out), "synth", length, kind, *effects],
        check=True,
    )
    return out
