"""Recognition accuracy and speed of the default recogniser, with and without scenario adaptation.

    .venv/bin/python bench/asr_accuracy.py [--data PATH] [--quick]

Prints, for the real read speech in ../shared/data/speech-asr (per speaker and overall) and for
the in-scenario replies in bench/data/inscenario_replies.tsv (spoken at bench time by espeak-ng
in several voices, rates and pitches, into a temporary folder), the word error rate of the
unadapted engine and of the engine adapted to the scenarios; the real-time factor; the time left
after the last chunk (streaming); and the end-of-turn detection delay and sentence splits of the
VAD at several hangovers. Case and punctuation are normalised; digits are spelt out.

Goals: in-scenario WER under 10% with the adaptation, general speech no worse than unadapted.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._data import find_data, looked_at, say_absent  # noqa: E402

REPLIES = Path(__file__).resolve().parent / "data" / "inscenario_replies.tsv"
# espeak-ng voices with rate (words per minute) and pitch (0-99), cycled over the replies.
VOICES = [("en-us", 160, 50), ("en-gb", 150, 40), ("en-gb-x-rp", 175, 60),
          ("en-us+f3", 165, 70), ("en-gb-scotland", 150, 45)]
CHUNK = 3200  # 100 ms, about what the microphone delivers


def read_pcm(path: Path) -> bytes:
    with wave.open(str(path)) as w:
        return w.readframes(w.getnframes())


def load_replies() -> list[tuple[str, str, str]]:
    rows = [r for r in csv.reader(REPLIES.open(encoding="utf-8"), delimiter="\t")
            if r and not r[0].startswith("#")]
    return [(name, setting, text) for name, setting, text in rows[1:]]


def render_replies(replies: list[tuple[str, str, str]], folder: Path) -> list[Path]:
    paths = []
    for i, (_, _, text) in enumerate(replies):
        voice, rate, pitch = VOICES[i % len(VOICES)]
        raw, wav = folder / f"{i:02d}.raw.wav", folder / f"{i:02d}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w",
                        str(raw), text], check=True)
        # 0.3 s either side, as the listener's pre-roll and hangover give the recogniser.
        subprocess.run(["sox", "-q", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav),
                        "pad", "0.3", "0.3"], check=True, stderr=subprocess.DEVNULL)
        raw.unlink()
        paths.append(wav)
    return paths


def scenario_adaptation(replies: list[tuple[str, str, str]]):
    """The adaptation for the shipped scenarios plus the customers the replies address."""
    from simulator.engine.loader import load_scenario
    from simulator.paths import SCENARIOS_DIR
    from simulator.speech.adaptation import build_adaptation, phrases_for_scenario

    phrases: list[str] = []
    names = sorted({name for name, _, _ in replies})
    for path in sorted(SCENARIOS_DIR.glob("*.yaml")):
        try:
            scenario = load_scenario(path)
        except Exception as exc:  # a half-written scenario must not stop the bench
            print(f"  (skipped {path.name}: {exc})")
            continue
        p, n = phrases_for_scenario(scenario)
        phrases += p
        names += n
    t0 = time.perf_counter()
    built = build_adaptation(phrases, sorted(set(names)))
    return built, time.perf_counter() - t0


def decode(recognizer, pcm: bytes) -> tuple[str, float, float, str]:
    """(text, processing seconds, seconds left after the last chunk, source)."""
    t0 = time.perf_counter()
    recognizer.start()
    for offset in range(0, len(pcm), CHUNK):
        recognizer.feed(pcm[offset:offset + CHUNK])
    t1 = time.perf_counter()
    result = recognizer.finish()
    t2 = time.perf_counter()
    return result.text, t2 - t0, t2 - t1, result.source


def evaluate(label: str, items: list[tuple[str, str, bytes]], recognizers: dict) -> dict:
    from simulator.speech.recognizer import word_error_rate

    print(f"\n== {label}: {len(items)} utterances, "
          f"{sum(len(p) for _, _, p in items) / 32000:.0f} s of audio")
    totals: dict = {}
    for name, recognizer in recognizers.items():
        per_speaker: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        busy = audio = 0.0
        tails: list[float] = []
        sources: dict[str, int] = defaultdict(int)
        for speaker, reference, pcm in items:
            text, seconds, tail, source = decode(recognizer, pcm)
            errors, words = word_error_rate(reference, text)
            per_speaker[speaker][0] += errors
            per_speaker[speaker][1] += words
            busy += seconds
            audio += len(pcm) / 32000
            tails.append(tail)
            sources[source] += 1
        errors = sum(e for e, _ in per_speaker.values())
        words = sum(n for _, n in per_speaker.values())
        totals[name] = errors / words
        print(f"  {name:10s} WER {errors / words:6.1%} ({errors}/{words})  RTF {busy / audio:.2f}  "
              f"after last chunk: median {statistics.median(tails) * 1000:.0f} ms, "
              f"max {max(tails) * 1000:.0f} ms  (picked: {dict(sources)})")
        for speaker, (e, n) in sorted(per_speaker.items()):
            print(f"      {speaker:40s} {e / n:6.1%} ({e}/{n})")
    return totals


def vad_figures(general: list[tuple[str, str, bytes]], synthetic: list[Path]) -> None:
    from simulator.speech.vad import TurnDetector

    print("\n== End of turn (VAD, loose mode)")
    print("   delay = when the turn end is reported - last sample above 2% of peak, on espeak-ng")
    print("   speech padded with 0.5 s / 1 s of silence; splits = real sentences ended early")
    padded = []
    for path in synthetic:
        pcm = bytes(16000) + read_pcm(path) + bytes(32000)
        samples = np.abs(np.frombuffer(pcm, dtype="<i2").astype(float))
        padded.append((pcm, np.nonzero(samples > 0.02 * samples.max())[0][-1] / 16000))
    for hangover in (0.25, 0.3, 0.35, 0.4, 0.5, 0.8):
        splits = 0
        for _, _, pcm in general:
            detector = TurnDetector(hangover)
            ends = sum(e.kind == "turn_end" for o in range(0, len(pcm), 960)
                       for e in detector.feed(pcm[o:o + 960]))
            ends += len(detector.flush())
            splits += max(0, ends - 1)
        delays = []
        for pcm, true_end in padded:
            detector = TurnDetector(hangover)
            reported = None
            for o in range(0, len(pcm), 960):
                if any(e.kind == "turn_end" for e in detector.feed(pcm[o:o + 960])):
                    reported = detector.time
            if reported is not None:
                delays.append(reported - true_end)
        print(f"  hangover {hangover:.2f} s: delay median {statistics.median(delays) * 1000:.0f} ms, "
              f"max {max(delays) * 1000:.0f} ms; splits {splits}/{len(general)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="the speech-asr folder or the data root above it")
    parser.add_argument("--quick", action="store_true", help="the first 10 of each set only")
    args = parser.parse_args(argv)
    os.environ.setdefault("SIMULATOR_DATA_DIR", tempfile.mkdtemp(prefix="asr-bench-"))

    from simulator.speech.recognizer import StreamingRecognizer

    replies = load_replies()
    adaptation, build_seconds = scenario_adaptation(replies)
    print(f"Adaptation: {adaptation.sentences} sentences, {len(adaptation.vocabulary)} words, "
          f"{len(adaptation.extra_words)} pronunciations guessed "
          f"({', '.join(w for w, _ in adaptation.extra_words)}); built in {build_seconds * 1000:.0f} ms")
    t0 = time.perf_counter()
    recognizers = {"unadapted": StreamingRecognizer(), "adapted": StreamingRecognizer(adaptation)}
    for recognizer in recognizers.values():
        recognizer.prepare()
    print(f"Decoders loaded in {time.perf_counter() - t0:.2f} s")

    general: list[tuple[str, str, bytes]] = []
    folder = find_data("speech-asr", args.data)
    if folder is None:
        say_absent("speech-asr", looked_at("speech-asr", args.data))
    else:
        with (folder / "manifest.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                general.append((row["speaker"], row["transcript"], read_pcm(folder / row["file"])))

    with tempfile.TemporaryDirectory(prefix="asr-replies-") as tmp:
        wavs = render_replies(replies, Path(tmp))
        in_scenario = [(VOICES[i % len(VOICES)][0], text, read_pcm(path))
                       for i, ((_, _, text), path) in enumerate(zip(replies, wavs, strict=True))]
        if args.quick:
            general, in_scenario = general[:10], in_scenario[:10]
        # Each decoder normalises its input level from what it heard before, so warm both up on
        # the same audio before measuring, as a session's first replies would.
        for recognizer in recognizers.values():
            for _, _, pcm in in_scenario[:3] + general[:3]:
                decode(recognizer, pcm)
        if general:
            g = evaluate("General read speech (speech-asr)", general, recognizers)
        scen = evaluate("In-scenario replies (espeak-ng)", in_scenario, recognizers)
        if general:
            vad_figures(general, wavs)

    print("\n== Summary")
    if general:
        print(f"  general speech WER: unadapted {g['unadapted']:.1%}, adapted {g['adapted']:.1%} "
              f"(goal: adapted no worse)")
    print(f"  in-scenario WER:    unadapted {scen['unadapted']:.1%}, adapted {scen['adapted']:.1%} "
          "(goal: adapted under 10%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
