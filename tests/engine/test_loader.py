"""The loader reports every kind of problem as file:line: message, one test per kind."""

from __future__ import annotations

import os

import pytest

from simulator.engine.loader import ScenarioError, check_file, load_library, load_scenario, parse
from tests.engine.conftest import MINI, parse_inline


def problems_of(text: str):
    scenario, problems = parse_inline(text)
    errors = [p for p in problems if p.severity == "error"]
    assert scenario is None and errors, "expected the scenario to be rejected"
    return errors


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def test_the_mini_scenario_is_valid(mini):
    assert mini.start_node == "start"
    assert mini.customer.first_name == "Dana"


def test_yaml_syntax_error_names_the_line():
    text = MINI.replace("    mood: angry\n", "    mood: angry\n   bad: [unclosed\n")
    [p] = problems_of(text)
    assert p.line >= line_of(text, "bad: [unclosed")
    assert "not valid YAML" in p.message


def test_unknown_field_is_named_with_a_suggestion():
    text = MINI.replace("    mood: angry", "    mod: angry")
    [p] = problems_of(text)
    assert p.line == line_of(text, "mod: angry")
    assert "unknown field 'mod'" in p.message and "did you mean 'mood'" in p.message


def test_missing_field():
    text = MINI.replace("title: A late order\n", "")
    [p] = problems_of(text)
    assert "missing field 'title'" in p.message


def test_wrong_type():
    text = MINI.replace("difficulty: 1", "difficulty: hard")
    [p] = problems_of(text)
    assert p.line == line_of(text, "difficulty: hard")
    assert "difficulty" in p.message


def test_unknown_technique_in_a_condition():
    text = MINI.replace("triggers: [calm_down, threat]", "triggers: [calm_down, threats]")
    [p] = problems_of(text)
    assert p.line == line_of(text, "threats")
    assert "'threats'" in p.message


def test_branch_to_a_node_that_does_not_exist():
    text = MINI.replace("goto: listening\n      - when: {keywords", "goto: listenin\n      - when: {keywords")
    errors = problems_of(text)
    assert any("'listenin'" in p.message and p.line == line_of(text, "goto: listenin") for p in errors)


def test_node_no_path_reaches():
    text = MINI.replace("endings:", "  island:\n    say: Nobody gets here.\n    branches:\n"
                                    "      - otherwise: true\n        goto: resolved\nendings:")
    [p] = problems_of(text)
    assert "'island' cannot be reached" in p.message
    assert p.line == line_of(text, "island:")


def test_node_with_no_way_out():
    # 'listening' only loops on itself: once there, no ending can ever be reached.
    text = MINI.replace("""      - when: {intent: deescalate, agitation_below: 60}
        goto: resolved
      - when: {intent: escalate}
        goto: furious
""", "")
    errors = problems_of(text)
    assert any("'listening' has no way out" in p.message for p in errors)


def test_node_without_otherwise():
    text = MINI.replace("      - otherwise: true\n        goto: listening\n", "")
    errors = problems_of(text)
    assert any("no `otherwise` branch" in p.message for p in errors)


def test_branch_after_otherwise_is_dead():
    text = MINI.replace("      - otherwise: true\n        goto: start\n",
                        "      - otherwise: true\n        goto: start\n      - when: {intent: neutral}\n        goto: gave_up\n")
    errors = problems_of(text)
    assert any("can never be taken" in p.message for p in errors)


def test_no_resolved_ending_reachable():
    text = MINI.replace("outcome: resolved", "outcome: unresolved")
    errors = problems_of(text)
    assert any("no `resolved` ending" in p.message for p in errors)


def test_missing_outcome_is_a_warning_not_an_error():
    text = MINI.replace("outcome: unresolved", "outcome: escalated")
    scenario, problems = parse_inline(text)
    assert scenario is not None
    assert [p.severity for p in problems] == ["warning"]
    assert "unresolved" in problems[0].message


def test_every_problem_is_reported_not_only_the_first():
    text = MINI.replace("difficulty: 1", "difficulty: 9").replace("    mood: angry", "    mood: livid")
    errors = problems_of(text)
    assert len(errors) == 2
    assert [p.line for p in errors] == sorted(p.line for p in errors)


def test_duplicate_key():
    text = MINI.replace("  listening:\n", "  start:\n    say: again\n    branches:\n"
                                          "      - otherwise: true\n        goto: resolved\n  listening:\n", 1)
    errors = problems_of(text)
    assert any("'start' appears twice" in p.message for p in errors)


def test_wrong_format_version():
    [p] = problems_of(MINI.replace("format_version: 1", "format_version: 7"))
    assert "format 7" in p.message and "update the simulator" in p.message
    [p] = problems_of(MINI.replace("format_version: 1\n", ""))
    assert "format_version" in p.message


def test_empty_file():
    [p] = problems_of("")
    assert "empty" in p.message


def test_not_a_mapping():
    [p] = problems_of("- just\n- a list\n")
    assert "mapping" in p.message


def test_deeply_nested():
    [p] = problems_of("a: " + "[" * 200 + "]" * 200 + "\n")
    assert "nested" in p.message


def test_binary_and_enormous_and_unreadable_files(tmp_path):
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\x00\x01\x02PNG")
    _, [p] = check_file(binary)
    assert "binary" in p.message and p.file == str(binary)

    big = tmp_path / "big.yaml"
    big.write_text("x: " + "a" * 2_000_000)
    _, [p] = check_file(big)
    assert "KB" in p.message

    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"title: caf\xe9\n")
    _, [p] = check_file(latin)
    assert "UTF-8" in p.message

    if os.geteuid() != 0:  # root reads everything
        locked = tmp_path / "locked.yaml"
        locked.write_text(MINI)
        locked.chmod(0)
        _, [p] = check_file(locked)
        assert "permission" in p.message


