"""Bench: how well the tone analysis tells angry from neutral speech, as recorded and through a bad microphone.

Reads ../shared/data/speech-tone (RAVDESS: 24 actors, 8 angry and 8 neutral/calm clips each).
Each actor's baseline is ONE of their neutral clips, excluded from scoring; every neutral clip takes
its turn as the baseline and the figures are averaged over those turns. "Angry" means a label of
raised or shouting, "neutral" calm or flat. Conditions:

  recorded          the clips as they are
  peak-normalised   every clip (the baseline too) scaled to the same peak, as gain control would
  babble / hum      mixed with noise the bench makes at 20 and 10 dB SNR (over active speech):
                    babble is five other actors talking at once, hum is 50/100/150 Hz mains
                    tones over low-passed brown noise (ventilation); the baseline clip gets the
                    same kind of noise, as calibration happens in the same room

Besides the figures with the thresholds built into tone.py, the bench re-fits the one decision
threshold on odd actors and scores even actors (and the reverse), to show how much the built-in
figures owe to fitting. Usage: python bench/tone_accuracy.py [--data PATH] [--workers 2] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._data import find_data, looked_at, say_absent  # noqa: E402
from simulator.analysis.audio import Audio, load_wav  # noqa: E402
from simulator.analysis.tone import Baseline, ToneFeatures, analyse, judge, measure  # noqa: E402

SUBFOLDER = "speech-tone"
CONDITIONS = (
    "recorded",
    "peak-normalised",
    "babble 20 dB",
    "babble 10 dB",
    "hum 20 dB",
    "hum 10 dB",
)
ANGRY_LABELS = {"raised", "shouting"}


@dataclass(frozen=True)
class Clip:
    path: Path
    label: str  # angry / neutral
    speaker: str
    emotion: str


def read_manifest(folder: Path) -> list[Clip]:
    with open(folder / "manifest.csv", newline="") as f:
        return [
            Clip(folder / row["file"], row["label"], row["speaker"], row.get("orig_emotion", ""))
            for row in csv.DictReader(f)
        ]


# --- noise the bench makes itself ---------------------------------------------------------------

_CLIPS: list[Clip] = []


@lru_cache(maxsize=64)
def _clean(path: Path) -> np.ndarray:
    return load_wav(path).samples.astype(np.float64)


def _speech_power(x: np.ndarray) -> float:
    """Mean power of the 10 ms frames within 30 dB of the loudest: the active speech."""
    n = len(x) // 160
    frames = x[: n * 160].reshape(n, 160)
    p = np.mean(frames * frames, axis=1) + 1e-12
    return float(np.mean(p[p > p.max() * 1e-3]))


def _babble(clip: Clip, n: int, rng: np.random.Generator) -> np.ndarray:
    others = [c for c in _CLIPS if c.speaker != clip.speaker]
    out = np.zeros(n)
    for i in rng.choice(len(others), size=5, replace=False):
        y = _clean(others[i].path)
        level = np.abs(y) > 0.02 * np.abs(y).max()
        y = y[np.argmax(level) : len(y) - np.argmax(level[::-1])]  # trim the silences
        y = y / np.sqrt(_speech_power(y))
        y = np.tile(y, n // len(y) + 2)
        start = rng.integers(0, len(y) - n)
        out += y[start : start + n]
    return out


def _hum(n: int, rng: np.random.Generator, rate: int = 16000) -> np.ndarray:
    t = np.arange(n) / rate
    phase = rng.uniform(0, 2 * np.pi, 3)
    tones = sum(a * np.sin(2 * np.pi * f * t + p) for a, f, p in zip((1.0, 0.6, 0.3), (50, 100, 150), phase, strict=True))
    brown = np.cumsum(rng.standard_normal(n))
    brown -= np.convolve(brown, np.ones(801) / 801, mode="same")  # drift out, keep the rumble
    brown = np.convolve(brown, np.ones(8) / 8, mode="same")  # a gentle low-pass
    brown *= np.sqrt(np.mean(tones**2) / np.mean(brown**2))
    return tones + brown


def degrade(clip: Clip, condition: str) -> Audio:
    x = _clean(clip.path)
    if condition == "recorded":
        return Audio(x.astype(np.float32), 16000)
    if condition == "peak-normalised":
        return Audio((x * (0.9 / np.abs(x).max())).astype(np.float32), 16000)
    kind, snr = condition.split()[0], float(condition.split()[1])
    rng = np.random.default_rng(zlib.crc32(f"{clip.path.name}/{condition}".encode()))
    noise = _babble(clip, len(x), rng) if kind == "babble" else _hum(len(x), rng)
    noise *= np.sqrt(_speech_power(x) / np.mean(noise**2) / 10 ** (snr / 10))
    y = x + noise
    peak = np.abs(y).max()
    if peak > 0.999:  # keep the mix out of clipping, as a sensible input level would
        y *= 0.999 / peak
    return Audio(y.astype(np.float32), 16000)


def _work(task: tuple[int, str]) -> tuple[int, str, ToneFeatures, float]:
    i, condition = task
    audio = degrade(_CLIPS[i], condition)
    start = time.perf_counter()
    features = measure(audio)
    return i, condition, features, time.perf_counter() - start


def _init(clips: list[Clip]) -> None:
    _CLIPS[:] = clips


# --- scoring -------------------------------------------------------------------------------------


def balanced(confusion: dict[tuple[str, str], int]) -> tuple[float, float, float]:
    """Balanced accuracy, angry recall, neutral recall from (truth, predicted) counts."""
    def recall(truth: str) -> float:
        total = confusion[(truth, "angry")] + confusion[(truth, "neutral")]
        return confusion[(truth, truth)] / total if total else float("nan")

    a, n = recall("angry"), recall("neutral")
    return (a + n) / 2, a, n


def score_condition(
    clips: list[Clip],
    feats: dict[int, ToneFeatures],
    speakers: set[str],
    threshold: float | None = None,
    base_feats: dict[int, ToneFeatures] | None = None,
) -> tuple[dict[tuple[str, str], int], dict[str, int], list[tuple[float, str]]]:
    """Every neutral clip of each speaker takes a turn as the baseline; the other 15 are scored.

    `base_feats` measures the baseline clips in another condition (default: the same one).
    Returns the confusion (summed over turns), the label counts, and (arousal, truth) pairs.
    """
    confusion: dict[tuple[str, str], int] = defaultdict(int)
    labels: dict[str, int] = defaultdict(int)
    pairs: list[tuple[float, str]] = []
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(clips):
        if c.speaker in speakers:
            by_speaker[c.speaker].append(i)
    for members in by_speaker.values():
        for b in (i for i in members if clips[i].label == "neutral"):
            baseline = Baseline.from_features((base_feats or feats)[b])
            for i in members:
                if i == b:
                    continue
                reading = judge(feats[i], baseline)
                arousal = reading.measurements.get("arousal", 0.0)
                if threshold is None:
                    predicted = "angry" if reading.label in ANGRY_LABELS else "neutral"
                else:
                    predicted = "angry" if arousal >= threshold else "neutral"
                confusion[(clips[i].label, predicted)] += 1
                labels[reading.label] += 1
                pairs.append((arousal, clips[i].label))
    return confusion, labels, pairs


def best_threshold(pairs: list[tuple[float, str]]) -> float:
    values = np.array([p[0] for p in pairs])
    angry = np.array([p[1] == "angry" for p in pairs])
    best, best_t = -1.0, 0.0
    for t in np.unique(values):
        acc = (np.mean(values[angry] >= t) + np.mean(values[~angry] < t)) / 2
        if acc > best:
            best, best_t = acc, float(t)
    return best_t


def no_baseline_figure(clips: list[Clip], feats: dict[int, ToneFeatures]) -> float:
    confusion: dict[tuple[str, str], int] = defaultdict(int)
    for i, c in enumerate(clips):
        reading = judge(feats[i], None)
        confusion[(c.label, "angry" if reading.label in ANGRY_LABELS else "neutral")] += 1
    return balanced(confusion)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the speech-tone folder, or the data folder above it")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="recorded and peak-normalised only")
    args = parser.parse_args(argv)

    folder = find_data(SUBFOLDER, args.data)
    if folder is None:
        say_absent(SUBFOLDER, looked_at(SUBFOLDER, args.data))
        return 0
    clips = read_manifest(folder)
    conditions = CONDITIONS[:2] if args.quick else CONDITIONS
    print(f"{len(clips)} clips from {len({c.speaker for c in clips})} speakers in {folder}")

    tasks = [(i, cond) for cond in conditions for i in range(len(clips))]
    feats: dict[str, dict[int, ToneFeatures]] = defaultdict(dict)
    measure_s = 0.0
    start = time.perf_counter()
    if args.workers > 1:
        with get_context("fork").Pool(args.workers, initializer=_init, initargs=(clips,)) as pool:
            for i, cond, f, dt in pool.imap_unordered(_work, tasks, chunksize=8):
                feats[cond][i] = f
                measure_s += dt
    else:
        _init(clips)
        for task in tasks:
            i, cond, f, dt = _work(task)
            feats[cond][i] = f
            measure_s += dt
    wall = time.perf_counter() - start
    print(
        f"measured {len(tasks)} clips in {wall:.1f} s with {args.workers} worker(s): "
        f"{len(tasks) / wall:.1f} clips/s (measurement alone {1000 * measure_s / len(tasks):.0f} ms a clip)"
    )

    speakers = {c.speaker for c in clips}
    odd = {s for s in speakers if int(s[-2:]) % 2 == 1}
    even = speakers - odd
    print(
        "\nBalanced accuracy, angry vs neutral (each speaker's baseline: one neutral clip, "
        "rotated over all 8; built-in thresholds)"
    )
    print(f"{'condition':<17} {'bal.acc':>7} {'angry':>6} {'neutral':>7}  {'odd':>5} {'even':>5}  "
          f"{'CV':>5}  confusion (truth>pred)                labels")
    for cond in conditions:
        conf, labels, _ = score_condition(clips, feats[cond], speakers)
        acc, ra, rn = balanced(conf)
        acc_odd = balanced(score_condition(clips, feats[cond], odd)[0])[0]
        acc_even = balanced(score_condition(clips, feats[cond], even)[0])[0]
        # Leave-half-the-speakers-out: fit the threshold on one half, score the other.
        cv_conf: dict[tuple[str, str], int] = defaultdict(int)
        for train, test in ((odd, even), (even, odd)):
            t = best_threshold(score_condition(clips, feats[cond], train)[2])
            for k, v in score_condition(clips, feats[cond], test, threshold=t)[0].items():
                cv_conf[k] += v
        cv = balanced(cv_conf)[0]
        matrix = " ".join(f"{t[0]}>{p[0]}:{conf[(t, p)]}" for t in ("angry", "neutral") for p in ("angry", "neutral"))
        label_counts = " ".join(f"{k}:{labels[k]}" for k in ("calm", "flat", "raised", "shouting"))
        print(f"{cond:<17} {acc:7.3f} {ra:6.3f} {rn:7.3f}  {acc_odd:5.3f} {acc_even:5.3f}  {cv:5.3f}  "
              f"{matrix:<38} {label_counts}")

    print("\nCalibrated in the quiet, as recorded; replies in another condition (built-in thresholds)")
    for cond in conditions[1:]:
        conf = score_condition(clips, feats[cond], speakers, base_feats=feats["recorded"])[0]
        acc, ra, rn = balanced(conf)
        print(f"{cond:<17} {acc:7.3f} {ra:6.3f} {rn:7.3f}")

    print(f"\nWithout a baseline (population defaults), as recorded: "
          f"{no_baseline_figure(clips, feats['recorded']):.3f}")

    # The turn-taking path: one 4 s reply, measured and judged, in this process.
    four = next(c for c in clips if 3.8 < load_wav(c.path).duration < 4.4)
    audio = load_wav(four.path)
    baseline = Baseline.from_features(feats["recorded"][0])
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        analyse(audio, baseline)
        times.append(time.perf_counter() - t0)
    print(f"analyse() on a {audio.duration:.1f} s reply: median {1000 * np.median(times):.0f} ms, "
          f"worst {1000 * max(times):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
