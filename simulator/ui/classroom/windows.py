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


# The room a window manager's title bar and borders take around a window (resize sets the inside, move the outside).
_FRAME = (8, 36)
# Below this width the customer's line on the projector view is too small to read across a room.
MIN_PROJECTOR_WIDTH = 480


def place_windows(projector: QWidget, trainer: QWidget, screens: list[QScreen] | None = None,
                  primary: QScreen | None = None) -> bool:
    """Projector full-screen on a second screen and the trainer on the primary; side by side, the screen's
    full height, when there is one screen. Returns True when a second screen was used."""
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
            # Its usual size, but never taller or wider than the laptop's screen (1180x780 ran off 1280x720).
            trainer.resize(min(trainer.width(), area.width() - _FRAME[0]), min(trainer.height(), area.height() - _FRAME[1]))
            trainer.move(area.topLeft())
        trainer.show()
        trainer.raise_()
        trainer.activateWindow()
        return True
    # One screen: the projector view on the left, the trainer's window beside it on the right, both the
    # screen's full height. The trainer's window keeps the room it needs; the projector view takes the rest
    # (never less than a readable MIN_PROJECTOR_WIDTH), and its type fits whatever size it gets.
    area = primary.availableGeometry() if primary is not None else QRect(0, 0, 1600, 900)
    frame_w, frame_h = _FRAME
    height = area.height() - frame_h
    trainer_width = min(area.width() - frame_w, max(trainer.minimumSizeHint().width(), round(area.width() * 0.42)))
    width = max(MIN_PROJECTOR_WIDTH, area.width() - trainer_width - 2 * frame_w)
    projector.resize(width, height)
    projector.move(area.topLeft())
    projector.show()
    trainer.resize(trainer_width, height)
    trainer.move(max(area.left(), area.right() + 1 - trainer_width - frame_w), area.top())
    trainer.show()
    trainer.raise_()
    trainer.activateWindow()
    return False


INTENT_WORDS = {"deescalate": "calming", "neutral": "neutral", "escalate": "inflaming"}
