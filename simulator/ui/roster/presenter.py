"""The Classes screen's logic, apart from its widgets: which classes there are, a class's roster and
its lines, and adding, renaming and deleting classes and trainees.

The presenter is handed its view (anything with the methods of `RosterView`), as the conversation
presenter is, so tests drive it against a plain fake view (tests/ui/roster/test_presenter.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from simulator.records.reports import trainee_score
from simulator.records.roster import UnknownClass
from simulator.ui.context import AppContext
from simulator.ui.formatting import friendly_time


class RosterView(Protocol):
    def current_class(self) -> str: ...
    def show_classes(self, names: list[str], wanted: str) -> None: ...
    def show_roster(self, class_name: str, lines: list[tuple[str, str]]) -> None: ...
    def clear_class_name(self) -> None: ...
    def clear_trainee_name(self) -> None: ...
    def ask(self, title: str, text: str, choices: list[tuple[str, str]]) -> str | None: ...
    def show_problem(self, text: str) -> None: ...


class RosterPresenter:
    """Classes and their rosters, read from and written to the session store."""

    def __init__(self, view: RosterView, context: AppContext):
        self.view = view
        self.ctx = context
        self.trainees: list[str] = []  # the roster shown

    def refresh(self, select: str | None = None) -> None:
        wanted = select or self.view.current_class()
        try:
            names = self.ctx.store.classes()
        except OSError as exc:
            self.view.show_problem(f"The records could not be read: {exc}")
            names = []
        self.view.show_classes(names, wanted)
        self.show_roster()

    def show_roster(self) -> None:
        name = self.view.current_class()
        names: list[str] = []
        if name:
            try:
                names = [t.name for t in self.ctx.store.trainees(name)]
            except UnknownClass:
                names = []
        self.trainees = names
        self.view.show_roster(name, [(trainee, self.describe(trainee)) for trainee in names])

    def describe(self, name: str) -> str:
        """A roster line: the name, and how many sessions, when the last, the average score."""
        try:
            records = self.ctx.store.history(name)
        except (OSError, LookupError):
            return name
        if not records:
            return f"{name}   ·   no sessions yet"
        # A classroom session shared with others counts with the score of this trainee's turns.
        scores = [score for r in records if (score := trainee_score(r, name)) is not None]
        average = f", average score {sum(scores) / len(scores):.0f}" if scores else ""
        return (f"{name}   ·   {len(records)} session{'s' if len(records) != 1 else ''}, last "
                f"{friendly_time(records[-1].state.started_at)}{average}")

    def add_class(self, name: str) -> None:
        name = " ".join(name.split())
        if not name:
            return
        try:
            self.ctx.store.add_class(name)
        except (OSError, ValueError) as exc:
            self.view.show_problem(f"The class was not added: {exc}")
            return
        self.view.clear_class_name()
        self.refresh(select=name)

    def add_trainee(self, name: str) -> None:
        name = " ".join(name.split())
        klass = self.view.current_class()
        if not name or not klass:
            return
        try:
            self.ctx.store.add_trainee(name, klass)
        except (OSError, ValueError) as exc:
            self.view.show_problem(f"{name} was not added: {exc}")
            return
        self.view.clear_trainee_name()
        self.show_roster()

    def rename_class(self, new: str) -> None:
        old = self.view.current_class()
        new = " ".join(new.split())
        if not old or not new or new == old:
            return
        try:
            self.ctx.store.rename_class(old, new)
        except (OSError, LookupError, ValueError) as exc:
            self.view.show_problem(f"The class was not renamed: {exc}")
            return
        self.refresh(select=new)

    def delete_class(self) -> bool:
        """Ask, then delete the chosen class (never its trainees or their records). True when deleted."""
        name = self.view.current_class()
        if not name:
            return False
        count = len(self.trainees)
        return self._confirmed(
            f"Delete the class {name}?",
            f"This deletes the class “{name}”. Its {count} trainee{'s' if count != 1 else ''} stay, with all "
            "their sessions, turns and recordings, and its classroom sessions stay in each trainee's history; "
            "they are no longer on a class's roster.",
            ("keep", "Keep the class"), ("delete", "Delete the class"),
            lambda: self.ctx.store.delete_class(name), "The class was not deleted", self.refresh)

    def remove_trainee(self, trainee: str) -> bool:
        """Ask, then take `trainee` off the chosen class's roster (their records stay). True when removed."""
        name = self.view.current_class()
        return self._confirmed(
            f"Remove {trainee} from {name}?",
            f"{trainee} leaves the roster of “{name}”. Their sessions, turns and recordings stay; add them to a "
            "class again at any time.",
            ("keep", "Keep them on the roster"), ("remove", "Remove from class"),
            lambda: self.ctx.store.remove_from_class(trainee), f"{trainee} was not removed", self.show_roster)

    def _confirmed(self, title: str, text: str, safe: tuple[str, str], act: tuple[str, str],
                   change: Callable[[], None], failed: str, then: Callable[[], None]) -> bool:
        """Ask `title` (the safe choice first); on `act`, make the change and refresh. True when it was made."""
        if self.view.ask(title, text, [safe, act]) != act[0]:
            return False
        try:
            change()
        except (OSError, LookupError) as exc:
            self.view.show_problem(f"{failed}: {exc}")
            return False
        then()
        return True
