"""Task runners for tests, with the app's submit(fn, on_done, on_error): one that runs at once, one that holds work until told."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Inline:
    """Runs each task at once (as simulator.devices.workers.InlineWorker does, without Qt, for the Qt-free core)."""

    def submit(self, fn: Callable[[], Any], on_done=None, on_error=None) -> None:
        try:
            result = fn()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
            return
        if on_done is not None:
            on_done(result)


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
