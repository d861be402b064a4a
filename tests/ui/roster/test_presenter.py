"""The Classes screen's presenter against a plain fake view (no window): classes and rosters added, renamed,
deleted and removed with a question first, each roster line's sessions and average, store failures said."""

from __future__ import annotations

import pytest

from simulator.records.reports import trainee_score
from simulator.ui.roster.presenter import RosterPresenter
from tests.records.factories import classroom_session


class FakeView:
    """Records what the presenter shows (RosterView); answers its questions from `answers` (else the safe choice)."""

    def __init__(self) -> None:
        self.current = ""
        self.classes: list[str] = []
        self.title = ""
        self.lines: list[tuple[str, str]] = []
        self.cleared: list[str] = []
        self.problems: list[str] = []
        self.asked: list[str] = []
        self.answers: dict[str, str] = {}

    def current_class(self): return self.current
    def show_classes(self, names, wanted):
        self.classes = list(names)
        self.current = wanted if wanted in names else (names[0] if names else "")
    def show_roster(self, class_name, lines): self.title, self.lines = class_name, list(lines)
    def clear_class_name(self): self.cleared.append("class")
    def clear_trainee_name(self): self.cleared.append("trainee")
    def ask(self, title, text, choices):
        self.asked.append(title)
        return self.answers.get(title, choices[0][0])
    def show_problem(self, text): self.problems.append(text)

    def names(self) -> list[str]:
        return [name for name, _ in self.lines]


@pytest.fixture
def roster(make_context):
    view = FakeView()
    ctx = make_context()
    return RosterPresenter(view, ctx), view, ctx.store


def test_a_class_and_its_trainees_are_added_in_tidy_names(roster):
    presenter, view, store = roster
    presenter.add_class("  Tuesday   evening ")
    assert view.classes == ["Tuesday evening"] and view.current == "Tuesday evening" and view.cleared == ["class"]
    presenter.add_trainee(" Ana  Silva")
    presenter.add_trainee("Ben Okoro")
    assert view.lines == [("Ana Silva", "Ana Silva   ·   no sessions yet"), ("Ben Okoro", "Ben Okoro   ·   no sessions yet")]
    assert view.cleared == ["class", "trainee", "trainee"] and view.title == "Tuesday evening"
    presenter.add_trainee("   ")  # nothing typed: nothing added
    presenter.add_class("")
    assert [t.name for t in store.trainees()] == ["Ana Silva", "Ben Okoro"] and store.classes() == ["Tuesday evening"]


def test_a_roster_line_averages_each_trainees_own_turns_of_a_shared_session(roster):
    presenter, view, store = roster
    shared = classroom_session(store)  # Ana answered turns 1 and 3 well, Ben turn 2 badly
    presenter.refresh(select="Tue")
    lines = dict(view.lines)
    ana, ben = trainee_score(shared, "Ana"), trainee_score(shared, "Ben")
    assert ana is not None and ben is not None and ana > shared.score > ben
    assert lines["Ana"].endswith(f"average score {ana:.0f}")
    assert lines["Ben"].endswith(f"average score {ben:.0f}")
    assert "average score" not in lines["Cleo"]  # answered nothing: no score, not 0


def test_a_class_is_renamed_and_deleted_and_a_trainee_removed_with_confirmation(roster):
    presenter, view, store = roster
    presenter.add_class("Tue")
    presenter.add_trainee("Ana")
    presenter.add_trainee("Ben")
    # Removing Ben: asked first; keeping him is the safe answer.
    assert not presenter.remove_trainee("Ben")
    assert view.names() == ["Ana", "Ben"] and view.asked[-1] == "Remove Ben from Tue?"
    view.answers["Remove Ben from Tue?"] = "remove"
    assert presenter.remove_trainee("Ben")
    assert view.names() == ["Ana"] and store.trainee("Ben").class_name is None

    presenter.rename_class(" Tuesday  evening")
    assert view.current == "Tuesday evening" and view.names() == ["Ana"]

    assert not presenter.delete_class()  # kept: the first answer is the safe one
    assert store.classes() == ["Tuesday evening"] and view.asked[-1] == "Delete the class Tuesday evening?"
    view.answers["Delete the class Tuesday evening?"] = "delete"
    assert presenter.delete_class()
    assert store.classes() == [] and view.classes == [] and view.current == ""
    # Deleting a class never deletes its trainees.
    assert [t.name for t in store.trainees()] == ["Ana", "Ben"]


def test_records_that_cannot_be_read_are_said_and_the_list_is_empty(roster, monkeypatch):
    presenter, view, store = roster
    presenter.add_class("Tue")

    def broken():
        raise OSError("disk gone")

    monkeypatch.setattr(store, "classes", broken)
    presenter.refresh()
    assert view.problems == ["The records could not be read: disk gone"] and view.classes == []
