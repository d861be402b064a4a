"""Scenario files written to hurt: YAML aliases that expand exponentially ("billion laughs"), and a
valid-size scenario with thousands of nodes. Each is refused in bounded time with file:line, by
`validate`, by `play` and by the library the app shows."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.engine import loader
from simulator.engine.loader import MAX_SCENARIO_NODES, load_library, parse
from tests.ui.conftest import SCENARIO

# Nine levels of ten aliases: 10**9 strings once expanded, from 1 KB of text.
LAUGHS = "\n".join(
    ["format_version: 1", "id: laughs", "title: &a0 lol"]
    + [f"l{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    + ["nodes: *a9"]) + "\n"


def _many_nodes(count: int) -> str:
    """A well-formed scenario whose nodes form one long chain to the ending."""
    head = SCENARIO.split("nodes:")[0]
    lines = [head + "nodes:"]
    for i in range(count):
        nxt = f"n{i + 1}" if i + 1 < count else "sorted"
        escalate = "{when: {intent: escalate}, goto: blows_up}, " if i == 0 else ""
        lines.append(f"  n{i}: {{say: L{i}, branches: [{escalate}{{otherwise: true, goto: {nxt}}}]}}")
    lines.append("start: n0\nendings:\n  sorted:\n    outcome: resolved\n    say: Fine.\n"
                 "  blows_up:\n    outcome: escalated\n    say: No!\n")
    return "\n".join(lines)


def _timed(function, *args):
    began = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - began


def test_aliases_that_expand_exponentially_are_refused_at_their_line():
    assert len(LAUGHS) < 1200
    (scenario, problems), seconds = _timed(parse, LAUGHS, "laughs.yaml")
    assert scenario is None and seconds < 2
    assert len(problems) == 1
    problem = problems[0]
    assert problem.line > 1 and "alias" in problem.message
    assert "laughs.yaml" in str(problem)


def test_a_recursive_alias_is_refused():
    text = "format_version: 1\nid: loop\nnodes: &n {a: *n}\n"
    (scenario, problems), seconds = _timed(parse, text, "loop.yaml")
    assert scenario is None and seconds < 2 and problems and problems[0].line >= 1


def test_a_few_modest_aliases_still_load():
    text = SCENARIO.replace("skills: [empathy, apologise, offer_options]",
                            "skills: &skills [empathy, apologise, offer_options]\nx-shared: *skills")
    # An unknown field is an error of its own; the point is that the aliases were not refused.
    _, problems = parse(text, "ok.yaml")
    assert not any("alias" in p.message for p in problems)


def test_thousands_of_nodes_are_refused_quickly_with_a_clear_message():
    text = _many_nodes(12_000)
    assert len(text) < 1_000_000  # a valid size
    (scenario, problems), seconds = _timed(parse, text, "huge.yaml")
    assert scenario is None and seconds < 10
    assert any(f"at most {MAX_SCENARIO_NODES}" in p.message for p in problems), problems


def test_graph_checks_are_linear(monkeypatch):
    # Past the cap, to show the checks themselves take one pass: a chain of 12,000 nodes, whose way
    # out was searched from every node (minutes), is checked in about a second.
    monkeypatch.setattr(loader, "MAX_SCENARIO_NODES", 20_000)
    (scenario, problems), seconds = _timed(parse, _many_nodes(12_000), "big.yaml")
    assert scenario is not None, problems
    assert seconds < 10


def test_the_largest_scenario_allowed_loads():
    scenario, problems = parse(_many_nodes(MAX_SCENARIO_NODES - 2), "big.yaml")
    assert scenario is not None, problems


@pytest.mark.parametrize("command", ["validate", "play"])
def test_the_command_line_refuses_the_laughs_at_once(tmp_path, command):
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "simulator", command, str(path)], capture_output=True,
                            text=True, timeout=60, input="")
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert f"{path}:" in result.stderr and "alias" in result.stderr


def test_the_library_lists_the_laughs_as_a_problem_and_loads_the_rest(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "laughs.yaml").write_text(LAUGHS, encoding="utf-8")
    (folder / "parcel.yaml").write_text(SCENARIO, encoding="utf-8")
    library, seconds = _timed(load_library, [folder])
    assert seconds < 5
    assert list(library.scenarios) == ["parcel"]
    assert [Path(p.file).name for p in library.problems if p.severity == "error"] == ["laughs.yaml"]


@pytest.mark.parametrize(("change", "says", "line"), [
    (("difficulty: 2", "difficulty: " + "9" * 5000), "5,000 digits long", 5),
    (("difficulty: 2", "difficulty: 2\n? [a, b]\n: x"), "complex key", 6),
    (("  agitation: 60", "  agitation: 60\n  ? {a: 1}\n  : x"), "complex key", 14),
    (("  agitation: 60", "  agitation: .nan"), "finite number", 13),
    (("title: The missing parcel", "title: x\n" + "".join(" " * (i + 1) + "a:\n" for i in range(60)).replace(" a:", "a:", 1)),
     "nested more than 40 levels", 0),
], ids=["long-number", "complex-key", "complex-key-in-a-mapping", "nan", "nested-60"])
def test_odd_yaml_values_are_problems_with_a_line_not_unexpected_errors(change, says, line):
    scenario, problems = parse(SCENARIO.replace(*change), "odd.yaml")
    assert scenario is None
    found = [p for p in problems if says in p.message]
    assert found, problems
    assert found[0].line == line if line else found[0].line > 1
