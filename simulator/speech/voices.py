"""Which engine voice a customer speaks with, and how agitation changes the delivery (pure functions).

A scenario describes the customer's voice at middling agitation (`Voice`: gender, pitch 0-100, rate
in words per minute, volume, accent). `delivery(voice, agitation, catalogue)` turns that into the
settings one line is rendered with: the engine voice id, rate, pitch, volume and the longest pause.
Agitation 50 is the voice as written; above it the customer speaks faster, higher, louder and with
clipped pauses, below it slower and softer, and on every engine the pitch range widens as agitation
rises and narrows as it falls (applied after synthesis by `simulator.speech.prosody`, since no engine
offers it). The trainee's speaking speed (Settings, `speed`) then scales that rate, so a slowed
customer still speeds up as they get upset.

A natural voice (`casting`, chosen from `simulator.speech.catalogue`) has no pitch control, so its
pitch moves after synthesis too: the scenario's pitch and the agitation become a shift in semitones.
Its timbre (the formants, `Voice.timbre`) shifts as well, so customers who share a base voice still
sound like different people.

On espeak-ng (pyttsx3's Linux driver) every language voice is male; female and other voices are
*variants* addressed as `<voice>+<variant>`, e.g. `gmw/en+f3`. pyttsx3 does not list variants, so
the synthesiser confirms which are installed and records them in the `Catalogue`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from simulator.engine.model import Voice

# espeak-ng variants per gender, sorted by their measured median pitch on espeak-ng 1.51 (female
# 180-240 Hz, male 95-107 Hz); the synthesiser keeps only those installed.
ESPEAK_VARIANTS: dict[str, tuple[str, ...]] = {
    "female": ("f1", "f2", "f3", "f4", "f5", "steph"),
    "male": ("m1", "m2", "m3", "m4", "m5", "m6", "m7"),
    "neutral": ("", "klatt"),
}

# espeak-ng's own default English is British; scenarios that name no accent get it too.
DEFAULT_ACCENT = "en-gb"

# How far agitation moves the delivery away from the scenario's voice, at agitation 0 and 100.
RATE_CALM, RATE_AGITATED = 0.85, 1.35
PITCH_SWING = 15  # engine pitch points either side of the voice's own pitch
VOLUME_CALM, VOLUME_AGITATED = 0.82, 1.18
PAUSE_CALM, PAUSE_AGITATED = 0.45, 0.12  # longest silence kept inside a line, in seconds

# Natural voices: semitones of pitch shift per point of `Voice.pitch` away from 50, and the swing
# agitation adds (a furious speaker's voice rises about three semitones, a calm one drops about two).
SEMITONES_PER_PITCH_POINT = 0.12
SHIFT_CALM, SHIFT_AGITATED = -2.0, 3.0
# Every engine: the pitch range around the speaker's median, as a factor (1.0 as synthesised).
RANGE_CALM, RANGE_AGITATED = 0.7, 1.6
# Timbre 0-100 becomes a formant shift ratio of 0.9-1.1 (a smaller or larger vocal tract); a voice
# with no timbre gets one in 0.98-1.02 from its description, so near-identical customers differ.
FORMANT_SWING = 0.1

# The range engines accept (espeak-ng goes to 450 wpm but becomes unintelligible well before).
MIN_RATE, MAX_RATE = 80, 400


@dataclass(frozen=True)
class EngineVoice:
    """One voice an engine offers, as pyttsx3 reports it."""

    id: str
    name: str
    languages: tuple[str, ...] = ()
    gender: str | None = None  # "female", "male" or None when the engine does not say


@dataclass(frozen=True)
class Catalogue:
    """What one installed engine offers: its voices and, on espeak-ng, the variants installed."""

    engine: str
    voices: tuple[EngineVoice, ...]
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Delivery:
    """The settings one line is rendered with."""

    voice_id: str
    rate: int  # words per minute
    pitch: int  # engine pitch 0-100, 50 the voice's normal
    volume: float  # 0-1, applied as a gain on the rendered line
    max_pause: float  # seconds; longer silences inside the line are shortened to this
    engine: str = "pyttsx3"  # which engine renders it: "pyttsx3" (espeak-ng / OS voices) or a natural one
    shift: float = 0.0  # semitones of pitch shift after synthesis (natural voices: they have no pitch control)
    range: float = 1.0  # pitch range factor around the median, after synthesis
    formant: float = 1.0  # formant shift ratio after synthesis (timbre)

    @property
    def reshaped(self) -> bool:
        """Whether the line needs pitch or timbre post-processing at all."""
        return self.shift != 0.0 or self.range != 1.0 or self.formant != 1.0


@dataclass(frozen=True)
class Casting:
    """The natural voice a customer speaks with: the engine and its id for the voice."""

    engine: str
    voice: str


def _english(lang: str, name: str) -> EngineVoice:
    return EngineVoice(f"gmw/{lang}" if lang != "en-gb" else "gmw/en", name, (lang,), "male")


# The English voices of a stock espeak-ng install, for use before the real engine has been asked.
ESPEAK_NG_CATALOGUE = Catalogue(
    engine="espeak",
    voices=(
        _english("en-gb", "English (Great Britain)"),
        _english("en-us", "English (America)"),
        _english("en-gb-scotland", "English (Scotland)"),
        _english("en-gb-x-rp", "English (Received Pronunciation)"),
        _english("en-029", "English (Caribbean)"),
    ),
    variants=tuple(v for pool in ESPEAK_VARIANTS.values() for v in pool if v),
)


def normalise_language(code: str) -> str:
    """'en_GB' and 'EN-gb' both become 'en-gb'."""
    return code.strip().replace("_", "-").lower()


def normalise_gender(gender: str | None) -> str | None:
    """pyttsx3 says 'Female', SAPI5 'Female', NSSpeech 'VoiceGenderFemale'; all become 'female'."""
    if not gender:
        return None
    text = gender.lower()
    if "female" in text:
        return "female"
    if "male" in text:
        return "male"
    return None


def _pick(options: list[str] | tuple[str, ...], voice: Voice) -> str:
    # Stable across runs and machines (unlike hash()), so a customer always sounds the same, and
    # customers described differently are spread over the voices on offer.
    digest = hashlib.sha256(voice.model_dump_json().encode()).digest()
    return options[int.from_bytes(digest[:8], "big") % len(options)]


def _by_language(voice: Voice, voices: tuple[EngineVoice, ...]) -> list[EngineVoice]:
    wanted = normalise_language(voice.accent or DEFAULT_ACCENT)
    primary = wanted.split("-")[0]

    def langs(v: EngineVoice) -> list[str]:
        return [normalise_language(code) for code in v.languages]

    for test in (
        lambda code: code == wanted,
        lambda code: code.startswith(wanted + "-"),
        lambda code: code.split("-")[0] == primary,
    ):
        found = [v for v in voices if any(test(code) for code in langs(v))]
        if found:
            return found
    # Engines such as SAPI5 often report no language; the voice name then carries it.
    return [v for v in voices if not v.languages] or list(voices)


def choose_voice(voice: Voice, catalogue: Catalogue = ESPEAK_NG_CATALOGUE) -> str:
    """The engine voice id for a scenario's voice: language/accent first, then gender."""
    if not catalogue.voices:
        raise ValueError(f"the {catalogue.engine} speech engine offers no voices")
    candidates = _by_language(voice, catalogue.voices)
    if catalogue.variants:
        base = candidates[0]
        pool = [v for v in ESPEAK_VARIANTS[voice.gender] if not v or v in catalogue.variants]
        variant = _pick(pool or [""], voice)
        return f"{base.id}+{variant}" if variant else base.id
    if voice.gender != "neutral":
        same = [v for v in candidates if normalise_gender(v.gender) == voice.gender]
        candidates = same or candidates
    return _pick([v.id for v in candidates], voice)


