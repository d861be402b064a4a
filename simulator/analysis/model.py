"""The statistical half of the wording judge: logistic regressions over words, word pairs, rule findings and meaning.

The rubric (phrases.yaml) names techniques and triggers and quotes them; it cannot name every way
of being sarcastic, accusing or kind. This model, trained by bench/train_wording_model.py on the
labelled replies in bench/data and shipped as wording_model.json, has two parts:
- the intent model reads the whole reply (its words and word pairs, what the rules found, and its
  meaning from simulator.analysis.embedding) and says which intent it resembles; matching.py
  asks it only when the rules found no trigger, so a trigger a rule found always wins;
- technique heads read each sentence's vector and say whether it reflects a feeling, says back
  what happened or asks an open question, so a technique in words no list holds is still found,
  and quoted: the sentence that showed it is the evidence.
Without the sentence vectors (see embedding.status()) the word features still work alone.

The intent model's meaning ("pooling" in the file): "mean" is one averaged vector of the whole
reply; "negation" is two, that one and the average of the words a negation reaches ("I'm not
going to tell you to calm down": "going to tell you to calm down"), so the model can learn that
"calm down" said to reassure does not weigh like the order. One average cannot tell them apart.
"negation+context" adds the reply read in context (simulator.analysis.sentence_encoder, a small
transformer: word order and negation are in its vector), 384 numbers after the two averages.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from simulator.fileio import ModelFileError, verified_bytes

MODEL_PATH = Path(__file__).with_name("wording_model.json")
log = logging.getLogger(__name__)
CLASSES: tuple[str, ...] = ("deescalate", "neutral", "escalate")
# How the intent model's vector is made, and how many sentence vectors long it is.
POOLINGS = {"mean": 1, "negation": 2, "negation+context": 2}


@dataclass(frozen=True)
class Feature:
    """One feature of a reply, and which of its tokens showed it (none for rule findings)."""

    name: str
    first: int = -1
    last: int = -1


def features(words: Sequence[str], question: bool, techniques: Sequence[str], triggers: Sequence[str]) -> list[Feature]:
    """The features of a normalised reply: its words, adjacent pairs, how sentences open, what the rules found.

    `words` are the normalised tokens ("." ends a sentence, "," a clause); `question` says whether
    the typed text asked a question (speech has no question marks, so it is only a hint).
    """
    out: list[Feature] = []
    prev = "^"
    prev_i = -1
    for i, w in enumerate(words):
        if w == ",":
            continue
        if w == ".":
            prev, prev_i = "^", -1
            continue
        out.append(Feature("w:" + w, i, i))
        out.append(Feature(f"b:{prev}_{w}", prev_i if prev_i >= 0 else i, i))
        prev, prev_i = w, i
    if question:
        out.append(Feature("q:question"))
    for name in techniques:
        out.append(Feature("t:" + name))
    for name in triggers:
        out.append(Feature("g:" + name))
    # No feature says "nothing was found" or "short": with them the model learnt that a short reply
    # no list knows is probably a put-down (so many written put-downs are short), and judged "Got it."
    # and "Have a good night." by that prior instead of by their words.
    return out


@dataclass(frozen=True)
class Reading:
    """What the model made of a reply: a probability per intent, and the words that weighed most."""

    probabilities: dict[str, float]
    # The word features found and their weights, for `leaning` (worked out only when asked).
    contributions: tuple[tuple[Feature, tuple[float, ...]], ...] = ()

    @property
    def intent(self) -> str:
        return max(self.probabilities, key=self.probabilities.__getitem__)

    @property
    def leaning(self) -> dict[str, tuple[Feature, ...]]:
        """For each intent, the word features that pushed hardest towards it, strongest first."""
        out: dict[str, tuple[Feature, ...]] = {}
        for c, name in enumerate(CLASSES):
            # How much more a feature favours this intent than the others.
            margin = [(w[c] - max(w[k] for k in range(len(CLASSES)) if k != c), f) for f, w in self.contributions]
            ranked = sorted((m for m in margin if m[0] > 0), key=lambda m: -m[0])
            out[name] = tuple(f for _, f in ranked[:4])
        return out


@dataclass(frozen=True)
class Head:
    """A yes/no reading of one sentence vector: does it show this technique?"""

    name: str
    weights: np.ndarray  # (DIM,)
    bias: float
    # The probability a sentence needs; chosen on the development split for precision.
    threshold: float

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(vectors @ self.weights + self.bias)))


@dataclass(frozen=True)
class Neighbours:
    """Replies the model was trained on, summed up as points of meaning: each is the centre of a
    group of training replies of one intent, read in context (sentence_encoder), with the share of
    each intent among the replies nearest it. A reply's neighbours are the `k` centres nearest its
    own reading; what they held is a second opinion beside the linear model's, which one straight
    line through the space of meaning cannot give: put-downs sit in many small places of it.
    """

    centres: np.ndarray  # (n, DIM) unit vectors
    labels: np.ndarray  # (n, len(CLASSES)): the share of each intent among a centre's replies
    k: int = 5
    weight: float = 0.5  # how much of the escalate reading is theirs
    # Shorter replies are read without them: "Got it." and "Sir, your change." sit among the short
    # orders ("Out.", "Move it.") there, since a few words say little of their meaning in context.
    min_words: int = 0

    def escalate_share(self, vector: np.ndarray) -> float:
        """The share of escalating replies near `vector`, nearer centres weighing more."""
        similarity = self.centres @ vector
        k = min(self.k, len(similarity))
        nearest = np.argpartition(-similarity, k - 1)[:k]
        closeness = np.maximum(similarity[nearest], 0.0) ** 3
        total = float(closeness.sum())
        if total <= 0:
            return 0.0
        return float(closeness @ self.labels[nearest, CLASSES.index("escalate")]) / total

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        np.savez_compressed(out, centres=self.centres.astype(np.float16), labels=self.labels.astype(np.float16),
                            k=np.int32(self.k), weight=np.float32(self.weight), min_words=np.int32(self.min_words))
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Neighbours:
        with np.load(io.BytesIO(data), allow_pickle=False) as f:
            return cls(f["centres"].astype(np.float32), f["labels"].astype(np.float32), int(f["k"]), float(f["weight"]),
                       int(f["min_words"]))


class WordingModel:
    """Weights per feature and intent, read from wording_model.json; optionally sentence-vector weights and heads."""

    def __init__(self, weights: dict[str, list[float]], bias: list[float], meta: dict[str, object],
                 dense: np.ndarray | None = None, heads: Sequence[Head] = (), pooling: str = "mean",
                 neighbours: Neighbours | None = None) -> None:
        if pooling not in POOLINGS:
            raise ValueError(f"unknown pooling {pooling!r}, expected one of {sorted(POOLINGS)}")
        self.weights = weights
        self.bias = bias
        self.meta = meta
        # (DIM * POOLINGS[pooling] (+ the context encoder's DIM), len(CLASSES)): how the reply's
        # meaning moves each intent's score.
        self.dense = dense
        self.heads = tuple(heads)
        self.pooling = pooling
        # Read with the reply in context (pooling "+context"): the last DIM numbers of its vector.
        self.neighbours = neighbours

    @property
    def uses_context(self) -> bool:
        """Whether the intent model reads the reply in context too (sentence_encoder's vectors)."""
        return self.pooling.endswith("+context")

    @property
    def uses_vectors(self) -> bool:
        return self.dense is not None or bool(self.heads)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WordingModel:
        classes = tuple(data.get("classes", ()))
        if classes != CLASSES:
            raise ValueError(f"the model's classes are {classes}, expected {CLASSES}")
        weights = {str(k): [float(x) for x in v] for k, v in data["weights"].items()}
        dense = np.asarray(data["dense"], dtype=np.float32) if data.get("dense") else None
        heads = [Head(str(name), np.asarray(h["weights"], dtype=np.float32), float(h["bias"]), float(h["threshold"]))
                 for name, h in (data.get("heads") or {}).items()]
        return cls(weights, [float(x) for x in data["bias"]], dict(data.get("meta", {})), dense, heads,
                   str(data.get("pooling", "mean")))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"classes": list(CLASSES), "bias": self.bias, "meta": self.meta,
                               "pooling": self.pooling}
        if self.dense is not None:
            out["dense"] = [[round(float(v), 4) for v in row] for row in self.dense]
        if self.heads:
            out["heads"] = {h.name: {"threshold": h.threshold, "bias": round(h.bias, 4),
                                     "weights": [round(float(v), 4) for v in h.weights]} for h in self.heads}
        out["weights"] = dict(sorted(self.weights.items()))
        return out

    def sentence_scores(self, vectors: np.ndarray) -> np.ndarray:
        """How much each sentence's meaning (pooled as `pooling` says) pushes towards each intent:
        (sentences, len(CLASSES))."""
        if self.dense is None:
            return np.zeros((len(vectors), len(CLASSES)), np.float32)
        return vectors @ self.dense

    def read(self, feats: Sequence[Feature], vector: np.ndarray | None = None, explain: bool = True,
             words: int = 0) -> Reading:
        """The model's reading of a reply's features and vector. `words`: how many words a whole
        reply read in context has (0 for a sentence or a reply read without context); from their
        `min_words`, its escalate probability is shared with what its `Neighbours` held."""
        scores = list(self.bias)
        if vector is not None and self.dense is not None:
            for c, v in enumerate(vector @ self.dense):
                scores[c] += float(v)
        contributions: list[tuple[Feature, list[float]]] = []
        seen: set[str] = set()
        for f in feats:
            # Presence, not counts: saying "sorry" twice is not twice the apology.
            if f.name in seen:
                continue
            seen.add(f.name)
            w = self.weights.get(f.name)
            if w is None:
                continue
            for c in range(len(CLASSES)):
                scores[c] += w[c]
            if f.first >= 0 and explain:
                contributions.append((f, w))
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        probs = {c: e / total for c, e in zip(CLASSES, exps, strict=True)}
        near = self.neighbours
        if near is not None and words and words >= near.min_words and vector is not None and self.uses_context:
            before = probs["escalate"]
            after = (1 - near.weight) * before + near.weight * near.escalate_share(vector[-near.centres.shape[1]:])
            rest = (1 - after) / (1 - before) if before < 1 else 0.0
            probs = {c: after if c == "escalate" else p * rest for c, p in probs.items()}
        return Reading(probs, tuple((f, tuple(w)) for f, w in contributions))


