"""Rendering the customer's lines to WAV, cached on disk, and pre-rendering whole scenarios.

    renderer = LineRenderer()                                  # every installed engine, cache_dir()/voice
    wav = renderer.render("Where is it?", voice, agitation=72) # a Path to a 16-bit mono WAV
    report = renderer.prerender(scenario)                      # every line at every agitation band

A customer speaks with a natural voice where one fits (`simulator.speech.catalogue`: hibari's neural
voice, flite's recorded ones), otherwise with the system voice through pyttsx3 (`Synthesizer`). A
natural engine that is missing, altered or failing is reported once in the log and the customer
speaks with the system voice instead. Every line is then reshaped (pitch, range, timbre:
`simulator.speech.prosody`) and levelled (`finish`).

pyttsx3 keeps one engine per driver and that engine is not thread-safe, so there is one per process
(`Synthesizer` instances share it) and every use holds `_LOCK`. Agitation is quantised into bands
(`voices.band`) so that lines rendered ahead of time are found again during a session.

What pyttsx3 2.99's espeak-ng driver does that this module works around (measured here):
- `runAndWait` can return before the file is written (always on the first call); we wait for the
  engine's `finished-utterance` notification instead.
- A rate set once after a voice change is often ignored; setting rate, pitch and volume twice
  after the voice made 300 random renders in a row come out at the asked rate, pitch and level.
- Its own bookkeeping sometimes cancels the new utterance: the file then has a header and no
  samples (3 in 400 renders); such a line is rendered again.
- It prints "Audio saved to ..." on every file; that print is silenced in its module only.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import io
import logging
import os
import platform
import tempfile
import threading
import time
import wave
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from simulator.engine.model import Scenario, Voice
from simulator.speech.cache import VoiceCache, line_key
from simulator.speech.catalogue import (
    AUTO,
    SYSTEM,
    NaturalEngine,
    VoiceEntry,
    VoiceFailed,
    VoiceUnavailable,
    cast,
    casting,
)
from simulator.speech.flite_voice import FliteEngine
from simulator.speech.hibari_voice import HibariEngine
from simulator.speech.prosody import reshape
from simulator.speech.voices import (
    ESPEAK_VARIANTS,
    Catalogue,
    Delivery,
    EngineVoice,
    band,
    bands_nearest,
    delivery,
    normalise_gender,
)

log = logging.getLogger(__name__)

SAMPLE_RATE = 22050  # espeak-ng's own rate: no resampling on Linux, and Qt plays it as is
TARGET_RMS = 0.1  # loudness of speech (not silence) at volume 1.0, as a fraction of full scale
LEAD_SILENCE = 0.01  # seconds kept before the first sound, so playback starts speaking at once
TAIL_SILENCE = 0.08

MISSING_MESSAGE = ("No text-to-speech engine found: install espeak-ng (sudo apt install espeak-ng)"
                   " — the customer's lines will be shown as text")

_LOCK = threading.RLock()


class TtsUnavailable(RuntimeError):
    """No speech engine can be started on this machine."""

    def __init__(self, detail: str = ""):
        super().__init__(MISSING_MESSAGE + (f" ({detail})" if detail else ""))
        self.detail = detail


class TtsFailed(RuntimeError):
    """The engine started but could not render a line."""


class _Cancelled(Exception):
    """The driver cancelled the utterance and wrote nothing; rendering it again works."""


def default_driver() -> str:
    system = platform.system()
    return {"Windows": "sapi5", "Darwin": "nsss"}.get(system, "espeak")


@dataclass
class _EngineState:
    engine: Any
    driver: str
    version: str
    done: threading.Event
    cancelled: threading.Event
    catalogue: Catalogue | None = None


_ENGINES: dict[str, _EngineState] = {}


def _engine_version(driver: str) -> str:
    version = importlib.metadata.version("pyttsx3")
    if driver == "espeak":
        try:
            from pyttsx3.drivers import _espeak
            version += "/espeak-ng " + _espeak.Info().decode(errors="replace")
        except Exception:  # the version only keys the cache; an unknown one still works
            pass
    return version


def _start_engine(driver: str) -> _EngineState:
    try:
        import pyttsx3  # here, not at the top: it loads the platform's speech driver, only when a voice is made
    except ImportError as exc:
        raise TtsUnavailable("the pyttsx3 package is not installed") from exc
    try:
        importlib.import_module(f"pyttsx3.drivers.{driver}")
    except Exception as exc:
        raise TtsUnavailable(f"speech driver '{driver}' could not load: {exc}") from exc
    if driver == "espeak":
        from pyttsx3.drivers import espeak as espeak_driver

        # Its "Audio saved to ..." print would go to the user's terminal for every line.
        espeak_driver.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    try:
        engine = pyttsx3.init(driver)
    except Exception as exc:
        raise TtsUnavailable(f"speech driver '{driver}' would not start: {exc}") from exc
    state = _EngineState(engine, driver, _engine_version(driver), threading.Event(),
                         threading.Event())

    def on_finished(name: object = None, completed: bool = True) -> None:
        # The espeak driver also reports a cancelled utterance (completed=False) when its
        # own bookkeeping cancels the previous one, often just before our file is written.
        (state.done if completed else state.cancelled).set()

    engine.connect("finished-utterance", on_finished)
    return state


def _stop_quietly(state: _EngineState) -> None:
    try:
        state.engine.stop()
    except Exception:  # an engine that failed to speak may fail to stop too; it is dropped anyway
        pass


class Synthesizer:
    """One pyttsx3 driver, shared process-wide: renders text with a `Delivery` to WAV bytes."""

    def __init__(self, driver: str | None = None, timeout: float = 30.0):
        self.driver = driver or default_driver()
        self.timeout = timeout

    # -- the engine --------------------------------------------------------------------------
    def _state(self) -> _EngineState:
        state = _ENGINES.get(self.driver)
        if state is not None and state.catalogue is not None:
            # Started already: no lock, so a cache lookup on the GUI thread never waits for a
            # render that holds it.
            return state
        with _LOCK:
            state = _ENGINES.get(self.driver)
            if state is None:
                state = _start_engine(self.driver)
                # The first render settles pyttsx3's command queue (it starts out "busy", so
                # property changes would only queue up) and loads espeak-ng's data files. The
                # engine is kept only once that worked: a half-started one would fail every line.
                try:
                    self._run_retrying(state, "ready", None)
                    state.catalogue = self._discover(state)
                except Exception as exc:
                    _stop_quietly(state)
                    raise TtsUnavailable(f"speech driver '{self.driver}' started but could not speak: "
                                         f"{exc or type(exc).__name__}") from exc
                _ENGINES[self.driver] = state
            return state

    def check(self) -> None:
        """Start the engine now; raises `TtsUnavailable` if there is none."""
        self._state()

    @property
    def available(self) -> bool:
        try:
            self._state()
        except TtsUnavailable:
            return False
        return True

    @property
    def ready(self) -> bool:
        """Whether the engine is started already (so a lookup costs nothing)."""
        state = _ENGINES.get(self.driver)
        return state is not None and state.catalogue is not None

    @property
    def engine_id(self) -> str:
        state = self._state()
        return f"{state.driver}:{state.version}"

    def catalogue(self) -> Catalogue:
        catalogue = self._state().catalogue
        assert catalogue is not None
        return catalogue

    def _discover(self, state: _EngineState) -> Catalogue:
        engine = state.engine
        voices = tuple(
            EngineVoice(
                id=str(v.id), name=str(v.name or v.id),
                languages=tuple(str(code) for code in (v.languages or []) if code),
                gender=normalise_gender(v.gender),
            )
            for v in engine.getProperty("voices")
        )
        variants: list[str] = []
        if state.driver == "espeak":
            # Variants are not listed by pyttsx3; a variant espeak-ng lacks leaves the voice as it was.
            base = next((v.id for v in voices if v.id == "gmw/en"), voices[0].id if voices else "")
            for name in sorted({v for pool in ESPEAK_VARIANTS.values() for v in pool if v}):
                engine.setProperty("voice", f"{base}+{name}")
                if str(engine.getProperty("voice")).lower() == f"{base}+{name}".lower():
                    variants.append(name)
        return Catalogue(state.driver, voices, tuple(variants))

    # -- rendering ---------------------------------------------------------------------------
    def _run(self, state: _EngineState, text: str, settings: Delivery | None) -> bytes:
        engine = state.engine
        fd, name = tempfile.mkstemp(prefix="simulator-tts-", suffix=".wav")
        os.close(fd)
        out = Path(name)
        out.unlink()
        try:
            state.done.clear()
            state.cancelled.clear()
            if settings is not None:
                engine.setProperty("voice", settings.voice_id)
                for _ in range(2):  # see the module docstring: once is not always enough
                    engine.setProperty("rate", settings.rate)
                    engine.setProperty("pitch", settings.pitch)
                    # Full level from the engine; the line's volume is applied as a gain after
                    # loudness normalisation, which keeps voices consistent with each other.
                    engine.setProperty("volume", 1.0)
            engine.save_to_file(text, str(out))
            engine.runAndWait()
            deadline = time.monotonic() + self.timeout
            cancelled_at: float | None = None
            while not state.done.wait(0.02):
                # Drivers that do not notify still finish the file once runAndWait returns.
                if state.driver != "espeak" and out.is_file() and out.stat().st_size > 44:
                    break
                if state.cancelled.is_set():
                    cancelled_at = cancelled_at or time.monotonic()
                    if time.monotonic() - cancelled_at > 1.0:
                        raise _Cancelled()
                if time.monotonic() > deadline:
                    raise TtsFailed(f"the {state.driver} speech engine did not finish a line "
                                    f"within {self.timeout:.0f} s")
            if not out.is_file():
                raise TtsFailed(f"the {state.driver} speech engine wrote no audio")
            data = out.read_bytes()
            if len(data) <= 44:
                # A header and no samples: the utterance was cancelled under us (about 1 in 150
                # renders with pyttsx3 2.99 on espeak-ng).
                raise _Cancelled()
            return data
        finally:
            out.unlink(missing_ok=True)

    def _run_retrying(self, state: _EngineState, text: str, settings: Delivery | None,
                      attempts: int = 3) -> bytes:
        for attempt in range(1, attempts + 1):
            try:
                return self._run(state, text, settings)
            except _Cancelled:
                log.debug("the speech driver cancelled a line (attempt %d); rendering it again", attempt)
        raise TtsFailed(f"the {state.driver} speech engine cancelled the line {attempts} times")

    def synthesize(self, text: str, settings: Delivery) -> bytes:
        """The line as WAV bytes: 16-bit mono at SAMPLE_RATE, levelled and with pauses trimmed."""
        if not text.strip():
            raise ValueError("nothing to say: the line is empty")
        with _LOCK:
            state = self._state()
            try:
                raw = self._run_retrying(state, text, settings)
            except TtsFailed:
                raise
            except Exception as exc:
                raise TtsFailed(f"the {state.driver} speech engine failed: {exc}") from exc
        samples, rate = read_wav(raw)
        return write_wav(finish(reshape(samples, rate, settings), rate, settings))


# -- audio -----------------------------------------------------------------------------------
def read_wav(data: bytes) -> tuple[np.ndarray, int]:
    """Float mono samples in -1..1 and the sample rate, from any PCM WAV an engine writes."""
    if data[:4] != b"RIFF":
        raise TtsFailed("the speech engine did not write a WAV file")
    with wave.open(io.BytesIO(data)) as wav:
        width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    if width == 1:
        samples = (np.frombuffer(frames, np.uint8).astype(np.float32) - 128) / 128
    elif width == 2:
        samples = np.frombuffer(frames, "<i2").astype(np.float32) / 32768
    elif width == 4:
        samples = np.frombuffer(frames, "<i4").astype(np.float32) / 2**31
    else:
        raise TtsFailed(f"the speech engine wrote {width * 8}-bit audio, which is not supported")
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    return samples, rate


def write_wav(samples: np.ndarray, rate: int = SAMPLE_RATE) -> bytes:
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    return buffer.getvalue()


def resample(samples: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    if rate == target or len(samples) == 0:
        return samples
    # Linear interpolation: speech from these engines has little energy near Nyquist.
    n = int(round(len(samples) * target / rate))
    return np.interp(np.arange(n) * rate / target, np.arange(len(samples)), samples).astype(np.float32)


def finish(samples: np.ndarray, rate: int, settings: Delivery) -> np.ndarray:
    """Resample, trim the ends, shorten long pauses and level the line (float, SAMPLE_RATE)."""
    samples = resample(samples.astype(np.float32), rate)
    frame = SAMPLE_RATE // 100  # 10 ms
    n = len(samples) // frame
    if n == 0:
        raise TtsFailed("the speech engine rendered no audio for this line")
    energy = np.sqrt((samples[: n * frame].reshape(n, frame) ** 2).mean(axis=1))
    loud = energy > max(1e-3, 0.03 * float(np.percentile(energy, 95)))
    if not loud.any():
        raise TtsFailed("the speech engine rendered silence for this line")
    first, last = int(np.argmax(loud)), n - 1 - int(np.argmax(loud[::-1]))
    keep: list[np.ndarray] = []
    start = max(0, first * frame - int(LEAD_SILENCE * SAMPLE_RATE))
    # Walk the silent runs inside the line; any longer than the delivery's pause loses its middle.
    max_gap = max(1, int(round(settings.max_pause * 100)))
    i = first
    while i <= last:
        if loud[i]:
            i += 1
            continue
        j = i
        while j <= last and not loud[j]:
            j += 1
        if j - i > max_gap:
            cut_from = (i + max_gap // 2) * frame
            cut_to = (j - (max_gap - max_gap // 2)) * frame
            keep.append(samples[start:cut_from])
            start = cut_to
        i = j
    end = min(len(samples), (last + 1) * frame + int(TAIL_SILENCE * SAMPLE_RATE))
    keep.append(samples[start:end])
    out = np.concatenate(keep)
    # Level speech, not silence, so a line with long pauses is not made louder than one without.
    speech = np.sqrt(np.mean(energy[loud] ** 2))
    gain = TARGET_RMS * settings.volume / max(float(speech), 1e-6)
    peak = float(np.max(np.abs(out))) or 1.0
    gain = min(gain, 0.97 / peak)
    # Short fades so trimmed edges do not click.
    fade = min(len(out) // 2, SAMPLE_RATE // 200)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        out[:fade] *= ramp
        out[-fade:] *= ramp[::-1]
    return out * gain


# -- lines, the cache and pre-rendering --------------------------------------------------------
@dataclass(frozen=True)
class PrerenderReport:
    lines: int  # distinct lines in the scenario
    renders: int  # lines x agitation bands
    rendered: int  # newly synthesised
    reused: int  # already in the cache
    seconds: float
    cache_bytes: int
    first_seconds: float = 0.0  # until the opening lines were ready at the starting agitation


class Gate:
    """Holds background rendering between lines while something more urgent needs the processor.

    The app holds it while the trainee's reply is recorded and recognised (on 2 cores a line being
    pre-rendered competes with the recogniser); `LineRenderer.prerender` waits at it before each
    line. A line rendered because it is needed now never waits. Safe to share between threads.
    """

    def __init__(self) -> None:
        self._open = threading.Event()
        self._open.set()

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    @property
    def held(self) -> bool:
        return not self._open.is_set()

    def wait(self, cancelled: Callable[[], bool] = lambda: False, poll: float = 0.1) -> None:
        """Return once the gate is open, or at once if `cancelled()` (asked every `poll` s)."""
        while not self._open.wait(poll):
            if cancelled():
                return


class Upcoming:
    """The lines the customer may say next, rendered before the rest of the scenario.

    The app sets them each time the customer speaks (`VoiceOutput.expect`): the lines of every
    node the trainee's reply can lead to, at the agitation band the customer is in and the bands
    either side of it. `LineRenderer.prerender` takes them first, so the answer is ready when the
    trainee has replied, even early in a scenario whose lines are still being rendered. Each `set`
    replaces what is left of the last one. Safe to share between threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: deque[tuple[str, float]] = deque()

    def set(self, items: Sequence[tuple[str, float]]) -> None:
        with self._lock:
            self._items = deque(dict.fromkeys(items))

    def take(self) -> tuple[str, float] | None:
        with self._lock:
            return self._items.popleft() if self._items else None

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


