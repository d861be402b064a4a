"""The library screen's page: scenario cards with their skills and best result, filters, resumable sessions,
broken files. It shows what its presenter (simulator/ui/library/presenter.py) tells it.

Signals (LibraryPage):
    start_requested(str): the trainee chose a scenario (its id).
    resume_requested(str): continue an interrupted session (its id).
    review_requested(str): open the debrief of a session (its id).
    microphone_requested(): open the microphone check.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

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
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from simulator.engine.vocabulary import DIFFICULTY_NAMES, SETTINGS, SKILLS, setting_name
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
    scrolled_column,
)
from simulator.ui.context import AppContext
from simulator.ui.formatting import difficulty_dots, estimated_minutes
from simulator.ui.library.presenter import CardEntry, LibraryPresenter, ResumeEntry
from simulator.ui.theme import OUTCOME_TEXT
from simulator.ui.widgets.portrait import Portrait

if TYPE_CHECKING:
    from simulator.engine.loader import Library

CARD_WIDTH = 330


class ScenarioCard(QFrame):
    """One scenario: what it is, how hard, what it practises and how the trainee did before."""

    def __init__(self, entry: CardEntry, parent: QWidget | None = None):
        super().__init__(parent)
        scenario = entry.scenario
        self.scenario = scenario
        self.entry = entry
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
        if entry.best:
            text, kind = OUTCOME_TEXT[entry.best]
            badge = chip(f"Best: {text}", f"chip_{kind}")
        elif entry.tried:  # played, but every attempt was left or ended before an ending
            badge = chip("Tried, not finished", "chipMuted")
        else:
            badge = chip("Not tried yet", "chipMuted")
        self.best_label = badge
        bottom.addWidget(badge)
        bottom.addStretch(1)
        # A conversation left part-way is resumed from its card too, where the trainee looks for it.
        self.resume: QPushButton | None = None
        self.left_note: QLabel | None = None
        left = entry.resume is not None
        if left:
            self.left_note = label(entry.left_note, "small", wrap=True)
            layout.insertWidget(layout.count() - 1, self.left_note)  # above the stretch
            self.resume = button("Resume", "primary", "Carry on where you stopped")
            self.resume.setAccessibleName(f"Resume {scenario.title}")
            bottom.addWidget(self.resume)
        self.start = button("Start again" if left else "Start", None if left else "primary")
        self.start.setAccessibleName(f"Start {scenario.title}" + (" again" if left else ""))
        bottom.addWidget(self.start)
        layout.addLayout(bottom)
        self.setToolTip(as_written(scenario.brief))


class ResumeBanner(Banner):
    """One conversation left part-way: what it was, and Resume, Review or Discard."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("info", parent=parent)
        self.entry: ResumeEntry | None = None
        self.resume = self.add_action("Resume", "primary")
        self.review = self.add_action("Review")
        self.discard = self.add_action("Discard")
        self.setVisible(False)

    def show_entry(self, entry: ResumeEntry | None) -> None:
        self.entry = entry
        self.setVisible(entry is not None)
        if entry is None:
            return
        self.set_text(entry.heading, entry.text)
        self.resume.setAccessibleName(f"Resume {entry.title}")
        self.review.setAccessibleName(f"Review {entry.title} so far")
        self.discard.setAccessibleName(f"Discard {entry.title}")


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
        self._shown: list[str] = []  # the ids of the cards the filter lets through
        self._empty: str | None = None  # what the grid says when it shows no card (None: nothing)
        self._columns = 0

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._scroll, self._body, layout = scrolled_column(outer)

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
        self.presenter.show_filters(SETTINGS[:2])  # until the library is loaded: then one per setting it has

    # -- the presenter's state, as the window and tests read it ----------------------------------
    @property
    def library(self) -> Library | None:
        return self.presenter.library

    @property
    def loading(self) -> bool:
        return self.presenter.loading

    def refresh(self) -> None:
        self.presenter.refresh()

    def set_filter(self, key: str) -> None:
        self.presenter.set_filter(key)

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

    # -- the view (LibraryView) ------------------------------------------------------------------
    def show_header(self, greeting: str, check_microphone: bool) -> None:
        self.greeting.setText(greeting)
        self.mic_banner.setVisible(check_microphone)

    def show_loading(self, loading: bool) -> None:
        self.loading_label.setVisible(loading)

    def show_unfinished(self, banners: list[ResumeEntry], more: str | None) -> None:
        while len(self.resume_banners) < len(banners):
            self._add_resume_banner()
        for i, banner in enumerate(self.resume_banners):
            banner.show_entry(banners[i] if i < len(banners) else None)
        self.more_unfinished.setText(more or "")
        self.more_unfinished.setVisible(more is not None)

    def scroll_to_top(self) -> None:
        self._scroll.verticalScrollBar().setValue(0)

    def show_filters(self, keys: list[str], current: str) -> None:
        for b in self.filters.buttons():
            self.filters.removeButton(b)
            b.hide()  # at once: deleteLater waits for the event loop, and a button out of its layout shows at 640x480
        clear_layout(self._filter_row)
        for key in keys:
            text = "All" if key == "all" else setting_name(key)
            b = button(text, "filter")
            b.setCheckable(True)
            b.setChecked(key == current)
            b.setProperty("filter_key", key)
            b.setAccessibleName(f"Show {text.lower()} scenarios")
            self.filters.addButton(b)
            self._filter_row.addWidget(b, 0, Qt.AlignmentFlag.AlignBottom)
        self._filter_row.addStretch(1)  # below the title they keep their size, on the left

    def check_filter(self, key: str) -> None:
        for b in self.filters.buttons():
            b.setChecked(b.property("filter_key") == key)

    def show_cards(self, cards: list[CardEntry]) -> None:
        clear_layout(self.grid)
        self.cards = []
        for entry in cards:
            card = ScenarioCard(entry)
            card.start.clicked.connect(lambda _=False, sid=entry.scenario.id: self.start_requested.emit(sid))
            if card.resume is not None and entry.resume is not None:
                card.resume.clicked.connect(lambda _=False, session=entry.resume: self.resume_requested.emit(session))
            self.cards.append(card)

    def show_selection(self, shown: list[str], empty: str | None) -> None:
        self._shown = shown
        self._empty = empty
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

    # -- layout ----------------------------------------------------------------------------------
    def _add_resume_banner(self) -> ResumeBanner:
        banner = ResumeBanner()
        banner.resume.clicked.connect(lambda: self._on_resume_clicked(banner))
        banner.review.clicked.connect(lambda: self._on_review_clicked(banner))
        banner.discard.clicked.connect(lambda: self._on_discard_clicked(banner))
        self._resume_area.addWidget(banner)
        self.resume_banners.append(banner)
        return banner

    def visible_cards(self) -> list[ScenarioCard]:
        return [c for c in self.cards if c.scenario.id in self._shown]

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
        self.empty.setText(self._empty or "")
        self.empty.setVisible(self._empty is not None)
        # Keyboard users move from card to card in reading order.
        for a, b in zip(shown, shown[1:], strict=False):
            QWidget.setTabOrder(a.start, b.start)

    def _column_count(self) -> int:
        card = round(CARD_WIDTH * self.ctx.settings.text_scale)
        # A card never gets narrower than its contents need (chips and buttons grow with the text).
        card = max([card, *(c.minimumSizeHint().width() + self.grid.spacing() for c in self.cards)])
        # The viewport, not the body: the body widens to fit the cards it holds.
        return max(1, min(4, max(self._scroll.viewport().width() - 72, card) // card))

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
        self.presenter.set_filter(which.property("filter_key"))

    def _on_problems_toggle_clicked(self) -> None:
        show = not self.problems_text.isVisible()
        self.problems_text.setVisible(show)
        self.problems_toggle.setText("Hide details" if show else "Show details")

    def _on_resume_clicked(self, banner: ResumeBanner) -> None:
        if banner.entry is not None:
            self.resume_requested.emit(banner.entry.session_id)

    def _on_review_clicked(self, banner: ResumeBanner) -> None:
        if banner.entry is not None:
            self.review_requested.emit(banner.entry.session_id)

    def _on_discard_clicked(self, banner: ResumeBanner) -> None:
        if banner.entry is not None:
            self.presenter.discard(banner.entry.session_id)
