"""Start-up time: from starting the app to the first painted frame of its first screen.

    .venv/bin/python bench/startup.py                 # the library, for a trainee who has used it before
    .venv/bin/python bench/startup.py --first-run     # the welcome page, on a fresh data folder
    .venv/bin/python bench/startup.py --runs 9
    .venv/bin/python bench/startup.py --runs 1 --profile /tmp/startup.prof   # where the time goes (cProfile)

Each run starts `python -m simulator` afresh (a new interpreter, as a trainee's double-click does) in
a data folder of its own, and prints the median of:

    first window N ms    to the first paint of the first screen (the library or the welcome page)
    library cards N ms   to the first paint of a scenario card (the library, loaded in the background)
    CPU time to ...      the app's own CPU time (all threads) by then, from the start of the interpreter:
                         less swayed by other work on the machine than the wall-clock figures

Times run from just before the process is started to the moment the screen's paint event is
delivered, read from the same clock in both processes (time.time()). The child is the real app: the
probe only creates the QApplication first (run_app reuses it) to watch its paint events, then exits.
The machine's load (`uptime`) is printed beside the figures: on a busy machine they are not the
app's alone. Goal (issue 18): the first window within 1.5 s on an idle 2-core machine.
Needs a display: under Xvfb, or QT_QPA_PLATFORM=offscreen (which paints too).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0


def _child() -> None:
    """Run the app, print when its first screen and its first scenario card are painted, then leave."""
    t0 = float(os.environ["STARTUP_T0"])
    profile_to = os.environ.get("STARTUP_PROFILE")
    profiler = None
    if profile_to:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    _app = QApplication(sys.argv[:1])  # kept: run_app reuses this instance
    seen: dict[str, float] = {}
    cpu: dict[str, float] = {}  # the process's CPU time (all its threads): less swayed by a busy machine

    def report() -> None:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile_to)
        figures = {k: round((v - t0) * 1000) for k, v in seen.items()}
        figures.update({f"{k}_cpu": round(v * 1000) for k, v in cpu.items()})
        print(json.dumps(figures), flush=True)
        os._exit(0)  # the figures are taken: no need to wait for shutdown

    def note(key: str) -> None:
        if key not in seen:
            seen[key] = time.time()
            cpu[key] = time.process_time()
        # The welcome page has no cards to wait for.
        if "first_window" in seen and ("library_cards" in seen or first_screen[0] != "library"):
            QTimer.singleShot(0, report)

    def watch(cls: type, key: str) -> None:
        """Note `cls`'s first paint: a Python paintEvent on these classes only (an event filter on the
        whole application ran Python for every event and slowed start-up by itself)."""
        def paint_event(self, event, _original=cls.paintEvent) -> None:
            _original(self, event)
            note(key)

        cls.paintEvent = paint_event

    first_screen = [""]
    from simulator.ui import main_window

    build = main_window.MainWindow.__init__

    def built(self, *args, **kwargs) -> None:
        build(self, *args, **kwargs)
        page = self.stack.currentWidget()
        # Read without `self.library`, which would build the library screen behind the welcome page.
        first_screen[0] = "library" if type(page).__name__ == "LibraryPage" else "welcome"
        watch(type(page), "first_window")
        if first_screen[0] == "library":
            watch(sys.modules[type(page).__module__].ScenarioCard, "library_cards")

    main_window.MainWindow.__init__ = built
    QTimer.singleShot(int(TIMEOUT * 1000), report)
    from simulator.cli import main

    sys.exit(main([]))


def _data_folder(first_run: bool) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    if not first_run:
        settings = {"first_run_done": True, "trainee_name": "Sam"}
        (folder / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    return folder


_returning: list[Path] = []


def run_once(first_run: bool, profile: str | None = None) -> dict[str, int]:
    # A first run gets a fresh data folder each time (the records database is made); a returning
    # trainee's runs share one, made by the warm-up run, as their own computer would.
    if first_run or not _returning:
        folder = _data_folder(first_run)
        if not first_run:
            _returning.append(folder)
    else:
        folder = _returning[0]
    env = dict(os.environ, SIMULATOR_DATA_DIR=str(folder))
    if profile:
        env["STARTUP_PROFILE"] = profile
    # A trainee's Python keeps compiled modules (__pycache__); without them every start compiles ~600.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["STARTUP_T0"] = repr(time.time())
    out = subprocess.run([sys.executable, __file__, "--child"], env=env, capture_output=True, text=True,
                         timeout=TIMEOUT + 30, cwd=ROOT)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"the app did not report a painted window:\n{out.stderr[-2000:]}")
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--first-run", action="store_true", help="a fresh data folder: the welcome page")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the last run to FILE")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child()
        return
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    run_once(args.first_run)  # warm the disk cache: a trainee's second start, not the very first
    runs = [run_once(args.first_run, args.profile if i == args.runs - 1 else None) for i in range(args.runs)]
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    screen = "welcome page" if args.first_run else "library"
    print(f"{args.runs} runs, {screen}, platform {os.environ.get('QT_QPA_PLATFORM') or 'xcb'}; {load}")
    for key, name in (("first_window", "first window"), ("library_cards", "library cards"),
                      ("first_window_cpu", "CPU time to first window"), ("library_cards_cpu", "CPU time to library cards")):
        values = [r[key] for r in runs if key in r]
        if values:
            print(f"{name} {statistics.median(values):.0f} ms  (runs: {', '.join(map(str, values))})")


if __name__ == "__main__":
    main()
