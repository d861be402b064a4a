"""End of turn: the plain VAD hangover against the cue-based ending (simulator.speech.endpoint).

    .venv/bin/python bench/endpoint.py [--data PATH] [--quick] [--configs 0.2:0.7,0.2:0.8]

Replays, in 30 ms chunks as the microphone would deliver them, the 51 real read utterances of
../shared/data/speech-asr (read from there, never copied) and the in-scenario replies of
bench/data/inscenario_replies.tsv spoken by every installed voice family (as bench/asr_accuracy.py
renders them) padded with 0.5 s of silence before and 1 s after. For each end-of-turn rule it
prints: splits = real utterances ended early at a pause inside them (turn ends - 1); delay = when
the turn end is reported - the last sample above 2% of the peak, on the synthetic replies (median,
p95, max); how many of those ended on the short hangover; and two-sentence splits = replies of
two sentences ("<reply>. <next reply>.", spoken by the same voices) ended at the pause between
them, the price of ending a turn that sounds finished after a short pause. The cue-based rows run the real
streaming recogniser (adapted to the shipped scenarios, as in the app) chunk by chunk and ask
`sounds_complete` with its partial at every pause, as the listener's worker does; the time one
verdict takes (partial + pitch) is printed too.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._data import find_data, looked_at, say_absent  # noqa: E402
from bench.asr_accuracy import (  # noqa: E402
    installed_voices,
    load_replies,
    read_pcm,
    render_replies,
    scenario_adaptation,
    shipped_scenarios,
)

CHUNK = 960  # 30 ms


def true_end(pcm: bytes) -> float:
    samples = np.abs(np.frombuffer(pcm, dtype="<i2").astype(float))
    return float(np.nonzero(samples > 0.02 * samples.max())[0][-1]) / 16000


def replay(pcm: bytes, detector, recognizer=None, verdict_times: list[float] | None = None
           ) -> list[tuple[float, bool]]:
    """(detector time when reported, ended on the short hangover) for every turn end."""
    from simulator.speech.endpoint import sounds_complete, speech_tail

    ends: list[tuple[float, bool]] = []
    if recognizer is not None:
        recognizer.start()
    for offset in range(0, len(pcm), CHUNK):
        chunk = pcm[offset:offset + CHUNK]
        if recognizer is not None:
            recognizer.feed(chunk)
        events = detector.feed(chunk)
        while events:
            event = events.pop(0)
            if event.kind == "turn_end":
                short = detector.short_hangover is not None and (
                    detector.time - event.time < (detector.short_hangover + detector.hangover) / 2)
                ends.append((detector.time, short))
                if recognizer is not None:
                    recognizer.finish()
                    recognizer.start()
            elif event.kind == "pause" and recognizer is not None:
                t0 = time.perf_counter()
                tail = speech_tail(pcm[:offset + len(chunk)], detector.time - event.time)
                complete = sounds_complete(recognizer.partial(), tail)
                if verdict_times is not None:
                    verdict_times.append(time.perf_counter() - t0)
                events += detector.verdict(event.pause, complete)
    ends += [(detector.time, False) for _ in detector.flush()]
    if recognizer is not None:
        recognizer.cancel()
    return ends


def row(label: str, general: list[bytes], padded: list[tuple[bytes, float]], pairs: list[bytes],
        make, recognizer=None) -> None:
    verdicts: list[float] = []
    splits = sum(max(0, len(replay(pcm, make(), recognizer, verdicts)) - 1) for pcm in general)
    pair_splits = sum(max(0, len(replay(pcm, make(), recognizer, verdicts)) - 1) for pcm in pairs)
    delays: list[float] = []
    short = 0
    for pcm, end in padded:
        ends = replay(pcm, make(), recognizer, verdicts)
        if ends:
            delays.append(ends[0][0] - end)
            short += ends[0][1]
    delays.sort()
    p95 = delays[min(len(delays) - 1, int(0.95 * len(delays)))]
    line = (f"  {label:28s} splits {splits:2d}/{len(general)}; delay median "
            f"{statistics.median(delays) * 1000:4.0f} ms, p95 {p95 * 1000:4.0f} ms, "
            f"max {delays[-1] * 1000:4.0f} ms; two-sentence splits {pair_splits:2d}/{len(pairs)}")
    if verdicts:
        line += f"; short endings {short}/{len(padded)}"
        verdicts.sort()
        line += (f"; verdict median {statistics.median(verdicts) * 1000:.1f} ms, "
                 f"p95 {verdicts[int(0.95 * len(verdicts))] * 1000:.1f} ms")
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="the speech-asr folder or the data root above it")
    parser.add_argument("--quick", action="store_true", help="the first 10 of each set only")
    parser.add_argument("--configs", default="",
                        help="short:long hangovers to try besides the defaults, comma-separated")
    args = parser.parse_args(argv)
    os.environ.setdefault("SIMULATOR_DATA_DIR", tempfile.mkdtemp(prefix="endpoint-bench-"))

    from simulator.speech import endpoint
    from simulator.speech.recognizer import StreamingRecognizer
    from simulator.speech.vad import TurnDetector

    folder = find_data("speech-asr", args.data)
    if folder is None:
        say_absent("speech-asr", looked_at("speech-asr", args.data))
        return 1
    with (folder / "manifest.csv").open(encoding="utf-8") as f:
        general = [read_pcm(folder / row["file"]) for row in csv.DictReader(f)]
    replies = load_replies()
    if args.quick:
        general, replies = general[:10], replies[:10]
    adaptation, _, _ = scenario_adaptation(replies, shipped_scenarios())
    voices, _ = installed_voices()
    with tempfile.TemporaryDirectory(prefix="endpoint-replies-") as tmp:
        synthetic = [read_pcm(wav) for _, _, wav in render_replies(replies, voices, Path(tmp))]
        two = [(name, setting, f"{a}. {b}.") for (name, setting, a), (_, _, b)
               in zip(replies[0::2], replies[1::2], strict=False)]
        pairs = [bytes(16000) + read_pcm(wav) + bytes(32000)
                 for _, _, wav in render_replies(two, voices, Path(tmp))]
    padded = [(bytes(16000) + s + bytes(32000), 0.0) for s in synthetic]
    padded = [(pcm, true_end(pcm)) for pcm, _ in padded]
    print(f"{len(general)} real utterances, {len(padded)} synthetic replies, "
          f"{len(pairs)} two-sentence ones "
          f"({', '.join(sorted({v.family for v in voices}))})")
    recognizer = StreamingRecognizer(adaptation)
    recognizer.prepare()
    for pcm in synthetic[:3] + general[:3]:  # a session's first replies warm the decoders up
        recognizer.transcribe_pcm(pcm)

    print("\n== Plain hangover (VAD, loose mode)")
    for hangover in (0.2, 0.35, 0.5, 0.7, 0.8):
        row(f"hangover {hangover:.2f} s", general, padded, pairs,
            lambda h=hangover: TurnDetector(h))
    print("\n== Cue-based: short hangover when the reply sounds complete, else long")
    configs = [(endpoint.SHORT_HANGOVER, endpoint.LONG_HANGOVER)]
    configs += [tuple(float(x) for x in c.split(":")) for c in args.configs.split(",") if c]
    for short, long in configs:
        row(f"short {short:.2f} / long {long:.2f} s", general, padded, pairs,
            lambda s=short, lg=long: TurnDetector(lg, short_hangover=s,
                                                  pause_after=endpoint.PAUSE_AFTER),
            recognizer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
