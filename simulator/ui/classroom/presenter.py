"""Classroom mode's logic (ClassroomPresenter): the class and who answers, the session, the trainer's decisions.

One scenario is played in front of a class. Trainees take turns to answer the customer; the
trainer types (or corrects) what was said, sees the judgement the software proposes, and takes
the branch with one key: calmer, as proposed, or escalate. Every override and every turn's
trainee is saved with the session (TurnRecord.override, TurnRecord.trainee).

The presenter knows no widgets: it is handed its view (anything with the methods of `ClassroomView`), as
every screen's presenter is. In the app that view is `Classroom` (simulator/ui/classroom/view.py), which
passes each call on to the projector (projector.py) and the trainer's window (trainer.py) as each needs it;
tests hand in a plain fake view (tests/ui/classroom/test_presenter.py). The session (judging, dropping a
stale judgement, the override recorded with the turn, saving) is a `Conversation` (simulator/conversation),
as on the trainee's own conversation page.
"""

from __future__ import annotations

import enum
import logging
from pathlib import Path
from typing import Literal, Protocol

from PySide6.QtCore import QObject

from simulator.conversation import Conversation, Saved
from simulator.conversation.steering import Steering, steering
from simulator.devices.contracts import VoiceOutput
from simulator.engine.judgement import Judgement, Reply
from simulator.engine.model import Scenario
from simulator.engine.session import CustomerLine, Override, Runner, SessionState, TurnRecord
from simulator.records.roster import UnknownClass
from simulator.records.sessions import SessionRecord
from simulator.ui.context import AppContext

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
    """Where a classroom session is (ClassroomView.set_phase is told it)."""

    IDLE = "idle"
    SPEAKING = "speaking"  # the customer is speaking
    YOUR_TURN = "your_turn"
    JUDGING = "judging"  # a reply is being judged
    DECIDING = "deciding"  # the trainer decides on the proposed judgement
    ENDED = "ended"


class ClassroomView(Protocol):
    """What the presenter tells the two windows (the class sees the projector, the trainer their own window)."""

    def show_new_session(self, scenario: Scenario) -> None:
        """A new (or resumed) session began, before its first line: nothing of the last one stays up."""

    def show_customer_line(self, line: CustomerLine, animate: bool) -> None: ...

    def show_reply(self, trainee: str, text: str) -> None:
        """A trainee's reply as it goes for judging (the trainee's name, "" when nobody is chosen)."""

    def show_proposal(self, judgement: Judgement | None) -> None:
        """The judgement proposed for the pending reply; None once it is decided (or there is none)."""

    def add_turn(self, turn: TurnRecord) -> None:
        """A turn just taken (its override and trainee included), saved."""

    def set_phase(self, phase: Phase) -> None: ...

    def show_trainee(self, name: str) -> None:
        """The trainee answering now ("" when nobody is chosen)."""

    def show_roster(self, names: list[str]) -> None:
        """The class's trainee names, after a class or name change."""

    def set_paused(self, paused: bool) -> None:
        """The customer was paused (True) or carries on (False)."""

    def show_ending(self, outcome: str) -> None:
        """The conversation is over; its outcome ("" when the trainer ended it early)."""

    def show_notice(self, text: str, kind: str) -> None:
        """Something the trainer should read (kind: info/warning/danger)."""


class ClassroomPresenter(QObject):
    """Drives a classroom session through its `Phase`s, telling its `ClassroomView` what to show.

    A QObject (without signals of its own) so that the shared voice's signals reach it on the GUI thread,
    and so that it goes with its parent (the `Classroom`).
    """

    def __init__(self, view: ClassroomView, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
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
        self.view.show_roster(list(self.roster))
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
        self.view.show_roster(list(self.roster))
        if not self.trainee:
            self.set_trainee(name)

    def set_trainee(self, name: str) -> None:
        if name and name not in self.roster:
            self.ctx.store.add_trainee(name, self.class_name)
            self.roster = sorted([*self.roster, name])
            self.view.show_roster(list(self.roster))
        self.trainee = name
        self.view.show_trainee(name)

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
        self.view.show_proposal(None)
        self.view.show_new_session(scenario)
        voice = self.voice
        if voice is not None:
            try:  # every line rendered in the background, the opening first, so none waits to be spoken
                voice.prepare(scenario)
            except Exception:
                log.exception("preparing the customer's voice failed")
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
        self.view.show_customer_line(line, animate)
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
        try:  # whichever branch the class's reply (or the trainer) takes, its answer renders first
            voice.expect(self.runner.scenario.next_lines(line.node_id), line.agitation)
        except Exception:
            log.exception("rendering the customer's next lines first failed")
        self._set_phase(Phase.SPEAKING)
        return True

    @property
    def voice(self) -> VoiceOutput | None:
        devices = self.ctx.devices
        return devices.voice if self.ctx.settings.voice_enabled and devices.can_speak else None

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.view.set_phase(phase)

    def accepts_reply(self) -> bool:
        return (self.runner is not None and not self.runner.ended and self.pending is None and not self.busy
                and self.phase in (Phase.YOUR_TURN, Phase.SPEAKING))

    def submit_text(self, text: str, audio_path: Path | None = None) -> bool:
        """The active trainee's reply (typed by the trainer, or heard): judged, then proposed."""
        text = " ".join(text.split())
        if not text:
            self.view.show_notice("Type what the trainee said, then press Enter.", "info")
            return False
        if not self.accepts_reply():
            return False
        assert self.conversation is not None
        if not self.trainee and self.roster:
            self.view.show_notice("Choose who is answering first.", "warning")
            return False
        self._stop_voice()
        reply = Reply(text, audio_path=audio_path)
        self.busy = True
        self.view.show_reply(self.trainee, text)
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
        self.view.show_proposal(judgement)

    def _on_judge_failed(self, exc: BaseException) -> None:
        log.error("judging a reply failed", exc_info=exc)
        self.busy = False
        self.view.show_notice(f"That reply couldn't be assessed ({exc}). Type it again.", "danger")
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
        self.view.show_proposal(None)
        self.view.add_turn(turn)
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
        self.view.show_ending(self.conversation.runner.outcome or "")
        if self.voice is not None:
            self._speak(self.conversation.current_line)
            self.phase = Phase.ENDED

    def end_now(self) -> None:
        """The trainer stops the session here (it is saved and closed)."""
        if self.conversation is None or self.phase in (Phase.IDLE, Phase.ENDED):
            return
        self._stop_voice()
        self.pending = None
        self.view.show_proposal(None)
        self.conversation.close()
        self._set_phase(Phase.ENDED)
        self.view.show_ending("")

    def note(self, text: str, turn: int | None = None, conversation: Conversation | None = None) -> bool:
        """The trainer's note on the session (`turn` None) or on a turn of it, saved at once (Conversation.note).

        `conversation`: the session the note was typed for (default the current one), so a note finished
        after "Start again" still lands on its own session. False when it could not be saved: it is kept
        and saved with the next save, and the trainer is told (`show_notice`).
        """
        conversation = conversation or self.conversation
        if conversation is None:
            return False
        return conversation.note(text, turn) is not Saved.FAILED

    def _on_saved(self, saved: Saved, exc: OSError | None) -> None:
        if saved is Saved.FAILED:
            self.view.show_notice(f"The session could not be saved: {exc}", "danger")
        elif saved is Saved.KEPT_LOCALLY:
            self.view.show_notice(f"Kept on this computer: {exc}", "info")

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
            self.view.set_paused(paused)

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
            self.view.show_notice(f"{message.rstrip('.')}. The subtitles are on the projector.", "warning")
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
