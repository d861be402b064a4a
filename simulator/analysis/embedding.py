"""Sentence meaning for the wording judge: wordllama's 256-dimension static token embeddings, averaged.

The vectors ship inside the `wordllama` wheel (MIT; `weights/l2_supercat_256.safetensors`, 16 MB,
and its tokenizer); nothing is downloaded. Only the two files are read (the package's own loader
is not imported: it would reach for the network when a file is missing), and both are checked
against the SHA-256 they had in the pinned version before use. Without them, the judge works on
its phrase lists and word model alone and says so once (see `status`).
"""

from __future__ import annotations

import functools
import json
import logging
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulator.analysis import bundled
from simulator.analysis.bundled import Bundle, BundleUnavailable

log = logging.getLogger(__name__)

PACKAGE = "wordllama"
VERSION = "0.4.0.post1"
WEIGHTS = ("weights/l2_supercat_256.safetensors",
           "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5")
TOKENIZER = ("tokenizers/l2_supercat_tokenizer_config.json",
             "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68")
DIM = 256


BUNDLE = Bundle(PACKAGE, PACKAGE, VERSION, "the sentence vectors",
                "the wording judge uses its phrase lists and word model only")
EmbeddingUnavailable = BundleUnavailable


def _package_dir() -> Path:
    return BUNDLE.folder()


def _checked(root: Path, relative: str, sha256: str) -> bytes:
    return BUNDLE.read(root, relative, sha256)


def _read_safetensors(data: bytes, path: str) -> np.ndarray:
    # The format is an 8-byte little-endian header length, a JSON header, then the raw tensor.
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    entry = header.get("embedding.weight")
    if not entry or entry.get("dtype") != "F16" or entry.get("shape", [0, 0])[1] != DIM:
        raise EmbeddingUnavailable(f"{path}: unexpected tensor layout {entry!r}")
    start, end = entry["data_offsets"]
    matrix = np.frombuffer(data, dtype="<f2", count=(end - start) // 2, offset=8 + n + start)
    return matrix.reshape(entry["shape"]).astype(np.float32)


@dataclass(frozen=True)
class Encoder:
    """Turns text into a unit-length 256-dimension vector (the mean of its token vectors)."""

    matrix: np.ndarray
    tokenizer: object

    def ids(self, text: str) -> list[int]:
        return list(self.tokenizer.encode(text, add_special_tokens=False).ids)  # type: ignore[attr-defined]

    def embed(self, text: str) -> np.ndarray:
        return self._pool(self.ids(text))

    def embed_many(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), np.float32)
        # encode_batch hands work to a thread pool: worth it for a file of replies, slower for one reply.
        if len(texts) >= 64:
            encodings = self.tokenizer.encode_batch(texts, add_special_tokens=False)  # type: ignore[attr-defined]
        else:
            encodings = [self.tokenizer.encode(t, add_special_tokens=False) for t in texts]  # type: ignore[attr-defined]
        return np.stack([self._pool(list(e.ids)) for e in encodings])

    def _pool(self, ids: list[int]) -> np.ndarray:
        if not ids:
            return np.zeros(DIM, np.float32)
        v = self.matrix[ids].mean(axis=0)
        norm = float(np.linalg.norm(v))
        return v / norm if norm > 0 else v


@functools.cache
def _load() -> Encoder | str:
    try:
        root = _package_dir()
        weights = _read_safetensors(_checked(root, *WEIGHTS), WEIGHTS[0])
        tok_json = _checked(root, *TOKENIZER)
        try:
            tokenizer = bundled.plain_tokenizer(tok_json)  # tokenizers: loaded only when the vectors are
        except ImportError:
            raise EmbeddingUnavailable("the 'tokenizers' package is missing; reinstall with: "
                                       f"{BUNDLE.install(force=True)}") from None
        return Encoder(weights, tokenizer)
    except EmbeddingUnavailable as exc:
        log.warning("Sentence vectors unavailable: %s", exc)
        return str(exc)


def encoder() -> Encoder | None:
    """The shared encoder, loaded once; None when the vectors are unavailable (see `status`)."""
    return bundled.ready(_load(), Encoder)


def status() -> str:
    """'ok', or why the judge runs without sentence vectors (for `simulator doctor`-style reports)."""
    return bundled.status(_load())
