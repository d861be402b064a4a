"""Classroom mode's view: `Classroom` owns the projector window and the trainer's window and is
the presenter's `ClassroomView`, passing each call on to the window(s) that show it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from simulator.engine.judgement import Judgement
from simulator.engine.loader import Library
from simulator.engine.model import Scenario
from simulator.engine.session import CustomerLine, TurnRecord
from simulator.ui.classroom.presenter import ClassroomPresenter
from simulator.ui.classroom.projector import ProjectorWindow
from simulator.ui.classroom.trainer import TrainerWindow
from simulator.ui.classroom.windows import place_windows
from simulator.ui.context import AppContext


class Classroom(QObject):
    """Classroom mode as a whole: the presenter, the projector window and the trainer's window.

    It is the presenter's view (`ClassroomView`): each call is passed on to the window(s) that show it,
    the projector first (the class's view of the session), then the trainer's window.

    Signals:
        debrief_requested(str): the trainer asked for a session's debrief (session id).
        closed(): the trainer's window was closed (the projector closes with it).
    """

    debrief_requested = Signal(str)
    closed = Signal()

    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.presenter = ClassroomPresenter(self, context, self)
        self.projector = ProjectorWindow(self.presenter)
        self.trainer = TrainerWindow(context, self.presenter)
        self.trainer.debrief_requested.connect(self.debrief_requested)
        self.trainer.closed.connect(self._on_trainer_closed)
        self.second_screen = False
        self.trainer.refresh_classes()  # both windows are there to be told the class and who answers

    # -- the view (ClassroomView): to both windows, or to the one that shows it ------------------
    def show_new_session(self, scenario: Scenario) -> None:
        self.projector.show_new_session(scenario)
        self.trainer.show_new_session(scenario)

    def show_customer_line(self, line: CustomerLine, animate: bool) -> None:
        self.projector.show_customer_line(line, animate)
        self.trainer.show_customer_line(line, animate)

    def show_reply(self, trainee: str, text: str) -> None:
        self.projector.show_reply(trainee, text)  # the trainer's window has it in its reply box

    def show_proposal(self, judgement: Judgement | None) -> None:
        self.trainer.show_proposal(judgement)  # the class does not see the judgement before the decision

    def add_turn(self, turn: TurnRecord) -> None:
        self.trainer.add_turn(turn)

    def set_phase(self, phase: str) -> None:
        self.trainer.set_phase(phase)

    def show_trainee(self, name: str) -> None:
        self.projector.show_trainee(name)
        self.trainer.show_trainee(name)

    def show_roster(self, names: list[str]) -> None:
        self.trainer.show_roster(names)

    def set_paused(self, paused: bool) -> None:
        self.projector.set_paused(paused)
        self.trainer.set_paused(paused)

    def show_ending(self, outcome: str) -> None:
        self.projector.show_ending(outcome)
        self.trainer.show_ending(outcome)

    def show_notice(self, text: str, kind: str) -> None:
        self.trainer.show_notice(text, kind)

    # -- the two windows -------------------------------------------------------------------------
    def show(self, class_name: str | None = None, library: Library | None = None,
             screens: list | None = None, primary=None) -> None:
        """Open both windows (projector full-screen on a second screen when there is one)."""
        if class_name:
            self.trainer.refresh_classes(select=class_name)
        self.trainer.load_library(library)
        self.second_screen = place_windows(self.projector, self.trainer, screens, primary)

    def choose_class(self, class_name: str) -> None:
        """Another class chosen on the Classes screen, while classroom mode is open: taken unless a session
        is running (its trainees keep their turns)."""
        if class_name and class_name != self.presenter.class_name and self.presenter.phase in ("idle", "ended"):
            self.trainer.refresh_classes(select=class_name)

    def close(self) -> None:
        self.trainer.close()

    def _on_trainer_closed(self) -> None:
        # Closing mid-conversation keeps what was said: the session is saved and closed.
        self.presenter.end_now()
        self.presenter.close()
        self.projector.close()
        self.closed.emit()
