"""Fixtures for the GUI tests: an inline scenario library, a judge, and a window wired to a synchronous runner."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from simulator.engine.judgement import Finding, JudgeContext, Judgement, Reply, ToneReading
from simulator.engine.loader import load_library
from simulator.records.store import SessionStore
from simulator.settings import Settings
from tests.support.postgres import stoppable_database, stoppable_postgres  # noqa: F401 - fixtures

pytestmark = pytest.mark.gui

# Short, complete, and written so that the real rubric judge and the scripted one agree on the
# obvious replies: warm, apologetic ones calm; "calm down" escalates.
SCENARIO = """\
format_version: 1
id: parcel
title: The missing parcel
setting: retail
difficulty: 2
minutes: 4
brief: Sam's parcel was promised today and has not arrived. You can offer a refund or a redelivery tomorrow.
skills: [empathy, apologise, offer_options]
customer:
  name: Sam Okafor
  age: 40
  portrait: sam
  agitation: 60
nodes:
  start:
    say: I was promised this parcel today. Where is it?
    mood: annoyed
    model_answer: I'm really sorry, Sam. I can see how frustrating this is. Let me find out where it is.
    coach: Apologise and acknowledge before you explain.
    branches:
      - when: {triggers: [calm_down, threat, insult, dismissal]}
        goto: blows_up
      - when: {intent: deescalate}
        goto: options
      - otherwise: true
        goto: start
  options:
    say: Fine. So what are you going to do about it?
    model_answer: I can refund you now, or we can redeliver it tomorrow morning. Which would you prefer?
    branches:
      - when: {triggers: [calm_down, threat, insult, dismissal]}
        goto: blows_up
      - when: {intent: deescalate}
        goto: sorted
      - otherwise: true
        goto: options
endings:
  sorted:
    outcome: resolved
    mood: pleased
    say: Right. Thank you, that's fine.
    summary: Sam left satisfied.
  blows_up:
    outcome: escalated
    mood: furious
    say: Don't you tell me to calm down! I want your manager.
    summary: Sam escalated.
"""

BROKEN = """\
format_version: 1
id: broken
title: Broken
setting: retail
difficulty: 9
"""


class ScriptedJudge:
    """Warm words calm, 'calm down' inflames, anything else is neutral; optional tone for spoken replies."""

    def __init__(self):
        self.calls: list[str] = []

    def warm(self, baseline_audio=None) -> None:
        pass  # nothing to load

    def judge(self, reply: Reply, context: JudgeContext) -> Judgement:
        self.calls.append(reply.text)
        text = reply.text.lower()
        tone = ToneReading(label="calm", loudness_db=-22.0, pitch_hz=180.0, cues=["steady pitch"]) \
            if reply.audio_path else None
        if "calm down" in text:
            return Judgement(intent="escalate", confidence=0.9, agitation_delta=20, tone=tone,
                             triggers=[Finding(name="calm_down", evidence="calm down")],
                             explanation=["Telling someone to calm down tells them their feelings are the problem."])
        if "sorry" in text or "understand" in text or "refund" in text:
            techniques = [Finding(name="apologise", evidence="sorry")] if "sorry" in text else []
            if "understand" in text:
                techniques.append(Finding(name="empathy", evidence="I understand"))
            if "refund" in text:
                techniques.append(Finding(name="offer_options", evidence="refund"))
            return Judgement(intent="deescalate", confidence=0.9, agitation_delta=-15, tone=tone,
                             techniques=techniques, explanation=["You acknowledged how they feel."])
        return Judgement(intent="neutral", confidence=0.6, agitation_delta=2, tone=tone)


@pytest.fixture
def scenario_dir(tmp_path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "parcel.yaml").write_text(textwrap.dedent(SCENARIO), encoding="utf-8")
    return folder


@pytest.fixture
def judge() -> ScriptedJudge:
    return ScriptedJudge()


@pytest.fixture
def make_context(scenario_dir, judge, private_data_dir):
    """A context like the app's, but synchronous, with the inline library and no audio devices."""
    from simulator.devices.workers import InlineWorker
    from simulator.ui.context import AppContext, Devices

    def make(settings: Settings | None = None, devices: Devices | None = None, judge_=None) -> AppContext:
        settings = settings or Settings(first_run_done=True, trainee_name="Alex", voice_enabled=False)
        return AppContext(
            settings=settings,
            store=SessionStore(private_data_dir),
            tasks=InlineWorker(),
            judge_factory=lambda: judge_ or judge,
            library_loader=lambda: load_library([scenario_dir]),
            devices=devices or Devices(),
            settings_file=private_data_dir / "settings.json",
        )

    return make


@pytest.fixture
def window(qtbot, make_context):
    from PySide6.QtWidgets import QApplication

    from simulator.ui.main_window import MainWindow
    from simulator.ui.theme import apply_theme

    context = make_context()
    apply_theme(QApplication.instance(), context.settings.text_scale)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def answer(monkeypatch):
    """Answer the app's questions: answer('leave', 'later') makes the next 'leave' question say 'later'."""
    from simulator.ui import dialogs

    answers: dict[str, str] = {}
    asked: list[str] = []

    def fake_ask(parent, title, text, choices, default=None, detail=None):
        asked.append(title)
        keys = [k for k, _ in choices]
        for key, value in answers.items():
            if key.lower() in title.lower() and value in keys:
                return value
        return keys[0]

    monkeypatch.setattr(dialogs, "ask", fake_ask)
    monkeypatch.setattr(dialogs, "tell", lambda *a, **k: asked.append(a[1] if len(a) > 1 else ""))

    def set_answer(topic: str, value: str) -> list[str]:
        answers[topic] = value
        return asked

    set_answer.asked = asked
    return set_answer
