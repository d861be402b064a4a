"""The statistical half of the wording judge: a small logistic regression over words, word pairs and rule findings.

The rubric (phrases.yaml) names techniques and triggers and quotes them; it cannot name every way
of being sarcastic or accusing. This model, trained by bench/train_wording_model.py on the labelled
replies in bench/data and shipped as wording_model.json (a few hundred KB of weights), reads the
whole reply and says which intent it resembles. wording.py asks it only when the rules found no
trigger, so a trigger a rule found always wins, and every finding still comes from the rules.

Running it needs no numpy: a reply has a few dozen features, each a dictionary lookup.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("wording_model.json")
CLASSES: tuple[str, ...] = ("deescalate", "neutral", "escalate")


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
    if not techniques and not triggers:
        out.append(Feature("r:none"))
    n = sum(1 for w in words if w not in {",", "."})
    out.append(Feature("n:" + ("short" if n <= 5 else "medium" if n <= 14 else "long")))
    return out


@dataclass(frozen=True)
class Reading:
    """What the model made of a reply: a probability per intent, and the words that weighed most."""

    probabilities: dict[str, float]
    # For each intent, the word features that pushed hardest towards it, strongest first.
    leaning: dict[str, tuple[Feature, ...]]

    @property
    def intent(self) -> str:
        return max(self.probabilities, key=self.probabilities.__getitem__)


class WordingModel:
    """Weights per feature and intent, read from wording_model.json."""

    def __init__(self, weights: dict[str, list[float]], bias: list[float], meta: dict[str, object]) -> None:
        self.weights = weights
        self.bias = bias
        self.meta = meta

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WordingModel:
        classes = tuple(data.get("classes", ()))
        if classes != CLASSES:
            raise ValueError(f"the model's classes are {classes}, expected {CLASSES}")
        weights = {str(k): [float(x) for x in v] for k, v in data["weights"].items()}
        return cls(weights, [float(x) for x in data["bias"]], dict(data.get("meta", {})))

    def read(self, feats: Sequence[Feature]) -> Reading:
        scores = list(self.bias)
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
            if f.first >= 0:
                contributions.append((f, w))
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        probs = {c: e / total for c, e in zip(CLASSES, exps, strict=True)}
        leaning: dict[str, tuple[Feature, ...]] = {}
        for c, name in enumerate(CLASSES):
            # How much more a feature favours this intent than the others.
            margin = [(w[c] - max(w[k] for k in range(len(CLASSES)) if k != c), f) for f, w in contributions]
            ranked = sorted((m for m in margin if m[0] > 0), key=lambda m: -m[0])
            leaning[name] = tuple(f for _, f in ranked[:4])
        return Reading(probs, leaning)


@functools.cache
def load_model(path: Path = MODEL_PATH) -> WordingModel | None:
    """The shipped model, or None when its file is absent (the rules then judge alone)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return WordingModel.from_dict(data)
