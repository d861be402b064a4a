"""The voices on offer across engines, and which one a customer speaks with (pure, no engine started).

Three kinds of engine:
- "hibari" (pip package hibari-tts, Apache-2.0): a neural voice distilled from Kokoro-82M. Only its
  bundled voice, "heart" (US female), is used: the package downloads its other voices at run time,
  which this simulator never does.
- "flite" (the Debian package `flite`, when installed; BSD-style CMU licence): voices built from
  recordings of real speakers: awb (Scottish male), rms (US male), slt (US female), and kal (US
  male, an older diphone voice, never chosen automatically).
- "pyttsx3": the operating system's voices (espeak-ng on Linux, SAPI5 on Windows, NSSpeech on
  macOS), always there; see `simulator.speech.voices` for how its voice is picked.

`cast(voice, entries, choice)` picks a natural voice for a scenario's customer where one fits (same
gender, then the nearest accent), or None for the system voice. Customers who end up on the same
base voice are told apart by the pitch, rate and timbre their scenario gives them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from simulator.engine.model import Voice
from simulator.speech.voices import DEFAULT_ACCENT, Casting, Delivery, normalise_language

SYSTEM = "pyttsx3"
AUTO = "auto"


@dataclass(frozen=True)
class VoiceEntry:
    """One voice an engine offers."""

    engine: str
    voice: str  # the engine's own id for it
    name: str  # for people: "Heart (US female, neural)"
    accent: str  # en-us, en-gb, en-gb-scotland
    gender: str  # female, male
    licence: str
    natural: bool  # chosen automatically where it fits (kal, a diphone voice, is not)
    wpm: float  # its own speaking rate at speed 1.0, measured on the scenario lines


@dataclass(frozen=True)
class EngineInfo:
    label: str  # for people, in Settings
    licence: str
    adds: str  # what it adds to the install, for Settings and the README


ENGINES: dict[str, EngineInfo] = {
    "hibari": EngineInfo("Natural (hibari, neural)", "Apache-2.0",
                         "hibari-tts 14 MB wheel (16 MB installed) + onnxruntime (78 MB installed)"),
    "flite": EngineInfo("Recorded voices (flite)", "BSD-style (CMU)",
                        "Debian package flite (28 MB installed), Linux only"),
    SYSTEM: EngineInfo("System voice (espeak-ng / Windows / macOS)", "GPL-3.0 (espeak-ng)",
                       "espeak-ng on Linux (system package); built into Windows and macOS"),
}


class VoiceUnavailable(RuntimeError):
    """A natural engine is not installed, or its model files are missing or altered."""


class VoiceFailed(RuntimeError):
    """A natural engine is installed but could not render a line."""


class NaturalEngine(Protocol):
    """A natural-voice engine: lists its voices and renders raw audio for a `Delivery`."""

    name: str

    @property
    def engine_id(self) -> str:
        """Name and version, for the render cache's key."""
        ...

    @property
    def probed(self) -> bool:
        """Whether `available` has been decided (so asking it costs nothing)."""
        ...

    @property
    def available(self) -> bool: ...

    @property
    def problem(self) -> str | None:
        """Why it is unavailable, for the trainee, or None."""
        ...

    def voices(self) -> tuple[VoiceEntry, ...]: ...

    def warm(self) -> None:
        """Load what the first line would otherwise wait for (a model); nothing if unavailable."""
        ...

    def raw(self, text: str, settings: Delivery) -> tuple[np.ndarray, int]:
        """The line as float samples and their rate, before reshaping and levelling."""
        ...


class ProbedEngine:
    """The availability half of a `NaturalEngine`, decided once on first ask: a subclass says in
    `_find_problem` why it cannot be used (or None), and the answer is kept."""

    def __init__(self) -> None:
        self._probed = False
        self._problem: str | None = None

    def _find_problem(self) -> str | None:
        raise NotImplementedError

    def _probe(self) -> None:
        if self._probed:
            return
        self._problem = self._find_problem()
        self._probed = True  # only now: another thread asking meanwhile must not read "available"

    @property
    def probed(self) -> bool:
        return self._probed

    @property
    def available(self) -> bool:
        self._probe()
        return self._problem is None

    @property
    def problem(self) -> str | None:
        self._probe()
        return self._problem


def _accent_fit(wanted: str, offered: str) -> int:
    """3 the same accent, 2 the same country (en-gb and en-gb-scotland), 1 the same language."""
    if wanted == offered:
        return 3
    if offered.startswith(wanted + "-") or wanted.startswith(offered + "-"):
        return 2
    return 1 if wanted.split("-")[0] == offered.split("-")[0] else 0


def _stable_index(voice: Voice, count: int) -> int:
    digest = hashlib.sha256(voice.model_dump_json().encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


def cast(voice: Voice, entries: Sequence[VoiceEntry], choice: str = AUTO) -> VoiceEntry | None:
    """The natural voice for this customer, or None for the system voice.

    `choice` is the trainee's pick for this kind of customer: "auto" (a natural voice where one
    fits), "pyttsx3" (always the system voice) or an engine name (that engine's best fit, else the
    system voice). A voice of the other gender never fits; "neutral" customers take any gender.
    """
    if choice == SYSTEM:
        return None
    pool = [e for e in entries if (e.engine == choice if choice != AUTO else e.natural)]
    if voice.gender != "neutral":
        pool = [e for e in pool if e.gender == voice.gender]
    wanted = normalise_language(voice.accent or DEFAULT_ACCENT)
    scored = [(e, _accent_fit(wanted, e.accent)) for e in pool]
    best = max((score for _, score in scored), default=0)
    if best == 0:
        return None
    fits = sorted((e for e, score in scored if score == best), key=lambda e: (e.engine, e.voice))
    return fits[_stable_index(voice, len(fits))]


def casting(entry: VoiceEntry) -> Casting:
    return Casting(entry.engine, entry.voice)
