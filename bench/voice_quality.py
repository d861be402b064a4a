"""How intelligible each customer's voice is, per engine, and how far agitation moves it.

    .venv/bin/python bench/voice_quality.py [--lines 12] [--scenarios late-pickup,asked-to-leave]

Uses no recorded data: every line is rendered here, from the shipped scenarios.

1. Intelligibility: every customer's scenario lines, rendered at the customer's starting agitation
   by each engine that has a voice for them ("auto" is what the app picks), are recognised by the
   default recogniser (what `simulator.speech.engines.make_recognizer` builds for the default
   Settings) and by PocketSphinx explicitly, both without the scenario adaptation: word error rate
   per engine. A machine recogniser is only a proxy for a listener, but a voice it mishears is
   one a trainee has to strain to follow.
2. Agitation: per engine, five lines per customer at agitation 10 and 90: the pitch range (10th to
   90th percentile of F0, in semitones), the median pitch, the speaking rate (words per minute of
   the rendered audio) and the level (dBFS RMS), so it shows that agitation moves every one.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import wave
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from simulator.speech.engines import Recognizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pcm16k(path: Path) -> bytes:
    from simulator.speech.recognizer import resample

    with wave.open(str(path)) as wav:
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").astype(np.float64)
    return np.clip(resample(samples, rate), -32768, 32767).astype("<i2").tobytes()


def measure(path: Path) -> tuple[np.ndarray, float, float]:
    """Voiced F0 in semitones (re 1 Hz), duration in seconds and RMS in dBFS."""
    import parselmouth

    sound = parselmouth.Sound(str(path))
    f0 = sound.to_pitch(0.01, 60, 600).selected_array["frequency"]
    samples = sound.values[0]
    level = 20 * np.log10(max(float(np.sqrt(np.mean(samples**2))), 1e-9))
    return 12 * np.log2(f0[f0 > 0]), sound.duration, level


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=12, help="lines per customer for the WER")
    parser.add_argument("--scenarios", default="", help="comma-separated ids (default: all shipped)")
    args = parser.parse_args()

    os.environ["SIMULATOR_DATA_DIR"] = tempfile.mkdtemp(prefix="voice-quality-")  # a private cache
    from simulator.engine.loader import load_library
    from simulator.settings import Settings
    from simulator.speech.catalogue import SYSTEM, cast
    from simulator.speech.engines import RecognizerUnavailable, make_recognizer
    from simulator.speech.recognizer import StreamingRecognizer, word_error_rate
    from simulator.speech.tts import LineRenderer

    library = load_library([ROOT / "scenarios"])
    wanted = [s for s in args.scenarios.split(",") if s]
    scenarios = [library.scenarios[k] for k in sorted(library.scenarios) if not wanted or k in wanted]

    defaults = Settings()
    recognisers: dict[str, Recognizer] = {}
    try:
        model_dir = Path(defaults.recognizer_model_dir) if defaults.recognizer_model_dir else None
        recognisers[f"default ({defaults.recognizer})"] = make_recognizer(defaults.recognizer, model_dir)
    except RecognizerUnavailable as exc:
        print(f"the default recogniser ({defaults.recognizer}) cannot run here: {exc}")
    if defaults.recognizer != "pocketsphinx":
        recognisers["pocketsphinx"] = StreamingRecognizer()
    renderer = LineRenderer()
    entries = renderer.entries()
    engines = ["auto", SYSTEM, *dict.fromkeys(e.engine for e in entries)]
    print(f"engines: {', '.join(engines)}; natural voices: {', '.join(e.voice for e in entries)}")
    for problem in renderer.problems:
        print(f"note: {problem}")

    # -- 1. intelligibility ----------------------------------------------------------------------
    errors: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    print(f"\nword error rate, {args.lines} lines per customer at their starting agitation "
          f"(recognisers: {', '.join(recognisers)}; no scenario adaptation)")
    for scenario in scenarios:
        voice = scenario.customer.voice
        lines = list(dict.fromkeys(scenario.lines()))[: args.lines]
        row = []
        for engine in engines:
            renderer.choices = {g: engine for g in ("female", "male", "neutral")}
            if engine not in ("auto", SYSTEM) and cast(voice, entries, engine) is None:
                continue
            settings = renderer.delivery_for(voice, scenario.customer.agitation)
            label = f"{engine}={settings.voice_id}"
            # PocketSphinx's normalisation carries over from line to line: a fresh one per voice and
            # customer, so a figure does not depend on the columns heard before it.
            for name, recogniser in list(recognisers.items()):
                if isinstance(recogniser, StreamingRecognizer):
                    recognisers[name] = StreamingRecognizer()
            for text in lines:
                path = renderer.render(text, voice, scenario.customer.agitation)
                pcm = pcm16k(path)
                for name, recogniser in recognisers.items():
                    heard = _transcribe(recogniser, pcm)
                    e, n = word_error_rate(text, heard)
                    for key in ((engine, name), (f"{scenario.id}|{engine}", name)):
                        errors[key][0] += e
                        errors[key][1] += n
            scores = " ".join(f"{100 * errors[(f'{scenario.id}|{engine}', r)][0] / max(1, errors[(f'{scenario.id}|{engine}', r)][1]):5.1f}%"
                              for r in recognisers)
            row.append(f"{label} {scores}")
        print(f"  {scenario.id:20s} " + " | ".join(row))
    print("  per engine, all customers:")
    for engine in engines:
        cells = [f"{name} {100 * errors[(engine, name)][0] / errors[(engine, name)][1]:.1f}% "
                 f"({errors[(engine, name)][1]} words)" for name in recognisers if errors[(engine, name)][1]]
        if cells:
            print(f"    {engine:8s} " + ", ".join(cells))

    # -- 2. agitation ------------------------------------------------------------------------------
    print("\nagitation 10 -> 90, five lines per customer the engine can voice "
          "(pitch range = F0 10th-90th percentile)")
    for engine in engines[1:]:
        renderer.choices = {g: engine for g in ("female", "male", "neutral")}
        stats: dict[int, list[tuple[float, float, float, float]]] = {10: [], 90: []}
        for scenario in scenarios:
            voice = scenario.customer.voice
            if engine != SYSTEM and cast(voice, entries, engine) is None:
                continue
            for agitation in (10, 90):
                f0s, seconds, levels, words = [], 0.0, [], 0
                for text in list(dict.fromkeys(scenario.lines()))[:5]:
                    st, duration, level = measure(renderer.render(text, voice, agitation))
                    f0s.append(st)
                    seconds += duration
                    levels.append(level)
                    words += len(text.split())
                st = np.concatenate(f0s)
                stats[agitation].append((float(np.percentile(st, 90) - np.percentile(st, 10)),
                                         float(np.median(st)), words / seconds * 60, float(np.mean(levels))))
        if not stats[10]:
            continue
        calm, hot = (np.mean(np.array(stats[a]), axis=0) for a in (10, 90))
        hz = lambda st: 2 ** (st / 12)  # noqa: E731
        print(f"  {engine:8s} ({len(stats[10])} customers)  pitch range {calm[0]:.1f} -> {hot[0]:.1f} st, "
              f"median pitch {hz(calm[1]):.0f} -> {hz(hot[1]):.0f} Hz, rate {calm[2]:.0f} -> {hot[2]:.0f} wpm, "
              f"level {calm[3]:.1f} -> {hot[3]:.1f} dBFS")
    print(f"\ncache: {renderer.cache.size_bytes() / 1e6:.1f} MB; load: {os.getloadavg()[0]:.2f}")


def _transcribe(recogniser: Recognizer, pcm: bytes) -> str:
    """Feed a recogniser in 0.1 s chunks, as the microphone would."""
    recogniser.start()
    for offset in range(0, len(pcm), 3200):
        recogniser.feed(pcm[offset:offset + 3200])
    return recogniser.finish().text


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"({time.perf_counter() - started:.0f} s)")
