"""`simulator assess --audio` with the WAVs phones and recorders write (24-bit, 32-bit integer, float,
WAVE_FORMAT_EXTENSIBLE), with headers that lie, with replies far too long, and with MP3/OGG."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from simulator.analysis.audio import load_wav
from simulator.speech.recognizer import word_error_rate

ROOT = Path(__file__).resolve().parents[2]
needs_tts = pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng")


def assess(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", "assess", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def write_wav(path: Path, samples: np.ndarray, rate: int, *, encoding: str = "pcm16",
              extensible: bool = False, channels: int = 1) -> Path:
    """A WAV as a recorder writes it: `encoding` pcm16, pcm24, pcm32 or float32."""
    samples = np.repeat(samples[:, None], channels, axis=1).reshape(-1) if channels > 1 else samples
    if encoding == "float32":
        tag, bits, data = 3, 32, samples.astype("<f4").tobytes()
    elif encoding == "pcm32":
        tag, bits, data = 1, 32, (samples * 2147483000).astype("<i4").tobytes()
    elif encoding == "pcm24":
        ints = (samples * 8388000).astype("<i4").tobytes()
        tag, bits, data = 1, 24, b"".join(ints[i:i + 3] for i in range(0, len(ints), 4))
    else:
        tag, bits, data = 1, 16, (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    block = channels * bits // 8
    if extensible:
        # cbSize 22, valid bits, channel mask, then the sub-format GUID whose first two bytes are the tag.
        guid = struct.pack("<H", tag) + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, channels, rate, rate * block, block, bits, 22, bits,
                          (1 << channels) - 1) + guid
    else:
        fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def spoken(tmp_path: Path, text: str = "I am sorry you have been waiting so long") -> tuple[np.ndarray, int]:
    raw = tmp_path / "espeak.wav"
    subprocess.run(["espeak-ng", "-w", str(raw), text], check=True)
    audio = load_wav(raw, rate=22050)
    return audio.samples, audio.rate


@needs_tts
@pytest.mark.parametrize(("encoding", "extensible", "channels"), [
    ("pcm24", False, 1), ("pcm32", False, 1), ("float32", False, 1),
    ("pcm16", True, 1), ("pcm24", True, 2), ("float32", True, 1),
], ids=["24-bit", "32-bit", "float", "extensible-16", "extensible-24-stereo", "extensible-float"])
def test_every_pcm_wav_a_recorder_writes_is_heard(tmp_path, encoding, extensible, channels):
    samples, rate = spoken(tmp_path)
    reference = write_wav(tmp_path / "reference.wav", samples, rate)
    path = write_wav(tmp_path / "reply.wav", samples, rate, encoding=encoding, extensible=extensible,
                     channels=channels)
    expected = json.loads(assess("--audio", str(reference), "--json").stdout)["transcript"]
    done = assess("--audio", str(path), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    # Heard as the 16-bit copy is: the words may differ by a rounding of the samples, not wholesale.
    edits, words = word_error_rate(expected, out["transcript"])
    assert out["transcript"] and edits <= words // 3, (expected, out["transcript"])
    assert out["tone"] is not None


def test_a_header_claiming_one_hertz_is_refused_at_once(tmp_path):
    noise = np.random.default_rng(1).uniform(-0.5, 0.5, 16000).astype(np.float32)
    path = write_wav(tmp_path / "reply.wav", noise, 1)
    assert path.stat().st_size < 40_000
    began = time.perf_counter()
    done = assess("--audio", str(path), timeout=60)
    assert time.perf_counter() - began < 30
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert str(path) in done.stderr and "sample rate" in done.stderr and "1 Hz" in done.stderr


def test_a_reply_over_two_minutes_is_refused_before_it_is_read(tmp_path):
    noise = np.random.default_rng(2).uniform(-0.3, 0.3, 8000 * 150).astype(np.float32)  # 150 s at 8 kHz
    path = write_wav(tmp_path / "reply.wav", noise, 8000)
    began = time.perf_counter()
    done = assess("--audio", str(path), timeout=60)
    assert time.perf_counter() - began < 30
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert str(path) in done.stderr and "2 minutes" in done.stderr and "2 min 30 s" in done.stderr


@pytest.mark.parametrize(("head", "kind"), [
    (b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(200), "MP3"),
    (b"\xff\xfb\x90\x64" + bytes(200), "MP3"),
    (b"OggS\x00\x02" + bytes(200), "OGG"),
], ids=["mp3-id3", "mp3-frame", "ogg"])
def test_mp3_and_ogg_say_how_to_convert(tmp_path, head, kind):
    path = tmp_path / f"reply.{kind.lower()}"
    path.write_bytes(head)
    done = assess("--audio", str(path), timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    message = done.stderr.strip()
    assert str(path) in message and kind in message
    assert "ffmpeg -i" in message and "sox" in message and "reply.wav" in message


def test_a_header_claiming_thousands_of_channels_is_refused(tmp_path):
    # 1,000 channels would make 4 MB of samples pass for a quarter of a second.
    noise = np.random.default_rng(4).uniform(-0.3, 0.3, 16000).astype(np.float32)
    path = write_wav(tmp_path / "reply.wav", noise, 16000)
    data = bytearray(path.read_bytes())
    data[22:24] = (1000).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    done = assess("--audio", str(path), timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert str(path) in done.stderr and "1000 channel(s)" in done.stderr
