"""The classroom's projector window: what the class sees, the customer's face, agitation and words in large type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from simulator.engine.session import CustomerLine
from simulator.ui.classroom.presenter import ClassroomPresenter
from simulator.ui.classroom.windows import add_trainer_keys
from simulator.ui.common import label, restyle
from simulator.ui.theme import COLORS, OUTCOME_TEXT
from simulator.ui.widgets.meter import AgitationMeter
from simulator.ui.widgets.portrait import Portrait


class ProjectorWindow(QWidget):
    """What the class sees: the customer's face, how agitated they are, and what they say, in large type.

    Type sizes follow the window's height, so the same layout reads from the back of a room on a
    projector and still fits a laptop screen. Shows only what the presenter says; makes no decisions.
    """

    def __init__(self, presenter: ClassroomPresenter, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.presenter = presenter
        self.setWindowTitle("Classroom — projector")
        self.setObjectName("projector")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumSize(640, 400)

        outer = QVBoxLayout(self)
        self.outer = outer
        top = QHBoxLayout()
        self.title = label("", "projTitle")
        top.addWidget(self.title, 1)
        self.paused_tag = label("PAUSED", "projPaused")
        self.paused_tag.setVisible(False)
        top.addWidget(self.paused_tag)
        self.answering = label("", "projAnswering")
        top.addWidget(self.answering)
        outer.addLayout(top)

        body = QHBoxLayout()
        self.body = body
        left = QVBoxLayout()
        self.portrait = Portrait()
        left.addWidget(self.portrait, 0, Qt.AlignmentFlag.AlignHCenter)
        self.customer = label("", "projName")
        self.customer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left.addWidget(self.customer)
        left.addStretch(1)
        body.addLayout(left, 5)

        right = QVBoxLayout()
        self.right = right
        self.meter = AgitationMeter()
        self.meter.setObjectName("projMeter")
        right.addWidget(self.meter)
        self.subtitle_box = QFrame()
        self.subtitle_box.setObjectName("projSubtitleBox")
        sub = QVBoxLayout(self.subtitle_box)
        self.sub_layout = sub
        self.speaker = label("", "projSpeaker")
        sub.addWidget(self.speaker)
        self.subtitle = label("", "projSubtitle", wrap=True)
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.subtitle.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        sub.addWidget(self.subtitle, 1)
        self.direction = label("", "projDirection", wrap=True)  # a stage direction: shown, never spoken
        self.direction.setVisible(False)
        sub.addWidget(self.direction)
        right.addWidget(self.subtitle_box, 1)
        self.reply = label("", "projReply", wrap=True)
        self.reply.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        right.addWidget(self.reply)
        self.outcome = label("", "projOutcome", wrap=True)
        self.outcome.setVisible(False)
        right.addWidget(self.outcome)
        body.addLayout(right, 7)
        outer.addLayout(body, 1)

        presenter.line_shown.connect(self._on_presenter_line_shown)
        presenter.reply_shown.connect(self._on_presenter_reply_shown)
        presenter.trainee_changed.connect(self._on_presenter_trainee_changed)
        presenter.paused_changed.connect(self._on_presenter_paused_changed)
        presenter.ended.connect(self._on_presenter_ended)
        self.shortcuts = add_trainer_keys(self, presenter)
        self._apply_sizes()

    # -- sizes -----------------------------------------------------------------------------------
    def _apply_sizes(self) -> None:
        """Type and spacing as shares of the window's height (about 50 px subtitles on a 1080p projector)."""
        h = max(400, min(self.height(), round(self.width() * 0.62)))
        c = COLORS
        px = {name: max(12, round(h * share)) for name, share in (
            ("title", 0.038), ("tag", 0.040), ("name", 0.052), ("meter", 0.036), ("speaker", 0.034),
            ("subtitle", 0.060), ("reply", 0.038), ("outcome", 0.056))}
        pad = round(h * 0.03)
        self.outer.setContentsMargins(pad * 2, pad, pad * 2, pad)
        self.outer.setSpacing(pad)
        self.body.setSpacing(pad * 2)
        self.right.setSpacing(pad)
        self.sub_layout.setContentsMargins(pad, pad, pad, pad)
        self.sub_layout.setSpacing(round(pad / 2))
        # The portrait as large as the left column allows, with the name right beneath it.
        left_width = (self.width() - 6 * pad) * 5 / 12
        free_height = self.height() - 5 * pad - round(px["tag"] * 1.7) - round(px["name"] * 1.5)
        side = max(160, round(min(left_width, free_height)))
        self.portrait.setFixedSize(side, side)
        self.setStyleSheet(f"""
            QWidget#projector {{ background: #FFFFFF; }}
            QWidget {{ color: #0B1117; }}
            QLabel#projTitle {{ font-size: {px['title']}px; font-weight: 600; color: #2A3642; }}
            QLabel#projAnswering {{ font-size: {px['tag']}px; font-weight: 700; color: white;
                                    background: {c['accent_hover']}; border-radius: {px['tag'] // 3}px;
                                    padding: {px['tag'] // 5}px {px['tag'] // 2}px; }}
            QLabel#projPaused {{ font-size: {px['tag']}px; font-weight: 800; color: white; background: #9A5B06;
                                 border-radius: {px['tag'] // 3}px; padding: {px['tag'] // 5}px {px['tag'] // 2}px; }}
            QLabel#projName {{ font-size: {px['name']}px; font-weight: 700; }}
            QWidget#projMeter {{ font-size: {px['meter'] * 0.75:.1f}pt; }}
            QFrame#projSubtitleBox {{ background: #F4F6F8; border: 3px solid #1B2733;
                                      border-radius: {pad}px; }}
            QLabel#projSpeaker {{ font-size: {px['speaker']}px; font-weight: 700; color: #2A3642; }}
            QLabel#projSubtitle {{ font-size: {px['subtitle']}px; font-weight: 600; color: #000000; }}
            QLabel#projDirection {{ font-size: {px['speaker']}px; font-style: italic; color: #2A3642; }}
            QLabel#projReply {{ font-size: {px['reply']}px; color: #10324A; }}
            QLabel#projOutcome {{ font-size: {px['outcome']}px; font-weight: 800; border-radius: {pad}px;
                                  padding: {pad // 2}px {pad}px; }}
            QLabel#projOutcome[kind="success"] {{ background: {c['success']}; color: white; }}
            QLabel#projOutcome[kind="warning"] {{ background: {c['warning']}; color: white; }}
            QLabel#projOutcome[kind="danger"] {{ background: {c['danger']}; color: white; }}
        """)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._apply_sizes()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()  # a way out of full screen on the projector itself
            return
        super().keyPressEvent(event)

    # -- slots -----------------------------------------------------------------------------------
    def _on_presenter_line_shown(self, line: CustomerLine, animate: bool) -> None:
        scenario = self.presenter.scenario
        if scenario is None:
            return
        customer = scenario.customer
        if self.customer.text() != customer.name:
            self.portrait.set_customer(customer.portrait, customer.name, line.mood)
        self.title.setText(scenario.title)
        self.customer.setText(customer.name)
        self.portrait.set_mood(line.mood, animate=animate and self.isVisible())
        self.meter.set_value(line.agitation, animate=animate and self.isVisible())
        self.speaker.setText(f"{customer.first_name} says")
        self.subtitle.setText(f"“{line.text}”")
        self.direction.setText(line.direction or "")
        self.direction.setVisible(bool(line.direction))
        if not line.is_ending:
            self.outcome.setVisible(False)

    def _on_presenter_reply_shown(self, trainee: str, text: str) -> None:
        self.reply.setText(f"{trainee or 'Trainee'}: “{text}”")

    def _on_presenter_trainee_changed(self, name: str) -> None:
        self.answering.setText(f"Answering: {name}" if name else "")
        self.answering.setVisible(bool(name) and self.presenter.phase != "ended")

    def _on_presenter_paused_changed(self, paused: bool) -> None:
        self.paused_tag.setVisible(paused)

    def _on_presenter_ended(self, outcome: str) -> None:
        text, kind = OUTCOME_TEXT.get(outcome, ("Session ended", "warning"))
        self.outcome.setText(text if outcome else "The trainer ended the session")
        self.outcome.setProperty("kind", kind)
        restyle(self.outcome)
        self.outcome.setVisible(True)
        self.answering.setVisible(False)
        self.paused_tag.setVisible(False)
