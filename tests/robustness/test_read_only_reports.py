"""A data folder that has gone read-only still gives its reports: `simulator report` reads the records
file without writing to it and writes the PDF and CSV wherever it is told."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from simulator.records.store import SessionStore
from tests.records.factories import record

ROOT = Path(__file__).resolve().parents[2]


def test_a_report_is_written_elsewhere_from_a_read_only_data_folder(small_disk, tmp_path, monkeypatch):
    disk = small_disk.path
    store = SessionStore(disk)
    store.save(record(trainee="Sam Patel"))
    store.close()
    small_disk.read_only(True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "report", "--trainee", "Sam Patel",
         "--pdf", str(elsewhere / "x.pdf"), "--csv", str(elsewhere / "x.csv")],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
        env={**__import__("os").environ, "SIMULATOR_DATA_DIR": str(disk), "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert (elsewhere / "x.pdf").read_bytes().startswith(b"%PDF")
    assert "Sam Patel" in (elsewhere / "x.csv").read_text(encoding="utf-8")
    assert sorted(p.name for p in disk.iterdir()) == ["simulator.db"]  # nothing written beside it
