"""The listener: turns microphone audio into the trainee's reply, by push-to-talk or hands-free.

It glues the Microphone, the VAD's TurnDetector and a streaming recogniser. Voice activity
detection runs on the GUI thread (a few microseconds per 30 ms frame); recognition runs on one
worker thread, fed chunk by chunk while the trainee speaks, so when the turn ends only the
recogniser's final pass is left. The worker is an `OrderedWorker` (simulator.devices.workers:
tasks in order, never two at once); tests pass an `InlineWorker` and everything happens inline.

That final pass is started early (see `_SPECULATE_AFTER`), hands-free and while the talk key is
held: after a short pause (seen by a second TurnDetector with that hangover) the worker finishes
the utterance speculatively while the VAD's hangover (0.35 s) runs or before the key is let go, writes the recording so far and offers the result as
`reply_likely`, so the presenter can judge it in the same wait. If the hangover confirms the end,
that transcript and recording are the reply (what followed was silence, by the VAD's judgement). If
the trainee speaks again, what was heard before the pause stands and the speech after it is a new
utterance (with 0.1 s of the pause before it), joined on when the reply ends: nothing is decoded
twice, at the price of the language model not carrying its context across a pause of 0.15 s or more.
A recogniser with `resume` (Whisper, whose every pass runs its whole model anyway) instead goes on
with the same reply, and its next pass decodes it from the start; a pass the trainee has already
spoken past when the worker reaches it is skipped.

Hands-free, the turn can also end on a cue rather than on silence alone (off by default, see
`_END_ON_CUE`): at each pause the worker, which owns the recogniser, reads its partial transcript
and the pitch of the speech before the pause (simulator.speech.endpoint, ~3 ms) and sends the
verdict back by a queued signal; if the reply sounds finished the detector ends the turn after a
short pause, else after a long one. Push-to-talk never asks.
"""

from __future__ import annotations

import functools
import logging
import time
import wave
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QObject, Signal

from simulator import paths
from simulator.devices.microphone import SAMPLE_RATE, Microphone
from simulator.devices.signals import safe_emit
from simulator.devices.workers import OrderedWorker, Submit
from simulator.records.recordings import Recordings
from simulator.speech import endpoint
from simulator.speech.recognizer import (
    StreamingRecognizer,
    Transcript,
    is_low_confidence,
    join_transcripts,
)
from simulator.speech.vad import DEFAULT_HANGOVER, TurnDetector, TurnEvent

log = logging.getLogger(__name__)

Mode = Literal["push_to_talk", "hands_free"]
# Audio kept from before the VAD noticed speech: the VAD needs ~100 ms to be sure, and the
# recogniser needs the word's onset and a little silence before it.
_PREROLL = 0.3
# How often the live transcript is refreshed while the trainee speaks.
_PARTIAL_INTERVAL = 0.25
# Silence after which the final pass starts speculatively (hands-free); None: never.
# bench/turn_latency.py (2 cores, 16 turns, true end of speech -> first sound of the answer):
#   off:                                    median 504 ms, p95 585 ms (hangover 375, final pass
#                                           and queued chunks 79, judging 35, the rest 16)
#   0.15 s, re-decoding after a pause:      median 633 ms, p95 1198 ms (a pause between sentences
#                                           made the worker decode the reply so far again)
#   0.15 s, new utterance after a pause,    median 397-402 ms, p95 427-445 ms (two runs; judged
#   judged at the pause (now):              at the pause in 31 of 32 turns, 108-128 ms before
#                                           the turn ended; the hangover is 94-96% of the rest)
# It used to stall the GUI thread's VAD (`end_utt` holds the GIL, 0.2-0.5 s with the fwdflat
# pass); without fwdflat it is ~22 ms and the VAD's turn end comes no later than with it off.
_SPECULATE_AFTER: float | None = 0.15
# Leading silence given to the utterance that starts when the trainee speaks again after a pause.
_RESUME_LEAD = 0.1
# Hands-free, end a reply that sounds finished after a short pause (simulator.speech.endpoint)
# instead of the plain hangover. Off by default, by measurement (bench/endpoint.py, figures in
# simulator.speech.endpoint): against the plain 0.35 s it ends replies ~110 ms sooner (median
# 341 vs 450 ms) and splits fewer real read sentences (4/51 vs 6/51), but ends more two-sentence
# replies at the pause between the sentences (28/60 vs 19/60), and a reply ended early loses its
# second sentence: nothing is heard until the customer has answered. Worth turning on once the
# trainee can go on talking into the customer's answer (the reply then continued, not lost).
_END_ON_CUE = False


