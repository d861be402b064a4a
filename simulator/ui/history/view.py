"""The history screen: a trainee's sessions, their score trend per behaviour, the scenarios not yet
tried, their reports and "Delete my data".

Signals (HistoryPage):
    review_requested(str): open that session's debrief (session id).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from simulator.engine.loader import Library
from simulator.records.reports import trainee_score
from simulator.records.roster import UnknownTrainee
from simulator.records.sessions import SessionRecord
from simulator.ui import dialogs
from simulator.ui.common import (
    Page,
    as_written,
    button,
    clear_layout,
    label,
    notice_banner,
    panel,
)
from simulator.ui.context import AppContext
from simulator.ui.formatting import friendly_time
from simulator.ui.history.trend_chart import TrendChart, behaviour_trend, own_turns
from simulator.ui.report_export import ReportExporter, export_buttons, show_export_result
from simulator.ui.theme import outcome_text

log = logging.getLogger(__name__)

# -- the history page ----------------------------------------------------------------------------
SESSION_COLUMNS = ["Date", "Scenario", "Turns", "Outcome", "Score", "Overrides"]


class HistoryPage(Page):
    """A trainee's sessions over time, their trend per rubric behaviour, and what they have not tried yet."""

    review_requested = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.records: list[SessionRecord] = []
        self.untried: list[str] = []
        self.exporter = ReportExporter(context, self)
        # The library already loaded by the window, if any (reading every scenario file again is slow).
        self.library_source: Callable[[], Library | None] | None = None
        self._titles: dict[str, str] = {}

        col = QVBoxLayout(self)
        col.setContentsMargins(36, 28, 36, 24)
        col.setSpacing(14)
        head = QHBoxLayout()
        head.setSpacing(10)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(label("History", "h1"))
        self.summary = label("", "muted", wrap=True)
        titles.addWidget(self.summary)
        head.addLayout(titles, 1)
        # The trainee on one line, what can be done with their records beneath: fits at 1024 wide.
        side = QVBoxLayout()
        side.setSpacing(8)
        who = QHBoxLayout()
        who.setSpacing(10)
        who.addStretch(1)
        who.addWidget(label("Trainee", "h3"))
        self.trainee = QComboBox()
        self.trainee.setMinimumWidth(220)
        self.trainee.setAccessibleName("Trainee")
        self.trainee.currentTextChanged.connect(self._on_trainee_current_text_changed)
        who.addWidget(self.trainee)
        side.addLayout(who)
        actions = QHBoxLayout()
        actions.setSpacing(10)
        actions.addStretch(1)
        self.export_pdf, self.export_csv = export_buttons(self.exporter, self, "trainee", self.current,
                                                          "this trainee's history")
        actions.addWidget(self.export_pdf)
        actions.addWidget(self.export_csv)
        self.delete_button = button("Delete my data…", "danger",
                                    "Delete this trainee's profile, sessions and recordings")
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        actions.addWidget(self.delete_button)
        side.addLayout(actions)
        head.addLayout(side)
        col.addLayout(head)

        self.notice = notice_banner()
        col.addWidget(self.notice)
        show_export_result(self.notice, self.exporter, self)

        middle = QHBoxLayout()
        middle.setSpacing(14)
        chart_panel, cp = panel(spacing=6)
        cp.addWidget(label("Score trend per behaviour", "h3"))
        cp.addWidget(label("Share of each behaviour's points, session by session (1 = first).", "small"))
        self.chart = TrendChart()
        cp.addWidget(self.chart, 1)
        middle.addWidget(chart_panel, 3)
        untried_panel, up = panel(spacing=6)
        up.addWidget(label("Not tried yet", "h3"))
        self.untried_list = QVBoxLayout()
        self.untried_list.setSpacing(4)
        up.addLayout(self.untried_list)
        up.addStretch(1)
        middle.addWidget(untried_panel, 2)
        col.addLayout(middle, 5)

        table_head = QHBoxLayout()
        table_head.addWidget(label("Sessions", "h2"), 1)
        self.open_button = button("Open debrief", "primary", "Open the selected session's debrief (Enter)")
        self.open_button.clicked.connect(self._on_open_button_clicked)
        table_head.addWidget(self.open_button)
        self.session_pdf, self.session_csv = export_buttons(self.exporter, self, "session", self.selected_session,
                                                            "the selected session")
        table_head.addWidget(self.session_pdf)
        table_head.addWidget(self.session_csv)
        col.addLayout(table_head)
        self.table = QTableWidget(0, len(SESSION_COLUMNS))
        self.table.setHorizontalHeaderLabels(SESSION_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip("Double-click a session to open its debrief")
        self.table.cellDoubleClicked.connect(self._on_table_cell_double_clicked)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.table.activated.connect(lambda index: self._on_table_cell_double_clicked(index.row(), 0))
        col.addWidget(self.table, 4)
        self.empty = label("", "muted", wrap=True)
        col.addWidget(self.empty)

    # -- data ------------------------------------------------------------------------------------
    def current(self) -> str:
        return self.trainee.currentText().strip()

    def selected_session(self) -> str:
        """The session id of the selected row ("" when none is)."""
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def refresh(self, select: str | None = None) -> None:
        """Reload the trainee list (keeping the choice, else `select`, else the Settings name) and their history."""
        wanted = select or self.current() or self.ctx.settings.trainee_name.strip()
        try:
            names = [t.name for t in self.ctx.store.trainees()]
        except OSError as exc:
            self._show_problem(f"The records could not be read: {exc}")
            names = []
        self.trainee.blockSignals(True)
        self.trainee.clear()
        self.trainee.addItems(names)
        if wanted in names:
            self.trainee.setCurrentText(wanted)
        self.trainee.blockSignals(False)
        self.show_trainee(self.current())

    def show_trainee(self, name: str) -> None:
        self.records, self.untried = [], []
        for widget in (self.export_pdf, self.export_csv, self.delete_button):
            widget.setEnabled(bool(name))
        if name:
            try:
                self.records = self.ctx.store.history(name)
                self.untried = self.ctx.store.untried_scenarios(name, self._library_ids())
            except UnknownTrainee:
                self.records = []
            except OSError as exc:
                self._show_problem(f"The records could not be read: {exc}")
        self._fill_table()
        self.chart.set_series(behaviour_trend(self.records, name))
        self._fill_untried()
        # Each session's score for this trainee, as in the table; a shared session they have no score in is left out.
        scores = [score for r in self.records if (score := trainee_score(r, name)) is not None]
        if not name:
            self.summary.setText("No trainees yet. Add names under Classes, or set your name in Settings.")
        else:
            mean = f", average score {sum(scores) / len(scores):.0f}" if scores else ""
            self.summary.setText(f"{name}: {len(self.records)} session{'s' if len(self.records) != 1 else ''}"
                                 f"{mean}.")
        self.empty.setText("No sessions yet." if name and not self.records else "")
        self.empty.setVisible(bool(name) and not self.records)

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

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(reversed(self.records)):  # the newest first
            state = record.state
            outcome = outcome_text(state.outcome, record.restarted)[0]
            own = own_turns(record, self.current())
            overrides = sum(t.override is not None for t in own)  # of their replies, not the class's
            mine = len(own)
            shared = mine != len(state.turns)
            # A classroom session: how many of its turns were this trainee's, and their score on those.
            turns = f"{mine} of {len(state.turns)}" if shared else str(len(state.turns))
            score = trainee_score(record, self.current())
            cells = [friendly_time(state.started_at), record.scenario_title or state.scenario_id,
                     turns, outcome, "" if score is None else f"{score:.0f}",
                     str(overrides) if overrides else ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, state.session_id)
                if column in (2, 4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if column == 4 and shared and record.score is not None:
                    item.setToolTip(as_written(self._shared_score_tip(mine, record.score)))
                self.table.setItem(row, column, item)
        if self.records:
            self.table.selectRow(0)
        self._on_table_item_selection_changed()

    def _shared_score_tip(self, mine: int, whole: float) -> str:
        """The score cell's tooltip for a classroom session shared with other trainees."""
        if not mine:
            return f"{self.current()} answered none of its turns; the whole session scored {whole:.0f}"
        return (f"Scored on the {mine} turn{'s' if mine != 1 else ''} {self.current()} answered; "
                f"the whole session scored {whole:.0f}")

    def _fill_untried(self) -> None:
        clear_layout(self.untried_list)
        titles = self._titles
        if not self.current():
            return
        if not self.untried:
            self.untried_list.addWidget(label("Every scenario in the library has been tried.", "muted", wrap=True))
            return
        for sid in self.untried:
            self.untried_list.addWidget(label(f"• {titles.get(sid, sid)}", None, wrap=True))

    def untried_titles(self) -> list[str]:
        titles = self._titles
        return [titles.get(sid, sid) for sid in self.untried]

    def _show_problem(self, text: str) -> None:
        self.notice.set_kind("danger")
        self.notice.set_text("", text)
        self.notice.setVisible(True)

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
        answer = dialogs.ask(self, f"Delete {name}'s data?", self.deletion_summary(name),
                             [("keep", "Keep everything"), ("delete", f"Delete {name}'s data")])
        if answer != "delete":
            return False
        try:
            deleted = self.ctx.store.delete_trainee_data(name)
        except (OSError, LookupError) as exc:
            dialogs.tell(self, "Nothing was deleted", f"{name}'s data could not be deleted: {exc}", warning=True)
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
        self.trainee.setCurrentText("")
        self.refresh(select="")
        self.notice.set_kind("success")
        self.notice.set_text(f"{name}'s data was deleted", text)
        self.notice.setVisible(True)
        return True

    # -- slots -----------------------------------------------------------------------------------
    def _on_trainee_current_text_changed(self, name: str) -> None:
        self.show_trainee(name.strip())

    def _on_delete_button_clicked(self) -> None:
        if self.current():
            self.delete_data(self.current())

    def _on_table_item_selection_changed(self) -> None:
        chosen = bool(self.selected_session())
        for widget in (self.open_button, self.session_pdf, self.session_csv):
            widget.setEnabled(chosen)

    def _on_open_button_clicked(self) -> None:
        if self.selected_session():
            self.review_requested.emit(self.selected_session())

    def _on_table_cell_double_clicked(self, row: int, column: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.review_requested.emit(item.data(Qt.ItemDataRole.UserRole))
