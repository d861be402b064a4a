"""The microphone check screen: choose the input, watch the level, and record one neutral sentence as the tone baseline.

What it does is the CalibrationPresenter's (presenter.py); the page shows what it is told.

Signals (CalibrationPage):
    calibrated(): a new baseline was saved.
    done(): the trainee finished here and wants to go on (to the library).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from simulator.ui import dialogs
from simulator.ui.calibration.presenter import SENTENCE, CalibrationPresenter
from simulator.ui.common import Banner, Page, button, fit_columns, label, scrolled_column
from simulator.ui.context import AppContext
from simulator.ui.theme import COLORS
from simulator.ui.widgets.meter import LevelMeter

log = logging.getLogger(__name__)


class CalibrationPage(Page):
    calibrated = Signal()
    done = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._on_timer_timeout)

        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        # Scrolls only when large text outgrows the window; the panels then stack (see resizeEvent).
        self.scroller, _, outer = scrolled_column(page)
        outer.addWidget(label("Microphone check", "h1"))
        outer.addWidget(label("Read one sentence in your normal, calm speaking voice. The simulator uses it as your "
                              "baseline, so it can tell when you sound calm, raised or flat, whatever your voice "
                              "and microphone.", "muted", wrap=True))

        self.no_mic = Banner("warning")
        self.no_mic.set_text("No microphone found",
                             "You can still practise by typing your replies; your tone of voice won't be assessed. "
                             "Plug in a microphone or headset, then press Look again. You can also use a WAV "
                             "recording of yourself reading the sentence.")
        self.rescan_button = self.no_mic.add_action("Look again")
        self.rescan_button.clicked.connect(self._on_rescan_clicked)
        outer.addWidget(self.no_mic)

        self.row = row = QHBoxLayout()
        row.setSpacing(16)
        steps = QFrame()
        steps.setObjectName("panel")
        sc = QVBoxLayout(steps)
        sc.setContentsMargins(22, 18, 22, 18)
        sc.setSpacing(12)
        sc.addWidget(label("1. Choose your microphone", "h3", wrap=True))
        device_row = QHBoxLayout()
        self.device = QComboBox()
        self.device.setAccessibleName("Microphone")
        self.device.currentIndexChanged.connect(self._on_device_current_index_changed)
        device_row.addWidget(self.device, 1)
        sc.addLayout(device_row)
        sc.addWidget(label("Speak: the bar should move into the green, not the red.", "small", wrap=True))
        self.level = LevelMeter()
        self.level.setFixedHeight(14)
        sc.addWidget(self.level)
        self.level_hint = label("", "small", wrap=True)
        self.level_hint.setStyleSheet(f"color: {COLORS['danger']};")
        self.level_hint.setVisible(False)
        sc.addWidget(self.level_hint)
        sc.addSpacing(6)
        sc.addWidget(label("2. Press Record and read this sentence aloud", "h3", wrap=True))
        quote = QFrame()
        quote.setObjectName("banner_info")
        ql = QVBoxLayout(quote)
        ql.setContentsMargins(16, 14, 16, 14)
        self.sentence = label(f"“{SENTENCE}”", "subtitle", wrap=True)
        ql.addWidget(self.sentence)
        sc.addWidget(quote)
        buttons = QHBoxLayout()
        self.record_button = button("Record", "primary")
        self.record_button.setToolTip("Start recording; press again when you've finished the sentence (Ctrl+Space)")
        self.record_button.setShortcut("Ctrl+Space")
        self.record_button.clicked.connect(self._on_record_clicked)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        self.wav_button = button("Use a WAV file…", None, "Calibrate from a recording you already have")
        self.wav_button.clicked.connect(self._on_wav_clicked)
        buttons.addWidget(self.wav_button)
        sc.addLayout(buttons)
        # On its own line and wrapped: beside the buttons, the growing "Recording… N s" widened the
        # panel and pushed the result and Continue off a 1280x720 screen.
        self.timer_label = label("", "muted", wrap=True)
        self.timer_label.setVisible(False)
        sc.addWidget(self.timer_label)
        sc.addStretch(1)
        row.addWidget(steps, 3)

        side = QFrame()
        side.setObjectName("panel")
        sd = QVBoxLayout(side)
        sd.setContentsMargins(22, 18, 22, 18)
        sd.setSpacing(10)
        sd.addWidget(label("3. Result", "h3", wrap=True))
        self.status = Banner("info")
        sd.addWidget(self.status)
        self.busy = label("Measuring your voice…", "muted")
        self.busy.setVisible(False)
        sd.addWidget(self.busy)
        sd.addWidget(label("Tips: sit where you will practise, at your usual distance from the microphone. "
                           "You can retake the check at any time.", "small", wrap=True))
        sd.addStretch(1)
        self.continue_button = button("Continue to scenarios", "primary")
        self.continue_button.clicked.connect(self.done)
        sd.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignRight)
        row.addWidget(side, 2)
        outer.addLayout(row, 1)
        self.presenter = CalibrationPresenter(self, context, self)
        self.presenter.show_current()

    @property
    def recording(self) -> bool:
        return self.presenter.recording

    def refresh_devices(self) -> None:
        self.presenter.refresh_devices()

    # -- the view (CalibrationView) --------------------------------------------------------------
    def is_shown(self) -> bool:
        return self.isVisible()

    def selected_device(self) -> str | None:
        return self.device.currentData()

    def show_devices(self, found: list[tuple[str, str]], chosen: str | None) -> None:
        self.device.blockSignals(True)
        self.device.clear()
        for ident, name in found:
            self.device.addItem(name, ident)
        if not found:
            self.device.addItem("No microphone found", None)
        index = self.device.findData(chosen) if chosen else -1
        self.device.setCurrentIndex(max(0, index))
        self.device.blockSignals(False)
        has_mic = bool(found)
        self.no_mic.setVisible(not has_mic)
        self.device.setEnabled(has_mic)
        self.record_button.setEnabled(has_mic)

    def show_status(self, kind: str, title: str, text: str) -> None:
        self.status.set_kind(kind)
        self.status.set_text(title, text)

    def set_record_text(self, text: str) -> None:
        self.record_button.setText(text)

    def show_recording(self, recording: bool, record_text: str) -> None:
        self.record_button.setText(record_text)
        self.timer_label.setText("Recording… read the sentence, then press Stop." if recording else "")
        self.timer_label.setVisible(recording)
        self.wav_button.setEnabled(not recording)
        self.device.setEnabled(not recording)

    def show_elapsed(self, seconds: int) -> None:
        self.timer_label.setText(f"Recording… {seconds} s. Press Stop when you've finished the sentence.")

    def set_busy(self, busy: bool, can_record: bool) -> None:
        self.busy.setVisible(busy)
        self.record_button.setEnabled(can_record)
        self.wav_button.setEnabled(not busy)

    def show_level(self, level: float) -> None:
        self.level.set_level(level)

    def show_level_hint(self, hint: str) -> None:
        if hint != self.level_hint.text():
            self.level_hint.setText(hint)
            self.level_hint.setVisible(bool(hint))

    def start_timer(self) -> None:
        self._timer.start()

    def stop_timer(self) -> None:
        self._timer.stop()

    def announce_calibrated(self) -> None:
        self.calibrated.emit()

    # -- Qt events and widget slots --------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        fit_columns(self.row, self.scroller.viewport().width() - 72)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        fit_columns(self.row, self.scroller.viewport().width() - 72)
        self.presenter.refresh_devices()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        self.presenter.hidden()

    def _on_rescan_clicked(self) -> None:
        self.presenter.refresh_devices()

    def _on_record_clicked(self) -> None:
        self.presenter.toggle_recording()

    def _on_timer_timeout(self) -> None:
        self.presenter.tick()

    def _on_wav_clicked(self) -> None:
        path = dialogs.choose_wav(self, "Choose a recording of you reading the sentence")
        if path:
            self.presenter.calibrate_from_wav(Path(path))

    def _on_device_current_index_changed(self, index: int) -> None:
        self.presenter.choose_device(self.device.itemData(index))
