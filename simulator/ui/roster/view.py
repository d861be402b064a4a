"""The Classes screen: create a class, put trainees' names on its roster, open a trainee's history,
export the whole class as PDF or CSV, and start a classroom session with it.

Signals (RosterPage):
    history_requested(str): show this trainee's history (name).
    classroom_requested(str): start classroom mode with this class (name).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from simulator.ui import dialogs
from simulator.ui.common import Page, button, label, notice_banner, panel
from simulator.ui.context import AppContext
from simulator.ui.dialogs import ask_text  # by its name here, so a test can answer it
from simulator.ui.report_export import ReportExporter, export_buttons, show_export_result
from simulator.ui.roster.presenter import RosterPresenter

log = logging.getLogger(__name__)


def _add_button(row: QHBoxLayout, text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
    made = button(text, None, tip)
    made.clicked.connect(slot)
    row.addWidget(made)
    return made


class RosterPage(Page):
    """Classes on the left, the chosen class's roster on the right."""

    history_requested = Signal(str)
    classroom_requested = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.exporter = ReportExporter(context, self)
        self.presenter = RosterPresenter(self, context)

        col = QVBoxLayout(self)
        col.setContentsMargins(36, 28, 36, 24)
        col.setSpacing(14)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(label("Classes", "h1"))
        titles.addWidget(label("Put each class's trainees on a roster; in classroom mode they take turns, "
                               "and every turn is credited to whoever answered.", "muted", wrap=True))
        head.addLayout(titles, 1)
        self.classroom_button = button("Start classroom mode", "primary",
                                       "Projector view for the class and a separate window for you (Ctrl+7)")
        self.classroom_button.clicked.connect(self._on_classroom_button_clicked)
        head.addWidget(self.classroom_button, 0, Qt.AlignmentFlag.AlignTop)
        col.addLayout(head)

        self.notice = notice_banner()
        col.addWidget(self.notice)
        show_export_result(self.notice, self.exporter, self)

        # No class yet: what classes are for, and the first one added right here.
        self.empty_state, ec = panel(spacing=10)
        ec.setContentsMargins(28, 24, 28, 24)
        ec.addWidget(label("No classes yet", "h2"))
        ec.addWidget(label(
            "A class is a group of trainees who practise together. Put their names on its roster, then:\n"
            "•  run classroom mode: the customer on the projector, your controls on your screen, and the "
            "trainees taking turns to answer, each turn credited to whoever answered;\n"
            "•  follow each trainee's history and score trend, and export the whole class as a PDF or CSV report.\n"
            "Trainees practising alone need no class: their sessions are kept under their own name.",
            None, wrap=True))
        first = QHBoxLayout()
        self.first_class_name = QLineEdit()
        self.first_class_name.setPlaceholderText("Name the class, e.g. Tuesday evening")
        self.first_class_name.setAccessibleName("First class name")
        self.first_class_name.returnPressed.connect(self._on_first_class_clicked)
        first.addWidget(self.first_class_name, 1)
        self.first_class_button = button("Add your first class", "primary")
        self.first_class_button.clicked.connect(self._on_first_class_clicked)
        first.addWidget(self.first_class_button)
        ec.addLayout(first)
        self.empty_state.setVisible(False)
        col.addWidget(self.empty_state)

        self.classes_area = QWidget()
        row = QHBoxLayout(self.classes_area)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        left, lc = panel(spacing=8)
        lc.addWidget(label("Classes", "h3"))
        self.class_list = QListWidget()
        self.class_list.setAccessibleName("Classes")
        self.class_list.currentTextChanged.connect(self._on_class_list_current_text_changed)
        lc.addWidget(self.class_list, 1)
        add_class = QHBoxLayout()
        self.class_name = QLineEdit()
        self.class_name.setPlaceholderText("New class, e.g. Tuesday evening")
        self.class_name.setAccessibleName("New class name")
        self.class_name.returnPressed.connect(self._on_add_class_clicked)
        add_class.addWidget(self.class_name, 1)
        self.add_class_button = button("Add class")
        self.add_class_button.clicked.connect(self._on_add_class_clicked)
        add_class.addWidget(self.add_class_button)
        lc.addLayout(add_class)
        manage = QHBoxLayout()
        self.rename_class_button = _add_button(manage, "Rename…", "Rename the chosen class",
                                               self._on_rename_class_button_clicked)
        self.delete_class_button = _add_button(manage, "Delete class…",
                                               "Delete the chosen class; its trainees and their records stay",
                                               self._on_delete_class_button_clicked)
        manage.addStretch(1)
        lc.addLayout(manage)
        row.addWidget(left, 2)

        right, rc = panel(spacing=8)
        rhead = QHBoxLayout()
        self.roster_title = label("Roster", "h3")
        rhead.addWidget(self.roster_title, 1)
        self.export_pdf, self.export_csv = export_buttons(self.exporter, self, "class", self.current_class,
                                                          "the whole class")
        rhead.addWidget(self.export_pdf)
        rhead.addWidget(self.export_csv)
        rc.addLayout(rhead)
        self.roster = QListWidget()
        self.roster.setAccessibleName("Trainees in this class")
        # A long line (name, sessions, last, average) wraps instead of hiding its end off the side.
        self.roster.setWordWrap(True)
        self.roster.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.roster.itemDoubleClicked.connect(
            lambda item: self.history_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.roster.itemActivated.connect(
            lambda item: self.history_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        rc.addWidget(self.roster, 1)
        self.empty_roster = label("No one on this roster yet: type a trainee's name below and press Add to class.",
                                  "muted", wrap=True)
        self.empty_roster.setVisible(False)
        rc.addWidget(self.empty_roster)
        add_name = QHBoxLayout()
        self.trainee_name = QLineEdit()
        self.trainee_name.setPlaceholderText("Trainee's name")
        self.trainee_name.setAccessibleName("New trainee's name")
        self.trainee_name.returnPressed.connect(self._on_add_trainee_clicked)
        add_name.addWidget(self.trainee_name, 1)
        self.add_trainee_button = button("Add to class")
        self.add_trainee_button.clicked.connect(self._on_add_trainee_clicked)
        add_name.addWidget(self.add_trainee_button)
        rc.addLayout(add_name)
        # The selected trainee's actions on a row of their own: beside the name field at 1280x720
        # they squeezed it to a few letters.
        chosen = QHBoxLayout()
        self.history_button = button("History…", None, "Open the selected trainee's history")
        self.history_button.clicked.connect(self._on_history_button_clicked)
        chosen.addWidget(self.history_button)
        self.remove_trainee_button = _add_button(chosen, "Remove from class…",
                                                 "Take the selected trainee off this roster; their records stay",
                                                 self._on_remove_trainee_button_clicked)
        chosen.addStretch(1)
        rc.addLayout(chosen)
        row.addWidget(right, 3)
        col.addWidget(self.classes_area, 1)
        col.addStretch(0)  # holds the empty state at the top when there is no class

    # -- the view (RosterView) -------------------------------------------------------------------
    def current_class(self) -> str:
        item = self.class_list.currentItem()
        return item.text() if item is not None else ""

    def refresh(self, select: str | None = None) -> None:
        self.presenter.refresh(select)

    def show_classes(self, names: list[str], wanted: str) -> None:
        self.class_list.blockSignals(True)
        self.class_list.clear()
        self.class_list.addItems(names)
        matches = self.class_list.findItems(wanted, Qt.MatchFlag.MatchExactly) if wanted else []
        if matches:
            self.class_list.setCurrentItem(matches[0])
        elif names:
            self.class_list.setCurrentRow(0)
        self.class_list.blockSignals(False)
        self.empty_state.setVisible(not names)
        self.classes_area.setVisible(bool(names))

    def show_roster(self, class_name: str, lines: list[tuple[str, str]]) -> None:
        self.roster.clear()
        for trainee, text in lines:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, trainee)
            self.roster.addItem(item)
        self.roster_title.setText(f"Roster: {class_name}" if class_name else "Roster")
        self.empty_roster.setVisible(bool(class_name) and not lines)
        for widget in (self.trainee_name, self.add_trainee_button, self.export_pdf, self.export_csv):
            widget.setEnabled(bool(class_name))
        self.history_button.setEnabled(bool(lines))
        self.remove_trainee_button.setEnabled(bool(lines))
        self.rename_class_button.setEnabled(bool(class_name))
        self.delete_class_button.setEnabled(bool(class_name))

    def trainee_names(self) -> list[str]:
        return [self.roster.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.roster.count())]

    def clear_class_name(self) -> None:
        self.class_name.clear()

    def clear_trainee_name(self) -> None:
        self.trainee_name.clear()

    def ask(self, title: str, text: str, choices: list[tuple[str, str]]) -> str | None:
        return dialogs.ask(self, title, text, choices)

    def show_problem(self, text: str) -> None:
        self.notice.set_kind("danger")
        self.notice.set_text("", text)
        self.notice.setVisible(True)
        dialogs.tell(self, "Classes", text, warning=True)

    # -- slots -----------------------------------------------------------------------------------
    def _on_class_list_current_text_changed(self, text: str) -> None:
        self.presenter.show_roster()

    def _on_add_class_clicked(self) -> None:
        self.presenter.add_class(self.class_name.text())

    def _on_first_class_clicked(self) -> None:
        self.presenter.add_class(self.first_class_name.text())
        if self.current_class():
            self.first_class_name.clear()
            self.trainee_name.setFocus()  # next: the roster's first name

    def _on_add_trainee_clicked(self) -> None:
        self.presenter.add_trainee(self.trainee_name.text())

    def _on_history_button_clicked(self) -> None:
        item = self.roster.currentItem() or self.roster.item(0)
        if item is not None:
            self.history_requested.emit(item.data(Qt.ItemDataRole.UserRole))

    def _on_classroom_button_clicked(self) -> None:
        self.classroom_requested.emit(self.current_class())

    def _on_rename_class_button_clicked(self) -> None:
        old = self.current_class()
        if old:
            new = ask_text(self, "Rename class", f"A new name for “{old}”:")
            if new:
                self.presenter.rename_class(new)

    def _on_delete_class_button_clicked(self) -> None:
        self.presenter.delete_class()

    def _on_remove_trainee_button_clicked(self) -> None:
        item = self.roster.currentItem()
        if item is not None:
            self.presenter.remove_trainee(item.data(Qt.ItemDataRole.UserRole))
