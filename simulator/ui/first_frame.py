"""Knowing when a window's first frame is on screen, to start what its first screen does not need."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstFrame(QObject):
    """Calls `then` once `window` has painted its first frame.

    Qt paints a window while it handles the window's first expose event, so `then` runs just after
    that. A platform that never exposes the window, or exposes it late, still gets `then` after
    `FALLBACK_MS`.
    """

    FALLBACK_MS = 3000

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        self._handle = window.windowHandle()
        if self._handle is not None:
            self._handle.installEventFilter(self)
        QTimer.singleShot(self.FALLBACK_MS, self, self._fire)

    @property
    def done(self) -> bool:
        return self._then is None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Expose and self._handle is not None and self._handle.isExposed():
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        if self._then is None:
            return
        then, self._then = self._then, None
        if self._handle is not None:
            self._handle.removeEventFilter(self)
        then()
