"""Start-up: what the first screen does not need waits until the window's first frame is painted (issue 18)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.support.app_start import app_context

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


# Modules the first screen must not wait for (issue 18): the records database (SQLAlchemy, its
# PostgreSQL dialect, alembic), the scenario models (pydantic), numpy, the audio devices and speech
# engines, the wording judge, and every other screen's module.
KEPT_OFF_THE_FIRST_FRAME = (
    "numpy", "sqlalchemy", "sqlalchemy.dialects.postgresql", "alembic", "psycopg",
    "simulator.engine.model", "simulator.engine.loader", "simulator.records.store",
    "simulator.analysis.wording", "simulator.analysis.sentence_encoder", "wordllama", "ctranslate2", "faster_whisper", "onnxruntime", "pocketsphinx",
    "PySide6.QtMultimedia", "simulator.devices.voice_out", "simulator.devices.microphone",
    "simulator.ui.conversation.view", "simulator.ui.debrief.view", "simulator.ui.settings.view",
    "simulator.ui.calibration.view", "simulator.ui.authoring.view", "simulator.ui.history.view",
    "simulator.ui.roster.view", "simulator.ui.classroom.view",
)

# The app's real start (`python -m simulator`), stopped at the first paint of its first screen: which
# of those modules were loaded by then. The probe only wraps that screen's paintEvent.
_FIRST_PAINT_PROBE = """
import json, os, sys
from simulator.ui import main_window

build = main_window.MainWindow.__init__

def built(self, *args, **kwargs):
    build(self, *args, **kwargs)
    page = self.stack.currentWidget()
    cls = type(page)
    paint = cls.paintEvent

    def paint_event(widget, event):
        paint(widget, event)
        print(json.dumps({"screen": cls.__name__,
                          "loaded": [m for m in json.loads(os.environ["WATCH"]) if m in sys.modules]}), flush=True)
        os._exit(0)

    cls.paintEvent = paint_event

main_window.MainWindow.__init__ = built
from simulator.cli import main
sys.exit(main([]))
"""


@pytest.mark.parametrize(("first_run", "screen"), [(False, "LibraryPage"), (True, "WelcomePage")])
def test_the_first_screen_is_painted_before_the_heavy_modules_load(private_data_dir, first_run, screen):
    import json
    import os
    import subprocess
    import sys

    data = private_data_dir
    if not first_run:
        (data / "settings.json").write_text(json.dumps({"first_run_done": True, "trainee_name": "Sam"}),
                                            encoding="utf-8")
    env = dict(os.environ, SIMULATOR_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen",
               WATCH=json.dumps(KEPT_OFF_THE_FIRST_FRAME))
    out = subprocess.run([sys.executable, "-c", _FIRST_PAINT_PROBE], env=env, capture_output=True, text=True,
                         timeout=120)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    assert lines, out.stderr[-3000:]
    painted = json.loads(lines[-1])
    assert painted == {"screen": screen, "loaded": []}


def test_a_session_started_before_the_records_database_opened_is_saved(qtbot, monkeypatch, private_data_dir,
                                                                       scenario_dir, judge):
    """The records database opens after the first frame; a trainee who starts at once is saved all the same."""
    from simulator.records.store import SessionStore
    from simulator.ui.main_window import MainWindow

    context = app_context(monkeypatch, scenario_dir, judge)
    context.startup.hold()  # the first frame is not painted yet
    win = MainWindow(context)
    qtbot.addWidget(win)
    assert context.opened_store is None and win.stack.currentWidget() is win.library
    win.start_scenario("parcel")
    win.conversation.begin_button.click()
    win.conversation.reply_box.setText("I'm sorry, let me look.")
    win.conversation.send_button.click()
    assert context.opened_store is not None
    context.startup.release()  # then the window's own opening finds it open
    assert context.store is context.opened_store
    win.close()
    context.store.close()
    kept = SessionStore(private_data_dir)
    try:
        assert [len(r.state.turns) for r in kept.all()] == [1]
    finally:
        kept.close()


def test_screens_are_built_when_first_shown_and_the_sidebar_still_reaches_each(qtbot, window):
    win = window
    assert set(win._pages) == {"library"}
    for keys, page in (("Ctrl+2", "calibration"), ("Ctrl+3", "settings"), ("Ctrl+4", "authoring"),
                       ("Ctrl+5", "history"), ("Ctrl+6", "roster"), ("Ctrl+1", "library")):
        qtbot.keyClick(win, keys[-1], Qt.KeyboardModifier.ControlModifier)
        assert win.stack.currentWidget() is win._pages[page]
    win.nav_settings.click()
    assert win.stack.currentWidget() is win.settings_page and win.nav_settings.isChecked()
    assert "conversation" not in win._pages and "debrief" not in win._pages


def test_a_shared_database_down_at_start_is_said_once_the_window_is_painted(qtbot, monkeypatch, answer,
                                                                            private_data_dir, scenario_dir):
    from simulator.devices.workers import InlineWorker
    from simulator.engine.loader import load_library
    from simulator.settings import Settings, save_settings, settings_path
    from simulator.ui import context as context_module
    from simulator.ui.context import AppContext, Devices
    from simulator.ui.main_window import MainWindow

    save_settings(Settings(first_run_done=True, database_url="postgresql+psycopg://trainer@127.0.0.1:1/simulator"),
                  settings_path())
    monkeypatch.setattr(context_module, "create_devices", lambda settings: Devices())
    context = AppContext.for_app()
    context.tasks = InlineWorker()
    context.library_loader = lambda: load_library([scenario_dir])
    context.startup.hold()
    win = MainWindow(context)
    qtbot.addWidget(win)
    assert answer.asked == [] and context.opened_store is None
    context.startup.release()
    try:
        assert answer.asked == ["Records kept on this computer"]
        assert "cannot be reached" in win.where.text() and win.where.isVisibleTo(win)
    finally:
        win.close()
        context.store.close()


def test_the_audio_devices_are_prepared_once_for_everyone_who_waits_for_them():
    """The app and its window each want the devices after the first frame: their modules are
    imported on the task runner once, the devices made once, and both callers called, in order."""
    from simulator.settings import Settings
    from simulator.ui.context import AppContext, Devices
    from tests.support.tasks import Later

    later = Later()
    made: list[Devices] = []
    context = AppContext(Settings(), tasks=later, store_opener=lambda: (None, [], None),
                         devices_maker=lambda settings: made.append(Devices()) or made[-1])
    called: list[str] = []
    context.prepare_devices(lambda: called.append("app"))
    context.prepare_devices(lambda: called.append("window"))
    assert len(later.queued) == 1 and called == [] and not context.devices_made
    later.run()
    assert called == ["app", "window"] and len(made) == 1 and context.devices is made[0]
    context.prepare_devices(lambda: called.append("later"))  # made already: at once
    assert called == ["app", "window", "later"] and later.queued == []
