"""The conversation's logic, apart from its widgets: turns, judging off the GUI thread, saving, voice and listening.

The presenter is handed its view (anything with the methods of `ConversationView`), so tests run
whole conversations against a plain fake view, and the real page stays a thin layer of widgets.

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
"""

from __future__ import annotations

import functools
import logging
import shutil
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from simulator.engine.judgement import HeardWord, Judgement, Reply
from simulator.engine.model import Scenario
from simulator.engine.session import CustomerLine, Runner, SessionState, TurnRecord
from simulator.records.sessions import SessionRecord
from simulator.ui.context import AppContext
from simulator.ui.conversation_listening import (
    build_recognizer,
    device_arg,
    listening_signature,
    make_listener,
    warm_up,
)

log = logging.getLogger(__name__)

# What the customer says, in character, when the recogniser wasn't sure what it heard: asking
# again is what a person would do, and it never judges words the trainee may not have said.
SAY_AGAIN = "Sorry, could you say that again?"

# Below this recogniser confidence a transcript is not trusted, whatever the listener said.
MIN_RECOGNITION_CONFIDENCE = 0.35

# Why replies must be typed when the recogniser is ready but the system lists no microphone.
NO_INPUT = ("No microphone was found, so type your replies. Plug one in, then check it under Microphone "
            "check and start the conversation again.")


@dataclass
class _EarlyJudgement:
    """A reply judged at a pause, before the listener confirmed the pause was its end."""

    speculation: int
    runner: Runner
    turns: int  # the session's turn count it was judged against
    reply: Reply
    judgement: Judgement | None = None
    failed: bool = False
    confirmed: Any = None  # the listener's confirming ReplyResult, while judging is still running


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
    def show_notice(self, text: str, kind: str = "info", retry_microphone: bool = False) -> None: ...
    def hide_notice(self, text: str) -> None: ...
    def set_capabilities(self, can_talk: bool, talk_problem: str, can_speak: bool) -> None: ...
    def set_paused(self, paused: bool) -> None: ...
    def offer_typing(self) -> None: ...
    def ask(self, question: str) -> str | None: ...


