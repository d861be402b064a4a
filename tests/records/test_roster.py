"""Trainees and classes (records/roster.py)."""

from __future__ import annotations

import pytest

from simulator.records.roster import UnknownClass, UnknownTrainee
from tests.records.factories import record


def test_trainees_and_class_rosters(store):
    store.add_trainee("Ann", "Tuesday evening")
    store.add_trainee("Bo", "Tuesday evening")
    store.add_trainee("Cy")
    store.save(record("Dee"))  # a session's trainee gets a profile
    assert store.add_trainee("Ann").class_name == "Tuesday evening"  # adding again finds them
    assert [t.name for t in store.trainees()] == ["Ann", "Bo", "Cy", "Dee"]
    assert [t.name for t in store.trainees("Tuesday evening")] == ["Ann", "Bo"]
    store.add_trainee("Bo", "Weekend")  # moving keeps the history
    assert [t.name for t in store.trainees("Weekend")] == ["Bo"]
    assert store.classes() == ["Tuesday evening", "Weekend"]
    with pytest.raises(UnknownClass, match="no class called 'Nope'"):
        store.trainees("Nope")
    with pytest.raises(UnknownTrainee, match="no trainee called 'Nope'"):
        store.trainee("Nope")
    with pytest.raises(ValueError):
        store.add_trainee("  ")
