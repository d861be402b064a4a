"""The conversation's turn loop, apart from its widgets: presenting lines, taking spoken or typed replies, voice and listening events.

The presenter is handed its view (anything with the methods of `ConversationView`), so tests run
whole conversations against a plain fake view (tests/ui/conversation/test_presenter.py), and the
real page stays a thin layer of widgets. The session itself (runner, record, saving after every
turn, dropping stale judgements, the say-again rules) is a `Conversation` (simulator/conversation);
the listener's building, rebuilding and adaptation are the `ListeningService`'s.

Listening (simulator.devices.listener.Listener): the microphone opens when the conversation
begins and stays open until it is paused, left or over; the listener is armed for one reply at a
time (hands-free: when the customer has finished; push-to-talk: while Space is held), so the
customer's own voice is never taken for a reply. A reply the recogniser was unsure of is never
judged: the customer asks "Sorry, could you say that again?" and typing is offered.

Hands-free, judging starts before the reply is over: the listener's `reply_likely` (a transcript
made at a short pause) is judged on the task runner while the listener waits out its hangover, and
when `reply_ready` confirms it (same speculation, same text) that judgement is applied at once. If
the trainee went on speaking, it is dropped and the whole reply is judged as usual. Either way the
judgement is of the recording kept with the turn.

While the trainee's reply is recorded, recognised and judged (from the moment they start speaking,
or press to talk, until the customer answers), the customer's lines being rendered ahead of time
wait (VoiceOutput.hold_prepare): on 2 cores they would compete with the recogniser. The line the
customer says next is rendered at once all the same.
"""

from __future__ import annotations

import enum
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from simulator.conversation import SAY_AGAIN, Conversation, Saved, Ticket, heard
from simulator.devices.contracts import ReplyListener, ReplyResult, VoiceOutput
from simulator.engine.judgement import HeardWord, Judge, Judgement, Reply
from simulator.engine.model import Scenario
from simulator.engine.session import CustomerLine, Runner, SessionState, TurnRecord
from simulator.records.recordings import Recordings
from simulator.records.sessions import SessionRecord
from simulator.ui.context import AppContext
from simulator.ui.listening import ListeningService

log = logging.getLogger(__name__)

__all__ = ["SAY_AGAIN", "ConversationPresenter", "ConversationView", "Phase"]


class Phase(enum.StrEnum):
    """Where the conversation is (the view words its status line from it)."""

    IDLE = "idle"
    BRIEFING = "briefing"
    SPEAKING = "speaking"  # the customer is speaking
    YOUR_TURN = "your_turn"
    LISTENING = "listening"
    THINKING = "thinking"  # a reply is being judged
    ENDED = "ended"


@dataclass
class _EarlyJudgement:
    """A reply judged at a pause, before the listener confirmed the pause was its end."""

    speculation: int | None
    ticket: Ticket  # the turn it was judged for
    reply: Reply
    judgement: Judgement | None = None
    failed: bool = False
    confirmed: ReplyResult | None = None  # the listener's confirming result, while judging is still running


class ConversationView(Protocol):
    def show_briefing(self, scenario: Scenario, resumed_turns: int) -> None: ...
    def show_conversation(self, scenario: Scenario, history: list[TurnRecord]) -> None: ...
    def show_customer_line(self, line: CustomerLine, animate: bool) -> None: ...
    def show_say_again(self, text: str) -> None: ...
    def add_trainee_reply(self, text: str, spoken: bool, words: Sequence[HeardWord] = ()) -> None: ...
    def show_partial(self, text: str) -> None: ...
    def set_level(self, level: float) -> None: ...
    def set_phase(self, phase: str) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def show_ending(self, outcome: str, summary: str | None) -> None: ...
    def show_notice(self, text: str, kind: str = "info", retry_microphone: bool = False) -> None: ...
    def hide_notice(self, text: str) -> None: ...
    def set_capabilities(self, can_talk: bool, talk_problem: str, can_speak: bool) -> None: ...
    def set_paused(self, paused: bool) -> None: ...
    def offer_typing(self) -> None: ...
    def ask(self, question: str) -> str | None: ...


