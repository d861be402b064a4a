"""Accuracy and speed of the wording analysis on a labelled set of replies (macro-F1 goal: 0.90).

    python bench/wording_accuracy.py                       # both splits of bench/data/wording_dev.tsv
    python bench/wording_accuracy.py --split dev --errors  # what the dev split gets wrong
    python bench/wording_accuracy.py --file other.tsv      # any TSV with reply and intent columns

The dev set keeps about a quarter of its rows as a "holdout" split: tune the rubric on "dev" and
look at "holdout" rarely, so the figure it gives still says something about unseen replies.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.analysis.wording import analyse, load_rubric  # noqa: E402
from simulator.engine.vocabulary import INTENTS  # noqa: E402

DEFAULT_FILE = Path(__file__).parent / "data" / "wording_dev.tsv"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or "reply" not in rows[0] or "intent" not in rows[0]:
        raise SystemExit(f"{path}: needs a header row with 'reply' and 'intent' columns")
    return rows


def report(name: str, rows: list[dict[str, str]], show_errors: bool) -> float:
    load_rubric()
    started = time.perf_counter()
    results = [analyse(r["reply"], r.get("customer_line") or "", r.get("customer_name") or "") for r in rows]
    elapsed = time.perf_counter() - started
    confusion: Counter[tuple[str, str]] = Counter((r["intent"], w.intent) for r, w in zip(rows, results, strict=True))
    f1s = []
    print(f"\n== {name}: {len(rows)} replies")
    print(f"{'class':<12}{'precision':>10}{'recall':>8}{'f1':>7}{'n':>6}")
    for label in INTENTS:
        tp = confusion[(label, label)]
        predicted = sum(v for (_, p), v in confusion.items() if p == label)
        actual = sum(v for (a, _), v in confusion.items() if a == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        print(f"{label:<12}{precision:>10.3f}{recall:>8.3f}{f1:>7.3f}{actual:>6}")
    macro = sum(f1s) / len(f1s)
    print(f"macro-F1 {macro:.3f}")
    print("confusion (rows: label, columns: judged)")
    print(" " * 12 + "".join(f"{p:>12}" for p in INTENTS))
    for a in INTENTS:
        print(f"{a:<12}" + "".join(f"{confusion[(a, p)]:>12}" for p in INTENTS))
    print(f"{len(rows) / elapsed:.0f} replies/second (wording only, one core)")
    if show_errors:
        for r, w in zip(rows, results, strict=True):
            if r["intent"] != w.intent:
                found = ", ".join(f"{h.name}:'{h.evidence}'" for h in (*w.techniques, *w.triggers))
                print(f"  [{r['intent']} -> {w.intent}] {r['reply']}   <{found}>")
    return macro


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--split", choices=("dev", "holdout", "all", "both"), default="both")
    parser.add_argument("--errors", action="store_true", help="list the replies judged wrongly")
    args = parser.parse_args(argv)
    rows = read_rows(args.file)
    has_split = "split" in rows[0]
    if not has_split or args.split == "all":
        report(f"{args.file.name} (all)", rows, args.errors)
        return 0
    for split in ("dev", "holdout") if args.split == "both" else (args.split,):
        report(f"{args.file.name} ({split})", [r for r in rows if r["split"] == split], args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
