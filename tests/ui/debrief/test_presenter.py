"""The debrief's presenter against a plain fake view (no window): a session scored and its score saved, the
heading, the outcome and the ending's summary, the agitation over time, and an unfinished session."""

from __future__ import annotations

import pytest

from simulator.engine.loader import load_library
from simulator.ui.debrief.presenter import DebriefPresenter
from tests.records.factories import record


class FakeView:
    """Records what the presenter shows (DebriefView)."""

    def __init__(self) -> None:
        self.stops = 0
        self.heading: tuple = ()
        self.score = None
        self.agitation: tuple = ()
        self.turns: list = []

    def stop_playback(self): self.stops += 1
    def show_heading(self, title, subtitle, outcome, outcome_kind, summary):
        self.heading = (title, subtitle, outcome, outcome_kind, summary)
    def show_score(self, score): self.score = score
    def show_agitation(self, start, after_each_turn): self.agitation = (start, list(after_each_turn))
    def show_turns(self, turns, scenario, keep_place=False): self.turns = list(turns)
    def show_notes(self, record): self.notes_of = record.session_id


@pytest.fixture
def debrief(make_context, scenario_dir):
    view = FakeView()
    ctx = make_context()
    return DebriefPresenter(view, ctx), view, ctx, load_library([scenario_dir]).scenarios["parcel"]


def test_a_finished_session_is_scored_saved_and_described(debrief):
    presenter, view, ctx, scenario = debrief
    session = record("Alex", "parcel", n_turns=2, outcome="resolved", started_at="2025-03-04T18:00:00+00:00")
    session.state.ending_id = "sorted"
    ctx.store.save(session)
    presenter.show_record(session, scenario)
    title, subtitle, outcome, kind, summary = view.heading
    assert title == "How it went: The missing parcel" and outcome == "Resolved" and kind == "chip_success"
    assert subtitle.startswith("Alex, ") and subtitle.endswith(" · 2 exchanges with Sam Okafor")
    assert summary == "Sam left satisfied."
    assert view.score is presenter.score and view.score.total > 0 and view.stops == 1
    assert ctx.store.load(session.session_id).score == presenter.score.total  # the score is kept with the session
    assert view.agitation == (70.0, [t.agitation_after for t in session.state.turns]) and len(view.turns) == 2


def test_an_unfinished_session_with_no_turns_says_so(debrief):
    presenter, view, ctx, scenario = debrief
    session = record("", "parcel", n_turns=0)
    presenter.show_record(session, scenario)
    title, subtitle, outcome, kind, summary = view.heading
    assert (outcome, kind, summary) == ("Not finished", "chipMuted", "")
    assert " · 0 exchanges with Sam Okafor" in subtitle and not subtitle.startswith(",")
    assert view.agitation == (session.state.agitation, []) and view.turns == []
    assert session.score is None  # nothing to score, nothing saved


def test_a_score_that_cannot_be_saved_still_shows(debrief, monkeypatch):
    presenter, view, ctx, scenario = debrief
    session = record("Alex", "parcel", n_turns=1, outcome="escalated")

    def full_disk(_):
        raise OSError("No space left on device")

    monkeypatch.setattr(ctx.store, "save", full_disk)
    presenter.show_record(session, scenario)
    assert view.score is not None and view.heading[2] == "Escalated"
