"""`simulator assess --batch`: a row that cannot be a reply (a cell past the csv module's field limit,
or far longer than any reply) is reported by its row number, and the other rows are judged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("size", [20_000, 200_000], ids=["long-cell", "past-the-csv-limit"])
def test_one_huge_cell_is_reported_and_the_batch_goes_on(tmp_path, size):
    tsv = tmp_path / "replies.tsv"
    tsv.write_text(f"reply\nI'm so sorry.\n{'x' * size}\nCalm down.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "simulator", "assess", "--batch", str(tsv), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "unexpected" not in done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line.get("intent") for line in lines] == ["deescalate", None, "escalate"]
    assert lines[1]["row"] == 3 and f"{tsv} row 3" in lines[1]["error"]
    assert f"{tsv} row 3:" in done.stderr
