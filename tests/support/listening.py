"""Driving the Listener without a sound card: a microphone the caller feeds, and a recogniser that
counts its utterances. Used by tests/devices/test_listener.py and bench/asr_accuracy.py --listener."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from simulator.devices.signals import safe_emit


class FeedMicrophone(QObject):
    """Stands in for simulator.devices.microphone.Microphone where the caller feeds the audio."""

    chunk = Signal(bytes)
    level = Signal(float)
    failed = Signal(str)
    active = False

    def start(self, device_id: bytes | None = None) -> bool:
        self.active = True
        return True

    def stop(self) -> None:
        self.active = False

    def feed(self, pcm: bytes) -> None:
        """One block of 16 kHz mono PCM16, as the real microphone hands them over."""
        safe_emit(self.chunk, pcm)

    def play(self, wav: Path, chunk: int = 1600) -> None:
        """A 16 kHz mono WAV file, in blocks of `chunk` bytes."""
        with wave.open(str(wav)) as w:
            pcm = w.readframes(w.getnframes())
        for offset in range(0, len(pcm), chunk):
            self.feed(pcm[offset:offset + chunk])


class CountingRecognizer:
    """A recogniser (the real one, usually), counting the utterances started and finished on it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.starts = self.finishes = 0

    def start(self) -> None:
        self.starts += 1
        self.inner.start()

    def finish(self) -> Any:
        self.finishes += 1
        return self.inner.finish()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
