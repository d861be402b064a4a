"""Coverage of a scenario: which branches and endings trainees have reached across the records, and which never.

    report = coverage(engine, scenario)      # counted in the database, one query per question
    report.untaken, report.unreached         # what no trainee has ever seen
    coverage_lines(report)                   # as text (`simulator report --coverage`, the authoring view)

A branch counts as taken when a turn at its node took it (same index, same target: a branch whose
target was edited since starts again from nothing). Every session counts, a trainee's own and a
class's, finished or not.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from simulator.engine.graph_layout import describe_condition
from simulator.engine.model import Scenario
from simulator.records import db
from simulator.records.schema import sessions, turns


@dataclass(frozen=True)
class BranchCount:
    node_id: str
    index: int  # into the node's branches
    target: str
    condition: str  # the condition in a few words ("otherwise" for the fallback)
    turns: int  # how many times it was taken
    sessions: int  # in how many sessions


@dataclass(frozen=True)
class EndingCount:
    ending_id: str
    outcome: str
    sessions: int


@dataclass(frozen=True)
class Coverage:
    scenario_id: str
    title: str
    sessions: int  # sessions of this scenario in the records
    branches: list[BranchCount]
    endings: list[EndingCount]

    @property
    def untaken(self) -> list[BranchCount]:
        return [b for b in self.branches if not b.turns]

    @property
    def unreached(self) -> list[EndingCount]:
        return [e for e in self.endings if not e.sessions]


def coverage(engine: Engine, scenario: Scenario) -> Coverage:
    """Count, for every branch and ending of `scenario`, how often the records show it taken or reached."""
    of_scenario = sessions.c.scenario_id == scenario.id
    with db.transaction(engine) as conn:
        played = conn.execute(sa.select(sa.func.count()).select_from(sessions).where(of_scenario)).scalar_one()
        taken = {
            (row.node_id, row.branch_index, row.target): (row.turns, row.sessions)
            for row in conn.execute(
                sa.select(turns.c.node_id, turns.c.branch_index, turns.c.target,
                          sa.func.count().label("turns"),
                          sa.func.count(sa.distinct(turns.c.session_id)).label("sessions"))
                .select_from(turns.join(sessions, turns.c.session_id == sessions.c.session_id))
                .where(of_scenario)
                .group_by(turns.c.node_id, turns.c.branch_index, turns.c.target))
        }
        ended = {row.ending_id: row.sessions for row in conn.execute(
            sa.select(sessions.c.ending_id, sa.func.count().label("sessions"))
            .where(of_scenario, sessions.c.ending_id.is_not(None))
            .group_by(sessions.c.ending_id))}
    branches = [
        BranchCount(nid, i, branch.goto, describe_condition(branch.when),
                    *taken.get((nid, i, branch.goto), (0, 0)))
        for nid, node in scenario.nodes.items() for i, branch in enumerate(node.branches)
    ]
    endings = [EndingCount(eid, ending.outcome, ended.get(eid, 0)) for eid, ending in scenario.endings.items()]
    return Coverage(scenario.id, scenario.title, played, branches, endings)


def _times(n: int, word: str = "time") -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def coverage_lines(report: Coverage) -> list[str]:
    """The coverage report as plain text lines, as `simulator report --coverage` prints it."""
    taken = len(report.branches) - len(report.untaken)
    reached = len(report.endings) - len(report.unreached)
    out = [f"Coverage of “{report.title}” ({report.scenario_id}): {_times(report.sessions, 'session')} in the records",
           "", f"Branches taken: {taken} of {len(report.branches)}"]
    node = None
    for b in report.branches:
        if b.node_id != node:
            node = b.node_id
            out.append(f"  {node}")
        seen = f"taken {_times(b.turns)} in {_times(b.sessions, 'session')}" if b.turns else "NEVER TAKEN"
        out.append(f"    {b.index + 1}. {b.condition} -> {b.target}: {seen}")
    out += ["", f"Endings reached: {reached} of {len(report.endings)}"]
    for e in report.endings:
        seen = f"reached in {_times(e.sessions, 'session')}" if e.sessions else "NEVER REACHED"
        out.append(f"  {e.ending_id} ({e.outcome}): {seen}")
    if report.untaken or report.unreached:
        out += ["", "Never seen by a trainee:"]
        out += [f"  branch {b.index + 1} of {b.node_id} ({b.condition} -> {b.target})" for b in report.untaken]
        out += [f"  ending {e.ending_id} ({e.outcome})" for e in report.unreached]
    elif report.sessions:
        out += ["", "Every branch and ending has been reached."]
    return out
