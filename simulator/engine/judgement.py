"""The judgement of one trainee reply, and the interface every judge implements.

The engine branches on a `Judgement`; `simulator.analysis` produces them (wording and tone).
A judgement is plain data so it can be stored with the session and shown in the debrief.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

from pydantic import BaseModel, ConfigDict, Field

from simulator.engine.vocabulary import Intent, ToneLabel


class Finding(BaseModel):
    """A technique or trigger found in a reply, with the words that showed it."""

    model_config = ConfigDict(frozen=True)

    name: str
    evidence: str


class ToneReading(BaseModel):
    """How a reply sounded. Measurements are None where the audio did not allow them."""

    model_config = ConfigDict(frozen=True)

    label: ToneLabel
    loudness_db: float | None = None
    pitch_hz: float | None = None
    pitch_range_semitones: float | None = None
    rate_wps: float | None = None
    # Which cues drove the label, in words a trainee understands, e.g. "pitch 4.1 semitones above your baseline".
    cues: list[str] = Field(default_factory=list)
    # Every other measurement the tone analysis made (relative to the baseline where it has one).
    measurements: dict[str, float] = Field(default_factory=dict)


class Judgement(BaseModel):
    """One reply judged: what it meant, how it sounded, and what it does to the customer."""

    model_config = ConfigDict(frozen=True)

    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    techniques: list[Finding] = Field(default_factory=list)
    triggers: list[Finding] = Field(default_factory=list)
    tone: ToneReading | None = None
    transcript: str | None = None
    # The push this reply gives the customer's agitation before their temperament scales it:
    # negative calms, positive inflames. Roughly -20..+30.
    agitation_delta: float = 0.0
    # Sentences for the debrief that say why, e.g. "You named the feeling: 'I can see you're frustrated'".
    explanation: list[str] = Field(default_factory=list)
    # The unsure recognised words that every grave trigger found (an insult, a threat) rests on
    # (simulator.analysis.unsure): such a reply is heard again, not applied. Empty for typed
    # replies and in sessions saved before it existed.
    unsure_words: list[str] = Field(default_factory=list)

    def technique_names(self) -> set[str]:
        return {f.name for f in self.techniques}

    def trigger_names(self) -> set[str]:
        return {f.name for f in self.triggers}


class HeardWord(NamedTuple):
    """One recognised word of a spoken reply and the recogniser's posterior for it, 0..1."""

    text: str
    confidence: float


@dataclass(frozen=True)
class Reply:
    """What the trainee said: the text (typed, or the recogniser's transcript) and, if spoken, the audio."""

    text: str
    audio_path: Path | None = None
    # The recogniser's confidence in `text`, 0..1, when it came from speech.
    recognition_confidence: float | None = None
    # The recognised words of `text`, in order, with their confidences (empty when typed).
    words: tuple[HeardWord, ...] = ()
    # How the reply sounded, already measured: a corrected transcript is judged again with the tone
    # its recording was judged with at the time, not measured again (None: measure `audio_path`).
    tone: ToneReading | None = None


@dataclass(frozen=True)
class JudgeContext:
    """What a judge may know about the moment: who the customer is and how they feel."""

    customer_name: str = ""
    agitation: float = 50.0
    # The customer's last line, so a judge can tell whether the trainee reflected it back.
    customer_line: str = ""
    # Path of the trainee's calibration recording (neutral sentence), if any.
    baseline_audio: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)


class Judge(Protocol):
    """Anything that can judge a reply. The runner calls it once per turn, off the GUI thread."""

    def judge(self, reply: Reply, context: JudgeContext) -> Judgement: ...

    def warm(self, baseline_audio: Path | None = None) -> None:
        """Get ready for the first reply (load models, build the trainee's tone baseline from
        `baseline_audio`), so that reply does not wait for it. Called off the GUI thread while
        the trainee reads the briefing; a judge with nothing to load does nothing."""
        ...
