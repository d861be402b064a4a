"""The first-run page: what the simulator is, in three sentences, the trainee's name, then the microphone check.

Signals (WelcomePage):
    check_microphone(): go on to the microphone check.
    skip(): go straight to the scenarios (typed replies until the microphone is checked).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from simulator.ui.common import Page, button, label
from simulator.ui.context import AppContext

INTRO = [
    "You'll talk with an upset customer, played by the computer, who speaks to you and listens to your reply.",
    "What you say and how you say it calms them down or winds them up, just as it would at work.",
    "Afterwards, a debrief shows what worked, what didn't, and what you could say next time.",
]


class WelcomePage(Page):
    check_microphone = Signal()
    skip = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 30, 40, 30)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        panel = QFrame()
        panel.setObjectName("panel")
        panel.setMaximumWidth(860)
        self.panel = panel
        col = QVBoxLayout(panel)
        col.setContentsMargins(40, 34, 40, 34)
        col.setSpacing(14)
        col.addWidget(label("Welcome", "small"))
        col.addWidget(label("Practise difficult conversations, safely", "h1", wrap=True))
        for number, sentence in enumerate(INTRO, start=1):
            line = QHBoxLayout()
            line.setSpacing(14)
            badge = label(str(number), "chip")
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            badge.setFixedWidth(badge.fontMetrics().height() + 16)
            line.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
            line.addWidget(label(sentence, None, wrap=True), 1)
            col.addLayout(line)
        col.addSpacing(8)
        col.addWidget(label("What should we call you?", "h3"))
        self.name = QLineEdit()
        self.name.setPlaceholderText("Your name (optional)")
        self.name.setAccessibleName("Your name")
        self.name.setText(context.settings.trainee_name)
        self.name.returnPressed.connect(self._on_check_clicked)
        col.addWidget(self.name)
        col.addWidget(label("Next, a one-minute microphone check: you read one sentence in your normal voice. "
                            "No microphone? You can type your replies instead.", "muted", wrap=True))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.skip_button = button("Skip, I'll type my replies")
        self.skip_button.clicked.connect(self._on_skip_clicked)
        buttons.addWidget(self.skip_button)
        self.check_button = button("Check my microphone", "primary")
        self.check_button.clicked.connect(self._on_check_clicked)
        buttons.addWidget(self.check_button)
        col.addLayout(buttons)
        row.addWidget(panel, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        # The card widens with the text size, so large text wraps into lines instead of overflowing.
        self.panel.setMaximumWidth(round(860 * self.ctx.settings.text_scale))

    def _finish(self) -> None:
        self.ctx.settings.trainee_name = self.name.text().strip()
        self.ctx.settings.first_run_done = True
        try:
            self.ctx.save_settings()
        except OSError:
            pass  # asked again next time; the trainee can still carry on now

    def _on_check_clicked(self) -> None:
        self._finish()
        self.check_microphone.emit()

    def _on_skip_clicked(self) -> None:
        self._finish()
        self.skip.emit()
