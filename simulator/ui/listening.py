"""Listening for the conversation: the listening service (the Listener built from Settings, rebuilt, adapted), microphone ids, where replies are recorded.

Settings keep a microphone as text (`input_device`); Qt names devices by bytes. The recogniser a
Listener uses is built by `build_recognizer`, which can take seconds for Vosk or Whisper (they
load their model when made), so callers run it on the task pool and build the Listener itself,
a QObject, back on the GUI thread with `make_listener`.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from simulator.settings import Settings, data_root

if TYPE_CHECKING:  # the listener's module loads the recogniser's: only when a listener is made
    from simulator.devices.contracts import ReplyListener
    from simulator.engine.model import Scenario
    from simulator.ui.context import AppContext

log = logging.getLogger(__name__)

# Why replies must be typed when the recogniser is ready but the system lists no microphone.
NO_INPUT = ("No microphone was found, so type your replies. Plug one in, then check it under Microphone "
            "check and start the conversation again.")


def device_key(ident: Any) -> str:
    """A microphone id as Settings keeps it (text)."""
    if isinstance(ident, bytes | bytearray):
        return bytes(ident).decode(errors="replace")
    data = getattr(ident, "data", None)  # a QByteArray
    if callable(data):
        return bytes(data()).decode(errors="replace")
    return str(ident)


def device_arg(key: str | None) -> bytes | None:
    """The id to open a microphone with: bytes, or None for the system default."""
    return key.encode() if key else None


def listening_signature(settings: Settings) -> tuple:
    """What a Listener is built from; when it changes (apart from the mode) the Listener is rebuilt."""
    return (settings.recognizer, settings.recognizer_model_dir or "", settings.input_device or "",
            settings.data_dir or "")


def build_recognizer(settings: Settings, adaptation: Any = None) -> Any:
    """The recogniser chosen in Settings (slow for Vosk and Whisper: run it off the GUI thread).

    Raises simulator.speech.engines.RecognizerUnavailable with a message for the trainee.
    """
    from simulator.speech.engines import make_recognizer

    model_dir = Path(settings.recognizer_model_dir) if settings.recognizer_model_dir else None
    return make_recognizer(settings.recognizer, model_dir, adaptation)


def warm_up(recognizer: Any, settings: Settings) -> None:
    """Give the recogniser the cepstral mean of the trainee's calibration reading, which came
    through this microphone, so their first reply is decoded once, not twice (PocketSphinx's
    decoders, also Whisper's live transcript; about a second of work). Run it on the thread that
    drives the recogniser: when the listener is made and after each new calibration. (Whisper's
    own first decode is warmed by `prepare`, calibration or not.)"""
    warm = getattr(recognizer, "warm_up", None)
    if not settings.baseline_wav or not callable(warm):
        return
    from simulator.speech.recognizer import read_audio_file

    try:
        warm(read_audio_file(Path(settings.baseline_wav)))
    except Exception as exc:  # a missing or broken calibration file only costs speed
        log.info("recogniser not warmed up from %s: %s", settings.baseline_wav, exc)


def make_listener(settings: Settings, microphone: Any, recognizer: Any = None, warm: bool = True) -> Any:
    """A Listener for these settings around `microphone` (shared with the microphone check).

    Without a recogniser, PocketSphinx's streaming recogniser is used: it is cheap to make (its
    models load on the worker when `preload` or the first reply asks). Either way the worker then
    warms it up on the trainee's calibration reading (`warm_up`); `warm=False` leaves both for a
    later `warm_listener` (the app's start: after its first frame).
    """
    from simulator.devices.listener import Listener
    from simulator.records.recordings import Recordings
    from simulator.speech.recognizer import StreamingRecognizer

    if recognizer is None:
        recognizer = StreamingRecognizer(description="PocketSphinx" if settings.recognizer == "pocketsphinx"
                                         else "PocketSphinx, until the chosen recogniser has loaded")
    listener = Listener(recognizer, mode=settings.listen_mode, microphone=microphone,
                        recordings=Recordings(data_root(settings)))
    if warm:
        warm_listener(listener, settings)
    return listener


def warm_listener(listener: Any, settings: Settings) -> None:
    """Load the listener's recogniser models on its worker, then warm it on the calibration reading."""
    listener.preload()
    listener.worker.submit(functools.partial(warm_up, listener.recognizer, settings))


class ListeningService(QObject):
    """Keeps the shared listener fit for the conversation: built from Settings and rebuilt when they
    change (the recogniser off the GUI thread), adapted to the scenario, and asked whether a
    microphone is there at all. The conversation presenter follows its signals for the turn loop;
    the listener behind them may be replaced at any time.

    Signals:
        changed(str): the listener was rebuilt for new Settings, or could not be; the message says
            why replies must be typed ("" when listening works).
        speech_started(), partial(str), level(float), reply_likely(ReplyResult),
        reply_ready(ReplyResult), interrupted(Path), failed(str): the current listener's own
            (see simulator.devices.contracts.ReplyListener).
    """

    changed = Signal(str)
    speech_started = Signal()
    partial = Signal(str)
    level = Signal(float)
    reply_likely = Signal(object)
    reply_ready = Signal(object)
    interrupted = Signal(object)
    failed = Signal(str)

    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = context
        self._followed: ReplyListener | None = None  # the listener whose signals are forwarded
        self._adaptation: object = None  # the current scenario's recogniser adaptation
        self._scenario: Scenario | None = None
        self._build_generation = 0
        self._failed_signature: tuple | None = None
        # Why listening is off (a recogniser that could not be built), for the trainee.
        self.problem = ""
        # The system listed no microphone when capabilities were last checked: the listener is left
        # alone (opening it could only fail and say so a second time).
        self._no_input = False
        self._follow(self.ctx.devices.listener)

    @property
    def listener(self) -> ReplyListener | None:
        """The listener to use now; None when replies must be typed."""
        if self._no_input:
            return None
        return self.ctx.devices.listener if self.ctx.devices.can_listen else None

    def device(self) -> bytes | None:
        """The microphone chosen in Settings, as the listener opens it."""
        return device_arg(self.ctx.settings.input_device)

    def _pairs(self, listener: ReplyListener) -> list[tuple[Any, Any]]:
        return [(listener.partial, self.partial), (listener.level, self.level),
                (listener.reply_ready, self.reply_ready), (listener.failed, self.failed),
                (listener.speech_started, self.speech_started), (listener.interrupted, self.interrupted),
                (listener.reply_likely, self.reply_likely)]

    def _follow(self, listener: ReplyListener | None) -> None:
        """Forward `listener`'s signals (and no longer the previous listener's)."""
        if listener is self._followed:
            return
        if self._followed is not None:
            for signal, forward in self._pairs(self._followed):
                try:
                    signal.disconnect(forward)
                except (RuntimeError, TypeError):
                    pass
        self._followed = listener
        if listener is not None:
            for signal, forward in self._pairs(listener):
                signal.connect(forward)

    def close(self) -> None:
        """Stop following the shared listener (the window makes a new presenter per screen life)."""
        self._follow(None)

    # -- building from Settings ------------------------------------------------------------------
    def apply_settings(self) -> None:
        """Make the listener match Settings: a new listen mode applies at once; another microphone,
        recogniser or model folder rebuilds the listener (the recogniser off the GUI thread)."""
        settings = self.ctx.settings
        listener = self.ctx.devices.listener
        wanted = listening_signature(settings)
        if listener is not None and listener.settings_signature == wanted:
            listener.set_mode(settings.listen_mode)
            return
        microphone = self.ctx.devices.microphone
        if microphone is None or (listener is None and self._failed_signature == wanted):
            return
        self._retire()
        self._build_generation += 1
        generation = self._build_generation
        adaptation = self._adaptation
        self.ctx.tasks.submit(lambda: build_recognizer(settings, adaptation),
                              on_done=lambda rec: self._on_recognizer_built(generation, settings, rec),
                              on_error=lambda exc: self._on_recognizer_failed(generation, wanted, exc))

    def warm(self) -> None:
        """After a new calibration reading: the listener's worker warms its recogniser on it (the
        cepstral mean of this microphone), so the next first reply is decoded once, not twice."""
        listener = self.ctx.devices.listener
        if listener is not None:
            listener.worker.submit(functools.partial(warm_up, listener.recognizer, self.ctx.settings))

    def _retire(self) -> None:
        old = self.ctx.devices.listener
        if old is None:
            return
        self._follow(None)
        self.ctx.devices.listener = None
        try:
            old.close()
        except Exception:
            log.exception("closing the old listener failed")

    def _on_recognizer_built(self, generation: int, settings: Settings, recognizer: Any) -> None:
        if generation != self._build_generation:
            return
        listener = make_listener(settings, self.ctx.devices.microphone, recognizer)
        listener.settings_signature = listening_signature(settings)
        self.ctx.devices.listener = listener
        self._follow(listener)
        self.problem = ""
        self._failed_signature = None
        self.changed.emit("")

    def _on_recognizer_failed(self, generation: int, signature: tuple, exc: BaseException) -> None:
        if generation != self._build_generation:
            return
        from simulator.speech.engines import RecognizerUnavailable

        text = str(exc) if isinstance(exc, RecognizerUnavailable) else f"speech recognition could not start ({exc})"
        log.warning("listener not rebuilt: %s", text)
        self.problem = text[:1].upper() + text[1:]
        self._failed_signature = signature
        self.changed.emit(self.problem)

    # -- the scenario ----------------------------------------------------------------------------
    def adapt(self, scenario: Scenario) -> None:
        """Build the recogniser's adaptation to this scenario on the task runner, then hand it to the
        listener (which applies it on its own worker). A newer scenario's adaptation wins."""
        self._scenario = scenario
        if self.ctx.devices.listener is None:
            return

        def build() -> object:
            from simulator.speech.adaptation import build_adaptation, phrases_for_scenario

            phrases, names = phrases_for_scenario(scenario)
            return build_adaptation(phrases, names)

        def adapted(adaptation: object) -> None:
            if self._scenario is not scenario:
                return
            self._adaptation = adaptation
            current = self.ctx.devices.listener
            if current is not None:
                current.set_adaptation(adaptation)

        self.ctx.tasks.submit(build, on_done=adapted,
                              on_error=lambda exc: log.warning("no scenario adaptation: %s", exc))

    def forget_scenario(self) -> None:
        self._scenario = None

    # -- can the trainee talk? -------------------------------------------------------------------
    def talk_capability(self) -> tuple[bool, str]:
        """Whether replies can be spoken, and if not why (for the trainee). Also notes whether the
        system lists any microphone, so the listener is not opened when there is none."""
        devices = self.ctx.devices
        self._no_input = False
        if devices.listener is None:
            if self.problem:
                return False, f"{self.problem.rstrip('.')}. Type your replies for now."
            if devices.microphone is None:
                return False, "No microphone was found, so type your replies. Plug one in and check it under Microphone."
            return False, "Speech recognition isn't available on this computer, so type your replies."
        if not devices.can_listen:
            return False, "No microphone is working right now, so type your replies. Check it under Microphone."
        if not self._microphone_present():
            # The recogniser is ready but the system lists no input (no sound server, nothing
            # plugged in): a talk button would only fail, so typing is offered from the start.
            self._no_input = True
            return False, NO_INPUT
        return True, ""

    def _microphone_present(self) -> bool:
        microphone = self.ctx.devices.microphone
        if microphone is None:
            return True  # nothing to ask: trust the listener
        try:
            return bool(microphone.devices())
        except Exception:
            log.exception("listing microphones failed")
            return True
