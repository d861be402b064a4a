"""The conversation screen: briefing, the customer's portrait, mood and lines, and the trainee's spoken or typed reply.

The page is the presenter's view (see presenter.py): it shows what it is told and
forwards what the trainee does; it makes no decisions about the conversation itself.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from simulator.engine.judgement import HeardWord
from simulator.engine.model import Scenario
from simulator.engine.session import CustomerLine, TurnRecord
from simulator.engine.vocabulary import SKILLS, setting_name
from simulator.ui import dialogs
from simulator.ui.common import (
    Banner,
    ElidedLabel,
    Page,
    button,
    chip,
    clear_layout,
    label,
    panel,
    restyle,
)
from simulator.ui.context import AppContext
from simulator.ui.conversation.presenter import ConversationPresenter
from simulator.ui.formatting import estimated_minutes
from simulator.ui.heard import UNSURE_NOTE, marked, unsure_list
from simulator.ui.listening import ListeningService
from simulator.ui.theme import OUTCOME_TEXT
from simulator.ui.widgets.meter import AgitationMeter, LevelMeter
from simulator.ui.widgets.portrait import Portrait

log = logging.getLogger(__name__)

PHASE_TEXT = {
    "speaking": "{name} is speaking…",
    "your_turn_talk": "Your turn. Hold the Space bar (or the button) while you speak, or just start typing.",
    "your_turn_hands_free": "Your turn. Just speak, or type below.",
    "your_turn_type": "Your turn. Type what you would say and press Enter.",
    "listening": "Listening… let go of Space when you've finished.",
    "listening_hands_free": "Listening…",
    "thinking": "{name} is taking that in…",
    "ended": "The conversation is over.",
}

# Auto-repeat sends a release and a press together (about every 30-40 ms); a release with no press
# after it for this long is the trainee letting go. It adds this much to the recording's end.
SPACE_RELEASE_GRACE_MS = 120

SUBTITLES_OFF = "(spoken aloud; subtitles are off)"


class Bubble(QFrame):
    """One line of the transcript: who said it and what."""

    def __init__(self, speaker: str, text: str, customer: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.text_value = text
        self.customer = customer
        self.setObjectName("bubbleCustomer" if customer else "bubbleTrainee")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(3)
        layout.addWidget(label(speaker, "speaker"))
        self.text = label(text, "subtitle" if customer else None, wrap=True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # as typed: "<b>" is not bold, "<3" not a tag
        layout.addWidget(self.text)
        self.direction: QLabel | None = None
        self.unsure: list[str] = []
        self.unsure_note: QLabel | None = None

    def mark_unsure(self, words: Sequence[HeardWord]) -> None:
        """Underline the words the recogniser was unsure of, and say what the marks mean (ui/heard.py)."""
        rich, count = marked(self.text_value, words)
        if not count:
            return
        self.unsure = unsure_list(self.text_value, words)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setText(rich)
        self.text.setAccessibleDescription("The recogniser was unsure of: " + ", ".join(self.unsure))
        self.unsure_note = label(UNSURE_NOTE, "small", wrap=True)
        self._layout.addWidget(self.unsure_note)

    def add_direction(self, text: str) -> None:
        """A stage direction under the line: shown even with subtitles off, as it is never spoken."""
        self.direction = label(text, "direction", wrap=True)
        self._layout.addWidget(self.direction)

    def set_subtitles(self, shown: bool) -> None:
        if self.customer:
            self.text.setText(self.text_value if shown else SUBTITLES_OFF)
            self.text.setObjectName("subtitle" if shown else "muted")
            restyle(self.text)


class ConversationPage(Page):
    """The conversation screen (the presenter's view)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 listening: ListeningService | None = None):
        """`listening`: the window's shared listening service (the presenter makes its own without one)."""
        super().__init__(parent)
        self.ctx = context
        self.scenario: Scenario | None = None
        self.can_talk = False
        self.can_speak = False
        self._space_down = False  # the Space bar is held as the talk key
        self._space_release = QTimer(self)  # see eventFilter: a release only counts when no press follows
        self._space_release.setSingleShot(True)
        self._space_release.setInterval(SPACE_RELEASE_GRACE_MS)
        self._space_release.timeout.connect(self._space_released)
        self._last_customer_bubble: Bubble | None = None
        self.bubbles: list[Bubble] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._build_topbar())
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.briefing = self._build_briefing()
        self.talk = self._build_talk()
        self.paused_panel = self._build_paused()
        for widget in (self.briefing, self.talk, self.paused_panel):
            self.stack.addWidget(widget)

        self.presenter = ConversationPresenter(self, context, self, listening=listening)
        self._shortcuts()

    # -- building --------------------------------------------------------------------------------
    def _build_topbar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("topbar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(24, 10, 16, 10)
        row.setSpacing(10)
        # With large text a long title is shortened with "…" (the full one is its tooltip and on the
        # situation card) instead of sliding under the buttons.
        self.title = ElidedLabel("h2")
        row.addWidget(self.title)
        self.setting_chip = chip("")
        row.addWidget(self.setting_chip)
        row.addStretch(1)
        self.subtitles = QCheckBox("Subtitles")
        self.subtitles.setToolTip("Show the customer's words on screen (Ctrl+T)")
        self.subtitles.toggled.connect(self._on_subtitles_toggled)
        row.addWidget(self.subtitles)
        self.situation_button = button("Situation", None, "Read the situation again (F1)")
        self.situation_button.clicked.connect(self._on_situation_clicked)
        row.addWidget(self.situation_button)
        self.pause_button = button("Pause", None, "Pause the conversation (Esc)")
        self.pause_button.clicked.connect(self._on_pause_clicked)
        row.addWidget(self.pause_button)
        self.restart_button = button("Restart", None, "Start this conversation again (Ctrl+R)")
        self.restart_button.clicked.connect(self.presenter_request_restart)
        row.addWidget(self.restart_button)
        self.leave_button = button("Leave", "danger", "Leave the conversation; nothing is lost (Ctrl+W)")
        self.leave_button.clicked.connect(self.presenter_request_leave)
        row.addWidget(self.leave_button)
        return bar

    def _build_briefing(self) -> QWidget:
        page = QWidget()
        outer = QHBoxLayout(page)
        outer.setContentsMargins(40, 28, 40, 28)
        outer.addStretch(1)
        panel = QFrame()
        panel.setObjectName("panel")
        self.brief_panel = panel
        panel.setMaximumWidth(980)
        panel.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        row = QHBoxLayout(panel)
        row.setContentsMargins(28, 24, 28, 24)
        row.setSpacing(28)
        self.brief_portrait = Portrait()
        self.brief_portrait.setFixedSize(220, 220)
        left = QVBoxLayout()
        left.addWidget(self.brief_portrait)
        self.brief_customer = label("", "h3", wrap=True)
        self.brief_customer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left.addWidget(self.brief_customer)
        left.addStretch(1)
        row.addLayout(left)
        col = QVBoxLayout()
        col.setSpacing(12)
        col.addWidget(label("Your situation", "h1"))
        self.brief_text = label("", None, wrap=True)
        col.addWidget(self.brief_text)
        self.brief_skills = label("", "small", wrap=True)
        self.brief_skills.setTextFormat(Qt.TextFormat.RichText)
        col.addWidget(self.brief_skills)
        self.brief_how = label("", "muted", wrap=True)
        col.addWidget(self.brief_how)
        self.brief_resumed = Banner("info")
        col.addWidget(self.brief_resumed)
        col.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.back_button = button("Back to library")
        self.back_button.clicked.connect(self.presenter_request_leave)
        buttons.addWidget(self.back_button)
        self.begin_button = button("Start conversation", "primary")
        self.begin_button.setToolTip("Enter")
        self.begin_button.clicked.connect(self._on_begin_clicked)
        buttons.addWidget(self.begin_button)
        col.addLayout(buttons)
        row.addLayout(col, 1)
        vbox = QVBoxLayout()
        vbox.addStretch(1)
        vbox.addWidget(panel)
        vbox.addStretch(2)
        outer.addLayout(vbox, 6)
        outer.addStretch(1)
        return page

    def _build_talk(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(24, 18, 24, 18)
        row.setSpacing(22)

        left = QVBoxLayout()
        left.setSpacing(10)
        self.portrait = Portrait()
        left.addWidget(self.portrait, 1)
        self.customer_name = label("", "h2")
        self.customer_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left.addWidget(self.customer_name)
        self.meter = AgitationMeter()
        left.addWidget(self.meter)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMinimumWidth(260)
        left_box.setMaximumWidth(440)
        self.left_box = left_box
        row.addWidget(left_box, 4)

        right = QVBoxLayout()
        right.setSpacing(12)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        holder = QWidget()
        self.transcript = QVBoxLayout(holder)
        self.transcript.setContentsMargins(0, 0, 8, 0)
        self.transcript.setSpacing(10)
        self.transcript.addStretch(1)
        self.scroller.setWidget(holder)
        self.scroller.verticalScrollBar().rangeChanged.connect(self._on_scroll_range_changed)
        right.addWidget(self.scroller, 1)

        self.notice = Banner("info")
        self.notice.setVisible(False)
        self.notice_retry = self.notice.add_action("Try the microphone again")
        self.notice_retry.setVisible(False)
        self.notice_retry.clicked.connect(self._on_retry_microphone_clicked)
        self.notice_close = self.notice.add_action("OK")
        self.notice_close.clicked.connect(lambda: self.notice.setVisible(False))
        right.addWidget(self.notice)

        self.reply_stack = QStackedWidget()
        self.reply_stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.reply_panel = self._build_reply_panel()
        self.ending_panel = self._build_ending_panel()
        self.reply_stack.addWidget(self.reply_panel)
        self.reply_stack.addWidget(self.ending_panel)
        right.addWidget(self.reply_stack)
        row.addLayout(right, 7)
        return page

    def _build_reply_panel(self) -> QFrame:
        frame, col = panel(spacing=10)
        status = QHBoxLayout()
        self.phase_label = label("", "h3", wrap=True)
        status.addWidget(self.phase_label, 1)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setFixedWidth(120)
        self.busy.setTextVisible(False)
        self.busy.setVisible(False)
        self.busy.setAccessibleName("Working")
        status.addWidget(self.busy)
        col.addLayout(status)
        self.partial = label("", "transcript", wrap=True)
        self.partial.setVisible(False)
        col.addWidget(self.partial)

        talk_row = QHBoxLayout()
        talk_row.setSpacing(14)
        self.talk_button = button("Hold to talk  (Space)", "talk")
        self.talk_button.setAccessibleName("Hold to talk")
        self.talk_button.pressed.connect(self._on_talk_button_pressed)
        self.talk_button.released.connect(self._on_talk_button_released)
        self.talk_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space is push-to-talk, never a click
        talk_row.addWidget(self.talk_button)
        level_col = QVBoxLayout()
        level_col.setSpacing(4)
        self.level_caption = label("Microphone", "small")
        level_col.addWidget(self.level_caption)
        self.level = LevelMeter()
        level_col.addWidget(self.level)
        talk_row.addLayout(level_col, 1)
        self.talk_row = QWidget()
        self.talk_row.setLayout(talk_row)
        col.addWidget(self.talk_row)
        self.no_mic = label("", "small", wrap=True)
        col.addWidget(self.no_mic)
        self.no_voice = label("", "small", wrap=True)
        self.no_voice.setVisible(False)
        col.addWidget(self.no_voice)

        type_row = QHBoxLayout()
        type_row.setSpacing(8)
        self.reply_box = QLineEdit()
        self.reply_box.setPlaceholderText("Type your reply and press Enter")
        self.reply_box.setAccessibleName("Your reply")
        self.reply_box.returnPressed.connect(self._on_send_clicked)
        type_row.addWidget(self.reply_box, 1)
        self.send_button = button("Send", "primary")
        self.send_button.clicked.connect(self._on_send_clicked)
        type_row.addWidget(self.send_button)
        col.addLayout(type_row)
        return frame

    def _build_ending_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("panel")
        col = QVBoxLayout(panel)
        col.setContentsMargins(20, 16, 20, 16)
        col.setSpacing(10)
        head = QHBoxLayout()
        head.addWidget(label("Conversation over", "h2"))
        self.outcome_chip = chip("")
        head.addWidget(self.outcome_chip)
        head.addStretch(1)
        col.addLayout(head)
        self.summary = label("", None, wrap=True)
        col.addWidget(self.summary)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.again_button = button("Try again")
        self.again_button.clicked.connect(lambda: self.presenter.restart())
        buttons.addWidget(self.again_button)
        self.debrief_button = button("See your debrief", "primary")
        self.debrief_button.clicked.connect(lambda: self.presenter.show_debrief())
        buttons.addWidget(self.debrief_button)
        col.addLayout(buttons)
        return panel

    def _build_paused(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        col.addStretch(1)
        box = QFrame()
        box.setObjectName("panel")
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(12)
        inner.addWidget(label("Paused", "h1"))
        inner.addWidget(label("The customer is waiting. Everything so far is saved. When you carry on, "
                              "they will say their last line again.", "muted", wrap=True))
        buttons = QHBoxLayout()
        self.paused_leave = button("Leave")
        self.paused_leave.clicked.connect(self.presenter_request_leave)
        self.paused_restart = button("Restart")
        self.paused_restart.clicked.connect(self.presenter_request_restart)
        self.resume_button = button("Carry on", "primary")
        self.resume_button.clicked.connect(lambda: self.presenter.resume())
        buttons.addWidget(self.paused_leave)
        buttons.addWidget(self.paused_restart)
        buttons.addStretch(1)
        buttons.addWidget(self.resume_button)
        inner.addLayout(buttons)
        h = QHBoxLayout()
        h.addStretch(1)
        h.addWidget(box, 1)
        h.addStretch(1)
        col.addLayout(h)
        col.addStretch(2)
        return page

    def _shortcuts(self) -> None:
        def add(keys: str | QKeySequence, slot) -> None:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        add("Esc", self._on_escape)
        add("Ctrl+R", self.presenter_request_restart)
        add("Ctrl+W", self.presenter_request_leave)
        add("Ctrl+T", self.subtitles.toggle)
        add("F1", self._on_situation_clicked)
        add("Ctrl+L", lambda: self.reply_box.setFocus())
        # Enter presses the highlighted button (Start conversation, See your debrief), as in a dialog.
        # Only on these panels: in the reply box Enter sends the reply.
        for panel_ in (self.briefing, self.ending_panel):
            for key in ("Return", "Enter"):
                shortcut = QShortcut(QKeySequence(key), panel_)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(self._on_enter)

    # -- entry points used by the main window ----------------------------------------------------
    def open(self, scenario: Scenario, state=None) -> bool:
        """Load the conversation; False (after saying why) when replies could not be judged."""
        from simulator.analysis.wording import RubricError

        try:
            self.presenter.load(scenario, state)
        except RubricError as exc:
            # Only reachable when phrases.yaml was broken before the app first read it; a later
            # bad edit keeps the phrases already loaded (see MainWindow.reload_rubric).
            log.error("the phrase list cannot be used: %s", exc)
            dialogs.tell(self, "The phrase list has a problem",
                         f"Replies can't be judged until phrases.yaml is fixed:\n\n{exc}\n\n"
                         "Ask whoever edited it to correct that line (the Authoring screen shows it too), "
                         "or reinstall the simulator to get the original back.", warning=True)
            return False
        return True

    def presenter_request_restart(self) -> None:
        self.presenter.request_restart()

    def presenter_request_leave(self) -> None:
        self.presenter.request_leave()

    # -- the view interface (called by the presenter) --------------------------------------------
    def show_briefing(self, scenario: Scenario, resumed_turns: int) -> None:
        self.scenario = scenario
        # The card widens with the text size, so large text wraps into lines instead of overflowing.
        self.brief_panel.setMaximumWidth(round(980 * self.ctx.settings.text_scale))
        customer = scenario.customer
        self.title.set_full_text(scenario.title)
        self.setting_chip.setText(setting_name(scenario.setting))
        start_mood = scenario.nodes[scenario.start_node].mood or "annoyed"
        self.brief_portrait.set_customer(customer.portrait, customer.name, start_mood)
        self.brief_customer.setText(customer.name + (f", {customer.age}" if customer.age else ""))
        self.brief_text.setText(scenario.brief)
        skills = html.escape(", ".join(SKILLS.get(s, s).lower() for s in scenario.skills))
        self.brief_skills.setText(f"<b>You'll practise</b> {skills}. About {estimated_minutes(scenario)} minutes.")
        if self.can_talk:
            how = ("Speak as you would at work. Hold the Space bar while you talk and let go when you've "
                   "finished" if self.ctx.settings.listen_mode == "push_to_talk" else
                   "Speak as you would at work; the simulator listens when it's your turn")
            how += ", or type your reply if you prefer. Press Esc to pause at any time."
        else:
            how = "Type what you would say and press Enter. Press Esc to pause at any time."
        self.brief_how.setText(how)
        self.brief_resumed.setVisible(resumed_turns > 0)
        self.brief_resumed.set_text("Picking up where you left off",
                                    f"{resumed_turns} exchange{'s' if resumed_turns != 1 else ''} already "
                                    "happened; the customer will repeat their last line.")
        self.begin_button.setText("Carry on" if resumed_turns else "Start conversation")
        self.subtitles.blockSignals(True)
        self.subtitles.setChecked(self.ctx.settings.subtitles or not self.can_speak)
        self.subtitles.blockSignals(False)
        self._topbar_for(briefing=True)
        self.stack.setCurrentWidget(self.briefing)
        self.begin_button.setFocus()

    def _topbar_for(self, briefing: bool) -> None:
        for widget in (self.subtitles, self.situation_button, self.pause_button, self.restart_button):
            widget.setVisible(not briefing)
        self.leave_button.setVisible(not briefing)

    def show_conversation(self, scenario: Scenario, history: list[TurnRecord]) -> None:
        customer = scenario.customer
        self.left_box.setMaximumWidth(round(440 * self.ctx.settings.text_scale))
        clear_layout(self.transcript)
        self.transcript.addStretch(1)
        self.bubbles = []
        self._last_customer_bubble = None
        self.notice.setVisible(False)
        self.reply_stack.setCurrentWidget(self.reply_panel)
        self.customer_name.setText(customer.name)
        self.portrait.set_customer(customer.portrait, customer.name, history[0].mood if history else "calm")
        self.meter.set_value(history[0].agitation_before if history else customer.agitation, animate=False)
        for turn in history:
            self._add_bubble(customer.first_name, turn.customer_line, True)
            self._add_bubble("You", turn.reply, False, turn.heard)
        self._topbar_for(briefing=False)
        self.stack.setCurrentWidget(self.talk)
        self.reply_box.clear()
        self.reply_box.setFocus()

    def _add_bubble(self, speaker: str, text: str, customer: bool, words: Sequence[HeardWord] = ()) -> Bubble:
        bubble = Bubble(speaker, text, customer)
        if words:
            bubble.mark_unsure(words)
        bubble.set_subtitles(self.subtitles.isChecked())
        row = QHBoxLayout()
        if customer:
            row.addWidget(bubble, 5)
            row.addStretch(1)
            self._last_customer_bubble = bubble
        else:
            row.addStretch(1)
            row.addWidget(bubble, 5)
        self.transcript.insertLayout(self.transcript.count(), row)
        self.bubbles.append(bubble)
        return bubble

    def show_customer_line(self, line: CustomerLine, animate: bool) -> None:
        assert self.scenario is not None
        self.portrait.set_mood(line.mood, animate=animate)
        self.meter.set_value(line.agitation, animate=animate)
        bubble = self._add_bubble(self.scenario.customer.first_name, line.text, True)
        if line.direction:
            bubble.add_direction(line.direction)

    def show_say_again(self, text: str) -> None:
        assert self.scenario is not None
        self._add_bubble(self.scenario.customer.first_name, text, True)

    def add_trainee_reply(self, text: str, spoken: bool, words: Sequence[HeardWord] = ()) -> None:
        self._add_bubble("You (spoken)" if spoken else "You", text, False, words)
        self.reply_box.clear()
        self.partial.setVisible(False)

    def show_partial(self, text: str) -> None:
        self.partial.setText(f"“{text}”" if text else "")
        self.partial.setVisible(bool(text))

    def set_level(self, level: float) -> None:
        self.level.set_level(level)

    def set_phase(self, phase: str) -> None:
        name = self.scenario.customer.first_name if self.scenario else "The customer"
        hands_free = self.ctx.settings.listen_mode == "hands_free"
        key = phase
        if phase == "your_turn":
            key = "your_turn_type" if not self.can_talk else ("your_turn_hands_free" if hands_free else "your_turn_talk")
        elif phase == "listening" and hands_free:
            key = "listening_hands_free"
        self.phase_label.setText(PHASE_TEXT.get(key, "").format(name=name))
        listening = phase == "listening"
        self.talk_button.setProperty("listening", "true" if listening else "false")
        # Hands-free, a reply ends at a pause, unless it was begun with the key (Space or this
        # button) for a long reply: then, as in push-to-talk, letting go sends it.
        held = self._space_down or self.talk_button.isDown()
        self.talk_button.setText("Hold to talk  (Space)" if not listening else
                                 "Listening…  a pause sends it" if hands_free and not held
                                 else "Listening…  release to send")
        restyle(self.talk_button)
        accepting = phase in ("your_turn", "speaking", "listening")
        self.talk_button.setEnabled(self.can_talk and (accepting or listening))
        self.send_button.setEnabled(accepting)
        self.pause_button.setEnabled(phase not in ("ended",))

    def set_busy(self, busy: bool) -> None:
        # A short delay keeps a quick judgement from flashing the bar.
        if busy:
            QTimer.singleShot(200, self.busy, lambda: self.busy.setVisible(self.presenter.busy or self.presenter.phase == "thinking"))
        else:
            self.busy.setVisible(False)

    def show_ending(self, outcome: str, summary: str | None) -> None:
        text, kind = OUTCOME_TEXT.get(outcome, (outcome, "warning"))
        self.outcome_chip.setText(text)
        self.outcome_chip.setObjectName(f"chip_{kind}")
        restyle(self.outcome_chip)
        self.summary.setText(summary or "")
        self.summary.setVisible(bool(summary))
        self.reply_stack.setCurrentWidget(self.ending_panel)
        self.pause_button.setEnabled(False)
        self.restart_button.setEnabled(True)
        self.debrief_button.setFocus()

    def show_notice(self, text: str, kind: str = "info", retry_microphone: bool = False) -> None:
        self.notice_retry.setVisible(retry_microphone)
        self.notice.set_kind(kind)
        self.notice.set_text("", text)
        self.notice.setVisible(True)
        self._notice_text = text

    def hide_notice(self, text: str) -> None:
        """Hide the notice if it still says `text` (not if another has replaced it)."""
        if getattr(self, "_notice_text", None) == text:
            self.notice.setVisible(False)

    def set_capabilities(self, can_talk: bool, talk_problem: str, can_speak: bool) -> None:
        self.can_talk = can_talk
        self.can_speak = can_speak
        self.talk_row.setVisible(can_talk)
        self.reply_box.setPlaceholderText("Type your reply and press Enter (until you type, Space talks)" if can_talk
                                          else "Type your reply and press Enter")
        self.no_mic.setText(talk_problem)
        self.no_mic.setVisible(bool(talk_problem))
        self.subtitles.setEnabled(can_speak)
        # Said here as in Settings: a trainee who expected a voice learns why there is none.
        voice_wanted = self.ctx.settings.voice_enabled
        self.no_voice.setText("" if can_speak or not voice_wanted else
                              "No speakers or speech engine found: the customer's lines are shown as subtitles."
                              if not self.ctx.devices.can_speak else
                              "The customer's voice is off for now: their lines are shown as subtitles.")
        self.no_voice.setVisible(bool(self.no_voice.text()))
        if not can_speak:
            self.subtitles.setChecked(True)
            self.subtitles.setToolTip("The customer's voice is off, so subtitles are always shown")

    def offer_typing(self) -> None:
        """Put the cursor in the reply box (after a reply that wasn't heard, or a microphone problem)."""
        if self.stack.currentWidget() is self.talk and self.reply_box.isEnabled():
            self.reply_box.setFocus()

    def set_paused(self, paused: bool) -> None:
        self.stack.setCurrentWidget(self.paused_panel if paused else self.talk)
        self.pause_button.setText("Carry on" if paused else "Pause")
        if paused:
            self.resume_button.setFocus()
        else:
            self.reply_box.setFocus()

    def ask(self, question: str) -> str | None:
        if question == "restart":
            return dialogs.ask(self, "Restart this conversation?",
                               "Start again from the beginning? This attempt is kept in your history.",
                               [("stay", "Keep going"), ("restart", "Restart")])
        if question == "leave":
            return dialogs.ask(self, "Leave the conversation?",
                               "Everything so far is saved. You can carry on later from the library, or end "
                               "now and see how it went.",
                               [("stay", "Keep going"), ("later", "Carry on later"), ("end", "End and see debrief")])
        return None

    # -- slots -----------------------------------------------------------------------------------
    def _on_begin_clicked(self) -> None:
        self.presenter.begin()

    def _on_enter(self) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QPushButton) and focus.isVisible() and focus.isEnabled():
            focus.animateClick()

    def _on_retry_microphone_clicked(self) -> None:
        self.notice.setVisible(False)
        self.presenter.retry_microphone()

    def _on_send_clicked(self) -> None:
        if self.presenter.submit_text(self.reply_box.text()):
            self.reply_box.setFocus()

    def _on_talk_button_pressed(self) -> None:
        self.presenter.press_to_talk()

    def _on_talk_button_released(self) -> None:
        self.presenter.release_to_talk()

    def _on_pause_clicked(self) -> None:
        if self.presenter.paused:
            self.presenter.resume()
        else:
            self.presenter.pause()

    def _on_escape(self) -> None:
        if self.stack.currentWidget() is self.briefing:
            self.presenter_request_leave()
        else:
            self._on_pause_clicked()

    def _on_situation_clicked(self) -> None:
        if self.scenario is not None:
            dialogs.tell(self, "Your situation", self.scenario.brief)

    def _on_subtitles_toggled(self, shown: bool) -> None:
        for bubble in self.bubbles:
            bubble.set_subtitles(shown)

    def _on_scroll_range_changed(self, low: int, high: int) -> None:
        self.scroller.verticalScrollBar().setValue(high)

    # -- push-to-talk on the Space bar -----------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        self._space_released()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def space_is_push_to_talk(self) -> bool:
        """Space talks on the talk page until the trainee starts typing a reply.

        Each turn leaves the cursor in the reply box so typing is no key away; while that box is
        empty Space talks (a leading space means nothing), once it holds text Space is just a space.
        Any other text field with the focus keeps its spaces too."""
        focus = QApplication.focusWidget()
        if focus is self.reply_box:
            typing = bool(self.reply_box.text())
        else:
            typing = isinstance(focus, QLineEdit | QPlainTextEdit) and focus.isVisible()
        return (self.stack.currentWidget() is self.talk and self.can_talk and not typing
                and self.isVisible() and self.window().isActiveWindow())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.WindowDeactivate and watched is self.window() and self._space_down:
            self._space_released()  # the key's release will go to another window
            return False
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and cast(QKeyEvent, event).key() == Qt.Key.Key_Space:
            if not isinstance(watched, QWidget) or watched.window() is not self.window():
                return False
            if self._space_down:
                # Held: every Space event is the talk key's until it is really let go, wherever the
                # focus has gone meanwhile. Auto-repeat sends release-press pairs, and X11 does not
                # always let Qt mark the release as a repeat, so a release only counts when no press
                # follows it within the grace period.
                if kind == QEvent.Type.KeyPress:
                    self._space_release.stop()
                elif not cast(QKeyEvent, event).isAutoRepeat():
                    self._space_release.start()
                return True
            if not self.space_is_push_to_talk():
                return False
            if kind == QEvent.Type.KeyPress and not cast(QKeyEvent, event).isAutoRepeat():
                self._space_down = True
                self.presenter.press_to_talk()
            return True  # a stray repeat or release of a press that came before talking was possible
        return False

    def _space_released(self) -> None:
        self._space_release.stop()
        if self._space_down:
            self._space_down = False
            self.presenter.release_to_talk()
