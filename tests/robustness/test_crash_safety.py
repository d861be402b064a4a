"""Killing the app mid-session loses nothing: every turn it reported saved is there, with its recording.

tests/support/crash_driver.py plays the real window (real store, task runner and rubric judge;
typed replies through the reply box, spoken ones through the Listener's slot with an espeak-ng
WAV) and prints a line after each save. Here it is SIGKILLed at seeded random points: a few saves
in, then a random delay, so the kill lands anywhere (judging, saving, moving a recording). After
each kill the store is opened cold and checked, and the next run must be offered the session to
resume and carry on from the turns saved.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

from simulator.records.store import SessionStore
from tests.ui.conftest import SCENARIO

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
ITERATIONS = 4


@pytest.fixture
def reply_wav(tmp_path) -> Path:
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng)")
    path = tmp_path / "reply.wav"
    subprocess.run(["espeak-ng", "-w", str(path), "Right, I see. Let me have a look."], check=True)
    return path


def run_until_killed(data: Path, scenarios: Path, wav: Path, saves: int, delay: float) -> list[str]:
    """Start the driver, wait for `saves` saves (or its end), wait `delay` seconds more, SIGKILL it."""
    env = dict(os.environ, SIMULATOR_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-m", "tests.support.crash_driver", "--scenarios", str(scenarios),
                             "--wav", str(wav), "--turns", "50"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
        if line.startswith("ENDED") or sum(ln.startswith("SAVED") for ln in lines) >= saves:
            break
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    # Whatever it printed before dying was on disk by then too.
    lines.extend(ln.strip() for ln in proc.stdout.read().splitlines())
    return lines


def check_store(data: Path, lines: list[str]) -> tuple[str, int, bool]:
    """The promises the app made before it died hold; returns (session id, turns saved, ended)."""
    saved = [ln.split() for ln in lines if ln.startswith("SAVED")]
    first = lines[0].split()
    session_id = first[1]
    ended = "ENDED" in lines
    con = sqlite3.connect(data / "simulator.db")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    store = SessionStore(data)
    try:
        record = store.load(session_id)
        turns = record.state.turns
        reported = max((int(s[2]) for s in saved), default=int(first[2]) if first[0] == "RESUMED" else 0)
        assert len(turns) >= reported, f"{reported} turns were reported saved, {len(turns)} are in the store"
        assert [t.index for t in turns] == list(range(len(turns)))
        for _, _, n, audio in saved:
            if audio != "-":
                assert turns[int(n) - 1].audio_file == audio
        for turn in turns:
            if turn.audio_file:
                with wave.open(turn.audio_file) as wav:  # a complete, readable WAV
                    assert wav.getnframes() > 0 and wav.getnchannels() == 1
        # The driver may die between saving the ending and saying so: the store knows.
        ended = ended or record.state.outcome is not None
        offered = [r.session_id for r in store.unfinished()]
        if not ended and turns:
            assert session_id in offered
        else:
            assert session_id not in offered
        return session_id, len(turns), ended
    finally:
        store.close()


def test_sigkill_at_random_points_loses_no_saved_turn(tmp_path, private_data_dir, reply_wav, qtbot):
    data = private_data_dir
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "parcel.yaml").write_text(SCENARIO, encoding="utf-8")
    rng = random.Random(20240611)
    previous: tuple[str, int, bool] | None = None
    kills = []
    for _ in range(ITERATIONS):
        saves, delay = rng.randint(1, 3), rng.uniform(0.0, 0.25)
        lines = run_until_killed(data, scenarios, reply_wav, saves, delay)
        assert lines, "the driver printed nothing"
        kind, session_id = lines[0].split()[:2]
        if previous is not None and not previous[2] and previous[1] > 0:
            # The interrupted session was offered and resumed with every turn saved before the kill.
            assert kind == "RESUMED" and session_id == previous[0]
            assert int(lines[0].split()[2]) == previous[1]
        previous = check_store(data, lines)
        kills.append((saves, round(delay, 3), previous[1]))
    print("kills (saves waited, delay s, turns in store):", kills)
    assert sum(1 for k in kills if k[2]) >= 2, kills

    # The library, opened as after a restart, offers the interrupted session.
    from simulator.devices.workers import InlineWorker
    from simulator.engine.loader import load_library
    from simulator.settings import Settings
    from simulator.ui.context import AppContext
    from simulator.ui.library.view import LibraryPage

    session_id, turns, ended = previous
    if ended:
        return
    context = AppContext(settings=Settings(first_run_done=True, baseline_wav="none"), store=SessionStore(data),
                         tasks=InlineWorker(), library_loader=lambda: load_library([scenarios]))
    page = LibraryPage(context)
    qtbot.addWidget(page)
    page.refresh()
    assert page.resume_banner.isVisibleTo(page)
    assert f"{turns} exchange" in page.resume_banner.text.text()
    context.store.close()