def upcoming(texts: Sequence[str], agitation: float, bands: int = 5) -> list[tuple[str, float]]:
    """`texts` at the band `agitation` is in, then the band either side (lower first: a reply
    that lands calms the customer): a reply moves the customer at most a band or so."""
    near = bands_nearest(agitation, bands)[:3]
    unique = list(dict.fromkeys(texts))
    return [(text, centre) for centre in near for text in unique]


def default_natural_engines() -> list[NaturalEngine]:
    """Every natural engine this simulator knows; each says itself whether it is installed."""
    return [HibariEngine(), FliteEngine()]


class LineRenderer:
    """Customer lines to cached WAV files: the engines, the cache and the agitation bands together.

    `synth` is the system voice (pyttsx3), always the fallback. `natural` are the natural-voice
    engines tried first; by default every one this simulator knows, unless a `synth` is given
    alone (then that engine speaks every line, as tests of one engine want). `choices` maps a
    customer's gender to the trainee's pick ("auto", "pyttsx3" or an engine name).
    """

    def __init__(self, synth: Synthesizer | None = None, cache: VoiceCache | None = None,
                 bands: int = 5, speed: float = 1.0, natural: Sequence[NaturalEngine] | None = None,
                 choices: dict[str, str] | None = None):
        self.synth = synth or Synthesizer()
        self.cache = cache or VoiceCache()
        self.bands = bands
        # The trainee's speaking speed (Settings.customer_speaking_speed / 100). It changes the
        # delivery's rate, which the cache key hashes, so a new speed renders lines afresh.
        self.speed = speed
        if natural is None:
            natural = default_natural_engines() if synth is None else []
        self.natural: list[NaturalEngine] = list(natural)
        self.choices: dict[str, str] = dict(choices or {})
        self._failed: dict[str, str] = {}  # engine name -> why it stopped being used this session

    # -- which voice -------------------------------------------------------------------------
    def entries(self) -> list[VoiceEntry]:
        """The natural voices installed and working (probes the engines: not on the GUI thread)."""
        return [e for engine in self.natural if engine.name not in self._failed and engine.available
                for e in engine.voices()]

    @property
    def problems(self) -> list[str]:
        """Why natural engines are not used, for Settings and the log."""
        out = [engine.problem for engine in self.natural if engine.probed and engine.problem]
        return [p for p in out if p] + list(self._failed.values())

    def warm(self) -> None:
        """Probe every engine and load the natural ones' models, off the GUI thread, before the
        first line is needed (hibari's model and pronunciation data take about a second)."""
        for engine in self.natural:
            try:
                engine.warm()
            except (VoiceFailed, VoiceUnavailable) as exc:
                self._failed[engine.name] = f"the natural voice ({engine.name}) could not start: {exc}"
                log.warning("voice: %s", self._failed[engine.name])

    def casting_for(self, voice: Voice) -> VoiceEntry | None:
        return cast(voice, self.entries(), self.choices.get(voice.gender, AUTO))

    @property
    def available(self) -> bool:
        """Whether any engine can speak (a natural one, or the system voice)."""
        return bool(self.entries()) or self.synth.available

    def delivery_for(self, voice: Voice, agitation: float) -> Delivery:
        entry = self.casting_for(voice)
        if entry is None:
            return delivery(voice, band(agitation, self.bands), self.synth.catalogue(), self.speed)
        return delivery(voice, band(agitation, self.bands), speed=self.speed, casting=casting(entry))

    def _engine_id(self, settings: Delivery) -> str:
        if settings.engine == SYSTEM:
            return self.synth.engine_id
        return next(e.engine_id for e in self.natural if e.name == settings.engine)

    def key(self, text: str, voice: Voice, agitation: float) -> str:
        settings = self.delivery_for(voice, agitation)
        return line_key(text, settings, self._engine_id(settings))

    def cached(self, text: str, voice: Voice, agitation: float) -> Path | None:
        """The rendered file if it is in the cache; never synthesises or starts an engine."""
        if not all(engine.probed for engine in self.natural):
            return None
        entry = self.casting_for(voice)
        if entry is None and not self.synth.ready:
            return None
        return self.cache.get(self.key(text, voice, agitation))

    # -- rendering ---------------------------------------------------------------------------
    def render(self, text: str, voice: Voice, agitation: float) -> Path:
        """The rendered file, synthesising it first if it is not cached."""
        return self._render(text, voice, agitation)[0]

    def _render(self, text: str, voice: Voice, agitation: float) -> tuple[Path, bool]:
        settings = self.delivery_for(voice, agitation)
        if settings.engine != SYSTEM:
            try:
                return self._render_with(text, settings)
            except (VoiceFailed, VoiceUnavailable) as exc:
                # Said once; the rest of the session uses the system voice for this engine's customers.
                message = (f"the natural voice ({settings.engine}) failed: {exc}; the customer speaks "
                           "with the system voice instead")
                log.warning("voice: %s", message)
                self._failed[settings.engine] = message
                settings = self.delivery_for(voice, agitation)
        return self._render_with(text, settings)

    def _render_with(self, text: str, settings: Delivery) -> tuple[Path, bool]:
        key = line_key(text, settings, self._engine_id(settings))
        path = self.cache.get(key)
        if path is not None:
            return path, False
        if settings.engine == SYSTEM:
            return self.cache.put(key, self.synth.synthesize(text, settings)), True
        if not text.strip():
            raise ValueError("nothing to say: the line is empty")
        engine = next(e for e in self.natural if e.name == settings.engine)
        samples, rate = engine.raw(text, settings)
        wav = write_wav(finish(reshape(samples, rate, settings), rate, settings))
        return self.cache.put(key, wav), True

    def prerender(self, scenario: Scenario, extra: Sequence[str] = (),
                  cancelled: Callable[[], bool] = lambda: False,
                  gate: Gate | None = None, soon: Upcoming | None = None) -> PrerenderReport:
        """Render every line of a scenario, and `extra` lines its customer may say (the app's
        "Sorry, could you say that again?"), at the centre of each agitation band.

        The opening lines at the customer's starting agitation come first, so the conversation can
        begin while the rest renders; then every line at that band, then the other bands nearest
        it first (agitation moves a band at a time). `cancelled` is asked before each line: what
        is not rendered by then is rendered when it is needed. While `gate` is held, it waits
        before the next line (the one being rendered is finished first). Lines in `soon` (what
        the customer may say next, set while this runs) are taken before the next of the rest.
        """
        started = time.perf_counter()
        voice = scenario.customer.voice
        opening = list(scenario.target(scenario.start_node).say)
        lines = list(dict.fromkeys([*opening, *scenario.lines(), *extra]))
        centres = bands_nearest(scenario.customer.agitation, self.bands)
        here = centres[0]
        order = [(text, here) for text in opening]
        first_pass = set(order)
        order += [(text, c) for c in centres for text in lines if (text, c) not in first_pass]
        rendered = 0
        first = 0.0
        pending = deque(order)
        while pending:
            if gate is not None:
                gate.wait(cancelled)
            if cancelled():
                break
            item = soon.take() if soon is not None else None
            in_order = item is None
            text, agitation = pending.popleft() if item is None else item
            rendered += self._render(text, voice, agitation)[1]
            if in_order and len(pending) == len(order) - len(opening):
                first = time.perf_counter() - started
        renders = len(lines) * len(centres)
        return PrerenderReport(len(lines), renders, rendered, renders - rendered,
                               time.perf_counter() - started, self.cache.size_bytes(), first)


def prerender(scenario: Scenario, bands: int = 5, renderer: LineRenderer | None = None) -> PrerenderReport:
    """Render every line of `scenario` ahead of time into the voice cache."""
    return (renderer or LineRenderer(bands=bands)).prerender(scenario)
