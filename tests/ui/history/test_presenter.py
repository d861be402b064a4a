"""The history screen's presenter against a plain fake view (no window): a trainee's sessions as table rows,
their summary, trend and untried scenarios, a shared classroom session scored on their own turns, and
"Delete my data" asked first."""

from __future__ import annotations

import pytest

from simulator.ui.history.presenter import HistoryPresenter
from tests.records.factories import classroom_session, record


class FakeView:
    """Records what the presenter shows (HistoryView); answers its questions from `answers` (else the safe choice)."""

    def __init__(self) -> None:
        self.current = ""
        self.names: list[str] = []
        self.actions = False
        self.rows: list = []
        self.trend: dict = {}
        self.untried: list[str] | None = None
        self.summary = ("", False)
        self.notices: list[tuple[str, str, str]] = []
        self.asked: list[str] = []
        self.told: list[str] = []
        self.answers: dict[str, str] = {}

    def current_trainee(self): return self.current
    def show_trainees(self, names, wanted):
        self.names = list(names)
        self.current = wanted if wanted in names else (names[0] if names else "")
    def clear_trainee(self): self.current = ""
    def set_trainee_actions(self, enabled): self.actions = enabled
    def show_sessions(self, rows): self.rows = list(rows)
    def show_trend(self, series): self.trend = series
    def show_untried(self, titles): self.untried = titles
    def show_summary(self, text, no_sessions): self.summary = (text, no_sessions)
    def show_notice(self, kind, title, text): self.notices.append((kind, title, text))
    def ask(self, title, text, choices):
        self.asked.append(title)
        return self.answers.get(title, choices[0][0])
    def tell(self, title, text, warning=False): self.told.append(text)

    def table(self) -> dict[str, tuple[str, str, str]]:
        """Session id -> (Turns, Score, the score's tooltip)."""
        return {row.session_id: (row.cells[2], row.cells[4], row.score_tip) for row in self.rows}


@pytest.fixture
def history(make_context):
    view = FakeView()
    ctx = make_context()
    return HistoryPresenter(view, ctx), view, ctx


def test_a_trainees_sessions_newest_first_with_their_summary_trend_and_what_is_not_tried(history):
    presenter, view, ctx = history
    ctx.store.add_trainee("Sam")
    older = record("Sam", "late-pickup", score=40.0, outcome="escalated", started_at="2025-03-01T10:00:00+00:00")
    newer = record("Sam", "late-pickup", score=60.0, outcome="resolved", started_at="2025-03-02T10:00:00+00:00")
    for r in (older, newer):
        ctx.store.save(r)
    presenter.refresh(select="Sam")
    assert view.current == "Sam" and view.actions
    assert [row.session_id for row in view.rows] == [newer.session_id, older.session_id]
    assert [row.cells[3] for row in view.rows] == ["Resolved", "Escalated"]
    assert view.summary == ("Sam: 2 sessions, average score 50.", False)
    assert set(view.trend) == {"outcome", "techniques", "triggers", "tone", "calming"}
    assert view.untried == ["The missing parcel"]  # the only scenario of the library, not yet played


def test_no_trainee_says_where_names_come_from(history):
    presenter, view, ctx = history
    ctx.settings.trainee_name = ""
    presenter.refresh()
    assert view.current == "" and not view.actions and view.untried is None and view.rows == []
    assert view.summary == ("No trainees yet. Add names under Classes, or set your name in Settings.", False)


def test_a_trainee_named_in_settings_with_no_session_yet_is_told_how_to_get_one(history):
    presenter, view, ctx = history
    ctx.settings.trainee_name = "Sam"  # set on the welcome page; no session saved yet
    presenter.refresh()
    assert view.rows == []
    assert view.summary == ("No sessions for Sam yet: play a scenario from Scenarios and it shows here.", False)


def test_a_shared_classroom_session_scores_each_trainee_on_the_turns_they_answered(history):
    presenter, view, ctx = history
    shared = classroom_session(ctx.store)  # Ana answered turns 1 and 3, Ben turn 2, Cleo none; scored 70.8
    shared.trainee = "Cleo"  # filed under Cleo, though she answered none of it
    ctx.store.save(shared)
    solo = record("Cleo", score=100.0, outcome="resolved", started_at="2025-03-05T18:00:00+00:00")
    ctx.store.save(solo)

    presenter.refresh(select="Cleo")
    assert view.table() == {
        solo.session_id: ("2", "100", ""),
        shared.session_id: ("0 of 3", "", "Cleo answered none of its turns; the whole session scored 71")}
    assert view.summary == ("Cleo: 2 sessions, average score 100.", False)

    presenter.refresh(select="Ana")
    turns, score, tip = view.table()[shared.session_id]
    assert turns == "2 of 3" and score and tip == "Scored on the 2 turns Ana answered; the whole session scored 71"


def test_delete_my_data_asks_first_then_deletes_and_forgets_the_settings_name(history):
    presenter, view, ctx = history
    ctx.store.add_trainee("Alex")
    mine = record("Alex", n_turns=2, outcome="resolved")
    ctx.store.save(mine)
    presenter.refresh()  # the Settings name, Alex
    assert view.current == "Alex"
    assert "2 turns" in presenter.deletion_summary("Alex") and "0 voice recordings" in presenter.deletion_summary("Alex")

    assert not presenter.delete_data("Alex")  # the first answer keeps everything
    assert view.asked == ["Delete Alex's data?"] and [r.session_id for r in ctx.store.history("Alex")] == [mine.session_id]

    view.answers["Delete Alex's data?"] = "delete"
    assert presenter.delete_data("Alex")
    assert ctx.store.trainees() == [] and ctx.store.all() == [] and ctx.settings.trainee_name == ""
    assert view.notices[-1] == ("success", "Alex's data was deleted", "1 session and 0 recordings deleted.")
    assert view.current == "" and view.rows == []


def test_records_that_cannot_be_read_are_said(history, monkeypatch):
    presenter, view, ctx = history

    def broken():
        raise OSError("disk gone")

    monkeypatch.setattr(ctx.store, "trainees", broken)
    presenter.refresh()
    assert view.notices == [("danger", "", "The records could not be read: disk gone")] and view.names == []
