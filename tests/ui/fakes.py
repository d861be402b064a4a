"""Stand-ins for the audio services, so the GUI tests control every event.

Each implements its contract in simulator/devices/contracts.py in full (tests/devices/test_contracts.py
checks it): VoiceOutput, Microphone, ReplyListener; a heard reply is a real ReplyResult.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from simulator.devices.contracts import ReplyResult
from simulator.devices.workers import InlineWorker
from simulator.speech.recognizer import Transcript, Word


class FakeVoice(QObject):
    """Like simulator.devices.voice_out.VoiceOut; `finish()` ends the current line."""

    started = Signal(str)
    finished = Signal(str)
    failed = Signal(str)
    prepared = Signal()

    def __init__(self, available: bool = True):
        super().__init__()
        self.available = available
        self.spoken: list[tuple[str, str]] = []
        self.stops = 0
        self.current: str | None = None
        self.speeds: list[int] = []
        self.prepare_held = False
        self.holds: list[bool] = []  # every hold_prepare call, in order
        self.expected: list[tuple[list[str], float]] = []  # every expect call, in order
        self.prepares: list[str] = []  # the id of every scenario handed to prepare

    def is_available(self) -> bool:
        return self.available

    def expect(self, texts, agitation) -> None:
        self.expected.append((list(texts), agitation))

    def hold_prepare(self, held: bool) -> None:
        self.holds.append(held)
        self.prepare_held = held

    def prepare(self, scenario, extra=()) -> None:
        self.prepares.append(scenario.id)
        self.prepared.emit()

    def speak(self, line_id, text, voice, agitation) -> None:
        self.spoken.append((line_id, text))
        self.current = line_id
        self.started.emit(line_id)

    def finish(self) -> None:
        if self.current is not None:
            line, self.current = self.current, None
            self.finished.emit(line)

    def stop(self) -> None:
        self.stops += 1
        self.current = None

    def outputs(self) -> list[tuple[bytes, str]]:
        return []

    def set_device(self, device_id) -> None:
        pass

    def set_speed(self, percent: int) -> None:
        self.speeds.append(percent)

    def set_voice_choices(self, choices: dict[str, str]) -> None:
        pass

    def warm_up(self) -> None:
        pass


def reply_result(text: str, confidence: float = 0.9, low_confidence: bool = False, wav_path: Path | None = None,
                 speculation: int | None = None, words: tuple[tuple[str, float], ...] = ()) -> ReplyResult:
    """A real ReplyResult, as the listener emits it; `words` are (word, confidence) pairs."""
    now = time.monotonic()
    transcript = Transcript(text, confidence, tuple(Word(w, 0.0, 0.0, c) for w, c in words))
    return ReplyResult(text, confidence, low_confidence, wav_path, now, now, transcript, now, speculation)


class _Any(tuple):
    """A settings signature equal to every other: a fake listener is never rebuilt for new Settings."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = tuple.__hash__


class FakeListener(QObject):
    """Like simulator.devices.listener.Listener; `hear(...)` delivers a recognised reply.

    Records what the app asked of it: `presses`, `releases`, `starts` (hands-free), `opens`,
    `cancels`, `stops`, the device ids it was given and the adaptation it was handed.
    """

    listening = Signal()
    speech_started = Signal()
    partial = Signal(str)
    level = Signal(float)
    reply_ready = Signal(object)
    reply_likely = Signal(object)
    interrupted = Signal(object)
    finished = Signal()
    failed = Signal(str)

    settings_signature: tuple | None = _Any()

    def __init__(self, fail_with: str | None = None):
        super().__init__()
        self.recognizer = None
        self.worker = InlineWorker()
        self.presses = 0
        self.releases = 0
        self.starts = 0
        self.opens = 0
        self.cancels = 0
        self.stops = 0
        self.devices: list[bytes | None] = []
        self.adaptation = None
        self.mode = "push_to_talk"
        self.fail_with = fail_with

    def is_available(self) -> bool:
        return True

    def _open(self, device_id) -> bool:
        self.devices.append(device_id)
        if self.fail_with:
            self.failed.emit(self.fail_with)
            return False
        return True

    def open(self, device_id=None) -> bool:
        self.opens += 1
        return self._open(device_id)

    def start(self, device_id=None) -> bool:
        self.starts += 1
        if not self._open(device_id):
            return False
        self.listening.emit()
        return True

    def press(self, device_id=None) -> bool:
        self.presses += 1
        if not self._open(device_id):
            return False
        self.listening.emit()
        self.speech_started.emit()
        return True

    def release(self) -> None:
        self.releases += 1

    def cancel(self) -> None:
        self.cancels += 1

    def stop(self) -> None:
        self.stops += 1

    def set_mode(self, mode) -> None:
        self.mode = mode

    def set_adaptation(self, adaptation) -> None:
        self.adaptation = adaptation

    def close(self) -> None:
        self.stop()

    def hear(self, text: str, **kwargs) -> None:
        self.reply_ready.emit(reply_result(text, **kwargs))

    def pause_in(self, text: str, **kwargs) -> None:
        """A pause in a hands-free reply: what it will be if the pause is its end."""
        self.reply_likely.emit(reply_result(text, **kwargs))


class FakeMicrophone(QObject):
    """Like simulator.devices.microphone.Microphone; `save_wav` writes the recording it was given."""

    level = Signal(float)
    chunk = Signal(bytes)
    started = Signal()
    finished = Signal()
    failed = Signal(str)

    def __init__(self, recording: Path | None = None):
        super().__init__()
        self.recording = recording
        self.running: str | None = None

    active = property(lambda self: self.running is not None)

    def devices(self) -> list[tuple[bytes, str]]:
        return [(b"mic", "Virtual microphone"), (b"usb", "USB headset")]

    def start(self, device_id: bytes | None = None) -> bool:
        self.running = device_id or b"mic"
        self.started.emit()
        return True

    def stop(self) -> None:
        if self.running is not None:
            self.running = None
            self.finished.emit()

    def save_wav(self, path) -> None:
        import shutil

        if self.recording is None:
            raise OSError("nothing was recorded")
        shutil.copyfile(self.recording, path)


class FakeSpeakers(FakeVoice):
    """A voice service with two outputs that remembers each speaker chosen."""

    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[bytes | None] = []

    def outputs(self) -> list[tuple[bytes, str]]:
        return [(b"hdmi", "Projector (HDMI)"), (b"jack", "Headphones")]

    def set_device(self, device_id) -> None:
        self.chosen.append(device_id)
