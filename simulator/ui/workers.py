"""Running slow work (judging, analysis, file work) off the GUI thread, and a synchronous stand-in for tests.

Screens never start threads themselves: they hand a callable to a `TaskRunner` and get the result
back on the GUI thread. Tests pass a `SyncRunner` instead, so a whole conversation runs
deterministically without waiting on threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Relay(QObject):
    """Carries a worker's result back to the GUI thread (a queued signal, so the slot runs there)."""

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # reported to the screen that asked, never lost in a thread
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


class TaskRunner(QObject):
    """Runs callables on a thread pool; results arrive on the GUI thread.

    Signals:
        busy_changed(bool): True once work has been running for longer than `busy_delay_ms`
            (so a quick judgement never flashes a spinner), False when nothing is left.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, busy_delay_ms: int = 250,
                 pool: QThreadPool | None = None):
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._pending: set[_Relay] = set()
        self._busy = False
        self._timer = QTimer(self, singleShot=True, interval=busy_delay_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def submit(self, fn: Callable[[], Any], on_done: Done | None = None,
               on_error: Failed | None = None) -> None:
        relay = _Relay(self)
        self._pending.add(relay)

        def finish(result: Any, ok: bool) -> None:
            self._pending.discard(relay)
            relay.deleteLater()
            if not self._pending:
                self._timer.stop()
                self._set_busy(False)
            callback = on_done if ok else on_error
            if callback is not None:
                callback(result)
            elif not ok:
                log.error("background task failed", exc_info=result)

        relay.done.connect(lambda result: finish(result, True))
        relay.failed.connect(lambda exc: finish(exc, False))
        if not self._timer.isActive() and not self._busy:
            self._timer.start()
        self._pool.start(_Job(fn, relay))

    def wait(self, msecs: int = 5000) -> bool:
        """Block until every job has finished (used on shutdown so no thread outlives the app)."""
        return self._pool.waitForDone(msecs)

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self._pending:
            self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)


class SyncRunner(QObject):
    """The same interface as `TaskRunner`, but runs each callable at once on the calling thread.

    Signals:
        busy_changed(bool): never emitted; present so screens can connect to either runner.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.calls = 0

    @property
    def pending(self) -> int:
        return 0

    def submit(self, fn: Callable[[], Any], on_done: Done | None = None,
               on_error: Failed | None = None) -> None:
        self.calls += 1
        try:
            result = fn()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
            return
        if on_done is not None:
            on_done(result)

    def wait(self, msecs: int = 5000) -> bool:
        return True
