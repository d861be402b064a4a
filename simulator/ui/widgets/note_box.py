"""NoteBox: a trainer's note, saved while it is typed (after a short pause, and when the box is left).

Signals (NoteBox):
    finished(): the trainer pressed Enter (with `enter_finishes`) or Escape: done typing; the box leaves
        the focus to whoever takes it (the trainer's window, for its keys), or gives it up.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

# Long enough not to write on every key, short enough that a note survives the app being killed.
SAVE_AFTER_MS = 400

Save = Callable[[str], bool]  # writes the note; False when it could not be saved (tried again later)


class NoteBox(QPlainTextEdit):
    """A note bound to where it is saved (`bind`); typing saves it after SAVE_AFTER_MS, leaving the box at once."""

    finished = Signal()

    def __init__(self, placeholder: str, lines: int = 2, enter_finishes: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.enter_finishes = enter_finishes  # Enter ends the note (Shift+Enter starts a new line)
        self._save: Save | None = None
        self.dirty = False  # typed but not saved yet
        self._timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._on_text_changed)
        self._lines = lines
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setEnabled(False)

    def sizeHint(self) -> QSize:  # noqa: N802
        # `lines` lines of the font the style sheet gave it (known only once polished, so not fixed at birth).
        line = self.fontMetrics().lineSpacing()
        height = round(line * self._lines + 2 * self.document().documentMargin() + 2 * self.frameWidth() + 2)
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def bind(self, save: Save | None, text: str = "") -> None:
        """Show `text`, saved from now on with `save` (None: nothing to note, the box is disabled).
        What was typed for the note shown before is saved first."""
        self.flush()
        self._save = save
        self.blockSignals(True)
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.End)  # typing goes on from the end of the note
        self.blockSignals(False)
        self.dirty = False
        self.setEnabled(save is not None)

    def flush(self) -> None:
        """Save what was typed, if anything (kept dirty when the save fails, so it is tried again)."""
        self._timer.stop()
        if self.dirty and self._save is not None:
            self.dirty = not self._save(self.toPlainText())

    def _on_text_changed(self) -> None:
        self.dirty = True
        self._timer.start()

    def focusOutEvent(self, event) -> None:  # noqa: N802
        self.flush()
        super().focusOutEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if (enter and self.enter_finishes and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier) \
                or event.key() == Qt.Key.Key_Escape:
            self.flush()
            self.finished.emit()
            if self.hasFocus():  # nobody took the focus: leave the box all the same
                self.clearFocus()
            return
        super().keyPressEvent(event)
