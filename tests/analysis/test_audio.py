"""Tests for reading WAV files and live PCM: formats, resampling and the errors for bad files."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

from simulator.analysis.audio import RATE, AudioError, from_pcm16, load_wav, resample

needs_sox = pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed")


def _sox_tone(path: Path, *, rate: int, channels: int, bits: int, encoding: str = "signed-integer"):
    subprocess.run(
        ["sox", "-R", "-n", "-r", str(rate), "-c", str(channels), "-b", str(bits), "-e", encoding,
         str(path), "synth", "0.5", "sine", "440", "vol", "0.5"],
        check=True,
    )
    return path


def _dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1.0 / rate)[np.argmax(spectrum)])


@needs_sox
@pytest.mark.parametrize(
    ("rate", "channels", "bits", "encoding"),
    [
        (16000, 1, 16, "signed-integer"),
        (8000, 1, 8, "unsigned-integer"),
        (44100, 2, 16, "signed-integer"),
        (48000, 1, 24, "signed-integer"),
        (22050, 1, 32, "signed-integer"),
        (16000, 2, 32, "floating-point"),
    ],
)
def test_formats_load_as_16k_mono(tmp_path, rate, channels, bits, encoding):
    path = _sox_tone(tmp_path / "tone.wav", rate=rate, channels=channels, bits=bits, encoding=encoding)
    audio = load_wav(path)
    assert audio.rate == RATE
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert audio.duration == pytest.approx(0.5, abs=0.01)
    assert float(np.max(np.abs(audio.samples))) == pytest.approx(0.5, abs=0.05)
    assert _dominant_hz(audio.samples, audio.rate) == pytest.approx(440, abs=5)


def test_extensible_header_is_read(tmp_path):
    samples = (np.sin(2 * np.pi * 300 * np.arange(1600) / 16000) * 16000).astype("<i2")
    fmt = struct.pack("<HHIIHHHHIH14s", 0xFFFE, 1, 16000, 32000, 2, 16, 22, 16, 4, 1, b"\x00" * 14)
    data = samples.tobytes()
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path = tmp_path / "ext.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    assert load_wav(path).duration == pytest.approx(0.1)


def test_missing_file(tmp_path):
    with pytest.raises(AudioError, match="no such file") as err:
        load_wav(tmp_path / "nope.wav")
    assert "nope.wav" in str(err.value)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(AudioError, match="empty"):
        load_wav(path)


def test_not_a_wav(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("this is a text file, not audio\n")
    with pytest.raises(AudioError, match="not a WAV file"):
        load_wav(path)


def test_corrupt_wav(tmp_path):
    path = tmp_path / "corrupt.wav"
    path.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00")
    with pytest.raises(AudioError, match="corrupt") as err:
        load_wav(path)
    assert str(path) in str(err.value)


def test_header_without_samples(tmp_path):
    fmt = struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 16)
    body = b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", 0)
    path = tmp_path / "nothing.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    with pytest.raises(AudioError, match="no audio samples"):
        load_wav(path)


def test_silent_wav(tmp_path):
    fmt = struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 16)
    data = bytes(32000)
    body = b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path = tmp_path / "silent.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    with pytest.raises(AudioError, match="silent"):
        load_wav(path)


def test_folder_is_not_a_wav(tmp_path):
    with pytest.raises(AudioError, match="folder"):
        load_wav(tmp_path)


def test_from_pcm16_resamples_and_mixes():
    t = np.arange(4410) / 44100
    tone = (np.sin(2 * np.pi * 500 * t) * 10000).astype("<i2")
    stereo = np.stack([tone, tone], axis=1).tobytes()
    audio = from_pcm16(stereo, 44100, channels=2)
    assert audio.rate == RATE
    assert audio.duration == pytest.approx(0.1, abs=0.001)
    assert _dominant_hz(audio.samples, RATE) == pytest.approx(500, abs=12)


def test_from_pcm16_ignores_a_torn_last_sample():
    assert len(from_pcm16(b"\x00\x10" * 160 + b"\x01", 16000).samples) == 160


def test_resample_keeps_length_and_level():
    x = np.sin(2 * np.pi * 200 * np.arange(48000) / 48000).astype(np.float32)
    y = resample(x, 48000, 16000)
    assert len(y) == 16000
    assert float(np.sqrt(np.mean(y[1000:-1000] ** 2))) == pytest.approx(np.sqrt(0.5), rel=0.01)
