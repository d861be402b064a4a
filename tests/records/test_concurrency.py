"""Stations writing to one store at the same moment lose nothing: threads, and separate processes."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from simulator.records.store import SessionStore
from tests.records.factories import record, turn

SESSIONS_EACH = 4
TURNS_EACH = 3


def _station(url: str, name: str, errors: list[BaseException], start: threading.Barrier) -> None:
    store = SessionStore(url=url, station=name)
    try:
        start.wait()
        for n in range(SESSIONS_EACH):
            # Every station's trainees overlap, so profiles are created concurrently too.
            r = record(f"Trainee {n % 3}", n_turns=0)
            for i in range(TURNS_EACH):
                r.state.turns.append(turn(i))
                store.save(r)  # after every turn, as the app does
            r.state.outcome = "resolved"
            store.save(r)
    except BaseException as exc:
        errors.append(exc)
    finally:
        store.close()


def test_stations_saving_at_once_keep_every_row(store, database_url):
    stations = 4
    errors: list[BaseException] = []
    start = threading.Barrier(stations)
    threads = [threading.Thread(target=_station, args=(database_url, f"st{k}", errors, start))
               for k in range(stations)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    saved = store.all()
    assert len(saved) == stations * SESSIONS_EACH
    assert all(len(r.state.turns) == TURNS_EACH and r.state.outcome == "resolved" for r in saved)
    assert sorted({r.station for r in saved}) == [f"st{k}" for k in range(stations)]
    assert [t.name for t in store.trainees()] == ["Trainee 0", "Trainee 1", "Trainee 2"]
    assert sum(p.techniques["empathy"] for p in store.score_trend("Trainee 0")) == (
        stations * 2 * TURNS_EACH)


_WRITER = """
import sys
from simulator.records.store import SessionStore
from tests.records.factories import record, turn
store = SessionStore(url=sys.argv[1], station=sys.argv[2])
for n in range(int(sys.argv[3])):
    r = record("Shared trainee", n_turns=0)
    for i in range(3):
        r.state.turns.append(turn(i))
        store.save(r)
print("ok")
"""


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_processes_writing_one_postgresql_store(store, database_url):
    """The training-centre set-up: separate programs, one server."""
    root = Path(__file__).resolve().parents[2]
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, database_url, f"proc{k}", "4"], cwd=root,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for k in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    saved = store.all()
    assert len(saved) == 8
    assert {len(r.state.turns) for r in saved} == {3}
    assert {r.station for r in saved} == {"proc0", "proc1"}
