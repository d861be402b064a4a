"""The classroom presenter without its windows: a plain fake view (ClassroomView) records what the projector and
the trainer's window would be told."""

from __future__ import annotations

import pytest

from simulator.engine.loader import load_library
from simulator.settings import Settings
from simulator.ui.classroom.presenter import ClassroomPresenter, Phase
from simulator.ui.context import Devices
from tests.support.tasks import Later
from tests.ui.fakes import FakeVoice

pytestmark = pytest.mark.gui


class FakeView:
    """What the projector and the trainer's window would be told (ClassroomView), in order in `calls`."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.sessions: list[str] = []
        self.lines: list[str] = []
        self.replies: list[tuple[str, str]] = []
        self.proposals: list[object] = []
        self.turns: list = []
        self.phases: list[str] = []
        self.trainees: list[str] = []
        self.rosters: list[list[str]] = []
        self.paused: list[bool] = []
        self.ended: list[str] = []
        self.notices: list[tuple[str, str]] = []

    def show_new_session(self, scenario):
        self.calls.append("show_new_session")
        self.sessions.append(scenario.id)

    def show_customer_line(self, line, animate):
        self.calls.append("show_customer_line")
        self.lines.append(line.text)

    def show_reply(self, trainee, text):
        self.calls.append("show_reply")
        self.replies.append((trainee, text))

    def show_proposal(self, judgement):
        self.calls.append("show_proposal")
        self.proposals.append(judgement)

    def add_turn(self, turn):
        self.calls.append("add_turn")
        self.turns.append(turn)

    def set_phase(self, phase):
        self.calls.append("set_phase")
        self.phases.append(phase)

    def show_trainee(self, name):
        self.calls.append("show_trainee")
        self.trainees.append(name)

    def show_roster(self, names):
        self.calls.append("show_roster")
        self.rosters.append(list(names))

    def set_paused(self, paused):
        self.calls.append("set_paused")
        self.paused.append(paused)

    def show_ending(self, outcome):
        self.calls.append("show_ending")
        self.ended.append(outcome)

    def show_notice(self, text, kind):
        self.calls.append("show_notice")
        self.notices.append((text, kind))


@pytest.fixture
def room(qapp, make_context, scenario_dir):
    ctx = make_context(Settings(first_run_done=True, voice_enabled=True), Devices(voice=FakeVoice()))
    for name in ("Ana", "Ben"):
        ctx.store.add_trainee(name, "Tuesday")
    view = FakeView()
    presenter = ClassroomPresenter(view, ctx)
    presenter.set_class("Tuesday")
    scenario = load_library([scenario_dir]).scenarios["parcel"]
    presenter.start(scenario)
    ctx.devices.voice.finish()
    yield presenter, view, ctx, scenario
    presenter.close()


def saved_turns(ctx, presenter) -> int:
    return len(ctx.store.load(presenter.record.session_id).state.turns)


def test_a_typed_turn_is_proposed_then_decided_and_saved(room):
    presenter, view, ctx, _ = room
    assert presenter.phase is Phase.YOUR_TURN
    assert presenter.submit_text("I'm so sorry, I understand")
    assert view.replies == [("Ana", "I'm so sorry, I understand")] and presenter.phase is Phase.DECIDING
    assert view.proposals[-1].intent == "deescalate"
    turn = presenter.decide("escalate")
    assert turn is not None and turn.override == "escalate" and turn.trainee == "Ana"
    assert view.turns == [turn] and saved_turns(ctx, presenter) == 1
    assert presenter.trainee == "Ben"  # the next trainee answers


def test_a_judgement_that_comes_back_after_a_new_start_is_dropped(room):
    presenter, view, ctx, scenario = room
    later = ctx.tasks = Later()
    presenter.submit_text("I'm so sorry")
    presenter.start(scenario)  # the trainer starts again
    later.run()
    assert presenter.pending is None and not presenter.busy and presenter.phase is not Phase.DECIDING


def test_the_scenario_is_rendered_ahead_and_the_possible_answers_first(room):
    presenter, view, ctx, scenario = room
    voice = ctx.devices.voice
    assert voice.prepares == [scenario.id]
    first = presenter.conversation.current_line
    assert voice.expected == [(scenario.next_lines(first.node_id), first.agitation)]
    presenter.submit_text("I'm so sorry, I understand")
    presenter.decide("proposed")
    line = presenter.conversation.current_line
    assert voice.expected[-1] == (scenario.next_lines(line.node_id), line.agitation)


def test_repeat_says_the_line_again_and_saves_the_count(room):
    presenter, view, ctx, _ = room
    presenter.repeat()
    assert view.lines[-1] == view.lines[0] and presenter.runner.state.repeats == 1
    assert ctx.store.load(presenter.record.session_id).state.repeats == 1


def test_the_ending_closes_the_session(room):
    presenter, view, ctx, _ = room
    presenter.submit_text("calm down")
    presenter.decide("proposed")
    record = ctx.store.load(presenter.record.session_id)
    assert view.ended == ["escalated"] and record.closed and len(record.state.turns) == 1
    assert presenter.phase is Phase.ENDED and not presenter.accepts_reply()


def test_a_session_resumes_from_its_saved_state(room):
    presenter, view, ctx, scenario = room
    presenter.submit_text("I'm so sorry")
    presenter.decide("proposed")
    state = ctx.store.load(presenter.record.session_id).state
    presenter.start(scenario, state)
    assert view.lines[-1] == "Fine. So what are you going to do about it?"
    assert presenter.record.session_id == state.session_id and len(presenter.runner.state.turns) == 1


def test_the_class_s_roster_and_who_answers_are_shown_and_n_moves_on(room):
    presenter, view, ctx, _ = room
    assert view.rosters[-1] == ["Ana", "Ben"] and view.trainees[0] == "Ana"
    presenter.next_trainee()
    presenter.next_trainee()
    assert view.trainees[-2:] == ["Ben", "Ana"]
    presenter.add_trainee("  Cleo   Day ")
    assert view.rosters[-1] == ["Ana", "Ben", "Cleo Day"] and presenter.trainee == "Ana"
    assert [t.name for t in ctx.store.trainees("Tuesday")] == ["Ana", "Ben", "Cleo Day"]


def test_a_new_session_clears_the_last_before_its_first_line_is_shown(room):
    presenter, view, ctx, scenario = room
    presenter.submit_text("Calm down, it's only a parcel.")
    presenter.decide("proposed")
    assert view.ended == ["escalated"]
    view.calls.clear()
    presenter.start(scenario)
    # The proposal goes, the projector is cleared (its ending, the last reply), then the customer speaks.
    assert view.calls == ["show_proposal", "show_new_session", "show_customer_line", "set_phase"]
    assert view.proposals[-1] is None and view.sessions[-1] == "parcel" and view.phases[-1] is Phase.SPEAKING


def test_pausing_stops_the_customer_and_carrying_on_says_the_line_again(room):
    presenter, view, ctx, _ = room
    voice = ctx.devices.voice
    presenter.repeat()
    assert presenter.phase is Phase.SPEAKING
    presenter.toggle_pause()
    assert view.paused == [True] and voice.stops == 1 and view.phases[-1] is Phase.YOUR_TURN
    lines = len(view.lines)
    presenter.toggle_pause()
    assert view.paused == [True, False] and len(view.lines) == lines + 1 and view.phases[-1] is Phase.SPEAKING


def test_the_trainer_is_told_what_is_missing_and_when_a_judgement_fails(room):
    presenter, view, ctx, scenario = room
    assert not presenter.submit_text("   ")
    assert view.notices[-1] == ("Type what the trainee said, then press Enter.", "info")
    presenter.set_trainee("")
    assert not presenter.submit_text("Sorry") and view.notices[-1] == ("Choose who is answering first.", "warning")

    class BrokenJudge:
        def judge(self, reply, context):
            raise RuntimeError("the rubric is missing")

    ctx.make_judge = BrokenJudge
    presenter.start(scenario)
    ctx.devices.voice.finish()
    presenter.set_trainee("Ben")
    assert presenter.submit_text("Sorry")
    text, kind = view.notices[-1]
    assert "couldn't be assessed (the rubric is missing)" in text and kind == "danger"
    assert presenter.phase is Phase.YOUR_TURN and not presenter.busy and presenter.accepts_reply()


def test_ending_the_session_early_tells_both_windows(room):
    presenter, view, ctx, _ = room
    presenter.submit_text("Let me check the tracking.")
    view.calls.clear()
    presenter.end_now()
    assert view.calls == ["show_proposal", "set_phase", "show_ending"]
    assert view.proposals[-1] is None and view.ended == [""] and presenter.pending is None
    assert ctx.store.load(presenter.record.session_id).closed
