"""What a report covers, its summary figures, and the CSV export (one row per turn)."""

from __future__ import annotations

import csv

import pytest

from simulator.fileio import StorageError
from simulator.records.reports import CSV_COLUMNS, build_report, csv_text, summarise, write_csv
from simulator.records.roster import UnknownClass, UnknownTrainee
from simulator.records.sessions import SessionNotFound
from tests.records.factories import classroom_session, record, sample_class


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(text.lstrip("\ufeff").splitlines()))


def test_a_class_report_covers_its_roster_oldest_session_first(store):
    s = sample_class(store)
    report = build_report(store, class_name="Tuesday evening")
    assert [r.session_id for r in report.sessions] == [
        s[k].session_id for k in ("sam_door", "sam_pickup", "alex_pickup", "alex_refund", "sam_refund")]
    assert [t.name for t in report.roster] == ["Alex Moreno", "Jo Kim", "Sam Patel"]
    assert report.title == "Class report: Tuesday evening"
    summary = summarise(report)
    assert (summary.sessions, summary.finished, summary.turns, summary.trainees) == (5, 4, 10, 2)
    assert summary.outcomes == {"resolved": 2, "unresolved": 1, "escalated": 1}
    assert summary.mean_score == 59.0
    assert summary.overrides == 2
    assert summary.triggers[0] == ("calm_down", 2)


def test_trainee_and_session_reports(store):
    s = sample_class(store)
    trainee = build_report(store, trainee="Sam Patel")
    assert len(trainee.sessions) == 3 and trainee.roster[0].class_name == "Tuesday evening"
    one = build_report(store, session_id=s["sam_pickup"].session_id)
    assert one.sessions == [store.load(s["sam_pickup"].session_id)]
    assert one.title == "Session report: Late click-and-collect pickup — Sam Patel"


def test_unknown_subjects_are_named(store):
    sample_class(store)
    with pytest.raises(UnknownClass, match="no class called 'Friday'"):
        build_report(store, class_name="Friday")
    with pytest.raises(UnknownTrainee, match="no trainee called 'Zed'"):
        build_report(store, trainee="Zed")
    with pytest.raises(SessionNotFound):
        build_report(store, session_id="missing")
    with pytest.raises(ValueError):
        build_report(store, trainee="Sam Patel", class_name="Tuesday evening")


def test_csv_has_a_row_per_turn_with_the_feedback(store, tmp_path):
    s = sample_class(store)
    path = tmp_path / "class.csv"
    write_csv(build_report(store, class_name="Tuesday evening"), path)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())  # spreadsheets read it as UTF-8
    rows = _rows(raw.decode("utf-8"))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == 10
    turn = next(r for r in rows if r["session_id"] == s["sam_pickup"].session_id and r["turn"] == "1")
    assert turn["class"] == "Tuesday evening" and turn["trainee"] == "Sam Patel"
    assert turn["triggers"] == 'calm_down: "Calm down"; policy: "Our policy is"'
    assert turn["intent"] == "escalate" and turn["tone"] == "raised"
    assert turn["agitation_before"] == "72" and turn["agitation_after"] == "86"
    assert turn["outcome"] == "resolved" and turn["score"] == "78"
    assert "calm down usually does the opposite" in turn["explanation"]
    overridden = next(r for r in rows if r["session_id"] == s["sam_pickup"].session_id and r["turn"] == "2")
    assert overridden["override"] == "calmer"
    # A reply that looks like a formula stays text in a spreadsheet.
    assert any(r["reply"] == "'=1+1 let's see what we can do" for r in rows)


def test_a_session_without_turns_still_gets_a_row(store):
    empty = record("Ann", n_turns=0)
    store.save(empty)
    rows = _rows(csv_text(build_report(store, session_id=empty.session_id)))
    assert len(rows) == 1 and rows[0]["session_id"] == empty.session_id and rows[0]["turn"] == ""


