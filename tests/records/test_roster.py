"""Trainees and classes (records/roster.py)."""

from __future__ import annotations

import pytest

from simulator.records.roster import UnknownClass, UnknownTrainee
from tests.records.factories import record, shared_session


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


def test_a_trainee_leaves_a_class_and_classes_are_renamed_and_deleted_without_losing_records(store):
    shared = shared_session(store, "Ann", "Bo", "Tue")
    store.save(record("Ann"))
    store.remove_from_class("Bo")
    assert [t.name for t in store.trainees("Tue")] == ["Ann"] and store.trainee("Bo").class_name is None
    assert [r.session_id for r in store.history("Bo")] == [shared.session_id]

    store.rename_class("Tue", " Tuesday ")
    assert store.classes() == ["Tuesday"] and store.load(shared.session_id).class_name == "Tuesday"
    assert store.trainee("Ann").class_name == "Tuesday"
    store.add_class("Wed")
    with pytest.raises(ValueError, match="already a class called 'Wed'"):
        store.rename_class("Tuesday", "Wed")
    with pytest.raises(UnknownClass):
        store.rename_class("Mon", "Monday")

    store.delete_class("Tuesday")
    assert store.classes() == ["Wed"]
    # The trainees and every session and turn stay; the classroom session is still each trainee's.
    assert [t.name for t in store.trainees()] == ["Ann", "Bo"] and store.trainee("Ann").class_name is None
    kept = store.load(shared.session_id)
    assert kept.class_name == "" and [t.trainee for t in kept.state.turns] == ["Ann", "Bo"]
    assert len(store.history("Ann")) == 2 and len(store.history("Bo")) == 1
