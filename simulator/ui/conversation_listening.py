"""Listening for the conversation: the Listener built from Settings, and microphone ids between Settings and Qt.

Settings keep a microphone as text (`input_device`); Qt names devices by bytes. The recogniser a
Listener uses is built by `build_recognizer`, which can take seconds for Vosk or Whisper (they
load their model when made), so callers run it on the task pool and build the Listener itself,
a QObject, back on the GUI thread with `make_listener`.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from simulator.settings import Settings

log = logging.getLogger(__name__)


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


def make_listener(settings: Settings, microphone: Any, recognizer: Any = None) -> Any:
    """A Listener for these settings around `microphone` (shared with the microphone check).

    Without a recogniser, PocketSphinx's streaming recogniser is used: it is cheap to make (its
    models load on the worker when `preload` or the first reply asks). Either way the worker then
    warms it up on the trainee's calibration reading (`warm_up`).
    """
    from simulator.devices.listener import Listener
    from simulator.records.recordings import Recordings
    from simulator.speech.recognizer import StreamingRecognizer
    from simulator.ui.context import data_root

    if recognizer is None:
        recognizer = StreamingRecognizer(description="PocketSphinx" if settings.recognizer == "pocketsphinx"
                                         else "PocketSphinx, until the chosen recogniser has loaded")
    listener = Listener(recognizer, mode=settings.listen_mode, microphone=microphone,
                        recordings=Recordings(data_root(settings)))
    listener.preload()
    listener.worker.submit(functools.partial(warm_up, recognizer, settings))
    return listener
