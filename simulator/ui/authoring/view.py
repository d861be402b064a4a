"""The authoring screen: a scenario's graph with its problems marked, node details, and a typed play-through.

Signals (AuthoringPage):
    node_selected(str): the trainer picked a node on the graph or in the problems list (its id).

The file is read by inspection.py (on the task runner), drawn by graph.py and tried in play.py;
this module lays them out with the problems list and wires them together.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from simulator.engine.loader import Problem
from simulator.engine.model import Scenario
from simulator.ui.authoring.coverage import CoveragePanel
from simulator.ui.authoring.graph import GraphView, details_html
from simulator.ui.authoring.inspection import Inspection
from simulator.ui.authoring.play import PlayPanel
from simulator.ui.authoring.presenter import AuthoringPresenter
from simulator.ui.common import Banner, Page, as_written, button, label
from simulator.ui.context import AppContext
from simulator.ui.theme import COLORS

log = logging.getLogger(__name__)


class RawText(QPlainTextEdit):
    """The file's text with line numbers, the lines with problems highlighted."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setAccessibleName("Scenario file text")
        self.error_lines: list[int] = []

    def show_text(self, text: str, lines: list[int]) -> None:
        numbered = [f"{i:4d}  {line}" for i, line in enumerate(text.splitlines(), start=1)]
        self.setPlainText("\n".join(numbered))
        self.error_lines = sorted({n for n in lines if n > 0})
        selections = []
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(COLORS["danger_soft"]))
        fmt.setProperty(QTextCharFormat.Property.FullWidthSelection, True)
        for n in self.error_lines:
            block = self.document().findBlockByNumber(n - 1)
            if not block.isValid():
                continue
            sel = QTextEdit.ExtraSelection()
            sel.format = fmt
            sel.cursor = QTextCursor(block)
            selections.append(sel)
        self.setExtraSelections(selections)
        if self.error_lines:
            self.go_to(self.error_lines[0])

    def go_to(self, line: int) -> None:
        block = self.document().findBlockByNumber(max(0, line - 1))
        if block.isValid():
            self.setTextCursor(QTextCursor(block))
            self.centerCursor()


