"""What the trainer sees before deciding a classroom turn: where each decision (or branch) leads, what it applies.

    steer = steering(conversation.runner, reply, judgement)
    steer.leads[None].target, steer.leads["calmer"].applied_delta, steer.model_answer, steer.coach

Each lead is the runner's own `apply` tried on a copy of the session, so what is shown is exactly what
a decision takes (the branch, its target, the agitation change after the customer's temperament), never
a second reckoning that could disagree with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.judgement import Judgement, Reply
from simulator.engine.session import Override, Runner
from simulator.engine.vocabulary import Outcome

# The trainer's three decisions: calmer, as proposed (None), escalate.
DECISIONS: tuple[Override | None, ...] = ("calmer", None, "escalate")


@dataclass(frozen=True)
class Lead:
    """Where one decision leads: the node's branch it takes, that branch's target, the agitation applied."""

    branch_index: int
    target: str
    outcome: Outcome | None  # the ending's outcome when the target is an ending
    applied_delta: float
    agitation_after: float

    @property
    def signed_delta(self) -> str:
        d = round(self.applied_delta)
        return f"{'+' if d > 0 else '−' if d < 0 else '±'}{abs(d)}"


@dataclass(frozen=True)
class Steering:
    """What the trainer is shown for the proposed judgement of a reply (before any branch is taken)."""

    node_id: str
    model_answer: str | None
    coach: str | None
    leads: dict[Override | None, Lead]
    # Every branch of the node, in order, as the trainer may pick it directly.
    branches: list[Lead]


def lead(runner: Runner, reply: Reply, judgement: Judgement, override: Override | None = None,
         branch: int | None = None) -> Lead:
    """What `runner.apply(reply, judgement, override, branch=branch)` would do, without doing it."""
    trial = Runner(runner.scenario, state=runner.state.model_copy(deep=True))
    turn = trial.apply(reply, judgement, override=override, branch=branch)
    return Lead(branch_index=turn.branch_index, target=turn.target, outcome=trial.state.outcome,
                applied_delta=turn.applied_delta, agitation_after=turn.agitation_after)


def steering(runner: Runner, reply: Reply, judgement: Judgement) -> Steering:
    node = runner.scenario.nodes[runner.state.node_id]
    return Steering(node_id=runner.state.node_id, model_answer=node.model_answer, coach=node.coach,
                    leads={d: lead(runner, reply, judgement, d) for d in DECISIONS},
                    branches=[lead(runner, reply, judgement, branch=i) for i in range(len(node.branches))])
