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

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from simulator.engine.loader import Library
from simulator.engine.model import Scenario
from simulator.engine.vocabulary import SKILLS
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
from simulator.ui.library.presenter import CardEntry, LibraryPresenter
from simulator.ui.theme import OUTCOME_TEXT
from simulator.ui.widgets.portrait import Portrait

log = logging.getLogger(__name__)

SETTING_NAMES = {"retail": "Retail", "security": "Security"}
DIFFICULTY_NAMES = {1: "Introductory", 2: "Easy", 3: "Moderate", 4: "Hard", 5: "Very hard"}
CARD_WIDTH = 330


def estimated_minutes(scenario: Scenario) -> int:
    """The scenario's own estimate, else about a minute per exchange on a typical path."""
    if scenario.minutes:
        return scenario.minutes
    return max(3, min(20, round(len(scenario.nodes) * 0.75)))


class ScenarioCard(QFrame):
    """One scenario: what it is, how hard, what it practises and how the trainee did before."""

    def __init__(self, scenario: Scenario, best: str | None, tried: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.scenario = scenario
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(8)
        chips = QHBoxLayout()
        chips.setSpacing(6)
        chips.addWidget(chip(SETTING_NAMES.get(scenario.setting, scenario.setting)))
        dots = "●" * scenario.difficulty + "○" * (5 - scenario.difficulty)
        level = chip(f"{dots}  {DIFFICULTY_NAMES[scenario.difficulty]}", "chipMuted")
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
        self.start = button("Start", "primary")
        self.start.setAccessibleName(f"Start {scenario.title}")
        bottom.addWidget(self.start)
        layout.addLayout(bottom)
        self.setToolTip(as_written(scenario.brief))


class LibraryPage(Page):
    start_requested = Signal(str)
    resume_requested = Signal(str)
    review_requested = Signal(str)
    microphone_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.presenter = LibraryPresenter(self, context)
        self.cards: list[ScenarioCard] = []
        self._filter = "all"
        self._columns = 0

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
        for key, text in (("all", "All"), ("retail", "Retail"), ("security", "Security")):
            b = button(text, "filter")
            b.setCheckable(True)
            b.setChecked(key == "all")
            b.setProperty("filter_key", key)
            b.setAccessibleName(f"Show {text.lower()} scenarios")
            self.filters.addButton(b)
            filters.addWidget(b, 0, Qt.AlignmentFlag.AlignBottom)
        filters.addStretch(1)  # below the title they keep their size, on the left
        self.filters.buttonClicked.connect(self._on_filters_button_clicked)
        layout.addLayout(head)

        self.mic_banner = Banner("warning")
        self.mic_banner.set_text("Your microphone hasn't been checked yet",
                                 "A one-minute check sets your normal speaking voice, so the simulator can tell "
                                 "when you sound calm or raised. You can also type your replies.")
        self.mic_banner.add_action("Check microphone", "primary").clicked.connect(self.microphone_requested)
        layout.addWidget(self.mic_banner)

        self.resume_banner = Banner("info")
        self.resume_button = self.resume_banner.add_action("Resume", "primary")
        self.review_button = self.resume_banner.add_action("Review")
        self.discard_button = self.resume_banner.add_action("Discard")
        self.resume_button.clicked.connect(self._on_resume_clicked)
        self.review_button.clicked.connect(self._on_review_clicked)
        self.discard_button.clicked.connect(self._on_discard_clicked)
        layout.addWidget(self.resume_banner)

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

    # -- the presenter's state, as the window and tests read it ----------------------------------
    @property
    def library(self) -> Library | None:
        return self.presenter.library

    @property
    def loading(self) -> bool:
        return self.presenter.loading

    def refresh(self) -> None:
        self.presenter.refresh()

    # -- the view (LibraryView) ------------------------------------------------------------------
    def show_header(self, greeting: str, check_microphone: bool) -> None:
        self.greeting.setText(greeting)
        self.mic_banner.setVisible(check_microphone)

    def show_loading(self, loading: bool) -> None:
        self.loading_label.setVisible(loading)

    def show_unfinished(self, title: str | None, text: str = "") -> None:
        self.resume_banner.setVisible(title is not None)
        if title is not None:
            self.resume_banner.set_text(title, text)

    def show_cards(self, cards: list[CardEntry]) -> None:
        clear_layout(self.grid)
        self.cards = []
        for entry in cards:
            card = ScenarioCard(entry.scenario, entry.best, tried=entry.tried)
            card.start.clicked.connect(lambda _=False, sid=entry.scenario.id: self.start_requested.emit(sid))
            self.cards.append(card)
        self._layout_cards()

    def show_problems(self, title: str | None, text: str = "") -> None:
        self.problems_panel.setVisible(title is not None)
        if title is not None:
            self.problems_title.setText(title)
            self.problems_text.setPlainText(text)

    def ask(self, title: str, text: str, choices: list[tuple[str, str]]) -> str | None:
        return dialogs.ask(self, title, text, choices)

    def tell(self, title: str, text: str, warning: bool = False) -> None:
        dialogs.tell(self, title, text, warning=warning)

    # -- cards -----------------------------------------------------------------------------------
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
        if self.presenter.library is None:
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

    def _on_resume_clicked(self) -> None:
        if self.presenter.unfinished is not None:
            self.resume_requested.emit(self.presenter.unfinished.session_id)

    def _on_review_clicked(self) -> None:
        if self.presenter.unfinished is not None:
            self.review_requested.emit(self.presenter.unfinished.session_id)

    def _on_discard_clicked(self) -> None:
        self.presenter.discard_unfinished()
