"""The classroom's projector window: what the class sees, the customer's face, agitation and words in large type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from simulator.engine.model import Scenario
from simulator.engine.session import CustomerLine
from simulator.ui.classroom.presenter import ClassroomPresenter
from simulator.ui.classroom.windows import MIN_PROJECTOR_WIDTH, add_trainer_keys
from simulator.ui.common import label, restyle
from simulator.ui.theme import COLORS, OUTCOME_TEXT
from simulator.ui.widgets.fit_label import FitLabel
from simulator.ui.widgets.meter import AgitationMeter
from simulator.ui.widgets.portrait import Portrait


class ProjectorWindow(QWidget):
    """What the class sees: the customer's face, how agitated they are, and what they say, in large type.

    Type sizes follow the window's height, so the same layout reads from the back of a room on a
    projector and still fits a laptop screen. Shows only what the presenter says (the `ClassroomView` calls
    `Classroom` passes on to it); makes no decisions.
    """

    def __init__(self, presenter: ClassroomPresenter, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.presenter = presenter
        self.setWindowTitle("Classroom — projector")
        self.setObjectName("projector")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumSize(MIN_PROJECTOR_WIDTH, 360)

        outer = QVBoxLayout(self)
        self.outer = outer
        # The title, then who is answering: side by side, or the title above on a narrow window.
        top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.top = top
        self.title = label("", "projTitle", wrap=True)
        top.addWidget(self.title, 1)
        tags = QHBoxLayout()
        self.paused_tag = label("PAUSED", "projPaused")
        self.paused_tag.setVisible(False)
        tags.addWidget(self.paused_tag)
        self.answering = label("", "projAnswering")
        tags.addWidget(self.answering)
        tags.addStretch(1)
        top.addLayout(tags)
        outer.addLayout(top)

        # Side by side (the face left, the words right) on a wide window; the face above the words on a
        # narrow one (the projector beside the trainer's window on one screen).
        body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body = body
        left = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.left = left
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
        # The customer's line at the largest size that fits the box: a long line is drawn smaller, never cut off.
        self.subtitle = FitLabel(weight=600)
        self.subtitle.setObjectName("projSubtitle")
        sub.addWidget(self.subtitle, 1)
        self.direction = label("", "projDirection", wrap=True)  # a stage direction: shown, never spoken
        self.direction.setVisible(False)
        sub.addWidget(self.direction)
        right.addWidget(self.subtitle_box, 1)
        self.reply = FitLabel()  # the trainee's reply: up to three lines, smaller when longer
        self.reply.setObjectName("projReply")
        right.addWidget(self.reply)
        self.outcome = label("", "projOutcome", wrap=True)
        self.outcome.setVisible(False)
        right.addWidget(self.outcome)
        body.addLayout(right, 7)
        outer.addLayout(body, 1)

        self.shortcuts = add_trainer_keys(self, presenter)
        self._apply_sizes()

    # -- sizes -----------------------------------------------------------------------------------
    @property
    def stacked(self) -> bool:
        """The face above the words: the window is too narrow for them side by side."""
        return self.width() < self.height() * 1.25

    def _apply_sizes(self) -> None:
        """Type and spacing as shares of the window's size (about 65 px subtitles at most on a 1080p projector;
        the customer's line is drawn smaller when it would not fit its box)."""
        stacked = self.stacked
        h = max(400, round(min(self.height() * 0.8, self.width())) if stacked
                else min(self.height(), round(self.width() * 0.62)))
        c = COLORS
        px = {name: max(12, round(h * share)) for name, share in (
            ("title", 0.038), ("tag", 0.040), ("name", 0.052), ("meter", 0.036), ("speaker", 0.034),
            ("subtitle", 0.060), ("reply", 0.038), ("outcome", 0.056))}
        pad = round(h * 0.03)
        self.outer.setContentsMargins(pad * 2, pad, pad * 2, pad)
        self.outer.setSpacing(pad)
        self.body.setSpacing(pad * 2 if not stacked else pad)
        self.right.setSpacing(pad)
        self.sub_layout.setContentsMargins(pad, pad, pad, pad)
        self.sub_layout.setSpacing(round(pad / 2))
        self.top.setDirection(QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.LeftToRight)
        self.top.setStretch(0, 0 if stacked else 1)
        if stacked:
            # The face and the name in a row above the words, leaving the words most of the height.
            self.body.setDirection(QBoxLayout.Direction.TopToBottom)
            self.left.setDirection(QBoxLayout.Direction.LeftToRight)
            self.body.setStretch(0, 0)
            self.body.setStretch(1, 1)
            side = max(96, round(min(self.height() * 0.2, (self.width() - 4 * pad) * 0.4)))
            self.customer.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        else:
            # The portrait as large as the left column allows, with the name right beneath it.
            self.body.setDirection(QBoxLayout.Direction.LeftToRight)
            self.left.setDirection(QBoxLayout.Direction.TopToBottom)
            self.body.setStretch(0, 5)
            self.body.setStretch(1, 7)
            left_width = (self.width() - 6 * pad) * 5 / 12
            free_height = self.height() - 5 * pad - round(px["tag"] * 1.7) - round(px["name"] * 1.5)
            side = max(160, round(min(left_width, free_height)))
            self.customer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.portrait.setFixedSize(side, side)
        self.subtitle.set_sizes(px["subtitle"], min_px=14)
        self.reply.set_sizes(px["reply"], min_px=12)
        self.reply.setFixedHeight(round(px["reply"] * 1.3 * 3) + 4)  # three lines of the largest reply type
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
            QLabel#projSubtitle {{ color: #000000; }}
            QLabel#projDirection {{ font-size: {px['speaker']}px; font-style: italic; color: #2A3642; }}
            QLabel#projReply {{ color: #10324A; }}
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

    # -- what the presenter shows (its ClassroomView calls, passed on by Classroom) --------------
    def show_customer_line(self, line: CustomerLine, animate: bool) -> None:
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

    def show_new_session(self, scenario: Scenario) -> None:
        """A new session: nothing of the last one stays up (its last reply, its ending, a stage direction)."""
        self.reply.setText("")
        self.subtitle.setText("")
        self.direction.setVisible(False)
        self.outcome.setVisible(False)
        self.paused_tag.setVisible(False)
        self.answering.setVisible(bool(self.presenter.trainee))  # hidden at the last session's ending

    def show_reply(self, trainee: str, text: str) -> None:
        self.reply.setText(f"{trainee or 'Trainee'}: “{text}”")

    def show_trainee(self, name: str) -> None:
        self.answering.setText(f"Answering: {name}" if name else "")
        self.answering.setVisible(bool(name) and self.presenter.phase != "ended")

    def set_paused(self, paused: bool) -> None:
        self.paused_tag.setVisible(paused)

    def show_ending(self, outcome: str) -> None:
        text, kind = OUTCOME_TEXT.get(outcome, ("Session ended", "warning"))
        self.outcome.setText(text if outcome else "The trainer ended the session")
        self.outcome.setProperty("kind", kind)
        restyle(self.outcome)
        self.outcome.setVisible(True)
        self.answering.setVisible(False)
        self.paused_tag.setVisible(False)
