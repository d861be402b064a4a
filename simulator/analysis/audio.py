"""Reading a reply's audio: WAV files and live PCM into 16 kHz mono float samples, with plain errors.

Only numpy: the stdlib `wave` module of Python 3.11 refuses float and WAVE_FORMAT_EXTENSIBLE files,
which some recorders write, so the RIFF chunks are read here.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 16_000

_PCM = 0x0001
_FLOAT = 0x0003
_EXTENSIBLE = 0xFFFE

# Sample rates a recorder writes: 8 kHz telephone audio to 192 kHz studio files. A header outside
# them is damaged (one claiming 1 Hz made resampling to 16 kHz take gigabytes).
MIN_RATE = 4_000
MAX_RATE = 384_000
# Recorders write 1-8 channels; a header claiming thousands would pass a huge file off as a short one.
MAX_CHANNELS = 32

# Below this peak (about -80 dBFS) a file holds no usable sound: only dither or a muted microphone.
_SILENT_PEAK = 1e-4


class AudioError(Exception):
    """A WAV file or buffer that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Audio:
    """Mono samples as float32 in -1..1 and their sample rate."""

    samples: np.ndarray
    rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate if self.rate else 0.0


@dataclass(frozen=True)
class WavHeader:
    """What a WAV file's header says, read without loading its samples."""

    tag: int  # _PCM or _FLOAT (an EXTENSIBLE file's sub-format), else what the file names
    channels: int
    rate: int
    bits: int
    data_bytes: int  # the data chunk's size, or the bytes after its header when the size is unset
    extensible: bool

    @property
    def duration(self) -> float:
        frame = self.channels * max(1, self.bits // 8)
        return self.data_bytes / frame / self.rate if self.rate and frame else 0.0

    @property
    def plain_pcm16(self) -> bool:
        """What the standard library's `wave` module (and SpeechRecognition) read as they are."""
        return self.tag == _PCM and self.bits == 16 and not self.extensible


def read_header(path: str | Path) -> WavHeader:
    """The format and length of a WAV file from its chunk headers (a few reads, whatever its size),
    so a damaged or absurd file is refused before its samples are read. Raises AudioError."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            size = path.stat().st_size
            head = handle.read(12)
            if len(head) < 12 or head[:4] not in (b"RIFF", b"RIFX") or head[8:12] != b"WAVE":
                raise AudioError(f"{path}: not a WAV file (no RIFF/WAVE header)")
            fmt: tuple[int, int, int, int, bool] | None = None
            data_bytes: int | None = None
            pos = 12
            while pos + 8 <= size:
                handle.seek(pos)
                chunk = handle.read(8)
                if len(chunk) < 8:
                    break
                chunk_id, (length,) = chunk[:4], struct.unpack("<I", chunk[4:])
                if chunk_id == b"fmt ":
                    body = handle.read(min(length, 64))
                    if len(body) < 16:
                        raise AudioError(f"{path}: corrupt WAV (format chunk too short)")
                    tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", body)
                    extensible = tag == _EXTENSIBLE and len(body) >= 26
                    if extensible:
                        (tag,) = struct.unpack_from("<H", body, 24)
                    fmt = (tag, channels, rate, bits, extensible)
                elif chunk_id == b"data":
                    available = size - pos - 8
                    data_bytes = available if length == 0 or length > available else length
                if fmt is not None and data_bytes is not None:
                    return _checked(path, WavHeader(*fmt[:4], data_bytes, fmt[4]))
                pos += 8 + length + (length & 1)
    except OSError as exc:
        raise AudioError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    raise AudioError(f"{path}: corrupt WAV (no {'audio data' if fmt else 'format'} chunk)")


def _checked(path: Path, header: WavHeader) -> WavHeader:
    if not 1 <= header.channels <= MAX_CHANNELS or not MIN_RATE <= header.rate <= MAX_RATE:
        raise AudioError(f"{path}: the header claims {header.channels} channel(s) at a sample rate of "
                         f"{header.rate:,} Hz; recordings are {MIN_RATE:,}-{MAX_RATE:,} Hz, so the file is "
                         "damaged: record or convert it again")
    return header


def load_wav(path: str | Path, rate: int = RATE) -> Audio:
    """Read a PCM (8/16/24/32-bit) or float WAV file, mix to mono and resample to `rate`."""
    path = Path(path)
    if not path.exists():
        raise AudioError(f"{path}: no such file")
    if path.is_dir():
        raise AudioError(f"{path}: is a folder, not a WAV file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AudioError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not data:
        raise AudioError(f"{path}: the file is empty")
    samples, file_rate = _decode_wav(data, path)
    if samples.size == 0:
        raise AudioError(f"{path}: the file holds no audio samples")
    if float(np.max(np.abs(samples))) < _SILENT_PEAK:
        raise AudioError(f"{path}: the recording is silent")
    return Audio(resample(samples, file_rate, rate), rate)


def from_pcm16(data: bytes, rate: int, channels: int = 1, target_rate: int = RATE) -> Audio:
    """Live capture: signed 16-bit little-endian PCM (interleaved if `channels` > 1) to `Audio`."""
    if rate <= 0:
        raise AudioError(f"live audio: impossible sample rate {rate}")
    frame = 2 * channels
    usable = len(data) - len(data) % frame
    pcm = np.frombuffer(data[:usable], dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        pcm = pcm.reshape(-1, channels).mean(axis=1)
    return Audio(resample(pcm, rate, target_rate), target_rate)


def resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Band-limited resampling through the FFT (exact for any ratio; zero-padded against wrap-round)."""
    samples = np.asarray(samples, dtype=np.float32)
    if rate == target or samples.size == 0:
        return samples
    n_out = int(round(samples.size * target / rate))
    pad = min(samples.size, rate // 10)
    padded = np.concatenate([samples, np.zeros(pad, dtype=np.float32)])
    n_in = padded.size
    n_res = int(round(n_in * target / rate))
    spectrum = np.fft.rfft(padded)
    keep = min(spectrum.size, n_res // 2 + 1)
    out_spec = np.zeros(n_res // 2 + 1, dtype=np.complex128)
    out_spec[:keep] = spectrum[:keep]
    out = np.fft.irfft(out_spec, n_res) * (n_res / n_in)
    return np.clip(out[:n_out], -1.0, 1.0).astype(np.float32)


def _decode_wav(data: bytes, path: Path) -> tuple[np.ndarray, int]:
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RIFX") or data[8:12] != b"WAVE":
        raise AudioError(f"{path}: not a WAV file (no RIFF/WAVE header)")
    if data[:4] == b"RIFX":
        raise AudioError(f"{path}: big-endian WAV (RIFX) is not supported; re-save it as ordinary WAV")
    fmt: tuple[int, int, int, int] | None = None
    payload: bytes | None = None
    pos = 12
    while pos + 8 <= len(data):
        chunk_id = data[pos : pos + 4]
        (size,) = struct.unpack_from("<I", data, pos + 4)
        body = data[pos + 8 : pos + 8 + size]
        if chunk_id == b"fmt ":
            if len(body) < 16:
                raise AudioError(f"{path}: corrupt WAV (format chunk too short)")
            tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", body)
            if tag == _EXTENSIBLE and len(body) >= 26:
                (tag,) = struct.unpack_from("<H", body, 24)
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            # Recorders that were interrupted leave a size of 0 or too large: take what is there.
            payload = data[pos + 8 :] if size == 0 or size > len(data) - pos - 8 else body
            if fmt is not None:
                break
        pos += 8 + size + (size & 1)
    if fmt is None:
        raise AudioError(f"{path}: corrupt WAV (no format chunk)")
    if payload is None:
        raise AudioError(f"{path}: corrupt WAV (no audio data chunk)")
    tag, channels, rate, bits = fmt
    if not 1 <= channels <= MAX_CHANNELS or not MIN_RATE <= rate <= MAX_RATE:
        _checked(path, WavHeader(tag, channels, rate, bits, 0, False))
    width = bits // 8
    if tag == _PCM and bits in (8, 16, 24, 32):
        samples = _pcm_to_float(payload, width)
    elif tag == _FLOAT and bits in (32, 64):
        usable = len(payload) - len(payload) % width
        samples = np.frombuffer(payload[:usable], dtype="<f4" if bits == 32 else "<f8")
        samples = np.nan_to_num(samples.astype(np.float32), nan=0.0, posinf=1.0, neginf=-1.0)
        samples = np.clip(samples, -1.0, 1.0)
    else:
        kind = {_PCM: "PCM", _FLOAT: "float"}.get(tag, f"format code {tag:#06x}")
        raise AudioError(f"{path}: unsupported WAV encoding ({kind}, {bits}-bit); use 16-bit PCM")
    usable = samples.size - samples.size % channels
    samples = samples[:usable]
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return samples.astype(np.float32), rate


def _pcm_to_float(payload: bytes, width: int) -> np.ndarray:
    usable = len(payload) - len(payload) % width
    raw = np.frombuffer(payload[:usable], dtype=np.uint8)
    if width == 1:
        return (raw.astype(np.float32) - 128.0) / 128.0
    if width == 2:
        return raw.view("<i2").astype(np.float32) / 32768.0
    if width == 4:
        return (raw.view("<i4").astype(np.float64) / 2147483648.0).astype(np.float32)
    # 24-bit: place the three bytes in the top of an int32 so the sign comes out right.
    triples = raw.reshape(-1, 3).astype(np.int32)
    ints = (triples[:, 0] << 8) | (triples[:, 1] << 16) | (triples[:, 2] << 24)
    return (ints.astype(np.float64) / 2147483648.0).astype(np.float32)
