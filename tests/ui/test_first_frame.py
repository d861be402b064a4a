"""Start-up: what the first screen does not need waits until the window's first frame is painted (issue 18)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_the_first_frame_is_followed_by_the_held_work_once(qtbot):
    from PySide6.QtWidgets import QLabel

    from simulator.ui.first_frame import FirstFrame

    window = QLabel("hello")
    qtbot.addWidget(window)
    window.winId()  # a native window, as shown windows have
    ran: list[str] = []
    first = FirstFrame(window, lambda: ran.append("then"))
    assert ran == []
    window.show()
    qtbot.waitUntil(lambda: ran == ["then"], timeout=FirstFrame.FALLBACK_MS - 500)  # the expose, not the fallback
    window.hide()
    window.show()
    qtbot.wait(50)
    assert ran == ["then"] and first.done


def test_the_library_and_the_recogniser_wait_for_the_first_frame(qtbot, make_context):
    from simulator.ui.main_window import MainWindow

    context = make_context()
    loads: list[str] = []
    load = context.library_loader
    context.library_loader = lambda: loads.append("library") or load()
    built: list[str] = []
    context.startup.hold()
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.conversation.presenter.listening.apply_settings = lambda: built.append("listener")
    assert loads == [] and built == [] and win.library.cards == []
    context.startup.release()
    assert loads == ["library"] and len(win.library.cards) == 1 and built == ["listener"]
    assert not context.startup.holding
    context.startup.later(lambda: built.append("now"))  # after the first frame, at once
    assert built == ["listener", "now"]


def test_one_failed_start_up_job_does_not_stop_the_others(caplog):
    from simulator.ui.context import Startup

    startup = Startup()
    startup.hold()
    ran: list[int] = []
    startup.later(lambda: 1 / 0)
    startup.later(lambda: ran.append(2))
    startup.release()
    assert ran == [2] and "a start-up job failed" in caplog.text


def test_the_window_loads_without_the_judge_or_the_migration_tool():
    """What the first frame does not need stays unloaded until later: the wording judge's machinery and
    alembic (each a quarter to a third of a second on 2 cores)."""
    import subprocess
    import sys

    code = ("import sys, simulator.ui.main_window, simulator.ui.app; "
            "print(sorted(m for m in ('simulator.analysis.wording', 'alembic', 'ctranslate2', 'onnxruntime') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
