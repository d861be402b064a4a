"""The trainer's one-key controls on both classroom windows, and placing the two windows on the screens."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import QWidget

from simulator.ui.classroom.presenter import (
    DECISION_KEYS,
    NEXT_TRAINEE_KEYS,
    PAUSE_KEYS,
    REPEAT_KEYS,
    ClassroomPresenter,
)


def add_trainer_keys(window: QWidget, presenter: ClassroomPresenter) -> list[QShortcut]:
    """The trainer's one-key controls on `window` (both windows get them, so either may have the focus)."""
    made: list[QShortcut] = []

    def add(keys: tuple[str, ...], slot) -> None:
        for key in keys:
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            made.append(shortcut)

    for decision, keys in DECISION_KEYS.items():
        add(keys, lambda d=decision: presenter.decide(d))
    add(PAUSE_KEYS, presenter.toggle_pause)
    add(REPEAT_KEYS, presenter.repeat)
    add(NEXT_TRAINEE_KEYS, presenter.next_trainee)
    return made


def place_windows(projector: QWidget, trainer: QWidget, screens: list[QScreen] | None = None,
                  primary: QScreen | None = None) -> bool:
    """Projector full-screen on a second screen and the trainer on the primary; side by side when
    there is one screen. Returns True when a second screen was used."""
    screens = list(screens if screens is not None else QGuiApplication.screens())
    primary = primary or QGuiApplication.primaryScreen()
    others = [s for s in screens if s is not primary]
    if others:
        second = others[0]
        projector.setScreen(second)
        projector.setGeometry(second.geometry())
        projector.showFullScreen()
        if primary is not None:
            area = primary.availableGeometry()
            trainer.setScreen(primary)
            trainer.move(area.topLeft())
        trainer.show()
        trainer.raise_()
        trainer.activateWindow()
        return True
    # One screen: the projector view on the left (16:9), the trainer's window beside it on the right,
    # overlapping only when the screen is too narrow for both.
    area = primary.availableGeometry() if primary is not None else QRect(0, 0, 1600, 900)
    width = max(projector.minimumWidth(), min(1280, area.width() - trainer.minimumSizeHint().width()))
    projector.setGeometry(area.left(), area.top(), width,
                          max(projector.minimumHeight(), min(area.height(), round(width * 9 / 16))))
    projector.show()
    trainer_width = max(trainer.minimumSizeHint().width(), area.width() - width)
    trainer.setGeometry(max(area.left(), area.right() + 1 - trainer_width), area.top(),
                        min(trainer_width, area.width()), min(area.height(), max(trainer.height(), 720)))
    trainer.show()
    trainer.raise_()
    trainer.activateWindow()
    return False