class AuthoringPage(Page):
    node_selected = Signal(str)
    graph: GraphView  # made after the zoom buttons whose slots use it

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.presenter = AuthoringPresenter(self, context)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 14, 20, 14)
        outer.setSpacing(8)
        head = QHBoxLayout()
        head.addWidget(label("Scenario authoring", "h2"))
        head.addSpacing(12)
        self.picker = QComboBox()
        self.picker.setAccessibleName("Scenario file")
        self.picker.setMinimumWidth(320)
        self.picker.activated.connect(self._on_picker_activated)
        head.addWidget(self.picker, 1)
        self.status = label("", "small")
        head.addWidget(self.status)
        for text, tip, slot in (("−", "Zoom out (Ctrl+wheel)", lambda: self.graph.zoom(1 / 1.2)),
                                ("+", "Zoom in (Ctrl+wheel)", lambda: self.graph.zoom(1.2)),
                                ("Fit", "Show the whole graph, or as much as stays readable (scroll for the rest)",
                                 lambda: self.graph.fit()),
                                ("100%", "Actual size", lambda: self.graph.actual_size())):
            b = button(text, None, tip)
            b.clicked.connect(slot)
            head.addWidget(b)
        outer.addLayout(head)

        self.rubric_banner = Banner("danger")
        self.rubric_banner.setVisible(False)
        outer.addWidget(self.rubric_banner)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.canvas = QStackedWidget()
        self.graph = GraphView()
        self.graph.node_clicked.connect(self._on_graph_node_clicked)
        self.raw = RawText()
        self.canvas.addWidget(self.graph)
        self.canvas.addWidget(self.raw)
        split.addWidget(self.canvas)

        side = QWidget()
        side_col = QVBoxLayout(side)
        side_col.setContentsMargins(0, 0, 0, 0)
        side_col.setSpacing(6)
        self.problems_title = label("", "h3")
        side_col.addWidget(self.problems_title)
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Problems")
        self.problems.setMaximumHeight(150)
        self.problems.itemClicked.connect(self._on_problems_item_clicked)
        side_col.addWidget(self.problems)
        self.tabs = QTabWidget()
        self.details = QTextBrowser()
        self.details.setAccessibleName("Node details")
        self.play = PlayPanel(context)
        self.play.node_changed.connect(self._on_play_node_changed)
        self.tabs.addTab(self.details, "Node")
        self.tabs.addTab(self.play, "Try it")
        self.coverage = CoveragePanel(context)
        self.tabs.addTab(self.coverage, "Coverage")
        side_col.addWidget(self.tabs, 1)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 400])
        outer.addWidget(split, 1)
        self.split = split

    # -- the presenter's state and entry points, as the window and tests use them ---------------
    @property
    def files(self) -> list[tuple[Path, str]]:
        return self.presenter.files

    @property
    def inspection(self) -> Inspection | None:
        return self.presenter.inspection

    @property
    def selected(self) -> str | None:
        return self.presenter.selected

    def refresh(self) -> None:
        self.presenter.refresh()

    def open_file(self, path: Path) -> None:
        self.presenter.open_file(path)

    def select_node(self, node_id: str) -> None:
        self.presenter.select_node(node_id)

    # -- the view (AuthoringView) ----------------------------------------------------------------
    def show_files(self, files: list[tuple[Path, str]]) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        for path, name in files:
            self.picker.addItem(name, str(path))
        self.picker.blockSignals(False)

    def select_file(self, index: int) -> None:
        self.picker.setCurrentIndex(index)

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def show_problems(self, problems: list[Problem]) -> None:
        self.problems.clear()
        for p in problems:
            where = f"line {p.line}" if p.line else "file"
            text = f"{where}: {'warning: ' if p.severity == 'warning' else ''}{p.message}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p.line)
            item.setForeground(QColor(COLORS["danger"] if p.severity == "error" else COLORS["warning"]))
            item.setToolTip(as_written(str(p)))
            self.problems.addItem(item)
        count = len(problems)
        self.problems_title.setText(f"{count} problem{'s' if count != 1 else ''}" if count else "No problems")
        self.problems.setVisible(bool(count))
        # As tall as its problems need, up to a few: the details below matter as much.
        rows = sum(self.problems.visualItemRect(self.problems.item(i)).height() or 40 for i in range(count))
        self.problems.setFixedHeight(min(160, max(40, rows + 8)))

    def show_unreadable(self, text: str, lines: list[int]) -> None:
        self.canvas.setCurrentWidget(self.raw)
        self.raw.show_text(text, lines)
        self.details.setHtml("<p>No graph can be drawn until the YAML and field errors are fixed: "
                             "the lines with problems are highlighted.</p>")

    def show_graph(self, scenario: Scenario, problems_by_node: dict[str, list[Problem]]) -> list[str]:
        self.canvas.setCurrentWidget(self.graph)
        self.graph.show_scenario(scenario, problems_by_node)
        return list(self.graph.nodes)

    def show_node(self, scenario: Scenario, node_id: str, problems: list[Problem]) -> None:
        self.graph.select(node_id)
        self.details.setHtml(details_html(scenario, node_id, problems))
        self.node_selected.emit(node_id)

    def show_start(self, node_id: str) -> None:
        self.graph.show_start(node_id)

    def play_scenario(self, scenario: Scenario | None) -> None:
        self.play.set_scenario(scenario)

    def show_coverage(self, scenario: Scenario | None) -> None:
        self.coverage.set_scenario(scenario)

    def problem_lines(self) -> list[int]:
        return [self.problems.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.problems.count())]

    def show_rubric_problem(self, message: str | None) -> None:
        """phrases.yaml could not be reloaded (`message`), or None when it is fine again."""
        self.rubric_banner.setVisible(message is not None)
        if message is not None:
            self.rubric_banner.set_text("The phrase lists could not be reloaded; the previous ones are still in use",
                                        message)

    # -- slots -----------------------------------------------------------------------------------
    def _on_picker_activated(self, index: int) -> None:
        self.presenter.pick(index)

    def _on_graph_node_clicked(self, node_id: str) -> None:
        self.presenter.select_node(node_id)
        self.tabs.setCurrentWidget(self.details)

    def _on_problems_item_clicked(self, item: QListWidgetItem) -> None:
        line = item.data(Qt.ItemDataRole.UserRole) or 0
        inspection = self.presenter.inspection
        if inspection is None:
            return
        if inspection.scenario is None:
            self.raw.go_to(line)
            return
        node = inspection.node_at(line)
        if node is not None:
            self.presenter.select_node(node)
            self.tabs.setCurrentWidget(self.details)

    def _on_play_node_changed(self, node_id: str) -> None:
        self.graph.set_current(node_id or None)
