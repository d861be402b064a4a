"""Questions the app asks the trainee (confirmations, choices), in one place so tests can answer them.

Screens call `dialogs.ask(...)` through the module, so a test can monkeypatch `ask` and answer
without a modal dialog blocking the event loop.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from simulator.ui.common import as_written


def ask(parent: QWidget | None, title: str, text: str, choices: list[tuple[str, str]],
        default: str | None = None, detail: str | None = None) -> str | None:
    """Show a question with buttons; `choices` are (key, button text). Returns the key, None on Escape.

    The first choice is the safe one and gets the focus unless `default` says otherwise.
    """
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # names, paths and errors are shown as written
    box.setText(text)
    box.setIcon(QMessageBox.Icon.Question)
    if detail:
        box.setInformativeText(as_written(detail))
    buttons = {}
    for key, caption in choices:
        buttons[box.addButton(caption, QMessageBox.ButtonRole.ActionRole)] = key
    keys = [k for k, _ in choices]
    focus = default if default in keys else (keys[0] if keys else None)
    for widget, key in buttons.items():
        if key == focus:
            box.setDefaultButton(widget)
    escape = box.addButton(QMessageBox.StandardButton.Cancel)
    escape.hide()
    box.setEscapeButton(escape)
    box.exec()
    clicked = box.clickedButton()
    return next((key for button, key in buttons.items() if button is clicked), None)


def ask_text(parent: QWidget | None, title: str, prompt: str) -> str | None:
    """Ask for one line of text, its spaces tidied. None when cancelled or left empty."""
    text, ok = QInputDialog.getText(parent, title, prompt)
    text = " ".join(text.split())
    return text if ok and text else None


def tell(parent: QWidget | None, title: str, text: str, warning: bool = False) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information)
    box.exec()


def choose_folder(parent: QWidget | None, title: str, start: str = "") -> str | None:
    folder = QFileDialog.getExistingDirectory(parent, title, start)
    return folder or None


def choose_wav(parent: QWidget | None, title: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", "WAV recordings (*.wav)")
    return path or None
