"""The classroom presenter without its windows: a plain recorder of its signals stands in for the projector and the trainer's window."""

from __future__ import annotations

import pytest

from simulator.engine.loader import load_library
from simulator.settings import Settings
from simulator.ui.classroom.presenter import ClassroomPresenter, Phase
from simulator.ui.context import Devices
from tests.support.tasks import Later
from tests.ui.fakes import FakeVoice

pytestmark = pytest.mark.gui


class FakeViews:
    """What the projector and the trainer's window would be told."""

    def __init__(self, presenter: ClassroomPresenter) -> None:
        self.lines: list[str] = []
        self.replies: list[tuple[str, str]] = []
        self.proposals: list[object] = []
        self.turns: list = []
        self.phases: list[str] = []
        self.ended: list[str] = []
        self.notices: list[str] = []
        presenter.line_shown.connect(lambda line, animate: self.lines.append(line.text))
        presenter.reply_shown.connect(lambda who, text: self.replies.append((who, text)))
        presenter.proposed.connect(self.proposals.append)
        presenter.decided.connect(self.turns.append)
        presenter.phase_changed.connect(self.phases.append)
        presenter.ended.connect(self.ended.append)
        presenter.notice.connect(lambda text, kind: self.notices.append(text))


@pytest.fixture
def room(qapp, make_context, scenario_dir):
    ctx = make_context(Settings(first_run_done=True, voice_enabled=True), Devices(voice=FakeVoice()))
    for name in ("Ana", "Ben"):
        ctx.store.add_trainee(name, "Tuesday")
    presenter = ClassroomPresenter(ctx)
    views = FakeViews(presenter)
    presenter.set_class("Tuesday")
    scenario = load_library([scenario_dir]).scenarios["parcel"]
    presenter.start(scenario)
    ctx.devices.voice.finish()
    yield presenter, views, ctx, scenario
    presenter.close()


def saved_turns(ctx, presenter) -> int:
    return len(ctx.store.load(presenter.record.session_id).state.turns)


def test_a_typed_turn_is_proposed_then_decided_and_saved(room):
    presenter, views, ctx, _ = room
    assert presenter.phase is Phase.YOUR_TURN
    assert presenter.submit_text("I'm so sorry, I understand")
    assert views.replies == [("Ana", "I'm so sorry, I understand")] and presenter.phase is Phase.DECIDING
    assert views.proposals[-1].intent == "deescalate"
    turn = presenter.decide("escalate")
    assert turn is not None and turn.override == "escalate" and turn.trainee == "Ana"
    assert views.turns == [turn] and saved_turns(ctx, presenter) == 1
    assert presenter.trainee == "Ben"  # the next trainee answers


def test_a_judgement_that_comes_back_after_a_new_start_is_dropped(room):
    presenter, views, ctx, scenario = room
    later = ctx.tasks = Later()
    presenter.submit_text("I'm so sorry")
    presenter.start(scenario)  # the trainer starts again
    later.run()
    assert presenter.pending is None and not presenter.busy and presenter.phase is not Phase.DECIDING


def test_repeat_says_the_line_again_and_saves_the_count(room):
    presenter, views, ctx, _ = room
    presenter.repeat()
    assert views.lines[-1] == views.lines[0] and presenter.runner.state.repeats == 1
    assert ctx.store.load(presenter.record.session_id).state.repeats == 1


def test_the_ending_closes_the_session(room):
    presenter, views, ctx, _ = room
    presenter.submit_text("calm down")
    presenter.decide("proposed")
    record = ctx.store.load(presenter.record.session_id)
    assert views.ended == ["escalated"] and record.closed and len(record.state.turns) == 1
    assert presenter.phase is Phase.ENDED and not presenter.accepts_reply()


def test_a_session_resumes_from_its_saved_state(room):
    presenter, views, ctx, scenario = room
    presenter.submit_text("I'm so sorry")
    presenter.decide("proposed")
    state = ctx.store.load(presenter.record.session_id).state
    presenter.start(scenario, state)
    assert views.lines[-1] == "Fine. So what are you going to do about it?"
    assert presenter.record.session_id == state.session_id and len(presenter.runner.state.turns) == 1