def neighbours_file(path: Path) -> Path:
    """Where the model at `path` keeps its `Neighbours` (beside it: wording_model.npz)."""
    return path.with_suffix(".npz")


def save_model(model: WordingModel, path: Path = MODEL_PATH) -> None:
    """Write the model as JSON, and its neighbours beside it with their SHA-256 in the JSON."""
    data = model.to_dict()
    if model.neighbours is not None:
        blob = model.neighbours.to_bytes()
        neighbours_file(path).write_bytes(blob)
        data["neighbours"] = {"file": neighbours_file(path).name, "sha256": hashlib.sha256(blob).hexdigest()}
    path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")


def _neighbours(path: Path, entry: dict[str, Any]) -> Neighbours | None:
    where = path.with_name(str(entry.get("file", "")))
    try:
        return Neighbours.from_bytes(verified_bytes(where, str(entry.get("sha256"))))
    except ModelFileError as exc:
        why = "its SHA-256 is not the one the model was saved with" if exc.reason == "differs" else \
            exc.detail or exc.reason
    except (ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        why = str(exc)
    log.warning("%s: the wording model's neighbours are unusable (%s); it judges without them. "
                "Reinstall the simulator to mend it.", where, why)
    return None


@functools.cache
def load_model(path: Path = MODEL_PATH) -> WordingModel | None:
    """The shipped model, or None when its file is absent (the rules then judge alone)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    model = WordingModel.from_dict(data)
    if data.get("neighbours"):
        model.neighbours = _neighbours(path, data["neighbours"])
    return model
