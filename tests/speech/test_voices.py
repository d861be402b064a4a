"""Choosing engine voices for customers and shaping delivery by agitation (pure functions, no engine)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator.engine.model import Voice
from simulator.speech.voices import (
    ESPEAK_NG_CATALOGUE,
    Catalogue,
    EngineVoice,
    band,
    band_centres,
    bands_nearest,
    choose_voice,
    delivery,
    normalise_gender,
)

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

# Shaped like what pyttsx3 reports from SAPI5 on Windows: genders, no variants.
SAPI5 = Catalogue(
    engine="sapi5",
    voices=(
        EngineVoice("HKLM/David", "Microsoft David Desktop", ("en-us",), "male"),
        EngineVoice("HKLM/Zira", "Microsoft Zira Desktop", ("en-us",), "female"),
        EngineVoice("HKLM/Hazel", "Microsoft Hazel Desktop", ("en-gb",), "female"),
        EngineVoice("HKLM/George", "Microsoft George Desktop", ("en-gb",), "male"),
    ),
)


def test_agitation_50_is_the_voice_as_written():
    voice = Voice(gender="female", pitch=55, rate=185, volume=0.85, accent="en-gb")
    d = delivery(voice, 50)
    assert (d.rate, d.pitch, d.volume) == (185, 55, 0.85)


def test_delivery_gets_faster_higher_louder_and_sharper_with_agitation():
    voice = Voice(gender="male", pitch=40, rate=160, volume=0.8)
    steps = [delivery(voice, a) for a in range(0, 101, 10)]
    for calmer, hotter in zip(steps, steps[1:], strict=False):
        assert hotter.rate > calmer.rate
        assert hotter.pitch >= calmer.pitch
        assert hotter.volume > calmer.volume
        assert hotter.max_pause < calmer.max_pause
    calm, furious = steps[0], steps[-1]
    assert calm.rate == round(160 * 0.85) and furious.rate == round(160 * 1.35)
    assert furious.pitch - calm.pitch == 30
    assert calm.volume == pytest.approx(0.8 * 0.82, abs=0.001)
    assert furious.volume == pytest.approx(0.944, abs=0.001)
    assert calm.voice_id == furious.voice_id  # the same person, however upset


def test_the_trainee_s_speaking_speed_scales_the_rate_agitation_gives():
    voice = Voice(gender="male", pitch=40, rate=160, volume=0.8)
    for agitation, by_agitation in ((10, 0.88), (50, 1.0), (90, 1.28)):
        usual, slower, faster = (delivery(voice, agitation, speed=s) for s in (1.0, 0.8, 1.3))
        assert (usual.rate, slower.rate, faster.rate) == tuple(round(160 * by_agitation * s) for s in (1.0, 0.8, 1.3))
        # Only the rate: the same person, as upset as before.
        assert (slower.voice_id, slower.pitch, slower.volume, slower.max_pause) == \
            (usual.voice_id, usual.pitch, usual.volume, usual.max_pause)
    # A slowed customer still speeds up as they get upset.
    assert delivery(voice, 90, speed=0.8).rate > delivery(voice, 10, speed=0.8).rate
    assert delivery(voice, 50, speed=1.0) == delivery(voice, 50)


def test_delivery_stays_within_what_engines_accept():
    loud = Voice(pitch=100, rate=320, volume=1.0)
    d = delivery(loud, 100)
    assert d.rate <= 400 and d.pitch == 100 and d.volume == 1.0
    quiet = Voice(pitch=0, rate=80, volume=0.1)
    d = delivery(quiet, 0)
    assert d.rate >= 80 and d.pitch == 0 and 0 < d.volume < 0.1
    assert delivery(loud, 250) == delivery(loud, 100)  # out-of-range agitation is clamped


def test_espeak_voices_follow_accent_and_gender():
    female_gb = choose_voice(Voice(gender="female", accent="en-gb"))
    male_us = choose_voice(Voice(gender="male", accent="en-us"))
    assert female_gb.startswith("gmw/en+f") or female_gb == "gmw/en+steph"
    assert male_us.startswith("gmw/en-us+m")
    assert choose_voice(Voice(accent="EN_us")).startswith("gmw/en-us")
    # No accent: espeak-ng's own English; an accent not installed: the nearest English.
    assert choose_voice(Voice(gender="male")).startswith("gmw/en+")
    assert choose_voice(Voice(gender="male", accent="en-au")).split("+")[0] == "gmw/en"


def test_same_voice_description_always_gives_the_same_voice():
    voice = Voice(gender="female", pitch=62, rate=205, accent="en-gb")
    assert {choose_voice(voice) for _ in range(5)} == {choose_voice(voice.model_copy())}


def test_the_shipped_customers_do_not_all_sound_alike():
    # Only the voices are read (the full loader is tested elsewhere and is slower).
    voices = [Voice.model_validate(yaml.safe_load(p.read_text())["customer"].get("voice", {}))
              for p in sorted(SCENARIOS.glob("*.yaml"))]
    if len(voices) < 2:
        pytest.skip("fewer than two scenarios are committed")
    ids = [delivery(v, 50).voice_id for v in voices]
    women = {i for v, i in zip(voices, ids, strict=True) if v.gender == "female"}
    men = {i for v, i in zip(voices, ids, strict=True) if v.gender == "male"}
    assert not women & men
    assert len(set(ids)) >= min(len(voices), 3)


def test_variants_the_engine_lacks_are_never_chosen():
    only_f2 = Catalogue("espeak", ESPEAK_NG_CATALOGUE.voices, variants=("f2",))
    for pitch in range(0, 101, 10):
        assert choose_voice(Voice(gender="female", pitch=pitch), only_f2) == "gmw/en+f2"
    none = Catalogue("espeak", ESPEAK_NG_CATALOGUE.voices, variants=("nothing",))
    assert choose_voice(Voice(gender="male"), none) == "gmw/en"


def test_sapi5_voices_are_chosen_by_language_then_gender():
    assert choose_voice(Voice(gender="female", accent="en-gb"), SAPI5) == "HKLM/Hazel"
    assert choose_voice(Voice(gender="male", accent="en-gb"), SAPI5) == "HKLM/George"
    assert choose_voice(Voice(gender="female", accent="en-us"), SAPI5) == "HKLM/Zira"
    assert choose_voice(Voice(gender="male", accent="en-us"), SAPI5) == "HKLM/David"


def test_a_catalogue_without_the_gender_still_gives_a_voice():
    men_only = Catalogue("sapi5", (EngineVoice("d", "David", ("en-us",), "male"),))
    assert choose_voice(Voice(gender="female", accent="en-us"), men_only) == "d"
    with pytest.raises(ValueError, match="no voices"):
        choose_voice(Voice(), Catalogue("sapi5", ()))


@pytest.mark.parametrize(("raw", "gender"), [
    ("Female", "female"), ("VoiceGenderMale", "male"), ("male", "male"), (None, None), ("", None),
])
def test_gender_names_from_each_engine(raw, gender):
    assert normalise_gender(raw) == gender


def test_agitation_is_quantised_into_bands():
    assert band_centres(5) == [10, 30, 50, 70, 90]
    assert [band(a) for a in (0, 19.9, 20, 55, 79.99, 80, 100, 130, -5)] == [
        10, 10, 30, 50, 70, 90, 90, 90, 10]
    assert band(62.5, bands=1) == 50
    assert bands_nearest(65) == [70, 50, 90, 30, 10]  # its own band, then outwards, lower first
    with pytest.raises(ValueError):
        band(50, bands=0)
