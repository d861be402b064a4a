"""Microphone: the real QAudioSource captures what is played into the virtual mic."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import pytest

from simulator.devices.microphone import Microphone, _to_pcm16_mono

pytestmark = pytest.mark.audio


def speak(text: str, out: Path, voice: str = "en-us") -> Path:
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True)
    subprocess.run(["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out),
                    "pad", "0.3", "0.8"], check=True)
    return out


def test_captures_a_reply_played_into_the_mic_and_reads_it_back(pulse, qtbot, tmp_path):
    from simulator.speech.adaptation import build_adaptation
    from simulator.speech.recognizer import transcribe_file

    wav = speak("thank you for your patience", tmp_path / "reply.wav")
    mic = Microphone()
    levels: list[float] = []
    chunks: list[bytes] = []
    mic.level.connect(levels.append)
    mic.chunk.connect(chunks.append)
    with qtbot.waitSignal(mic.started, timeout=5000):
        assert mic.start()
    player = pulse.play_into_mic(wav, wait=False)
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=15000)
    qtbot.wait(300)
    with qtbot.waitSignal(mic.finished, timeout=5000):
        mic.stop()

    saved = mic.save_wav(tmp_path / "captured.wav")
    with wave.open(str(saved)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16000, 1, 2)
        assert w.getnframes() > 16000 * 1.0
    assert b"".join(chunks) == mic.recording()
    assert max(levels) > 0.3, "speech should move the level meter"
    # The capture is the played file, whole: no dropped or repeated buffers.
    similarity = _similarity(wav, saved)
    assert similarity > 0.9, f"captured audio differs from what was played (correlation {similarity:.2f})"
    adaptation = build_adaptation(["Thank you for your patience, Dana"], ["Dana"])
    heard = transcribe_file(saved, adaptation)
    # espeak-ng's "thank" is often heard as "sorry"; the rest of the line must come through.
    assert len({"thank", "you", "for", "your", "patience"} & set(heard.text.split())) >= 2, heard.text


def _similarity(played: Path, captured: Path) -> float:
    """Peak normalised cross-correlation of the played file with the capture (1.0: identical)."""
    import numpy as np

    def samples(path: Path) -> np.ndarray:
        with wave.open(str(path)) as w:
            return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)

    a, b = samples(played), samples(captured)
    n = 1 << int(np.ceil(np.log2(len(a) + len(b))))
    xcorr = np.fft.irfft(np.fft.rfft(b, n) * np.conj(np.fft.rfft(a, n)), n)
    lag = int(np.argmax(np.abs(xcorr)))
    lag = lag if lag < n // 2 else lag - n
    ref, segment = a[max(-lag, 0):], b[max(lag, 0):]
    m = min(len(ref), len(segment))
    ref, segment = ref[:m], segment[:m]
    return float(abs(np.dot(ref, segment)) / (np.linalg.norm(ref) * np.linalg.norm(segment) + 1e-9))


def test_unknown_device_fails_with_a_message_naming_it(pulse, qtbot):
    mic = Microphone()
    with qtbot.waitSignal(mic.failed, timeout=2000) as blocker:
        assert not mic.start(b"no-such-mic")
    assert "no-such-mic" in blocker.args[0]
    assert not mic.active


def test_lists_the_virtual_microphone_first(pulse, qapp):
    ids = [device_id for device_id, _ in Microphone.devices()]
    assert ids[0] == b"mic"


def test_converts_a_48k_stereo_float_device_format():
    import numpy as np
    from PySide6.QtMultimedia import QAudioFormat

    fmt = QAudioFormat()
    fmt.setSampleRate(48000)
    fmt.setChannelCount(2)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Float)
    t = np.arange(4800) / 48000
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    stereo = np.repeat(tone, 2).tobytes()
    pcm = np.frombuffer(_to_pcm16_mono(stereo, fmt), dtype="<i2")
    assert len(pcm) == 1600
    assert 0.45 < pcm.max() / 32767 < 0.51
