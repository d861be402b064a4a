"""Which listed trigger patterns fire on replies labelled calming or neutral, on the tuning rows only.

    python bench/wording_false_triggers.py              # pattern -> false fires (with examples) and true fires
    python bench/wording_false_triggers.py --missed     # also the escalating replies the whole judge misses
    python bench/wording_false_triggers.py --examples 8 # more examples per pattern

A listed trigger always wins over the statistical model, so a pattern that fires on kind words
makes them "escalate" whatever the model reads. This lists, for each trigger pattern, how often it
matched a reply labelled not escalating (a false fire) and how often one labelled escalating (a
true fire), so a trainer can narrow the patterns that cost most and see what narrowing would lose.

Only rows that are read for errors while tuning are looked at: the "train" rows of
wording_written.tsv, the "tune" rows of wording_handwritten.tsv, the "dev" rows of
wording_corpus_dev.tsv, the "dev" rows of wording_dev.tsv and the "tune" rows of wording_fresh.tsv.
The check rows, holdout and blind splits and the blind corpus are never read here (they measure).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import train_wording_model as training  # noqa: E402
from simulator.analysis.matching import Analysis  # noqa: E402
from simulator.analysis.wording import analyse, load_rubric  # noqa: E402

TUNING = (*((f, "train") for f in training.WRITTEN_FILES), (training.HANDWRITTEN_FILE, "tune"),
          (training.CORPUS_FILE, "dev"), (training.DEV_FILE, "dev"), (training.FRESH_FILE, "tune"))


def tuning_rows() -> list[dict[str, str]]:
    return [r for path, split in TUNING for r in training.read_rows(path) if r.get("split") == split]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=3, help="examples shown per pattern")
    parser.add_argument("--hostile", action="store_true",
                        help="also show examples of each listed pattern's true fires, to see what narrowing would lose")
    parser.add_argument("--missed", action="store_true",
                        help="also list the escalating replies the whole judge does not call escalating")
    args = parser.parse_args(argv)
    rubric = load_rubric()
    triggers = [c for c in rubric.categories.values() if c.kind == "trigger"]
    rows = tuning_rows()
    false_fires: Counter[tuple[str, str]] = Counter()
    true_fires: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    hostile: dict[tuple[str, str], list[str]] = defaultdict(list)
    false_rows = Counter[str]()
    calm_rows = Counter[str]()
    for r in rows:
        analysis = Analysis(rubric, r["reply"])
        fired: dict[tuple[str, str], list[str]] = defaultdict(list)  # (trigger, pattern) -> evidence
        for c in triggers:
            for h in analysis.category_hits(c):
                fired[(c.name, h.pattern)].append(h.evidence)
        escalating = r["intent"] == "escalate"
        if not escalating:
            calm_rows[r["file"]] += 1
            false_rows[r["file"]] += bool(fired)
        for key, evidence in fired.items():
            if escalating:
                true_fires[key] += 1
                hostile[key].append(f"[{r['file'][8:-4]} {r.get('kind') or '-'}] {r['reply']}")
            else:
                false_fires[key] += 1
                examples[key].append(f"[{r['file'][8:-4]} {r['intent']}] {r['reply']}  <{', '.join(evidence)}>")
    print("replies labelled calming or neutral on which a listed trigger fires (tuning rows only):")
    for name, n in calm_rows.items():
        print(f"  {name}: {false_rows[name]} of {n} ({false_rows[name] / n:.1%})")
    print(f"\n{'false':>5} {'true':>5}  trigger: pattern")
    for key, n in false_fires.most_common():
        print(f"{n:>5} {true_fires[key]:>5}  {key[0]}: {key[1]}")
        for e in examples[key][:args.examples]:
            print(f"             {e}")
        if args.hostile:
            for e in hostile[key][:args.examples]:
                print(f"           + {e}")
    if args.missed:
        print("\nescalating replies the whole judge does not call escalating (tuning rows only):")
        for r in rows:
            if r["intent"] != "escalate":
                continue
            w = analyse(r["reply"], r.get("customer_line") or "", r.get("customer_name") or "")
            if w.intent != "escalate":
                kind = r.get("kind") or "-"
                print(f"  [{r['file'][8:-4]} {kind} -> {w.intent}] {r['reply']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
