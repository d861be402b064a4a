"""The microphone check: choose the input, watch the level, and record one neutral sentence as the tone baseline.

The recording is kept as <data>/calibration/baseline.wav and its measurements in Settings.baseline;
the judge compares every spoken reply with them. Analysis runs through the task pool.

Signals (CalibrationPage):
    calibrated(): a new baseline was saved.
    done(): the trainee finished here and wants to go on (to the library).
"""

from __future__ import annotations

import logging
import shutil
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from simulator.settings import data_root
from simulator.ui import dialogs
from simulator.ui.common import Banner, Page, button, fit_columns, label
from simulator.ui.context import AppContext
from simulator.ui.conversation.listening import device_arg, device_key
from simulator.ui.theme import COLORS
from simulator.ui.widgets.meter import LevelMeter

log = logging.getLogger(__name__)

SENTENCE = ("Good afternoon. I'm sorry you've had to wait. Let me have a look at what's happened "
            "and see what I can do to help you today.")
MAX_SECONDS = 12
# The meter shows RMS level on a 60 dB scale (simulator.devices.microphone): 0.95 is within 3 dB of
# full scale, where a converter clips; a spoken sentence that never passes 0.3 (-42 dBFS) is too
# quiet to measure well. Both are hints while the trainee speaks; the recording's check decides.
LOUD_LEVEL = 0.95
QUIET_LEVEL = 0.3
QUIET_AFTER_S = 3


@dataclass
class CalibrationResult:
    baseline: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)
    duration_s: float = 0.0


def analyse(wav: Path) -> CalibrationResult:
    """Check a calibration recording and measure it. Runs off the GUI thread."""
    from simulator.analysis.audio import AudioError, load_wav
    from simulator.analysis.calibration import MESSAGES, check_calibration
    from simulator.analysis.tone import Baseline, measure

    try:
        audio = load_wav(wav)
    except AudioError as exc:
        if "silent" in str(exc):
            return CalibrationResult(None, [MESSAGES["no_speech"]])
        return CalibrationResult(None, [f"The recording could not be read ({exc}). Please record it again."])
    features = measure(audio)
    problems = [p.message for p in check_calibration(audio.samples, audio.rate, features)]
    if problems:
        return CalibrationResult(None, problems, audio.duration)
    try:
        baseline = Baseline.from_features(features).to_dict()
    except AudioError:
        return CalibrationResult(None, [MESSAGES["no_speech"]], audio.duration)
    return CalibrationResult(baseline, [], audio.duration)


