"""The authoring screen's play-through: try a scenario by typing, each reply's judgement and the agitation shown."""

from __future__ import annotations

import html
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

from simulator.conversation import Conversation
from simulator.engine.judgement import Judgement, Reply
from simulator.engine.model import Scenario
from simulator.engine.session import Runner, TurnRecord
from simulator.engine.vocabulary import TECHNIQUES, TRIGGERS
from simulator.ui.authoring.graph import OUTCOME_COLORS
from simulator.ui.common import button, label
from simulator.ui.context import AppContext
from simulator.ui.theme import COLORS, agitation_color

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
        self.scenario: Scenario | None = None
        self.conversation: Conversation | None = None  # not saved: a trial run
        self.busy = False
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
        self.restart_button.clicked.connect(self.restart)
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
        self._set_enabled(False)

    def set_scenario(self, scenario: Scenario | None) -> None:
        """Start over with a (possibly reloaded) scenario, or show that this file cannot be played."""
        self.scenario = scenario
        if scenario is None:
            self.conversation = None
            self.transcript.setHtml("<p>This file has errors, so it cannot be played yet. Fix the problems "
                                    "listed and it reloads by itself.</p>")
            self.agitation_label.setText("Agitation –")
            self.agitation_bar.setValue(0)
            self._set_enabled(False)
            self.node_changed.emit("")
            return
        self.restart()

    def restart(self) -> None:
        if self.scenario is None:
            return
        if self.conversation is not None:
            self.conversation.discard()  # a reply still being judged is dropped
        # The judge is fetched for every reply, so phrases.yaml edits apply to the next one.
        self.conversation = Conversation(self.scenario, self.ctx.make_judge, seed=self.seed.value())
        self.transcript.clear()
        self._say()
        self._set_enabled(True)

    @property
    def runner(self) -> Runner | None:
        return self.conversation.runner if self.conversation else None

    def send(self, text: str) -> None:
        conversation = self.conversation
        text = text.strip()
        if conversation is None or conversation.ended or self.busy or not text:
            return
        self.busy = True
        self._set_enabled(False)
        self._append(f"<p style='margin:6px 0 0 0'><b>You:</b> {html.escape(text)}</p>")
        reply = Reply(text)
        # Restarted while the judge was thinking: the judgement is dropped (Conversation.judge).
        conversation.judge(reply, self.ctx.tasks, on_done=lambda _, j: self._on_judged(conversation, reply, j),
                           on_error=self._on_judge_failed, on_dropped=self._on_judgement_dropped)

    def _on_judgement_dropped(self) -> None:
        self.busy = False

    def _on_judged(self, conversation: Conversation, reply: Reply, judgement: Judgement) -> None:
        self.busy = False
        turn = conversation.apply(reply, judgement)
        self._show_turn(turn)
        self._say()
        self._set_enabled(not conversation.ended)
        self.reply.clear()
        self.reply.setFocus()

    def _on_judge_failed(self, exc: BaseException) -> None:
        self.busy = False
        log.error("judging a typed reply failed", exc_info=exc)
        self._append(f"<p style='color:{COLORS['danger']}'>The reply could not be judged: {html.escape(str(exc))}</p>")
        self._set_enabled(self.runner is not None and not self.runner.ended)

    def _show_turn(self, turn: TurnRecord) -> None:
        j = turn.judgement
        muted = COLORS["muted"]
        techniques = ", ".join(TECHNIQUES.get(f.name, f.name) + f" (“{html.escape(f.evidence)}”)" for f in j.techniques)
        triggers = ", ".join(TRIGGERS.get(f.name, f.name) + f" (“{html.escape(f.evidence)}”)" for f in j.triggers)
        sign = "+" if turn.applied_delta >= 0 else ""
        self._append(
            f"<p style='color:{muted};margin:0 0 0 12px'>intent <b>{j.intent}</b> ({j.confidence:.2f})"
            f"<br>techniques: {techniques or 'none'}"
            f"<br>triggers: {triggers or 'none'}"
            f"<br>agitation {turn.agitation_before:.0f} → {turn.agitation_after:.0f} ({sign}{turn.applied_delta:.1f})"
            f" · branch {turn.branch_index + 1} → <b>{html.escape(turn.target)}</b></p>")

    def _say(self) -> None:
        runner = self.runner
        if runner is None:
            return
        line = runner.current_line
        name = html.escape(runner.scenario.customer.first_name)
        self._append(f"<p style='margin:6px 0 0 0'><b>{name}</b> <span style='color:{COLORS['muted']}'>"
                     f"({line.mood})</span>: {html.escape(line.text)}</p>")
        if runner.ended:
            ending = runner.scenario.endings[runner.state.ending_id or ""]
            summary = f" {html.escape(ending.summary)}" if ending.summary else ""
            color = OUTCOME_COLORS[ending.outcome][0]
            self._append(f"<p style='color:{color}'><b>Outcome: {ending.outcome}</b>.{summary}</p>")
        value = round(runner.state.agitation)
        self.agitation_label.setText(f"Agitation {value}")
        self.agitation_bar.setValue(value)
        self.agitation_bar.setStyleSheet(f"QProgressBar::chunk {{ background: {agitation_color(value).name()}; }}")
        self.node_changed.emit(line.node_id)

    def _append(self, markup: str) -> None:
        self.transcript.append(markup)
        bar = self.transcript.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _set_enabled(self, on: bool) -> None:
        self.reply.setEnabled(on)
        self.send_button.setEnabled(on)
        self.restart_button.setEnabled(self.scenario is not None)

    def _on_reply_return_pressed(self) -> None:
        self.send(self.reply.text())