@dataclass(frozen=True)
class ReplyResult:
    """One reply heard. Times are `time.monotonic()` seconds."""

    text: str
    confidence: float
    low_confidence: bool
    wav_path: Path | None
    # When the VAD says the trainee stopped speaking: the true end of the reply.
    speech_end_time: float
    # When the transcript was ready.
    result_time: float
    transcript: Transcript
    speech_start_time: float | None = None
    # The speculation this result came from (hands-free, see `Listener.reply_likely`): the same
    # number on a `reply_likely` and the `reply_ready` that confirms it; None when there was none.
    speculation: int | None = None

    @classmethod
    def of(cls, transcript: Transcript, wav_path: Path | None, speech_end_time: float,
           speech_start_time: float | None, speculation: int | None = None) -> ReplyResult:
        """The result for a transcript ready now."""
        return cls(transcript.text, transcript.confidence, is_low_confidence(transcript), wav_path,
                   speech_end_time, time.monotonic(), transcript, speech_start_time, speculation)

    @property
    def latency(self) -> float:
        """Seconds from the end of speech to the transcript."""
        return self.result_time - self.speech_end_time


@dataclass(frozen=True)
class _Speculation:
    """The final pass made at a pause of turn `serial`: what the reply is if the pause is its end."""

    serial: int
    result: ReplyResult


