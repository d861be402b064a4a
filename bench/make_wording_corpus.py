"""Writes the project's own labelled replies for the wording judge: bench/data/wording_corpus_{dev,blind}.tsv.

    python bench/make_wording_corpus.py

Both files are generated from templates this project wrote (bench/corpus/dev.py and, separately,
bench/corpus/blind.py) with fixed seeds, so they are reproducible and redistributable. No public
conversation corpus, support chat, dialogue or toxicity data set went into them. The dev file is
split: "train" rows train the model, "dev" rows (a fifth, never trained on) tune it; the blind
file is never trained or tuned on.
"""

from __future__ import annotations

import csv
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import blind, dev  # noqa: E402

DATA = Path(__file__).parent / "data"
DEV_FILE = DATA / "wording_corpus_dev.tsv"
BLIND_FILE = DATA / "wording_corpus_blind.tsv"
FIELDS = ["reply", "intent", "techniques", "triggers", "kind", "setting", "customer_line", "style", "split", "template"]
DEV_ROWS = 6000
BLIND_ROWS = 1500


def write(path: Path, rows: list[dev.Row], splits: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar=None, lineterminator="\n")
        out.writerow(FIELDS)
        for r, split in zip(rows, splits, strict=True):
            out.writerow([r.reply, r.intent, ",".join(r.techniques), ",".join(r.triggers), r.kind, r.setting,
                          r.customer_line, r.style, split, r.template])


def main() -> int:
    rows = list(dev.generate(DEV_ROWS))
    rng = random.Random(7)
    splits = ["dev" if rng.random() < 0.2 else "train" for _ in rows]
    write(DEV_FILE, rows, splits)
    blind_rows = list(blind.generate(BLIND_ROWS))
    write(BLIND_FILE, blind_rows, ["blind"] * len(blind_rows))
    for name, rs in (("dev corpus", rows), ("blind corpus", blind_rows)):
        print(f"{name}: {len(rs)} replies; " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(r.intent for r in rs).items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