def test_the_trainers_notes_have_their_columns(store):
    shared = classroom_session(store)
    store.save_note(shared.session_id, "=Good teamwork")
    store.save_note(shared.session_id, "Voice raised", turn_index=1)
    rows = _rows(csv_text(build_report(store, session_id=shared.session_id)))
    assert [r["trainer_note"] for r in rows] == ["", "Voice raised", ""]
    assert {r["session_note"] for r in rows} == {"'=Good teamwork"}  # stays text in a spreadsheet
    empty = record("Ann", n_turns=0)
    empty.trainer_note = "Never started"
    store.save(empty)
    [row] = _rows(csv_text(build_report(store, session_id=empty.session_id)))
    assert (row["trainer_note"], row["session_note"]) == ("", "Never started")


def test_an_unwritable_csv_path_is_explained(store, tmp_path):
    sample_class(store)
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StorageError, match="could not be saved"):
        write_csv(build_report(store, trainee="Sam Patel"), blocker / "out.csv")


def test_a_classroom_session_credits_each_turn_to_whoever_answered_it(store):
    from simulator.records.reports import took_part, turns_of

    store.add_trainee("Ana", "Tue")
    store.add_trainee("Ben", "Tue")
    shared = record("Ana", n_turns=3, outcome="resolved")
    shared.state.turns = [t.model_copy(update={"trainee": name, "override": "calmer" if name == "Ben" else None})
                          for t, name in zip(shared.state.turns, ["Ana", "Ben", "Ana"], strict=True)]
    shared.trainee, shared.class_name = "", "Tue"
    store.save(shared)
    saved = store.load(shared.session_id)
    assert took_part(saved, "Ben") and not took_part(saved, "Cleo")
    assert [t.index for t in turns_of(saved, "Ana")] == [0, 2] and [t.index for t in turns_of(saved, "Ben")] == [1]
    # Ben's own report has the session, and the class CSV says who answered each turn.
    assert [r.session_id for r in build_report(store, trainee="Ben").sessions] == [shared.session_id]
    rows = _rows(csv_text(build_report(store, class_name="Tue")))
    # The CSV's trainee is whoever answered the turn, not the session's first trainee.
    assert [(r["class"], r["trainee"], r["answered_by"], r["override"]) for r in rows] == [
        ("Tue", "Ana", "Ana", ""), ("Tue", "Ben", "Ben", "calmer"), ("Tue", "Ana", "Ana", "")]
    # The session's report is titled with the class; Ben's own report does not name Ana as its trainee.
    assert build_report(store, session_id=shared.session_id).title == "Session report: Late Pickup — Tue"
    assert {r["trainee"] for r in _rows(csv_text(build_report(store, trainee="Ben")))} == {"Ana", "Ben"}
    assert summarise(build_report(store, class_name="Tue")).trainees == 2


def test_a_trainee_s_score_in_a_shared_classroom_session_is_that_of_the_turns_they_answered(store):
    from simulator.records.reports import trainee_score

    shared = classroom_session(store)
    # The whole session: outcome 35 + techniques 8.3 + triggers 13.3 + tone 7.5 + calming 6.7.
    assert shared.score == 70.8
    # Ana: 35 + 12.5 + 20 + 10 + 10; Ben: 35 + 0 + 0 + 2.5 (raised) + 0.
    assert (trainee_score(shared, "Ana"), trainee_score(shared, "Ben")) == (87.5, 37.5)
    assert trainee_score(shared, None) == trainee_score(shared, "") == 70.8
    # A session of their own keeps its stored score (here not the rubric's recomputation); none stays none.
    solo = record("Ana", outcome="resolved", score=64.0, started_at="2025-03-05T18:00:00+00:00")
    unfinished = record("Ana", started_at="2025-03-06T18:00:00+00:00")
    for r in (solo, unfinished):
        store.save(r)
    assert trainee_score(store.load(solo.session_id), "Ana") == 64.0
    assert trainee_score(store.load(unfinished.session_id), "Ana") is None
    # Filed under Cleo, who answered none of its turns: no score of hers, not 0.
    theirs = shared.model_copy(deep=True)
    theirs.trainee, theirs.state.session_id = "Cleo", "cleo-filed"
    theirs.state.started_at = "2025-03-07T18:00:00+00:00"
    store.save(theirs)
    assert trainee_score(store.load("cleo-filed"), "Cleo") is None

    # Each trainee's report: the summary, the CSV's score column.
    # Ana and Ben answered the same turns of Cleo's copy, so it counts for them as the original does.
    assert summarise(build_report(store, trainee="Ana")).mean_score == round((87.5 + 64.0 + 87.5) / 3, 1)
    assert summarise(build_report(store, trainee="Ben")).mean_score == 37.5
    assert summarise(build_report(store, trainee="Cleo")).mean_score is None
    ben = _rows(csv_text(build_report(store, trainee="Ben")))
    assert [(r["session_id"], r["answered_by"], r["score"]) for r in ben] == [
        (shared.session_id, "Ana", "37.5"), (shared.session_id, "Ben", "37.5"), (shared.session_id, "Ana", "37.5"),
        ("cleo-filed", "Ana", "37.5"), ("cleo-filed", "Ben", "37.5"), ("cleo-filed", "Ana", "37.5")]
    cleo = _rows(csv_text(build_report(store, trainee="Cleo")))
    assert {r["score"] for r in cleo} == {""}
    # A session's and a class's reports keep the whole session's score.
    assert {r["score"] for r in _rows(csv_text(build_report(store, session_id=shared.session_id)))} == {"70.8"}
    assert summarise(build_report(store, class_name="Tue")).mean_score == round((70.8 + 64.0 + 70.8) / 3, 1)


