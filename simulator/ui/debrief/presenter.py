"""The debrief's logic, apart from its widgets: a session scored (and the score saved with it), and what
the screen says about it: the heading, the outcome, the ending's summary, the agitation over time.

The presenter is handed its view (anything with the methods of `DebriefView`), as every screen's
presenter is, so tests drive it against a plain fake view (tests/ui/debrief/test_presenter.py).
Playing a turn's recording is the page's own (it is all widgets and Qt's media player).
"""

from __future__ import annotations

import logging
from typing import Protocol

from simulator.engine.model import Scenario
from simulator.engine.scoring import Score, score_session
from simulator.engine.session import TurnRecord
from simulator.records.sessions import SessionRecord
from simulator.ui.context import AppContext
from simulator.ui.formatting import friendly_time
from simulator.ui.theme import outcome_text

log = logging.getLogger(__name__)


class DebriefView(Protocol):
    def stop_playback(self) -> None: ...
    def show_notes(self, record: SessionRecord) -> None: ...  # the trainer's notes, saved as typed
    def show_heading(self, title: str, subtitle: str, outcome: str, outcome_kind: str, summary: str) -> None: ...
    def show_score(self, score: Score) -> None: ...
    def show_agitation(self, start: float, after_each_turn: list[float]) -> None: ...
    def show_turns(self, turns: list[TurnRecord], scenario: Scenario, keep_place: bool = False) -> None: ...


class DebriefPresenter:
    def __init__(self, view: DebriefView, context: AppContext):
        self.view = view
        self.ctx = context
        self.record: SessionRecord | None = None
        self.scenario: Scenario | None = None
        self.score: Score | None = None

    def show_record(self, record: SessionRecord, scenario: Scenario, keep_place: bool = False) -> None:
        """Show a session; `keep_place` keeps the scroll position (after a turn was corrected)."""
        self.view.stop_playback()
        self.view.show_notes(record)
        self.record = record
        self.scenario = scenario
        state = record.state
        self.score = score_session(state.turns, state.outcome)
        if record.score != self.score.total and state.turns:
            record.score = self.score.total
            try:
                self.ctx.store.save(record)
            except OSError as exc:
                log.warning("saving the score failed: %s", exc)
        who = f"{record.trainee}, " if record.trainee else ""
        subtitle = (f"{who}{friendly_time(state.started_at)} · {len(state.turns)} "
                    f"exchange{'s' if len(state.turns) != 1 else ''} with {scenario.customer.name}")
        outcome, kind = outcome_text(state.outcome, record.restarted)
        outcome_kind = "chipMuted" if kind == "Muted" else f"chip_{kind}"
        ending = scenario.endings.get(state.ending_id or "")
        summary = ending.summary if ending and ending.summary else ""
        self.view.show_heading(f"How it went: {scenario.title}", subtitle, outcome, outcome_kind, summary)
        self.view.show_score(self.score)
        start = state.turns[0].agitation_before if state.turns else state.agitation
        self.view.show_agitation(start, [t.agitation_after for t in state.turns])
        self.view.show_turns(state.turns, scenario, keep_place)
