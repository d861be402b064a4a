"""The "Copy diagnostics" box: versions, audio devices and recent errors put on the clipboard for support."""

from __future__ import annotations

import logging

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from simulator import diagnostics
from simulator.ui.common import button, label

log = logging.getLogger(__name__)


def audio_devices() -> dict[str, list[str]]:
    """What Qt sees now (the app's own view, which is what matters when a device 'isn't there')."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:  # PySide6-Essentials alone has no QtMultimedia
        return {"Audio": [f"Qt Multimedia is not installed ({exc})"]}

    def names(devices, default) -> list[str]:
        return [d.description() + (" (default)" if d.id() == default.id() else "") for d in devices]

    return {
        "Microphones": names(QMediaDevices.audioInputs(), QMediaDevices.defaultAudioInput()),
        "Speakers": names(QMediaDevices.audioOutputs(), QMediaDevices.defaultAudioOutput()),
    }


def copy_diagnostics() -> str:
    """Put the diagnostics report on the clipboard and return it."""
    text = diagnostics.report(audio_devices())
    QGuiApplication.clipboard().setText(text)
    log.info("diagnostics copied to the clipboard (%d lines)", text.count("\n"))
    return text


class DiagnosticsBox(QGroupBox):
    """A 'Copy diagnostics' button and the line that confirms it worked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Help", parent)
        col = QVBoxLayout(self)
        col.addWidget(label("If something doesn't work, copy the diagnostics and paste them into an email to "
                            "whoever looks after the simulator.", "small",
                            wrap=True))
        self.copy_button = button("Copy diagnostics")
        self.copy_button.setAccessibleName("Copy diagnostics to the clipboard")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        col.addWidget(self.copy_button)
        self.confirmation = label("", "small", wrap=True)
        self.confirmation.setVisible(False)
        col.addWidget(self.confirmation)

    def _on_copy_button_clicked(self) -> None:
        try:
            copy_diagnostics()
        except Exception as exc:  # the help button must never be what breaks
            log.exception("gathering diagnostics failed")
            self.confirmation.setText(f"The diagnostics could not be gathered ({exc}).")
        else:
            self.confirmation.setText("Copied to the clipboard. Paste it into an email or a support form.")
        self.confirmation.setVisible(True)