class ConversationPresenter(QObject):
    """Drives one conversation. Phases: briefing, speaking, your_turn, listening, thinking, ended.

    Signals:
        finished(str): the conversation is over (an ending, or the trainee ended it); the session id.
        left(): the trainee left to resume later; the session is saved and unfinished.
        listening_changed(str): the listener was rebuilt for new Settings; the message says why
            replies must be typed ("" when listening works).
    """

    finished = Signal(str)
    left = Signal()
    listening_changed = Signal(str)

    def __init__(self, view: ConversationView, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.ctx = context
        self.runner: Runner | None = None
        self.record: SessionRecord | None = None
        self._judge: Any = None
        self.phase = "idle"
        self.paused = False
        self.busy = False
        self._unsaved = False  # a save failed; the next one must catch up
        self._line_ids: dict[str, str] = {}
        self._listener: Any = None  # the listener whose signals are connected
        self._adaptation: Any = None  # the current scenario's recogniser adaptation
        self._build_generation = 0
        self._failed_signature: tuple | None = None
        # Why listening is off (a recogniser that could not be built), for the trainee.
        self.listen_problem = ""
        # A device or recogniser failure stops hands-free listening until the trainee tries again.
        self._listen_failed = False
        # The system listed no microphone when capabilities were last checked: the listener is left
        # alone (opening it could only fail and say so a second time).
        self._no_input = False
        self._early: _EarlyJudgement | None = None
        self._say_again_hint = ""
        self._connect_devices()

    # -- devices ---------------------------------------------------------------------------------
    @property
    def voice(self) -> Any:
        devices = self.ctx.devices
        return devices.voice if self.ctx.settings.voice_enabled and devices.can_speak else None

    @property
    def listener(self) -> Any:
        if self._no_input:
            return None
        return self.ctx.devices.listener if self.ctx.devices.can_listen else None

    def _connect_devices(self) -> None:
        voice = self.ctx.devices.voice
        if voice is not None:
            voice.started.connect(self._on_voice_started)
            voice.finished.connect(self._on_voice_finished)
            voice.failed.connect(self._on_voice_failed)
        self._connect_listener(self.ctx.devices.listener)

    def _listener_signals(self, listener: Any) -> list[tuple[Any, Any]]:
        pairs = [(listener.partial, self._on_listener_partial), (listener.level, self._on_listener_level),
                 (listener.reply_ready, self._on_listener_reply_ready), (listener.failed, self._on_listener_failed)]
        if hasattr(listener, "speech_started"):
            pairs.append((listener.speech_started, self._on_listener_speech_started))
        if hasattr(listener, "interrupted"):
            pairs.append((listener.interrupted, self._on_listener_interrupted))
        if hasattr(listener, "reply_likely"):
            pairs.append((listener.reply_likely, self._on_listener_reply_likely))
        return pairs

    def _connect_listener(self, listener: Any) -> None:
        """Follow `listener`'s signals (and no longer the previous listener's)."""
        if listener is self._listener:
            return
        if self._listener is not None:
            for signal, slot in self._listener_signals(self._listener):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
        self._listener = listener
        if listener is not None:
            for signal, slot in self._listener_signals(listener):
                signal.connect(slot)

    def disconnect_devices(self) -> None:
        """Stop listening to the shared devices (the window makes a new presenter per screen life)."""
        self._connect_listener(None)
        voice = self.ctx.devices.voice
        if voice is not None:
            try:
                voice.disconnect(self)
            except (RuntimeError, TypeError):
                pass

    def _device(self) -> bytes | None:
        return device_arg(self.ctx.settings.input_device)

    # -- building the listener from Settings -----------------------------------------------------
    def apply_listening_settings(self) -> None:
        """Make the listener match Settings: a new listen mode applies at once; another microphone,
        recogniser or model folder rebuilds the listener (the recogniser off the GUI thread)."""
        settings = self.ctx.settings
        listener = self.ctx.devices.listener
        wanted = listening_signature(settings)
        if listener is not None and getattr(listener, "settings_signature", wanted) == wanted:
            set_mode = getattr(listener, "set_mode", None)
            if callable(set_mode):
                set_mode(settings.listen_mode)
            return
        microphone = self.ctx.devices.microphone
        if microphone is None or (listener is None and self._failed_signature == wanted):
            return
        self._retire_listener()
        self._build_generation += 1
        generation = self._build_generation
        adaptation = self._adaptation
        self.ctx.tasks.submit(lambda: build_recognizer(settings, adaptation),
                              on_done=lambda rec: self._on_recognizer_built(generation, settings, rec),
                              on_error=lambda exc: self._on_recognizer_failed(generation, wanted, exc))

    def warm_listener(self) -> None:
        """After a new calibration reading: the listener's worker warms its recogniser on it (the
        cepstral mean of this microphone), so the next first reply is decoded once, not twice."""
        listener = self.ctx.devices.listener
        runner = getattr(listener, "runner", None)
        if listener is not None and runner is not None:
            runner.submit(functools.partial(warm_up, listener.recognizer, self.ctx.settings))

    def _retire_listener(self) -> None:
        old = self.ctx.devices.listener
        if old is None:
            return
        self._connect_listener(None)
        self.ctx.devices.listener = None
        try:
            old.close()
        except Exception:
            log.exception("closing the old listener failed")

    def _on_recognizer_built(self, generation: int, settings: Any, recognizer: Any) -> None:
        if generation != self._build_generation:
            return
        listener = make_listener(settings, self.ctx.devices.microphone, recognizer)
        listener.settings_signature = listening_signature(settings)
        self.ctx.devices.listener = listener
        self._connect_listener(listener)
        self.listen_problem = ""
        self._failed_signature = None
        self._listen_failed = False
        self._refresh_capabilities()
        self.listening_changed.emit("")

    def _on_recognizer_failed(self, generation: int, signature: tuple, exc: BaseException) -> None:
        if generation != self._build_generation:
            return
        from simulator.speech.engines import RecognizerUnavailable

        text = str(exc) if isinstance(exc, RecognizerUnavailable) else f"speech recognition could not start ({exc})"
        log.warning("listener not rebuilt: %s", text)
        self.listen_problem = text[:1].upper() + text[1:]
        self._failed_signature = signature
        self._refresh_capabilities()
        self.listening_changed.emit(self.listen_problem)

    def _refresh_capabilities(self) -> None:
        if self.runner is None or self.phase in ("idle", "ended"):
            return
        can_talk, problem = self._talk_capability()
        self.view.set_capabilities(can_talk, problem, self.voice is not None)

    def _adapt(self, scenario: Scenario) -> None:
        """Build the recogniser's adaptation to this scenario on the task runner, then hand it to the
        listener (which applies it on its own worker)."""
        listener = self.ctx.devices.listener
        if listener is None or not hasattr(listener, "set_adaptation"):
            return

        def build() -> Any:
            from simulator.speech.adaptation import build_adaptation, phrases_for_scenario

            phrases, names = phrases_for_scenario(scenario)
            return build_adaptation(phrases, names)

        def adapted(adaptation: Any) -> None:
            if self.runner is None or self.runner.scenario is not scenario:
                return
            self._adaptation = adaptation
            current = self.ctx.devices.listener
            if current is not None and hasattr(current, "set_adaptation"):
                current.set_adaptation(adaptation)

        self.ctx.tasks.submit(build, on_done=adapted,
                              on_error=lambda exc: log.warning("no scenario adaptation: %s", exc))

    # -- starting --------------------------------------------------------------------------------
    def load(self, scenario: Scenario, state: SessionState | None = None) -> None:
        """Prepare a conversation (new, resumed, or rewound) and show its briefing."""
        settings = self.ctx.settings
        baseline = Path(settings.baseline_wav) if settings.baseline_wav else None
        judge = self.ctx.make_judge()
        self.runner = Runner(scenario, state=state, baseline_audio=baseline)
        self._judge = judge
        self._warm_judge(judge, baseline)
        self.record = SessionRecord(trainee=settings.trainee_name, scenario_title=scenario.title,
                                    state=self.runner.state)
        self.paused = False
        self.phase = "briefing"
        self._early = None
        self._listen_failed = False
        self._adapt(scenario)
        can_talk, problem = self._talk_capability()
        self.view.set_capabilities(can_talk, problem, self.voice is not None)
        if self.voice is not None:
            try:
                self.voice.prepare(scenario, extra=(SAY_AGAIN,))
            except Exception:  # the voice renders lazily later; a failed warm-up is not fatal
                log.exception("preparing the customer's voice failed")
        self.view.show_briefing(scenario, len(self.runner.state.turns))

    def _warm_judge(self, judge: Any, baseline: Path | None) -> None:
        """Build the trainee's tone baseline while they read the briefing: otherwise the first
        spoken reply of every session waits for it (120-200 ms more judging, bench/turn_latency.py).
        The judge keeps it, locked, so a reply judged meanwhile just waits for the same work."""
        warm = getattr(judge, "baseline", None)
        if baseline is None or not callable(warm):
            return
        self.ctx.tasks.submit(lambda: warm(baseline),
                              on_error=lambda exc: log.info("tone baseline not prepared early: %s", exc))

    def _talk_capability(self) -> tuple[bool, str]:
        """Whether replies can be spoken, and if not why (for the trainee). Also notes whether the
        system lists any microphone, so the listener is not opened when there is none."""
        devices = self.ctx.devices
        self._no_input = False
        if devices.listener is None:
            if self.listen_problem:
                return False, f"{self.listen_problem.rstrip('.')}. Type your replies for now."
            if devices.microphone is None:
                return False, "No microphone was found, so type your replies. Plug one in and check it under Microphone."
            return False, "Speech recognition isn't available on this computer, so type your replies."
        if not devices.can_listen:
            return False, "No microphone is working right now, so type your replies. Check it under Microphone."
        if not self._microphone_present():
            # The recogniser is ready but the system lists no input (no sound server, nothing
            # plugged in): a talk button would only fail, so typing is offered from the start.
            self._no_input = True
            return False, NO_INPUT
        return True, ""

    def _microphone_present(self) -> bool:
        list_inputs = getattr(self.ctx.devices.microphone, "devices", None)
        if not callable(list_inputs):
            return True  # nothing to ask: trust the listener
        try:
            return bool(list_inputs())
        except Exception:
            log.exception("listing microphones failed")
            return True

    def begin(self) -> None:
        """Leave the briefing: the customer speaks first."""
        assert self.runner is not None
        self.view.show_conversation(self.runner.scenario, list(self.runner.state.turns))
        self._open_microphone()
        self._present(self.runner.current_line, animate=False)

    def _open_microphone(self) -> None:
        """Open the microphone now (the level shows, and the first reply does not wait for it)."""
        listener = self.listener
        open_ = getattr(listener, "open", None)
        if callable(open_):
            try:
                open_(self._device())
            except Exception:
                log.exception("opening the microphone failed")

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
        if listener is not None and self.ctx.settings.listen_mode == "hands_free" and not self.paused \
                and not self._listen_failed:
            self._start_hands_free(listener)

    def _start_hands_free(self, listener: Any) -> None:
        try:
            started = listener.start(self._device())
        except Exception as exc:
            log.exception("hands-free listening failed to start")
            self._on_listener_failed(f"The microphone didn't start ({exc}).")
            return
        if started is not False and self.phase == "your_turn":
            self._set_phase("listening")

    def _set_phase(self, phase: str) -> None:
        self.phase = phase
        self.view.set_phase(phase)

    def _end(self) -> None:
        assert self.runner is not None and self.record is not None
        self._stop_listening()
        self._set_phase("ended")
        # The customer's last line first: the save (10-40 ms) and the ending's panel can follow it.
        voice = self.voice
        if voice is not None:
            line = self.runner.current_line
            self._speak(line.text, line.agitation, self._line_id(line))
            self.phase = "ended"
        self.record.closed = True
        self._save()
        ending = self.runner.scenario.endings[self.runner.state.ending_id or ""]
        self.view.show_ending(self.runner.outcome or "unresolved", ending.summary)

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
        self._stop_listening(close=False)
        self._submit(Reply(text), spoken=False)
        return True

    def _submit(self, reply: Reply, spoken: bool, shown: bool = False) -> None:
        assert self.runner is not None
        runner, judge = self.runner, self._judge
        self._early = None
        self._think(reply.text if not shown else None, spoken)
        self.ctx.tasks.submit(lambda: runner.judge(reply, judge),
                              on_done=lambda judgement: self._on_judged(runner, reply, judgement),
                              on_error=self._on_judge_failed)

    def _think(self, reply_text: str | None, spoken: bool) -> None:
        """A reply is being judged: show it (unless `reply_text` is None: already shown), and wait."""
        self.busy = True
        if reply_text is not None:
            self.view.add_trainee_reply(reply_text, spoken)
        self._set_phase("thinking")
        self.view.set_busy(True)

    def _on_judged(self, runner: Runner, reply: Reply, judgement: Judgement) -> None:
        self.busy = False
        self.view.set_busy(False)
        if runner is not self.runner or runner.ended:
            return  # the trainee restarted or left while this reply was being judged
        if judgement.unsure_words:
            # A grave trigger resting only on words the recogniser was unsure of: heard again, as
            # an unsure reply is (simulator.analysis.unsure), never applied.
            _discard(reply.audio_path)
            if not self.paused:  # else resuming says the customer's line again
                self.say_again(heard=reply.text)
            return
        # A turn names who answered only in classroom mode; here the session is the trainee's.
        runner.apply(reply, judgement)
        if self._say_again_hint:  # heard this time: "wasn't sure it heard you" no longer applies
            self.view.hide_notice(self._say_again_hint)
            self._say_again_hint = ""
        if self.paused:
            self._save()
            return
        # The customer answers first and the session is saved while the line plays: a save writes
        # the whole session (10-40 ms, more on a busy disk) and the answer should not wait for it
        # (bench/turn_latency.py). An ending is saved by `_end`, inside `_present`.
        self._present(runner.current_line)
        if not runner.ended:
            self._save()

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
            # Every save writes the whole session, so the next one catches up on this turn too.
            log.error("saving the session failed: %s", exc)
            self._unsaved = True
            self.view.show_notice(f"Your session could not be saved: {str(exc).rstrip('.')}. Nothing is lost "
                                  "yet: it is kept here and saved again after your next reply, so please "
                                  "don't close the simulator.", "danger")
            return
        if self._unsaved:
            self._unsaved = False
            log.info("the session was saved again after a failure")
            self.view.show_notice("Your session is saved again; nothing was lost.", "info")

    # -- speaking --------------------------------------------------------------------------------
    def press_to_talk(self) -> bool:
        listener = self.listener
        if listener is None or not self.accepts_reply():
            return False
        self._stop_voice()  # a trainee who talks over the customer is heard, as in real life
        self._listen_failed = False  # pressing again is trying again
        try:
            pressed = listener.press(self._device())
        except Exception as exc:
            log.exception("push-to-talk failed")
            self._on_listener_failed(f"The microphone didn't start ({exc}).")
            return False
        if pressed is False:
            return False  # `failed` has said why
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
        log.warning("listening failed: %s", message)
        self._listen_failed = True
        self.view.set_busy(False)
        self.view.show_partial("")
        self.view.show_notice(f"{message.rstrip('.')}. You can type your reply instead.", "warning",
                              retry_microphone=True)
        if self.runner is not None and not self.runner.ended and not self.busy \
                and self.phase in ("listening", "thinking", "your_turn"):
            self._set_phase("your_turn")
            self.view.offer_typing()

    def retry_microphone(self) -> None:
        """The trainee plugged the microphone back in (the failure notice's action): check for it
        again, reopen it, and in hands-free mode listen again if it is their turn."""
        if self.runner is None or self.runner.ended or self.phase in ("idle", "ended", "briefing"):
            return
        self._listen_failed = False
        can_talk, problem = self._talk_capability()
        self.view.set_capabilities(can_talk, problem, self.voice is not None)
        listener = self.listener
        if not can_talk or listener is None:
            self.view.show_notice(problem or "The microphone still isn't working, so type your reply.",
                                  "warning", retry_microphone=True)
            return
        try:
            opened = listener.open(self._device())
        except Exception as exc:
            log.exception("reopening the microphone failed")
            self._on_listener_failed(f"The microphone didn't start ({exc}).")
            return
        if opened is False or self._listen_failed:
            return  # `failed` has said why, and offered the action again
        log.info("the microphone was reopened after a failure")
        if self.phase in ("your_turn", "listening") and not self.paused and not self.busy:
            self._your_turn()
        else:
            self.view.set_phase(self.phase)  # the talk button follows the capabilities

    def _on_listener_interrupted(self, wav: Any) -> None:
        """The microphone failed mid-reply: keep what it captured with the session's recordings
        (as turn-NNN-interrupted.wav), so nothing the trainee said is lost."""
        if self.runner is None or not wav:
            return
        source = Path(wav)
        try:
            folder = self.ctx.store.folder(self.runner.state.session_id)
            folder.mkdir(parents=True, exist_ok=True)
            stem = f"turn-{len(self.runner.state.turns):03d}-interrupted"
            target = folder / f"{stem}.wav"
            n = 1
            while target.exists():
                n += 1
                target = folder / f"{stem}-{n}.wav"
            shutil.move(str(source), target)
        except OSError as exc:
            log.warning("the interrupted reply stays in %s (moving it to the session failed: %s)", source, exc)
            return
        log.warning("the reply interrupted by the microphone failure is kept in %s", target)

    def _on_listener_reply_likely(self, result: Any) -> None:
        """A Listener ReplyResult made at a pause: judged now, applied if `reply_ready` confirms it."""
        self._early = None
        runner = self.runner
        if runner is None or runner.ended or self.busy or self.paused or self.phase != "listening":
            return
        text, sure = _heard(result)
        if not sure or result.wav_path is None:
            return  # asked again or judged in full once the reply is over
        reply = Reply(text, audio_path=Path(result.wav_path), recognition_confidence=result.confidence,
                      words=_heard_words(result))
        early = self._early = _EarlyJudgement(result.speculation, runner, len(runner.state.turns), reply)
        judge = self._judge
        self.ctx.tasks.submit(lambda: runner.judge(reply, judge),
                              on_done=lambda judgement: self._on_early_judged(early, judgement),
                              on_error=lambda exc: self._on_early_failed(early, exc))

    def _on_early_judged(self, early: _EarlyJudgement, judgement: Judgement) -> None:
        early.judgement = judgement
        if early.confirmed is not None:  # the reply is over and waits for this
            if early is self._early:
                self._early = None
            self._take_early(early, early.confirmed)

    def _on_early_failed(self, early: _EarlyJudgement, exc: BaseException) -> None:
        # Not the trainee's concern yet: the reply is judged again in full if it stands.
        log.info("judging a reply at a pause failed: %s", exc)
        early.failed = True
        if early.confirmed is not None:
            if early is self._early:
                self._early = None
            if early.runner is not self.runner:
                self.busy = False
                self.view.set_busy(False)
                return
            recording = self._keep_recording(getattr(early.confirmed, "wav_path", None))
            self._submit(replace(early.reply, audio_path=recording), spoken=True, shown=True)

    def _on_listener_reply_ready(self, result: Any) -> None:
        """A Listener ReplyResult: judged, or (when the recogniser was unsure) asked for again."""
        early, self._early = self._early, None
        self.view.set_busy(False)
        self.view.show_partial("")
        wav = getattr(result, "wav_path", None)
        if self.runner is None or self.runner.ended or self.busy or self.paused:
            _discard(wav)
            return
        text, _ = _heard(result)
        if early is not None and not early.failed and early.runner is self.runner \
                and early.turns == len(self.runner.state.turns) and early.reply.text == text \
                and getattr(result, "speculation", None) == early.speculation:
            if early.judgement is not None:
                self._take_early(early, result)
            else:  # still being judged: the answer follows the moment it is
                self._early, early.confirmed = early, result
                self._think(text, spoken=True)
            return
        self._judge_confirmed(result)

    def _take_early(self, early: _EarlyJudgement, result: Any) -> None:
        """Apply the judgement made at the pause to the reply the listener confirmed."""
        assert early.judgement is not None
        if early.confirmed is None:
            self.view.add_trainee_reply(early.reply.text, True)
        recording = self._keep_recording(getattr(result, "wav_path", None))
        self._on_judged(early.runner, replace(early.reply, audio_path=recording), early.judgement)

    def _judge_confirmed(self, result: Any) -> None:
        wav = getattr(result, "wav_path", None)
        text, sure = _heard(result)
        if not sure:
            _discard(wav)
            self.say_again(heard=text)
            return
        recording = self._keep_recording(wav)
        self._submit(Reply(text, audio_path=recording, recognition_confidence=result.confidence,
                           words=_heard_words(result)), spoken=True)

    def say_again(self, heard: str = "") -> None:
        """The customer asks the trainee to repeat themselves; no turn is taken, nothing is judged."""
        assert self.runner is not None
        self.runner.repeat()
        self.view.show_say_again(SAY_AGAIN)
        hint = f"The simulator wasn't sure it heard you right{f' (it heard “{heard}”)' if heard else ''}. " \
               "Say it again, or type your reply."
        self.view.show_notice(hint, "warning")
        self._say_again_hint = hint  # hidden once a reply is taken
        self.view.offer_typing()
        if not self._speak(SAY_AGAIN, self.runner.state.agitation, "say-again"):
            self._your_turn()

    def _keep_recording(self, source: Path | str | None) -> Path | None:
        """Move the reply's recording into the session folder (SessionStore.recording_path), so the
        debrief can play it and the judge hears it."""
        assert self.runner is not None
        if not source:
            return None
        try:
            # Inside the try: making the session folder fails on a read-only or full disk too.
            target = self.ctx.store.recording_path(self.runner.state.session_id, len(self.runner.state.turns))
            shutil.move(str(source), target)
        except OSError as exc:
            log.warning("keeping the recording %s failed: %s", source, exc)
            return Path(source) if Path(source).is_file() else None
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

    def _stop_listening(self, close: bool = True) -> None:
        """Stop listening for a reply; `close` also closes the microphone (pause, leave, the end)."""
        listener = self.ctx.devices.listener
        if listener is None:
            return
        stop = getattr(listener, "stop", None) if close else getattr(listener, "cancel", None)
        if callable(stop):
            try:
                stop()
            except Exception:
                log.exception("stopping the listener failed")
        self.view.show_partial("")

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
    Runner(scenario, state=copy).rewind(turn_index)
    return copy


def _heard(result: Any) -> tuple[str, bool]:
    """A listener ReplyResult's text, tidied, and whether the recogniser was sure enough of it to judge."""
    text = " ".join(str(result.text or "").split())
    confidence = result.confidence
    low = bool(result.low_confidence) or (confidence is not None and confidence < MIN_RECOGNITION_CONFIDENCE)
    return text, bool(text) and not low


def _heard_words(result: Any) -> tuple[HeardWord, ...]:
    """The recognised words of a listener ReplyResult with their confidences (none without a transcript)."""
    words = getattr(getattr(result, "transcript", None), "words", None) or ()
    return tuple(HeardWord(str(w.text), float(w.confidence)) for w in words)


def _discard(wav: Path | str | None) -> None:
    """Delete a reply recording nobody will judge or play (a reply the recogniser was unsure of)."""
    if wav:
        try:
            Path(wav).unlink(missing_ok=True)
        except OSError:
            pass
