"""The microphone: capture with Qt Multimedia as 16 kHz mono PCM16, a live input level, and the
recording of the current reply.

QAudioSource is used in pull mode (we read what its QIODevice has whenever it says readyRead),
which needs no extra thread and no PyAudio. When the device cannot deliver 16 kHz mono Int16,
it is opened in its preferred format and converted here with numpy.
"""

from __future__ import annotations

import math
import time
import wave
from pathlib import Path

import numpy as np
from PySide6.QtCore import QIODevice, QObject, QTimer, Signal
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSource, QMediaDevices, QtAudio

from simulator.devices.signals import safe_emit
from simulator.speech.recognizer import resample

SAMPLE_RATE = 16000
# The level meter updates at about 20 Hz, fast enough to look live, slow enough for widgets.
_LEVEL_INTERVAL = 0.05
# Level 0 is this many dB below full scale; quiet rooms sit near 0, normal speech at 0.5-0.8.
_LEVEL_FLOOR_DB = -60.0
# A device that has delivered audio and then sends nothing for this long has gone (a USB mic
# pulled out, a Bluetooth headset out of range). Qt reports neither as an error on PulseAudio: the
# stream just stops, or the server moves it elsewhere. Well above the ~64 ms Qt hands audio over.
_STALL_SECONDS = 1.5
# Before the first block, opening the stream may take a while (1.2-1.8 s measured on the virtual
# mic for a process's first stream), so silence from the start is given longer.
_FIRST_DATA_SECONDS = 5.0
# How often the device list is checked while capturing, in case `audioInputsChanged` was missed.
_DEVICE_CHECK_SECONDS = 0.5


