"""Coverage of a scenario across the records: each branch and ending reached or never, on SQLite and PostgreSQL."""

from __future__ import annotations

from simulator.records.coverage import coverage_lines
from tests.engine.conftest import MINI, parse_inline
from tests.records.factories import played


def mini():
    scenario, problems = parse_inline(MINI)
    assert scenario is not None, problems
    return scenario


def test_coverage_counts_every_branch_and_ending_reached_and_names_those_never_reached(store):
    scenario = mini()
    store.save(played(scenario, "+ sorry", "+ here it is"))  # start 2 -> listening 1 -> resolved
    store.save(played(scenario, "+ sorry", "+ here it is", trainee="Alex Moreno"))
    store.save(played(scenario, "! calm down", trainee="", class_name="Tuesday"))  # start 1 -> furious
    store.save(played(scenario, "hmm", "+ sorry"))  # start 4 (otherwise), then start 2; unfinished
    other = parse_inline(MINI.replace("id: mini", "id: other"))[0]
    store.save(played(other, "! calm down"))  # another scenario: not counted

    report = store.coverage(scenario)
    assert report.sessions == 4
    counts = {(b.node_id, b.index): (b.turns, b.sessions) for b in report.branches}
    assert counts == {("start", 0): (1, 1), ("start", 1): (3, 3), ("start", 2): (0, 0), ("start", 3): (1, 1),
                      ("listening", 0): (2, 2), ("listening", 1): (0, 0), ("listening", 2): (0, 0)}
    assert [(b.node_id, b.index, b.condition, b.target) for b in report.untaken] == [
        ("start", 2, "words: “manager”", "gave_up"),
        ("listening", 1, "intent: escalate", "furious"),
        ("listening", 2, "otherwise", "listening")]
    assert {e.ending_id: e.sessions for e in report.endings} == {"resolved": 2, "furious": 1, "gave_up": 0}
    assert [e.ending_id for e in report.unreached] == ["gave_up"]

    text = coverage_lines(report)
    assert text[0] == "Coverage of “A late order” (mini): 4 sessions in the records"
    assert "Branches taken: 4 of 7" in text and "Endings reached: 2 of 3" in text
    assert "    2. intent: deescalate -> listening: taken 3 times in 3 sessions" in text
    assert "    3. words: “manager” -> gave_up: NEVER TAKEN" in text
    assert "  gave_up (unresolved): NEVER REACHED" in text
    assert text[text.index("Never seen by a trainee:") + 1:] == [
        "  branch 3 of start (words: “manager” -> gave_up)",
        "  branch 2 of listening (intent: escalate -> furious)",
        "  branch 3 of listening (otherwise -> listening)",
        "  ending gave_up (unresolved)"]


def test_a_branch_whose_target_was_edited_counts_from_nothing(store):
    scenario = mini()
    store.save(played(scenario, "! calm down"))
    edited = parse_inline(MINI.replace("      - when: {triggers: [calm_down, threat]}\n        goto: furious",
                                       "      - when: {triggers: [calm_down, threat]}\n        goto: gave_up"))[0]
    assert edited is not None
    report = store.coverage(edited)
    first = next(b for b in report.branches if (b.node_id, b.index) == ("start", 0))
    assert (first.target, first.turns) == ("gave_up", 0)


def test_a_scenario_nobody_played(store):
    report = store.coverage(mini())
    assert report.sessions == 0 and len(report.untaken) == len(report.branches) == 7
    assert "Never seen by a trainee:" in coverage_lines(report)
