"""Runs a scenario turn by turn: a small pull API over an immutable Scenario and a serialisable state.

    runner = Runner(scenario, seed=7)
    runner.current_line.text          # what the customer says now
    turn = runner.respond(Reply("I can see you're upset..."), judge)
    runner.ended, runner.outcome

The judge is handed to the call that uses it (`judge`, `respond`), not to the runner: the app
judges off the GUI thread and applies the judgement later (`apply`), so a runner needs no judge
to present lines, apply judgements, repeat or rewind.

The state (`SessionState`) is plain data: save it after every turn with `state.model_dump_json()`
and resume with `Runner(scenario, state=SessionState.model_validate_json(text))`.
Line variants are picked from a hash of (seed, turn, node), so a resumed or replayed session says
exactly what the original said, with no random-generator state to store.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from simulator.engine.agitation import next_agitation
from simulator.engine.judgement import HeardWord, Judge, JudgeContext, Judgement, Reply
from simulator.engine.model import Condition, Ending, Scenario
from simulator.engine.vocabulary import Outcome, mood_for_line

STATE_VERSION = 1

# "branch": the trainer picked the branch itself (TurnRecord.branch_index says which).
Override = Literal["calmer", "escalate", "branch"]


class Correction(BaseModel):
    """What the trainee said, as they corrected the recogniser's transcript after the turn, and its judgement.

    Kept beside the original (TurnRecord.reply and .judgement stay as heard and as the branch was taken on).
    """

    reply: str
    judgement: Judgement
    at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


class TurnRecord(BaseModel):
    """One exchange: what the customer said, the reply, its judgement and what it caused."""

    index: int
    node_id: str
    customer_line: str
    mood: str
    agitation_before: float
    reply: str
    audio_file: str | None = None
    # The recognised words of a spoken `reply` with the recogniser's confidence in each (empty when
    # typed, and in sessions saved before they were kept): the debrief marks the unsure ones.
    heard: list[HeardWord] = Field(default_factory=list)
    judgement: Judgement
    # The judgement the branch was taken on: the proposed one, or the trainer's override of it.
    override: Override | None = None
    applied_delta: float
    agitation_after: float
    branch_index: int
    target: str
    trainee: str | None = None
    at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    # The trainee's correction of a misheard transcript, re-judged (None: never corrected).
    correction: Correction | None = None
    # What the trainer noted about this turn, during or after the session ("" : nothing).
    trainer_note: str = ""

    @property
    def assessed(self) -> Judgement:
        """The judgement the debrief scores the reply's words by: the correction's when the trainee
        corrected a misheard transcript (the recogniser's mistake is not theirs), else the original.
        What the reply did to the customer (`applied_delta`, the branch, the ending) stays as played:
        the customer reacted to what was heard."""
        return self.correction.judgement if self.correction is not None else self.judgement


class SessionState(BaseModel):
    """Everything needed to resume or review a session. Written to disk after every turn."""

    state_version: int = STATE_VERSION
    session_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    scenario_id: str
    seed: int
    node_id: str
    agitation: float
    turns: list[TurnRecord] = Field(default_factory=list)
    ending_id: str | None = None
    outcome: Outcome | None = None
    started_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    repeats: int = 0


@dataclass(frozen=True)
class CustomerLine:
    node_id: str
    text: str
    mood: str
    agitation: float
    is_ending: bool
    direction: str | None = None  # a caption for what the customer does; never spoken


def _pick(options: list[str], *key: object) -> str:
    digest = hashlib.sha256("/".join(map(str, key)).encode()).digest()
    return options[int.from_bytes(digest[:8], "big") % len(options)]


_WORD = re.compile(r"[a-z0-9']+")


def _words(text: str) -> str:
    return " " + " ".join(_WORD.findall(text.lower().replace("’", "'"))) + " "


def matches(condition: Condition, judgement: Judgement, agitation_after: float, reply_text: str) -> bool:
    """Whether a branch condition holds. Every field given must hold; lists mean 'any of'."""
    found = judgement.technique_names()
    triggers = judgement.trigger_names()
    tone = judgement.tone.label if judgement.tone else None
    checks = [
        condition.intent is None or judgement.intent in condition.intent,
        condition.techniques is None or bool(found & set(condition.techniques)),
        condition.all_techniques is None or set(condition.all_techniques) <= found,
        condition.min_techniques is None or len(found) >= condition.min_techniques,
        condition.triggers is None or bool(triggers & set(condition.triggers)),
        condition.no_triggers is None or (not triggers) == condition.no_triggers,
        condition.tone is None or tone in condition.tone,
        condition.agitation_below is None or agitation_after < condition.agitation_below,
        condition.agitation_at_least is None or agitation_after >= condition.agitation_at_least,
        condition.keywords is None or any(_words(k) in _words(reply_text) for k in condition.keywords),
    ]
    return all(checks)


def condition_reasons(condition: Condition, judgement: Judgement, agitation_after: float,
                      reply_text: str) -> list[tuple[bool, str]]:
    """Each part of a branch condition, whether it held and why, in words (`simulator play`, trainers).
    The branch is taken when every part held (`matches`)."""
    found = judgement.technique_names()
    triggers = judgement.trigger_names()
    tone = judgement.tone.label if judgement.tone else None
    out: list[tuple[bool, str]] = []

    def listed(names: Iterable[str]) -> str:
        return ", ".join(sorted(names))

    c = condition
    if c.intent is not None:
        held = judgement.intent in c.intent
        out.append((held, f"the reply was judged {judgement.intent}" + ("" if held else f", not {' or '.join(c.intent)}")))
    if c.techniques is not None:
        hit = found & set(c.techniques)
        out.append((bool(hit), f"technique {listed(hit)} found" if hit else f"none of {listed(c.techniques)} found"))
    if c.all_techniques is not None:
        missing = set(c.all_techniques) - found
        out.append((not missing, f"all of {listed(c.all_techniques)} found" if not missing
                    else f"{listed(missing)} not found (all of {listed(c.all_techniques)} needed)"))
    if c.min_techniques is not None:
        held = len(found) >= c.min_techniques
        out.append((held, f"{len(found)} different technique{'s' if len(found) != 1 else ''} found "
                          f"({'at least' if held else 'fewer than'} {c.min_techniques})"))
    if c.triggers is not None:
        hit = triggers & set(c.triggers)
        out.append((bool(hit), f"trigger {listed(hit)} found" if hit else f"none of the triggers {listed(c.triggers)} found"))
    if c.no_triggers is not None:
        held = (not triggers) == c.no_triggers
        out.append((held, "no trigger found" if not triggers else f"trigger {listed(triggers)} found"))
    if c.tone is not None:
        held = tone in c.tone
        out.append((held, f"tone {tone or 'not measured (typed)'}" + ("" if held else f", not {' or '.join(c.tone)}")))
    if c.agitation_below is not None:
        held = agitation_after < c.agitation_below
        out.append((held, f"agitation after the reply {agitation_after:.0f} is {'' if held else 'not '}"
                          f"below {c.agitation_below:g}"))
    if c.agitation_at_least is not None:
        held = agitation_after >= c.agitation_at_least
        out.append((held, f"agitation after the reply {agitation_after:.0f} is {'at least' if held else 'below'} "
                          f"{c.agitation_at_least:g}"))
    if c.keywords is not None:
        said = [k for k in c.keywords if _words(k) in _words(reply_text)]
        out.append((bool(said), f"the reply says '{said[0]}'" if said
                    else "the reply says none of " + ", ".join(f"'{k}'" for k in c.keywords)))
    return out


def apply_override(judgement: Judgement, override: Override | None) -> Judgement:
    """The judgement a trainer's override stands for: calmer or more escalating than proposed."""
    if override == "calmer":
        # Without the triggers: the trainer judged the reply calming, so no trigger branch may take it.
        return judgement.model_copy(update={"intent": "deescalate", "triggers": [],
                                            "agitation_delta": min(judgement.agitation_delta, -10.0)})
    if override == "escalate":
        return judgement.model_copy(update={"intent": "escalate", "agitation_delta": max(judgement.agitation_delta, 15.0)})
    return judgement


class SessionOver(RuntimeError):
    pass


class Runner:
    def __init__(self, scenario: Scenario, seed: int | None = None,
                 state: SessionState | None = None, baseline_audio=None):
        self.scenario = scenario
        self.baseline_audio = baseline_audio
        if state is None:
            state = SessionState(
                scenario_id=scenario.id,
                seed=seed if seed is not None else uuid.uuid4().int % 1_000_000,
                node_id=scenario.start_node,
                agitation=float(scenario.customer.agitation),
            )
        elif state.scenario_id != scenario.id:
            raise ValueError(f"this session belongs to scenario '{state.scenario_id}', not '{scenario.id}'")
        self.state = state

    # -- reading ---------------------------------------------------------------------------------
    @property
    def ended(self) -> bool:
        return self.state.outcome is not None

    @property
    def outcome(self) -> Outcome | None:
        return self.state.outcome

    @property
    def current_line(self) -> CustomerLine:
        s = self.state
        if s.ending_id is not None:
            ending: Ending = self.scenario.endings[s.ending_id]
            text = _pick(ending.say, s.seed, len(s.turns), s.ending_id)
            return CustomerLine(s.ending_id, text, self._mood(ending.mood, ending=True), s.agitation, True,
                                ending.direction)
        node = self.scenario.nodes[s.node_id]
        text = _pick(node.say, s.seed, len(s.turns), s.node_id)
        return CustomerLine(s.node_id, text, self._mood(node.mood, ending=False), s.agitation, False,
                            node.direction)

    def _mood(self, line_mood: str | None, ending: bool) -> str:
        turns = self.state.turns
        calming = bool(turns) and turns[-1].agitation_after < turns[-1].agitation_before
        return mood_for_line(line_mood, self.state.agitation, ending=ending, calming=calming)

    def context(self) -> JudgeContext:
        return JudgeContext(
            customer_name=self.scenario.customer.name,
            agitation=self.state.agitation,
            customer_line=self.current_line.text,
            baseline_audio=self.baseline_audio,
        )

    # -- acting ----------------------------------------------------------------------------------
    def judge(self, reply: Reply, judge: Judge) -> Judgement:
        """`judge`'s proposed judgement of a reply, without taking a branch (a trainer may override it)."""
        if self.ended:
            raise SessionOver("the conversation has ended")
        return judge.judge(reply, self.context())

    def apply(self, reply: Reply, judgement: Judgement, override: Override | None = None,
              trainee: str | None = None, branch: int | None = None) -> TurnRecord:
        """Take the branch a judgement (or the trainer's override of it) leads to; `branch`: the node's branch
        the trainer picked instead (recorded as override "branch"), with the judgement's agitation change."""
        if self.ended:
            raise SessionOver("the conversation has ended")
        s = self.state
        line = self.current_line
        effective = apply_override(judgement, override)
        applied, after = next_agitation(s.agitation, effective.agitation_delta, self.scenario.customer.temperament)
        node = self.scenario.nodes[s.node_id]
        if branch is not None:
            index, target, override = branch, node.branches[branch].goto, "branch"
        else:
            index, target = next(
                (i, b.goto) for i, b in enumerate(node.branches)
                if b.otherwise or (b.when is not None and matches(b.when, effective, after, reply.text))
            )
        record = TurnRecord(
            index=len(s.turns), node_id=s.node_id, customer_line=line.text, mood=line.mood,
            agitation_before=s.agitation, reply=reply.text,
            audio_file=str(reply.audio_path) if reply.audio_path else None, heard=list(reply.words),
            judgement=judgement, override=override, applied_delta=round(applied, 2),
            agitation_after=round(after, 2), branch_index=index, target=target, trainee=trainee,
        )
        s.turns.append(record)
        s.agitation = round(after, 2)
        if target in self.scenario.endings:
            s.ending_id = target
            s.outcome = self.scenario.endings[target].outcome
        else:
            s.node_id = target
        return record

    def respond(self, reply: Reply, judge: Judge, override: Override | None = None,
                trainee: str | None = None) -> TurnRecord:
        """Judge a reply and take its branch at once (the CLI and the tests; the app judges off the
        GUI thread with `judge` and applies later)."""
        return self.apply(reply, self.judge(reply, judge), override=override, trainee=trainee)

    def repeat(self) -> CustomerLine:
        """The customer says it again (they were not heard, or the trainer asked): no turn is taken."""
        self.state.repeats += 1
        return self.current_line

    def rewind(self, turn_index: int) -> None:
        """Go back to just before turn `turn_index`, to try again from there."""
        s = self.state
        if not 0 <= turn_index < len(s.turns):
            raise IndexError(f"no turn {turn_index} in this session (it has {len(s.turns)})")
        turn = s.turns[turn_index]
        del s.turns[turn_index:]
        s.node_id = turn.node_id
        s.agitation = turn.agitation_before
        s.ending_id = None
        s.outcome = None
