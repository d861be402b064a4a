"""Training the wording judge's statistical model (simulator/analysis/wording_model.json) from bench/data.

    python bench/train_wording_model.py          # train on the training rows, write the weights

Two parts, both logistic regressions trained here with numpy (Adam, L2), see simulator/analysis/model.py:
- technique heads over sentence vectors (wordllama, simulator/analysis/embedding.py), one per
  technique in HEADS, trained on the "train" rows of the project's corpus (wording_corpus_dev.tsv)
  and the training rows of the files written one at a time (ONE_AT_A_TIME); each head's threshold
  is the lowest at which it is right HEAD_PRECISION of the time on the corpus "dev" rows, which
  are never trained on;
- the intent model over words, word pairs, what the rules (and heads) found, and the reply's
  sentence vector, trained on the corpus "train" rows, the "dev" split of wording_dev.tsv, the
  "tune" split of wording_fresh.tsv, the "tune" rows of wording_handwritten.tsv and the "train" rows
  of the files in WRITTEN_FILES (wording_written.tsv and the files of sessions 11 and 12). Replies
  written one at a time weigh HANDWRITTEN_WEIGHT times a template row: they are the phrasing no
  template holds, which is what the judge has to generalise to.
The "holdout" and "blind" splits of the older files, the corpus "dev" rows, the "check" rows of
wording_handwritten.tsv and of the WRITTEN_FILES, the whole blind corpus (wording_corpus_blind.tsv)
and the sets written apart (WRITTEN_APART: wording_blind2.tsv, wording_blind3.tsv, wording_blind4.tsv,
wording_counter.tsv) are never trained on, so they still measure unseen replies.

The model also keeps its neighbours (simulator/analysis/model.py): each intent's training replies,
read in context, gathered into centres by k-means (see NEIGHBOUR_CENTRES), saved beside the model
as wording_model.npz.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.analysis import embedding, sentence_encoder  # noqa: E402
from simulator.analysis.matching import Analysis  # noqa: E402
from simulator.analysis.model import CLASSES, MODEL_PATH, Head, Neighbours, WordingModel, save_model  # noqa: E402
from simulator.analysis.wording import load_rubric  # noqa: E402

DATA = Path(__file__).parent / "data"
DEV_FILE = DATA / "wording_dev.tsv"
FRESH_FILE = DATA / "wording_fresh.tsv"
CORPUS_FILE = DATA / "wording_corpus_dev.tsv"
BLIND_FILE = DATA / "wording_corpus_blind.tsv"
# Written one reply at a time (see bench/wording_accuracy.py); its "check" rows are never trained on.
HANDWRITTEN_FILE = DATA / "wording_handwritten.tsv"
# Written one reply at a time for training (issue 16), not from templates: every 4th row, in the
# order written, is a "check" row that is never trained on; the rest are "train".
WRITTEN_FILE = DATA / "wording_written.tsv"
# Written one reply at a time in session 11 in the styles the unseen sets are drawn from,
# split the same way (every 4th row "check"): put-downs of the kind traded online, and the same
# casual register used kindly; supportive talk as a peer listener gives it; staff replies in
# service dialogues, "never say" lines, bare orders and mixed replies.
SOCIAL_FILE = DATA / "wording_social.tsv"
SUPPORT_FILE = DATA / "wording_support.tsv"
SERVICE_FILE = DATA / "wording_service.tsv"
# Written one reply at a time in session 12 by seven more writers, split the same way: what trainees
# say in role-play (spoken, with recogniser slips); put-downs and "never say" lines with look-alike
# kind contrasts; a supportive listener's feelings, paraphrases and questions; service agents in chat,
# email and on the phone; door staff and stewards (orders beside polite instructions and limits); a
# helpline supporter; replies in comment threads, hostile and not.
SESSION_12_FILES = tuple(DATA / f"wording_{name}.tsv" for name in
                         ("trainee", "hostile", "listener", "agent", "door", "helpline", "comments"))
# Files written one at a time whose "train" rows are trained on and whose "check" rows never are.
WRITTEN_FILES = (WRITTEN_FILE, SOCIAL_FILE, SUPPORT_FILE, SERVICE_FILE, *SESSION_12_FILES)
# Every file written one reply at a time, whose training rows weigh more and teach the heads too.
ONE_AT_A_TIME = (HANDWRITTEN_FILE, *WRITTEN_FILES)
# Written in session 11 by a writer who saw none of the other files: never trained or tuned on.
BLIND2_FILE = DATA / "wording_blind2.tsv"
# Written in session 12 the same way by yet another writer: never trained or tuned on.
BLIND3_FILE = DATA / "wording_blind3.tsv"
# The blind sets written apart, each reported on its own by bench/wording_accuracy.py.
# Written in session 14 the same way by yet another writer, before the session's retraining: never
# trained or tuned on.
BLIND4_FILE = DATA / "wording_blind4.tsv"
# Written in session 14 by another writer who saw none of the other files, told only where the judge
# was weakest: put-downs without a stock insult word, "never say" lines in many wordings, bare
# orders and power moves, brush-offs, "sorry, but you...", beside kind replies in the same words.
# Never trained or tuned on (it was written for training, but the model it trained read a plain
# offer of options as neutral, against tests/analysis/test_wording.py, so it measures instead).
COUNTER_FILE = DATA / "wording_counter.tsv"
WRITTEN_APART = (BLIND2_FILE, BLIND3_FILE, BLIND4_FILE, COUNTER_FILE)
TRAINING_SPLITS = {DEV_FILE.name: {"dev"}, FRESH_FILE.name: {"tune"}, CORPUS_FILE.name: {"train"},
                   HANDWRITTEN_FILE.name: {"tune"}, **{f.name: {"train"} for f in WRITTEN_FILES}}
# How much a reply written one at a time weighs against a template row in the intent model's loss.
# Chosen with the word-and-meaning model alone judging half of the hand-written tune and written
# train rows, trained with the other half: macro-F1 0.769 at weight 1, 0.789 at 3, 0.798 at 5,
# 0.802 at 8 (the hand-written tune rows alone: 0.845, 0.869, 0.890, 0.891).
HANDWRITTEN_WEIGHT = {f.name: 5.0 for f in ONE_AT_A_TIME}
# The techniques the sentence vectors may find on their own (the ones the issue measures).
HEADS = ("name_emotion", "reflect", "open_question")
HEAD_PRECISION = 0.9
# The files whose training rows the heads learn from: not session 12's. Its writers marked more
# lines as a feeling named or an open question (a yes/no check-in, "I'm so sorry"), so with them the
# heads reached the precision above on the corpus only at 0.96 / 0.99 / 0.97 (0.93 / 0.96 / 0.97
# without) and found fewer techniques. Judged by models trained without their half of the rows
# written one at a time (see bench/wording_accuracy.py --halves), recall / precision of feelings,
# paraphrase and questions: 0.702 / 0.808, 0.385 / 0.711, 0.589 / 0.885 with them; 0.741 / 0.737,
# 0.406 / 0.666, 0.608 / 0.882 without. The goals are recall; precision stays over two thirds.
HEAD_FILES = {CORPUS_FILE.name, *(f.name for f in ONE_AT_A_TIME if f not in SESSION_12_FILES)}
# Sentence vectors are unit length; this makes them weigh like a handful of word features.
VECTOR_SCALE = 3.0
# The intent model's meaning: the whole reply averaged, and the words a negation reaches averaged
# apart (see simulator/analysis/model.py). Judged by the word-and-meaning model alone, half the
# hand-written tune rows, trained on the other half: macro-F1 0.807 with the one average, 0.869
# with both; the corpus judged by models that never saw its templates (2 folds): 0.782 and 0.780
# (before wording_written.tsv, the hand-written rows weighing 3).
# Tried and not kept: the words no negation reaches in place of the whole reply (0.862 / 0.772),
# a max-pooled vector beside the mean (0.821 / 0.782; with the negated words 0.861 / 0.775), a
# hidden layer of 64 over the vectors (0.741 / 0.700), word pairs one word apart (0.807 / 0.790).
POOLING = "negation+context"
HEAD_SCALE = 5.0

# L2 chosen with the word-and-meaning model alone judging half the hand-written tune and written train
# rows, trained with the other half: macro-F1 0.777 at 0.2, 0.798 at 0.1, 0.813 at 0.05, 0.821 at
# 0.03, 0.829 at 0.02. Under 0.05 it broke judgements trainers agreed on (tests/analysis/test_wording.py:
# a thank-you and a reason adding up, "I can't see it in the system.", "You'll need shoes, not trainers.").
# Session 12, with 7,800 more rows written one at a time and no feature for "nothing found" or
# "short" (see simulator/analysis/model.py), judged the same way (`--halves`, 10,979 rows), each
# with the certainty (thresholds in phrases.yaml) that lets about 4% of supportive replies escalate:
# L2 0.05 at 0.6: 3.9% of supportive replies, 63.8% of insults (macro-F1 0.722); 0.02 at 0.7 with
# 0.55 under 0.15: 3.6%, 68.2% (0.747); 0.01 at 0.8, the same: 4.1%, 69.8% (0.758).
L2 = 0.02
# The neighbours (simulator/analysis/model.py): the context-read training replies of each intent
# gathered into this many centres; a reply's K nearest centres hold this share of its escalate
# reading. Session 14, first judged by models trained without their half of the rows written one at
# a time, on the replies with no listed trigger, at the escalate reading that lets 2% of supportive
# replies escalate: the linear model alone caught 41% of insults, 21% of "never say" lines and 48%
# of bare orders; half its reading and half the 10 nearest training replies, 53%, 36%, 78%; the
# same with 1,000 centres an intent and the 5 nearest, 55%, 39%, 73% (500 centres: 52%, 34%, 69%;
# 4,000 replies drawn at random: 45%, 34%, 71%); the neighbours alone 49%, 39%, 76%. The whole
# judge, on the same rows (`bench/wording_accuracy.py --halves`, 10,979 rows) at model_escalate
# 0.75: macro-F1 0.764 -> 0.786, supportive replies escalating 2.0% -> 1.9%, insults 66.4% ->
# 70.2%, "never say" 70.9% -> 73.6%, bare orders 72.6% -> 77.9%, neutral replies 1.6% -> 1.9%.
# Replies shorter than NEIGHBOUR_MIN_WORDS are read by the linear model alone. On those rows with a
# file written for training added (since made a check set, see COUNTER_FILE; 11,514 rows), at 0.75:
# the neighbours for every reply gave macro-F1 0.785, supportive 1.8%, insults 67.2%, bare orders
# 83.1%; from 4 words 0.783, 1.8%, 66.7%, 80.2%; from 5 words 0.781, 1.8%, 66.2%, 77.9%; from 6
# words 0.778, 1.8%, 66.4%, 74.9%. From 5 words: the neighbours took "Go easy on yourself." (four
# words, a kind wish trainers agreed is no order, tests/analysis/test_wording_phrasing.py) from
# 0.76 to 0.88 sure it inflames, past the halfway-surer bar its listed technique sets.
# Their share (NEIGHBOUR_WEIGHT), judged as above on the 10,979 rows at 0.75: 0.5 gave macro-F1
# 0.786, supportive 1.9%, insults 70.2%, "never say" 73.6%, bare orders 77.9%; 0.6 0.791, 2.0%,
# 71.5%, 74.6%, 78.1%; 0.7 0.796, 2.2%, 72.1%, 75.7%, 78.9%, but at 0.7 "You weren't to know." and
# "You're not the only one who finds it confusing." escalate, against tests/analysis. 10 nearest
# centres at 0.5: 0.778, 1.6%, 67.0%.
NEIGHBOUR_CENTRES = 1000
NEIGHBOUR_K = 5
NEIGHBOUR_WEIGHT = 0.6
NEIGHBOUR_MIN_WORDS = 5
KMEANS_ROUNDS = 15
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


def plain(reply: str) -> str:
    """A reply with case and punctuation aside: how two files are found to hold the same reply."""
    return re.sub(r"[^a-z0-9 ]", "", reply.lower()).strip()


def training_rows() -> list[dict[str, str]]:
    rows = []
    for path in (DEV_FILE, FRESH_FILE, CORPUS_FILE, HANDWRITTEN_FILE, *WRITTEN_FILES):
        rows += [r for r in read_rows(path) if r.get("split") in TRAINING_SPLITS[path.name]]
    return rows


def row_features(row: dict[str, str], model: WordingModel | None = None) -> list[str]:
    """The model's feature names for a labelled row, with the rules' (and heads') techniques as they stand now.

    The triggers the lists found are left out: the model is asked only when the lists found none,
    so it has to learn what inflames from the words and their meaning. Trained with them, it
    leaned on them (the lists hold every trigger line of the training corpus) and, with the lists
    taken away, caught 1.2% of the escalating replies of templates it had not seen."""
    analysis = Analysis(load_rubric(), row["reply"])
    result = analysis.run(row.get("customer_line") or "", row.get("customer_name") or "", model, decide_by_model=False)
    return [f.name for f in analysis.features(result.techniques)]


def vectors(rows: Sequence[dict[str, str]], pooling: str = POOLING) -> np.ndarray | None:
    """Each reply's meaning as an intent model with this pooling reads it; None without the vectors."""
    enc = embedding.encoder()
    if enc is None:
        return None
    if pooling == "mean":
        return enc.embed_many([r["reply"] for r in rows])
    rubric = load_rubric()
    averaged = np.stack([Analysis(rubric, r["reply"]).meaning(pooling, enc) for r in rows])
    if not pooling.endswith("+context"):
        return averaged
    context = sentence_encoder.encoder()
    if context is None:
        return None
    return np.hstack([averaged, context.embed_many([r["reply"] for r in rows])])


def _adam(x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, l2: float, steps: int, softmax: bool,
          l2_mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    w = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
    b = np.zeros(y.shape[1], dtype=np.float32)
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    lr, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    n = len(x)
    penalty = l2 if l2_mask is None else l2 * l2_mask[:, None]
    for step in range(1, steps + 1):
        z = x @ w + b
        if softmax:
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
        else:
            p = 1.0 / (1.0 + np.exp(-z))
        g = (p - y) * sample_weight / n
        g_w = x.T @ g + penalty * w
        g_b = g.sum(axis=0)
        for param, grad, m, v in ((w, g_w, m_w, v_w), (b, g_b, m_b, v_b)):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            param -= lr * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)
    return w, b


def train(feature_lists: Sequence[Sequence[str]], labels: Sequence[str], l2: float = L2,
          min_count: int = MIN_COUNT, steps: int = STEPS, dense: np.ndarray | None = None,
          heads: Sequence[Head] = (), row_weight: Sequence[float] | None = None,
          pooling: str = POOLING) -> WordingModel:
    counts = Counter(name for feats in feature_lists for name in set(feats))
    vocab = sorted(n for n, c in counts.items() if c >= min_count or not n.startswith(("w:", "b:")))
    index = {n: i for i, n in enumerate(vocab)}
    x = np.zeros((len(feature_lists), len(vocab)), dtype=np.float32)
    for row, feats in enumerate(feature_lists):
        for name in feats:
            if name in index:
                x[row, index[name]] = 1.0
    if dense is not None:
        x = np.hstack([x, dense * VECTOR_SCALE])
    y = np.zeros((len(labels), len(CLASSES)), dtype=np.float32)
    for row, label in enumerate(labels):
        y[row, CLASSES.index(label)] = 1.0
    # Classes weighted equally, so the macro-F1 the goal is stated in is what the loss favours.
    class_weight = len(labels) / (len(CLASSES) * np.maximum(y.sum(axis=0), 1.0))
    sample_weight = (y * class_weight).sum(axis=1, keepdims=True)
    if row_weight is not None:
        sample_weight = sample_weight * np.asarray(row_weight, dtype=np.float32)[:, None]
        # Rescaled to the same total, so L2 weighs as much against the data as before.
        sample_weight *= len(labels) / float(sample_weight.sum())
    w, b = _adam(x, y, sample_weight, l2, steps, softmax=True)
    weights = {name: [round(float(v), 4) for v in w[i]] for name, i in index.items()
               if np.abs(w[i]).max() >= 0.005}
    dense_w = w[len(vocab):] * VECTOR_SCALE if dense is not None else None
    return WordingModel(weights, [round(float(v), 4) for v in b],
                        {"rows": len(labels), "features": len(weights), "l2": l2, "min_count": min_count,
                         "steps": steps, "vectors": _vectors_meta(pooling) if dense is not None else "none"}, dense_w, heads, pooling)


def _vectors_meta(pooling: str) -> str:
    named = f"{embedding.PACKAGE} {embedding.VERSION}"
    if pooling.endswith("+context"):
        named += f", {sentence_encoder.DISTRIBUTION} {sentence_encoder.VERSION}"
    return named


def _labels(row: dict[str, str]) -> set[str]:
    return set(filter(None, (row.get("techniques") or "").split(",") + (row.get("triggers") or "").split(",")))


def train_heads(rows: Sequence[dict[str, str]], tune: Sequence[dict[str, str]]) -> list[Head]:
    """One head per technique in HEADS, its threshold set for HEAD_PRECISION on the `tune` rows' sentences."""
    x = vectors(rows, "mean")
    if x is None:
        return []
    y = np.array([[h in _labels(r) for h in HEADS] for r in rows], dtype=np.float32)
    share = y.mean(axis=0)
    weight = np.where(y > 0, 0.5 / np.maximum(share, 1e-3), 0.5 / np.maximum(1 - share, 1e-3))
    w, b = _adam(x * HEAD_SCALE, y, weight, 1e-3, 500, softmax=False)
    heads = [Head(name, w[:, k] * HEAD_SCALE, float(b[k]), 1.0) for k, name in enumerate(HEADS)]
    # Thresholds are read on sentences, the way matching.py applies the heads.
    probe = WordingModel({}, [0.0] * len(CLASSES), {}, None, heads)
    best = np.zeros((len(tune), len(HEADS)), dtype=np.float32)
    for i, r in enumerate(tune):
        analysis = Analysis(load_rubric(), r["reply"])
        found = analysis._vectors(probe)
        if found is not None and len(found[1][0]):
            best[i] = [h.probabilities(found[1][0]).max() for h in heads]
    truth = np.array([[h in _labels(r) for h in HEADS] for r in tune])
    out = []
    for k, head in enumerate(heads):
        threshold = 0.99
        for t in np.arange(0.5, 0.99, 0.01):
            said = best[:, k] >= t
            if said.sum() and (said & truth[:, k]).sum() / said.sum() >= HEAD_PRECISION:
                threshold = round(float(t), 2)
                break
        out.append(Head(head.name, head.weights, head.bias, threshold))
    return out


def neighbours(context: np.ndarray, labels: Sequence[str], per_class: int = NEIGHBOUR_CENTRES) -> Neighbours:
    """The training replies of each intent, read in context, gathered into `per_class` groups
    (k-means on unit vectors, cosine similarity, a fixed seed): the centres and their intent."""
    rng = np.random.default_rng(0)
    centres, owners = [], []
    for c, name in enumerate(CLASSES):
        points = context[np.asarray(labels) == name]
        n = min(per_class, len(points) // 4)
        if n == 0:
            continue
        found = points[rng.choice(len(points), n, replace=False)].copy()
        for _ in range(KMEANS_ROUNDS):
            nearest = np.argmax(points @ found.T, axis=1)
            for g in range(n):
                members = points[nearest == g]
                if len(members):
                    v = members.mean(axis=0)
                    found[g] = v / max(float(np.linalg.norm(v)), 1e-9)
        centres.append(found)
        owners.append(np.tile(np.eye(len(CLASSES), dtype=np.float32)[c], (n, 1)))
    return Neighbours(np.vstack(centres).astype(np.float32), np.vstack(owners), NEIGHBOUR_K, NEIGHBOUR_WEIGHT,
                      NEIGHBOUR_MIN_WORDS)


def build(rows: Sequence[dict[str, str]], l2: float = L2,
          tune: Sequence[dict[str, str]] | None = None) -> WordingModel:
    """Heads on the rows of HEAD_FILES among `rows` (thresholds set on `tune`, the corpus "dev" rows
    unless given), then the intent model on all of them."""
    head_rows = [r for r in rows if r["file"] in HEAD_FILES]
    if tune is None:
        tune = [r for r in read_rows(CORPUS_FILE) if r["split"] == "dev"]
    heads = train_heads(head_rows, tune) if head_rows else []
    probe = WordingModel({}, [0.0] * len(CLASSES), {}, None, heads) if heads else None
    dense = vectors(rows)
    labels = [r["intent"] for r in rows]
    model = train([row_features(r, probe) for r in rows], labels, l2=l2, dense=dense, heads=heads,
                  row_weight=[HANDWRITTEN_WEIGHT.get(r["file"], 1.0) for r in rows])
    if dense is not None and model.uses_context and NEIGHBOUR_CENTRES:
        model.neighbours = neighbours(dense[:, -sentence_encoder.DIM:], labels)
        model.meta["neighbours"] = (f"{len(model.neighbours.centres)} centres, k {NEIGHBOUR_K}, weight {NEIGHBOUR_WEIGHT}, "
                                    f"from {NEIGHBOUR_MIN_WORDS} words")
    return model


def main() -> int:
    if embedding.encoder() is None or sentence_encoder.encoder() is None:
        print(f"sentence vectors unavailable ({embedding.status()}; {sentence_encoder.status()}); "
              "training on words alone")
    rows = training_rows()
    model = build(rows)
    save_model(model)
    thresholds = ", ".join(f"{h.name} {h.threshold}" for h in model.heads)
    print(f"trained on {len(rows)} replies: {len(model.weights)} features, heads: {thresholds or 'none'}; "
          f"{MODEL_PATH.stat().st_size / 1024:.0f} KB -> {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
