"""The replies written one at a time for the wording judge (bench/data/wording_written.tsv and session 11's
and 12's files) are well formed: known labels, the split rule, and no reply shared with any other labelled set."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bench import train_wording_model as training
from simulator.engine.vocabulary import INTENTS, TECHNIQUES, TRIGGERS

DATA = training.DATA
WRITTEN = training.WRITTEN_FILE


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def written() -> list[dict[str, str]]:
    return _rows(WRITTEN)


def _assert_known_labels(name: str, rows: list[dict[str, str]]) -> None:
    """Every row has the columns, and its intent, techniques, triggers and kind are known labels."""
    # The kinds wording_accuracy.py counts (supportive, insult, never_say, command) are spelled as elsewhere.
    kinds = {r["kind"] for r in _rows(DATA / "wording_handwritten.tsv")}
    for n, r in enumerate(rows, start=2):
        assert list(r) == ["reply", "intent", "techniques", "triggers", "kind", "split"], f"{name}:{n}"
        assert r["reply"].strip() and r["intent"] in INTENTS, f"{name}:{n}: {r}"
        assert set(filter(None, r["techniques"].split(","))) <= TECHNIQUES.keys(), f"{name}:{n}: {r}"
        assert set(filter(None, r["triggers"].split(","))) <= TRIGGERS.keys(), f"{name}:{n}: {r}"
        assert r["kind"] in kinds, f"{name}:{n}: {r}"


def test_every_row_has_the_columns_and_known_labels(written):
    assert len(written) >= 1500
    _assert_known_labels(WRITTEN.name, written)
    for n, r in enumerate(written, start=2):
        # As in the hand-written set: a reply escalates exactly when it holds a trigger.
        triggers = set(filter(None, r["triggers"].split(",")))
        assert bool(triggers) == (r["intent"] == "escalate"), f"line {n}: {r}"


def test_every_fourth_row_as_written_is_a_check_row(written):
    assert [r["split"] for r in written] == ["check" if i % 4 == 0 else "train" for i in range(1, len(written) + 1)]


def test_each_class_and_the_measured_kinds_are_well_represented(written):
    for intent in INTENTS:
        assert sum(r["intent"] == intent for r in written) >= 0.12 * len(written), intent
    for kind in ("supportive", "feeling", "paraphrase", "question", "command", "never_say", "insult"):
        assert sum(r["kind"] == kind for r in written) >= 90, kind


# Sessions 11 and 12's files: written one at a time by other writers; every 4th row as written was a
# check row (rows that repeated another file's reply were removed afterwards, so the rule holds only roughly).
LATER = tuple(f.name for f in (*training.WRITTEN_FILES, *training.WRITTEN_APART) if f != WRITTEN)
BLIND = tuple(f.name for f in training.WRITTEN_APART)


@pytest.mark.parametrize("name", LATER)
def test_the_later_files_have_known_labels_and_their_splits(name):
    rows = _rows(DATA / name)
    assert len(rows) >= 500
    _assert_known_labels(name, rows)
    splits = [r["split"] for r in rows]
    if name in BLIND:
        assert set(splits) == {"blind"}
    else:
        assert set(splits) == {"train", "check"}
        assert 0.2 <= splits.count("check") / len(splits) <= 0.3


@pytest.mark.parametrize("name", [WRITTEN.name, *LATER])
def test_no_reply_twice_nor_in_any_other_labelled_set(name):
    keys = [training.plain(r["reply"]) for r in _rows(DATA / name)]
    assert len(keys) == len(set(keys))
    others = {training.plain(r["reply"]) for path in DATA.glob("*.tsv") if path.name != name for r in _rows(path)
              if r.get("reply")}
    clash = sorted(set(keys) & others)
    assert not clash, f"{name} repeats replies of other files: {clash[:5]}"