class ConversationPresenter(QObject):
    """Drives one conversation through its `Phase`s.

    Signals:
        finished(str): the conversation is over (an ending, or the trainee ended it); the session id.
        left(): the trainee left to resume later; the session is saved and unfinished.
        listening_changed(str): the listener was rebuilt for new Settings; the message says why
            replies must be typed ("" when listening works).
    """

    finished = Signal(str)
    left = Signal()
    listening_changed = Signal(str)

    def __init__(self, view: ConversationView, context: AppContext, parent: QObject | None = None,
                 listening: ListeningService | None = None):
        super().__init__(parent)
        self.view = view
        self.ctx = context
        self.conversation: Conversation | None = None
        self.phase = Phase.IDLE
        self.paused = False
        self.busy = False  # a reply is being judged
        # A device or recogniser failure stops hands-free listening until the trainee tries again.
        self._listen_failed = False
        self._early: _EarlyJudgement | None = None
        self._say_again_hint = ""
        # The window's, shared with Settings and the microphone check; else one of its own (tests).
        self.listening = listening if listening is not None else ListeningService(context, self)
        self._connect_devices()

    @property
    def runner(self) -> Runner | None:
        return self.conversation.runner if self.conversation else None

    @property
    def record(self) -> SessionRecord | None:
        return self.conversation.record if self.conversation else None

    # -- devices ---------------------------------------------------------------------------------
    @property
    def voice(self) -> VoiceOutput | None:
        devices = self.ctx.devices
        return devices.voice if self.ctx.settings.voice_enabled and devices.can_speak else None

    @property
    def listener(self) -> ReplyListener | None:
        return self.listening.listener

    def _connect_devices(self) -> None:
        voice: VoiceOutput | None = self.ctx.devices.voice
        if voice is not None:
            voice.started.connect(self._on_voice_started)
            voice.finished.connect(self._on_voice_finished)
            voice.failed.connect(self._on_voice_failed)
        listening = self.listening
        listening.changed.connect(self._on_listening_changed)
        listening.partial.connect(self._on_listener_partial)
        listening.level.connect(self._on_listener_level)
        listening.reply_ready.connect(self._on_listener_reply_ready)
        listening.failed.connect(self._on_listener_failed)
        listening.speech_started.connect(self._on_listener_speech_started)
        listening.interrupted.connect(self._on_listener_interrupted)
        listening.reply_likely.connect(self._on_listener_reply_likely)

    def disconnect_devices(self) -> None:
        """Stop listening to the shared devices (the window makes a new presenter per screen life)."""
        self.listening.close()
        self._hold_prerender(False)
        voice = self.ctx.devices.voice
        if voice is not None:
            try:
                voice.disconnect(self)
            except (RuntimeError, TypeError):
                pass

    def apply_listening_settings(self) -> None:
        """Make the listener match Settings (ListeningService.apply_settings)."""
        self.listening.apply_settings()

    def warm_listener(self) -> None:
        """After a new calibration reading (ListeningService.warm)."""
        self.listening.warm()

    @property
    def listen_problem(self) -> str:
        return self.listening.problem

    def _on_listening_changed(self, problem: str) -> None:
        if not problem:
            self._listen_failed = False
        self._refresh_capabilities()
        self.listening_changed.emit(problem)

    def _refresh_capabilities(self) -> None:
        if self.conversation is None or self.phase in (Phase.IDLE, Phase.ENDED):
            return
        can_talk, problem = self.listening.talk_capability()
        self.view.set_capabilities(can_talk, problem, self.voice is not None)

    # -- starting --------------------------------------------------------------------------------
    def load(self, scenario: Scenario, state: SessionState | None = None) -> None:
        """Prepare a conversation (new, resumed, or rewound) and show its briefing."""
        settings = self.ctx.settings
        baseline = Path(settings.baseline_wav) if settings.baseline_wav else None
        judge = self.ctx.make_judge()
        if self.conversation is not None:
            self.conversation.discard()  # a reply of the old one still being judged is dropped
        self.conversation = Conversation(scenario, lambda: judge, self.ctx.store, state=state,
                                         baseline_audio=baseline, trainee=settings.trainee_name,
                                         on_saved=self._on_saved)
        self._warm_judge(judge, baseline)
        self.paused = False
        self.phase = Phase.BRIEFING
        self._early = None
        self._listen_failed = False
        self._hold_prerender(False)
        self.listening.adapt(scenario)
        can_talk, problem = self.listening.talk_capability()
        self.view.set_capabilities(can_talk, problem, self.voice is not None)
        voice = self.voice
        if voice is not None:
            try:
                voice.prepare(scenario, extra=(SAY_AGAIN,))
            except Exception:  # the voice renders lazily later; a failed warm-up is not fatal
                log.exception("preparing the customer's voice failed")
        self.view.show_briefing(scenario, len(self.conversation.turns))

    def _warm_judge(self, judge: Judge, baseline: Path | None) -> None:
        """Ready the judge while the trainee reads the briefing (Judge.warm: the wording model's
        vectors, the tone baseline): otherwise the first reply of every session waits for it,
        typed or spoken. The judge keeps what it built, locked, so a reply judged meanwhile
        just waits for the same work."""
        self.ctx.tasks.submit(functools.partial(judge.warm, baseline),
                              on_error=lambda exc: log.info("judge not warmed early: %s", exc))

    def begin(self) -> None:
        """Leave the briefing: the customer speaks first."""
        assert self.conversation is not None
        self.view.show_conversation(self.conversation.scenario, list(self.conversation.turns))
        self._open_microphone()
        self._present(self.conversation.current_line, animate=False)

    def _open_microphone(self) -> None:
        """Open the microphone now (the level shows, and the first reply does not wait for it)."""
        listener = self.listener
        if listener is not None:
            try:
                listener.open(self.listening.device())
            except Exception:
                log.exception("opening the microphone failed")

    # -- the customer's turn ---------------------------------------------------------------------
    def _line_id(self, line: CustomerLine) -> str:
        assert self.conversation is not None
        return f"{self.conversation.scenario.id}/{line.node_id}/{abs(hash(line.text)) % 10**8}"

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
        if voice is None or self.conversation is None:
            return False
        try:
            voice.speak(line_id, text, self.conversation.scenario.customer.voice, agitation)
        except Exception:
            log.exception("speaking a line failed")
            return False
        self._expect_answers(voice, agitation)
        self._set_phase(Phase.SPEAKING)
        return True

    def _expect_answers(self, voice: VoiceOutput, agitation: float) -> None:
        """Have the lines the customer may answer with rendered first, while this one plays."""
        conversation = self.conversation
        if conversation is None:
            return
        try:
            voice.expect(conversation.scenario.next_lines(conversation.current_line.node_id), agitation)
        except Exception:
            log.exception("rendering the customer's next lines first failed")

    def _your_turn(self) -> None:
        self._set_phase(Phase.YOUR_TURN)
        listener = self.listener
        if listener is not None and self.ctx.settings.listen_mode == "hands_free" and not self.paused \
                and not self._listen_failed:
            self._start_hands_free(listener)

    def _start_hands_free(self, listener: ReplyListener) -> None:
        try:
            started = listener.start(self.listening.device())
        except Exception as exc:
            log.exception("hands-free listening failed to start")
            self._on_listener_failed(f"The microphone didn't start ({exc}).")
            return
        if started is not False and self.phase == Phase.YOUR_TURN:
            self._set_phase(Phase.LISTENING)

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        if phase not in (Phase.LISTENING, Phase.THINKING):
            self._hold_prerender(False)  # the reply is over: rendering ahead goes on
        self.view.set_phase(phase)

    def _hold_prerender(self, held: bool) -> None:
        """Hold (or let go on) the customer's lines being rendered ahead of time, while the
        trainee's reply is recorded, recognised and judged."""
        voice: VoiceOutput | None = self.ctx.devices.voice
        if voice is None or voice.prepare_held == held:
            return
        try:
            voice.hold_prepare(held)
        except Exception:
            log.exception("holding the customer's voice rendering failed")

    def _end(self) -> None:
        conversation = self.conversation
        assert conversation is not None
        self._stop_listening()
        self._set_phase(Phase.ENDED)
        # The customer's last line first: the save (10-40 ms) and the ending's panel can follow it.
        if self.voice is not None:
            line = conversation.current_line
            self._speak(line.text, line.agitation, self._line_id(line))
            self.phase = Phase.ENDED
        conversation.close()
        ending = conversation.scenario.endings[conversation.state.ending_id or ""]
        self.view.show_ending(conversation.runner.outcome or "unresolved", ending.summary)

    # -- the trainee's turn ----------------------------------------------------------------------
    def accepts_reply(self) -> bool:
        return self.conversation is not None and not self.conversation.ended and not self.busy \
            and not self.paused and self.phase in (Phase.YOUR_TURN, Phase.LISTENING, Phase.SPEAKING)

    def submit_text(self, text: str) -> bool:
        """A typed reply. Returns False (and says why) when it can't be taken now."""
        text = " ".join(text.split())
        if not text:
            self.view.show_notice("Type what you would say to the customer, then press Enter.", "info")
            return False
        if not self.accepts_reply():
            return False
        self._stop_voice()
        self._stop_listening(close=False)
        self._submit(Reply(text), spoken=False)
        return True

    def _submit(self, reply: Reply, spoken: bool, shown: bool = False) -> None:
        assert self.conversation is not None
        self._early = None
        self._think(reply.text if not shown else None, spoken, reply.words)
        self.conversation.judge(reply, self.ctx.tasks, on_done=lambda _, judgement: self._on_judged(reply, judgement),
                                on_error=self._on_judge_failed, on_dropped=self._on_judgement_dropped)

    def _think(self, reply_text: str | None, spoken: bool, words: Sequence[HeardWord] = ()) -> None:
        """A reply is being judged: show it (unless `reply_text` is None: already shown; its unsure
        words marked), and wait."""
        self.busy = True
        if reply_text is not None:
            self.view.add_trainee_reply(reply_text, spoken, words)
        self._set_phase(Phase.THINKING)
        self.view.set_busy(True)

    def _on_judgement_dropped(self) -> None:
        # The trainee restarted or left while this reply was being judged.
        self.busy = False
        self.view.set_busy(False)

    def _on_judged(self, reply: Reply, judgement: Judgement) -> None:
        """A judgement for the current turn (Conversation.judge drops any other)."""
        conversation = self.conversation
        assert conversation is not None
        self.busy = False
        self.view.set_busy(False)
        if conversation.must_ask_again(judgement):
            _discard(reply.audio_path)
            if not self.paused:  # else resuming says the customer's line again
                self.say_again(heard=reply.text)
            return
        if self._say_again_hint:  # heard this time: "wasn't sure it heard you" no longer applies
            self.view.hide_notice(self._say_again_hint)
            self._say_again_hint = ""
        # A turn names who answered only in classroom mode; here the session is the trainee's.
        # Paused: saved, and resuming says the customer's answer.
        conversation.apply(reply, judgement,
                           present=None if self.paused else lambda _: self._present(conversation.current_line))

    def _on_judge_failed(self, exc: BaseException) -> None:
        log.error("judging a reply failed", exc_info=exc)
        self.busy = False
        self.view.set_busy(False)
        self.view.show_notice(f"That reply couldn't be assessed ({exc}). Please try saying or typing it again.",
                              "danger")
        self._set_phase(Phase.YOUR_TURN)

    def _on_saved(self, saved: Saved, exc: OSError | None) -> None:
        if saved is Saved.FAILED:
            # Every save writes the whole session, so the next one catches up on this turn too.
            self.view.show_notice(f"Your session could not be saved: {str(exc).rstrip('.')}. Nothing is lost "
                                  "yet: it is kept here and saved again after your next reply, so please "
                                  "don't close the simulator.", "danger")
        elif saved is Saved.KEPT_LOCALLY:
            self.view.show_notice("The shared database cannot be reached, so your session is kept on this "
                                  "computer and sent to it when it is back. Nothing is lost.", "info")
        elif saved is Saved.CAUGHT_UP:
            self.view.show_notice("Your session is saved again; nothing was lost.", "info")

    # -- speaking --------------------------------------------------------------------------------
    def press_to_talk(self) -> bool:
        listener = self.listener
        if listener is None or not self.accepts_reply():
            return False
        self._stop_voice()  # a trainee who talks over the customer is heard, as in real life
        self._listen_failed = False  # pressing again is trying again
        try:
            pressed = listener.press(self.listening.device())
        except Exception as exc:
            log.exception("push-to-talk failed")
            self._on_listener_failed(f"The microphone didn't start ({exc}).")
            return False
        if pressed is False:
            return False  # `failed` has said why
        self._hold_prerender(True)
        self._set_phase(Phase.LISTENING)
        return True

    def release_to_talk(self) -> None:
        listener = self.listener
        if listener is None or self.phase != Phase.LISTENING or self.paused:
            return
        try:
            listener.release()
        except Exception:
            log.exception("releasing push-to-talk failed")
        self._set_phase(Phase.THINKING)
        self.view.set_busy(True)

    def _on_listener_speech_started(self) -> None:
        self._stop_voice()
        self._hold_prerender(True)
        if self.phase != Phase.LISTENING:
            self._set_phase(Phase.LISTENING)

    def _on_listener_partial(self, text: str) -> None:
        self.view.show_partial(text)

    def _on_listener_level(self, level: float) -> None:
        self.view.set_level(level)

    def _on_listener_failed(self, message: str) -> None:
        log.warning("listening failed: %s", message)
        self._listen_failed = True
        self.view.set_busy(False)
        self.view.show_partial("")
        self.view.show_notice(f"{message.rstrip('.')}. You can type your reply instead.", "warning",
                              retry_microphone=True)
        if self.conversation is not None and not self.conversation.ended and not self.busy \
                and self.phase in (Phase.LISTENING, Phase.THINKING, Phase.YOUR_TURN):
            self._set_phase(Phase.YOUR_TURN)
            self.view.offer_typing()

    def retry_microphone(self) -> None:
        """The trainee plugged the microphone back in (the failure notice's action): check for it
        again, reopen it, and in hands-free mode listen again if it is their turn."""
        if self.conversation is None or self.conversation.ended \
                or self.phase in (Phase.IDLE, Phase.ENDED, Phase.BRIEFING):
            return
        self._listen_failed = False
        can_talk, problem = self.listening.talk_capability()
        self.view.set_capabilities(can_talk, problem, self.voice is not None)
        listener = self.listener
        if not can_talk or listener is None:
            self.view.show_notice(problem or "The microphone still isn't working, so type your reply.",
                                  "warning", retry_microphone=True)
            return
        try:
            opened = listener.open(self.listening.device())
        except Exception as exc:
            log.exception("reopening the microphone failed")
            self._on_listener_failed(f"The microphone didn't start ({exc}).")
            return
        if opened is False or self._listen_failed:
            return  # `failed` has said why, and offered the action again
        log.info("the microphone was reopened after a failure")
        if self.phase in (Phase.YOUR_TURN, Phase.LISTENING) and not self.paused and not self.busy:
            self._your_turn()
        else:
            self.view.set_phase(self.phase)  # the talk button follows the capabilities

    def _on_listener_interrupted(self, wav: Path | None) -> None:
        """The microphone failed mid-reply: keep what it captured with the session's recordings
        (as turn-NNN-interrupted.wav), so nothing the trainee said is lost."""
        if self.conversation is not None and wav:
            self._keep_recording(wav, interrupted=True)

    def _on_listener_reply_likely(self, result: ReplyResult) -> None:
        """A reply made at a pause: judged now, applied if `reply_ready` confirms it."""
        self._early = None
        conversation = self.conversation
        if conversation is None or conversation.ended or self.busy or self.paused or self.phase != Phase.LISTENING:
            return
        text, sure = heard(result.text, result.confidence, result.low_confidence)
        if not sure or result.wav_path is None:
            return  # asked again or judged in full once the reply is over
        reply = Reply(text, audio_path=Path(result.wav_path), recognition_confidence=result.confidence,
                      words=_heard_words(result))
        early = self._early = _EarlyJudgement(result.speculation, conversation.ticket(), reply)
        conversation.judge(reply, self.ctx.tasks, on_done=lambda _, judgement: self._on_early_judged(early, judgement),
                           on_error=lambda exc: self._on_early_failed(early, exc),
                           on_dropped=lambda: self._on_early_dropped(early))

    def _on_early_judged(self, early: _EarlyJudgement, judgement: Judgement) -> None:
        early.judgement = judgement
        if early.confirmed is not None:  # the reply is over and waits for this
            if early is self._early:
                self._early = None
            self._take_early(early, early.confirmed)

    def _on_early_dropped(self, early: _EarlyJudgement) -> None:
        early.failed = True
        if early.confirmed is not None:  # a reply shown as thinking, of a session since replaced
            if early is self._early:
                self._early = None
            self._on_judgement_dropped()

    def _on_early_failed(self, early: _EarlyJudgement, exc: BaseException) -> None:
        # Not the trainee's concern yet: the reply is judged again in full if it stands.
        log.info("judging a reply at a pause failed: %s", exc)
        early.failed = True
        if early.confirmed is not None:
            if early is self._early:
                self._early = None
            recording = self._keep_recording(early.confirmed.wav_path)
            self._submit(replace(early.reply, audio_path=recording), spoken=True, shown=True)

    def _on_listener_reply_ready(self, result: ReplyResult) -> None:
        """A reply heard: judged, or (when the recogniser was unsure) asked for again."""
        early, self._early = self._early, None
        self.view.set_busy(False)
        self.view.show_partial("")
        conversation = self.conversation
        if conversation is None or conversation.ended or self.busy or self.paused:
            _discard(result.wav_path)
            return
        text, sure = heard(result.text, result.confidence, result.low_confidence)
        if early is not None and not early.failed and conversation.is_current(early.ticket) \
                and early.reply.text == text and result.speculation == early.speculation:
            if early.judgement is not None:
                self._take_early(early, result)
            else:  # still being judged: the answer follows the moment it is
                self._early, early.confirmed = early, result
                self._think(text, spoken=True, words=early.reply.words)
            return
        if not sure:
            _discard(result.wav_path)
            self.say_again(heard=text)
            return
        recording = self._keep_recording(result.wav_path)
        self._submit(Reply(text, audio_path=recording, recognition_confidence=result.confidence,
                           words=_heard_words(result)), spoken=True)

    def _take_early(self, early: _EarlyJudgement, result: ReplyResult) -> None:
        """Apply the judgement made at the pause to the reply the listener confirmed."""
        assert early.judgement is not None
        if early.confirmed is None:
            self.view.add_trainee_reply(early.reply.text, True, early.reply.words)
        recording = self._keep_recording(result.wav_path)
        self._on_judged(replace(early.reply, audio_path=recording), early.judgement)

    def say_again(self, heard: str = "") -> None:
        """The customer asks the trainee to repeat themselves; no turn is taken, nothing is judged."""
        assert self.conversation is not None
        self.conversation.repeat()
        self.view.show_say_again(SAY_AGAIN)
        hint = f"The simulator wasn't sure it heard you right{f' (it heard “{heard}”)' if heard else ''}. " \
               "Say it again, or type your reply."
        self.view.show_notice(hint, "warning")
        self._say_again_hint = hint  # hidden once a reply is taken
        self.view.offer_typing()
        if not self._speak(SAY_AGAIN, self.conversation.state.agitation, "say-again"):
            self._your_turn()

    def _keep_recording(self, source: Path | str | None, interrupted: bool = False) -> Path | None:
        """Keep a reply's recording as this turn's (Recordings.keep), so the debrief can play it and
        the judge hears it; `interrupted`: what the microphone captured before it failed mid-reply
        (Recordings.keep_interrupted)."""
        assert self.conversation is not None
        if not source:
            return None
        recordings = self.ctx.store.recordings
        session, turns = self.conversation.session_id, len(self.conversation.turns)
        if interrupted:
            return recordings.keep_interrupted(source, session, turns)
        return recordings.keep(source, session, turns)

    # -- voice events ----------------------------------------------------------------------------
    def _on_voice_started(self, line_id: str) -> None:
        if self.phase != Phase.ENDED:
            self._set_phase(Phase.SPEAKING)

    def _on_voice_finished(self, line_id: str) -> None:
        if self.phase == Phase.SPEAKING and not self.paused:
            self._your_turn()

    def _on_voice_failed(self, message: str) -> None:
        log.warning("voice failed: %s", message)
        self.view.show_notice(f"{message.rstrip('.')}. Read their line on screen; subtitles are on.", "warning")
        can_talk, problem = self.listening.talk_capability()
        self.view.set_capabilities(can_talk, problem, False)
        if self.phase == Phase.SPEAKING:
            self._your_turn()

    def _stop_voice(self) -> None:
        voice: VoiceOutput | None = self.ctx.devices.voice
        if voice is not None:
            try:
                voice.stop()
            except Exception:
                log.exception("stopping the voice failed")

    def _stop_listening(self, close: bool = True) -> None:
        """Stop listening for a reply; `close` also closes the microphone (pause, leave, the end)."""
        listener: ReplyListener | None = self.ctx.devices.listener
        if listener is None:
            return
        try:
            listener.stop() if close else listener.cancel()
        except Exception:
            log.exception("stopping the listener failed")
        self._hold_prerender(False)
        self.view.show_partial("")

    # -- pause, restart, leave -------------------------------------------------------------------
    def pause(self) -> None:
        if self.paused or self.conversation is None or self.phase in (Phase.BRIEFING, Phase.ENDED, Phase.IDLE):
            return
        self._stop_voice()
        self._stop_listening()
        self.paused = True
        self.view.set_paused(True)

    def resume(self) -> None:
        if not self.paused or self.conversation is None:
            return
        self.paused = False
        self.view.set_paused(False)
        if not self.busy:
            # Say the line again: after a pause the trainee needs to hear where they were.
            self._present(self.conversation.current_line, animate=False)

    def request_restart(self) -> bool:
        if self.conversation is None:
            return False
        if self.conversation.turns and self.view.ask("restart") != "restart":
            return False
        self.restart()
        return True

    def restart(self) -> None:
        """A fresh attempt at the same scenario. The old one, if a turn was answered, stays in the
        history marked restarted (Conversation.restarted): never offered to resume nor "not finished"."""
        assert self.conversation is not None
        self._stop_voice()
        self._stop_listening()
        self.conversation.restarted()
        self.busy = False
        self.view.set_busy(False)
        self.load(self.conversation.scenario)
        self.begin()

    def request_leave(self) -> str | None:
        """Ask how to leave; returns what happened: later, end, or None (stayed)."""
        if self.conversation is None:
            self.left.emit()
            return "later"
        if self.conversation.ended:
            self.show_debrief()
            return "end"
        if not self.conversation.turns:
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
        if self.conversation is not None and self.conversation.turns:
            self.conversation.save()
        self.left.emit()

    def end_now(self) -> None:
        """Stop here and go to the debrief of what was said so far."""
        assert self.conversation is not None
        self._stop_voice()
        self._stop_listening()
        self.conversation.close()
        self.finished.emit(self.conversation.session_id)

    def show_debrief(self) -> None:
        if self.conversation is not None:
            self._stop_voice()
            self.finished.emit(self.conversation.session_id)


def _heard_words(result: ReplyResult) -> tuple[HeardWord, ...]:
    """The recognised words of a reply with their confidences."""
    return tuple(HeardWord(str(w.text), float(w.confidence)) for w in result.transcript.words)


def _discard(wav: Path | str | None) -> None:
    """Delete a reply recording nobody will judge or play (a reply the recogniser was unsure of)."""
    if wav:
        Recordings.discard(wav)
