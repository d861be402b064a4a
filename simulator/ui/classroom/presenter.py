"""Classroom mode: the session's logic (ClassroomPresenter), the projector view, and placing both windows on the screens.

One scenario is played in front of a class. Trainees take turns to answer the customer; the
trainer types (or corrects) what was said, sees the judgement the software proposes, and takes
the branch with one key: calmer, as proposed, or escalate. Every override and every turn's
trainee is saved with the session (TurnRecord.override, TurnRecord.trainee).

The presenter knows no widgets: the projector (ProjectorWindow, below) and the trainer's window
(simulator/ui/classroom/trainer.py) subscribe to its signals, so tests drive it directly. The session
(judging, dropping a stale judgement, the override recorded with the turn, saving) is a
`Conversation` (simulator/conversation), as on the trainee's own conversation page.
"""

from __future__ import annotations

import enum
import html
import logging
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from simulator.conversation import Conversation, Saved
from simulator.conversation.steering import Steering, steering
from simulator.devices.contracts import VoiceOutput
from simulator.engine.judgement import Judgement, Reply
from simulator.engine.model import Scenario
from simulator.engine.session import CustomerLine, Override, Runner, SessionState, TurnRecord
from simulator.records.roster import UnknownClass
from simulator.records.sessions import SessionRecord
from simulator.ui.common import label, restyle
from simulator.ui.context import AppContext
from simulator.ui.theme import COLORS, OUTCOME_TEXT
from simulator.ui.widgets.fit_label import FitLabel
from simulator.ui.widgets.meter import AgitationMeter
from simulator.ui.widgets.portrait import Portrait

log = logging.getLogger(__name__)

Decision = Literal["calmer", "proposed", "escalate"]
OVERRIDES: dict[str, Override | None] = {"calmer": "calmer", "proposed": None, "escalate": "escalate"}

# The trainer's keys, on both windows: one key per decision, and the customer's controls.
DECISION_KEYS: dict[str, tuple[str, ...]] = {
    "calmer": ("1", "Left"),
    "proposed": ("2", "Down"),
    "escalate": ("3", "Right"),
}
PAUSE_KEYS = ("P",)
REPEAT_KEYS = ("R",)
NEXT_TRAINEE_KEYS = ("N",)


class Phase(enum.StrEnum):
    """Where a classroom session is (phase_changed carries it)."""

    IDLE = "idle"
    SPEAKING = "speaking"  # the customer is speaking
    YOUR_TURN = "your_turn"
    JUDGING = "judging"  # a reply is being judged
    DECIDING = "deciding"  # the trainer decides on the proposed judgement
    ENDED = "ended"


