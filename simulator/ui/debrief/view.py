"""The debrief screen: the score and its rubric, agitation over time, and every turn explained, with its recording.

The trainer's notes, on the session and on each turn, are shown and can be written here after the session;
each is saved while it is typed (NoteBox, conversation.Notes), as in classroom mode during it.

Signals (DebriefPage):
    shown(): a session was shown (again, after a correction).
    retry_requested(str, int): try again from a turn (session id, turn index).
    again_requested(str): play the scenario again from the start (scenario id).
    back_requested(): return to the library.
"""

from __future__ import annotations

import html
import logging
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from simulator.analysis.tone_text import LABEL_WORDS, describe
from simulator.conversation import Notes
from simulator.conversation.correction import MAX_CORRECTION, CannotCorrect, Corrections, was_spoken
from simulator.engine.model import Scenario
from simulator.engine.scoring import Score
from simulator.engine.session import TurnRecord
from simulator.engine.vocabulary import TECHNIQUES, TRIGGERS
from simulator.records.sessions import SessionRecord
from simulator.ui.common import (
    Page,
    button,
    chip,
    clear_layout,
    finding_row,
    fit_columns,
    label,
    notice_banner,
    scrolled_column,
)
from simulator.ui.context import AppContext
from simulator.ui.debrief.presenter import DebriefPresenter
from simulator.ui.heard import UNSURE_NOTE, marked, unsure_list
from simulator.ui.report_export import ReportExporter, export_buttons, show_export_result
from simulator.ui.theme import COLORS
from simulator.ui.widgets.chart import AgitationChart
from simulator.ui.widgets.note_box import NoteBox

log = logging.getLogger(__name__)

NO_SPEAKERS = "No speakers found: your recording can't be played on this computer. Plug in speakers or " \
              "headphones and press Play again."


def has_speakers() -> bool:
    """Whether Qt sees any audio output (no sound server or no device means none)."""
    from PySide6.QtMultimedia import QMediaDevices

    return not QMediaDevices.defaultAudioOutput().isNull() or bool(QMediaDevices.audioOutputs())


def describe_tone(turn: TurnRecord) -> str:
    """How a reply sounded, in one sentence (rich text, the label in bold), measured against the
    calibration it was judged by.

    That recording is the station's: in a classroom turn (one that names who answered) it is not that
    trainee's own voice, so it is not called theirs.
    """
    tone = turn.judgement.tone
    if tone is None:
        return "Typed reply: tone of voice was not assessed."
    sentence = html.escape(describe(tone, whose="the Microphone check's" if turn.trainee else "your"), quote=False)
    word = html.escape(LABEL_WORDS.get(tone.label, tone.label), quote=False)
    return sentence.replace(f"Sounded {word}", f"Sounded <b>{word}</b>", 1)


