"""flite's voices built from recordings of real speakers, when the Debian `flite` program is installed.

flite (CMU, BSD-style licence) compiles its voices into its library, so there are no model files to
check: the program's version keys the render cache. It is run once per line (about 0.1 s); the rate
is set with its `duration_stretch` feature, pitch and timbre afterwards (`simulator.speech.prosody`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from simulator.speech.catalogue import ProbedEngine, VoiceEntry, VoiceFailed
from simulator.speech.voices import Delivery

LICENCE = "BSD-style (CMU flite; CMU ARCTIC recordings)"
INSTALL = "install it with: sudo apt install flite"

# Words per minute of each voice at duration_stretch 1.0 on the scenario lines (measured by rendering 25 scenario lines with the pauses trimmed).
KNOWN: tuple[VoiceEntry, ...] = (
    VoiceEntry("flite", "awb", "awb (Scottish male, recorded)", "en-gb-scotland", "male", LICENCE, True, 200.0),
    VoiceEntry("flite", "rms", "rms (US male, recorded)", "en-us", "male", LICENCE, True, 180.0),
    VoiceEntry("flite", "slt", "slt (US female, recorded)", "en-us", "female", LICENCE, True, 205.0),
    VoiceEntry("flite", "kal", "kal (US male, diphone)", "en-us", "male", LICENCE, False, 205.0),
)
STRETCH_MIN, STRETCH_MAX = 0.4, 2.5


def _read(data: bytes) -> tuple[np.ndarray, int]:
    # flite writes 16-bit mono PCM; tts.read_wav would do, but importing it here would be circular.
    import io
    import wave

    with wave.open(io.BytesIO(data)) as wav:
        rate = wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    return np.frombuffer(frames, "<i2").astype(np.float32) / 32768, rate


class FliteEngine(ProbedEngine):
    """The `flite` program's recorded voices (awb, rms, slt; kal only when chosen)."""

    name = "flite"

    def __init__(self, program: str = "flite", timeout: float = 30.0):
        super().__init__()
        self.program = program
        self.timeout = timeout
        self._path: str | None = None
        self._version = ""
        self._voices: tuple[VoiceEntry, ...] = ()

    def _find_problem(self) -> str | None:
        self._path = shutil.which(self.program)
        if self._path is None:
            return f"the recorded voices (flite) are not installed; {INSTALL}"
        try:
            listed = subprocess.run([self._path, "-lv"], capture_output=True, text=True, timeout=10).stdout
            self._version = subprocess.run([self._path, "--version"], capture_output=True, text=True,
                                           timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError) as exc:
            return f"flite is installed but would not run ({exc}); {INSTALL}"
        names = set(listed.replace("Voices available:", "").split())
        self._voices = tuple(v for v in KNOWN if v.voice in names)
        if not self._voices:
            return f"flite offers none of the voices {', '.join(v.voice for v in KNOWN)}"
        return None

    @property
    def engine_id(self) -> str:
        self._probe()
        return f"flite:{self._version}"

    def voices(self) -> tuple[VoiceEntry, ...]:
        self._probe()
        return self._voices

    def warm(self) -> None:
        """Nothing to load: the voices are inside the program, which starts in a few ms."""
        self._probe()

    def raw(self, text: str, settings: Delivery) -> tuple[np.ndarray, int]:
        entry = next((v for v in self.voices() if v.voice == settings.voice_id), None)
        if entry is None or self._path is None:
            raise VoiceFailed(f"flite has no voice '{settings.voice_id}'")
        stretch = max(STRETCH_MIN, min(STRETCH_MAX, entry.wpm / settings.rate))
        fd, name = tempfile.mkstemp(prefix="simulator-flite-", suffix=".wav")
        os.close(fd)
        out = Path(name)
        try:
            result = subprocess.run(
                [self._path, "-voice", entry.voice, "--setf", f"duration_stretch={stretch:.3f}",
                 "-t", text, "-o", str(out)], capture_output=True, text=True, timeout=self.timeout)
            if result.returncode != 0 or out.stat().st_size <= 44:
                raise VoiceFailed(f"flite could not say {text[:40]!r}: {result.stderr.strip() or 'no audio'}")
            return _read(out.read_bytes())
        except (OSError, subprocess.SubprocessError) as exc:
            raise VoiceFailed(f"flite could not say {text[:40]!r}: {exc}") from exc
        finally:
            out.unlink(missing_ok=True)
