"""Turn latency: from the true end of the trainee's spoken reply to the first sound of the customer's answer.

    .venv/bin/python bench/turn_latency.py [--turns 20] [--verbose] [--full-lines]
        [--push-to-talk] [--engine whisper|pocketsphinx] [--no-calibration]
    taskset -c 0,1 .venv/bin/python bench/turn_latency.py      # pinned to two cores

Prints `median` and `p95`; the first reply of each app process (a new trainee's first reply, the
one that used to wait for a second decode) is reported apart as well as in the whole.

With --push-to-talk the trainee holds the talk key (the presenter's press_to_talk) from just
before the reply is played until `RELEASE_AFTER` after its true end, as a person lets go of a key a
moment after they stop (after ~0.15 s); the figure is release -> the first sound of the answer (and, as always,
true end -> first sound).

The real app is driven: the MainWindow (offscreen) with hands-free listening, its Microphone,
Listener (VAD + streaming PocketSphinx), ConversationPresenter (judging on the task pool) and
VoiceOut, on the test set-up's private PulseAudio. The trainee's replies are espeak-ng speech that
fits the calm path of scenarios/late-pickup.yaml, played into the virtual microphone with paplay;
the scenario is restarted whenever it ends, until enough turns have been heard.

Both ends are measured the same way, with parec on one clock (time.monotonic, in this process):
the virtual microphone's sink monitor gives the true end of speech (its last sample above the
threshold) and the speaker's monitor the first sample of the customer's answer (bench.voice_latency
stamps chunks on arrival). parec's own buffering is on both sides, so it mostly cancels. The
paplay-based estimate (paplay started + last loud sample's offset in the file) is printed as a
cross-check; it includes paplay's start-up.

Points in between are stamped by wrapping the app's own methods (on the thread they run on), so
the breakdown splits the total into: VAD hangover (true end to the VAD ending the turn), the
recogniser's final pass (and any chunks still queued before it), handing the transcript to the
GUI thread, judging, applying the branch and saving, and playback start latency.

By default the customer's line is cut 0.6 s after it starts sounding (the trainee then replies;
the presenter treats it as the line ending), so a 20-turn run takes minutes, not ten; use
--full-lines to let every line play out as a trainee would hear it.

All turns are measured in one app process, as a classroom runs. On PySide6 6.12.0 / Python 3.11
the app aborted after 13-15 turns ("none_dealloc", a reference count drained in the bindings), and
this bench started a fresh app every 8 turns; pyproject.toml now keeps PySide6 below 6.12.
`--per-process N` still splits a run into app processes of N turns.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

# As the app runs (simulator/__init__.py sets it, but numpy is loaded here first): numpy's BLAS
# on one thread.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.voice_latency import THRESHOLD, drain, first_loud, last_loud, listen, summary  # noqa: E402

SCENARIO = "late-pickup"
CALIBRATION = ("Good afternoon. I'm sorry you've had to wait. Let me have a look at what's happened "
               "and see what I can do to help you today.")
# A calm reply for each place the scenario can be in; anything else gets GENERIC.
REPLIES = {
    "start": "I'm really sorry you've been kept waiting, Dana. I can see how frustrating that is.",
    "recital": "That sounds really stressful. I can see how much the recital means to you, "
               "so let's get you there on time.",
    "why_so_long": "I'm sorry. It was put on the wrong shelf in the stockroom. That was our mistake.",
    "five_minutes": "I understand why you doubt it. I can stay here with you, or we can deliver it "
                    "free tomorrow. Which would you prefer?",
}
GENERIC = "I'm really sorry, Dana. I understand, and I will sort this out for you right now."
LEAD, TAIL = 0.3, 1.0  # seconds of digital silence around each reply, as a quiet room gives
# Push-to-talk: the key is let go this long after the reply's end of speech in the file (paplay's
# start-up puts the true end ~50 ms later, so ~0.15 s after it, as a person lets go of a key).
RELEASE_AFTER = 0.2


def render_reply(text: str, out: Path) -> float:
    """espeak-ng (en-us: PocketSphinx's acoustic model is American) padded with silence; returns
    the offset in the file of its last sample above THRESHOLD, the true end of speech."""
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(raw), text], check=True)
    with wave.open(str(raw)) as w:
        rate = w.getframerate()
        speech = np.frombuffer(w.readframes(w.getnframes()), "<i2")
    pcm = np.concatenate([np.zeros(int(LEAD * rate), "<i2"), speech, np.zeros(int(TAIL * rate), "<i2")])
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    loud = np.flatnonzero(np.abs(pcm.astype(np.float32) / 32768) > THRESHOLD)
    return (loud[-1] + 1) / rate


class Marks:
    """First time stamp of each named point since `reset()`, from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.at: dict[str, float] = {}
        self.values: dict[str, Any] = {}

    def reset(self) -> None:
        with self._lock:
            self.at.clear()
            self.values.clear()

    def mark(self, name: str, value: Any = None, last: bool = False) -> None:
        now = time.monotonic()
        with self._lock:
            if last or name not in self.at:
                self.at[name] = now
                self.values[name] = value


def stamp(marks: Marks, cls: type, method: str, name: str,
          value: Callable[..., Any] | None = None, last: bool = False) -> None:
    """Wrap `cls.method` to mark `name.in` on entry and `name.out` on return (its own thread);
    the first call after `reset()`, or with `last` the latest."""
    original = getattr(cls, method)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        marks.mark(f"{name}.in", value(*args, **kwargs) if value else None, last)
        try:
            return original(*args, **kwargs)
        finally:
            marks.mark(f"{name}.out", last=last)

    setattr(cls, method, wrapper)


# The breakdown: consecutive points, so the parts add up to the total.
# Judging starts at the pause when the listener's speculation made a transcript there (the
# presenter judges `reply_likely`), so what is left of it after the reply is over is its own stage.
STAGES = [
    ("VAD hangover: true end -> turn end detected", "true_end", "end_turn.in"),
    ("queued work, then the final pass if not done", "end_turn.in", "reply.out"),
    ("transcript -> GUI thread", "reply.out", "ready.in"),
    ("judging still to do (0 if done at the pause)", "ready.in", "apply.in"),
    ("apply the branch, speak()", "apply.in", "speak.in"),
    ("speak() -> first sound on the speaker", "speak.in", "onset"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--per-process", type=int, default=0,
                        help="turns measured by each app process (default: all in one)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--verbose", action="store_true", help="one row per turn")
    parser.add_argument("--speculate-after", type=float, default=None,
                        help="seconds of pause before the listener's speculative final pass "
                             "(0: none; default: the listener's own)")
    parser.add_argument("--no-fwdflat", action="store_true",
                        help="PocketSphinx without its second (flat-lexicon) pass; the app "
                             "runs so already (simulator/speech/recognizer.py, _SEARCH), so "
                             "this changes nothing now")
    parser.add_argument("--end-on-cue", action="store_true",
                        help="end a reply that sounds finished after a short pause "
                             "(simulator/devices/listener.py, _END_ON_CUE; off in the app)")
    parser.add_argument("--full-lines", action="store_true",
                        help="let the customer's lines play out instead of cutting them short")
    parser.add_argument("--push-to-talk", action="store_true",
                        help="hold the talk key through each reply; measure release -> first sound")
    parser.add_argument("--engine", choices=("whisper", "pocketsphinx"), default="whisper",
                        help="the recogniser in Settings (default: Whisper tiny.en, the app's)")
    parser.add_argument("--no-calibration", action="store_true",
                        help="a new trainee: no calibration reading to warm the recogniser on")
    args = parser.parse_args()
    if args.child is None:
        run_children(args)
        return

    from tests.support.pulse import start_pulse, stop_pulse

    work = Path(tempfile.mkdtemp(prefix="turn-bench-"))
    os.environ["SIMULATOR_DATA_DIR"] = str(work / "data")
    (work / "data").mkdir()
    pulse = start_pulse()  # before Qt Multimedia first looks for devices
    # What to clean up should this process abort: the parent reads it (see run_children).
    args.child.with_suffix(".left").write_text(json.dumps([str(pulse.runtime_dir), str(work)]))

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from simulator.devices import listener as listener_module
    from simulator.devices.listener import Listener
    from simulator.devices.voice_out import VoiceOut
    from simulator.devices.workers import TaskPool
    from simulator.engine.session import Runner
    from simulator.records.store import SessionStore
    from simulator.settings import Settings
    from simulator.speech.engines import WhisperRecognizer
    from simulator.speech.recognizer import StreamingRecognizer
    from simulator.speech.vad import DEFAULT_HANGOVER
    from simulator.ui.context import AppContext, create_devices
    from simulator.ui.conversation.presenter import ConversationPresenter
    from simulator.ui.main_window import MainWindow

    if args.no_fwdflat:
        from pocketsphinx import Decoder

        from simulator.speech import recognizer as recognizer_module

        recognizer_module.Decoder = functools.partial(Decoder, fwdflat=False)  # type: ignore[misc]
    if args.speculate_after is not None:
        listener_module._SPECULATE_AFTER = args.speculate_after or None
    if args.end_on_cue:
        listener_module._END_ON_CUE = True
    marks = Marks()
    # Patched on the classes before the window is built, so signal connections made in
    # constructors reach the wrappers too.
    stamp(marks, Listener, "_end_turn", "end_turn", value=lambda self, end: end)
    stamp(marks, StreamingRecognizer, "finish", "finish", last=True)
    stamp(marks, WhisperRecognizer, "finish", "finish", last=True)
    stamp(marks, Listener, "release", "release")
    stamp(marks, Listener, "_finish", "reply")
    stamp(marks, Runner, "judge", "judge", last=True)
    stamp(marks, ConversationPresenter, "_on_listener_reply_ready", "ready",
          value=lambda self, result: result.text)
    stamp(marks, ConversationPresenter, "_on_judged", "apply")
    stamp(marks, VoiceOut, "speak", "speak", value=lambda self, line_id, *a: line_id)

    app = QApplication([])
    replies = {node: (work / f"{node}.wav") for node in [*REPLIES, "generic"]}
    ends = {node: render_reply(REPLIES.get(node, GENERIC), path) for node, path in replies.items()}
    baseline = work / "baseline.wav"
    render_reply(CALIBRATION, baseline)
    settings = Settings(first_run_done=True, trainee_name="Alex", voice_enabled=True, subtitles=True,
                        listen_mode="push_to_talk" if args.push_to_talk else "hands_free",
                        recognizer=args.engine,
                        baseline_wav=None if args.no_calibration else str(baseline))
    ctx = AppContext(settings=settings, store=SessionStore(work / "data"), tasks=TaskPool(),
                     devices=create_devices(settings), settings_file=work / "data" / "settings.json")
    if not (ctx.devices.can_listen and ctx.devices.can_speak):
        sys.exit(f"the app cannot listen and speak here: {ctx.devices.problems}")
    win = MainWindow(ctx)
    win.show()
    voice = ctx.devices.voice
    voice.started.connect(lambda line_id: marks.mark("started", line_id))

    mic_chunks: queue.Queue = queue.Queue()
    spk_chunks: queue.Queue = queue.Queue()
    stop = threading.Event()
    recorders = [listen(pulse.env, spk_chunks, stop), listen(pulse.env, mic_chunks, stop, "micsink.monitor")]

    # A timer keeps the event loop waking, so the bench's checks run at least every 5 ms while
    # events (queued signals from the workers) are handled the moment they arrive, as in exec().
    ticker = QTimer(interval=5)
    ticker.start()

    def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                return False
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        return True

    def onset_after(since: float, timeout: float) -> float | None:
        """The first sound on the speaker after `since`."""
        found: list[float] = []

        def check() -> bool:
            while not spk_chunks.empty():
                at = first_loud(*spk_chunks.get_nowait())
                if at is not None and at > since and not found:
                    found.append(at)
            return bool(found)
        wait_until(check, timeout)
        return found[0] if found else None

    def start() -> Any:
        """A new run, as a trainee starts one from the library: briefing, then Begin."""
        win.start_scenario(SCENARIO)
        started = win.conversation.presenter
        started.begin()
        return started

    # The recogniser chosen is built off the GUI thread (Whisper loads its model): the trainee
    # sees the library meanwhile; the bench waits for it as a trainee reading a briefing would.
    wait_until(lambda: getattr(getattr(ctx.devices.listener, "recognizer", None), "engine", "")
               == args.engine, 60)
    recognizer = getattr(ctx.devices.listener, "recognizer", None)
    engine_used = getattr(recognizer, "description", "none")
    presenter = start()
    # The monitor delivers the first sound it ever carries late (bench/voice_latency.py), so the
    # opening line is heard through before anything is measured.
    if onset_after(0.0, 15) is None:
        sys.exit("the customer's first line never sounded")

    rows: list[dict[str, float]] = []
    kinds: list[str] = []
    paplay_offsets: list[float] = []
    misses = splits = 0
    # Push-to-talk, the trainee may press once the customer's line is over (the presenter's turn).
    ready = ("your_turn", "listening") if args.push_to_talk else ("listening",)
    while len(rows) < args.turns and misses < 5:
        if presenter.phase == "ended":
            wait_until(lambda: voice.speaking is None, 15)
            # Not presenter.restart(): on PySide6 6.12 that crashed here with heap corruption
            # ("malloc_consolidate(): unaligned fastbin chunk") while it reset the top bar,
            # with or without the listener's speculation; starting afresh does not.
            presenter = start()
        if not args.full_lines:
            # Cut the line short once it sounds; the presenter hears `finished` and listens.
            if wait_until(lambda: voice.speaking is not None, 10):
                onset_after(0.0, 5)
                time.sleep(0.6)
                voice.stop()
        if not wait_until(lambda: win.conversation.presenter.phase in ready
                          and (not args.push_to_talk or win.conversation.presenter.accepts_reply()), 30):
            sys.exit(f"the app did not listen (phase {presenter.phase})")
        time.sleep(0.2)  # the listener is armed; let the microphone settle as a trainee would
        node = presenter.runner.state.node_id
        key = node if node in REPLIES else "generic"
        drain(mic_chunks)
        drain(spk_chunks)
        marks.reset()
        if args.push_to_talk:
            presenter.press_to_talk()
        t_play = time.monotonic()
        player = pulse.play_into_mic(replies[key], wait=False)
        assert player is not None
        true_end: list[float] = []
        released: list[float] = []

        def mic_check(true_end: list[float] = true_end, t_play: float = t_play,
                      released: list[float] = released, talk: Any = presenter,
                      end: float = ends[key]) -> bool:
            while not mic_chunks.empty():
                at = last_loud(*mic_chunks.get_nowait())
                if at is not None:
                    true_end[:] = [at]
            # paplay plays on after the speech (the file's silent tail): the key is let go by
            # the clock, at the file's end of speech (paplay start + offset) + RELEASE_AFTER.
            if args.push_to_talk and not released \
                    and time.monotonic() >= t_play + end + RELEASE_AFTER:
                released.append(time.monotonic())
                talk.release_to_talk()
            return "speak.in" in marks.at or time.monotonic() - t_play > 30
        wait_until(mic_check, 35)
        onset = onset_after(marks.at.get("speak.in", t_play), 10)
        # A reply the VAD ended at a pause inside it (sound on the microphone after the turn
        # ended) is counted apart: its latency is not from the end of the reply.
        wait_until(lambda p=player: p.poll() is not None, 10)
        mic_check()
        if "end_turn.in" in marks.at and true_end and true_end[0] > marks.at["end_turn.in"]:
            splits += 1
            print(f"turn at {node}: the VAD ended the reply "
                  f"{(true_end[0] - marks.at['end_turn.in']) * 1000:.0f} ms before it did; not counted")
            continue
        if not true_end or onset is None or "speak.in" not in marks.at:
            misses += 1
            print(f"turn at {node}: no answer measured ({sorted(marks.at)})")
            continue
        row = dict(marks.at, true_end=true_end[0], onset=onset,
                   vad_end=marks.values.get("end_turn.in") or 0.0, first=float(not rows))
        if released:
            row["released"] = released[0]
        rows.append(row)
        paplay_offsets.append(t_play + ends[key] - true_end[0])
        line_id = str(marks.values.get("speak.in"))
        kinds.append("say-again" if line_id == "say-again" else line_id.split("/")[1])
        if args.verbose:
            parts = " ".join(f"{(row[b] - row[a]) * 1000:5.0f}" if a in row and b in row else "    -"
                             for _, a, b in STAGES)
            spec = row["finish.out"] - row["end_turn.in"] if "finish.out" in row else float("nan")
            print(f"turn {len(rows):2d} {node:13s} -> {kinds[-1]:17s} total "
                  f"{(onset - true_end[0]) * 1000:5.0f} ms  [{parts}]  VAD's end "
                  f"{(row['vad_end'] - true_end[0]) * 1000:+4.0f}, last final pass done "
                  f"{spec * 1000:+5.0f} ms from the turn end\n        heard: {marks.values.get('ready.in')!r}")

    stop.set()
    for proc in recorders:
        proc.terminate()
    win.close()  # closes the listener and its worker too
    stop_pulse(pulse)

    args.child.write_text(json.dumps({
        "rows": rows, "kinds": kinds, "paplay_offsets": paplay_offsets, "splits": splits,
        "misses": misses, "hangover": DEFAULT_HANGOVER, "engine": engine_used,
        "speculate_after": listener_module._SPECULATE_AFTER,
        "end_on_cue": listener_module._END_ON_CUE}))
    sys.stdout.flush()
    # PySide6 6.12 on Python 3.11 can crash while tearing Qt objects down at exit (a refcount
    # bug like the one simulator.devices.microphone.safe_emit works around); the figures are out.
    os._exit(0)


def run_children(args: argparse.Namespace) -> None:
    """Measure in app processes of `--per-process` turns each, then report on all the turns."""
    rows: list[dict[str, float]] = []
    kinds: list[str] = []
    paplay_offsets: list[float] = []
    splits = crashes = 0
    meta: dict[str, Any] = {}
    while len(rows) < args.turns and crashes < 3:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            result = Path(out.name)
        want = min(args.per_process or args.turns, args.turns - len(rows))
        proc = subprocess.run([sys.executable, __file__, "--turns", str(want), "--child", str(result),
                               *options(args)])
        left = result.with_suffix(".left")
        crashed = proc.returncode != 0 or not result.stat().st_size
        if left.exists():
            # The app's data folder goes once the process is gone (its threads may still write
            # until then); an aborted app also left its sound server running.
            runtime, work = json.loads(left.read_text())
            if crashed:
                subprocess.run(["pulseaudio", "--kill"], capture_output=True,
                               env=dict(os.environ, XDG_RUNTIME_DIR=runtime,
                                        PULSE_RUNTIME_PATH=f"{runtime}/pulse"))
                shutil.rmtree(runtime, ignore_errors=True)
            shutil.rmtree(work, ignore_errors=True)
            left.unlink()
        if crashed:
            crashes += 1
            result.unlink(missing_ok=True)
            print(f"an app process ended with code {proc.returncode}; its turns are not counted")
            continue
        meta = json.loads(result.read_text())
        rows += meta["rows"]
        kinds += meta["kinds"]
        paplay_offsets += meta["paplay_offsets"]
        splits += meta["splits"]
        result.unlink()
    if not rows:
        sys.exit("no turns measured")
    totals = [r["onset"] - r["true_end"] for r in rows]
    judged = [r for r in rows if "judge.in" in r]
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; recogniser: "
          f"{meta.get('engine')}; {'push-to-talk' if args.push_to_talk else 'hands-free'}"
          f"{', no calibration reading' if args.no_calibration else ''}")
    print(f"cpus {len(os.sched_getaffinity(0))}, VAD hangover {meta['hangover']:.2f} s, speculative "
          f"final pass after {meta['speculate_after']} s, "
          f"{'WHAT-IF no fwdflat pass, ' if args.no_fwdflat else ''}"
          f"{'turn end on the cue (short/long hangover), ' if meta.get('end_on_cue') else ''}"
          f"{len(rows)} turns ({len(judged)} judged, {len(rows) - len(judged)} asked again; "
          f"{splits} split replies not counted; {crashes} app processes crashed), "
          f"lines {'played out' if args.full_lines else 'cut short'}")
    print("answers:", ", ".join(f"{k} {kinds.count(k)}" for k in sorted(set(kinds))))
    print(f"paplay start + file offset - parec-measured end: {summary(paplay_offsets)}")
    print(f"TURN LATENCY true end of speech -> first sound of the answer: {summary(totals)}")
    firsts = [r["onset"] - r["true_end"] for r in rows if r.get("first")]
    later = [r["onset"] - r["true_end"] for r in rows if not r.get("first")]
    if firsts and later:
        print(f"  first reply of each app process (n={len(firsts)}): {summary(firsts)}; "
              f"the later replies: {summary(later)}")
    releases = [r["onset"] - r["released"] for r in rows if "released" in r]
    if releases:
        print(f"PUSH-TO-TALK release of the key -> first sound of the answer: {summary(releases)}")
        first_release = [r["onset"] - r["released"] for r in rows if "released" in r and r.get("first")]
        later_release = [r["onset"] - r["released"] for r in rows if "released" in r and not r.get("first")]
        if first_release and later_release:
            print(f"  first reply of each app process (n={len(first_release)}): "
                  f"{summary(first_release)}; the later replies: {summary(later_release)}")
    print("breakdown (median over the turns that have both points):")
    for label, a, b in STAGES:
        values = [r[b] - r[a] for r in rows if a in r and b in r]
        if values:
            print(f"  {label:45s} {summary(values)}  (n={len(values)})")
    early = [r["judge.out"] - r["end_turn.in"] for r in rows
             if "judge.out" in r and "end_turn.in" in r and r["judge.in"] < r["end_turn.in"]]
    print(f"judged at the pause, before the turn ended: {len(early)} of {len(judged)} turns"
          + (f"; judging done {summary([-e for e in early])} before the turn end" if early else ""))
    vad_error = [r["end_turn.in"] - r["true_end"] for r in rows if "end_turn.in" in r]
    print(f"VAD hangover share of the median total: "
          f"{statistics.median(vad_error) / statistics.median(totals) * 100:.0f}%")


def options(args: argparse.Namespace) -> list[str]:
    """The options a child process is given besides its turns."""
    given = []
    if args.verbose:
        given.append("--verbose")
    if args.no_fwdflat:
        given.append("--no-fwdflat")
    if args.full_lines:
        given.append("--full-lines")
    if args.end_on_cue:
        given.append("--end-on-cue")
    if args.speculate_after is not None:
        given += ["--speculate-after", str(args.speculate_after)]
    if args.push_to_talk:
        given.append("--push-to-talk")
    if args.no_calibration:
        given.append("--no-calibration")
    given += ["--engine", args.engine]
    return given


if __name__ == "__main__":
    main()
