"""The device services' contracts: what the screens may ask of the voice, the microphone and the listener.

The real services (VoiceOut, Microphone, Listener) and the test fakes (tests/ui/fakes.py) both
implement these in full, so a screen types its devices with them and never probes with `hasattr`.
Signals are listed as attributes (a bound Qt signal is a `SignalInstance`); their payloads are in
each docstring.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import SignalInstance

from simulator.devices.listener import ReplyResult
from simulator.devices.workers import Submit
from simulator.engine.model import Scenario, Voice

__all__ = ["Microphone", "ReplyListener", "ReplyResult", "VoiceOutput"]


@runtime_checkable
class VoiceOutput(Protocol):
    """The customer's voice (simulator.devices.voice_out.VoiceOut).

    Signals:
        started(str), finished(str): a line (its id) began, ended or was stopped.
        failed(str): a line could not be spoken; the message is for the trainee.
        prepared(): every line handed to `prepare` is rendered.
    """

    started: SignalInstance
    finished: SignalInstance
    failed: SignalInstance
    prepared: SignalInstance

    def is_available(self) -> bool: ...
    def warm_up(self) -> None: ...
    def prepare(self, scenario: Scenario, extra: Sequence[str] = ()) -> None: ...
    # The customer may say one of these next, at about this agitation: `prepare` renders them first.
    def expect(self, texts: Sequence[str], agitation: float) -> None: ...
    # While held, `prepare`'s background rendering waits between lines; `speak` never waits.
    def hold_prepare(self, held: bool) -> None: ...
    @property
    def prepare_held(self) -> bool: ...
    def speak(self, line_id: str, text: str, voice: Voice, agitation: float) -> None: ...
    def stop(self) -> None: ...
    def outputs(self) -> list[tuple[bytes, str]]: ...  # (id, description), as Microphone.devices
    def set_device(self, device_id: bytes | None) -> None: ...
    def set_speed(self, percent: int) -> None: ...
    def set_voice_choices(self, choices: dict[str, str]) -> None: ...


@runtime_checkable
class Microphone(Protocol):
    """The shared microphone (simulator.devices.microphone.Microphone).

    Signals:
        started(), finished(): the device opened or closed.
        failed(str): it could not open or stopped delivering; the message is for the trainee.
        level(float): the input level, 0-1, a few times a second.
        chunk(bytes): 16 kHz mono PCM as it arrives.
    """

    started: SignalInstance
    finished: SignalInstance
    failed: SignalInstance
    level: SignalInstance
    chunk: SignalInstance

    @property
    def active(self) -> bool: ...
    def devices(self) -> list[tuple[bytes, str]]: ...
    def start(self, device_id: bytes | None = None) -> bool: ...
    def stop(self) -> None: ...
    def save_wav(self, path: Path | str) -> Any: ...


@runtime_checkable
class ReplyListener(Protocol):
    """Hears the trainee's replies (simulator.devices.listener.Listener).

    Signals:
        listening(): armed for a reply.
        speech_started(): the trainee started speaking.
        partial(str): the live transcript so far.
        level(float): the microphone level, 0-1.
        reply_likely(ReplyResult): hands-free, what the reply is if this pause is its end.
        reply_ready(ReplyResult): the reply, heard (its recording in `wav_path`).
        interrupted(Path): the microphone failed mid-reply; the recording of what was said so far.
        finished(): stopped listening.
        failed(str): the microphone or recogniser failed; the message is for the trainee.
    """

    listening: SignalInstance
    speech_started: SignalInstance
    partial: SignalInstance
    level: SignalInstance
    reply_likely: SignalInstance
    reply_ready: SignalInstance
    interrupted: SignalInstance
    finished: SignalInstance
    failed: SignalInstance

    # What the listener was built from (simulator.ui.listening.listening_signature):
    # when Settings no longer match it, the listener is rebuilt. None: rebuild at the first check.
    settings_signature: tuple | None
    recognizer: Any
    worker: Submit  # the thread its recogniser runs on (an OrderedWorker, or an InlineWorker in tests)

    def set_mode(self, mode: Any) -> None: ...
    def set_adaptation(self, adaptation: object) -> None: ...
    def open(self, device_id: bytes | None = None) -> bool: ...
    def start(self, device_id: bytes | None = None) -> bool: ...
    def press(self, device_id: bytes | None = None) -> bool: ...
    def release(self) -> None: ...
    def cancel(self) -> None: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...
