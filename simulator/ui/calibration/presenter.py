"""The microphone check's logic, apart from its widgets: the inputs offered, the level hints, a take
recorded or a WAV file chosen, measured off the GUI thread, and kept as the tone baseline.

The recording is kept as <data>/calibration/baseline.wav and its measurements in Settings.baseline;
the judge compares every spoken reply with them. A bad take never replaces a good one.

The presenter is handed its view (anything with the methods of `CalibrationView`), as every
screen's presenter is, so tests drive it against a plain fake view
(tests/ui/calibration/test_presenter.py).
"""

from __future__ import annotations

import logging
import shutil
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject

from simulator.devices.contracts import Microphone
from simulator.settings import data_root
from simulator.ui.context import AppContext
from simulator.ui.listening import device_arg, device_key

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


class CalibrationView(Protocol):
    def is_shown(self) -> bool: ...
    def selected_device(self) -> str | None: ...
    def show_devices(self, found: list[tuple[str, str]], chosen: str | None) -> None: ...
    def show_status(self, kind: str, title: str, text: str) -> None: ...
    def set_record_text(self, text: str) -> None: ...
    def show_recording(self, recording: bool, record_text: str) -> None: ...
    def show_elapsed(self, seconds: int) -> None: ...
    def set_busy(self, busy: bool, can_record: bool) -> None: ...
    def show_level(self, level: float) -> None: ...
    def show_level_hint(self, hint: str) -> None: ...
    def start_timer(self) -> None: ...
    def stop_timer(self) -> None: ...
    def announce_calibrated(self) -> None: ...


class CalibrationPresenter(QObject):
    """The microphone check: which input, its level, one take (or a WAV file) measured and kept."""

    def __init__(self, view: CalibrationView, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.ctx = context
        self.recording = False
        self.result: CalibrationResult | None = None
        self._elapsed = 0
        self._recent: deque[float] = deque(maxlen=40)  # about two seconds of level updates
        self._loudest_take = 0.0
        self._connect_microphone()

    # -- microphone ------------------------------------------------------------------------------
    @property
    def microphone(self) -> Microphone | None:
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
        self.view.show_devices(found, self.ctx.settings.input_device)
        if found and self.view.is_shown():
            self.start_monitor()

    def start_monitor(self) -> None:
        self._recent.clear()  # a new device or a new take starts with no warning from the last one
        self._update_level_hint()
        mic = self.microphone
        device = self.view.selected_device()
        if mic is None or device is None:
            return
        try:
            # A False return has already been explained through `failed`.
            mic.start(device_arg(device))
        except Exception as exc:
            log.exception("starting the microphone failed")
            self.view.show_status("danger", "The microphone didn't start", str(exc))

    def stop_monitor(self) -> None:
        mic = self.microphone
        if mic is not None:
            try:
                mic.stop()
            except Exception:
                log.exception("stopping the microphone failed")

    def hidden(self) -> None:
        """The screen was left: a take in progress is dropped and the microphone released."""
        if self.recording:
            self.recording = False
            self.view.stop_timer()
            self._show_recording(False)
        self.stop_monitor()

    def choose_device(self, ident: str | None) -> None:
        if ident and ident != self.ctx.settings.input_device:
            self.ctx.settings.input_device = ident
            try:
                self.ctx.save_settings()
            except OSError:
                log.warning("could not save the chosen microphone")
        if self.view.is_shown():
            self.start_monitor()

    # -- results ---------------------------------------------------------------------------------
    def baseline_path(self) -> Path:
        folder = data_root(self.ctx.settings) / "calibration"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / "baseline.wav"

    def show_current(self) -> None:
        s = self.ctx.settings
        self.view.set_record_text("Record again" if s.baseline_wav else "Record")
        if s.baseline_wav and Path(s.baseline_wav).is_file():
            when = datetime.fromtimestamp(Path(s.baseline_wav).stat().st_mtime).strftime("%d %b %Y, %H:%M")
            self.view.show_status("success", "Your voice is calibrated", f"Recorded {when}. Record again to retake it.")
        else:
            self.view.show_status("info", "Not calibrated yet",
                                  "Until you record the sentence, spoken replies are judged on their words only.")

    def calibrate_from_wav(self, source: Path) -> None:
        """Use an existing recording (a file the trainee chose, or the one just made)."""
        target = self.baseline_path()
        candidate = target.with_name("baseline-new.wav")
        try:
            if Path(source).resolve() != candidate.resolve():
                shutil.copyfile(source, candidate)
        except OSError as exc:
            self.view.show_status("danger", "The recording could not be copied", str(exc))
            return
        self.view.set_busy(True, can_record=False)
        self.ctx.tasks.submit(lambda: analyse(candidate), on_done=lambda r: self._on_analysed(candidate, r),
                              on_error=self._on_analyse_failed)

    def _on_analysed(self, candidate: Path, result: CalibrationResult) -> None:
        self.result = result
        self.view.set_busy(False, can_record=bool(self.devices()))
        if result.problems or result.baseline is None:
            # The old baseline stays: a bad take must never replace a good one.
            self.view.show_status("warning", "Please record it again", " ".join(result.problems))
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
            self.view.show_status("danger", "The calibration could not be saved", str(exc))
            return
        self.view.show_status("success", "Done: your voice is calibrated",
                              f"{result.duration_s:.1f} seconds recorded and measured. You can retake it at any time.")
        self.view.set_record_text("Record again")
        self.view.announce_calibrated()

    def _on_analyse_failed(self, exc: BaseException) -> None:
        log.error("calibration analysis failed", exc_info=exc)
        self.view.set_busy(False, can_record=bool(self.devices()))
        self.view.show_status("danger", "Something went wrong measuring your voice", f"{exc}. Please try again.")

    # -- recording -------------------------------------------------------------------------------
    def _show_recording(self, recording: bool) -> None:
        self.view.show_recording(recording, "Stop" if recording else "Record again" if self.ctx.settings.baseline_wav
                                 else "Record")

    def toggle_recording(self) -> None:
        """Record pressed: start a take, or stop it and measure it."""
        mic = self.microphone
        if mic is None:
            return
        if not self.recording:
            self.recording = True
            self._elapsed = 0
            self._loudest_take = 0.0
            self.start_monitor()  # a fresh start, so the recording holds only the sentence
            self._show_recording(True)
            self.view.start_timer()
            return
        self._finish_recording()

    def _finish_recording(self) -> None:
        mic = self.microphone
        self.recording = False
        self.view.stop_timer()
        self._show_recording(False)
        path = self.baseline_path().with_name("baseline-new.wav")
        try:
            assert mic is not None
            mic.save_wav(path)
        except Exception as exc:
            log.exception("saving the calibration recording failed")
            self.view.show_status("danger", "The recording could not be saved", str(exc))
            return
        self.calibrate_from_wav(path)

    def tick(self) -> None:
        """A second of the take has passed (the view's timer)."""
        self._elapsed += 1
        self.view.show_elapsed(self._elapsed)
        self._update_level_hint()
        if self._elapsed >= MAX_SECONDS:
            self._finish_recording()

    def _on_microphone_level(self, level: float) -> None:
        self.view.show_level(level)
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
        self.view.show_level_hint(hint)

    def _on_microphone_failed(self, message: str) -> None:
        if self.recording:
            # The take is incomplete: drop it rather than measure half a sentence.
            self.recording = False
            self.view.stop_timer()
            self._show_recording(False)
        if self.view.is_shown():
            self.view.show_status("danger", "Microphone problem",
                                  f"{message} You can still use a WAV file, or type your replies.")
