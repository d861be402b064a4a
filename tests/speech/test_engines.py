"""make_recognizer: PocketSphinx by default, clear messages when Vosk or Whisper cannot run."""

from __future__ import annotations

import builtins
import sys

import pytest

from simulator.speech.engines import RecognizerUnavailable, make_recognizer
from simulator.speech.recognizer import StreamingRecognizer


@pytest.fixture
def no_optional_engines(monkeypatch):
    """Pretend vosk and faster_whisper are not installed, whatever this machine has."""
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.split(".")[0] in ("vosk", "faster_whisper"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    monkeypatch.delitem(sys.modules, "vosk", raising=False)
    monkeypatch.delitem(sys.modules, "faster_whisper", raising=False)


def test_pocketsphinx_is_the_default():
    assert isinstance(make_recognizer(), StreamingRecognizer)


@pytest.mark.parametrize(("engine", "message"), [
    ("vosk", "Vosk is selected in Settings but the vosk package is not installed: pip install vosk, or choose PocketSphinx"),
    ("whisper", "the faster-whisper package is not installed: pip install faster-whisper, or choose PocketSphinx"),
])
def test_missing_package_says_what_to_do(no_optional_engines, tmp_path, engine, message):
    with pytest.raises(RecognizerUnavailable) as info:
        make_recognizer(engine, tmp_path)
    assert message in str(info.value)


@pytest.mark.parametrize("engine", ["vosk", "faster-whisper"])
def test_missing_model_folder_is_named(monkeypatch, tmp_path, engine):
    import types

    monkeypatch.setitem(sys.modules, "vosk", types.ModuleType("vosk"))
    monkeypatch.setitem(sys.modules, "faster_whisper", types.ModuleType("faster_whisper"))
    missing = tmp_path / "x"
    with pytest.raises(RecognizerUnavailable) as info:
        make_recognizer(engine, missing)
    assert f"model folder {missing} does not exist" in str(info.value)
    assert "point Settings at its folder" in str(info.value)
    with pytest.raises(RecognizerUnavailable, match="needs a model folder"):
        make_recognizer(engine, None)


def test_a_broken_vosk_model_folder_is_reported(monkeypatch, tmp_path):
    import types

    vosk = types.ModuleType("vosk")

    def model(path):
        raise Exception("Failed to create a model")

    vosk.Model = model
    monkeypatch.setitem(sys.modules, "vosk", vosk)
    with pytest.raises(RecognizerUnavailable, match="could not be loaded"):
        make_recognizer("vosk", tmp_path)


def test_unknown_engine():
    with pytest.raises(RecognizerUnavailable, match="unknown recogniser"):
        make_recognizer("dragon")


def test_only_whisper_asks_not_to_be_finished_early():
    """The listener finishes a streaming recogniser at each pause; Whisper decodes all at the end."""
    from simulator.speech.engines import VoskRecognizer, WhisperRecognizer
    from simulator.speech.recognizer import StreamingRecognizer

    assert WhisperRecognizer.streaming is False
    assert getattr(VoskRecognizer, "streaming", True) and getattr(StreamingRecognizer, "streaming", True)
