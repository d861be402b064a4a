"""Helpers for engine tests: inline scenarios and a judge scripted per reply."""

from __future__ import annotations

import textwrap

import pytest

from simulator.engine.judgement import Finding, JudgeContext, Judgement, Reply
from simulator.engine.loader import parse

# A small complete scenario: calm path start -> listening -> resolved; escalation and an unresolved exit.
MINI = """\
format_version: 1
id: mini
title: A late order
setting: retail
difficulty: 1
brief: The order is late.
skills: [empathy, apologise]
customer:
  name: Dana Whitfield
  portrait: dana
  agitation: 60
  temperament: {heat: 1.0, cool: 1.0}
nodes:
  start:
    say: ["Where is my order?", "I've waited forty minutes!"]
    mood: angry
    model_answer: I'm sorry you've waited, Dana. Let me find it now.
    branches:
      - when: {triggers: [calm_down, threat]}
        goto: furious
      - when: {intent: deescalate}
        goto: listening
      - when: {keywords: [manager]}
        goto: gave_up
      - otherwise: true
        goto: start
  listening:
    say: Fine. Where is it then?
    branches:
      - when: {intent: deescalate, agitation_below: 60}
        goto: resolved
      - when: {intent: escalate}
        goto: furious
      - otherwise: true
        goto: listening
endings:
  resolved:
    outcome: resolved
    say: Thank you.
  furious:
    outcome: escalated
    say: That's it, I'm done here!
  gave_up:
    outcome: unresolved
    say: Forget it.
"""


def parse_inline(text: str, file: str = "inline.yaml"):
    return parse(textwrap.dedent(text), file)


class ScriptedJudge:
    """Judges by a prefix on the reply: '+' de-escalates, '-' escalates, '!' says calm down."""

    def warm(self, baseline_audio=None) -> None:
        pass  # nothing to load

    def judge(self, reply: Reply, context: JudgeContext) -> Judgement:
        text = reply.text
        if text.startswith("+"):
            return Judgement(intent="deescalate", confidence=0.9, agitation_delta=-15,
                             techniques=[Finding(name="empathy", evidence=text[1:].strip())])
        if text.startswith("!"):
            return Judgement(intent="escalate", confidence=0.9, agitation_delta=20,
                             triggers=[Finding(name="calm_down", evidence="calm down")])
        if text.startswith("-"):
            return Judgement(intent="escalate", confidence=0.8, agitation_delta=12)
        return Judgement(intent="neutral", confidence=0.6, agitation_delta=2)


@pytest.fixture
def mini():
    scenario, problems = parse_inline(MINI)
    assert scenario is not None, problems
    return scenario
