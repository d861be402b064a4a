"""The library screen: scenario cards with their skills and best result, filters, resumable sessions, broken files.

Signals (LibraryPage):
    start_requested(str): the trainee chose a scenario (its id).
    resume_requested(str): continue an interrupted session (its id).
    review_requested(str): open the debrief of a session (its id).
    microphone_requested(): open the microphone check.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from simulator.engine.loader import Library, Problem
from simulator.engine.model import Scenario
from simulator.engine.vocabulary import DIFFICULTY_NAMES, SETTINGS, SKILLS, setting_name
from simulator.records.sessions import SessionRecord
from simulator.ui import dialogs
from simulator.ui.common import (
    Banner,
    Page,
    as_written,
    button,
    chip,
    clear_layout,
    fit_columns,
    label,
)
from simulator.ui.context import AppContext
from simulator.ui.formatting import difficulty_dots, friendly_time
from simulator.ui.theme import OUTCOME_TEXT
from simulator.ui.widgets.portrait import Portrait

log = logging.getLogger(__name__)

CARD_WIDTH = 330


def estimated_minutes(scenario: Scenario) -> int:
    """The scenario's own estimate, else about a minute per exchange on a typical path."""
    if scenario.minutes:
        return scenario.minutes
    return max(3, min(20, round(len(scenario.nodes) * 0.75)))