class CalibrationPage(Page):
    calibrated = Signal()
    done = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.recording = False
        self.result: CalibrationResult | None = None
        self._elapsed = 0
        self._recent: deque[float] = deque(maxlen=40)  # about two seconds of level updates
        self._loudest_take = 0.0
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._on_timer_timeout)

        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        # Scrolls only when large text outgrows the window; the panels then stack (see resizeEvent).
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        page.addWidget(self.scroller)
        body = QWidget()
        self.scroller.setWidget(body)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(36, 28, 36, 28)
        outer.setSpacing(16)
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
        self.rescan_button.clicked.connect(self.refresh_devices)
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
        self._connect_microphone()
        self.show_current()

    # -- microphone ------------------------------------------------------------------------------
    @property
    def microphone(self) -> Any:
        return self.ctx.devices.microphone

    def _connect_microphone(self) -> None:
        mic = self.microphone
        if mic is None:
            return
        mic.level.connect(self._on_microphone_level)
        mic.failed.connect(self._on_microphone_failed)

    def devices(self) -> list[tuple[str, str]]:
        """(id as Settings keeps it, name) of every input the microphone service offers."""
        mic = self.microphone
        if mic is None:
            return []
        try:
            found = mic.devices()
        except Exception:
            log.exception("listing microphones failed")
            return []
        out = []
        for item in found:
            ident, name = item  # Microphone.devices(): (bytes id, description), the default first
            out.append((device_key(ident), str(name)))
        return out

    def refresh_devices(self) -> None:
        found = self.devices()
        self.device.blockSignals(True)
        self.device.clear()
        for ident, name in found:
            self.device.addItem(name, ident)
        if not found:
            self.device.addItem("No microphone found", None)
        chosen = self.device.findData(self.ctx.settings.input_device) if self.ctx.settings.input_device else -1
        self.device.setCurrentIndex(max(0, chosen))
        self.device.blockSignals(False)
        has_mic = bool(found)
        self.no_mic.setVisible(not has_mic)
        self.device.setEnabled(has_mic)
        self.record_button.setEnabled(has_mic)
        if has_mic and self.isVisible():
            self._start_monitor()

    def _start_monitor(self) -> None:
        self._recent.clear()  # a new device or a new take starts with no warning from the last one
        self._update_level_hint()
        mic = self.microphone
        if mic is None or self.device.currentData() is None:
            return
        try:
            # A False return has already been explained through `failed`.
            mic.start(device_arg(self.device.currentData()))
        except Exception as exc:
            log.exception("starting the microphone failed")
            self._show_status("danger", "The microphone didn't start", str(exc))

    def _stop_monitor(self) -> None:
        mic = self.microphone
        if mic is not None:
            try:
                mic.stop()
            except Exception:
                log.exception("stopping the microphone failed")

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        fit_columns(self.row, self.scroller.viewport().width() - 72)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        fit_columns(self.row, self.scroller.viewport().width() - 72)
        self.refresh_devices()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        if self.recording:
            self.recording = False
            self._timer.stop()
            self._set_recording_ui(False)
        self._stop_monitor()

    # -- results ---------------------------------------------------------------------------------
    def baseline_path(self) -> Path:
        folder = data_root(self.ctx.settings) / "calibration"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / "baseline.wav"

    def show_current(self) -> None:
        s = self.ctx.settings
        self.record_button.setText("Record again" if s.baseline_wav else "Record")
        if s.baseline_wav and Path(s.baseline_wav).is_file():
            when = datetime.fromtimestamp(Path(s.baseline_wav).stat().st_mtime).strftime("%d %b %Y, %H:%M")
            self._show_status("success", "Your voice is calibrated", f"Recorded {when}. Record again to retake it.")
        else:
            self._show_status("info", "Not calibrated yet",
                              "Until you record the sentence, spoken replies are judged on their words only.")

    def _show_status(self, kind: str, title: str, text: str) -> None:
        self.status.set_kind(kind)
        self.status.set_text(title, text)

    def calibrate_from_wav(self, source: Path) -> None:
        """Use an existing recording (a file the trainee chose, or the one just made)."""
        target = self.baseline_path()
        candidate = target.with_name("baseline-new.wav")
        try:
            if Path(source).resolve() != candidate.resolve():
                shutil.copyfile(source, candidate)
        except OSError as exc:
            self._show_status("danger", "The recording could not be copied", str(exc))
            return
        self.busy.setVisible(True)
        self.record_button.setEnabled(False)
        self.wav_button.setEnabled(False)
        self.ctx.tasks.submit(lambda: analyse(candidate), on_done=lambda r: self._on_analysed(candidate, r),
                              on_error=self._on_analyse_failed)

    def _on_analysed(self, candidate: Path, result: CalibrationResult) -> None:
        self.result = result
        self.busy.setVisible(False)
        self.record_button.setEnabled(bool(self.devices()))
        self.wav_button.setEnabled(True)
        if result.problems or result.baseline is None:
            # The old baseline stays: a bad take must never replace a good one.
            self._show_status("warning", "Please record it again", " ".join(result.problems))
            candidate.unlink(missing_ok=True)
            return
        target = self.baseline_path()
        candidate.replace(target)
        settings = self.ctx.settings
        settings.baseline = result.baseline
        settings.baseline_wav = str(target)
        try:
            self.ctx.save_settings()
        except OSError as exc:
            self._show_status("danger", "The calibration could not be saved", str(exc))
            return
        self._show_status("success", "Done: your voice is calibrated",
                          f"{result.duration_s:.1f} seconds recorded and measured. You can retake it at any time.")
        self.record_button.setText("Record again")
        self.calibrated.emit()

    def _on_analyse_failed(self, exc: BaseException) -> None:
        log.error("calibration analysis failed", exc_info=exc)
        self.busy.setVisible(False)
        self.record_button.setEnabled(bool(self.devices()))
        self.wav_button.setEnabled(True)
        self._show_status("danger", "Something went wrong measuring your voice", f"{exc}. Please try again.")

    # -- recording -------------------------------------------------------------------------------
    def _set_recording_ui(self, recording: bool) -> None:
        self.record_button.setText("Stop" if recording else "Record again" if self.ctx.settings.baseline_wav
                                   else "Record")
        self.timer_label.setText("Recording… read the sentence, then press Stop." if recording else "")
        self.timer_label.setVisible(recording)
        self.wav_button.setEnabled(not recording)
        self.device.setEnabled(not recording)

    def _on_record_clicked(self) -> None:
        mic = self.microphone
        if mic is None:
            return
        if not self.recording:
            self.recording = True
            self._elapsed = 0
            self._loudest_take = 0.0
            self._start_monitor()  # a fresh start, so the recording holds only the sentence
            self._set_recording_ui(True)
            self._timer.start()
            return
        self._finish_recording()

    def _finish_recording(self) -> None:
        mic = self.microphone
        self.recording = False
        self._timer.stop()
        self._set_recording_ui(False)
        path = self.baseline_path().with_name("baseline-new.wav")
        try:
            mic.save_wav(path)
        except Exception as exc:
            log.exception("saving the calibration recording failed")
            self._show_status("danger", "The recording could not be saved", str(exc))
            return
        self.calibrate_from_wav(path)

    def _on_timer_timeout(self) -> None:
        self._elapsed += 1
        self.timer_label.setText(f"Recording… {self._elapsed} s. Press Stop when you've finished the sentence.")
        self._update_level_hint()
        if self._elapsed >= MAX_SECONDS:
            self._finish_recording()

    def _on_wav_clicked(self) -> None:
        path = dialogs.choose_wav(self, "Choose a recording of you reading the sentence")
        if path:
            self.calibrate_from_wav(Path(path))

    def _on_device_current_index_changed(self, index: int) -> None:
        ident = self.device.itemData(index)
        if ident and ident != self.ctx.settings.input_device:
            self.ctx.settings.input_device = ident
            try:
                self.ctx.save_settings()
            except OSError:
                log.warning("could not save the chosen microphone")
        if self.isVisible():
            self._start_monitor()

    def _on_microphone_level(self, level: float) -> None:
        self.level.set_level(level)
        self._recent.append(level)
        if self.recording:
            self._loudest_take = max(self._loudest_take, level)
        self._update_level_hint()

    def _update_level_hint(self) -> None:
        from simulator.analysis.calibration import MESSAGES

        hint = ""
        if self._recent and max(self._recent) >= LOUD_LEVEL:
            hint = MESSAGES["clipping"]
        elif self.recording and self._elapsed >= QUIET_AFTER_S and self._loudest_take < QUIET_LEVEL:
            hint = MESSAGES["too_quiet"]
        if hint != self.level_hint.text():
            self.level_hint.setText(hint)
            self.level_hint.setVisible(bool(hint))

    def _on_microphone_failed(self, message: str) -> None:
        if self.recording:
            # The take is incomplete: drop it rather than measure half a sentence.
            self.recording = False
            self._timer.stop()
            self._set_recording_ui(False)
        if self.isVisible():
            self._show_status("danger", "Microphone problem",
                              f"{message} You can still use a WAV file, or type your replies.")
