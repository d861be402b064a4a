"""The settings screen's logic, apart from its widgets: the inputs and outputs offered, a sample of the
customer's voice with the form's unsaved choices, validating and saving, and what the recogniser is.

Changes apply when the trainee presses Save (saved with simulator.settings.save_settings);
Revert puts the form back to what is saved.

The presenter is handed its view (anything with the methods of `SettingsView`), as every screen's
presenter is, so tests drive it against a plain fake view (tests/ui/settings/test_presenter.py).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Protocol

from simulator.devices.contracts import VoiceOutput
from simulator.records.db import url_problem
from simulator.records.retention import apply_retention, retention_lowered
from simulator.settings import Settings
from simulator.ui.context import AppContext
from simulator.ui.listening import device_key

log = logging.getLogger(__name__)

SAMPLE_LINE = "Excuse me. I've been waiting here for twenty minutes. Can somebody help me, please?"
# Settings.customer_voice_engines' kinds; "Others": a customer whose scenario describes their voice
# as neither a woman's nor a man's (gender neutral, or none given), who may take any voice.
VOICE_KINDS = [("female", "Women"), ("male", "Men"), ("neutral", "Others")]

# A device list for a combo box: (id as Settings keeps it, None for the system default; shown name).
Options = list[tuple[str | None, str]]


class SettingsView(Protocol):
    def show_form(self, settings: Settings) -> None: ...
    def show_microphones(self, options: Options, chosen: str | None) -> None: ...
    def show_speakers(self, options: Options, chosen: str | None, can_speak: bool) -> None: ...
    def form_values(self) -> dict[str, Any]: ...
    def show_status(self, text: str) -> None: ...
    def focus_field(self, name: str) -> None: ...  # "model_dir" or "database"
    def show_recognizer_in_use(self, text: str) -> None: ...
    def tell(self, title: str, text: str, warning: bool = False) -> None: ...
    def announce_saved(self) -> None: ...


class SettingsPresenter:
    def __init__(self, view: SettingsView, context: AppContext):
        self.view = view
        self.ctx = context
        self._sampled = False  # a sample was played with unsaved choices
        self._purges = 0  # bumped per purge started, so only the latest one's result is shown

    @property
    def voice_out(self) -> VoiceOutput | None:
        return self.ctx.devices.voice

    # -- form <-> settings -----------------------------------------------------------------------
    def load(self, settings: Settings | None = None) -> None:
        s = settings or self.ctx.settings
        self.view.show_form(s)
        self.view.show_microphones(self.microphones(s.input_device), s.input_device)
        self.view.show_speakers(self.speakers(s.output_device), s.output_device, self.ctx.devices.can_speak)
        if self._sampled:  # a sample was played with unsaved choices: back to the saved speaker and speed
            self._sampled = False
            self._apply_speaker(self.ctx.settings.output_device)
            self._apply_speed(self.ctx.settings.customer_speaking_speed)
            self._apply_voice_engines(self.ctx.settings.customer_voice_engines)
        self.view.show_recognizer_in_use(self.recognizer_in_use())
        self.view.show_status("")

    def restore_defaults(self) -> None:
        """The defaults in the form, but who the trainee is, their calibration and where their data is."""
        keep = {"trainee_name", "baseline", "baseline_wav", "first_run_done", "data_dir", "database_url"}
        defaults = Settings().model_copy(update={k: getattr(self.ctx.settings, k) for k in keep})
        self.load(defaults)
        self.view.show_status("Defaults restored in the form; press Save to keep them.")

    def save(self) -> bool:
        values = self.view.form_values()
        if values["recognizer"] == "vosk" and not values["recognizer_model_dir"]:
            self.view.show_status("Choose the model folder for this recogniser, or pick PocketSphinx.")
            self.view.focus_field("model_dir")
            return False
        if values["database_url"]:
            problem = url_problem(values["database_url"])
            if problem:
                self.view.show_status(f"Not saved: {problem}.")
                self.view.focus_field("database")
                return False
        updated = self.ctx.settings.model_copy(update=values)
        try:
            Settings.model_validate(updated.model_dump())
        except ValueError as exc:
            self.view.show_status(f"Not saved: {exc}")
            return False
        previous = self.ctx.settings
        self.ctx.settings = updated
        try:
            self.ctx.save_settings()
        except OSError as exc:
            self.ctx.settings = previous
            self.view.tell("Settings not saved", str(exc), warning=True)
            return False
        self._apply_speaker(updated.output_device)
        self._apply_speed(updated.customer_speaking_speed)
        self._apply_voice_engines(updated.customer_voice_engines)
        self._sampled = False
        self.view.show_status("Saved.")
        if retention_lowered(previous.recording_retention_days, updated.recording_retention_days):
            self._purge_recordings(updated.recording_retention_days)
        self.view.announce_saved()
        return True

    def _purge_recordings(self, days: int) -> None:
        """Apply a shortened 'Keep recordings' now, off the GUI thread, as at start; the footer says what went."""
        self._purges += 1
        purge = self._purges
        older = f"older than {days} day{'s' if days != 1 else ''}"

        def done(deleted: int) -> None:
            if purge != self._purges:
                return
            if deleted:
                self.view.show_status(f"Saved. {deleted} recording{'s' if deleted != 1 else ''} {older} "
                                      f"{'were' if deleted != 1 else 'was'} deleted.")
            else:
                self.view.show_status(f"Saved. No recordings {older} were found, so none were deleted.")

        def failed(exc: BaseException) -> None:
            if purge == self._purges:
                self.view.show_status(f"Saved, but the recordings {older} could not be deleted: {exc}")

        self.view.show_status(f"Saved. Deleting the recordings {older}…")
        apply_retention(self.ctx, "after Settings shortened it", on_done=done, on_error=failed)

    # -- devices ---------------------------------------------------------------------------------
    def microphones(self, chosen: str | None) -> Options:
        """The system default, every input the microphone offers, and the chosen one if it is unplugged."""
        options: Options = [(None, "System default")]
        mic = self.ctx.devices.microphone
        try:
            found = list(mic.devices()) if mic is not None else []
        except Exception:
            log.exception("listing microphones failed")
            found = []
        options += [(device_key(ident), str(name)) for ident, name in found]
        if chosen and chosen not in [ident for ident, _ in options]:
            options.append((chosen, f"{chosen} (not connected)"))
        return options

    def speakers(self, chosen: str | None) -> Options:
        """The system default, every output the voice service offers, and the chosen one if it is unplugged."""
        options: Options = [(None, "System default"), *self._speakers()]
        if chosen and chosen not in [ident for ident, _ in options]:
            options.append((chosen, f"{chosen} (not connected)"))
        return options

    def _speakers(self) -> list[tuple[str | None, str]]:
        """(id as Settings keeps it, name) of every output the voice service offers."""
        voice = self.voice_out
        if voice is None:
            return []
        try:
            return [(device_key(ident), name) for ident, name in voice.outputs()]
        except Exception:
            log.exception("listing speakers failed")
            return []

    def _apply_speaker(self, ident: str | None) -> None:
        if self.voice_out is not None:
            try:
                self.voice_out.set_device(ident.encode() if ident else None)
            except Exception:
                log.exception("choosing the speaker failed")

    def _apply_speed(self, percent: int) -> None:
        if self.voice_out is not None:
            try:
                self.voice_out.set_speed(percent)
            except Exception:
                log.exception("setting the customer's speaking speed failed")

    def _apply_voice_engines(self, choices: Mapping[Any, str]) -> None:  # keys: Settings' voice kinds
        if self.voice_out is not None:
            try:
                self.voice_out.set_voice_choices(dict(choices))
            except Exception:
                log.exception("choosing the customer's voice engines failed")

    def recognizer_in_use(self) -> str:
        """Which recogniser listens now, and why when it is not the one chosen (e.g.
        "PocketSphinx: Whisper model missing: ...")."""
        listener = self.ctx.devices.listener
        recognizer = getattr(listener, "recognizer", None)
        return getattr(recognizer, "description", "") if recognizer is not None else "None: replies are typed"

    # -- samples ---------------------------------------------------------------------------------
    def play_sample(self) -> None:
        """The customer's voice through the speaker and at the speed chosen in the form (not yet saved)."""
        self._play("settings/sample", None, "Playing a sample of the customer's voice…", "playing the sample failed")

    def play_preview(self, kind: str) -> None:
        """A customer of `kind` ("female"/"male") with the engines, speaker and speed chosen in the form."""
        self._play(f"settings/preview-{kind}", kind, f"Playing the voice for {dict(VOICE_KINDS)[kind].lower()}…",
                   "playing the voice preview failed")

    def _play(self, line_id: str, kind: str | None, playing: str, failure: str) -> None:
        """SAMPLE_LINE as `line_id`, heard with the form's choices; Save or Revert then sets them for good.
        A preview of a kind of customer (`kind`) also takes the form's voice engines."""
        voice = self.voice_out
        if voice is None or not self.ctx.devices.can_speak:
            return
        from simulator.engine.model import Voice

        values = self.view.form_values()
        self._apply_speaker(values["output_device"])
        self._apply_speed(values["customer_speaking_speed"])
        if kind is not None:
            self._apply_voice_engines(values["customer_voice_engines"])
        self._sampled = True
        try:
            voice.speak(line_id, SAMPLE_LINE, Voice() if kind is None else Voice(gender=kind, accent="en-gb"), 50)  # type: ignore[arg-type]
        except Exception as exc:
            log.exception(failure)
            self.view.show_status(f"The sample couldn't be played: {exc}")
            return
        self.view.show_status(playing)
