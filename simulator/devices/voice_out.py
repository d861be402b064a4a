"""VoiceOut, the one service for the speaker: renders the customer's lines off the GUI thread and plays them.

    voice = VoiceOut()
    voice.prepare(scenario)                     # renders every line ahead of time -> prepared()
    voice.speak("start", text, customer.voice, agitation=55)   # -> started("start") ... finished("start")

Playback feeds the rendered WAV's PCM to a `QAudioSink` from memory: no decoding and no
asynchronous loading step (which `QSoundEffect` and `QMediaPlayer` both have), so a cached line
starts sounding within a few tens of milliseconds of `speak()` (bench/voice_latency.py).
"""

from __future__ import annotations

import logging
import sys
import threading
import wave
import weakref
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal, Slot
from PySide6.QtMultimedia import QAudio, QAudioDevice, QAudioFormat, QAudioSink, QMediaDevices

from simulator.devices.workers import Submit, TaskPool
from simulator.engine.model import Scenario, Voice
from simulator.speech.tts import (
    SAMPLE_RATE,
    Gate,
    LineRenderer,
    PrerenderReport,
    TtsUnavailable,
    Upcoming,
    upcoming,
)

log = logging.getLogger(__name__)

NO_SPEAKERS = "No speakers found: the customer's lines will be shown as subtitles"


def _pcm(path: Path) -> tuple[QAudioFormat, bytes]:
    with wave.open(str(path)) as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"{path.name} is not 16-bit audio")
        fmt = QAudioFormat()
        fmt.setSampleRate(wav.getframerate())
        fmt.setChannelCount(wav.getnchannels())
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        return fmt, wav.readframes(wav.getnframes())


# Every voice service alive, for `close_all`.
_services: weakref.WeakSet[VoiceOut] = weakref.WeakSet()


def close_all(msecs: int = 10000) -> bool:
    """Close every voice service (at quit, and after each test): their pre-renders stop after the
    line in hand. True when none has anything left running after `msecs` each."""
    done = True
    for service in list(_services):
        try:
            done = service.close(msecs) and done
        except RuntimeError:  # its Qt object is gone already, and its pool with it
            pass
    return done


