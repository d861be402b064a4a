"""The conversation's logic, apart from its widgets: turns, judging off the GUI thread, saving, voice and listening.

The presenter is handed its view (anything with the methods of `ConversationView`), so tests run
whole conversations against a plain fake view, and the real page stays a thin layer of widgets.

Signals (ConversationPresenter):
    finished(str): the conversation is over (an ending, or the trainee ended it); the session id.
    left(): the trainee left to resume later; the session is saved and unfinished.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from simulator.engine.judgement import Judgement, Reply
from simulator.engine.model import Scenario
from simulator.engine.session import CustomerLine, Runner, SessionState, TurnRecord
from simulator.records.sessions import SessionRecord
from simulator.ui.context import AppContext

log = logging.getLogger(__name__)

# What the customer says, in character, when the recogniser wasn't sure what it heard: asking
# again is what a person would do, and it never judges words the trainee may not have said.
SAY_AGAIN = "Sorry, could you say that again?"

# Below this recogniser confidence a transcript is not trusted, whatever the listener said.
MIN_RECOGNITION_CONFIDENCE = 0.35


class ConversationView(Protocol):
    def show_briefing(self, scenario: Scenario, resumed_turns: int) -> None: ...
    def show_conversation(self, scenario: Scenario, history: list[TurnRecord]) -> None: ...
    def show_customer_line(self, line: CustomerLine, animate: bool) -> None: ...
    def show_say_again(self, text: str) -> None: ...
    def add_trainee_reply(self, text: str, spoken: bool) -> None: ...
    def show_partial(self, text: str) -> None: ...
    def set_level(self, level: float) -> None: ...
    def set_phase(self, phase: str) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def show_ending(self, outcome: str, summary: str | None) -> None: ...
    def show_notice(self, text: str, kind: str = "info") -> None: ...
    def set_capabilities(self, can_talk: bool, talk_problem: str, can_speak: bool) -> None: ...
    def set_paused(self, paused: bool) -> None: ...
    def ask(self, question: str) -> str | None: ...


class ConversationPresenter(QObject):
    """Drives one conversation. Phases: briefing, speaking, your_turn, listening, thinking, ended."""

    finished = Signal(str)
    left = Signal()

    def __init__(self, view: ConversationView, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.ctx = context
        self.runner: Runner | None = None
        self.record: SessionRecord | None = None
        self.phase = "idle"
        self.paused = False
        self.busy = False
        self._line_ids: dict[str, str] = {}
        self._connect_devices()

    # -- devices ---------------------------------------------------------------------------------
    @property
    def voice(self) -> Any:
        devices = self.ctx.devices
        return devices.voice if self.ctx.settings.voice_enabled and devices.can_speak else None

    @property
    def listener(self) -> Any:
        return self.ctx.devices.listener if self.ctx.devices.can_listen else None

    def _connect_devices(self) -> None:
        voice = self.ctx.devices.voice
        if voice is not None:
            voice.started.connect(self._on_voice_started)
            voice.finished.connect(self._on_voice_finished)
            voice.failed.connect(self._on_voice_failed)
        listener = self.ctx.devices.listener
        if listener is not None:
            listener.partial.connect(self._on_listener_partial)
            listener.level.connect(self._on_listener_level)
            listener.reply_ready.connect(self._on_listener_reply_ready)
            listener.failed.connect(self._on_listener_failed)
            if hasattr(listener, "speech_started"):
                listener.speech_started.connect(self._on_listener_speech_started)

    def disconnect_devices(self) -> None:
        """Stop listening to the shared devices (the window makes a new presenter per screen life)."""
        for service in (self.ctx.devices.voice, self.ctx.devices.listener):
            if service is None:
                continue
            try:
                service.disconnect(self)
            except (RuntimeError, TypeError):
                pass

    # -- starting --------------------------------------------------------------------------------
    def load(self, scenario: Scenario, state: SessionState | None = None) -> None:
        """Prepare a conversation (new, resumed, or rewound) and show its briefing."""
        settings = self.ctx.settings
        baseline = Path(settings.baseline_wav) if settings.baseline_wav else None
        self.runner = Runner(scenario, self.ctx.make_judge(), state=state, baseline_audio=baseline)
        self.record = SessionRecord(trainee=settings.trainee_name, scenario_title=scenario.title,
                                    state=self.runner.state)
        self.paused = False
        self.phase = "briefing"
        can_talk, problem = self._talk_capability()
        self.view.set_capabilities(can_talk, problem, self.voice is not None)
        if self.voice is not None:
            try:
                self.voice.prepare(scenario)
            except Exception:  # the voice renders lazily later; a failed warm-up is not fatal
                log.exception("preparing the customer's voice failed")
        self.view.show_briefing(scenario, len(self.runner.state.turns))

    def _talk_capability(self) -> tuple[bool, str]:
        devices = self.ctx.devices
        if devices.listener is None:
            if devices.microphone is None:
                return False, "No microphone was found, so type your replies. Plug one in and check it under Microphone."
            return False, "Speech recognition isn't available on this computer, so type your replies."
        if not devices.can_listen:
            return False, "No microphone is working right now, so type your replies. Check it under Microphone."
        return True, ""

    def begin(self) -> None:
        """Leave the briefing: the customer speaks first."""
        assert self.runner is not None
        self.view.show_conversation(self.runner.scenario, list(self.runner.state.turns))
        self._present(self.runner.current_line, animate=False)

    # -- the customer's turn ---------------------------------------------------------------------
    def _line_id(self, line: CustomerLine) -> str:
        assert self.runner is not None
        return f"{self.runner.scenario.id}/{line.node_id}/{abs(hash(line.text)) % 10**8}"

    def _present(self, line: CustomerLine, animate: bool = True) -> None:
        self.view.show_customer_line(line, animate)
        if line.is_ending:
            self._end()
            return
        if not self._speak(line.text, line.agitation, self._line_id(line)):
            self._your_turn()

    def _speak(self, text: str, agitation: float, line_id: str) -> bool:
        """Start the customer's voice; False when there is no voice to wait for."""
        voice = self.voice
        if voice is None or self.runner is None:
            return False
        try:
            voice.speak(line_id, text, self.runner.scenario.customer.voice, agitation)
        except Exception:
            log.exception("speaking a line failed")
            return False
        self._set_phase("speaking")
        return True

    def _your_turn(self) -> None:
        self._set_phase("your_turn")
        listener = self.listener
        if listener is not None and self.ctx.settings.listen_mode == "hands_free" and not self.paused:
            self._start_hands_free(listener)

    def _start_hands_free(self, listener: Any) -> None:
        start = getattr(listener, "start_hands_free", None) or getattr(listener, "listen", None)
        if callable(start):
            try:
                start()
                self._set_phase("listening")
            except Exception:
                log.exception("hands-free listening failed to start")

    def _set_phase(self, phase: str) -> None:
        self.phase = phase
        self.view.set_phase(phase)

    def _end(self) -> None:
        assert self.runner is not None and self.record is not None
        self._set_phase("ended")
        self.record.closed = True
        self._save()
        ending = self.runner.scenario.endings[self.runner.state.ending_id or ""]
        self.view.show_ending(self.runner.outcome or "unresolved", ending.summary)
        voice = self.voice
        if voice is not None:
            line = self.runner.current_line
            self._speak(line.text, line.agitation, self._line_id(line))
            self.phase = "ended"

    # -- the trainee's turn ----------------------------------------------------------------------
    def accepts_reply(self) -> bool:
        return self.runner is not None and not self.runner.ended and not self.busy and not self.paused \
            and self.phase in ("your_turn", "listening", "speaking")

    def submit_text(self, text: str) -> bool:
        """A typed reply. Returns False (and says why) when it can't be taken now."""
        text = " ".join(text.split())
        if not text:
            self.view.show_notice("Type what you would say to the customer, then press Enter.", "info")
            return False
        if not self.accepts_reply():
            return False
        self._stop_voice()
        self._submit(Reply(text), spoken=False)
        return True

    def _submit(self, reply: Reply, spoken: bool) -> None:
        assert self.runner is not None
        runner = self.runner
        self.busy = True
        self.view.add_trainee_reply(reply.text, spoken)
        self._set_phase("thinking")
        self.view.set_busy(True)
        self.ctx.tasks.submit(lambda: runner.judge(reply),
                              on_done=lambda judgement: self._on_judged(runner, reply, judgement),
                              on_error=self._on_judge_failed)

    def _on_judged(self, runner: Runner, reply: Reply, judgement: Judgement) -> None:
        self.busy = False
        self.view.set_busy(False)
        if runner is not self.runner or runner.ended:
            return  # the trainee restarted or left while this reply was being judged
        runner.apply(reply, judgement, trainee=self.ctx.settings.trainee_name or None)
        self._save()
        if self.paused:
            return
        self._present(runner.current_line)

    def _on_judge_failed(self, exc: BaseException) -> None:
        log.error("judging a reply failed", exc_info=exc)
        self.busy = False
        self.view.set_busy(False)
        self.view.show_notice(f"That reply couldn't be assessed ({exc}). Please try saying or typing it again.",
                              "danger")
        self._set_phase("your_turn")

    def _save(self) -> None:
        if self.record is None or self.runner is None:
            return
        self.record.state = self.runner.state
        try:
            self.ctx.store.save(self.record)
        except OSError as exc:
            log.error("saving the session failed: %s", exc)
            self.view.show_notice(f"Your session could not be saved: {exc}", "danger")

    # -- speaking --------------------------------------------------------------------------------
    def press_to_talk(self) -> bool:
        listener = self.listener
        if listener is None or not self.accepts_reply():
            return False
        self._stop_voice()  # a trainee who talks over the customer is heard, as in real life
        try:
            listener.press()
        except Exception as exc:
            log.exception("push-to-talk failed")
            self.view.show_notice(f"The microphone didn't start ({exc}). You can type your reply instead.", "warning")
            return False
        self._set_phase("listening")
        return True

    def release_to_talk(self) -> None:
        listener = self.listener
        if listener is None or self.phase != "listening":
            return
        try:
            listener.release()
        except Exception:
            log.exception("releasing push-to-talk failed")
        self._set_phase("thinking")
        self.view.set_busy(True)

    def _on_listener_speech_started(self) -> None:
        self._stop_voice()
        if self.phase != "listening":
            self._set_phase("listening")

    def _on_listener_partial(self, text: str) -> None:
        self.view.show_partial(text)

    def _on_listener_level(self, level: float) -> None:
        self.view.set_level(level)

    def _on_listener_failed(self, message: str) -> None:
        self.view.set_busy(False)
        self.view.show_notice(f"{message} You can type your reply instead.", "warning")
        if self.runner is not None and not self.runner.ended:
            self._set_phase("your_turn")

    def _on_listener_reply_ready(self, result: Any) -> None:
        self.view.set_busy(False)
        self.view.show_partial("")
        if self.runner is None or self.runner.ended or self.busy or self.paused:
            return
        text = " ".join(str(getattr(result, "text", "") or "").split())
        confidence = getattr(result, "confidence", None)
        low = bool(getattr(result, "low_confidence", False))
        if confidence is not None and confidence < MIN_RECOGNITION_CONFIDENCE:
            low = True
        if not text or low:
            self.say_again(heard=text)
            return
        recording = self._keep_recording(result)
        self._submit(Reply(text, audio_path=recording, recognition_confidence=confidence), spoken=True)

    def say_again(self, heard: str = "") -> None:
        """The customer asks the trainee to repeat themselves; no turn is taken, nothing is judged."""
        assert self.runner is not None
        self.runner.repeat()
        self.view.show_say_again(SAY_AGAIN)
        hint = f"The simulator wasn't sure it heard you right{f' (it heard “{heard}”)' if heard else ''}. " \
               "Say it again, or type your reply."
        self.view.show_notice(hint, "warning")
        if not self._speak(SAY_AGAIN, self.runner.state.agitation, "say-again"):
            self._your_turn()

    def _keep_recording(self, result: Any) -> Path | None:
        """Copy the reply's recording into the session folder, so the debrief can play it."""
        assert self.runner is not None
        source = next((getattr(result, name) for name in ("wav_path", "wav", "audio_path", "path")
                       if getattr(result, name, None)), None)
        if source is None:
            return None
        target = self.ctx.store.recording_path(self.runner.state.session_id, len(self.runner.state.turns))
        try:
            shutil.copyfile(source, target)
        except OSError as exc:
            log.warning("keeping the recording %s failed: %s", source, exc)
            return Path(source)
        return target

    # -- voice events ----------------------------------------------------------------------------
    def _on_voice_started(self, line_id: str) -> None:
        if self.phase not in ("ended",):
            self._set_phase("speaking")

    def _on_voice_finished(self, line_id: str) -> None:
        if self.phase == "speaking" and not self.paused:
            self._your_turn()

    def _on_voice_failed(self, message: str) -> None:
        log.warning("voice failed: %s", message)
        self.view.show_notice(f"{message.rstrip('.')}. Read their line on screen; subtitles are on.", "warning")
        can_talk, problem = self._talk_capability()
        self.view.set_capabilities(can_talk, problem, False)
        if self.phase == "speaking":
            self._your_turn()

    def _stop_voice(self) -> None:
        voice = self.ctx.devices.voice
        if voice is not None:
            try:
                voice.stop()
            except Exception:
                log.exception("stopping the voice failed")

    def _stop_listening(self) -> None:
        listener = self.ctx.devices.listener
        if listener is not None and self.phase == "listening":
            stop = getattr(listener, "stop", None) or getattr(listener, "cancel", None)
            if callable(stop):
                try:
                    stop()
                except Exception:
                    log.exception("stopping the listener failed")

    # -- pause, restart, leave -------------------------------------------------------------------
    def pause(self) -> None:
        if self.paused or self.runner is None or self.phase in ("briefing", "ended", "idle"):
            return
        self._stop_voice()
        self._stop_listening()
        self.paused = True
        self.view.set_paused(True)

    def resume(self) -> None:
        if not self.paused or self.runner is None:
            return
        self.paused = False
        self.view.set_paused(False)
        if not self.busy:
            # Say the line again: after a pause the trainee needs to hear where they were.
            self._present(self.runner.current_line, animate=False)

    def request_restart(self) -> bool:
        if self.runner is None:
            return False
        turns = len(self.runner.state.turns)
        if turns and self.view.ask("restart") != "restart":
            return False
        self.restart()
        return True

    def restart(self) -> None:
        """A fresh attempt at the same scenario; the old one stays in the history, closed."""
        assert self.runner is not None and self.record is not None
        self._stop_voice()
        self._stop_listening()
        if self.runner.state.turns:
            self.record.closed = True
            self._save()
        self.busy = False
        self.view.set_busy(False)
        self.load(self.runner.scenario)
        self.begin()

    def request_leave(self) -> str | None:
        """Ask how to leave; returns what happened: later, end, or None (stayed)."""
        if self.runner is None:
            self.left.emit()
            return "later"
        if self.runner.ended:
            self.show_debrief()
            return "end"
        if not self.runner.state.turns:
            self._stop_voice()
            self._stop_listening()
            self.left.emit()
            return "later"
        was_paused = self.paused
        self.pause()
        answer = self.view.ask("leave")
        if answer == "later":
            self.leave_for_later()
        elif answer == "end":
            self.end_now()
        elif not was_paused:
            self.resume()
        return answer

    def leave_for_later(self) -> None:
        self._stop_voice()
        self._stop_listening()
        if self.record is not None and self.record.state.turns:
            self._save()
        self.left.emit()

    def end_now(self) -> None:
        """Stop here and go to the debrief of what was said so far."""
        assert self.record is not None
        self._stop_voice()
        self._stop_listening()
        self.record.closed = True
        self._save()
        self.finished.emit(self.record.session_id)

    def show_debrief(self) -> None:
        if self.record is not None:
            self._stop_voice()
            self.finished.emit(self.record.session_id)


def rewound_state(scenario: Scenario, state: SessionState, turn_index: int) -> SessionState:
    """A new session that starts just before `turn_index` of an old one; the old one is untouched."""
    copy = state.model_copy(deep=True, update={
        "session_id": uuid.uuid4().hex,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    Runner(scenario, judge=None, state=copy).rewind(turn_index)  # type: ignore[arg-type]  # rewinding never judges
    return copy
