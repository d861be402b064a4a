"""The history screen's logic, apart from its widgets: whose history, their sessions as table rows, the
score trend, the scenarios not yet tried, and "Delete my data".

The presenter is handed its view (anything with the methods of `HistoryView`), as the conversation
presenter is, so tests drive it against a plain fake view (tests/ui/history/test_presenter.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from simulator.engine.loader import Library
from simulator.records.reports import trainee_score
from simulator.records.roster import UnknownTrainee
from simulator.records.sessions import SessionRecord
from simulator.ui.context import AppContext
from simulator.ui.formatting import friendly_time
from simulator.ui.history.trend_chart import behaviour_trend, own_turns
from simulator.ui.theme import outcome_text

log = logging.getLogger(__name__)

SESSION_COLUMNS = ["Date", "Scenario", "Turns", "Outcome", "Score", "Overrides"]


@dataclass(frozen=True)
class SessionRow:
    """One session as the table shows it: its cells (SESSION_COLUMNS) and the score cell's tooltip ("" none)."""

    session_id: str
    cells: list[str]
    score_tip: str = ""


class HistoryView(Protocol):
    def current_trainee(self) -> str: ...
    def show_trainees(self, names: list[str], wanted: str) -> None: ...
    def clear_trainee(self) -> None: ...
    def set_trainee_actions(self, enabled: bool) -> None: ...
    def show_sessions(self, rows: list[SessionRow]) -> None: ...
    def show_trend(self, series: dict[str, list[float | None]]) -> None: ...
    def show_untried(self, titles: list[str] | None) -> None: ...  # None: no trainee chosen
    def show_summary(self, text: str, no_sessions: bool) -> None: ...
    def show_notice(self, kind: str, title: str, text: str) -> None: ...
    def ask(self, title: str, text: str, choices: list[tuple[str, str]]) -> str | None: ...
    def tell(self, title: str, text: str, warning: bool = False) -> None: ...


