"""Training the wording judge's statistical model (simulator/analysis/wording_model.json) from bench/data.

    python bench/train_wording_model.py          # train on the training rows, write the weights

The model is a multinomial logistic regression (numpy, full-batch gradient descent with L2) over the
features simulator/analysis/model.py defines: words, word pairs, how sentences open, and which
techniques and triggers the rules found. It trains on the "dev" split of wording_dev.tsv and the
"tune" split of wording_fresh.tsv; the "holdout" and "blind" splits are never trained on, so they
still measure unseen replies.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.analysis.model import CLASSES, MODEL_PATH, WordingModel  # noqa: E402
from simulator.analysis.wording import _Analysis, load_rubric  # noqa: E402

DATA = Path(__file__).parent / "data"
DEV_FILE = DATA / "wording_dev.tsv"
FRESH_FILE = DATA / "wording_fresh.tsv"
TRAINING_SPLITS = {DEV_FILE.name: {"dev"}, FRESH_FILE.name: {"tune"}}

# Chosen by cross-validation over voices and situations (bench/wording_accuracy.py --cv).
L2 = 0.1
MIN_COUNT = 2
STEPS = 400


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        r["file"] = path.name
        # Cross-validation leaves out whole groups: a voice of the fresh set, a situation of the dev set.
        r["group"] = r.get("voice") or ("situation:" + (r.get("customer_line") or "none"))
    return rows


def training_rows() -> list[dict[str, str]]:
    rows = []
    for path in (DEV_FILE, FRESH_FILE):
        rows += [r for r in read_rows(path) if r.get("split") in TRAINING_SPLITS[path.name]]
    return rows


def row_features(row: dict[str, str]) -> list[str]:
    """The model's feature names for a labelled row, with the rules' findings as they stand now."""
    analysis = _Analysis(load_rubric(), row["reply"])
    result = analysis.run(row.get("customer_line") or "", row.get("customer_name") or "", None)
    return [f.name for f in analysis.features(result.techniques, result.triggers)]


def train(feature_lists: Sequence[Sequence[str]], labels: Sequence[str], l2: float = L2,
          min_count: int = MIN_COUNT, steps: int = STEPS) -> WordingModel:
    counts = Counter(name for feats in feature_lists for name in set(feats))
    vocab = sorted(n for n, c in counts.items() if c >= min_count or not n.startswith(("w:", "b:")))
    index = {n: i for i, n in enumerate(vocab)}
    x = np.zeros((len(feature_lists), len(vocab)), dtype=np.float32)
    for row, feats in enumerate(feature_lists):
        for name in feats:
            if name in index:
                x[row, index[name]] = 1.0
    y = np.zeros((len(labels), len(CLASSES)), dtype=np.float32)
    for row, label in enumerate(labels):
        y[row, CLASSES.index(label)] = 1.0
    # Classes weighted equally, so the macro-F1 the goal is stated in is what the loss favours.
    class_weight = len(labels) / (len(CLASSES) * np.maximum(y.sum(axis=0), 1.0))
    sample_weight = (y * class_weight).sum(axis=1, keepdims=True)
    w = np.zeros((len(vocab), len(CLASSES)), dtype=np.float32)
    b = np.zeros(len(CLASSES), dtype=np.float32)
    # Adam on the mean weighted cross-entropy plus an L2 penalty on the feature weights.
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    lr, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    n = len(labels)
    for step in range(1, steps + 1):
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - y) * sample_weight / n
        g_w = x.T @ g + l2 * w
        g_b = g.sum(axis=0)
        for param, grad, m, v in ((w, g_w, m_w, v_w), (b, g_b, m_b, v_b)):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            param -= lr * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)
    weights = {name: [round(float(v), 4) for v in w[i]] for name, i in index.items()
               if np.abs(w[i]).max() >= 0.005}
    return WordingModel(weights, [round(float(v), 4) for v in b],
                        {"rows": len(labels), "features": len(weights), "l2": l2, "min_count": min_count,
                         "steps": steps})


def save(model: WordingModel, path: Path = MODEL_PATH) -> None:
    data = {"classes": list(CLASSES), "bias": model.bias, "meta": model.meta,
            "weights": dict(sorted(model.weights.items()))}
    path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    rows = training_rows()
    model = train([row_features(r) for r in rows], [r["intent"] for r in rows])
    save(model)
    print(f"trained on {len(rows)} replies: {len(model.weights)} features, "
          f"{MODEL_PATH.stat().st_size / 1024:.0f} KB -> {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
