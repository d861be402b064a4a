"""Choosing a natural voice per customer across engines (pure: the catalogue as the engines list it)."""

from __future__ import annotations

import itertools
from pathlib import Path

import yaml

from simulator.engine.model import Voice
from simulator.speech.catalogue import AUTO, SYSTEM, cast, casting
from simulator.speech.flite_voice import KNOWN as FLITE
from simulator.speech.hibari_voice import VOICES as HIBARI
from simulator.speech.voices import delivery

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
EVERYTHING = (*HIBARI, *FLITE)


def voice(gender: str, accent: str | None, **more) -> Voice:
    return Voice(gender=gender, accent=accent, **more)  # type: ignore[arg-type]


def test_a_natural_voice_of_the_same_gender_and_nearest_accent_is_chosen():
    # No British female voice: the American ones (neural heart, recorded slt) fit equally.
    assert cast(voice("female", "en-gb"), EVERYTHING).voice in {"heart", "slt"}
    assert cast(voice("female", "en-gb"), HIBARI).voice == "heart"
    assert cast(voice("female", "en-us"), EVERYTHING).voice in {"heart", "slt"}
    # No English English male voice: the Scottish one is nearer than the American ones.
    assert cast(voice("male", "en-gb"), EVERYTHING).voice == "awb"
    assert cast(voice("male", "en-us"), EVERYTHING).voice == "rms"  # kal, a diphone voice, is not natural
    assert cast(voice("male", None), EVERYTHING).voice == "awb"  # no accent: the British default


def test_no_natural_voice_of_the_gender_means_the_system_voice():
    assert cast(voice("male", "en-gb"), HIBARI) is None
    assert cast(voice("female", "en-gb"), ()) is None
    assert cast(voice("female", "fr-fr"), EVERYTHING) is None  # no French natural voice
    assert cast(voice("neutral", "en-us"), HIBARI) is not None  # neutral customers take either gender


def test_the_trainee_s_choice_of_engine_wins():
    dana = voice("female", "en-gb")
    assert cast(dana, EVERYTHING, SYSTEM) is None
    assert cast(dana, EVERYTHING, "hibari").voice == "heart"
    assert cast(dana, EVERYTHING, "flite").voice == "slt"
    assert cast(voice("male", "en-us"), EVERYTHING, "hibari") is None  # hibari has no male voice offline
    assert cast(voice("male", "en-us"), EVERYTHING, "flite").voice == "rms"
    assert cast(dana, EVERYTHING, AUTO) == cast(dana, EVERYTHING)


def test_the_same_description_always_gets_the_same_voice():
    sofia = voice("female", "en-us", pitch=55, rate=180)
    assert len({cast(sofia, EVERYTHING) for _ in range(5)}) == 1


def _shipped_voices() -> dict[str, Voice]:
    out = {}
    for path in sorted(SCENARIOS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        out[path.stem] = Voice(**data["customer"]["voice"])
    return out


def test_shipped_customers_on_one_base_voice_still_sound_like_different_people():
    """Pitch (1 semitone), timbre (4% formants) or rate (15%) tells every pair sharing a voice apart."""
    voices = _shipped_voices()
    assert len(voices) >= 8
    for (a, va), (b, vb) in itertools.combinations(voices.items(), 2):
        ea, eb = cast(va, EVERYTHING), cast(vb, EVERYTHING)
        assert ea is not None and eb is not None, "every shipped customer has a natural voice here"
        if ea != eb:
            continue
        da, db = (delivery(v, 50, casting=casting(e)) for v, e in ((va, ea), (vb, eb)))
        apart = (abs(da.shift - db.shift) >= 1.0 or abs(da.formant - db.formant) >= 0.04
                 or max(da.rate, db.rate) / min(da.rate, db.rate) >= 1.15)
        assert apart, f"{a} and {b} share {ea.voice} and would sound alike: {da} / {db}"


def test_natural_voices_move_pitch_range_and_rate_with_agitation():
    dana = voice("female", "en-gb", pitch=55, rate=185)
    entry = cast(dana, EVERYTHING)
    assert entry is not None
    steps = [delivery(dana, a, casting=casting(entry)) for a in range(0, 101, 10)]
    for calm, hot in itertools.pairwise(steps):
        assert hot.shift > calm.shift and hot.range > calm.range and hot.rate >= calm.rate
        assert hot.volume >= calm.volume and (hot.engine, hot.voice_id) == (calm.engine, calm.voice_id)
    assert steps[0].range < 1.0 < steps[-1].range
    assert steps[-1].shift - steps[0].shift >= 4.5  # semitones between calm and furious