class VoiceOut(QObject):
    """The customer's voice on the speaker: one line at a time, rendered and cached on demand.

    If there is no speech engine the service says so once (`failed`, and `tts_available` becomes
    False); after that each line `finished` at once, unvoiced, so the app shows it as text and
    moves on without waiting.

    Signals:
        started(str): the line id; emitted when its audio has actually started playing.
        finished(str): the line id; the line played to its end, was stopped, or (once the
            missing engine has been reported) could not be voiced at all.
        failed(str): a message for the trainee: no speakers, the chosen speaker is gone, no
            speech engine, or a line that could not be rendered or played.
        prepared(): every line of the scenario given to `prepare` is rendered and cached.
    """

    started = Signal(str)
    finished = Signal(str)
    failed = Signal(str)
    prepared = Signal()

    def __init__(self, parent: QObject | None = None, renderer: LineRenderer | None = None,
                 worker: Submit | None = None, device_id: bytes | None = None):
        super().__init__(parent)
        self._renderer = renderer or LineRenderer()
        # Two threads by default, so that a line needed now can render while `prepare` works
        # through a scenario; the engine lock serialises the synthesis itself line by line.
        self._worker: Submit = worker if worker is not None else TaskPool(self, threads=2)
        self._devices = QMediaDevices(self)
        self._device_id = device_id
        self._sink: QAudioSink | None = None
        self._buffer: QBuffer | None = None
        self._line: str | None = None
        self._playing = False
        # Bumped by every speak/stop, so a render that finishes late does not play over a newer line.
        self._generation = 0
        self.tts_available: bool | None = None  # None until the engine has been tried
        self.last_report: PrerenderReport | None = None
        self._warm: tuple[QAudioSink, QBuffer] | tuple[None, None] | None = None
        self._engines_warmed = False
        # Set to stop the scenario being pre-rendered: a natural voice takes minutes for a whole
        # scenario, and the pool's destructor (at quit, or when this service goes) waits for it.
        # Each prepare's event is also set by `destroyed`, which comes before the children (the
        # pool) are deleted; the worker also stops once the interpreter is finalizing, since a
        # quit may delete nothing.
        self._prepare_cancel = threading.Event()
        _services.add(self)
        # Held while the trainee's reply is recorded and recognised (`hold_prepare`); one for the
        # service, so a hold set before a new scenario is prepared applies to it too.
        self._prepare_gate = Gate()
        # The lines the customer may say next (`expect`), rendered before the rest of the scenario.
        self._upcoming = Upcoming()

    # -- devices -------------------------------------------------------------------------------
    def devices(self) -> list[QAudioDevice]:
        return list(QMediaDevices.audioOutputs())

    def outputs(self) -> list[tuple[bytes, str]]:
        """(id, description) of every output device, the default first (as Microphone.devices lists inputs)."""
        found = sorted(QMediaDevices.audioOutputs(), key=lambda d: not d.isDefault())
        return [(bytes(d.id().data()), d.description()) for d in found]

    def set_device(self, device_id: bytes | None) -> None:
        """Play through this output (a `QAudioDevice.id()`), or the system default for None."""
        if device_id is not None and not any(d.id() == device_id for d in self.devices()):
            name = bytes(device_id).decode(errors="replace")
            self.failed.emit(f"The speaker '{name}' is not connected: using the default speaker")
            return
        self._device_id = device_id

    def _device(self) -> QAudioDevice | None:
        if self._device_id is not None:
            for device in self.devices():
                if device.id() == self._device_id:
                    return device
        device = QMediaDevices.defaultAudioOutput()
        return None if device.isNull() else device

    def is_available(self) -> bool:
        """Whether lines can be heard: a speaker is present and a speech engine is installed."""
        if self._device() is None:
            return False
        if self.tts_available is None:
            self.tts_available = self._renderer.available
        return self.tts_available

    def warm_up(self) -> None:
        """Load the voice engines' models on the worker, and open the speaker once with a moment of silence.

        The first stream a process opens took 1.2 s to sound on PulseAudio (later ones under
        25 ms), so this is done while the scenario is being prepared rather than on the first line.
        """
        if not self._engines_warmed:
            # The natural voices' models load on the worker, so the first line does not wait for them.
            self._engines_warmed = True
            self._worker.submit(self._renderer.warm, None, self._on_render_failed)
        device = self._device()
        if device is None or self._warm is not None:
            return
        fmt = QAudioFormat()
        fmt.setSampleRate(SAMPLE_RATE)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        buffer = QBuffer(self)
        buffer.setData(QByteArray(bytes(SAMPLE_RATE // 10 * 2)))  # 100 ms
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        sink = QAudioSink(device, fmt, self)
        sink.stateChanged.connect(self._on_warm_state_changed)
        self._warm = (sink, buffer)
        sink.start(buffer)

    @Slot(QAudio.State)
    def _on_warm_state_changed(self, state: QAudio.State) -> None:
        warm = self._warm
        if warm is not None and warm[0] is not None and state in (QAudio.State.IdleState, QAudio.State.StoppedState):
            sink, buffer = warm
            sink.stateChanged.disconnect(self._on_warm_state_changed)
            sink.stop()
            sink.deleteLater()
            buffer.close()
            buffer.deleteLater()
            # Kept as a marker: later lines reuse the connection the warm-up opened.
            self._warm = (None, None)

    def set_voice_choices(self, choices: dict[str, str]) -> None:
        """The engine per kind of customer ("female"/"male"/"neutral" -> "auto", "pyttsx3" or an
        engine name: Settings.customer_voice_engines), from the next line."""
        self._renderer.choices = dict(choices)

    def set_speed(self, percent: int) -> None:
        """Speak at `percent` of the scenario's rate (Settings.customer_speaking_speed), from the next line."""
        self._renderer.speed = percent / 100

    # -- rendering -----------------------------------------------------------------------------
    def prepare(self, scenario: Scenario, extra: Sequence[str] = ()) -> None:
        """Render every line of the scenario, and `extra` lines, on the worker; `prepared` follows."""
        self.warm_up()
        if self.tts_available is False:
            return
        self.cancel_prepare()
        self._prepare_cancel = cancel = threading.Event()
        self.destroyed.connect(lambda *_: cancel.set())
        self._worker.submit(
            lambda: self._renderer.prerender(scenario, extra,
                                             lambda: cancel.is_set() or sys.is_finalizing(),
                                             self._prepare_gate, self._upcoming),
            # A prepare overtaken by a newer one says nothing: the newer one's `prepared` follows.
            lambda report: None if cancel.is_set() else self._on_prerender_done(report),
            self._on_render_failed)

    def expect(self, texts: Sequence[str], agitation: float) -> None:
        """The customer may say one of `texts` next, at about `agitation`: the scenario being
        prepared renders them (at that band and the bands either side) before its other lines,
        so the answer is ready when the trainee has replied. Replaces the last expectation."""
        self._upcoming.set(upcoming(texts, agitation, self._renderer.bands))

    def hold_prepare(self, held: bool) -> None:
        """Hold the scenario being prepared between lines (True) or let it go on (False).

        On 2 cores a line being pre-rendered slows the recogniser down, so the conversation holds
        it while the trainee's reply is recorded and recognised. A line `speak` needs is rendered
        at once all the same: the pool's other thread takes it.
        """
        if held:
            self._prepare_gate.hold()
        else:
            self._prepare_gate.release()

    @property
    def prepare_held(self) -> bool:
        return self._prepare_gate.held

    def close(self, msecs: int = 10000) -> bool:
        """Stop: the scenario being pre-rendered stops after its current line (a held one too), and
        this waits up to `msecs` for the renders in flight. True when nothing is left running."""
        self.stop()
        self.cancel_prepare()
        self.hold_prepare(False)
        return self._worker.wait(msecs)

    def cancel_prepare(self) -> None:
        """Stop pre-rendering after the line being rendered (a new scenario, or quitting)."""
        self._prepare_cancel.set()

    def _on_prerender_done(self, report: PrerenderReport) -> None:
        self.tts_available = True
        self.last_report = report
        log.info("voice: %d renders (%d new) in %.2f s, cache %.1f MB", report.renders,
                 report.rendered, report.seconds, report.cache_bytes / 1e6)
        self.prepared.emit()

    def _on_render_failed(self, exc: BaseException) -> None:
        if isinstance(exc, TtsUnavailable):
            if self.tts_available is not False:
                self.tts_available = False
                self.failed.emit(str(exc))
            return
        log.error("voice: rendering failed", exc_info=exc)
        self.failed.emit(f"The customer's line could not be spoken: {exc}")

    # -- playback ------------------------------------------------------------------------------
    def speak(self, line_id: str, text: str, voice: Voice, agitation: float) -> None:
        """Say a line: at once if it is cached, otherwise after rendering it on the worker."""
        self.stop()
        self._generation += 1
        generation = self._generation
        if self.tts_available is False:
            self.finished.emit(line_id)
            return
        path = self._renderer.cached(text, voice, agitation)
        if path is not None:
            self._play(line_id, path)
            return

        def rendered(result: Path) -> None:
            self.tts_available = True
            if generation == self._generation:
                self._play(line_id, result)

        self._worker.submit(lambda: self._renderer.render(text, voice, agitation), rendered,
                            self._on_render_failed)

    def stop(self) -> None:
        """Stop the line being spoken (it still gets `finished`) and forget any being rendered."""
        self._generation += 1
        line, playing = self._release()
        if playing and line is not None:
            self.finished.emit(line)

    @property
    def speaking(self) -> str | None:
        """The id of the line being played, if any."""
        return self._line if self._sink is not None else None

    def _play(self, line_id: str, path: Path) -> None:
        device = self._device()
        if device is None:
            self.failed.emit(NO_SPEAKERS)
            return
        try:
            fmt, data = _pcm(path)
        except (OSError, EOFError, wave.Error, ValueError) as exc:
            self.failed.emit(f"The customer's line could not be played: {exc}")
            return
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        sink = QAudioSink(device, fmt, self)
        sink.stateChanged.connect(self._on_sink_state_changed)
        self._sink, self._buffer, self._line, self._playing = sink, buffer, line_id, False
        sink.start(buffer)

    def _release(self) -> tuple[str | None, bool]:
        """Stop and drop the sink; returns the line it was playing and whether it had started."""
        sink, buffer, line, playing = self._sink, self._buffer, self._line, self._playing
        self._sink = self._buffer = self._line = None
        self._playing = False
        if sink is not None:
            # Disconnected first, so stopping it is not taken for the line ending by itself.
            sink.stateChanged.disconnect(self._on_sink_state_changed)
            sink.stop()
            sink.deleteLater()
        if buffer is not None:
            buffer.close()
            buffer.deleteLater()
        return line, playing

    @Slot(QAudio.State)
    def _on_sink_state_changed(self, state: QAudio.State) -> None:
        sink, line = self._sink, self._line
        if sink is None or line is None:
            return
        if state == QAudio.State.ActiveState and not self._playing:
            self._playing = True
            self.started.emit(line)
        elif state == QAudio.State.IdleState:
            # Idle with the buffer drained is the end of the line; idle part-way is an underrun.
            if self._buffer is not None and self._buffer.atEnd():
                self._release()
                self.finished.emit(line)
        elif state == QAudio.State.StoppedState and sink.error() != QAudio.Error.NoError:
            error = sink.error().name
            _, playing = self._release()
            self.failed.emit(f"The speaker stopped playing the customer's line ({error})")
            if playing:
                self.finished.emit(line)
