"""The history screen: a trainee's sessions, their score trend per behaviour, the scenarios not yet
tried, their reports and "Delete my data".

Signals (HistoryPage):
    review_requested(str): open that session's debrief (session id).
"""

from __future__ import annotations

import logging

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
from simulator.ui.history.presenter import SESSION_COLUMNS, HistoryPresenter, SessionRow
from simulator.ui.history.trend_chart import TrendChart
from simulator.ui.report_export import ReportExporter, export_buttons, show_export_result

log = logging.getLogger(__name__)


class HistoryPage(Page):
    """A trainee's sessions over time, their trend per rubric behaviour, and what they have not tried yet."""

    review_requested = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.exporter = ReportExporter(context, self)
        self.presenter = HistoryPresenter(self, context)

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

    # -- the view (HistoryView) ------------------------------------------------------------------
    def current(self) -> str:
        return self.trainee.currentText().strip()

    def current_trainee(self) -> str:
        return self.current()

    def selected_session(self) -> str:
        """The session id of the selected row ("" when none is)."""
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def refresh(self, select: str | None = None) -> None:
        self.presenter.refresh(select)

    def show_trainees(self, names: list[str], wanted: str) -> None:
        self.trainee.blockSignals(True)
        self.trainee.clear()
        self.trainee.addItems(names)
        if wanted in names:
            self.trainee.setCurrentText(wanted)
        self.trainee.blockSignals(False)

    def clear_trainee(self) -> None:
        self.trainee.setCurrentText("")

    def set_trainee_actions(self, enabled: bool) -> None:
        for widget in (self.export_pdf, self.export_csv, self.delete_button):
            widget.setEnabled(enabled)

    def show_sessions(self, rows: list[SessionRow]) -> None:
        self.table.setRowCount(len(rows))
        for row, session in enumerate(rows):
            for column, text in enumerate(session.cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, session.session_id)
                if column in (2, 4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if column == 4 and session.score_tip:
                    item.setToolTip(as_written(session.score_tip))
                self.table.setItem(row, column, item)
        if rows:
            self.table.selectRow(0)
        self._on_table_item_selection_changed()

    def show_trend(self, series: dict[str, list[float | None]]) -> None:
        self.chart.set_series(series)

    def show_untried(self, titles: list[str] | None) -> None:
        clear_layout(self.untried_list)
        if titles is None:
            return
        if not titles:
            self.untried_list.addWidget(label("Every scenario in the library has been tried.", "muted", wrap=True))
            return
        for title in titles:
            self.untried_list.addWidget(label(f"• {title}", None, wrap=True))

    def show_summary(self, text: str, no_sessions: bool) -> None:
        self.summary.setText(text)
        self.empty.setText("No sessions yet." if no_sessions else "")
        self.empty.setVisible(no_sessions)

    def show_notice(self, kind: str, title: str, text: str) -> None:
        self.notice.set_kind(kind)
        self.notice.set_text(title, text)
        self.notice.setVisible(True)

    def ask(self, title: str, text: str, choices: list[tuple[str, str]]) -> str | None:
        return dialogs.ask(self, title, text, choices)

    def tell(self, title: str, text: str, warning: bool = False) -> None:
        dialogs.tell(self, title, text, warning=warning)

    # -- slots -----------------------------------------------------------------------------------
    def _on_trainee_current_text_changed(self, name: str) -> None:
        self.presenter.show_trainee(name.strip())

    def _on_delete_button_clicked(self) -> None:
        if self.current():
            self.presenter.delete_data(self.current())

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
