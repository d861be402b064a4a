"""A trainee at the real app window, for crash tests: plays a scenario and prints a line after each saved turn.

    python -m tests.support.crash_driver --scenarios DIR [--turns N] [--wav reply.wav]

Runs the real MainWindow offscreen on the data folder in SIMULATOR_DATA_DIR, with the real session
store, task pool and rubric judge. It presses Resume when the library offers an interrupted
session, else starts the first scenario, and answers every customer line: typed replies
go through the reply box and Send button, spoken ones (every other turn, when --wav is given)
through the presenter's slot for the Listener's reply_ready, with a fresh copy of the WAV, as the
Listener hands over a new recording each time. After each save it prints

    SAVED <session id> <turns> <recording path or ->

and flushes, so a test that kills it knows exactly what was on disk. It prints
`STARTED <session id>` or `RESUMED <session id> <turns>` first, and ENDED if the scenario ends.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Replies the rubric finds neutral, so the customer keeps talking: the session grows turn by turn.
REPLIES = ["Okay.", "Right, I see.", "Let me have a look at the system.", "One moment please.",
           "I'm checking that now."]


def say(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenarios", type=Path, required=True)
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--wav", type=Path)
    args = parser.parse_args(argv)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from simulator.devices.workers import TaskPool
    from simulator.engine.loader import load_library
    from simulator.logs import setup_logging
    from simulator.records.store import SessionStore
    from simulator.settings import Settings
    from simulator.ui.context import AppContext, Devices
    from simulator.ui.main_window import MainWindow
    from tests.ui.fakes import reply_result

    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = SessionStore()
    real_save = store.save

    def save_and_report(record):
        real_save(record)
        turns = record.state.turns
        audio = turns[-1].audio_file if turns else None
        say(f"SAVED {record.session_id} {len(turns)} {audio or '-'}")

    store.save = save_and_report  # type: ignore[method-assign]
    context = AppContext(
        settings=Settings(first_run_done=True, trainee_name="Crash Test", voice_enabled=False,
                          baseline_wav="none"),
        store=store, tasks=TaskPool(), library_loader=lambda: load_library([args.scenarios]),
        devices=Devices())
    window = MainWindow(context)
    window.show()
    presenter = window.conversation.presenter
    spare = Path(tempfile.mkdtemp(prefix="crash-driver-"))
    replies = {"given": 0}

    def start() -> None:
        library = window.library
        if library.loading or library.library is None:
            QTimer.singleShot(20, start)
            return
        if library.resume_banner.isVisibleTo(library):
            library.resume_button.click()
            state = presenter.runner.state
            say(f"RESUMED {state.session_id} {len(state.turns)}")
        else:
            library.cards[0].start.click()
            say(f"STARTED {presenter.runner.state.session_id}")
        window.conversation.begin_button.click()
        QTimer.singleShot(0, step)

    def step() -> None:
        if presenter.runner is not None and presenter.runner.ended:
            say("ENDED")
            app.exit(0)
            return
        if not presenter.accepts_reply():
            QTimer.singleShot(5, step)
            return
        if replies["given"] >= args.turns:
            app.exit(0)
            return
        n = replies["given"]
        replies["given"] += 1
        text = REPLIES[n % len(REPLIES)]
        if args.wav is not None and n % 2 == 1:
            copy = spare / f"reply-{n:03d}.wav"
            shutil.copyfile(args.wav, copy)
            presenter._on_listener_reply_ready(reply_result(text, wav_path=copy))
        else:
            window.conversation.reply_box.setText(text)
            window.conversation.send_button.click()
        QTimer.singleShot(0, step)

    QTimer.singleShot(0, start)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
