"""Playback start latency of the customer's voice: from `VoiceOut.speak()` on a cached line to sound.

    .venv/bin/python bench/voice_latency.py [--lines 20] [--scenario scenarios/late-pickup.yaml]
    .venv/bin/python bench/voice_latency.py --engines-only     # the per-engine rendering table alone

First, per engine (the system voice, hibari, flite; each with a cold cache and a fresh engine, as
at the start of a session): the time until the opening lines are playable at the customer's
starting agitation, the time to render the whole scenario at every band, and the cache it fills.

Starts a private PulseAudio with the test set-up's virtual speaker (unless one is running already),
pre-renders the scenario (timing it), then speaks each line and listens to the speaker's monitor
with `parec`: every chunk read is stamped on arrival, and the first sample above the noise floor
is dated back from its chunk's stamp. The figure includes parec's own buffering, so it is an
upper bound on what the trainee hears. Prints render, pre-render, cache and latency figures.
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RATE = 48000
CHUNK = 240  # 5 ms: the arrival stamp of a chunk dates its samples to within this
THRESHOLD = 0.01  # the virtual speaker's monitor is digital silence between lines


def listen(env: dict[str, str], chunks: queue.Queue, stop: threading.Event,
           device: str = "spk.monitor") -> subprocess.Popen:
    """Record `device` with parec; every chunk is put on `chunks` as (arrival stamp, samples)."""
    proc = subprocess.Popen(
        ["parec", f"--device={device}", "--raw", "--format=s16le", f"--rate={RATE}",
         "--channels=1", "--latency-msec=5"], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )

    def pump() -> None:
        assert proc.stdout is not None
        while not stop.is_set():
            data = proc.stdout.read(CHUNK * 2)
            if not data:
                return
            chunks.put((time.monotonic(), np.frombuffer(data, "<i2").astype(np.float32) / 32768))

    threading.Thread(target=pump, daemon=True).start()
    return proc


def first_loud(stamp: float, samples: np.ndarray) -> float | None:
    """When the chunk's first sample above THRESHOLD sounded, dated back from the chunk's stamp."""
    loud = np.flatnonzero(np.abs(samples) > THRESHOLD)
    return stamp - (len(samples) - loud[0]) / RATE if len(loud) else None


def last_loud(stamp: float, samples: np.ndarray) -> float | None:
    """When the chunk's last sample above THRESHOLD sounded."""
    loud = np.flatnonzero(np.abs(samples) > THRESHOLD)
    return stamp - (len(samples) - loud[-1] - 1) / RATE if len(loud) else None


def drain(chunks: queue.Queue) -> None:
    while not chunks.empty():
        chunks.get_nowait()


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def summary(values: list[float]) -> str:
    """`median x ms, p95 y ms` of values in seconds."""
    return f"median {statistics.median(values) * 1000:.1f} ms, p95 {p95(values) * 1000:.1f} ms"


