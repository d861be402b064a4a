"""The replies written for training the wording judge (bench/data/wording_written.tsv) are well formed:
known labels, the fixed split rule, and no reply shared with the sets that measure the judge."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from simulator.engine.vocabulary import INTENTS, TECHNIQUES, TRIGGERS

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
WRITTEN = DATA / "wording_written.tsv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _key(reply: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", reply.lower()).strip()


@pytest.fixture(scope="module")
def written() -> list[dict[str, str]]:
    return _rows(WRITTEN)


def test_every_row_has_the_columns_and_known_labels(written):
    assert len(written) >= 1500
    # The kinds wording_accuracy.py counts (supportive, insult, never_say, command) are spelled as elsewhere.
    kinds = {r["kind"] for r in _rows(DATA / "wording_handwritten.tsv")}
    for n, r in enumerate(written, start=2):
        assert list(r) == ["reply", "intent", "techniques", "triggers", "kind", "split"], f"line {n}"
        assert r["reply"].strip() and r["intent"] in INTENTS, f"line {n}: {r}"
        assert set(filter(None, r["techniques"].split(","))) <= TECHNIQUES.keys(), f"line {n}: {r}"
        triggers = set(filter(None, r["triggers"].split(",")))
        assert triggers <= TRIGGERS.keys(), f"line {n}: {r}"
        # As in the hand-written set: a reply escalates exactly when it holds a trigger.
        assert bool(triggers) == (r["intent"] == "escalate"), f"line {n}: {r}"
        assert r["kind"] in kinds, f"line {n}: {r}"


def test_every_fourth_row_as_written_is_a_check_row(written):
    assert [r["split"] for r in written] == ["check" if i % 4 == 0 else "train" for i in range(1, len(written) + 1)]


def test_each_class_and_the_measured_kinds_are_well_represented(written):
    for intent in INTENTS:
        assert sum(r["intent"] == intent for r in written) >= 0.12 * len(written), intent
    for kind in ("supportive", "feeling", "paraphrase", "question", "command", "never_say", "insult"):
        assert sum(r["kind"] == kind for r in written) >= 90, kind


def test_no_reply_twice_nor_in_any_other_labelled_set(written):
    keys = [_key(r["reply"]) for r in written]
    assert len(keys) == len(set(keys))
    others = {_key(r["reply"]) for path in DATA.glob("*.tsv") if path != WRITTEN for r in _rows(path)
              if r.get("reply")}
    assert not set(keys) & others
