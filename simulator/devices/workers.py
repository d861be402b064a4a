"""Work off the GUI thread: one way to submit it, and three things that run it.

Everything slow (judging, analysis, file work, rendering a line, recognising speech) is handed
to something that `Submit`s: a callable goes in, its result or its exception comes back to
`on_done` or `on_error` on the GUI thread (the thread that made the worker). Nobody else starts
threads.

- `TaskPool`: a QThreadPool for independent tasks (the screens' `AppContext.tasks`, VoiceOut's
  rendering). Tasks may run side by side and finish in any order; `busy_changed` drives spinners.
- `OrderedWorker`: one long-lived thread, tasks one at a time in the order given. The listener's
  recogniser needs it: it is not thread-safe and is fed chunk by chunk, thousands a minute.
- `InlineWorker`: runs each task at once on the caller's thread, for tests and scripts, so a whole
  conversation runs deterministically.

Devices and screens take a `Submit`, so a test hands any of them an `InlineWorker`.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol, runtime_checkable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, SignalInstance, Slot

from simulator.devices.signals import safe_emit

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]

# What an OrderedWorker's thread is called (`threading.enumerate()`), so tests can find leftovers.
THREAD_PREFIX = "ordered-worker"


@runtime_checkable
class Submit(Protocol):
    """Runs callables somewhere and reports back on the GUI thread."""

    def submit(self, fn: Callable[[], Any], on_done: Done | None = None,
               on_error: Failed | None = None) -> None:
        """Run `fn()`; then `on_done(result)` or `on_error(exception)` on the GUI thread.

        Without `on_error` a failure is logged (raised, by the `InlineWorker`), never lost."""
        ...

    @property
    def pending(self) -> int:
        """How many submitted tasks have not finished yet."""
        ...

    def wait(self, msecs: int = 10000) -> bool:
        """Block until every submitted task has finished (shutdown, tests); False on timeout."""
        ...


class _Outcome(NamedTuple):
    callback: Callable[[Any], None] | None
    value: Any
    ok: bool
    key: int = 0  # which of a pool's tasks


def _deliver(outcome: _Outcome) -> None:
    """On the GUI thread: hand the result or the exception to whoever asked."""
    if outcome.callback is not None:
        outcome.callback(outcome.value)
    elif not outcome.ok:
        log.error("background task failed", exc_info=outcome.value)


def _run(fn: Callable[[], Any], on_done: Done | None, on_error: Failed | None) -> _Outcome:
    try:
        result = fn()
    except BaseException as exc:  # reported to whoever asked, never lost in a thread
        return _Outcome(on_error, exc, False)
    return _Outcome(on_done, result, True)


def _report(signal: SignalInstance, outcome: _Outcome) -> None:
    """From a worker thread: send the outcome to the GUI thread (a queued signal)."""
    try:
        safe_emit(signal, outcome)
    except RuntimeError:
        # The relay went with the application at quit (a pre-render stopped part-way):
        # nobody is left to tell, and a traceback on the way out would only alarm.
        pass


class _Relay(QObject):
    """Lives on the GUI thread; a worker's emit is queued, so the slot runs there."""

    finished = Signal(object)  # an _Outcome


class _Job(QRunnable):
    """One task on the pool. Not auto-deleted: the TaskPool keeps it (and so the task and its
    callbacks) until the outcome is back on the GUI thread, and the job lets go of them before it
    reports. Whatever the task captured is then released on the GUI thread, never on a worker:
    a Qt object freed on a worker runs its C++ destructor without the GIL and asks for it again
    (a Python override check) while holding one of Qt's shared signal locks, and a GUI thread
    that holds the GIL and wants that lock deadlocks with it (seen in the suite: the window hung in
    setStyleSheet while a pool thread destroyed a QtMultimedia object)."""

    def __init__(self, fn: Callable[[], Any], on_done: Done | None, on_error: Failed | None,
                 relay: _Relay, key: int) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._task: tuple[Callable[[], Any], Done | None, Failed | None] | None = (fn, on_done, on_error)
        self._relay, self._key = relay, key

    def run(self) -> None:
        task, self._task = self._task, None
        assert task is not None
        fn = task[0]
        del task  # the pool's own references (TaskPool._pending) are the ones released, on the GUI thread
        try:
            value, ok = fn(), True
        except BaseException as exc:  # reported to whoever asked, never lost in a thread
            value, ok = exc, False
        del fn
        # No callback in the outcome: the pool looks it up on the GUI thread.
        _report(self._relay.finished, _Outcome(None, value, ok, self._key))


