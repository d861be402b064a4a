"""The trainer's window in classroom mode: the class and who is answering, the reply, the judgement the
software proposes (before the branch is taken) and the one-key decision: calmer, as proposed, escalate.

Keys (on this window and the projector, whatever has the focus but a text box the trainer is typing in;
Escape leaves it, and Enter leaves a note): 1 or ← calmer, 2 or ↓ as proposed, 3 or → escalate,
P pause / carry on, R the customer repeats their line, N the next trainee answers.

The trainer's notes, on the session and on any turn (click it in "Turns so far"; a new turn is chosen as it
is taken), are saved while they are typed (NoteBox, Conversation.note) and shown in the debrief and the PDF.

`Classroom` is classroom mode as a whole: it holds the presenter and both windows, and is the presenter's
view (`ClassroomView`), passing each call on to the projector and this window as each needs it.

Signals (TrainerWindow):
    debrief_requested(str): open the debrief of the session just played (session id).
    closed(): the trainer closed classroom mode.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from simulator.conversation import Conversation
from simulator.conversation.steering import Steering
from simulator.engine.judgement import Judgement
from simulator.engine.loader import Library
from simulator.engine.model import Condition, Scenario
from simulator.engine.session import CustomerLine, Override, TurnRecord
from simulator.engine.vocabulary import TECHNIQUES, TRIGGERS, mood_for_agitation
from simulator.ui import dialogs
from simulator.ui.classroom.presenter import ClassroomPresenter
from simulator.ui.classroom.windows import add_trainer_keys
from simulator.ui.common import (
    button,
    chip,
    clear_layout,
    finding_row,
    label,
    notice_banner,
    panel,
    restyle,
)
from simulator.ui.context import AppContext
from simulator.ui.formatting import difficulty_dots, difficulty_words
from simulator.ui.widgets.fit_label import FitLabel
from simulator.ui.widgets.note_box import NoteBox

log = logging.getLogger(__name__)

NO_CLASS = "(no class)"
PHASE_TEXT = {
    "idle": "Choose a scenario and press Start.",
    "speaking": "{name} is speaking…",
    "your_turn": "{trainee}'s turn: type what they say, then Enter.",
    "judging": "Judging the reply…",
    "deciding": "Decide: 1 calmer · 2 as proposed · 3 escalate",
    "ended": "The conversation is over.",
}
INTENT_CHIPS = {"deescalate": ("Calming", "chip_success"), "neutral": ("Neutral", "chipMuted"),
                "escalate": ("Inflaming", "chip_danger")}
DECISION_WORDS = {None: "as proposed", "calmer": "overridden: calmer", "escalate": "overridden: escalate",
                  "branch": "branch chosen by the trainer"}


class TrainerWindow(QWidget):
    """The trainer's controls (a top-level window of its own, on the primary screen)."""

    debrief_requested = Signal(str)
    closed = Signal()

    def __init__(self, context: AppContext, presenter: ClassroomPresenter, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = context
        self.presenter = presenter
        self.library: Library | None = None
        self.setWindowTitle("Classroom — trainer")
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.resize(1180, 780)

        col = QVBoxLayout(self)
        col.setContentsMargins(20, 16, 20, 16)
        col.setSpacing(12)
        col.addWidget(self._build_class_bar())
        col.addWidget(self._build_session_bar())
        # What happens now, on a line of its own: beside the session's buttons it wrapped to six lines
        # when the window shares a 1280-pixel screen with the projector view.
        col.addWidget(self.phase)
        self.notice = notice_banner()
        col.addWidget(self.notice)
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(self._build_left(), 5)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(self._build_proposal(), 1)
        right.addWidget(self._build_notes())
        body.addLayout(right, 6)
        col.addLayout(body, 1)

        self.branch_buttons: list[QPushButton] = []  # the current node's branches, while a reply is pending
        self.shortcuts = add_trainer_keys(self, presenter)
        # The window itself holds the focus when no control does, so the trainer's keys always arrive.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        leave = QShortcut(QKeySequence("Escape"), self)
        leave.activated.connect(self.setFocus)  # out of a text box: the keys are the trainer's again
        self.shortcuts.append(leave)
        self.set_phase(presenter.phase)
        self.show_proposal(None)

    # -- building --------------------------------------------------------------------------------
    def _build_class_bar(self) -> QFrame:
        """Two rows, so the window fits beside the projector view on one laptop screen:
        the class (and adding to it), then who is answering."""
        bar = QFrame()
        bar.setObjectName("panel")
        grid = QGridLayout(bar)
        grid.setContentsMargins(14, 10, 14, 10)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)
        grid.addWidget(label("Class", "h3"), 0, 0)
        self.class_combo = QComboBox()
        self.class_combo.setAccessibleName("Class")
        self.class_combo.setMinimumWidth(180)
        self.class_combo.currentTextChanged.connect(self._on_class_combo_current_text_changed)
        grid.addWidget(self.class_combo, 0, 1)
        self.new_class = button("New class…")
        self.new_class.clicked.connect(self._on_new_class_clicked)
        grid.addWidget(self.new_class, 0, 2)
        add = QHBoxLayout()
        add.setSpacing(8)
        self.add_name = QLineEdit()
        self.add_name.setPlaceholderText("Add a trainee")
        self.add_name.setAccessibleName("Add a trainee to the class")
        self.add_name.setMinimumWidth(150)
        self.add_name.returnPressed.connect(self._on_add_name_clicked)
        add.addWidget(self.add_name, 1)
        self.add_name_button = button("Add")
        self.add_name_button.clicked.connect(self._on_add_name_clicked)
        add.addWidget(self.add_name_button)
        grid.addLayout(add, 0, 4)

        grid.addWidget(label("Answering", "h3"), 1, 0)
        self.trainee_combo = QComboBox()
        self.trainee_combo.setAccessibleName("Trainee answering now")
        self.trainee_combo.setMinimumWidth(180)
        self.trainee_combo.activated.connect(self._on_trainee_combo_activated)
        grid.addWidget(self.trainee_combo, 1, 1)
        self.next_button = button("Next (N)", None, "The next trainee on the roster answers")
        self.next_button.clicked.connect(lambda: self.presenter.next_trainee())
        grid.addWidget(self.next_button, 1, 2)
        # Short, so the window fits beside a readable projector view on one 1280-pixel screen.
        self.rotate = QCheckBox("Take turns")
        self.rotate.setToolTip("After each turn, the next trainee on the roster answers")
        self.rotate.setChecked(self.presenter.rotate)
        self.rotate.toggled.connect(self._on_rotate_toggled)
        grid.addWidget(self.rotate, 1, 4)
        grid.setColumnMinimumWidth(3, 8)
        grid.setColumnStretch(4, 1)
        return bar

    def _build_session_bar(self) -> QWidget:
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(label("Scenario", "h3"))
        self.scenario_combo = QComboBox()
        self.scenario_combo.setAccessibleName("Scenario")
        self.scenario_combo.setMinimumWidth(200)  # room for "Open debrief" beside it at 1280 pixels
        row.addWidget(self.scenario_combo)
        self.start_button = button("Start", "primary", "Start the scenario on the projector")
        self.start_button.clicked.connect(self._on_start_clicked)
        row.addWidget(self.start_button)
        self.end_button = button("End session", "danger", "Stop here; everything so far is saved")
        self.end_button.clicked.connect(lambda: self.presenter.end_now())
        row.addWidget(self.end_button)
        self.debrief_button = button("Open debrief", None, "See this session's debrief in the main window")
        self.debrief_button.clicked.connect(self._on_debrief_clicked)
        self.debrief_button.setVisible(False)
        row.addWidget(self.debrief_button)
        row.addStretch(1)
        self.phase = label("", "h3", wrap=True)
        return bar

    def _build_left(self) -> QVBoxLayout:
        col = QVBoxLayout()
        col.setSpacing(10)
        customer = QFrame()
        customer.setObjectName("panel")
        cc = QVBoxLayout(customer)
        cc.setContentsMargins(16, 12, 16, 12)
        cc.setSpacing(4)
        head = QHBoxLayout()
        self.customer_heading = label("The customer", "speaker", wrap=True)
        head.addWidget(self.customer_heading, 1)
        self.agitation = label("", "h3", wrap=True)
        head.addWidget(self.agitation)
        cc.addLayout(head)
        # The customer's line at the theme's subtitle size, smaller when a long line would not fit the panel.
        self.customer_line = FitLabel(max_px=round(self.fontInfo().pixelSize() * 1.3), min_px=11)
        self.customer_line.setObjectName("subtitle")
        self.customer_line.setMinimumHeight(self.fontMetrics().lineSpacing() * 2)
        cc.addWidget(self.customer_line, 1)
        col.addWidget(customer, 2)

        reply = QFrame()
        reply.setObjectName("panel")
        rc = QVBoxLayout(reply)
        rc.setContentsMargins(16, 12, 16, 12)
        rc.setSpacing(8)
        self.reply_heading = label("The reply", "h3", wrap=True)
        rc.addWidget(self.reply_heading)
        row = QHBoxLayout()
        self.reply_box = QLineEdit()
        self.reply_box.setPlaceholderText("Type what the trainee said and press Enter")
        self.reply_box.setAccessibleName("The trainee's reply")
        self.reply_box.returnPressed.connect(self._on_judge_clicked)
        row.addWidget(self.reply_box, 1)
        self.judge_button = button("Judge", "primary", "Judge the reply (Enter)")
        self.judge_button.clicked.connect(self._on_judge_clicked)
        row.addWidget(self.judge_button)
        rc.addLayout(row)
        controls = QHBoxLayout()
        self.pause_button = button("Pause (P)", None, "The customer stops and waits")
        self.pause_button.clicked.connect(lambda: self.presenter.toggle_pause())
        controls.addWidget(self.pause_button)
        self.repeat_button = button("Repeat (R)", None, "The customer says their line again")
        self.repeat_button.clicked.connect(lambda: self.presenter.repeat())
        controls.addWidget(self.repeat_button)
        controls.addStretch(1)
        rc.addLayout(controls)
        col.addWidget(reply)

        col.addWidget(label("Turns so far", "h3"))
        self.turns = QListWidget()
        self.turns.setAccessibleName("Turns so far")
        self.turns.setWordWrap(True)
        self.turns.currentRowChanged.connect(self._on_turns_current_row_changed)
        col.addWidget(self.turns, 1)
        return col

    def _build_notes(self) -> QFrame:
        """The trainer's notes: on the turn chosen in "Turns so far", and on the whole session."""
        frame = QFrame()
        frame.setObjectName("panel")
        grid = QGridLayout(frame)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        self.turn_note_label = label("Note on a turn", "speaker")
        grid.addWidget(self.turn_note_label, 0, 0, Qt.AlignmentFlag.AlignTop)
        self.turn_note = NoteBox("Your note on this turn (Enter when done)", enter_finishes=True)
        self.turn_note.setAccessibleName("Your note on the chosen turn")
        grid.addWidget(self.turn_note, 0, 1)
        grid.addWidget(label("Note on the session", "speaker"), 1, 0, Qt.AlignmentFlag.AlignTop)
        self.session_note = NoteBox("Your note on the whole session (Enter when done)", enter_finishes=True)
        self.session_note.setAccessibleName("Your note on the whole session")
        grid.addWidget(self.session_note, 1, 1)
        grid.setColumnStretch(1, 1)
        for box in (self.turn_note, self.session_note):
            box.finished.connect(self.setFocus)  # done typing: the keys are the trainer's again
        return frame

    def _build_proposal(self) -> QFrame:
        frame, col = panel(spacing=10)
        head = QHBoxLayout()
        head.addWidget(label("Proposed judgement", "h2"), 1)
        self.intent_chip = chip("")
        head.addWidget(self.intent_chip)
        col.addLayout(head)
        self.figures = label("", "muted", wrap=True)
        col.addWidget(self.figures)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self.details = QVBoxLayout(holder)
        self.details.setContentsMargins(0, 0, 6, 0)
        self.details.setSpacing(6)
        scroll.setWidget(holder)
        col.addWidget(scroll, 1)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        self.decision_buttons: dict[str, QPushButton] = {}
        for column, (key, text, role, tip) in enumerate((
                ("calmer", "←  1\nCalmer", "decisionCalmer", "The reply calmed more than proposed"),
                ("proposed", "↓  2\nAs proposed", "decisionProposed", "Accept the proposed judgement"),
                ("escalate", "→  3\nEscalate", "decisionEscalate", "The reply inflamed more than proposed"))):
            widget = button(text, role, tip)
            widget.setMinimumHeight(74)
            widget.clicked.connect(lambda _=False, k=key: self.presenter.decide(k))
            grid.addWidget(widget, 0, column)
            self.decision_buttons[key] = widget
        col.addLayout(grid)
        self.setStyleSheet(
            "QPushButton#decisionCalmer, QPushButton#decisionProposed, QPushButton#decisionEscalate "
            "{ font-size: 14pt; font-weight: 700; border-radius: 10px; }"
            "QPushButton#decisionCalmer:enabled { background: #E3F3EA; border: 2px solid #25744F; color: #1B5A3D; }"
            "QPushButton#decisionProposed:enabled { background: #1D6A85; border: 2px solid #16566C; color: white; }"
            "QPushButton#decisionEscalate:enabled { background: #FBE6E4; border: 2px solid #A83A32; color: #7E2A24; }"
            "QPushButton#decisionCalmer:focus, QPushButton#decisionProposed:focus, "
            "QPushButton#decisionEscalate:focus { border: 3px solid #F2A900; }")
        return frame

    # -- data ------------------------------------------------------------------------------------
    def refresh_classes(self, select: str | None = None) -> None:
        wanted = select if select is not None else (self.presenter.class_name or "")
        try:
            names = self.presenter.classes()
        except OSError as exc:
            self.show_notice(f"The classes could not be read: {exc}", "danger")
            names = []
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        self.class_combo.addItems([NO_CLASS, *names])
        self.class_combo.setCurrentText(wanted if wanted in names else NO_CLASS)
        self.class_combo.blockSignals(False)
        chosen = self.class_combo.currentText()
        self.presenter.set_class(None if chosen == NO_CLASS else chosen)

    def load_library(self, library: Library | None = None) -> None:
        """Fill the scenario list (from a library already loaded, else on the task pool)."""
        if library is not None:
            self._on_library_loaded(library)
            return
        self.ctx.tasks.submit(self.ctx.library_loader, on_done=self._on_library_loaded,
                              on_error=lambda exc: self.show_notice(
                                  f"The scenarios could not be read: {exc}", "danger"))

    def _on_library_loaded(self, library: Library) -> None:
        self.library = library
        current = self.scenario_combo.currentData()
        self.scenario_combo.clear()
        # Easiest first, as the library lists them, each with its difficulty.
        for scenario in library.by_difficulty():
            self.scenario_combo.addItem(f"{difficulty_dots(scenario.difficulty)}  {scenario.title}", scenario.id)
            self.scenario_combo.setItemData(self.scenario_combo.count() - 1, difficulty_words(scenario.difficulty),
                                            Qt.ItemDataRole.ToolTipRole)
        if current is not None:
            index = self.scenario_combo.findData(current)
            if index >= 0:
                self.scenario_combo.setCurrentIndex(index)

    def select_scenario(self, scenario_id: str) -> None:
        index = self.scenario_combo.findData(scenario_id)
        if index >= 0:
            self.scenario_combo.setCurrentIndex(index)

    def start(self) -> bool:
        sid = self.scenario_combo.currentData()
        if self.library is None or sid not in self.library.scenarios:
            self.show_notice("Choose a scenario first.", "info")
            return False
        self.presenter.start(self.library.scenarios[sid])
        return True

    # -- notes -----------------------------------------------------------------------------------
    def _typing_a_note(self) -> bool:
        return self.turn_note.hasFocus() or self.session_note.hasFocus()

    def _note_turn(self, index: int) -> None:
        """The turn note box edits turn `index` of the session on screen (what was typed before is saved)."""
        conversation = self.presenter.conversation
        if conversation is None or not 0 <= index < len(conversation.turns):
            self.turn_note.bind(None)
            self.turn_note_label.setText("Note on a turn")
            return
        turn = conversation.turns[index]
        self.turn_note.bind(lambda text: self._save_note(conversation, text, index), turn.trainer_note)
        self.turn_note_label.setText(f"Note on turn {index + 1}")

    def _save_note(self, conversation: Conversation, text: str, turn: int | None) -> bool:
        saved = self.presenter.note(text, turn, conversation)
        if turn is not None and conversation is self.presenter.conversation:  # its ✎ in "Turns so far"
            item = self.turns.item(turn)
            if item is not None:
                item.setText(_turn_text(conversation.turns[turn]))
        return saved

    def flush_notes(self) -> None:
        """Save what was typed in the note boxes now (closing, or a new session)."""
        self.turn_note.flush()
        self.session_note.flush()

    def _show_judgement(self, judgement: Judgement) -> None:
        text, kind = INTENT_CHIPS.get(judgement.intent, (judgement.intent, "chipMuted"))
        self.intent_chip.setText(text)
        self.intent_chip.setObjectName(kind)
        restyle(self.intent_chip)
        self.intent_chip.setVisible(True)
        steer = self.presenter.steering()
        # The change the runner will apply (after the customer's temperament), not the judge's raw figure.
        delta = f" · agitation {steer.leads[None].signed_delta} if accepted" if steer else ""
        self.figures.setText(f"Confidence {judgement.confidence:.0%}{delta}")
        clear_layout(self.details)
        if steer is not None:
            self._show_leads(steer)
        self.details.addWidget(label("Techniques", "speaker"))
        if judgement.techniques:
            for finding in judgement.techniques:
                self.details.addWidget(finding_row(TECHNIQUES.get(finding.name, finding.name),
                                                   finding.evidence, True))
        else:
            self.details.addWidget(label("none found", "small"))
        self.details.addWidget(label("Triggers", "speaker"))
        if judgement.triggers:
            for finding in judgement.triggers:
                self.details.addWidget(finding_row(TRIGGERS.get(finding.name, finding.name),
                                                   finding.evidence, False))
        else:
            self.details.addWidget(label("none found", "small"))
        self.details.addWidget(label("Tone", "speaker"))
        tone = judgement.tone
        if tone is None:
            self.details.addWidget(label("typed reply: tone not assessed", "small"))
        else:
            cues = f" — {html.escape('; '.join(tone.cues))}" if tone.cues else ""
            sounded = label(f"<b>{html.escape(tone.label)}</b>{cues}", None, wrap=True)
            sounded.setTextFormat(Qt.TextFormat.RichText)
            self.details.addWidget(sounded)
        if judgement.explanation:
            self.details.addWidget(label("Why", "speaker"))
            self.details.addWidget(label(" ".join(judgement.explanation), "small", wrap=True))
        self.details.addStretch(1)

    def _show_leads(self, steer: Steering) -> None:
        """Where each decision leads (its branch and target), and the node's model answer and coach note."""
        self.details.addWidget(label("Where it leads", "speaker"))
        choices: tuple[tuple[Override | None, str], ...] = (
            (None, "2 as proposed"), ("calmer", "1 calmer"), ("escalate", "3 escalate"))
        for decision, words in choices:
            lead = steer.leads[decision]
            where = f"ends {lead.outcome} ({lead.target})" if lead.outcome else f"goes to “{lead.target}”"
            row = label(f"<b>{words}</b>: branch {lead.branch_index + 1} {html.escape(where)} · agitation "
                        f"{lead.signed_delta} → {lead.agitation_after:.0f}", "small", wrap=True)
            row.setTextFormat(Qt.TextFormat.RichText)
            self.details.addWidget(row)
        # Any branch of the node, taken directly (as on an instructor's console).
        self.details.addWidget(label("Or take a branch", "speaker"))
        node = self.presenter.scenario.nodes[steer.node_id] if self.presenter.scenario else None
        self.branch_buttons.clear()
        for lead in steer.branches:
            when = _condition_text(node.branches[lead.branch_index].when) if node else ""
            where = f"ends {lead.outcome} ({lead.target})" if lead.outcome else f"“{lead.target}”"
            # Two short lines, left-aligned: one long centred line was cut off at both ends at 1280x720.
            take = button(f"Branch {lead.branch_index + 1} → {where} · agitation {lead.signed_delta}\nwhen: {when}",
                          None, "Take this branch, whatever the judgement would lead to")
            take.setStyleSheet("text-align: left; padding: 4px 10px;")
            take.setAccessibleName(f"Take branch {lead.branch_index + 1} to {lead.target}")
            take.clicked.connect(lambda _=False, i=lead.branch_index: self.presenter.take_branch(i))
            self.details.addWidget(take)
            self.branch_buttons.append(take)
        if steer.model_answer:
            self.details.addWidget(label("Model answer", "speaker"))
            self.details.addWidget(label(f"“{steer.model_answer}”", "small", wrap=True))
        if steer.coach:
            self.details.addWidget(label("Coach note", "speaker"))
            self.details.addWidget(label(steer.coach, "small", wrap=True))

    # -- what the presenter shows (its ClassroomView calls, passed on by Classroom) --------------
    def show_new_session(self, scenario: Scenario) -> None:
        """A new session: its own turns and notes (the last session's notes were saved with it)."""
        self.debrief_button.setVisible(False)
        self.turns.blockSignals(True)
        self.turns.clear()
        self.turns.blockSignals(False)
        conversation = self.presenter.conversation
        self._note_turn(-1)
        self.session_note.bind(
            (lambda text: self._save_note(conversation, text, None)) if conversation is not None else None,
            conversation.record.trainer_note if conversation is not None else "")

    def show_customer_line(self, line: CustomerLine, animate: bool) -> None:
        scenario = self.presenter.scenario
        name = scenario.customer.first_name if scenario else "The customer"
        self.customer_heading.setText(f"{name} says" if not line.is_ending else f"{name}'s last word")
        self.customer_line.setText(f"“{line.text}”")
        self.agitation.setText(f"agitation {line.agitation:.0f} · {mood_for_agitation(line.agitation)}")

    def show_proposal(self, judgement: Judgement | None) -> None:
        if judgement is None and any(b.hasFocus() for b in self.decision_buttons.values()):
            self.setFocus()  # not handed on down the tab order to the reply box when the buttons go grey
        for widget in self.decision_buttons.values():
            widget.setEnabled(judgement is not None)
        if judgement is not None:
            self._show_judgement(judgement)
            # The keys 1/2/3 and the arrows must reach the shortcuts, not the reply box; a note being
            # typed keeps the focus (its words are not decisions): Enter or Escape hands the keys back.
            if not self._typing_a_note():
                self.decision_buttons["proposed"].setFocus()
            return
        self.branch_buttons.clear()
        self.intent_chip.setVisible(False)
        self.figures.setText("Waiting for a reply. The proposed judgement shows here before the branch is "
                             "taken; accept it or override it with one key.")
        clear_layout(self.details)
        self.details.addStretch(1)

    def add_turn(self, turn: TurnRecord) -> None:
        self.turns.addItem(_turn_text(turn))
        self.turns.scrollToBottom()
        if not self.turn_note.hasFocus():  # a note being typed stays on its turn
            self.turns.setCurrentRow(turn.index)  # the note box follows: a note on the turn just taken

    def set_phase(self, phase: str) -> None:
        scenario = self.presenter.scenario
        name = scenario.customer.first_name if scenario else "The customer"
        trainee = self.presenter.trainee or "The trainee"
        self.phase.setText(PHASE_TEXT.get(phase, "").format(name=name, trainee=trainee))
        running = phase not in ("idle", "ended")
        accepting = phase in ("your_turn", "speaking")
        self.reply_box.setEnabled(accepting)
        self.judge_button.setEnabled(accepting)
        self.pause_button.setEnabled(running)
        self.repeat_button.setEnabled(accepting)
        self.end_button.setEnabled(running)
        self.start_button.setText("Start again" if running or phase == "ended" else "Start")
        # The reply box is not handed the focus at the trainee's turn: P, R and N would type into it.
        # The trainer clicks into it (or Tab) to type a reply; Escape gives the keys back.
        focused = QApplication.focusWidget()
        if self.isActiveWindow() and (focused is None or not focused.isEnabled()):
            self.setFocus()

    def show_trainee(self, name: str) -> None:
        self.trainee_combo.blockSignals(True)
        if name and self.trainee_combo.findText(name) < 0:
            self.trainee_combo.addItem(name)
        self.trainee_combo.setCurrentText(name)
        self.trainee_combo.blockSignals(False)
        self.reply_heading.setText(f"What did {name} say?" if name else "The reply")
        self.set_phase(self.presenter.phase)

    def show_roster(self, names: list[str]) -> None:
        self.trainee_combo.blockSignals(True)
        self.trainee_combo.clear()
        self.trainee_combo.addItems(names)
        self.trainee_combo.setCurrentText(self.presenter.trainee)
        self.trainee_combo.blockSignals(False)
        self.next_button.setEnabled(len(names) > 1)

    def set_paused(self, paused: bool) -> None:
        self.pause_button.setText("Carry on (P)" if paused else "Pause (P)")
        self.pause_button.setObjectName("primary" if paused else "")
        restyle(self.pause_button)

    def show_ending(self, outcome: str) -> None:
        runner = self.presenter.runner
        self.debrief_button.setVisible(self.presenter.record is not None and runner is not None
                                       and bool(runner.state.turns))

    def show_notice(self, text: str, kind: str) -> None:
        self.notice.set_kind(kind)
        self.notice.set_text("", text)
        self.notice.setVisible(True)

    # -- widget slots ----------------------------------------------------------------------------
    def _on_class_combo_current_text_changed(self, text: str) -> None:
        self.presenter.set_class(None if text in ("", NO_CLASS) else text)

    def _on_new_class_clicked(self) -> None:
        name = dialogs.ask_text(self, "New class", "The class's name:")
        if name:
            self.presenter.add_class(name)
            self.refresh_classes(select=name)

    def _on_trainee_combo_activated(self, index: int) -> None:
        self.presenter.set_trainee(self.trainee_combo.itemText(index))

    def _on_rotate_toggled(self, checked: bool) -> None:
        self.presenter.rotate = checked

    def _on_add_name_clicked(self) -> None:
        try:
            self.presenter.add_trainee(self.add_name.text())
        except (OSError, ValueError) as exc:
            self.show_notice(f"The name was not added: {exc}", "danger")
            return
        self.add_name.clear()

    def _on_start_clicked(self) -> None:
        self.start()

    def _on_judge_clicked(self) -> None:
        if self.presenter.submit_text(self.reply_box.text()):
            self.reply_box.clear()

    def _on_turns_current_row_changed(self, row: int) -> None:
        self._note_turn(row)

    def _on_debrief_clicked(self) -> None:
        if self.presenter.record is not None:
            self.flush_notes()  # the debrief reads the notes from the records
            self.debrief_requested.emit(self.presenter.record.session_id)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.flush_notes()
        self.closed.emit()
        super().closeEvent(event)


def _turn_text(turn: TurnRecord) -> str:
    """A turn in "Turns so far": who said what, the decision, the agitation, and a mark when it has a note."""
    note = " ✎" if turn.trainer_note else ""
    return (f"{turn.index + 1}. {turn.trainee or 'Trainee'}: “{turn.reply}” — {DECISION_WORDS.get(turn.override, '')}, "
            f"agitation {turn.agitation_before:.0f} → {turn.agitation_after:.0f}{note}")


def _condition_text(when: Condition | None) -> str:
    """A branch's condition in a few words ("triggers calm_down, threat"; "otherwise")."""
    if when is None:
        return "otherwise"
    parts = []
    for name, value in when.model_dump(exclude_none=True).items():
        if value is True:  # a flag such as no_triggers: its name says it
            parts.append(name.replace("_", " "))
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{name.replace('_', ' ')} {shown}")
    return "; ".join(parts)