class ScenarioCard(QFrame):
    """One scenario: what it is, how hard, what it practises and how the trainee did before."""

    def __init__(self, scenario: Scenario, best: str | None, tried: bool = False,
                 unfinished: SessionRecord | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.scenario = scenario
        self.unfinished = unfinished
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(8)
        chips = QHBoxLayout()
        chips.setSpacing(6)
        chips.addWidget(chip(setting_name(scenario.setting)))
        level = chip(f"{difficulty_dots(scenario.difficulty)}  {DIFFICULTY_NAMES[scenario.difficulty]}", "chipMuted")
        level.setToolTip(f"Difficulty {scenario.difficulty} of 5")
        chips.addWidget(level)
        chips.addWidget(chip(f"about {estimated_minutes(scenario)} min", "chipMuted"))
        chips.addStretch(1)
        layout.addLayout(chips)
        customer = scenario.customer
        head = QHBoxLayout()
        head.setSpacing(14)
        face = Portrait()
        face.setMinimumSize(64, 64)
        face.setFixedSize(64, 64)
        start_mood = scenario.nodes[scenario.start_node].mood or "annoyed"
        face.set_customer(customer.portrait, customer.name, start_mood)
        head.addWidget(face, 0, Qt.AlignmentFlag.AlignTop)
        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(label(scenario.title, "h2", wrap=True))
        who = customer.name + (f", {customer.age}" if customer.age else "")
        names.addWidget(label(f"With {who}", "muted"))
        head.addLayout(names, 1)
        layout.addLayout(head)
        skills = html.escape(" · ".join(SKILLS.get(s, s) for s in scenario.skills))
        practise = label(f"<b>Practises</b>  {skills}", "small", wrap=True)
        practise.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(practise)
        layout.addStretch(1)
        bottom = QHBoxLayout()
        if best:
            text, kind = OUTCOME_TEXT[best]
            badge = chip(f"Best: {text}", f"chip_{kind}")
        elif tried:  # played, but every attempt was left or ended before an ending
            badge = chip("Tried, not finished", "chipMuted")
        else:
            badge = chip("Not tried yet", "chipMuted")
        self.best_label = badge
        bottom.addWidget(badge)
        bottom.addStretch(1)
        # A conversation left part-way is resumed from its card too, where the trainee looks for it.
        self.resume: QPushButton | None = None
        self.left_note: QLabel | None = None
        if unfinished is not None:
            turns = len(unfinished.state.turns)
            self.left_note = label(f"You left this part-way: {turns} exchange{'s' if turns != 1 else ''} saved, "
                                   f"{friendly_time(unfinished.updated_at)}.", "small", wrap=True)
            layout.insertWidget(layout.count() - 1, self.left_note)  # above the stretch
            self.resume = button("Resume", "primary", "Carry on where you stopped")
            self.resume.setAccessibleName(f"Resume {scenario.title}")
            bottom.addWidget(self.resume)
        self.start = button("Start again" if unfinished else "Start", None if unfinished else "primary")
        self.start.setAccessibleName(f"Start {scenario.title}" + (" again" if unfinished else ""))
        bottom.addWidget(self.start)
        layout.addLayout(bottom)
        self.setToolTip(as_written(scenario.brief))


# Banners for conversations left part-way, at most; any more are resumed from their cards.
MAX_RESUME_BANNERS = 3


class ResumeBanner(Banner):
    """One conversation left part-way: what it was, and Resume, Review or Discard."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("info", parent=parent)
        self.record: SessionRecord | None = None
        self.resume = self.add_action("Resume", "primary")
        self.review = self.add_action("Review")
        self.discard = self.add_action("Discard")
        self.setVisible(False)

    def show_record(self, record: SessionRecord | None) -> None:
        self.record = record
        self.setVisible(record is not None)
        if record is None:
            return
        turns = len(record.state.turns)
        title = record.scenario_title or record.state.scenario_id
        self.set_text(f"You left “{title}” part-way through",
                      f"{turns} exchange{'s' if turns != 1 else ''} saved, last on {friendly_time(record.updated_at)}. "
                      "Carry on where you stopped, look at how it went so far, or discard it.")
        self.resume.setAccessibleName(f"Resume {title}")
        self.review.setAccessibleName(f"Review {title} so far")
        self.discard.setAccessibleName(f"Discard {title}")


class LibraryPage(Page):
    start_requested = Signal(str)
    resume_requested = Signal(str)
    review_requested = Signal(str)
    microphone_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.library: Library | None = None
        self.cards: list[ScenarioCard] = []
        self._filter = "all"
        self._filter_keys: list[str] | None = None
        self._columns = 0
        self._signature: tuple | None = None
        self.loading = False
        self._unfinished: list[SessionRecord] = []
        self._banner_ids: list[str] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        self._scroll = scroll
        body = QWidget()
        scroll.setWidget(body)
        self._body = body
        layout = QVBoxLayout(body)
        layout.setContentsMargins(36, 28, 36, 28)
        layout.setSpacing(16)

        # Title and filters side by side, or the filters below when large text leaves no room.
        self.head = head = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        titles = QVBoxLayout()
        titles.setSpacing(4)
        titles.addWidget(label("Choose a conversation", "h1"))
        self.greeting = label("", "muted", wrap=True)
        titles.addWidget(self.greeting)
        head.addLayout(titles, 1)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        head.addLayout(filters)
        self.filters = QButtonGroup(self)
        self.filters.setExclusive(True)
        self._filter_row = filters
        self._show_filters(SETTINGS[:2])  # until the library is loaded: then one per setting it has
        self.filters.buttonClicked.connect(self._on_filters_button_clicked)
        layout.addLayout(head)

        self.mic_banner = Banner("warning")
        self.mic_banner.set_text("Your microphone hasn't been checked yet",
                                 "A one-minute check sets your normal speaking voice, so the simulator can tell "
                                 "when you sound calm or raised. You can also type your replies.")
        self.mic_banner.add_action("Check microphone", "primary").clicked.connect(self.microphone_requested)
        layout.addWidget(self.mic_banner)

        # One banner per conversation left part-way (the newest first), at the top where they are seen.
        self.resume_banners: list[ResumeBanner] = []
        self._resume_area = QVBoxLayout()
        self._resume_area.setSpacing(8)
        layout.addLayout(self._resume_area)
        self._add_resume_banner()
        self.more_unfinished = label("", "small", wrap=True)
        self.more_unfinished.setVisible(False)
        layout.addWidget(self.more_unfinished)

        self.grid = QGridLayout()
        self.grid.setSpacing(16)
        layout.addLayout(self.grid)
        self.loading_label = label("Loading scenarios…", "muted")
        self.loading_label.setVisible(False)
        layout.addWidget(self.loading_label)
        self.empty = label("", "muted", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty)

        self.problems_panel = QFrame()
        self.problems_panel.setObjectName("panel")
        pl = QVBoxLayout(self.problems_panel)
        pl.setContentsMargins(16, 12, 16, 12)
        head_row = QHBoxLayout()
        self.problems_title = label("", "h3")
        head_row.addWidget(self.problems_title, 1)
        self.problems_toggle = button("Show details", "link")
        self.problems_toggle.clicked.connect(self._on_problems_toggle_clicked)
        head_row.addWidget(self.problems_toggle)
        pl.addLayout(head_row)
        pl.addWidget(label("These files were skipped. Send the lines below to whoever wrote them; "
                           "the other scenarios are not affected.", "small", wrap=True))
        self.problems_text = QPlainTextEdit()
        self.problems_text.setReadOnly(True)
        self.problems_text.setMaximumHeight(140)
        self.problems_text.setVisible(False)
        self.problems_text.setAccessibleName("Scenario file problems")
        pl.addWidget(self.problems_text)
        layout.addWidget(self.problems_panel)
        layout.addStretch(1)

    # -- data ------------------------------------------------------------------------------------
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
        self.loading_label.setVisible(self.library is None)
        # At the app's start, once the library's frame is painted (AppContext.startup).
        self.ctx.startup.later(lambda: self.ctx.tasks.submit(self.ctx.library_loader, on_done=self._on_library_loaded,
                                                             on_error=self._on_library_failed))

    def _on_library_loaded(self, library: Library) -> None:
        self.loading = False
        self.loading_label.setVisible(False)
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
        self._show_cards()
        self._show_problems(self.library.problems)

    def _show_header(self) -> None:
        settings = self.ctx.settings
        name = settings.trainee_name.strip()
        self.greeting.setText((f"Welcome back, {name}. " if name else "")
                              + "Pick a situation to practise. Each takes a few minutes.")
        self.mic_banner.setVisible(not settings.baseline_wav)

    # -- conversations left part-way -------------------------------------------------------------
    @property
    def resume_banner(self) -> ResumeBanner:
        """The newest conversation left part-way (hidden when there is none)."""
        return self.resume_banners[0]

    @property
    def resume_button(self) -> QPushButton:
        return self.resume_banner.resume

    @property
    def review_button(self) -> QPushButton:
        return self.resume_banner.review

    @property
    def discard_button(self) -> QPushButton:
        return self.resume_banner.discard

    def _add_resume_banner(self) -> ResumeBanner:
        banner = ResumeBanner()
        banner.resume.clicked.connect(lambda: self._on_resume_clicked(banner))
        banner.review.clicked.connect(lambda: self._on_review_clicked(banner))
        banner.discard.clicked.connect(lambda: self._on_discard_clicked(banner))
        self._resume_area.addWidget(banner)
        self.resume_banners.append(banner)
        return banner

    def _show_unfinished(self) -> None:
        try:
            unfinished = self.ctx.store.unfinished()
        except OSError:
            unfinished = []
        records = [r for r in unfinished if self.library and r.state.scenario_id in self.library.scenarios]
        self._unfinished = records
        shown = records[:MAX_RESUME_BANNERS]
        while len(self.resume_banners) < len(shown):
            self._add_resume_banner()
        for i, banner in enumerate(self.resume_banners):
            banner.show_record(shown[i] if i < len(shown) else None)
        hidden = len(records) - len(shown)
        self.more_unfinished.setText(f"{hidden} more conversation{'s' if hidden != 1 else ''} left part-way: "
                                     "resume each from its scenario's card below, or review it under History.")
        self.more_unfinished.setVisible(hidden > 0)
        if records and [r.session_id for r in records] != self._banner_ids:
            # A conversation just left for later: its banner is at the top, scroll up to it.
            self._scroll.verticalScrollBar().setValue(0)
        self._banner_ids = [r.session_id for r in records]

    def _show_cards(self) -> None:
        clear_layout(self.grid)
        self.cards = []
        if self.library is None:
            return
        name = self.ctx.settings.trainee_name.strip()
        scenarios = self.library.by_difficulty()
        try:
            best = self.ctx.store.best_outcomes(name or None)
            untried = set(self.ctx.store.untried_scenarios(name, [s.id for s in scenarios])) if name else set()
        except OSError:
            best, untried = {}, set()
        self._show_filters(s.setting for s in scenarios)
        # The newest conversation left part-way of each scenario (records are newest first).
        left: dict[str, SessionRecord] = {}
        for record in self._unfinished:
            left.setdefault(record.state.scenario_id, record)
        for scenario in scenarios:
            card = ScenarioCard(scenario, best.get(scenario.id), tried=bool(name) and scenario.id not in untried,
                                unfinished=left.get(scenario.id))
            card.start.clicked.connect(lambda _=False, sid=scenario.id: self.start_requested.emit(sid))
            if card.resume is not None and card.unfinished is not None:
                card.resume.clicked.connect(
                    lambda _=False, session=card.unfinished.session_id: self.resume_requested.emit(session))
            self.cards.append(card)
        self._layout_cards()

    def _show_filters(self, settings: Iterable[str]) -> None:
        """All, then a filter per setting: the known ones in their order, then others by name."""
        present = set(settings)
        keys = [k for k in SETTINGS if k in present] + sorted(present - set(SETTINGS))
        if keys == self._filter_keys:
            return
        self._filter_keys = keys
        for b in self.filters.buttons():
            self.filters.removeButton(b)
            b.hide()  # at once: deleteLater waits for the event loop, and a button out of its layout shows at 640x480
        clear_layout(self._filter_row)
        if self._filter not in keys:
            self._filter = "all"
        for key in ["all", *keys]:
            text = "All" if key == "all" else setting_name(key)
            b = button(text, "filter")
            b.setCheckable(True)
            b.setChecked(key == self._filter)
            b.setProperty("filter_key", key)
            b.setAccessibleName(f"Show {text.lower()} scenarios")
            self.filters.addButton(b)
            self._filter_row.addWidget(b, 0, Qt.AlignmentFlag.AlignBottom)
        self._filter_row.addStretch(1)  # below the title they keep their size, on the left

    def visible_cards(self) -> list[ScenarioCard]:
        return [c for c in self.cards if self._filter in ("all", c.scenario.setting)]

    def _layout_cards(self) -> None:
        while self.grid.count():
            self.grid.takeAt(0)
        columns = self._column_count()
        self._columns = columns
        shown = self.visible_cards()
        for card in self.cards:
            card.setVisible(card in shown)
        for i, card in enumerate(shown):
            self.grid.addWidget(card, i // columns, i % columns)
        for c in range(4):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        if self.library is None:
            self.empty.setVisible(False)
            return
        if not self.cards:
            self.empty.setText("No scenarios were found. Scenario files go in the scenarios folder "
                               "(see the problems below if some could not be read).")
        elif not shown:
            self.empty.setText("No scenarios for this setting yet.")
        self.empty.setVisible(not shown)
        # Keyboard users move from card to card in reading order.
        for a, b in zip(shown, shown[1:], strict=False):
            QWidget.setTabOrder(a.start, b.start)

    def _column_count(self) -> int:
        card = round(CARD_WIDTH * self.ctx.settings.text_scale)
        # A card never gets narrower than its contents need (chips and buttons grow with the text).
        card = max([card, *(c.minimumSizeHint().width() + self.grid.spacing() for c in self.cards)])
        # The viewport, not the body: the body widens to fit the cards it holds.
        return max(1, min(4, max(self._scroll.viewport().width() - 72, card) // card))

    def _show_problems(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        files = sorted({p.file for p in errors})
        self.problems_panel.setVisible(bool(errors))
        if errors:
            self.problems_title.setText(f"{len(files)} scenario file{'s' if len(files) != 1 else ''} could not be loaded")
            self.problems_text.setPlainText("\n".join(str(p) for p in errors))

    def set_filter(self, key: str) -> None:
        self._filter = key
        for b in self.filters.buttons():
            b.setChecked(b.property("filter_key") == key)
        self._layout_cards()

    # -- slots -----------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        fit_columns(self.head, self._scroll.viewport().width() - 72)
        if self._column_count() != self._columns:
            self._layout_cards()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        fit_columns(self.head, self._scroll.viewport().width() - 72)
        self._layout_cards()

    def _on_filters_button_clicked(self, which) -> None:
        self.set_filter(which.property("filter_key"))

    def _on_problems_toggle_clicked(self) -> None:
        show = not self.problems_text.isVisible()
        self.problems_text.setVisible(show)
        self.problems_toggle.setText("Hide details" if show else "Show details")

    def _on_resume_clicked(self, banner: ResumeBanner) -> None:
        if banner.record is not None:
            self.resume_requested.emit(banner.record.session_id)

    def _on_review_clicked(self, banner: ResumeBanner) -> None:
        if banner.record is not None:
            self.review_requested.emit(banner.record.session_id)

    def _on_discard_clicked(self, banner: ResumeBanner) -> None:
        record = banner.record
        if record is None:
            return
        answer = dialogs.ask(self, "Discard this session?",
                             "Stop offering to resume this conversation? It stays in your history and "
                             "you can still review it.", [("keep", "Keep it"), ("discard", "Discard")])
        if answer != "discard":
            return
        record.closed = True
        try:
            self.ctx.store.save(record)
        except OSError as exc:
            dialogs.tell(self, "Could not save", str(exc), warning=True)
        self.refresh()
