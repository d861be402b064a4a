"""The recogniser chosen in Settings: PocketSphinx (built in), or Vosk / faster-whisper when the
user has installed the package and downloaded a model folder.

Vosk and faster-whisper are imported only when selected, so the app starts without them, and
every way they can be missing becomes a `RecognizerUnavailable` whose message tells the trainer
what to do. Models are only ever loaded from a folder on disk: the app runs offline.
"""

from __future__ import annotations

import importlib
import json
import time
from pathlib import Path
from typing import Any, Protocol

from simulator.speech.adaptation import Adaptation
from simulator.speech.recognizer import SAMPLE_RATE, StreamingRecognizer, Transcript


class RecognizerUnavailable(RuntimeError):
    """The selected recogniser cannot run; the message says why and what to do."""


class Recognizer(Protocol):
    engine: str

    def start(self) -> None: ...
    def feed(self, pcm16: bytes) -> None: ...
    def partial(self) -> str: ...
    def finish(self) -> Transcript: ...


_NAMES = {"pocketsphinx": "pocketsphinx", "vosk": "vosk", "whisper": "faster-whisper",
          "faster-whisper": "faster-whisper", "faster_whisper": "faster-whisper"}
_TITLES = {"vosk": "Vosk", "faster-whisper": "Whisper (faster-whisper)"}
_PACKAGES = {"vosk": ("vosk", "vosk"), "faster-whisper": ("faster_whisper", "faster-whisper")}
_SITES = {"vosk": "the Vosk site (alphacephei.com/vosk/models)",
          "faster-whisper": "Hugging Face (a CTranslate2 conversion such as Systran/faster-whisper-small)"}


def _import(engine: str) -> Any:
    module, package = _PACKAGES[engine]
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise RecognizerUnavailable(
            f"{_TITLES[engine]} is selected in Settings but the {package} package is not "
            f"installed: pip install {package}, or choose PocketSphinx") from exc


def _model_folder(engine: str, model_dir: Path | None) -> Path:
    if model_dir is None:
        raise RecognizerUnavailable(
            f"{_TITLES[engine]} needs a model folder: download a model from {_SITES[engine]} "
            "and point Settings at its folder, or choose PocketSphinx")
    path = Path(model_dir).expanduser()
    if not path.is_dir():
        raise RecognizerUnavailable(
            f"the {_TITLES[engine]} model folder {path} does not exist: download a model from "
            f"{_SITES[engine]} and point Settings at its folder")
    return path


class VoskRecognizer:
    """Vosk's Kaldi recogniser, streaming like PocketSphinx."""

    engine = "vosk"

    def __init__(self, model_dir: Path) -> None:
        vosk = _import("vosk")
        try:
            self._model = vosk.Model(str(model_dir))
        except Exception as exc:  # vosk raises a bare Exception for a bad folder
            raise RecognizerUnavailable(
                f"the Vosk model folder {model_dir} could not be loaded ({exc}): it should be "
                "an unpacked model from the Vosk site") from exc
        self._vosk = vosk
        self._rec: Any = None
        self._texts: list[str] = []
        self._words: list[dict[str, Any]] = []

    def start(self) -> None:
        self._rec = self._vosk.KaldiRecognizer(self._model, SAMPLE_RATE)
        self._rec.SetWords(True)
        self._texts, self._words = [], []

    def _take(self, result: str) -> None:
        data = json.loads(result or "{}")
        if data.get("text"):
            self._texts.append(data["text"])
            self._words.extend(data.get("result", []))

    def feed(self, pcm16: bytes) -> None:
        if self._rec is None:
            self.start()
        if self._rec.AcceptWaveform(pcm16):
            self._take(self._rec.Result())

    def partial(self) -> str:
        if self._rec is None:
            return ""
        current = json.loads(self._rec.PartialResult() or "{}").get("partial", "")
        return " ".join([*self._texts, current]).strip()

    def finish(self) -> Transcript:
        from simulator.speech.recognizer import Word

        t0 = time.perf_counter()
        if self._rec is not None:
            self._take(self._rec.FinalResult())
        words = tuple(Word(w["word"], float(w["start"]), float(w["end"]), float(w.get("conf", 0)))
                      for w in self._words)
        confidence = sum(w.confidence for w in words) / len(words) if words else 0.0
        self._rec = None
        return Transcript(" ".join(self._texts), confidence, words, self.engine,
                          time.perf_counter() - t0)


class WhisperRecognizer:
    """faster-whisper on the CPU: it is not streaming, so it collects audio and decodes at the end."""

    engine = "faster-whisper"
    # Each `finish` runs the whole model (the encoder on a 30 s window however short the audio), so
    # the listener must not finish it early at every pause (simulator.devices.listener).
    streaming = False

    def __init__(self, model_dir: Path) -> None:
        module = _import("faster-whisper")
        try:
            self._model = module.WhisperModel(str(model_dir), device="cpu", compute_type="int8",
                                              local_files_only=True)
        except Exception as exc:
            raise RecognizerUnavailable(
                f"the Whisper model folder {model_dir} could not be loaded ({exc}): it should be "
                "a CTranslate2 model (model.bin, config.json, tokenizer.json)") from exc
        self._audio = bytearray()

    def start(self) -> None:
        self._audio = bytearray()

    def feed(self, pcm16: bytes) -> None:
        self._audio.extend(pcm16)

    def partial(self) -> str:
        return ""

    def finish(self) -> Transcript:
        import math

        import numpy as np

        t0 = time.perf_counter()
        samples = np.frombuffer(bytes(self._audio), dtype=np.int16).astype(np.float32) / 32768.0
        segments, _info = self._model.transcribe(samples, language="en", beam_size=1)
        segments = list(segments)
        text = " ".join(s.text.strip() for s in segments).strip()
        # avg_logprob is the mean token log probability: exp of it is a 0..1 confidence.
        confidence = (sum(math.exp(s.avg_logprob) for s in segments) / len(segments)
                      if segments else 0.0)
        self._audio = bytearray()
        return Transcript(text, confidence, (), self.engine, time.perf_counter() - t0)


def make_recognizer(engine: str = "pocketsphinx", model_dir: Path | None = None,
                    adaptation: Adaptation | None = None) -> Recognizer:
    """The recogniser for a Settings choice. Scenario adaptation applies to PocketSphinx only.

    Raises RecognizerUnavailable with a message for the trainer when the choice cannot run.
    """
    name = _NAMES.get(engine.lower().strip())
    if name is None:
        raise RecognizerUnavailable(
            f"unknown recogniser {engine!r}: choose PocketSphinx, Vosk or Whisper in Settings")
    if name == "pocketsphinx":
        return StreamingRecognizer(adaptation)
    _import(name)  # a missing package is the likelier problem: report it first
    folder = _model_folder(name, model_dir)
    return VoskRecognizer(folder) if name == "vosk" else WhisperRecognizer(folder)
