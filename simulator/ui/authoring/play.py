"""The authoring screen's play-through panel: try a scenario by typing, each reply's judgement and the agitation shown.

What it does is the PlayPresenter's (presenter.py); the panel shows what it is told.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from simulator.engine.model import Scenario
from simulator.engine.session import Runner
from simulator.ui.authoring.presenter import PlayPresenter
from simulator.ui.common import button, label
from simulator.ui.context import AppContext
from simulator.ui.theme import agitation_color

log = logging.getLogger(__name__)


class PlayPanel(QWidget):
    """Try a scenario by typing: the customer's line, each reply's judgement, the agitation.

    Signals:
        node_changed(str): the conversation moved to this node or ending (its id).
    """

    node_changed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.presenter = PlayPresenter(self, context)
        col = QVBoxLayout(self)
        col.setContentsMargins(8, 8, 8, 8)
        col.setSpacing(6)
        row = QHBoxLayout()
        row.addWidget(label("Seed", "small"))
        self.seed = QSpinBox()
        self.seed.setRange(0, 999_999)
        self.seed.setValue(1)
        self.seed.setToolTip("The same seed makes the customer pick the same line variants")
        self.seed.setAccessibleName("Seed")
        row.addWidget(self.seed)
        self.restart_button = button("Restart", None, "Start the conversation again from the first node")
        self.restart_button.clicked.connect(self._on_restart_clicked)
        row.addWidget(self.restart_button)
        row.addStretch(1)
        col.addLayout(row)
        meter = QHBoxLayout()
        self.agitation_label = label("Agitation –", "small")
        meter.addWidget(self.agitation_label)
        self.agitation_bar = QProgressBar()
        self.agitation_bar.setRange(0, 100)
        self.agitation_bar.setTextVisible(False)
        meter.addWidget(self.agitation_bar, 1)
        col.addLayout(meter)
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName("Play-through transcript")
        col.addWidget(self.transcript, 1)
        reply_row = QHBoxLayout()
        self.reply = QLineEdit()
        self.reply.setPlaceholderText("Type your reply and press Enter")
        self.reply.setAccessibleName("Your reply")
        self.reply.returnPressed.connect(self._on_reply_return_pressed)
        reply_row.addWidget(self.reply, 1)
        self.send_button = button("Send", "primary")
        self.send_button.clicked.connect(self._on_reply_return_pressed)
        reply_row.addWidget(self.send_button)
        col.addLayout(reply_row)
        self.set_controls(False, False)

    # -- the presenter's state and entry points, as the page and tests use them -------------------
    @property
    def runner(self) -> Runner | None:
        return self.presenter.runner

    def set_scenario(self, scenario: Scenario | None) -> None:
        self.presenter.set_scenario(scenario)

    def restart(self) -> None:
        self.presenter.restart()

    def send(self, text: str) -> None:
        self.presenter.send(text)

    # -- the view (PlayView) ---------------------------------------------------------------------
    def chosen_seed(self) -> int:
        return self.seed.value()

    def show_unplayable(self) -> None:
        self.transcript.setHtml("<p>This file has errors, so it cannot be played yet. Fix the problems "
                                "listed and it reloads by itself.</p>")
        self.agitation_label.setText("Agitation –")
        self.agitation_bar.setValue(0)

    def clear_transcript(self) -> None:
        self.transcript.clear()

    def append(self, markup: str) -> None:
        self.transcript.append(markup)
        bar = self.transcript.verticalScrollBar()
        bar.setValue(bar.maximum())

    def show_agitation(self, value: int) -> None:
        self.agitation_label.setText(f"Agitation {value}")
        self.agitation_bar.setValue(value)
        self.agitation_bar.setStyleSheet(f"QProgressBar::chunk {{ background: {agitation_color(value).name()}; }}")

    def set_controls(self, can_reply: bool, can_restart: bool) -> None:
        self.reply.setEnabled(can_reply)
        self.send_button.setEnabled(can_reply)
        self.restart_button.setEnabled(can_restart)

    def reply_taken(self) -> None:
        self.reply.clear()
        self.reply.setFocus()

    def show_current_node(self, node_id: str) -> None:
        self.node_changed.emit(node_id)

    def _on_reply_return_pressed(self) -> None:
        self.presenter.send(self.reply.text())

    def _on_restart_clicked(self) -> None:
        self.presenter.restart()
