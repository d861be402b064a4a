"""The library screen's logic, apart from its widgets: the scenarios loaded off the GUI thread (again only
when a file changed), each card's entry (best result, untried, left part-way), the filters, the
conversations left part-way with a banner each, and broken files.

The presenter is handed its view (anything with the methods of `LibraryView`), as every screen's
presenter is, so tests drive it against a plain fake view (tests/ui/library/test_presenter.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from simulator.engine.problems import Problem
from simulator.engine.vocabulary import SETTINGS
from simulator.ui.context import AppContext
from simulator.ui.formatting import friendly_time

if TYPE_CHECKING:
    from simulator.engine.loader import Library
    from simulator.engine.model import Scenario
    from simulator.records.sessions import SessionRecord

log = logging.getLogger(__name__)

# Banners for conversations left part-way, at most; any more are resumed from their cards.
MAX_RESUME_BANNERS = 3


@dataclass(frozen=True)
class ResumeEntry:
    """A conversation left part-way, as its banner shows it."""

    session_id: str
    title: str  # the scenario's
    heading: str
    text: str


@dataclass(frozen=True)
class CardEntry:
    """A scenario's card: its best outcome so far (None: never ended), whether the trainee played it, and
    the newest conversation of it left part-way (`resume` its session id, `left_note` what the card says)."""

    scenario: Scenario
    best: str | None
    tried: bool
    resume: str | None = None
    left_note: str = ""


class LibraryView(Protocol):
    def show_header(self, greeting: str, check_microphone: bool) -> None: ...
    def show_loading(self, loading: bool) -> None: ...
    def show_unfinished(self, banners: list[ResumeEntry], more: str | None) -> None: ...  # more None: none hidden
    def scroll_to_top(self) -> None: ...
    def show_filters(self, keys: list[str], current: str) -> None: ...  # "all" first, then the settings' keys
    def check_filter(self, key: str) -> None: ...
    def show_cards(self, cards: list[CardEntry]) -> None: ...
    def show_selection(self, shown: list[str], empty: str | None) -> None: ...  # scenario ids; empty None: hidden
    def show_problems(self, title: str | None, text: str = "") -> None: ...  # None: every file loaded
    def ask(self, title: str, text: str, choices: list[tuple[str, str]]) -> str | None: ...
    def tell(self, title: str, text: str, warning: bool = False) -> None: ...


def _exchanges(record: SessionRecord) -> str:
    turns = len(record.state.turns)
    return f"{turns} exchange{'s' if turns != 1 else ''} saved"


class LibraryPresenter:
    """The scenarios to choose from, how the trainee did in each, and the conversations to carry on."""

    def __init__(self, view: LibraryView, context: AppContext):
        self.view = view
        self.ctx = context
        self.library: Library | None = None
        self.loading = False
        self.cards: list[CardEntry] = []
        self.filter = "all"
        # This station's conversations left part-way in scenarios the library has, the newest first.
        self.unfinished: list[SessionRecord] = []
        self._filter_keys: list[str] | None = None
        self._signature: tuple | None = None
        self._banner_ids: list[str] = []

    # -- loading ---------------------------------------------------------------------------------
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
        # At the app's start, once the library's frame is painted (AppContext.startup).
        self.ctx.startup.later(lambda: self.ctx.tasks.submit(self.ctx.library_loader, on_done=self._on_library_loaded,
                                                             on_error=self._on_library_failed))

    def _on_library_loaded(self, library: Library) -> None:
        self.loading = False
        self.view.show_loading(False)
        self.library = library
        self._show_library()

    def _on_library_failed(self, exc: BaseException) -> None:
        # The library screen must open even if a folder cannot be read.
        log.error("loading the scenario library failed", exc_info=exc)
        from simulator.engine.loader import Library

        self._on_library_loaded(
            Library({}, {}, [Problem("scenarios", 0, f"the scenario folders could not be read: {exc}")]))

    def _show_library(self) -> None:
        assert self.library is not None
        self._show_unfinished()
        self._show_cards()
        self._show_problems(self.library.problems)

    def _show_header(self) -> None:
        settings = self.ctx.settings
        name = settings.trainee_name.strip()
        self.view.show_header((f"Welcome back, {name}. " if name else "")
                              + "Pick a situation to practise. Each takes a few minutes.", not settings.baseline_wav)

    # -- conversations left part-way -------------------------------------------------------------
    def _show_unfinished(self) -> None:
        try:
            unfinished = self.ctx.store.unfinished()
        except OSError:
            unfinished = []
        records = [r for r in unfinished if self.library and r.state.scenario_id in self.library.scenarios]
        self.unfinished = records
        banners = []
        for record in records[:MAX_RESUME_BANNERS]:
            title = record.scenario_title or record.state.scenario_id
            banners.append(ResumeEntry(
                record.session_id, title, f"You left “{title}” part-way through",
                f"{_exchanges(record)}, last on {friendly_time(record.updated_at)}. "
                "Carry on where you stopped, look at how it went so far, or discard it."))
        hidden = len(records) - len(banners)
        more = (f"{hidden} more conversation{'s' if hidden != 1 else ''} left part-way: "
                "resume each from its scenario's card below, or review it under History.") if hidden else None
        self.view.show_unfinished(banners, more)
        if records and [r.session_id for r in records] != self._banner_ids:
            # A conversation just left for later: its banner is at the top, scroll up to it.
            self.view.scroll_to_top()
        self._banner_ids = [r.session_id for r in records]

    def discard(self, session_id: str) -> None:
        """Ask, then stop offering to resume a conversation left part-way (it stays in the history)."""
        record = next((r for r in self.unfinished if r.session_id == session_id), None)
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

    # -- cards and filters -----------------------------------------------------------------------
    def _show_cards(self) -> None:
        self.cards = self._card_entries()
        self.show_filters(c.scenario.setting for c in self.cards)
        self.view.show_cards(self.cards)
        self._show_selection()

    def _card_entries(self) -> list[CardEntry]:
        """Every scenario by difficulty, with the trainee's best result and what they left part-way."""
        if self.library is None:
            return []
        name = self.ctx.settings.trainee_name.strip()
        scenarios = self.library.by_difficulty()
        try:
            best = self.ctx.store.best_outcomes(name or None)
            untried = set(self.ctx.store.untried_scenarios(name, [s.id for s in scenarios])) if name else set()
        except OSError:
            best, untried = {}, set()
        # The newest conversation left part-way of each scenario (records are newest first).
        left: dict[str, SessionRecord] = {}
        for record in self.unfinished:
            left.setdefault(record.state.scenario_id, record)
        entries = []
        for scenario in scenarios:
            entry = CardEntry(scenario, best.get(scenario.id), tried=bool(name) and scenario.id not in untried)
            if (newest := left.get(scenario.id)) is not None:
                entry = replace(entry, resume=newest.session_id, left_note=f"You left this part-way: {_exchanges(newest)}, "
                                                                           f"{friendly_time(newest.updated_at)}.")
            entries.append(entry)
        return entries

    def show_filters(self, settings: Iterable[str]) -> None:
        """All, then a filter per setting: the known ones in their order, then others by name."""
        present = set(settings)
        keys = [k for k in SETTINGS if k in present] + sorted(present - set(SETTINGS))
        if keys == self._filter_keys:
            return
        self._filter_keys = keys
        if self.filter not in keys:
            self.filter = "all"
        self.view.show_filters(["all", *keys], self.filter)

    def set_filter(self, key: str) -> None:
        self.filter = key
        self.view.check_filter(key)
        self._show_selection()

    def _show_selection(self) -> None:
        shown = [c.scenario.id for c in self.cards if self.filter in ("all", c.scenario.setting)]
        empty: str | None = None
        if self.library is not None and not shown:
            empty = ("No scenarios were found. Scenario files go in the scenarios folder "
                     "(see the problems below if some could not be read)." if not self.cards
                     else "No scenarios for this setting yet.")
        self.view.show_selection(shown, empty)

    # -- broken files ----------------------------------------------------------------------------
    def _show_problems(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        if not errors:
            self.view.show_problems(None)
            return
        files = sorted({p.file for p in errors})
        self.view.show_problems(f"{len(files)} scenario file{'s' if len(files) != 1 else ''} could not be loaded",
                                "\n".join(str(p) for p in errors))
