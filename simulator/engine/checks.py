"""Checks on a scenario's graph that types alone cannot express: targets, reachability, ways out."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from simulator.engine.model import Scenario
from simulator.engine.problems import Problem
from simulator.engine.vocabulary import OUTCOMES, SETTINGS
from simulator.yamldoc import Path_


def _edges(scenario: Scenario) -> dict[str, list[str]]:
    return {nid: [b.goto for b in node.branches if b.goto in scenario.nodes or b.goto in scenario.endings]
            for nid, node in scenario.nodes.items()}


def _reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _leading_to(goals: set[str], edges: dict[str, list[str]]) -> set[str]:
    """Every node from which one of `goals` can be reached: one pass over the reversed edges."""
    back: dict[str, list[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            back.setdefault(target, []).append(source)
    seen = set(goals)
    todo = list(goals)
    while todo:
        for previous in back.get(todo.pop(), []):
            if previous not in seen:
                seen.add(previous)
                todo.append(previous)
    return seen


def did_you_mean(name: str, choices: Sequence[str]) -> str:
    """"; did you mean 'x'?" for the choice closest to a misspelt name, or ""."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def unknown_targets(start: str | None, gotos: Mapping[str, Sequence[Any]],
                    endings: Sequence[str]) -> list[tuple[Path_, str]]:
    """A start node or a branch target that names nothing, each with its path and message.

    `gotos` maps each node id to its branches' targets (None where a branch has none). Run on the
    checked scenario, and on the file's raw data when other errors stop it being built, so a
    misspelt target is reported together with those errors.
    """
    found: list[tuple[Path_, str]] = []
    nodes = list(gotos)
    if start is not None and start not in gotos:
        found.append((("start",), f"start node '{start}' does not exist{did_you_mean(start, nodes)} "
                                  f"(nodes: {', '.join(nodes)})"))
    targets = [*nodes, *endings]
    for nid, branch_targets in gotos.items():
        for i, goto in enumerate(branch_targets):
            if isinstance(goto, str) and goto not in targets:
                found.append((("nodes", nid, "branches", i, "goto"),
                              f"branch goes to '{goto}', which is neither a node nor an ending"
                              f"{did_you_mean(goto, targets)}"))
    return found


def raw_targets(data: Mapping[str, Any]) -> list[tuple[Path_, str]]:
    """`unknown_targets` on a file's data as read, before (or without) it validates."""
    nodes, endings = data.get("nodes"), data.get("endings")
    if not isinstance(nodes, dict):
        return []
    def branches(node: Any) -> list[Any]:
        found = node.get("branches") if isinstance(node, dict) else None
        return found if isinstance(found, list) else []

    gotos = {str(nid): [b.get("goto") if isinstance(b, dict) else None for b in branches(node)]
             for nid, node in nodes.items()}
    start = data.get("start")
    return unknown_targets(start if isinstance(start, str) else None, gotos,
                           [str(e) for e in endings] if isinstance(endings, dict) else [])


def check_setting(scenario: Scenario, file: str, line: Callable[[Path_], int]) -> list[Problem]:
    """A warning for a setting that is not one the library knows but is close to one (a likely typo)."""
    if scenario.setting in SETTINGS:
        return []
    hint = did_you_mean(scenario.setting, SETTINGS)
    if not hint:
        return []
    return [Problem(file, line(("setting",)), f"setting '{scenario.setting}' is not one the library knows{hint} "
                                              "(another setting is fine: it is shown as written)", "warning")]


def check_graph(scenario: Scenario, file: str, line: Callable[[Path_], int]) -> list[Problem]:
    problems: list[Problem] = []

    def error(path: Path_, message: str, severity: str = "error") -> None:
        problems.append(Problem(file, line(path), message, severity))

    for shared in sorted(set(scenario.nodes) & set(scenario.endings)):
        error(("endings", shared), f"'{shared}' is both a node and an ending; ids must be unique")

    unknown = unknown_targets(scenario.start, {nid: [b.goto for b in node.branches]
                                               for nid, node in scenario.nodes.items()}, list(scenario.endings))
    for path, message in unknown:
        error(path, message)
    if scenario.start is not None and scenario.start not in scenario.nodes:
        return problems

    for nid, node in scenario.nodes.items():
        fallback_at = None
        for i, branch in enumerate(node.branches):
            where = ("nodes", nid, "branches", i)
            if branch.otherwise and fallback_at is None:
                fallback_at = i
            elif fallback_at is not None:
                error(where, f"this branch comes after `otherwise` at branches[{fallback_at}] and can never be taken")
        if fallback_at is None:
            error(("nodes", nid, "branches"), f"node '{nid}' has no `otherwise` branch: when no condition matches, "
                                              "the conversation would have nowhere to go; add one last")

    edges = _edges(scenario)
    reached = _reachable(scenario.start_node, edges)
    for nid in scenario.nodes:
        if nid not in reached:
            error(("nodes", nid), f"node '{nid}' cannot be reached from the start node '{scenario.start_node}'")
    for eid in scenario.endings:
        if eid not in reached:
            error(("endings", eid), f"ending '{eid}' cannot be reached from the start node '{scenario.start_node}'")

    # A node from which no ending can be reached traps the trainee in a loop forever.
    # Found backwards from the endings in one pass; a search from every node took minutes on big graphs.
    escapes = _leading_to(set(scenario.endings), edges)
    for nid in scenario.nodes:
        if nid in reached and nid not in escapes:
            error(("nodes", nid), f"node '{nid}' has no way out: no ending can be reached from it")

    outcomes = {scenario.endings[e].outcome for e in reached if e in scenario.endings}
    if "resolved" not in outcomes:
        error(("endings",), "no `resolved` ending can be reached: a trainee could never succeed")
    for outcome in OUTCOMES:
        if outcome != "resolved" and outcome not in outcomes:
            error(("endings",), f"no reachable ending has outcome `{outcome}`; trainees learn most when every "
                                "outcome is possible", severity="warning")
    return problems


# Brackets in a spoken line are almost always a stage direction the voice would read aloud.
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def check_spoken(scenario: Scenario, file: str, line: Callable[[Path_], int]) -> list[Problem]:
    """Warnings for bracketed text in `say` lines: it belongs in `direction:`, shown and not spoken."""
    problems: list[Problem] = []
    for section, items in (("nodes", scenario.nodes), ("endings", scenario.endings)):
        for item_id, item in items.items():
            for i, text in enumerate(item.say):
                found = _BRACKETED.search(text)
                if found:
                    problems.append(Problem(
                        file, line((section, item_id, "say", i)),
                        f"'{found.group()}' in what {scenario.customer.first_name} says would be read aloud; "
                        "if it is a stage direction, move it to `direction:` (shown, never spoken)", "warning"))
    return problems
