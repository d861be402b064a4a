"""`simulator play SCENARIO`: play a scenario in the terminal, with typed replies from a file or the keyboard."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from simulator.engine.judgement import Reply
from simulator.engine.loader import ScenarioError
from simulator.engine.session import Runner, TurnRecord, apply_override, condition_reasons
from simulator.engine.vocabulary import setting_name
from simulator.fileio import not_regular
from simulator.scenario_folders import NotFound, find


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("play", help="play a scenario in the terminal",
                       description="Play a scenario headless. With --replies, one reply per line of FILE "
                                   "until an ending or the replies run out; without it, type your replies.")
    p.add_argument("scenario", metavar="SCENARIO_OR_ID")
    p.add_argument("--replies", type=Path, metavar="FILE", help="a text file with one reply per line")
    p.add_argument("--seed", type=int, default=None, help="makes the customer's lines reproducible")
    p.add_argument("--json", action="store_true", help="print one JSON object with the turns and the outcome")
    p.set_defaults(run=run)


def _findings(items) -> str:
    return ", ".join(f"{f.name} (\"{f.evidence}\")" for f in items) or "none"


def _print_turn(runner: Runner, turn: TurnRecord, out: TextIO | None = None) -> None:
    # sys.stdout read at each call, not bound once at import (pytest's capture swaps it per test).
    out = out or sys.stdout
    j = turn.judgement
    print(f"  judged: {j.intent} ({j.confidence:.2f})", file=out)
    print(f"  techniques: {_findings(j.techniques)}", file=out)
    print(f"  triggers: {_findings(j.triggers)}", file=out)
    if j.tone is not None:
        print(f"  tone: {j.tone.label}", file=out)
    sign = "+" if turn.applied_delta >= 0 else ""
    print(f"  agitation: {turn.agitation_before:.0f} -> {turn.agitation_after:.0f} ({sign}{turn.applied_delta:.1f})",
          file=out)
    for sentence in j.explanation:
        print(f"  - {sentence}", file=out)
    for text in _branch_lines(runner, turn):
        print(f"  {text}", file=out)


def _branch_why(runner: Runner, turn: TurnRecord) -> tuple[str, list[str], list[str]]:
    """Which branch the turn took, why, and why each branch before it was not taken."""
    scenario = runner.scenario
    node = scenario.nodes[turn.node_id]
    taken = node.branches[turn.branch_index]
    where = f"{turn.target} (ending: {scenario.endings[turn.target].outcome})" if turn.target in scenario.endings \
        else turn.target
    head = f"branch {turn.branch_index + 1} of {len(node.branches)} at '{turn.node_id}' -> {where}"
    effective = apply_override(turn.judgement, turn.override if turn.override != "branch" else None)

    def reasons(index: int, held: bool) -> list[str]:
        when = node.branches[index].when
        if when is None:
            return []
        return [text for ok, text in condition_reasons(when, effective, turn.agitation_after, turn.reply) if ok == held]

    if turn.override == "branch":
        why = ["the trainer picked this branch"]
    elif taken.otherwise:
        why = ["no branch before it matched (it is the `otherwise` branch)"]
    else:
        why = reasons(turn.branch_index, True)
    skipped = [] if turn.override == "branch" else [
        f"branch {i + 1} (-> {node.branches[i].goto}) not taken: {'; '.join(reasons(i, False))}"
        for i in range(turn.branch_index)]
    return head, why, skipped


def _branch_lines(runner: Runner, turn: TurnRecord) -> list[str]:
    head, why, skipped = _branch_why(runner, turn)
    return [f"took {head}", f"  because {'; '.join(why)}", *(f"  {line}" for line in skipped)]


def _say(runner: Runner, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    line = runner.current_line
    name = runner.scenario.customer.first_name
    print(f"\n{name} [{line.mood}, agitation {line.agitation:.0f}]: {line.text}", file=out)


def _turn_json(runner: Runner, turn: TurnRecord) -> dict[str, Any]:
    head, why, skipped = _branch_why(runner, turn)
    return {
        "index": turn.index,
        "node": turn.node_id,
        "customer_line": turn.customer_line,
        "mood": turn.mood,
        "reply": turn.reply,
        "judgement": turn.judgement.model_dump(mode="json"),
        "agitation_before": turn.agitation_before,
        "agitation_after": turn.agitation_after,
        "applied_delta": turn.applied_delta,
        "next": turn.target,
        "branch": {"index": turn.branch_index, "taken": head, "because": why, "not_taken": skipped},
    }


def _result_json(runner: Runner) -> dict[str, Any]:
    s = runner.state
    final = runner.current_line.text if runner.ended else None
    return {
        "scenario": runner.scenario.id,
        "seed": s.seed,
        "turns": [_turn_json(runner, t) for t in s.turns],
        "ended": runner.ended,
        "outcome": s.outcome,
        "ending": s.ending_id,
        "final_line": final,
        "agitation": s.agitation,
    }


def _make_runner(args: argparse.Namespace) -> Runner:
    return Runner(find(args.scenario), seed=args.seed)


def run(args: argparse.Namespace) -> int:
    try:
        replies: list[str] | None = None
        if args.replies is not None:
            special = not_regular(args.replies)
            if special:
                print(f"{args.replies}: {special}", file=sys.stderr)
                return 2
            try:
                replies = [ln.strip() for ln in args.replies.read_text(encoding="utf-8").splitlines() if ln.strip()]
            except OSError as exc:
                print(f"{args.replies}: cannot read the replies file: {exc.strerror}", file=sys.stderr)
                return 2
            except UnicodeDecodeError:
                print(f"{args.replies}: the replies file is not UTF-8 text", file=sys.stderr)
                return 2
        runner = _make_runner(args)
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 2
    except NotFound as exc:
        print(exc, file=sys.stderr)
        return 2

    from simulator.analysis.judge import RubricJudge

    judge = RubricJudge()
    quiet = args.json
    if not quiet:
        sc = runner.scenario
        print(f"{sc.title} ({setting_name(sc.setting)}, difficulty {sc.difficulty})\n{sc.brief}")
        if replies is None:
            print("Type your reply and press Enter. An empty line makes them repeat; Ctrl-D stops.")
    feed = iter(replies) if replies is not None else None
    while not runner.ended:
        if not quiet:
            _say(runner)
        if feed is not None:
            text = next(feed, None)
            if text is None:
                break
            if not quiet:
                print(f"You: {text}")
        else:
            try:
                text = input("You: ").strip()
            except EOFError:
                print()
                break
            if not text:
                runner.repeat()
                continue
        turn = runner.respond(Reply(text), judge)
        if not quiet:
            _print_turn(runner, turn)

    if args.json:
        print(json.dumps(_result_json(runner), indent=2))
        return 0
    if runner.ended:
        _say(runner)
        ending = runner.scenario.endings[runner.state.ending_id or ""]
        print(f"\nOutcome: {runner.outcome}")
        if ending.summary:
            print(ending.summary)
    else:
        print(f"\nThe conversation stopped before an ending after {len(runner.state.turns)} turn(s).")
    return 0