def test_load_scenario_raises_with_every_problem(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(MINI.replace("difficulty: 1", "difficulty: 9"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}:")


def test_duplicate_ids_in_a_library(tmp_path):
    (tmp_path / "a.yaml").write_text(MINI)
    (tmp_path / "b.yaml").write_text(MINI)
    lib = load_library([tmp_path])
    assert list(lib.scenarios) == ["mini"]
    assert any("already used" in p.message for p in lib.problems)
    assert lib.find("a") is lib.scenarios["mini"]


def test_a_library_lists_its_scenarios_easiest_first_then_by_title(tmp_path):
    for sid, title, level in (("b", "beta", 3), ("a", "Alpha", 3), ("z", "Zed", 1), ("m", "Mid", 5)):
        (tmp_path / f"{sid}.yaml").write_text(MINI.replace("id: mini", f"id: {sid}")
                                              .replace("title: ", f"title: {title}  # ", 1)
                                              .replace("difficulty: 1", f"difficulty: {level}"))
    lib = load_library([tmp_path])
    assert not lib.problems, lib.problems
    assert [(s.difficulty, s.title) for s in lib.by_difficulty()] == [(1, "Zed"), (3, "Alpha"), (3, "beta"), (5, "Mid")]


@pytest.mark.parametrize("text", [
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "a: " + "{b: " * 50_000 + "1" + "}" * 50_000 + "\n",
    "- " * 100_000 + "x\n",
    "".join(" " * i + "k:\n" for i in range(3000)) + " " * 3000 + "v: 1\n",
])
def test_absurd_nesting_is_refused_without_crashing(text):
    [p] = problems_of(text)
    assert "nested" in p.message


def test_bracketed_text_in_a_spoken_line_is_a_warning_naming_the_line():
    text = MINI.replace("    say: Forget it.\n", "    say:\n      - Forget it.\n      - Forget it. (She walks off.)\n")
    scenario, problems = parse(text, "bracket.yaml")
    assert scenario is not None
    line = text.splitlines().index("      - Forget it. (She walks off.)") + 1
    assert [(p.line, p.severity) for p in problems] == [(line, "warning")]
    assert "(She walks off.)" in problems[0].message
    assert "direction:" in problems[0].message
    assert str(problems[0]).startswith(f"bracket.yaml:{line}: warning:")


def test_a_misspelt_branch_target_names_the_line_and_suggests_the_right_one():
    text = MINI.replace("{intent: escalate}\n        goto: furious", "{intent: escalate}\n        goto: furius")
    [p] = problems_of(text)
    assert p.line == line_of(text, "goto: furius")
    assert p.message == "branch goes to 'furius', which is neither a node nor an ending; did you mean 'furious'?"
    assert str(p).startswith(f"inline.yaml:{p.line}: ")


def test_a_misspelt_target_is_reported_together_with_the_other_errors():
    # A field error stops the scenario being built; the misspelt target is still found and reported.
    text = MINI.replace("        goto: furious\n", "        goto: furios\n", 1).replace("difficulty: 1", "difficulty: hard")
    problems = problems_of(text)
    assert [p.line for p in problems] == [line_of(text, "difficulty: hard"), line_of(text, "goto: furios")]
    assert "did you mean 'furious'?" in problems[1].message


def test_a_misspelt_start_node_suggests_the_right_one():
    text = MINI.replace("skills: [empathy, apologise]\n", "skills: [empathy, apologise]\nstart: listenning\n")
    [p] = problems_of(text)
    assert p.line == line_of(text, "start: listenning")
    assert "start node 'listenning' does not exist; did you mean 'listening'?" in p.message


def test_a_target_with_no_close_match_gets_no_suggestion():
    text = MINI.replace("{intent: escalate}\n        goto: furious", "{intent: escalate}\n        goto: somewhere_else")
    [p] = problems_of(text)
    assert p.message == "branch goes to 'somewhere_else', which is neither a node nor an ending"


@pytest.mark.parametrize("setting", ["hotel", "healthcare", "transport", "call_centre"])
def test_a_scenario_may_name_another_setting(setting):
    scenario, problems = parse_inline(MINI.replace("setting: retail", f"setting: {setting}"))
    assert scenario is not None and scenario.setting == setting and not problems


def test_a_setting_close_to_a_known_one_is_a_warning_with_a_suggestion():
    text = MINI.replace("setting: retail", "setting: retial")
    scenario, problems = parse_inline(text)
    assert scenario is not None
    [p] = problems
    assert p.severity == "warning" and p.line == line_of(text, "setting: retial")
    assert "did you mean 'retail'?" in p.message


def test_a_setting_must_be_a_lower_case_word():
    text = MINI.replace("setting: retail", "setting: Healthcare Reception")
    [p] = problems_of(text)
    assert p.line == line_of(text, "setting:") and "setting" in p.message


def test_next_lines_are_what_the_customer_may_say_after_a_reply_in_branch_order():
    scenario, problems = parse_inline(MINI)
    assert scenario is not None, problems
    assert scenario.next_lines("start") == ["That's it, I'm done here!", "Fine. Where is it then?", "Forget it.",
                                            "Where is my order?", "I've waited forty minutes!"]
    assert scenario.next_lines("listening") == ["Thank you.", "That's it, I'm done here!", "Fine. Where is it then?"]
    assert scenario.next_lines("resolved") == []  # an ending: nothing follows
