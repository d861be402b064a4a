"""How a reply sounded, in one sentence that agrees with its label and its numbers.

The one composer of tone text: the judge's explanation, the debrief and the reports all say it
this way. It reads only what a `ToneReading` stores (the label and the measurements against the
baseline at the time), so an old record is described against the calibration it was judged by,
not today's. No numpy here: typed-only runs and the debrief import it freely.
"""

from __future__ import annotations

from simulator.engine.judgement import ToneReading

# The label as the sentence says it: "Sounded raised", "Sounded like shouting".
LABEL_WORDS = {"calm": "calm", "raised": "raised", "shouting": "like shouting", "flat": "flat"}
TOO_LITTLE = "Too little voiced speech to judge the tone of voice."

# From these differences on, a cue is worth a word (below them the voice is "close to" the reference).
_PITCH_ST = 1.0
_TILT_DB = 1.5
_HNR_DB = -1.5
_LOUD_DB = 4.0
_RATE = 0.25
# A calm reply mentions a cue only if it moved the judgement half a step (tone.py's steps);
# a raised one only the cues that pushed it up.
_CALM_STEPS = 0.5
_RAISED_STEPS = 0.2


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _cues(m: dict[str, float], calibrated: bool) -> list[tuple[float, str]]:
    """(steps, comparative phrase) for each cue that differs enough from the reference."""
    out: list[tuple[float, str]] = []
    pitch = m.get("pitch_st_vs_baseline")
    if pitch is not None and abs(pitch) >= _PITCH_ST:
        out.append((m.get("pitch_steps", 0.0), f"pitched {abs(pitch):.1f} semitones {'higher' if pitch > 0 else 'lower'}"))
    tilt = m.get("tilt_vs_baseline")
    if tilt is not None and abs(tilt) >= _TILT_DB:
        out.append((m.get("bright_steps", 0.0), "brighter and more strained" if tilt > 0 else "softer and darker"))
    hnr = m.get("hnr_db_vs_baseline")
    if hnr is not None and hnr <= _HNR_DB:
        out.append((m.get("quality_steps", 0.0), "rougher"))
    # Without a calibration the level and pace say nothing: nobody knows the microphone or the speaker.
    loud = m.get("loudness_db_vs_baseline")
    if calibrated and loud is not None and abs(loud) >= _LOUD_DB:
        out.append((m.get("loud_steps", 0.0), f"{abs(loud):.0f} dB {'louder' if loud > 0 else 'quieter'}"))
    rate = m.get("rate_vs_baseline")
    if calibrated and rate is not None and abs(rate - 1.0) >= _RATE:
        out.append((0.0, "faster" if rate > 1 else "slower"))
    return out


def describe(reading: ToneReading, whose: str = "your") -> str:
    """One sentence: "Sounded raised: 9 dB louder and pitched 2.5 semitones higher than your calibration."

    `whose` names the calibration's owner: "your", or "the Microphone check's" for a classroom turn,
    where the station's recording is not that trainee's voice.
    """
    m = reading.measurements
    word = LABEL_WORDS.get(reading.label, reading.label)
    if not m:
        return f"Sounded {word}."  # a record from before the measurements were kept
    if "pitch_st_vs_baseline" not in m:
        return TOO_LITTLE
    calibrated = m.get("calibrated") == 1.0
    ref = f"{whose} calibration" if calibrated else "a typical calm voice"
    cues = _cues(m, calibrated)
    if reading.label == "flat":
        spread = m.get("pitch_range_st", reading.pitch_range_semitones)
        moved = f"{spread:.1f} semitones" if spread is not None else "little"
        versus = m.get("pitch_range_st_vs_baseline")
        if calibrated and spread is not None and versus is not None:
            moved += f", against {spread - versus:.1f} in {ref}"
        return f"Sounded flat: your pitch hardly moved ({moved}), which can sound as if you do not care."
    if reading.label in ("raised", "shouting"):
        up = [phrase for steps, phrase in sorted(cues, key=lambda c: -c[0]) if steps > _RAISED_STEPS]
        return f"Sounded {word}: {_join(up)} than {ref}." if up else f"Sounded {word}."
    notable = [phrase for steps, phrase in sorted(cues, key=lambda c: -abs(c[0])) if abs(steps) >= _CALM_STEPS]
    if notable:
        return f"Sounded {word} overall, though {_join(notable[:3])} than {ref}."
    return f"Sounded {word}, close to {ref}." if calibrated else f"Sounded {word}."
