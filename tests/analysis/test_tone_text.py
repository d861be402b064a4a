"""The one sentence that says how a reply sounded: it agrees with the label and the numbers."""

from __future__ import annotations

import pytest

from simulator.analysis.tone_text import describe
from simulator.engine.judgement import ToneReading


def reading(label, calibrated=True, **m):
    m.setdefault("pitch_st_vs_baseline", 0.0)
    steps = {"pitch_steps": m.get("pitch_st_vs_baseline", 0) / 3,
             "loud_steps": m.get("loudness_db_vs_baseline", 0) / 6,
             "bright_steps": m.get("tilt_vs_baseline", 0) / 3,
             "quality_steps": -m.get("hnr_db_vs_baseline", 0) / 2}
    return ToneReading(label=label, measurements={"calibrated": float(calibrated), "arousal": 0.0,
                                                  **{k: v for k, v in steps.items() if v}, **m})


def test_calm_and_close_to_the_calibration():
    assert describe(reading("calm", pitch_st_vs_baseline=0.4, loudness_db_vs_baseline=1.0)) == \
        "Sounded calm, close to your calibration."


def test_calm_with_differences_says_so_without_contradicting_itself():
    """The issue's case: labelled calm, yet 4.4 semitones higher and 7 dB louder."""
    text = describe(reading("calm", pitch_st_vs_baseline=4.4, loudness_db_vs_baseline=7.0, tilt_vs_baseline=-4.0))
    assert text == ("Sounded calm overall, though pitched 4.4 semitones higher, softer and darker "
                    "and 7 dB louder than your calibration.")
    assert "close to" not in text
    assert ". " not in text and text.endswith(".")  # one sentence


def test_raised_names_what_raised_it_strongest_first():
    text = describe(reading("raised", pitch_st_vs_baseline=2.5, loudness_db_vs_baseline=9.0, hnr_db_vs_baseline=-2.0))
    assert text == "Sounded raised: 9 dB louder, rougher and pitched 2.5 semitones higher than your calibration."


def test_shouting_leaves_out_cues_that_point_the_other_way():
    text = describe(reading("shouting", pitch_st_vs_baseline=8.0, loudness_db_vs_baseline=-5.0))
    assert text == "Sounded like shouting: pitched 8.0 semitones higher than your calibration."


def test_flat_gives_the_range_against_the_calibration():
    text = describe(reading("flat", pitch_range_st=1.6, pitch_range_st_vs_baseline=-3.0))
    assert text == ("Sounded flat: your pitch hardly moved (1.6 semitones, against 4.6 in your calibration), "
                    "which can sound as if you do not care.")


def test_without_a_calibration_loudness_is_not_mentioned_and_the_reference_is_named():
    calm = describe(reading("calm", calibrated=False, pitch_st_vs_baseline=0.2, loudness_db_vs_baseline=12.0))
    assert calm == "Sounded calm."
    raised = describe(reading("raised", calibrated=False, pitch_st_vs_baseline=4.0, loudness_db_vs_baseline=12.0))
    assert raised == "Sounded raised: pitched 4.0 semitones higher than a typical calm voice."


def test_whose_calibration_for_a_classroom_turn():
    text = describe(reading("calm"), whose="the Microphone check's")
    assert text == "Sounded calm, close to the Microphone check's calibration."


@pytest.mark.parametrize("measurements", [{"arousal": 0.0, "calibrated": 1.0}, {}])
def test_too_little_speech_or_an_old_record(measurements):
    text = describe(ToneReading(label="calm", measurements=measurements))
    assert text in ("Too little voiced speech to judge the tone of voice.", "Sounded calm.")
    assert describe(ToneReading(label="calm", measurements={"arousal": 0.0})) == \
        "Too little voiced speech to judge the tone of voice."
