"""The workers: the task pool, the ordered worker and the inline worker keep one submit protocol."""

from __future__ import annotations

import logging
import threading

import pytest

from simulator.devices.workers import InlineWorker, OrderedWorker, Submit, TaskPool


@pytest.fixture
def ordered():
    worker = OrderedWorker("test")
    yield worker
    worker.close()


def test_each_worker_keeps_the_submit_protocol(qtbot, ordered):
    for worker in (TaskPool(), ordered, InlineWorker()):
        assert isinstance(worker, Submit)


def test_the_pool_runs_work_off_the_gui_thread_and_reports_busy(qtbot):
    pool = TaskPool(busy_delay_ms=10)
    gui = threading.get_ident()
    seen: dict = {}
    release = threading.Event()

    def work():
        seen["thread"] = threading.get_ident()
        release.wait(2)
        return 42

    with qtbot.waitSignal(pool.busy_changed, timeout=2000) as busy:
        pool.submit(work, on_done=lambda r: seen.update(result=r, done_on=threading.get_ident()))
    assert busy.args == [True] and pool.pending == 1
    with qtbot.waitSignal(pool.busy_changed, timeout=2000) as idle:
        release.set()
    assert idle.args == [False]
    assert seen["thread"] != gui and seen["done_on"] == gui and seen["result"] == 42
    assert pool.wait(2000) and pool.pending == 0


def test_the_pool_delivers_errors_on_the_gui_thread_or_logs_them(qtbot, caplog):
    pool = TaskPool(threads=2)
    errors: list[tuple[BaseException, int]] = []
    pool.submit(lambda: 1 / 0, on_error=lambda e: errors.append((e, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    assert isinstance(errors[0][0], ZeroDivisionError) and errors[0][1] == threading.get_ident()
    with caplog.at_level(logging.ERROR, logger="simulator.devices.workers"):
        pool.submit(lambda: {}["missing"])
        qtbot.waitUntil(lambda: pool.pending == 0, timeout=2000)
    assert "background task failed" in caplog.text and "KeyError" in caplog.text


def test_the_ordered_worker_runs_tasks_in_order_on_one_thread_and_close_drops_the_rest(ordered):
    seen: list[tuple[int, int]] = []
    gate, done = threading.Event(), threading.Event()
    ordered.submit(gate.wait)
    for i in range(50):
        ordered.submit(lambda i=i: seen.append((i, threading.get_ident())))
    ordered.submit(done.set)
    assert ordered.pending == 52
    gate.set()
    assert done.wait(5) and ordered.wait(2000) and ordered.pending == 0
    assert [i for i, _ in seen] == list(range(50))
    assert len({ident for _, ident in seen}) == 1 and seen[0][1] != threading.get_ident()
    gate.clear()
    ordered.submit(lambda: gate.wait(0.5))
    ordered.submit(lambda: seen.append((-1, 0)))  # still queued at close: dropped
    ordered.close()
    assert seen[-1][0] == 49 and ordered.pending == 0
    ordered.submit(lambda: seen.append((-2, 0)))  # after close: nothing runs it
    assert ordered.pending == 0 and ordered.wait(0)


def test_the_ordered_worker_never_overlaps_tasks(ordered):
    running, overlaps = [0], []

    def task():
        running[0] += 1
        overlaps.append(running[0])
        threading.Event().wait(0.001)
        running[0] -= 1

    for _ in range(20):
        ordered.submit(task)
    assert ordered.wait(5000)
    assert overlaps == [1] * 20


def test_the_ordered_worker_delivers_results_and_errors_on_the_gui_thread(qtbot, ordered, caplog):
    gui = threading.get_ident()
    seen: list[tuple[object, int]] = []
    ordered.submit(lambda: threading.get_ident(), on_done=lambda r: seen.append((r, threading.get_ident())))
    ordered.submit(lambda: 1 / 0, on_error=lambda e: seen.append((e, threading.get_ident())))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=2000)
    (worker_thread, done_on), (error, failed_on) = seen
    assert worker_thread != gui and done_on == gui
    assert isinstance(error, ZeroDivisionError) and failed_on == gui
    with caplog.at_level(logging.ERROR, logger="simulator.devices.workers"):
        ordered.submit(lambda: 1 / 0)  # no on_error: logged, and the thread goes on
        ordered.submit(lambda: "still here", on_done=lambda r: seen.append((r, 0)))
        qtbot.waitUntil(lambda: len(seen) == 3, timeout=2000)
    assert "ZeroDivisionError" in caplog.text and seen[-1][0] == "still here"


def test_the_inline_worker_runs_at_once_and_raises_what_nobody_catches():
    worker = InlineWorker()
    out = []
    worker.submit(lambda: "x", on_done=out.append)
    worker.submit(lambda: 1 / 0, on_error=lambda e: out.append(type(e).__name__))
    assert out == ["x", "ZeroDivisionError"] and worker.calls == 2
    assert worker.pending == 0 and worker.wait(0)
    with pytest.raises(ZeroDivisionError):
        worker.submit(lambda: 1 / 0)


def test_a_pool_that_has_gone_drops_what_its_tasks_return(qtbot):
    from PySide6.QtCore import QObject, QThreadPool
    from shiboken6 import delete

    owner = QObject()
    pool = TaskPool(owner)  # like VoiceOut's pool, which goes with the service
    release, seen = threading.Event(), []
    pool.submit(lambda: release.wait(2), on_done=seen.append, on_error=seen.append)
    delete(owner)
    release.set()
    assert QThreadPool.globalInstance().waitForDone(2000)
    qtbot.wait(50)  # the outcome's queued delivery, which finds nobody
    assert seen == []


def test_the_workers_load_without_qt_multimedia_numpy_or_the_recogniser():
    """The task runner is made before the first window; the audio stack is not needed until later (issue 18)."""
    import subprocess
    import sys

    code = ("import sys, simulator.devices.workers; "
            "print(sorted(m for m in ('PySide6.QtMultimedia', 'numpy', 'pocketsphinx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
