"""The hibari neural voice: "heart", US female, the one voice hibari-tts ships inside its wheel.

hibari also has British pronunciation rules, but "heart" was trained on American phonemes: read
with them, PocketSphinx misheard 55-59% of the words of six scenario lines against 14-17% read the
American way, so British customers get "heart" as it is (or another voice: `catalogue.cast`).

hibari-tts (Apache-2.0) ships one voice inside its wheel; its other voices would be downloaded from
the internet on first use. This module never lets that happen: it pins the package version, checks
the SHA-256 of every model file it loads against the table below, hands hibari the model's path
itself (so hibari's downloader is never called) and refuses any voice but the bundled one. A
missing package, another version or an altered file makes the engine unavailable with a message
saying what to do, and the customer speaks with the system voice (espeak-ng) instead.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from simulator.fileio import ModelFileError, verify_files
from simulator.speech.catalogue import ProbedEngine, VoiceEntry, VoiceFailed, VoiceUnavailable
from simulator.speech.voices import Delivery

log = logging.getLogger(__name__)

VERSION = "0.2.1"
LICENCE = "Apache-2.0 (distilled from Kokoro-82M, Apache-2.0)"
BUNDLED = "heart"
# The files hibari 0.2.1 reads for the bundled voice and its (American) pronunciation, as shipped.
MODEL_SHA256: dict[str, str] = {
    "hibari.onnx": "5f70741d4e900f4e85d0037498736cc1b3e1b9a63a13546a5da1e63abf4fccd8",
    "oov.onnx": "d3cfd8122c5f172a98c8de38268bf1213ee09f2c2ae4df6e055fc6532590fe76",
    "vocab.json": "70abefbe8a1c8865e43e0a43bbdc25b91a33e4aa053479d443ccf23e20a59e5d",
    "tagger.json.gz": "d2da7502284bbbe45d49e0b7ce3ce67bdab82254150f4317f1b8559b4d38d0eb",
    "lexicon_us_gold.json.gz": "63ae94f8ef0e906d5b24fe9b59ffcbd1529aca5686a774610e43973cbaa86ad2",
    "lexicon_us_silver.json.gz": "c4c2546ebf1eb07010331e7ef785a431aa17ba8e7bfb6b4af8d654ee96a71fd3",
}
# Words per minute of "heart" at speed 1.0 on the scenario lines (measured by rendering 25 scenario lines with the pauses trimmed).
WPM = 200.0
SPEED_MIN, SPEED_MAX = 0.5, 2.0  # what hibari accepts
SEED = 0  # hibari adds noise; a fixed seed makes a line render the same every time

VOICES = (VoiceEntry("hibari", BUNDLED, "Heart (US female, neural)", "en-us", "female", LICENCE, True, WPM),)

REINSTALL = f"reinstall it with: .venv/bin/pip install --force-reinstall hibari-tts=={VERSION}"


class HibariEngine(ProbedEngine):
    """hibari's bundled voice. Loads on first use (about 0.7 s)."""

    name = "hibari"

    def __init__(self, threads: int = 1):
        super().__init__()
        self.threads = threads
        self._assets: Path | None = None
        self._model_: Any = None  # hibari.Hibari, loaded on first use
        self._lock = threading.Lock()

    # -- availability --------------------------------------------------------------------------
    def _find_problem(self) -> str | None:
        try:
            self._assets = self.verify()
        except VoiceUnavailable as exc:
            log.warning("voice: %s", exc)
            return str(exc)
        return None

    @staticmethod
    def verify() -> Path:
        """The folder of hibari's checked model files; raises `VoiceUnavailable` saying what is wrong."""
        spec = importlib.util.find_spec("hibari")
        if spec is None or spec.origin is None:
            raise VoiceUnavailable("the natural voice (hibari-tts) is not installed: the customer speaks "
                                   f"with the system voice; install it with: .venv/bin/pip install hibari-tts=={VERSION}")
        try:
            version = importlib.metadata.version("hibari-tts")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        if version != VERSION:
            raise VoiceUnavailable(f"hibari-tts {version} is installed but this simulator checks the model "
                                   f"files of {VERSION}: the customer speaks with the system voice; {REINSTALL}")
        assets = Path(spec.origin).parent / "assets"
        try:
            verify_files(assets, MODEL_SHA256)
        except ModelFileError as exc:
            wrong = "is missing" if exc.reason == "missing" else "does not match its SHA-256 (damaged or replaced)"
            raise VoiceUnavailable(f"hibari-tts's model file {exc.path} {wrong}: the customer speaks with "
                                   f"the system voice; {REINSTALL}") from None
        return assets

    @property
    def engine_id(self) -> str:
        return f"hibari:{VERSION}:{MODEL_SHA256['hibari.onnx'][:12]}"

    def voices(self) -> tuple[VoiceEntry, ...]:
        return VOICES if self.available else ()

    # -- rendering -----------------------------------------------------------------------------
    def _model(self) -> Any:
        if self._model_ is None:
            if not self.available:
                raise VoiceUnavailable(self._problem or "hibari-tts is unavailable")
            assert self._assets is not None
            from hibari import (
                Hibari,  # here, not at the top: it loads onnxruntime, slow and only for this voice
            )

            # The model path is given, so hibari never looks for (or downloads) a voice itself.
            self._model_ = Hibari(voice=BUNDLED, model=str(self._assets / "hibari.onnx"),
                                  threads=self.threads)
        return self._model_

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory (so the next line does not wait for it)."""
        return self._model_ is not None

    def warm(self) -> None:
        """Load the model and the pronunciation data (about 1 s), so the first line does not wait."""
        if not self.available:
            return
        with self._lock:
            self._model()("Hello.", seed=SEED)

    def raw(self, text: str, settings: Delivery) -> tuple[np.ndarray, int]:
        if settings.voice_id != BUNDLED:
            raise VoiceFailed(f"hibari has no offline voice '{settings.voice_id}' (only {BUNDLED})")
        speed = max(SPEED_MIN, min(SPEED_MAX, settings.rate / WPM))
        with self._lock:
            model = self._model()
            try:
                audio = model(text, speed=speed, seed=SEED)
            except Exception as exc:  # onnxruntime and the G2P raise many kinds; the line is what failed
                raise VoiceFailed(f"the natural voice could not say {text[:40]!r}: {exc}") from exc
        if len(audio) == 0:
            raise VoiceFailed(f"the natural voice said nothing for {text[:40]!r}")
        return np.asarray(audio, dtype=np.float32), int(model.sample_rate)