class Listener(QObject):
    """Listens for one reply at a time and emits its transcript.

    Hands-free: after `start()`, the reply begins when the VAD hears speech and ends after the
    hangover of silence (or, with `end_on_cue`, a short or a long pause depending on whether
    the reply sounds finished). Push-to-talk: `press()` begins the reply and `release()` ends it.
    After a reply, the microphone stays open (the level keeps moving) but nothing is recognised
    until `start()` or `press()` is called again, so the customer's voice is never taken for a reply.

    Signals:
        listening: waiting for the trainee's reply (the service has started).
        speech_started: the VAD heard speech (hands-free) or the talk key went down.
        partial(str): the live transcript while the trainee speaks.
        level(float): the microphone level, 0..1, about 20 times a second.
        reply_ready(object): a ReplyResult.
        reply_likely(object): hands-free, at a pause (see `_SPECULATE_AFTER`): a ReplyResult the
            reply will be if the pause turns out to be its end, so its judging can start while
            the hangover runs. The `reply_ready` that follows carries the same `speculation`
            number if it did (same text, same recording); if the trainee went on speaking, a
            later `reply_ready` without it replaces it.
        interrupted(object): the microphone failed mid-reply; the Path of the WAV of what it had
            captured (a reply's name ending "-interrupted"), emitted just before `failed`.
        finished: the microphone was closed by `stop()` or a failure.
        failed(str): the microphone or the recogniser failed; the message says what to do.
    """

    listening = Signal()
    speech_started = Signal()
    partial = Signal(str)
    level = Signal(float)
    reply_ready = Signal(object)
    reply_likely = Signal(object)
    interrupted = Signal(object)
    finished = Signal()
    failed = Signal(str)
    # Results from the worker thread, delivered to the GUI thread by a queued connection.
    # What it was built from (simulator.ui.listening.listening_signature), set by
    # whoever builds it; None: rebuilt at the first check against Settings.
    settings_signature: tuple | None = None

    _worker_result = Signal(object)
    _worker_likely = Signal(object)
    _worker_partial = Signal(str)
    _worker_verdict = Signal(object)  # (turn serial, pause number, sounds complete)
    _worker_failed = Signal(str)

    def __init__(self, recognizer: StreamingRecognizer | None = None, *,
                 mode: Mode = "hands_free", hangover: float = DEFAULT_HANGOVER,
                 end_on_cue: bool | None = None,
                 worker: Submit | None = None, microphone: Microphone | None = None,
                 recordings: Recordings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.recognizer = recognizer if recognizer is not None else StreamingRecognizer()
        self.mode: Mode = mode
        # Its own thread unless one is handed in (which its giver closes); either way one that
        # keeps order and never overlaps tasks (an OrderedWorker or an InlineWorker, not a pool).
        self._own_worker: OrderedWorker | None = None
        if worker is None:
            worker = self._own_worker = OrderedWorker("listener")
        self.worker: Submit = worker
        self.microphone = microphone if microphone is not None else Microphone(self)
        # Where each reply's WAV is written (records.recordings names them; the presenter keeps or discards them).
        self.recordings = recordings if recordings is not None else Recordings(paths.data_dir())
        # On the cue, the turn ends after a short pause when the reply sounds finished, after a
        # long one when not, and `hangover` is unused; else always after `hangover`.
        if end_on_cue if end_on_cue is not None else _END_ON_CUE:
            hangover = endpoint.LONG_HANGOVER
            self._detector = TurnDetector(hangover, short_hangover=endpoint.SHORT_HANGOVER,
                                          pause_after=endpoint.PAUSE_AFTER)
        else:
            self._detector = TurnDetector(hangover)
        # Reports pauses (its "turn_end") and speech after them, for the speculative final pass;
        # not for a recogniser that asks to decode only at the end (`streaming` False). Whisper
        # does not ask: its decode at a pause runs while the hangover does.
        self._pause_detector = TurnDetector(min(_SPECULATE_AFTER, hangover)) \
            if _SPECULATE_AFTER is not None and getattr(self.recognizer, "streaming", True) else None
        self._speculating = False  # the worker's utterance is finished early; chunks are held
        self._speculations = 0  # numbers each speculation
        self._speculated_bytes = 0  # the turn's audio when the latest speculation began
        self._turn_serial = 0
        # Worker side: the speculative final pass's result, and the reply heard before the
        # latest pause that speech followed (the utterance after a pause is a new one).
        self._speculation: _Speculation | None = None
        self._heard: tuple[int, Transcript] | None = None
        # A recogniser whose `resume` goes on with the whole reply after a pass at a pause
        # (Whisper) rather than starting a new utterance to join on (PocketSphinx).
        self._whole = callable(getattr(self.recognizer, "resume", None))
        self._resumed = 0  # GUI side: the speculation after which speech resumed
        # The talk key is down: the reply ends when it is let go, hands-free too, so a trainee can
        # pause between sentences of a long reply without the pause ending it.
        self._held = False
        self._skipped: tuple[int, int] | None = None  # worker side: a speculation not made
        self._recognising = 0  # worker side: the turn the recogniser's utterance is for
        self._prefix = ""  # worker side: the words before a pause, for the live transcript
        self._segment_offset = 0.0  # seconds into the reply where the current utterance starts
        self._preroll: deque[bytes] = deque()
        self._preroll_bytes = 0
        self._armed = False
        self._in_turn = False
        self._turn_audio = bytearray()
        self._turn_start_time: float | None = None
        self._speech_end_time: float | None = None
        self._turn_index = 0
        self._device_id: bytes | None = None
        self._last_partial = 0.0
        self._last_chunk_time = 0.0
        self.microphone.chunk.connect(self._on_chunk)
        self.microphone.level.connect(self.level)
        self.microphone.failed.connect(self._on_microphone_failed)
        self._worker_result.connect(self._on_worker_result)
        self._worker_likely.connect(self._on_worker_likely)
        self._worker_partial.connect(self.partial)
        self._worker_verdict.connect(self._on_worker_verdict)
        self._worker_failed.connect(self._on_worker_failed)

    # -- control ----------------------------------------------------------------------------

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode

    def preload(self) -> None:
        """Load the recogniser's models on the worker, ahead of the first reply."""
        self.worker.submit(self._guard(self.recognizer.prepare))

    def open(self, device_id: bytes | None = None) -> bool:
        """Open the microphone (level, pre-roll) without listening for a reply yet, so the first
        reply does not wait for the device to open."""
        return self._open(device_id)

    def cancel(self) -> None:
        """Stop listening for a reply (one in progress is dropped) but keep the microphone open."""
        self._cancel_turn()
        self._armed = False

    def set_adaptation(self, adaptation: object) -> None:
        """Adapt the recogniser to a scenario and load its models, on the worker (the recogniser
        is not thread-safe). Recognisers without scenario adaptation just load."""
        recognizer = self.recognizer

        def apply() -> None:
            setter = getattr(recognizer, "set_adaptation", None)
            if callable(setter):
                setter(adaptation)
            prepare = getattr(recognizer, "prepare", None)
            if callable(prepare):
                prepare()
        self.worker.submit(self._guard(apply))

    def start(self, device_id: bytes | None = None) -> bool:
        """Open the microphone if needed and wait for the next reply."""
        if not self._open(device_id):
            return False
        self._cancel_turn()
        self._reset_detectors()
        self._armed = True
        safe_emit(self.listening)
        return True

    def press(self, device_id: bytes | None = None) -> bool:
        """Push-to-talk: the reply starts now (with a moment of audio from before the press). Hands-free
        too: a reply begun with the key ends when it is let go, not at a pause."""
        if not self._open(device_id):
            return False
        self._cancel_turn()
        self._reset_detectors()
        self._armed = True
        safe_emit(self.listening)
        self._begin_turn(time.monotonic())
        self._held = True
        safe_emit(self.speech_started)
        return True

    def _reset_detectors(self) -> None:
        self._detector.reset()
        if self._pause_detector is not None:
            self._pause_detector.reset()

    def release(self) -> None:
        """Push-to-talk: the reply is over."""
        self._held = False
        if not self._in_turn:
            return
        now = time.monotonic()
        # The true end of speech is the VAD's, if it heard speech end before the release.
        for event in self._detector.flush():
            self._speech_end_time = now - (self._detector.time - event.time)
        end = self._speech_end_time if self._speech_end_time is not None else now
        self._end_turn(min(end, now))

    def stop(self) -> None:
        """Close the microphone; a reply in progress is dropped."""
        self._cancel_turn()
        self._armed = False
        if self.microphone.active:
            self.microphone.stop()
            safe_emit(self.finished)

    def close(self) -> None:
        """Stop, wait for the worker, and let go of a shared microphone (a listener rebuilt
        with other settings takes it over)."""
        self.stop()
        if self._own_worker is not None:
            self._own_worker.close()
        self._drop_speculation()  # its recording, if the worker made one no reply took
        for signal, slot in ((self.microphone.chunk, self._on_chunk),
                             (self.microphone.level, self.level),
                             (self.microphone.failed, self._on_microphone_failed)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    # -- audio ------------------------------------------------------------------------------

    def _open(self, device_id: bytes | None) -> bool:
        if self.microphone.active and device_id == self._device_id:
            return True
        self._device_id = device_id
        return self.microphone.start(device_id)

    def _on_chunk(self, pcm: bytes) -> None:
        now = self._last_chunk_time = time.monotonic()
        if not self._armed:
            self._remember(pcm)
            return
        events = self._detector.feed(pcm)
        pauses = self._pause_detector.feed(pcm) if self._pause_detector is not None else []
        if self._in_turn:
            self._turn_audio.extend(pcm)
            if not self._speculating:
                self.worker.submit(self._guard(lambda: self._feed(pcm)))
            # Push-to-talk too: a pause while the key is held starts the final pass, so a release
            # after the trainee has stopped finds the reply decoded (and judged) already.
            self._follow_pauses(pauses, now)
        self._handle(events, now, pcm)
        if not self._in_turn:
            self._remember(pcm)

    def _handle(self, events: list[TurnEvent], now: float, pcm: bytes = b"") -> None:
        for event in events:
            # Audio time to wall-clock time: the last chunk fed ended `now`.
            at = now - (self._detector.time - event.time)
            if event.kind == "pause":
                if self._in_turn and self.mode == "hands_free" and not self._held:
                    self._ask_if_complete(event)
            elif event.kind == "speech_start":
                self._speech_end_time = None
                if not self._in_turn and self.mode == "hands_free":
                    self._begin_turn(at, include=pcm)
                    safe_emit(self.speech_started)
            elif event.kind == "turn_end":
                self._speech_end_time = at
                if self._in_turn and self.mode == "hands_free" and not self._held:
                    self._end_turn(at)

    def _ask_if_complete(self, event: TurnEvent) -> None:
        """A pause: the worker judges whether the reply so far sounds finished (it owns the
        recogniser's partial; the pitch is read there too, off the GUI thread)."""
        tail = endpoint.speech_tail(self._turn_audio, self._detector.time - event.time)
        serial, pause = self._turn_serial, event.pause
        self.worker.submit(self._guard(lambda: self._judge(serial, pause, tail)))

    def _on_worker_verdict(self, verdict: tuple[int, int, bool]) -> None:
        serial, pause, complete = verdict
        if serial != self._turn_serial or not self._in_turn:
            return  # the turn it was about has ended
        self._handle(self._detector.verdict(pause, complete), self._last_chunk_time)

    def _follow_pauses(self, pauses: list[TurnEvent], now: float) -> None:
        serial = self._turn_serial
        if self._pause_detector is None:
            return
        for event in pauses:
            if event.kind == "turn_end" and not self._speculating:
                self._speculating = True
                self._speculations += 1
                self._speculated_bytes = len(self._turn_audio)
                speech_end = now - (self._pause_detector.time - event.time)
                speculate = functools.partial(self._speculate, serial, self._speculations,
                                              bytes(self._turn_audio), self._turn_index,
                                              speech_end, self._turn_start_time)
                self.worker.submit(self._guard(speculate))
            elif event.kind == "speech_start" and self._speculating:
                self._speculating = False
                # Read by the worker: a speculation not begun yet is not worth making.
                self._resumed = self._speculations
                # The speech after the pause, with a little of the pause before it as the new
                # utterance's leading silence (a recogniser that hears the whole reply again gets
                # only the audio held back since the pause began).
                start = max(0, self._speculated_bytes - 2 * int(_RESUME_LEAD * SAMPLE_RATE))
                resume = functools.partial(self._resume, serial, bytes(self._turn_audio[start:]),
                                           start / 2 / SAMPLE_RATE,
                                           bytes(self._turn_audio[self._speculated_bytes:]),
                                           self._speculations)
                self.worker.submit(self._guard(resume))

    def _remember(self, pcm: bytes) -> None:
        self._preroll.append(pcm)
        self._preroll_bytes += len(pcm)
        limit = int(_PREROLL * SAMPLE_RATE) * 2
        while self._preroll and self._preroll_bytes - len(self._preroll[0]) >= limit:
            self._preroll_bytes -= len(self._preroll.popleft())

    def _begin_turn(self, at: float, include: bytes = b"") -> None:
        self._in_turn = True
        self._speculating = False
        self._turn_serial += 1
        self._turn_start_time = at
        self._speech_end_time = None
        opening = b"".join(self._preroll) + include
        self._preroll.clear()
        self._preroll_bytes = 0
        self._turn_audio = bytearray(opening)
        self.worker.submit(self._guard(functools.partial(self._begin_recognition, self._turn_serial)))
        if opening:
            self.worker.submit(self._guard(lambda: self._feed(opening)))

    def _end_turn(self, speech_end: float) -> None:
        self._in_turn = False
        self._armed = False
        self._turn_index += 1
        self._speculating = False
        finish = functools.partial(self._finish, speech_end, self._turn_start_time,
                                   bytes(self._turn_audio), self._turn_index, self._turn_serial)
        # The recording is written on the worker, after the final pass or, when the speculation
        # stands, not at all: its recording (what was judged) is the reply's.
        self.worker.submit(self._guard(finish))

    def _cancel_turn(self) -> None:
        self._held = False
        if self._in_turn:
            self._in_turn = False
            self._speculating = False
            self.worker.submit(self._guard(self._cancel_recognition))

    def _save(self, pcm: bytes, suffix: str = "", index: int | None = None) -> Path | None:
        """Write a reply's audio as a WAV where the recordings' owner says (any thread)."""
        index = self._turn_index if index is None else index
        try:
            path = self.recordings.incoming_path(index, suffix)
            with wave.open(str(path), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(SAMPLE_RATE)
                out.writeframes(pcm)
        except OSError:
            return None  # the transcript still matters more than the recording
        return path

    # -- worker side (runs on the worker's thread) ------------------------------------------

    def _guard(self, task: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                task()
            except Exception as exc:  # reported, never lost on a worker thread
                log.warning("speech recognition failed: %s", exc, exc_info=True)
                self._recover()
                safe_emit(self._worker_failed, f"Speech recognition failed: {exc}")
        return run

    def _recover(self) -> None:
        """After a recogniser error, drop its utterance so the next press or reply starts clean
        (`cancel` never raises; a recogniser that failed once must not fail every reply after)."""
        self._drop_speculation()
        self._heard = None
        try:
            self.recognizer.cancel()
        except Exception:
            log.exception("the recogniser could not be reset after an error")

    def _begin_recognition(self, serial: int = 0) -> None:
        self._drop_speculation()
        self._recognising = serial
        self._skipped = None
        self._heard = None
        self._prefix = ""
        self._segment_offset = 0.0
        self.recognizer.start()
        self._last_partial = 0.0

    def _cancel_recognition(self) -> None:
        self._drop_speculation()
        self._heard = None
        self.recognizer.cancel()

    def _drop_speculation(self) -> None:
        speculation, self._speculation = self._speculation, None
        if speculation is not None and speculation.result.wav_path is not None:
            self.recordings.discard(speculation.result.wav_path)

    def _so_far(self, serial: int, transcript: Transcript) -> Transcript:
        """The reply so far: what was heard before the last pause speech followed, then this."""
        if self._heard is None or self._heard[0] != serial:
            return transcript
        return join_transcripts(self._heard[1], transcript, self._segment_offset)

    def _speculate(self, serial: int, number: int, audio: bytes, index: int, speech_end: float,
                   start: float | None) -> None:
        """A pause: finish the utterance now, and say what the reply is if the pause is its end."""
        if self._whole and self._resumed >= number:
            # The trainee spoke again before this began: a recogniser that decodes the whole
            # reply (Whisper, ~0.3 s a pass) would only delay the passes that matter.
            self._skipped = (serial, number)
            return
        transcript = self._so_far(serial, self.recognizer.finish())
        wav_path = self._save(audio, f"-likely{number}", index + 1)
        result = ReplyResult.of(transcript, wav_path, speech_end, start, number)
        self._drop_speculation()
        self._speculation = _Speculation(serial, result)
        safe_emit(self._worker_likely, result)

    def _resume(self, serial: int, audio: bytes, offset: float, held: bytes = b"",
                number: int = 0) -> None:
        """The trainee spoke again after a pause: what came before it stays heard, and the speech
        after it is a new utterance (no re-decoding of the reply so far). A recogniser that hears
        the whole reply again (`resume`, Whisper) goes on with it and is given only `held`, the
        audio held back since the pause began; its next pass covers the reply from its start."""
        if self._whole and self._recognising == serial:
            if self._skipped == (serial, number):
                self._skipped = None  # never finished: the utterance simply goes on
            elif self._speculation is not None and self._speculation.serial == serial:
                self._prefix = self._speculation.result.text
                self._drop_speculation()
                self.recognizer.resume()  # type: ignore[attr-defined]
            else:
                return
            self._feed(held)
            return
        if self._speculation is None or self._speculation.serial != serial:
            return  # the turn this was for has ended or been cancelled
        self._heard = (serial, self._speculation.result.transcript)
        self._drop_speculation()
        self._segment_offset = offset
        self.recognizer.start()
        self._feed(audio)

    def _feed(self, pcm: bytes) -> None:
        self.recognizer.feed(pcm)
        now = time.monotonic()
        if now - self._last_partial >= _PARTIAL_INTERVAL:
            self._last_partial = now
            text = self.recognizer.partial()
            prefix = self._heard[1].text if self._heard is not None else self._prefix
            if prefix:
                text = " ".join(t for t in (prefix, text) if t)
            if text:
                safe_emit(self._worker_partial, text)

    def _judge(self, serial: int, pause: int, tail: bytes) -> None:
        if self._speculation is not None and self._speculation.serial == serial:
            text = self._speculation.result.text
        else:
            partial = getattr(self.recognizer, "partial", None)
            text = partial() if callable(partial) else ""
        safe_emit(self._worker_verdict, (serial, pause, endpoint.sounds_complete(text, tail)))

    def _finish(self, speech_end: float, start: float | None, audio: bytes, index: int,
                serial: int) -> None:
        speculation, self._speculation = self._speculation, None
        if speculation is not None and speculation.serial == serial:
            # The pause was the end: the speculation's transcript and recording are the reply.
            likely = speculation.result
            wav_path = likely.wav_path if likely.wav_path is not None else self._save(audio, index=index)
            result = replace(likely, wav_path=wav_path, speech_end_time=speech_end,
                             result_time=time.monotonic())
        else:
            transcript = self._so_far(serial, self.recognizer.finish())
            result = ReplyResult.of(transcript, self._save(audio, index=index), speech_end, start)
        self._heard = None
        safe_emit(self._worker_result, result)

    # -- back on the GUI thread -------------------------------------------------------------

    def _on_worker_result(self, result: ReplyResult) -> None:
        safe_emit(self.reply_ready, result)

    def _on_worker_likely(self, result: ReplyResult) -> None:
        # Only while that turn is still open: a turn ended or cancelled meanwhile has its answer.
        if self._in_turn and self._speculating and result.speculation == self._speculations:
            safe_emit(self.reply_likely, result)

    def _on_worker_failed(self, message: str) -> None:
        self._in_turn = False
        self._armed = False
        safe_emit(self.failed, message)

    def _on_microphone_failed(self, message: str) -> None:
        if self._in_turn and self._turn_audio:
            # Unplugged mid-reply: what the trainee said so far is written down, never dropped.
            pcm = bytes(self._turn_audio)
            path = self._save(pcm, "-interrupted")
            seconds = len(pcm) / 2 / SAMPLE_RATE
            if path is None:
                log.warning("the microphone failed mid-reply; the %.1f s captured could not be saved", seconds)
            else:
                log.warning("the microphone failed mid-reply; the %.1f s captured are saved in %s", seconds, path)
                safe_emit(self.interrupted, path)
        self._cancel_turn()
        self._armed = False
        safe_emit(self.failed, message)