def test_a_trainee_s_report_counts_the_techniques_and_triggers_of_the_turns_they_answered(store):
    shared = classroom_session(store)  # Ana's turns 1 and 3 show empathy; Ben's turn 2 says "Calm down."
    # A session of Ana's own: its turns name no trainee, and every one counts for her.
    store.save(record("Ana", n_turns=2, outcome="resolved", started_at="2025-03-05T18:00:00+00:00"))
    assert [t.index for t in build_report(store, trainee="Ben").behaviour_turns(shared)] == [1]
    reports = {"Ana": build_report(store, trainee="Ana"), "Ben": build_report(store, trainee="Ben"),
               "Cleo": build_report(store, trainee="Cleo"), "class": build_report(store, class_name="Tue"),
               "session": build_report(store, session_id=shared.session_id)}
    counts = {name: (s.techniques, s.triggers) for name, s in ((n, summarise(r)) for n, r in reports.items())}
    assert counts == {
        "Ana": ([("empathy", 4)], []),
        "Ben": ([], [("calm_down", 1)]),
        "Cleo": ([], []),
        # A class's and a session's reports count every turn, whoever answered it.
        "class": ([("empathy", 4)], [("calm_down", 1)]),
        "session": ([("empathy", 2)], [("calm_down", 1)]),
    }


def test_a_trainee_s_report_counts_their_own_replies_and_the_overrides_of_them(store):
    shared = classroom_session(store)  # Ana answered turns 1 and 3, Ben turn 2
    shared.state.turns[1] = shared.state.turns[1].model_copy(update={"override": "calmer"})
    store.save(shared)
    ben, ana = summarise(build_report(store, trainee="Ben")), summarise(build_report(store, trainee="Ana"))
    assert (ben.turns, ben.overrides) == (1, 1)
    assert (ana.turns, ana.overrides) == (2, 0)
    whole = summarise(build_report(store, class_name="Tue"))
    assert (whole.turns, whole.overrides) == (3, 1)


def test_csv_keeps_a_corrected_reply_beside_the_one_heard_and_says_a_session_was_restarted(store):
    from tests.records.factories import corrected_session

    r = corrected_session(store, restarted=True)
    empty = record("Ann", n_turns=0)
    store.save(empty)
    rows = _rows(csv_text(build_report(store, session_id=r.session_id)))
    first, second = rows
    assert (first["reply"], first["triggers"]) == ("that was a dick", 'insult: "a dick"')
    assert first["corrected_reply"] == "that was our mistake" and first["corrected_intent"] == "deescalate"
    assert first["corrected_techniques"] == 'apologise: "our mistake"' and first["corrected_triggers"] == ""
    assert second["corrected_reply"] == "" and first["restarted"] == second["restarted"] == "yes"
    [row] = _rows(csv_text(build_report(store, session_id=empty.session_id)))
    assert list(row) == CSV_COLUMNS and row["restarted"] == "no" and row["turn"] == ""