class RubricPanel(QFrame):
    """The overall score and, under it, each behaviour's points and why."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("panel")
        self.col = QVBoxLayout(self)
        self.col.setContentsMargins(20, 16, 20, 16)
        self.col.setSpacing(8)

    def show_score(self, score: Score) -> None:
        clear_layout(self.col)
        head = QHBoxLayout()
        self.total = label(f"{score.total:.0f}", "score")
        self.total.setAccessibleName(f"Score {score.total:.0f} out of 100")
        head.addWidget(self.total)
        side = QVBoxLayout()
        side.setSpacing(0)
        side.addWidget(label("out of 100", "muted"))
        side.addWidget(label(score.grade, "h2"))
        head.addLayout(side)
        head.addStretch(1)
        self.col.addLayout(head)
        self.note: QLabel | None = None
        if score.note:
            self.note = label(score.note, "small", wrap=True)
            self.col.addWidget(self.note)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        row = 0
        for item in score.lines:
            name = label(item.behaviour, "h3")
            grid.addWidget(name, row, 0)
            if item.measured:
                bar = QProgressBar()
                bar.setRange(0, 100)
                bar.setValue(round(100 * item.points / item.max_points) if item.max_points else 0)
                bar.setTextVisible(False)
                bar.setAccessibleName(f"{item.behaviour}: {item.points:g} of {item.max_points:g}")
                grid.addWidget(bar, row, 1)
                grid.addWidget(label(f"{item.points:g} / {item.max_points:g}", "small"), row, 2)
            else:
                grid.addWidget(label("not measured", "small"), row, 1, 1, 2)
            detail = label(item.detail, "small", wrap=True)
            grid.addWidget(detail, row + 1, 0, 1, 3)
            row += 2
        grid.setColumnStretch(1, 1)
        self.col.addLayout(grid)


class TurnCard(QFrame):
    """One exchange explained: the words, the sound, what was found and what would have worked.

    A spoken reply shows the words the recogniser was unsure of, and can be corrected: the card then
    shows it as heard and as corrected, and explains the corrected judgement (the one the score
    counts, engine/scoring.py), saying how it was judged as heard.
    """

    def __init__(self, turn: TurnRecord, scenario: Scenario, parent: QWidget | None = None):
        super().__init__(parent)
        self.turn = turn
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        col = QVBoxLayout(self)
        col.setContentsMargins(20, 16, 20, 16)
        col.setSpacing(8)
        j = turn.assessed

        head = QHBoxLayout()
        head.addWidget(label(f"Turn {turn.index + 1}", "h2"))
        delta = turn.agitation_after - turn.agitation_before
        arrow = "▲" if delta > 0 else ("▼" if delta < 0 else "■")
        # Wraps, taking the row's spare width: at 200% text on 1280x720 one line ran past the window.
        change = label(f"agitation {turn.agitation_before:.0f} → {turn.agitation_after:.0f}  {arrow} {abs(delta):.0f}",
                       "h3", wrap=True)
        tint = COLORS["danger"] if delta > 0 else COLORS["success"] if delta < 0 else COLORS["muted"]
        change.setStyleSheet(f"color: {tint};")
        head.addWidget(change, 1)
        intent = INTENT_NAMES[j.intent]
        self.intent_chip = chip(intent[0], intent[1])
        head.addWidget(self.intent_chip)
        col.addLayout(head)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.addWidget(label(f"{scenario.customer.first_name} said", "speaker"), 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(label(f"“{turn.customer_line}”", None, wrap=True), 0, 1)
        # A classroom turn names the trainee who answered it; a turn played alone names nobody (it is yours).
        who = turn.trainee
        corrected = turn.correction is not None
        self.speaker = label("Heard as" if corrected else f"{who} said" if who else "You said", "speaker",
                             wrap=bool(who))
        self.speaker.setTextFormat(Qt.TextFormat.PlainText)  # a name is never markup
        grid.addWidget(self.speaker, 1, 0, Qt.AlignmentFlag.AlignTop)
        you = QHBoxLayout()
        heard_text, unsure = marked(turn.reply, turn.heard)
        self.reply_label = label(f"“{heard_text}”", "h3", wrap=True)
        self.reply_label.setTextFormat(Qt.TextFormat.RichText)
        self.unsure = unsure_list(turn.reply, turn.heard)
        if self.unsure:
            self.reply_label.setAccessibleDescription("The recogniser was unsure of: " + ", ".join(self.unsure))
        you.addWidget(self.reply_label, 1)
        self.play: QPushButton | None = None
        if turn.audio_file and Path(turn.audio_file).is_file():
            whose = f"{who}'s" if who else "your"
            self.play = button("▶ Play", None, f"Hear {whose} reply")
            self.play.setAccessibleName(f"Play {whose} reply to turn {turn.index + 1}")
            you.addWidget(self.play, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(you, 1, 1)
        self.play_note = label("", "small", wrap=True)
        self.play_note.setVisible(False)
        grid.addWidget(self.play_note, 5, 1)
        self.unsure_note = label(UNSURE_NOTE, "small", wrap=True)
        self.unsure_note.setVisible(bool(unsure) and not corrected)
        grid.addWidget(self.unsure_note, 2, 1)
        self.corrected_label: QLabel | None = None
        if turn.correction is not None:
            grid.addWidget(label(f"{who} said" if who else "You said", "speaker"), 3, 0, Qt.AlignmentFlag.AlignTop)
            self.corrected_label = label(f"“{turn.correction.reply}”", "h3", wrap=True)
            self.corrected_label.setTextFormat(Qt.TextFormat.PlainText)
            grid.addWidget(self.corrected_label, 3, 1)
        grid.addWidget(label("How it sounded", "speaker"), 4, 0, Qt.AlignmentFlag.AlignTop)
        sound = label(describe_tone(turn), "small", wrap=True)
        sound.setTextFormat(Qt.TextFormat.RichText)
        grid.addWidget(sound, 4, 1)
        grid.setColumnStretch(1, 1)
        col.addLayout(grid)

        # Correcting a misheard reply: the trainee types what they said, and the turn is judged again.
        self.correct: QPushButton | None = None
        self.editor = QFrame()
        self.editor.setVisible(False)
        if was_spoken(turn):
            self.correct = button("Correct what was heard" if not corrected else "Correct again", "link",
                                  "Type what you actually said; the reply is judged again, kept beside what was heard")
            self.correct.setAccessibleName(f"Correct the transcript of turn {turn.index + 1}")
            self.correct.clicked.connect(self.open_editor)
            edit_col = QVBoxLayout(self.editor)
            edit_col.setContentsMargins(0, 0, 0, 0)
            edit_col.setSpacing(6)
            edit_col.addWidget(label("What did you actually say? The reply is judged again on these words, with "
                                     "the tone of your recording; the customer's reaction stays as it was, since "
                                     "they reacted to what was heard.", "small", wrap=True))
            self.correction_box = QLineEdit()
            self.correction_box.setAccessibleName(f"What you said in turn {turn.index + 1}")
            self.correction_box.setMaxLength(MAX_CORRECTION)
            edit_col.addWidget(self.correction_box)
            row = QHBoxLayout()
            self.correction_status = label("", "small", wrap=True)
            row.addWidget(self.correction_status, 1)
            self.cancel_correction = button("Cancel")
            self.cancel_correction.clicked.connect(self.close_editor)
            row.addWidget(self.cancel_correction)
            self.judge_again = button("Judge again", "primary")
            row.addWidget(self.judge_again)
            edit_col.addLayout(row)
            self.correction_box.returnPressed.connect(self.judge_again.click)
            col.addWidget(self.editor)
        if corrected:
            heard_j = turn.judgement
            verdict = INTENT_NAMES[heard_j.intent][0].lower()
            heard_found = [*(TECHNIQUES.get(f.name, f.name) for f in heard_j.techniques),
                           *(TRIGGERS.get(f.name, f.name) for f in heard_j.triggers)]
            self.correction_note = label(
                f"What follows is the judgement of your correction. As heard, this reply was judged {verdict}"
                + (f" ({', '.join(heard_found).lower()})" if heard_found else "")
                + "; the customer reacted to that, so the agitation and the branch taken stay as they were. "
                "Your score counts the corrected words.", "small", wrap=True)
            col.addWidget(self.correction_note)

        if j.techniques or j.triggers:
            found = QVBoxLayout()
            found.setSpacing(4)
            for finding in j.techniques:
                found.addWidget(finding_row(TECHNIQUES.get(finding.name, finding.name), finding.evidence, True))
            for finding in j.triggers:
                found.addWidget(finding_row(TRIGGERS.get(finding.name, finding.name), finding.evidence, False))
            col.addLayout(found)
        else:
            col.addWidget(label("No technique or trigger was found in these words.", "small"))
        # The judge's sentences that only quote a finding repeat the chips above; the rest explain.
        quoted = [f"'{f.evidence}'" for f in (*j.techniques, *j.triggers) if f.evidence]
        # The tone sentence is already under "How it sounded".
        sounded = {describe(j.tone), describe(j.tone, whose="the Microphone check's")} if j.tone else set()
        explanation = [s for s in j.explanation if not any(q in s for q in quoted) and s not in sounded]
        if explanation:
            why = label("<br>".join(f"• {html.escape(sentence)}" for sentence in explanation), None, wrap=True)
            why.setTextFormat(Qt.TextFormat.RichText)
            col.addWidget(why)

        node = scenario.nodes.get(turn.node_id)
        if node is not None and (node.model_answer or node.coach):
            box = QFrame()
            box.setObjectName("banner_info")
            inner = QVBoxLayout(box)
            inner.setContentsMargins(14, 10, 14, 10)
            inner.setSpacing(4)
            if node.model_answer:
                inner.addWidget(label("A reply that works here", "speaker"))
                inner.addWidget(label(f"“{node.model_answer}”", None, wrap=True))
            if node.coach:
                coach = label(node.coach, "small", wrap=True)
                inner.addWidget(coach)
            col.addWidget(box)

        # The trainer's note on this turn: shown when there is one, else a button opens the box.
        self.note_label = label("Trainer's note", "speaker")
        col.addWidget(self.note_label)
        self.note = NoteBox("A note on this turn, saved as you type", lines=2)
        self.note.setAccessibleName(f"Trainer's note on turn {turn.index + 1}")
        col.addWidget(self.note)
        # On a row of its own: beside "Try again" the two were wider than the page at 200% text.
        self.add_note = button("✎ Add a trainer's note", None, "Write a note on this turn; it is saved as you type")
        self.add_note.clicked.connect(self._on_add_note_clicked)
        col.addWidget(self.add_note, 0, Qt.AlignmentFlag.AlignLeft)
        foot = QHBoxLayout()
        if self.correct is not None:
            foot.addWidget(self.correct)
        foot.addStretch(1)
        self.retry = button("Try again from this turn", None,
                            "Go back to just before this reply and answer differently")
        foot.addWidget(self.retry)
        col.addLayout(foot)
        self._show_note(bool(turn.trainer_note))

    def _show_note(self, shown: bool) -> None:
        self.note_label.setVisible(shown)
        self.note.setVisible(shown)
        self.add_note.setVisible(not shown)

    def _on_add_note_clicked(self) -> None:
        self._show_note(True)
        self.note.setFocus()


    def open_editor(self) -> None:
        self.correction_box.setText(self.turn.correction.reply if self.turn.correction else self.turn.reply)
        self.correction_status.setText("")
        self.editor.setVisible(True)
        self.correction_box.setFocus()
        self.correction_box.selectAll()

    def close_editor(self) -> None:
        self.editor.setVisible(False)
        if self.correct is not None:
            self.correct.setFocus()

    def set_judging(self, judging: bool, message: str = "") -> None:
        self.correction_status.setText("Judging again…" if judging else message)
        for widget in (self.correction_box, self.judge_again, self.cancel_correction):
            widget.setEnabled(not judging)


INTENT_NAMES = {"deescalate": ("Calming", "chip_success"), "neutral": ("Neutral", "chipMuted"),
                "escalate": ("Inflaming", "chip_danger")}


class DebriefPage(Page):
    shown = Signal()
    retry_requested = Signal(str, int)
    again_requested = Signal(str)
    back_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = context
        self.presenter = DebriefPresenter(self, context)
        self.cards: list[TurnCard] = []
        # Corrected transcripts, judged on the task runner and saved at once (conversation/correction.py).
        self.corrections = Corrections(context.store, context.make_judge, context.tasks)
        self._player: Any = None
        self._audio: Any = None
        self._playing: QPushButton | None = None
        self._playing_card: TurnCard | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroller, _, col = scrolled_column(outer)

        # The title gets the full width (a long scenario name wraps); the actions sit in one row below it.
        self.heading = label("How it went", "h1", wrap=True)
        col.addWidget(self.heading)
        self.subheading = label("", "muted", wrap=True)
        col.addWidget(self.subheading)
        # One row, or two when large text makes the buttons wider than the window.
        self.action_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.action_row.setSpacing(10)
        reports = QHBoxLayout()
        reports.setSpacing(10)
        self.outcome = chip("")
        reports.addWidget(self.outcome, 0, Qt.AlignmentFlag.AlignVCenter)
        reports.addStretch(1)
        # Reports of this session, written off the GUI thread (see simulator/ui/history/view.py).
        self.exporter = ReportExporter(context, self)
        self.export_pdf, self.export_csv = export_buttons(
            self.exporter, self, "session", lambda: self.record.session_id if self.record else "", "this session")
        reports.addWidget(self.export_pdf)
        reports.addWidget(self.export_csv)
        self.action_row.addLayout(reports, 1)
        moves = QHBoxLayout()
        moves.setSpacing(10)
        moves.addStretch(1)
        self.back_button = button("Back to library")
        self.back_button.clicked.connect(self.back_requested)
        moves.addWidget(self.back_button)
        self.again_button = button("Play again", "primary")
        self.again_button.clicked.connect(self._on_again_clicked)
        moves.addWidget(self.again_button)
        self.action_row.addLayout(moves)
        col.addLayout(self.action_row)
        self.export_notice = notice_banner()
        col.addWidget(self.export_notice)
        show_export_result(self.export_notice, self.exporter, self)

        self.summary = label("", None, wrap=True)
        col.addWidget(self.summary)

        notes = QFrame()
        notes.setObjectName("panel")
        nc = QVBoxLayout(notes)
        nc.setContentsMargins(20, 12, 20, 12)
        nc.setSpacing(6)
        nc.addWidget(label("Trainer's note on the session", "h3"))
        self.session_note = NoteBox("A note on the whole session, saved as you type", lines=3)
        self.session_note.setAccessibleName("Trainer's note on the session")
        nc.addWidget(self.session_note)
        self.note_notice = notice_banner()
        nc.addWidget(self.note_notice)
        col.addWidget(notes)
        self.notes: Notes | None = None

        self.top = top = QHBoxLayout()
        top.setSpacing(16)
        self.rubric = RubricPanel()
        top.addWidget(self.rubric, 5)
        chart_panel = QFrame()
        chart_panel.setObjectName("panel")
        cp = QVBoxLayout(chart_panel)
        cp.setContentsMargins(20, 16, 20, 16)
        cp.addWidget(label("The customer's agitation", "h3"))
        cp.addWidget(label("Lower is calmer. Click a point to jump to that turn.", "small"))
        self.chart = AgitationChart()
        self.chart.turn_clicked.connect(self._on_chart_turn_clicked)
        cp.addWidget(self.chart, 1)
        top.addWidget(chart_panel, 6)
        col.addLayout(top)

        col.addWidget(label("Turn by turn", "h2"))
        self.turns = QVBoxLayout()
        self.turns.setSpacing(12)
        col.addLayout(self.turns)
        self.no_turns = label("No exchanges were saved in this session.", "muted")
        col.addWidget(self.no_turns)
        col.addStretch(1)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._fit()

    def _fit(self) -> None:
        # Score and chart side by side when both fit, else the chart below (large text on a small screen).
        fit_columns(self.top, self.scroller.viewport().width() - 72)
        fit_columns(self.action_row, self.scroller.viewport().width() - 72)

    # -- the presenter's state, as the window and tests read it ----------------------------------
    @property
    def record(self) -> SessionRecord | None:
        return self.presenter.record

    @property
    def scenario(self) -> Scenario | None:
        return self.presenter.scenario

    @property
    def score(self) -> Score | None:
        return self.presenter.score

    def show_record(self, record: SessionRecord, scenario: Scenario, keep_place: bool = False) -> None:
        """Show a session; `keep_place` keeps the scroll position (after a turn was corrected)."""
        self.presenter.show_record(record, scenario, keep_place)

    # -- the view (DebriefView) ------------------------------------------------------------------
    def stop_playback(self) -> None:
        self._stop_playback()

    def show_notes(self, record: SessionRecord) -> None:
        """The trainer's note on the session, saved as it is typed (a note typed on the session shown
        before is saved with that one first: `flush_notes`)."""
        self.flush_notes()
        self.notes = Notes(self.ctx.store, record, resave=False)  # read from the records: never re-create it
        self.note_notice.setVisible(False)
        self.session_note.bind(lambda text: self._save_note(text, None), record.trainer_note)

    def show_heading(self, title: str, subtitle: str, outcome: str, outcome_kind: str, summary: str) -> None:
        self.heading.setText(title)
        self.subheading.setText(subtitle)
        self.outcome.setText(outcome)
        self.outcome.setObjectName(outcome_kind)
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        self.summary.setText(summary)
        self.summary.setVisible(bool(self.summary.text()))

    def show_score(self, score: Score) -> None:
        self.rubric.show_score(score)

    def show_agitation(self, start: float, after_each_turn: list[float]) -> None:
        self.chart.set_values(start, after_each_turn)

    def show_turns(self, turns: list[TurnRecord], scenario: Scenario, keep_place: bool = False) -> None:
        place = self.scroller.verticalScrollBar().value()
        clear_layout(self.turns)
        self.cards = []
        for turn in turns:
            card = TurnCard(turn, scenario)
            card.retry.clicked.connect(lambda _=False, i=turn.index: self._on_retry_clicked(i))
            card.note.bind(partial(self._save_note, turn=turn.index), turn.trainer_note)
            if card.play is not None:
                card.play.clicked.connect(lambda _=False, c=card: self._on_play_clicked(c))
            if card.correct is not None:
                card.judge_again.clicked.connect(lambda _=False, c=card: self._on_judge_again_clicked(c))
            self.turns.addWidget(card)
            self.cards.append(card)
        self.no_turns.setVisible(not turns)
        self._fit()
        if keep_place:
            bar = self.scroller.verticalScrollBar()
            bar.setValue(place)
            # Once the new cards are laid out (the bar's range follows), where the trainee was.
            QTimer.singleShot(0, self, lambda: bar.setValue(place))
        else:
            self.scroller.verticalScrollBar().setValue(0)
            self.again_button.setFocus()
        self.shown.emit()

    # -- the trainer's notes ---------------------------------------------------------------------
    def _save_note(self, text: str, turn: int | None) -> bool:
        if self.notes is None:
            return False
        try:
            self.notes.note(text, turn)
        except OSError as exc:
            log.warning("saving a trainer's note failed: %s", exc)
            self.note_notice.set_kind("danger")
            self.note_notice.set_text("", f"The note could not be saved ({exc}). It is kept here and saved "
                                          "again as you go on typing or leave the box.")
            self.note_notice.setVisible(True)
            return False
        self.note_notice.setVisible(False)
        return True

    def flush_notes(self) -> None:
        """Save what was typed in the note boxes now."""
        self.session_note.flush()
        for card in self.cards:
            card.note.flush()

    # -- playback --------------------------------------------------------------------------------
    def _ensure_player(self) -> bool:
        if self._player is not None:
            return True
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        except ImportError:
            return False
        self._audio = QAudioOutput(self)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._audio)
        self._player.playbackStateChanged.connect(self._on_player_playback_state_changed)
        self._player.errorOccurred.connect(self._on_player_error_occurred)
        return True

    def _on_play_clicked(self, card: TurnCard) -> None:
        if card.play is self._playing:
            self._stop_playback()
            return
        self._stop_playback()
        if not self._ensure_player() or not card.turn.audio_file:
            return
        if not has_speakers():
            card.play_note.setText(NO_SPEAKERS)
            card.play_note.setVisible(True)
            return
        card.play_note.setVisible(False)
        self._choose_output()
        self._playing = card.play
        self._playing_card = card
        self._player.setSource(QUrl.fromLocalFile(card.turn.audio_file))
        self._player.play()
        if card.play is not None:
            card.play.setText("■ Stop")

    def _choose_output(self) -> None:
        """Play through the speaker chosen in Settings when it is connected, else the default."""
        from PySide6.QtMultimedia import QMediaDevices

        chosen = self.ctx.settings.output_device
        for device in QMediaDevices.audioOutputs():
            if chosen and bytes(device.id().data()).decode(errors="replace") == chosen:
                self._audio.setDevice(device)
                return
        self._audio.setDevice(QMediaDevices.defaultAudioOutput())

    def _on_player_error_occurred(self, error, message: str) -> None:
        card = self._playing_card
        log.warning("playing a recording failed: %s", message)
        self._stop_playback()
        if card is not None:
            card.play_note.setText(f"The recording couldn't be played ({message or error}).")
            card.play_note.setVisible(True)

    def _stop_playback(self) -> None:
        if self._player is not None:
            self._player.stop()
        if self._playing is not None:
            self._playing.setText("▶ Play")
        self._playing = None
        self._playing_card = None

    def _on_player_playback_state_changed(self, state) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if state == QMediaPlayer.PlaybackState.StoppedState and self._playing is not None:
            self._playing.setText("▶ Play")
            self._playing = None

    def hideEvent(self, event) -> None:  # noqa: N802
        self._stop_playback()
        self.flush_notes()
        super().hideEvent(event)

    # -- slots -----------------------------------------------------------------------------------
    def _on_chart_turn_clicked(self, index: int) -> None:
        if 0 <= index < len(self.cards):
            self.chart.set_highlight(index)
            self.scroller.ensureWidgetVisible(self.cards[index], 0, 40)

    def _on_judge_again_clicked(self, card: TurnCard) -> None:
        if self.record is None or self.scenario is None:
            return
        record, scenario, index = self.record, self.scenario, card.turn.index
        self.corrections.store = self.ctx.store  # Settings may have opened another records database
        answered: list[bool] = []  # a synchronous runner (tests) answers before `correct` returns

        def done(saved: SessionRecord, _turn: TurnRecord) -> None:
            answered.append(True)
            self._on_corrected(saved, scenario, index)

        def failed(exc: BaseException) -> None:
            answered.append(True)
            self._on_correction_failed(record, index, exc)

        try:
            self.corrections.correct(record, index, card.correction_box.text(), scenario.customer.name,
                                     on_done=done, on_error=failed)
        except CannotCorrect as exc:
            card.set_judging(False, str(exc))
            return
        if not answered:
            card.set_judging(True)

    def _on_corrected(self, saved: SessionRecord, scenario: Scenario, index: int) -> None:
        if self.record is None or self.record.session_id != saved.session_id:
            return  # the trainee moved on to another session; the correction is saved all the same
        self.show_record(saved, scenario, keep_place=True)
        card = self.cards[index]
        if card.correct is not None:
            card.correct.setFocus()  # where the keyboard was, on the card just corrected

    def _on_correction_failed(self, record: SessionRecord, index: int, exc: BaseException) -> None:
        log.warning("correcting turn %d failed: %s", index + 1, exc)
        if self.record is not record or index >= len(self.cards):
            return
        reason = str(exc) if isinstance(exc, (CannotCorrect, OSError)) else "the judge failed"
        self.cards[index].set_judging(False, f"Not saved: {reason}. What was heard is kept.")

    def _on_retry_clicked(self, index: int) -> None:
        if self.record is not None:
            self.retry_requested.emit(self.record.session_id, index)

    def _on_again_clicked(self) -> None:
        if self.record is not None:
            self.again_requested.emit(self.record.state.scenario_id)
