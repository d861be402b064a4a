"""Task runners for tests, with the app's submit(fn, on_done, on_error): one that runs at once, one that holds work until told."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The app's own synchronous worker (plain Python: it needs no QApplication, so the Qt-free core's
# tests use it as they are).
from simulator.devices.workers import InlineWorker as Inline


class Later:
    """Holds each task until `run()`: work that finishes after the trainee has moved on."""

    def __init__(self) -> None:
        self.queued: list[tuple[Callable[[], Any], Any, Any]] = []

    def submit(self, fn: Callable[[], Any], on_done=None, on_error=None) -> None:
        self.queued.append((fn, on_done, on_error))

    def run(self) -> None:
        queued, self.queued = self.queued, []
        for fn, on_done, on_error in queued:
            Inline().submit(fn, on_done, on_error)