class TaskPool(QObject):
    """Runs callables on a thread pool, side by side; results arrive on the GUI thread.

    By default the application's global pool; `threads` gives it a private pool of its own
    (VoiceOut: two, so a line needed now renders while a scenario is being pre-rendered). A
    private pool is a Qt child of this object, and its destructor waits for its tasks.

    Signals:
        busy_changed(bool): True once work has been running for longer than `busy_delay_ms`
            (so a quick judgement never flashes a spinner), False when nothing is left.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, busy_delay_ms: int = 250,
                 threads: int | None = None) -> None:
        super().__init__(parent)
        if threads is None:
            self._pool = QThreadPool.globalInstance()
        else:
            self._pool = QThreadPool(self)
            self._pool.setMaxThreadCount(threads)
        # One relay per task, with no Qt parent: it must not go with this object while a worker
        # still holds it; Python keeps it here until its outcome has arrived.
        self._pending: dict[int, tuple[Any, ...]] = {}  # relay, job, task, callbacks
        self._keys = 0
        self._busy = False
        self._timer = QTimer(self, singleShot=True, interval=busy_delay_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def submit(self, fn: Callable[[], Any], on_done: Done | None = None,
               on_error: Failed | None = None) -> None:
        self._keys += 1
        relay = _Relay()
        # To a slot of this object: if it has gone (VoiceOut's pool goes with the service), so has
        # whoever asked, and Qt drops the outcome.
        relay.finished.connect(self._on_relay_finished)
        if not self._timer.isActive() and not self._busy:
            self._timer.start()
        job = _Job(fn, on_done, on_error, relay, self._keys)
        # Held here, with what the task captured, until its outcome arrives (see _Job).
        self._pending[self._keys] = (relay, job, fn, on_done, on_error)
        self._pool.start(job)

    def wait(self, msecs: int = 10000) -> bool:
        return self._pool.waitForDone(msecs)

    @Slot(object)
    def _on_relay_finished(self, outcome: _Outcome) -> None:
        held = self._pending.pop(outcome.key, None)
        if held is not None:
            relay, _job, _fn, on_done, on_error = held
            relay.deleteLater()
            outcome = outcome._replace(callback=on_done if outcome.ok else on_error)
        if not self._pending:
            self._timer.stop()
            self._set_busy(False)
        _deliver(outcome)

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self._pending:
            self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)


class OrderedWorker:
    """One long-lived thread: tasks run one at a time, in the order submitted, never overlapping.

    A plain Python thread and queue rather than a QThreadPool with `QRunnable.create(task)`: with
    a runnable per microphone chunk (thousands a minute) PySide6 6.12 freed them twice, once by
    the pool's auto-delete and once with their Python wrapper, and the heap corruption aborted
    the app minutes later ("malloc_consolidate(): unaligned fastbin chunk detected", or a new
    QIODevice handed back as a stale QRunnable wrapper); bench/turn_latency.py hit it every run.
    A task with no callbacks (a chunk fed to the recogniser) sends nothing back: only an outcome
    someone asked for crosses to the GUI thread. Make the worker on the GUI thread.
    """

    def __init__(self, name: str = "worker") -> None:
        self._relay = _Relay()
        self._relay.finished.connect(_deliver)
        self._tasks: queue.SimpleQueue[tuple[Callable[[], Any], Done | None, Failed | None] | None] = \
            queue.SimpleQueue()
        self._count = 0
        self._closed = False
        self._idle = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name=f"{THREAD_PREFIX}-{name}", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        with self._idle:
            return self._count

    def submit(self, fn: Callable[[], Any], on_done: Done | None = None,
               on_error: Failed | None = None) -> None:
        with self._idle:
            if self._closed:
                return  # nothing would run it: a task after `close` is dropped like those before
            self._count += 1
        self._tasks.put((fn, on_done, on_error))

    def wait(self, msecs: int = 10000) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._count == 0, msecs / 1000)

    def close(self, msecs: int = 10000) -> None:
        """Drop the tasks not started yet, wait (up to `msecs`) for the one running, end the thread."""
        with self._idle:
            self._closed = True
        dropped = 0
        try:
            while self._tasks.get_nowait() is not None:
                dropped += 1
        except queue.Empty:
            pass
        self._done(dropped)
        self._tasks.put(None)
        self._thread.join(msecs / 1000)

    def _loop(self) -> None:
        while (task := self._tasks.get()) is not None:
            fn, on_done, on_error = task
            outcome = _run(fn, on_done, on_error)
            if outcome.callback is not None:
                _report(self._relay.finished, outcome)
            elif not outcome.ok:
                log.error("background task failed", exc_info=outcome.value)
            self._done(1)

    def _done(self, count: int) -> None:
        with self._idle:
            self._count -= count
            self._idle.notify_all()


class InlineWorker:
    """Runs each task at once on the calling thread (tests, scripts); nothing is ever pending.

    Unlike the threaded workers, a failure with no `on_error` is raised to the caller, so a test
    sees it.
    """

    def __init__(self) -> None:
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

    def wait(self, msecs: int = 10000) -> bool:
        return True