def per_engine(scenario_path: Path) -> None:
    """Cold-start rendering figures for the scenario with each engine forced."""
    from simulator.engine.loader import load_scenario
    from simulator.speech.cache import VoiceCache
    from simulator.speech.tts import LineRenderer

    scenario = load_scenario(scenario_path)
    voice = scenario.customer.voice
    print(f"per engine, {scenario.id} ({scenario.customer.name}), cold cache; 'start' is the engine's "
          f"warm-up, which the app does on the worker at launch; load {os.getloadavg()[0]:.2f}")
    for engine in ("pyttsx3", "hibari", "flite"):
        renderer = LineRenderer(cache=VoiceCache(Path(tempfile.mkdtemp(prefix=f"voice-{engine}-"))))
        renderer.choices = {voice.gender: engine}
        started = time.perf_counter()
        renderer.warm()
        chosen = renderer.delivery_for(voice, scenario.customer.agitation)  # starts the system voice
        warm = time.perf_counter() - started
        if chosen.engine != engine:
            print(f"  {engine:8s} has no voice for this customer here"
                  f"{': ' + '; '.join(renderer.problems) if renderer.problems else ''}")
            continue
        report = renderer.prerender(scenario)
        opening = len(scenario.target(scenario.start_node).say)
        print(f"  {engine:8s} {chosen.voice_id:10s} start {warm:5.2f} s, first playable line "
              f"{report.first_seconds:5.2f} s ({opening} opening variants), whole scenario {report.seconds:6.1f} s "
              f"({report.renders} renders, {report.seconds / report.renders * 1000:.0f} ms each), "
              f"cache {report.cache_bytes / 1e6:5.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--verbose", action="store_true", help="one row per line")
    parser.add_argument("--cold", action="store_true",
                        help="skip prepare(), so the first line opens the speaker")
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "late-pickup.yaml")
    parser.add_argument("--engines-only", action="store_true", help="print the per-engine table and stop")
    args = parser.parse_args()

    per_engine(args.scenario)
    if args.engines_only:
        return

    from tests.support.pulse import start_pulse, stop_pulse

    data_dir = tempfile.mkdtemp(prefix="voice-bench-")
    os.environ["SIMULATOR_DATA_DIR"] = data_dir  # a cold cache, so pre-rendering is timed in full
    pulse = start_pulse()  # before Qt Multimedia first looks for devices
    from PySide6.QtCore import QCoreApplication

    from simulator.devices.voice_out import VoiceOut
    from simulator.engine.loader import load_scenario
    from simulator.speech.tts import LineRenderer, Synthesizer
    from simulator.speech.voices import delivery

    app = QCoreApplication([])
    scenario = load_scenario(args.scenario)
    voice = scenario.customer.voice

    synth = Synthesizer()
    started = time.perf_counter()
    synth.check()
    engine_start = time.perf_counter() - started
    settings = delivery(voice, 50, synth.catalogue())
    renders = []
    for text in scenario.lines()[:20]:
        t = time.perf_counter()
        synth.synthesize(text, settings)
        renders.append(time.perf_counter() - t)

    renderer = LineRenderer()  # as the app: natural voices where they fit
    report = renderer.prerender(scenario)
    print(f"system voice start      {engine_start * 1000:.0f} ms ({synth.engine_id})")
    print(f"system voice, one line  median {statistics.median(renders) * 1000:.1f} ms, "
          f"max {max(renders) * 1000:.1f} ms over {len(renders)} lines")
    print(f"prerender {scenario.id:14s} {report.seconds:.2f} s (voices as the app picks them) for {report.lines} lines x 5 bands "
          f"= {report.renders} renders; cache {report.cache_bytes / 1e6:.1f} MB")

    out = VoiceOut(renderer=renderer)
    marks: dict[str, float] = {}
    out.started.connect(lambda line: marks.__setitem__("started", time.monotonic()))
    out.finished.connect(lambda line: marks.__setitem__("finished", time.monotonic()))
    out.failed.connect(lambda message: print("failed:", message))

    if not args.cold:
        # As the app does: prepare() pre-renders (all cached here) and opens the speaker once.
        out.prepare(scenario)
        deadline = time.monotonic() + 30
        while out.last_report is None and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)

    chunks: queue.Queue = queue.Queue()
    stop = threading.Event()
    proc = listen(pulse.env, chunks, stop)
    time.sleep(0.5)

    # The monitor delivers the first sound it ever carries about 1.3 s late: paplay alone, with
    # no Qt in the process, shows the same (1367 ms, then 4 and 10 ms), and the app's silent
    # warm-up does not change it. So one line is played and discarded before measuring.
    out.speak("settle", scenario.lines()[0], voice, 50)
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    out.stop()
    time.sleep(0.3)

    sound, signal = [], []
    lines = (scenario.lines() * 3)[: args.lines]
    for i, text in enumerate(lines):
        agitation = [10, 30, 50, 70, 90][i % 5]
        drain(chunks)
        marks.clear()
        t0 = time.monotonic()
        out.speak(f"line{i}", text, voice, agitation)
        onset = None
        while onset is None and time.monotonic() - t0 < 3:
            app.processEvents()
            try:
                stamp, samples = chunks.get(timeout=0.002)
            except queue.Empty:
                continue
            onset = first_loud(stamp, samples)
        if onset is None:
            print(f"line {i}: no sound within 3 s")
            continue
        sound.append(onset - t0)
        if args.verbose:
            print(f"line {i:2d}: sound {(onset - t0) * 1000:6.1f} ms, started() "
                  f"{(marks.get('started', t0) - t0) * 1000:6.1f} ms: {text[:40]}")
        if "started" in marks:
            signal.append(marks["started"] - t0)
        out.stop()
        deadline = time.monotonic() + 0.3  # let the speaker fall silent between lines
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)

    stop.set()
    proc.terminate()
    stop_pulse(pulse)

    print("first sound, ms:", " ".join(f"{s * 1000:.0f}" for s in sorted(sound)))
    print(f"speak() -> started()    {summary(signal)}")
    print(f"speak() -> first sound  {summary(sound)} over {len(sound)} cached lines (parec-stamped)")


if __name__ == "__main__":
    main()