class HistoryPresenter:
    """A trainee's sessions over time, their trend per rubric behaviour, and what they have not tried yet."""

    def __init__(self, view: HistoryView, context: AppContext):
        self.view = view
        self.ctx = context
        self.trainee = ""
        self.records: list[SessionRecord] = []
        self.untried: list[str] = []
        # The library already loaded by the window, if any (reading every scenario file again is slow).
        self.library_source: Callable[[], Library | None] | None = None
        self._titles: dict[str, str] = {}

    def refresh(self, select: str | None = None) -> None:
        """Reload the trainee list (keeping the choice, else `select`, else the Settings name) and their history."""
        wanted = select or self.view.current_trainee() or self.ctx.settings.trainee_name.strip()
        try:
            names = [t.name for t in self.ctx.store.trainees()]
        except OSError as exc:
            self.view.show_notice("danger", "", f"The records could not be read: {exc}")
            names = []
        self.view.show_trainees(names, wanted)
        self.show_trainee(self.view.current_trainee())

    def show_trainee(self, name: str) -> None:
        self.trainee = name
        self.records, self.untried = [], []
        self.view.set_trainee_actions(bool(name))
        if name:
            try:
                self.records = self.ctx.store.history(name)
                self.untried = self.ctx.store.untried_scenarios(name, self._library_ids())
            except UnknownTrainee:
                self.records = []
            except OSError as exc:
                self.view.show_notice("danger", "", f"The records could not be read: {exc}")
        self.view.show_sessions(self.session_rows())
        self.view.show_trend(behaviour_trend(self.records, name))
        self.view.show_untried(self.untried_titles() if name else None)
        # Each session's score for this trainee, as in the table; a shared session they have no score in is left out.
        scores = [score for r in self.records if (score := trainee_score(r, name)) is not None]
        own = self.ctx.settings.trainee_name.strip()
        if not name and own:  # the trainee's own name, before their first session is saved
            text = f"No sessions for {own} yet: play a scenario from Scenarios and it shows here."
        elif not name:
            text = "No trainees yet. Add names under Classes, or set your name in Settings."
        else:
            mean = f", average score {sum(scores) / len(scores):.0f}" if scores else ""
            text = f"{name}: {len(self.records)} session{'s' if len(self.records) != 1 else ''}{mean}."
        self.view.show_summary(text, bool(name) and not self.records)

    def _library(self) -> Library | None:
        loaded = self.library_source() if self.library_source is not None else None
        if loaded is not None:
            return loaded
        try:
            return self.ctx.library_loader()
        except Exception as exc:  # the history opens even if a scenario folder cannot be read
            log.warning("the scenario library could not be read: %s", exc)
            return None

    def _library_ids(self) -> list[str]:
        library = self._library()
        self._titles = {sid: s.title for sid, s in library.scenarios.items()} if library else {}
        return sorted(self._titles, key=lambda sid: self._titles[sid].lower())

    def session_rows(self) -> list[SessionRow]:
        """The trainee's sessions, the newest first."""
        rows = []
        for record in reversed(self.records):
            state = record.state
            outcome = outcome_text(state.outcome, record.restarted)[0]
            own = own_turns(record, self.trainee)
            overrides = sum(t.override is not None for t in own)  # of their replies, not the class's
            mine = len(own)
            shared = mine != len(state.turns)
            # A classroom session: how many of its turns were this trainee's, and their score on those.
            turns = f"{mine} of {len(state.turns)}" if shared else str(len(state.turns))
            score = trainee_score(record, self.trainee)
            cells = [friendly_time(state.started_at), record.scenario_title or state.scenario_id,
                     turns, outcome, "" if score is None else f"{score:.0f}",
                     str(overrides) if overrides else ""]
            tip = self._shared_score_tip(mine, record.score) if shared and record.score is not None else ""
            rows.append(SessionRow(state.session_id, cells, tip))
        return rows

    def _shared_score_tip(self, mine: int, whole: float) -> str:
        """The score cell's tooltip for a classroom session shared with other trainees."""
        if not mine:
            return f"{self.trainee} answered none of its turns; the whole session scored {whole:.0f}"
        return (f"Scored on the {mine} turn{'s' if mine != 1 else ''} {self.trainee} answered; "
                f"the whole session scored {whole:.0f}")

    def untried_titles(self) -> list[str]:
        titles = self._titles
        return [titles.get(sid, sid) for sid in self.untried]

    # -- delete my data --------------------------------------------------------------------------
    def deletion_summary(self, name: str) -> str:
        """Exactly what "Delete my data" removes for `name`, in words."""
        try:
            trainee = self.ctx.store.trainee(name)
        except UnknownTrainee:
            trainee = None
        owned = [r for r in self.records if r.trainee == name]
        shared = [t for r in self.records if r.trainee != name for t in r.state.turns if t.trainee == name]
        turns = sum(len(r.state.turns) for r in owned)
        recordings = sum(1 for r in owned for t in r.state.turns if t.audio_file) + \
            sum(1 for t in shared if t.audio_file)
        roster = f" and their place on the “{trainee.class_name}” roster" if trainee and trainee.class_name else ""
        sessions = len(owned)
        others = (f"; their {len(shared)} turn{'s' if len(shared) != 1 else ''} in classroom sessions (the "
                  "other trainees' turns stay)") if shared else ""
        return (f"This permanently deletes {name}'s profile{roster}; their {sessions} session"
                f"{'s' if sessions != 1 else ''} with all {turns} turn{'s' if turns != 1 else ''} "
                f"(replies, judgements, trainer overrides and scores){others}; and {recordings} voice recording"
                f"{'s' if recordings != 1 else ''} of their replies. Reports already exported are not "
                "affected. This cannot be undone.")

    def delete_data(self, name: str) -> bool:
        """Ask, then delete. True when the data was deleted."""
        answer = self.view.ask(f"Delete {name}'s data?", self.deletion_summary(name),
                               [("keep", "Keep everything"), ("delete", f"Delete {name}'s data")])
        if answer != "delete":
            return False
        try:
            deleted = self.ctx.store.delete_trainee_data(name)
        except (OSError, LookupError) as exc:
            self.view.tell("Nothing was deleted", f"{name}'s data could not be deleted: {exc}", warning=True)
            return False
        text = (f"{deleted.sessions} session{'s' if deleted.sessions != 1 else ''} and {deleted.recordings} "
                f"recording{'s' if deleted.recordings != 1 else ''} deleted.")
        if deleted.shared_turns:
            text += (f" {deleted.shared_turns} turn{'s' if deleted.shared_turns != 1 else ''} in classroom "
                     "sessions deleted.")
        if deleted.elsewhere:
            stations = sorted({station for station, _ in deleted.elsewhere})
            text += (f" {len(deleted.elsewhere)} recording(s) are on another computer ({', '.join(stations)}); "
                     "delete them there.")
        if self.ctx.settings.trainee_name.strip() == name:
            self.ctx.settings.trainee_name = ""
            try:
                self.ctx.save_settings()
            except OSError as exc:
                log.warning("settings not saved after deleting a trainee: %s", exc)
        self.view.clear_trainee()
        self.refresh(select="")
        self.view.show_notice("success", f"{name}'s data was deleted", text)
        return True
