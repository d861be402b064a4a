"""Sending the sessions this station kept while the shared server was down: at start, then every minute.

The station shows how many wait (`status_changed`); when a store that stood in for an unreachable
server (records/store.py `standing_in_for`) gets through, the app uses the server from then on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from simulator.fileio import StorageError
from simulator.records.store import SessionStore
from simulator.ui.context import AppContext

log = logging.getLogger(__name__)

# Often enough that a trainer sees a session soon after the network is back; each try that fails
# costs the server's connect timeout (5 s) on a worker thread, never on the GUI thread.
INTERVAL_MS = 60_000


@dataclass(frozen=True)
class Attempt:
    """What one try did, handed back to the GUI thread."""

    sent: int
    waiting: int
    problem: str
    server_store: SessionStore | None  # the server's store, opened when a stand-in got through


def status_text(attempt: Attempt) -> str:
    """The station's line about sessions kept here ("" when nothing waits and nothing was just sent)."""
    def sessions(n: int) -> str:
        return f"{n} session{'s' if n != 1 else ''}"

    parts = []
    if attempt.sent:
        parts.append(f"{sessions(attempt.sent)} kept on this computer sent to the shared database.")
    if attempt.waiting:
        parts.append(f"{sessions(attempt.waiting)} waiting to be sent to the shared database"
                     + (" (it cannot be reached yet)." if attempt.problem else "."))
    return " ".join(parts)


def send_waiting(store: SessionStore) -> Attempt:
    """One try, off the GUI thread: send what waits; a stand-in that got through opens the server's store."""
    try:
        result = store.send_waiting()
    except StorageError as exc:
        try:
            waiting = store.waiting()
        except StorageError:
            waiting = 0
        return Attempt(0, waiting, str(exc), None)
    server = None
    if store.standing_in_for and not result.problem:
        try:
            server = SessionStore(store.root, url=store.standing_in_for, station=store.station)
        except StorageError as exc:  # gone again in between: the next try
            return Attempt(result.sent, result.waiting, str(exc), None)
    return Attempt(result.sent, result.waiting, result.problem, server)


class OutboxSender(QObject):
    """Tries to send the waiting sessions at start and every minute.

    Signals:
        status_changed(str): the station's line about sessions waiting or just sent ("" when none)
        store_changed(): the app now saves to the shared server (it was unreachable at start)
    """

    status_changed = Signal(str)
    store_changed = Signal()

    def __init__(self, context: AppContext, parent: QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.ctx = context
        self.busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.send_now)

    def start(self) -> None:
        self.timer.start()
        self.send_now()

    def send_now(self) -> None:
        store = self.ctx.store
        if self.busy or not isinstance(store, SessionStore) or store.outbox is None:
            return
        self.busy = True
        self.ctx.tasks.submit(lambda: send_waiting(store), on_done=lambda a: self._on_done(store, a),
                              on_error=self._on_error)

    def _on_done(self, store: SessionStore, attempt: Attempt) -> None:
        self.busy = False
        if attempt.server_store is not None:
            if self.ctx.store is store:
                # A conversation still holding the stand-in keeps queueing there; this sender sends it on.
                self.ctx.store = attempt.server_store
                log.info("the shared database is reachable again; saving to it from now on")
                self.store_changed.emit()
            else:  # Settings chose another database meanwhile
                attempt.server_store.close()
        self.status_changed.emit(status_text(attempt))

    def _on_error(self, exc: BaseException) -> None:
        self.busy = False
        log.error("sending the sessions kept on this computer failed: %s", exc)
