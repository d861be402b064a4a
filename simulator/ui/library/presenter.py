"""The library screen's logic, apart from its widgets: the scenarios loaded off the GUI thread (again only
when a file changed), the trainee's best results, an interrupted session to resume, and broken files.

The presenter is handed its view (anything with the methods of `LibraryView`), as every screen's
presenter is, so tests drive it against a plain fake view (tests/ui/library/test_presenter.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from simulator.engine.loader import Library, Problem
from simulator.engine.model import Scenario
from simulator.records.sessions import SessionRecord
from simulator.ui.context import AppContext
from simulator.ui.formatting import friendly_time

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardEntry:
    """A scenario's card: its best outcome so far (None: never ended) and whether the trainee played it."""

    scenario: Scenario
    best: str | None
    tried: bool


class LibraryView(Protocol):
    def show_header(self, greeting: str, check_microphone: bool) -> None: ...
    def show_loading(self, loading: bool) -> None: ...
    def show_unfinished(self, title: str | None, text: str = "") -> None: ...  # None: nothing to resume
    def show_cards(self, cards: list[CardEntry]) -> None: ...
    def show_problems(self, title: str | None, text: str = "") -> None: ...  # None: every file loaded
    def ask(self, title: str, text: str, choices: list[tuple[str, str]]) -> str | None: ...
    def tell(self, title: str, text: str, warning: bool = False) -> None: ...


class LibraryPresenter:
    def __init__(self, view: LibraryView, context: AppContext):
        self.view = view
        self.ctx = context
        self.library: Library | None = None
        self.unfinished: SessionRecord | None = None
        self.loading = False
        self._signature: tuple | None = None

    def refresh(self) -> None:
        """Show the trainee's results and any interrupted session; reload scenario files that changed.

        Reading YAML takes a second or more for a full library, so it happens on the task pool and
        only when a file was added, removed or edited.
        """
        self._show_header()
        try:
            signature = self.ctx.library_signature()
        except OSError:
            signature = None
        if self.library is not None and signature == self._signature:
            self._show_library()
            return
        if self.loading:
            return
        self._signature = signature
        self.loading = True
        self.view.show_loading(self.library is None)
        self.ctx.tasks.submit(self.ctx.library_loader, on_done=self._on_library_loaded,
                              on_error=self._on_library_failed)

    def _on_library_loaded(self, library: Library) -> None:
        self.loading = False
        self.view.show_loading(False)
        self.library = library
        self._show_library()

    def _on_library_failed(self, exc: BaseException) -> None:
        # The library screen must open even if a folder cannot be read.
        log.error("loading the scenario library failed", exc_info=exc)
        self._on_library_loaded(
            Library({}, {}, [Problem("scenarios", 0, f"the scenario folders could not be read: {exc}")]))

    def _show_library(self) -> None:
        assert self.library is not None
        self._show_unfinished()
        self.view.show_cards(self.cards())
        self._show_problems(self.library.problems)

    def _show_header(self) -> None:
        settings = self.ctx.settings
        name = settings.trainee_name.strip()
        self.view.show_header((f"Welcome back, {name}. " if name else "")
                              + "Pick a situation to practise. Each takes a few minutes.", not settings.baseline_wav)

    def _show_unfinished(self) -> None:
        try:
            unfinished = self.ctx.store.unfinished()
        except OSError:
            unfinished = []
        record = next((r for r in unfinished if self.library and r.state.scenario_id in self.library.scenarios), None)
        self.unfinished = record
        if record is None:
            self.view.show_unfinished(None)
            return
        turns = len(record.state.turns)
        self.view.show_unfinished(
            f"You left “{record.scenario_title or record.state.scenario_id}” part-way through",
            f"{turns} exchange{'s' if turns != 1 else ''} saved, last on {friendly_time(record.updated_at)}. "
            "Carry on where you stopped, look at how it went so far, or discard it.")

    def cards(self) -> list[CardEntry]:
        """Every scenario, the easiest first, with the trainee's best result."""
        if self.library is None:
            return []
        name = self.ctx.settings.trainee_name.strip()
        scenarios = sorted(self.library.scenarios.values(), key=lambda s: (s.difficulty, s.title))
        try:
            best = self.ctx.store.best_outcomes(name or None)
            untried = set(self.ctx.store.untried_scenarios(name, [s.id for s in scenarios])) if name else set()
        except OSError:
            best, untried = {}, set()
        return [CardEntry(s, best.get(s.id), tried=bool(name) and s.id not in untried) for s in scenarios]

    def _show_problems(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        if not errors:
            self.view.show_problems(None)
            return
        files = sorted({p.file for p in errors})
        self.view.show_problems(f"{len(files)} scenario file{'s' if len(files) != 1 else ''} could not be loaded",
                                "\n".join(str(p) for p in errors))

    def discard_unfinished(self) -> None:
        """Ask, then stop offering to resume the interrupted session (it stays in the history)."""
        record = self.unfinished
        if record is None:
            return
        answer = self.view.ask("Discard this session?",
                               "Stop offering to resume this conversation? It stays in your history and "
                               "you can still review it.", [("keep", "Keep it"), ("discard", "Discard")])
        if answer != "discard":
            return
        record.closed = True
        try:
            self.ctx.store.save(record)
        except OSError as exc:
            self.view.tell("Could not save", str(exc), warning=True)
        self.refresh()