class ClassroomPresenter(QObject):
    """Drives a classroom session through its `Phase`s.

    Signals:
        started(object): a new (or resumed) session began, before its first line (the Scenario).
        line_shown(object, bool): the customer's current line (a CustomerLine) and whether to animate.
        reply_shown(str, str): a trainee's reply as it goes for judging (trainee name, text).
        proposed(object): the Judgement proposed for the pending reply; None once it is decided.
        decided(object): the TurnRecord of a turn just taken (its override and trainee included).
        phase_changed(str): the new phase.
        trainee_changed(str): the trainee answering now ("" when nobody is chosen).
        roster_changed(object): the class's trainee names (a list of str), after a class or name change.
        paused_changed(bool): the customer was paused (True) or carries on (False).
        ended(str): the conversation is over; the outcome ("" when the trainer ended it early).
        notice(str, str): something the trainer should read (text, kind: info/warning/danger).
    """

    started = Signal(object)
    line_shown = Signal(object, bool)
    reply_shown = Signal(str, str)
    proposed = Signal(object)
    decided = Signal(object)
    phase_changed = Signal(str)
    trainee_changed = Signal(str)
    roster_changed = Signal(object)
    paused_changed = Signal(bool)
    ended = Signal(str)
    notice = Signal(str, str)

    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = context
        self.conversation: Conversation | None = None
        self.class_name: str | None = None
        self.roster: list[str] = []
        self.trainee = ""
        self.rotate = True  # after each turn the next trainee on the roster answers
        self.pending: tuple[Reply, Judgement] | None = None
        self.phase = Phase.IDLE
        self.paused = False
        self.busy = False
        self._voice: VoiceOutput | None = None
        voice: VoiceOutput | None = context.devices.voice
        if voice is not None:
            voice.started.connect(self._on_voice_started)
            voice.finished.connect(self._on_voice_finished)
            voice.failed.connect(self._on_voice_failed)
            self._voice = voice

    # -- the class -------------------------------------------------------------------------------
    def classes(self) -> list[str]:
        return self.ctx.store.classes()

    def set_class(self, name: str | None) -> None:
        """Take the roster of class `name` (None: no class); the first trainee on it answers first."""
        self.class_name = name or None
        try:
            self.roster = [t.name for t in self.ctx.store.trainees(name)] if name else []
        except UnknownClass:
            self.roster = []
        self.roster_changed.emit(list(self.roster))
        self.set_trainee(self.roster[0] if self.roster else "")

    def add_class(self, name: str) -> None:
        name = name.strip()
        if not name:
            return
        self.ctx.store.add_class(name)
        self.set_class(name)

    def add_trainee(self, name: str) -> None:
        """Put `name` on the current class's roster (creating the trainee if new)."""
        name = " ".join(name.split())
        if not name:
            return
        self.ctx.store.add_trainee(name, self.class_name)
        if name not in self.roster:
            self.roster = sorted([*self.roster, name])
        self.roster_changed.emit(list(self.roster))
        if not self.trainee:
            self.set_trainee(name)

    def set_trainee(self, name: str) -> None:
        if name and name not in self.roster:
            self.ctx.store.add_trainee(name, self.class_name)
            self.roster = sorted([*self.roster, name])
            self.roster_changed.emit(list(self.roster))
        self.trainee = name
        self.trainee_changed.emit(name)

    def next_trainee(self) -> None:
        if not self.roster:
            return
        index = self.roster.index(self.trainee) + 1 if self.trainee in self.roster else 0
        self.set_trainee(self.roster[index % len(self.roster)])

    # -- the session -----------------------------------------------------------------------------
    def start(self, scenario: Scenario, state: SessionState | None = None) -> None:
        """A new (or resumed) session of `scenario`; the customer speaks first."""
        self._stop_voice()
        baseline = Path(self.ctx.settings.baseline_wav) if self.ctx.settings.baseline_wav else None
        judge = self.ctx.make_judge()
        if self.conversation is not None:
            self.conversation.discard()  # a reply of the old session still being judged is dropped
        self.conversation = Conversation(scenario, lambda: judge, self.ctx.store, state=state,
                                         baseline_audio=baseline, class_name=self.class_name or "",
                                         on_saved=self._on_saved)
        self.pending = None
        self.busy = False
        self._set_paused(False)
        self.proposed.emit(None)
        self.started.emit(scenario)
        self._present(self.conversation.current_line, animate=False)

    @property
    def runner(self) -> Runner | None:
        return self.conversation.runner if self.conversation else None

    @property
    def record(self) -> SessionRecord | None:
        return self.conversation.record if self.conversation else None

    @property
    def scenario(self) -> Scenario | None:
        return self.runner.scenario if self.runner else None

    def _present(self, line: CustomerLine, animate: bool = True) -> None:
        self.line_shown.emit(line, animate)
        if line.is_ending:
            self._end()
            return
        if not self._speak(line):
            self._set_phase(Phase.YOUR_TURN)

    def _speak(self, line: CustomerLine) -> bool:
        voice = self.voice
        if voice is None or self.runner is None:
            return False
        try:
            voice.speak(f"classroom/{self.runner.scenario.id}/{line.node_id}", line.text,
                        self.runner.scenario.customer.voice, line.agitation)
        except Exception:
            log.exception("speaking a line failed")
            return False
        self._set_phase(Phase.SPEAKING)
        return True

    @property
    def voice(self) -> VoiceOutput | None:
        devices = self.ctx.devices
        return devices.voice if self.ctx.settings.voice_enabled and devices.can_speak else None

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.phase_changed.emit(phase)

    def accepts_reply(self) -> bool:
        return (self.runner is not None and not self.runner.ended and self.pending is None and not self.busy
                and self.phase in (Phase.YOUR_TURN, Phase.SPEAKING))

    def submit_text(self, text: str, audio_path: Path | None = None) -> bool:
        """The active trainee's reply (typed by the trainer, or heard): judged, then proposed."""
        text = " ".join(text.split())
        if not text:
            self.notice.emit("Type what the trainee said, then press Enter.", "info")
            return False
        if not self.accepts_reply():
            return False
        assert self.conversation is not None
        if not self.trainee and self.roster:
            self.notice.emit("Choose who is answering first.", "warning")
            return False
        self._stop_voice()
        reply = Reply(text, audio_path=audio_path)
        self.busy = True
        self.reply_shown.emit(self.trainee, text)
        self._set_phase(Phase.JUDGING)
        # A new session started while this reply is judged drops its judgement (Conversation.judge).
        self.conversation.judge(reply, self.ctx.tasks, on_done=lambda _, judgement: self._on_judged(reply, judgement),
                                on_error=self._on_judge_failed, on_dropped=self._on_judgement_dropped)
        return True

    def _on_judgement_dropped(self) -> None:
        self.busy = False

    def _on_judged(self, reply: Reply, judgement: Judgement) -> None:
        self.busy = False
        self.pending = (reply, judgement)
        self._set_phase(Phase.DECIDING)
        self.proposed.emit(judgement)

    def _on_judge_failed(self, exc: BaseException) -> None:
        log.error("judging a reply failed", exc_info=exc)
        self.busy = False
        self.notice.emit(f"That reply couldn't be assessed ({exc}). Type it again.", "danger")
        self._set_phase(Phase.YOUR_TURN)

    def steering(self) -> Steering | None:
        """Where each decision on the pending reply leads, and what it applies (None: no reply pending)."""
        if self.pending is None or self.runner is None:
            return None
        return steering(self.runner, *self.pending)

    def decide(self, decision: Decision) -> TurnRecord | None:
        """Take the branch: as proposed, or the trainer's override (calmer / escalate). Saved at once."""
        if decision not in OVERRIDES:
            return None
        return self._take(OVERRIDES[decision], None)

    def take_branch(self, index: int) -> TurnRecord | None:
        """Take the current node's branch `index`, whichever the judgement would lead to. Saved at once."""
        runner = self.runner
        if runner is None or runner.ended or not 0 <= index < len(runner.scenario.nodes[runner.state.node_id].branches):
            return None
        return self._take("branch", index)

    def _take(self, override: Override | None, branch: int | None) -> TurnRecord | None:
        conversation = self.conversation
        if self.pending is None or conversation is None:
            return None
        reply, judgement = self.pending
        self.pending = None
        turn = conversation.apply(reply, judgement, override=override, trainee=self.trainee or None, branch=branch)
        self.proposed.emit(None)
        self.decided.emit(turn)
        if self.rotate and not conversation.ended:
            self.next_trainee()
        if self.paused and not conversation.ended:
            self._set_phase(Phase.YOUR_TURN)
            return turn
        self._present(conversation.current_line)
        return turn

    def _end(self) -> None:
        assert self.conversation is not None
        self._set_phase(Phase.ENDED)
        self.conversation.close()
        self.ended.emit(self.conversation.runner.outcome or "")
        if self.voice is not None:
            self._speak(self.conversation.current_line)
            self.phase = Phase.ENDED

    def end_now(self) -> None:
        """The trainer stops the session here (it is saved and closed)."""
        if self.conversation is None or self.phase in (Phase.IDLE, Phase.ENDED):
            return
        self._stop_voice()
        self.pending = None
        self.proposed.emit(None)
        self.conversation.close()
        self._set_phase(Phase.ENDED)
        self.ended.emit("")

    def note(self, text: str, turn: int | None = None, conversation: Conversation | None = None) -> bool:
        """The trainer's note on the session (`turn` None) or on a turn of it, saved at once (Conversation.note).

        `conversation`: the session the note was typed for (default the current one), so a note finished
        after "Start again" still lands on its own session. False when it could not be saved: it is kept
        and saved with the next save, and the trainer is told (`notice`).
        """
        conversation = conversation or self.conversation
        if conversation is None:
            return False
        return conversation.note(text, turn) is not Saved.FAILED

    def _on_saved(self, saved: Saved, exc: OSError | None) -> None:
        if saved is Saved.FAILED:
            self.notice.emit(f"The session could not be saved: {exc}", "danger")
        elif saved is Saved.KEPT_LOCALLY:
            self.notice.emit(f"Kept on this computer: {exc}", "info")

    # -- the customer's controls -----------------------------------------------------------------
    def toggle_pause(self) -> None:
        if self.paused:
            self.resume()
        else:
            self.pause()

    def pause(self) -> None:
        """The customer stops talking and waits (the trainer can still decide a pending reply)."""
        if self.paused or self.runner is None or self.phase in (Phase.IDLE, Phase.ENDED):
            return
        self._stop_voice()
        if self.phase == Phase.SPEAKING:
            self._set_phase(Phase.YOUR_TURN)
        self._set_paused(True)

    def resume(self) -> None:
        if not self.paused or self.runner is None:
            return
        self._set_paused(False)
        if self.phase == Phase.YOUR_TURN and not self.runner.ended:
            # Carry on where they were: the customer says their line again.
            self._present(self.runner.current_line, animate=False)

    def repeat(self) -> None:
        """The customer says their line again (Runner.repeat: counted, no turn taken)."""
        if self.conversation is None or self.conversation.ended or self.phase not in (Phase.YOUR_TURN, Phase.SPEAKING):
            return
        self._stop_voice()
        line = self.conversation.repeat(save=True)
        self._set_paused(False)
        self._present(line, animate=False)

    def _set_paused(self, paused: bool) -> None:
        if paused != self.paused:
            self.paused = paused
            self.paused_changed.emit(paused)

    # -- voice -----------------------------------------------------------------------------------
    def _stop_voice(self) -> None:
        voice = self.ctx.devices.voice
        if voice is not None and self.phase == Phase.SPEAKING:
            try:
                voice.stop()
            except Exception:
                log.exception("stopping the voice failed")

    def _on_voice_started(self, line_id: str) -> None:
        pass  # the phase was set when the line was sent

    def _on_voice_finished(self, line_id: str) -> None:
        if str(line_id).startswith("classroom/") and self.phase == Phase.SPEAKING and not self.paused:
            self._set_phase(Phase.YOUR_TURN)

    def _on_voice_failed(self, message: str) -> None:
        if self.phase == Phase.SPEAKING:
            self.notice.emit(f"{message.rstrip('.')}. The subtitles are on the projector.", "warning")
            self._set_phase(Phase.YOUR_TURN)

    def close(self) -> None:
        """Stop following the shared voice (the windows are closing)."""
        self._stop_voice()
        if self._voice is not None:
            for signal, slot in ((self._voice.started, self._on_voice_started),
                                 (self._voice.finished, self._on_voice_finished),
                                 (self._voice.failed, self._on_voice_failed)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
            self._voice = None


def add_trainer_keys(window: QWidget, presenter: ClassroomPresenter) -> list[QShortcut]:
    """The trainer's one-key controls on `window` (both windows get them, so either may have the focus)."""
    made: list[QShortcut] = []

    def add(keys: tuple[str, ...], slot) -> None:
        for key in keys:
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            made.append(shortcut)

    for decision, keys in DECISION_KEYS.items():
        add(keys, lambda d=decision: presenter.decide(d))
    add(PAUSE_KEYS, presenter.toggle_pause)
    add(REPEAT_KEYS, presenter.repeat)
    add(NEXT_TRAINEE_KEYS, presenter.next_trainee)
    return made


# The room a window manager's title bar and borders take around a window (resize sets the inside, move the outside).
_FRAME = (8, 36)
# Below this width the customer's line on the projector view is too small to read across a room.
MIN_PROJECTOR_WIDTH = 480


def place_windows(projector: QWidget, trainer: QWidget, screens: list[QScreen] | None = None,
                  primary: QScreen | None = None) -> bool:
    """Projector full-screen on a second screen and the trainer on the primary; side by side, the screen's
    full height, when there is one screen. Returns True when a second screen was used."""
    screens = list(screens if screens is not None else QGuiApplication.screens())
    primary = primary or QGuiApplication.primaryScreen()
    others = [s for s in screens if s is not primary]
    if others:
        second = others[0]
        projector.setScreen(second)
        projector.setGeometry(second.geometry())
        projector.showFullScreen()
        if primary is not None:
            area = primary.availableGeometry()
            trainer.setScreen(primary)
            # Its usual size, but never taller or wider than the laptop's screen (1180x780 ran off 1280x720).
            trainer.resize(min(trainer.width(), area.width() - _FRAME[0]), min(trainer.height(), area.height() - _FRAME[1]))
            trainer.move(area.topLeft())
        trainer.show()
        trainer.raise_()
        trainer.activateWindow()
        return True
    # One screen: the projector view on the left, the trainer's window beside it on the right, both the
    # screen's full height. The trainer's window keeps the room it needs; the projector view takes the rest
    # (never less than a readable MIN_PROJECTOR_WIDTH), and its type fits whatever size it gets.
    area = primary.availableGeometry() if primary is not None else QRect(0, 0, 1600, 900)
    frame_w, frame_h = _FRAME
    height = area.height() - frame_h
    trainer_width = min(area.width() - frame_w, max(trainer.minimumSizeHint().width(), round(area.width() * 0.42)))
    width = max(MIN_PROJECTOR_WIDTH, area.width() - trainer_width - 2 * frame_w)
    projector.resize(width, height)
    projector.move(area.topLeft())
    projector.show()
    trainer.resize(trainer_width, height)
    trainer.move(max(area.left(), area.right() + 1 - trainer_width - frame_w), area.top())
    trainer.show()
    trainer.raise_()
    trainer.activateWindow()
    return False


INTENT_WORDS = {"deescalate": "calming", "neutral": "neutral", "escalate": "inflaming"}


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

        presenter.started.connect(self._on_presenter_started)
        presenter.line_shown.connect(self._on_presenter_line_shown)
        presenter.reply_shown.connect(self._on_presenter_reply_shown)
        presenter.trainee_changed.connect(self._on_presenter_trainee_changed)
        presenter.paused_changed.connect(self._on_presenter_paused_changed)
        presenter.ended.connect(self._on_presenter_ended)
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

    def _on_presenter_started(self, scenario: Scenario) -> None:
        """A new session: nothing of the last one stays up (its last reply, its ending, a stage direction)."""
        self.reply.setText("")
        self.subtitle.setText("")
        self.direction.setVisible(False)
        self.outcome.setVisible(False)
        self.paused_tag.setVisible(False)
        self.answering.setVisible(bool(self.presenter.trainee))  # hidden at the last session's ending

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


def intent_text(judgement: Judgement) -> str:
    return INTENT_WORDS.get(judgement.intent, judgement.intent)


OVERRIDE_WORDS = {"calmer": "calmer", "escalate": "escalate", "branch": "branch chosen"}


def classroom_note(turn: TurnRecord) -> str:
    """Who answered a classroom turn and what the trainer decided ("" for a turn played alone)."""
    parts = []
    if turn.trainee:
        parts.append(f"Answered by <b>{html.escape(turn.trainee)}</b>")
    if turn.override:
        parts.append(f"<b>Trainer override: {OVERRIDE_WORDS.get(turn.override, turn.override)}</b> "
                     f"(the software proposed {intent_text(turn.judgement)})")
    elif turn.trainee:
        parts.append("the trainer accepted the proposed judgement")
    return " · ".join(parts)


def mark_classroom_turns(debrief: Any) -> None:
    """On a debrief (simulator.ui.debrief.view.DebriefPage) just filled: say on each classroom turn who answered
    and whether the trainer overrode the judgement, and name every trainee who took part."""
    record = getattr(debrief, "record", None)
    if record is None:
        return
    names = list(dict.fromkeys(t.trainee for t in record.state.turns if t.trainee))
    if names and names != [record.trainee]:
        text = debrief.subheading.text()
        owner = f"{record.trainee}, " if record.trainee else ""
        debrief.subheading.setText(f"Classroom: {', '.join(names)} · {text.removeprefix(owner)}")
    for card in getattr(debrief, "cards", []):
        note = classroom_note(card.turn)
        if not note:
            continue
        tag = label(note, "classroomNote", wrap=True)
        tag.setTextFormat(Qt.TextFormat.RichText)
        soft = COLORS["warning_soft"] if card.turn.override else COLORS["accent_soft"]
        tag.setStyleSheet(f"QLabel {{ background: {soft}; color: {COLORS['text']}; border-radius: 6px;"
                          " padding: 6px 10px; }")
        card.layout().insertWidget(1, tag)