def band(agitation: float, bands: int = 5) -> float:
    """The centre of the agitation band `agitation` falls in, so rendered lines can be reused.

    With 5 bands: 0-20 -> 10, 20-40 -> 30, 40-60 -> 50, 60-80 -> 70, 80-100 -> 90.
    """
    if bands < 1:
        raise ValueError("bands must be at least 1")
    width = 100.0 / bands
    index = min(int(max(0.0, min(100.0, agitation)) // width), bands - 1)
    return round((index + 0.5) * width, 3)


def band_centres(bands: int = 5) -> list[float]:
    return [band((i + 0.5) * 100.0 / bands, bands) for i in range(bands)]


def bands_nearest(agitation: float, bands: int = 5) -> list[float]:
    """Every band's centre, the band `agitation` is in first, then outwards (the lower of two
    equally near first): agitation moves a band at a time."""
    here = band(agitation, bands)
    return sorted(band_centres(bands), key=lambda c: (abs(c - here), c))


def _lerp(calm: float, middle: float, agitated: float, agitation: float) -> float:
    # Piecewise linear through agitation 50, where the scenario's voice applies unchanged.
    a = max(0.0, min(100.0, agitation))
    if a <= 50:
        return calm + (middle - calm) * a / 50
    return middle + (agitated - middle) * (a - 50) / 50


def timbre(voice: Voice) -> float:
    """The voice's timbre 0-100: as written, or a stable value near 50 from its description."""
    if voice.timbre is not None:
        return float(voice.timbre)
    digest = hashlib.sha256(voice.model_dump_json().encode()).digest()
    return 40.0 + digest[8] % 21  # 40-60


def formant_ratio(voice: Voice) -> float:
    return round(1.0 + (timbre(voice) - 50.0) / 50.0 * FORMANT_SWING, 3)


def delivery(voice: Voice, agitation: float, catalogue: Catalogue = ESPEAK_NG_CATALOGUE,
             speed: float = 1.0, casting: Casting | None = None) -> Delivery:
    """How a line is spoken by this customer at this agitation (0 calm - 100 out of control).

    `speed` scales the rate the agitation gives (1.0 as written, 0.8 a fifth slower): it is the
    trainee's setting, applied on top rather than instead, so the customer still sounds upset.
    With a `casting` the line goes to that natural voice (pitch as a shift after synthesis);
    without, to the pyttsx3 engine whose voices `catalogue` lists (pitch in engine points).
    """
    rate = voice.rate * _lerp(RATE_CALM, 1.0, RATE_AGITATED, agitation) * speed
    pitch = voice.pitch + _lerp(-PITCH_SWING, 0.0, PITCH_SWING, agitation)
    volume = voice.volume * _lerp(VOLUME_CALM, 1.0, VOLUME_AGITATED, agitation)
    pause = _lerp(PAUSE_CALM, (PAUSE_CALM + PAUSE_AGITATED) / 2, PAUSE_AGITATED, agitation)
    spread = _lerp(RANGE_CALM, 1.0, RANGE_AGITATED, agitation)
    common = dict(
        rate=int(round(max(MIN_RATE, min(MAX_RATE, rate)))),
        volume=round(max(0.05, min(1.0, volume)), 3),
        max_pause=round(pause, 3),
        range=round(spread, 3),
        formant=formant_ratio(voice),
    )
    if casting is None:
        return Delivery(voice_id=choose_voice(voice, catalogue),
                        pitch=int(round(max(0.0, min(100.0, pitch)))), **common)  # type: ignore[arg-type]
    shift = ((voice.pitch - 50) * SEMITONES_PER_PITCH_POINT
             + _lerp(SHIFT_CALM, 0.0, SHIFT_AGITATED, agitation))
    return Delivery(voice_id=casting.voice, pitch=50, engine=casting.engine,
                    shift=round(shift, 2), **common)  # type: ignore[arg-type]