def _to_pcm16_mono(data: bytes, fmt: QAudioFormat) -> bytes:
    """Convert a block in the device's format to 16 kHz mono PCM16."""
    sample_format = fmt.sampleFormat()
    if sample_format == QAudioFormat.SampleFormat.Int16:
        samples = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
    elif sample_format == QAudioFormat.SampleFormat.Int32:
        samples = np.frombuffer(data, dtype="<i4").astype(np.float32) / 2147483648.0
    elif sample_format == QAudioFormat.SampleFormat.Float:
        samples = np.frombuffer(data, dtype="<f4").astype(np.float32)
    elif sample_format == QAudioFormat.SampleFormat.UInt8:
        samples = (np.frombuffer(data, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    else:
        raise ValueError(f"unsupported sample format {sample_format}")
    channels = max(1, fmt.channelCount())
    if channels > 1:
        samples = samples[: len(samples) - len(samples) % channels].reshape(-1, channels).mean(axis=1)
    # Block by block, so each block's edges see a little filter ringing; at 100 ms blocks that
    # is a click the VAD and recogniser ignore.
    samples = resample(samples, fmt.sampleRate())
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def _level(pcm16: bytes) -> float:
    samples = np.frombuffer(pcm16, dtype="<i2").astype(np.float32)
    if not len(samples):
        return 0.0
    rms = math.sqrt(float(np.mean(samples * samples))) / 32768.0
    db = 20.0 * math.log10(max(rms, 1e-9))
    return max(0.0, min(1.0, 1.0 - db / _LEVEL_FLOOR_DB))


class Microphone(QObject):
    """Captures from one input device and hands out 16 kHz mono PCM16.

    Signals:
        started: capture has begun.
        finished: capture stopped (by `stop()` or after a failure).
        failed(str): capture could not start or broke off; the message names the device.
        level(float): the input level, 0..1, about 20 times a second.
        chunk(bytes): newly captured audio, 16 kHz mono PCM16.
    """

    started = Signal()
    finished = Signal()
    failed = Signal(str)
    level = Signal(float)
    chunk = Signal(bytes)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._media = QMediaDevices(self)
        self._media.audioInputsChanged.connect(self._on_audio_inputs_changed)
        self._source: QAudioSource | None = None
        self._io: QIODevice | None = None
        self._device: QAudioDevice | None = None
        self._format: QAudioFormat | None = None
        self._recording = bytearray()
        self._last_level = 0.0
        self._peak = 0.0
        self._started_at = 0.0
        self._last_data: float | None = None
        self._last_device_check = 0.0
        # Polls the source's state rather than connecting stateChanged: PySide6 6.12 cannot
        # convert that signal's QAudio::State argument for a Python slot. The same tick drains
        # audio a backend forgot to announce with readyRead.
        self._watch = QTimer(self)
        self._watch.setInterval(int(_LEVEL_INTERVAL * 1000))
        self._watch.timeout.connect(self._on_watch_timeout)

    @staticmethod
    def devices() -> list[tuple[bytes, str]]:
        """(id, description) of every input device, the default first."""
        inputs = QMediaDevices.audioInputs()
        inputs.sort(key=lambda d: not d.isDefault())
        return [(bytes(d.id().data()), d.description()) for d in inputs]

    @property
    def active(self) -> bool:
        return self._source is not None

    @property
    def device_description(self) -> str:
        return self._device.description() if self._device is not None else ""

    def recording(self) -> bytes:
        """Everything captured since the last `start()`, 16 kHz mono PCM16."""
        return bytes(self._recording)

    def start(self, device_id: bytes | None = None) -> bool:
        """Open the device (the system default when None) and start capturing.

        Returns False, after emitting `failed`, when it cannot.
        """
        self.stop()
        device = self._find(device_id)
        if device is None:
            return False
        fmt = QAudioFormat()
        fmt.setSampleRate(SAMPLE_RATE)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if not device.isFormatSupported(fmt):
            fmt = device.preferredFormat()
        self._device, self._format = device, fmt
        self._recording = bytearray()
        source = QAudioSource(device, fmt, self)
        # A 1 s buffer. It does not delay the audio (Qt still hands it over every ~64 ms when the
        # GUI thread is free), but it rides out the GUI thread being starved of the GIL: pocketsphinx
        # holds it while decoding (0.3-0.6 s for loading or `end_utt`), and with a 100 ms buffer a
        # reply lost 0.3-1 s of audio to overruns and was misrecognised (measured on the virtual mic).
        source.setBufferSize(fmt.bytesForDuration(1_000_000))
        self._source = source
        self._io = source.start()
        if self._io is None or source.error() != QtAudio.Error.NoError:
            self._fail(f"The microphone \"{device.description()}\" could not be opened "
                       f"({source.error().name}). Check that no other program is using it.")
            return False
        self._io.readyRead.connect(self._on_ready_read)
        self._started_at = self._last_device_check = time.monotonic()
        self._last_data = None
        self._watch.start()
        safe_emit(self.started)
        return True

    def stop(self) -> None:
        if self._source is None:
            return
        self._read_pending()
        source, self._source, self._io = self._source, None, None
        self._watch.stop()
        source.stop()
        source.deleteLater()
        safe_emit(self.level, 0.0)
        safe_emit(self.finished)

    def save_wav(self, path: Path | str) -> Path:
        """Write the current reply's recording as a 16 kHz mono 16-bit WAV."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(bytes(self._recording))
        return path

    def _find(self, device_id: bytes | None) -> QAudioDevice | None:
        inputs = QMediaDevices.audioInputs()
        if not inputs:
            self._fail("No microphone found. Plug one in, or check that the system sees it "
                       "(sound settings), then try again.")
            return None
        if device_id is None:
            default = QMediaDevices.defaultAudioInput()
            return default if not default.isNull() else inputs[0]
        for device in inputs:
            if bytes(device.id().data()) == bytes(device_id):
                return device
        names = ", ".join(f'"{d.description()}"' for d in inputs)
        self._fail(f"The microphone {bytes(device_id).decode(errors='replace')!r} is not "
                   f"connected. Choose another in Settings (available: {names}).")
        return None

    def _fail(self, message: str) -> None:
        source = self._source
        if source is not None:
            # What the device did deliver stays in `recording()`: nothing said is lost.
            self._read_pending()
            self._source, self._io = None, None
            self._watch.stop()
            source.stop()
            source.deleteLater()
        safe_emit(self.failed, message)
        if source is not None:
            safe_emit(self.finished)

    def _read_pending(self) -> None:
        if self._io is None or self._format is None:
            return
        data = bytes(self._io.readAll().data())
        if not data:
            return
        pcm = data if self._is_native() else _to_pcm16_mono(data, self._format)
        if len(pcm) % 2:
            pcm = pcm[:-1]
        self._last_data = time.monotonic()
        self._recording.extend(pcm)
        self._peak = max(self._peak, _level(pcm))
        now = time.monotonic()
        if now - self._last_level >= _LEVEL_INTERVAL:
            safe_emit(self.level, self._peak)
            self._last_level, self._peak = now, 0.0
        safe_emit(self.chunk, pcm)

    def _is_native(self) -> bool:
        fmt = self._format
        return (fmt is not None and fmt.sampleRate() == SAMPLE_RATE and fmt.channelCount() == 1
                and fmt.sampleFormat() == QAudioFormat.SampleFormat.Int16)

    def _on_ready_read(self) -> None:
        self._read_pending()

    def _on_watch_timeout(self) -> None:
        source = self._source
        if source is None:
            return
        # Read first: a GUI thread that was busy (the recogniser holding the GIL) leaves audio
        # waiting in the buffer, which is not a stall.
        self._read_pending()
        if self._source is None:
            return
        now = time.monotonic()
        error = source.error()
        if source.state() == QtAudio.State.StoppedState and error != QtAudio.Error.NoError:
            self._fail(f"The microphone \"{self.device_description}\" stopped working "
                       f"({error.name}). Was it unplugged? Plug it back in and try again, or "
                       "choose another microphone in Settings.")
            return
        if now - self._last_device_check >= _DEVICE_CHECK_SECONDS:
            self._last_device_check = now
            if self._device_is_gone():
                return
        if self._last_data is not None:
            silent, limit = now - self._last_data, _STALL_SECONDS
        else:
            silent, limit = now - self._started_at, _FIRST_DATA_SECONDS
        if silent >= limit:
            self._fail(f"The microphone \"{self.device_description}\" stopped sending sound "
                       f"(nothing for {silent:.1f} s: unplugged?). Plug it back in and try again, "
                       "or choose another microphone in Settings.")

    def _on_audio_inputs_changed(self) -> None:
        self._device_is_gone()

    def _device_is_gone(self) -> bool:
        """Fail (and say so) when the device being captured is no longer in the system's list."""
        if self._device is None or self._source is None:
            return False
        wanted = bytes(self._device.id().data())
        if any(bytes(d.id().data()) == wanted for d in QMediaDevices.audioInputs()):
            return False
        self._fail(f"The microphone \"{self.device_description}\" was unplugged during your "
                   "reply. Plug it back in and try again, or choose another microphone in Settings.")
        return True
