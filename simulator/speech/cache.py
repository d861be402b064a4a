"""The on-disk cache of rendered customer lines: one WAV per (text, delivery, engine) under cache_dir()/voice.

A line's key hashes everything that changes its sound: the text, the delivery settings (voice id,
rate, pitch, volume, pauses, and the pitch shift, range and timbre applied after synthesis), the engine's name and version and `FORMAT_VERSION`, so a new text, a
new voice or an upgraded engine renders afresh and stale files are simply never asked for again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from simulator import paths
from simulator.speech.voices import Delivery

# Raise when the post-processing or the WAV layout changes, so old renders are not reused.
FORMAT_VERSION = 2  # 2: pitch range and timbre reshaped after synthesis; natural engines


def line_key(text: str, delivery: Delivery, engine_id: str) -> str:
    payload = {"format": FORMAT_VERSION, "text": text, "delivery": asdict(delivery),
               "engine": engine_id}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class VoiceCache:
    """Rendered lines on disk. Safe to share between threads: files appear atomically."""

    def __init__(self, root: Path | None = None):
        self.root = root if root is not None else paths.cache_dir() / "voice"
        self.hits = 0
        self.misses = 0

    def path(self, key: str) -> Path:
        # Two-character folders keep any one folder small on file systems that slow down.
        return self.root / key[:2] / f"{key}.wav"

    def get(self, key: str) -> Path | None:
        path = self.path(key)
        if path.is_file() and path.stat().st_size > 44:
            self.hits += 1
            return path
        self.misses += 1
        return None

    def put(self, key: str, wav: bytes) -> Path:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(wav)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def files(self) -> list[Path]:
        return sorted(self.root.glob("*/*.wav")) if self.root.is_dir() else []

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files())

    def clear(self) -> None:
        for path in self.files():
            path.unlink(missing_ok=True)
