"""The combined judge: wording with constructed tones, the text-only judge, baselines and failures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simulator.analysis.judge import RubricJudge, combine, wording_delta
from simulator.analysis.wording import analyse
from simulator.engine.judgement import Judge, JudgeContext, Judgement, Reply, ToneReading
from tests.support.speech import espeak_wav


def tone(label: str, **measurements: float) -> ToneReading:
    """A reading as tone.judge makes one: the label and its measurements against a calibration."""
    m = {"calibrated": 1.0, "arousal": 0.0, "pitch_st_vs_baseline": 0.0, **measurements}
    return ToneReading(label=label, loudness_db=-18.0, pitch_hz=140.0, pitch_range_semitones=5.0,
                       rate_wps=2.5, measurements=m)


KIND = "I can see you're frustrated. Let me check that for you."
BRIEF_KIND = "I understand."
PLAIN = "Can I see your receipt?"
RUDE = "Calm down, it's only a sofa."


# -- combine -------------------------------------------------------------------------------------------

def test_without_tone_the_words_decide():
    j = combine(analyse(KIND), None)
    assert j.intent == "deescalate" and j.tone is None
    assert -20.0 <= j.agitation_delta < 0


def test_shouting_turns_good_words_bad():
    j = combine(analyse(BRIEF_KIND), tone("shouting", loudness_db_vs_baseline=9.0, loud_steps=1.5))
    assert j.intent == "escalate"
    assert j.agitation_delta > 5
    assert any("9 dB louder than your calibration" in s for s in j.explanation)
    assert any("Shouting" in s for s in j.explanation)


def test_a_raised_voice_weakens_de_escalation():
    calm = combine(analyse(KIND), None)
    weak = combine(analyse(BRIEF_KIND), tone("raised"))
    assert weak.intent == "neutral"
    strong = combine(analyse(KIND), tone("raised"))
    assert strong.intent == "deescalate"
    assert strong.confidence < calm.confidence
    assert calm.agitation_delta < strong.agitation_delta < 0


def test_a_flat_voice_is_penalised():
    words = analyse(BRIEF_KIND)
    flat = combine(words, tone("flat", pitch_range_st=1.5, pitch_range_st_vs_baseline=-3.0))
    assert flat.intent == "neutral"
    assert flat.agitation_delta > combine(words, None).agitation_delta
    assert any("monotone" in s for s in flat.explanation)
    strong = combine(analyse(KIND), tone("flat"))
    assert strong.agitation_delta > combine(analyse(KIND), None).agitation_delta


def test_a_calm_voice_softens_plain_words():
    plain = combine(analyse(PLAIN), None)
    softened = combine(analyse(PLAIN), tone("calm"))
    assert softened.intent == "neutral"
    assert softened.agitation_delta < plain.agitation_delta
    polite = combine(analyse("Thank you for waiting."), tone("calm"))
    assert polite.intent == "deescalate"


def test_calm_delivery_does_not_rescue_a_trigger():
    j = combine(analyse(RUDE), tone("calm"))
    assert j.intent == "escalate"
    assert 0 < j.agitation_delta < combine(analyse(RUDE), None).agitation_delta


def test_shouting_a_trigger_is_worse_than_saying_it():
    said = combine(analyse(RUDE), None)
    shouted = combine(analyse(RUDE), tone("shouting"))
    assert shouted.intent == "escalate"
    assert shouted.agitation_delta > said.agitation_delta
    assert shouted.confidence >= said.confidence


@pytest.mark.parametrize("label", [None, "calm", "raised", "shouting", "flat"])
@pytest.mark.parametrize("text", [KIND, BRIEF_KIND, PLAIN, RUDE,
                                  "You're a liar and I'll have you arrested, you idiot, last warning."])
def test_delta_and_confidence_stay_in_range(text, label):
    j = combine(analyse(text), tone(label) if label else None)
    assert -20.0 <= j.agitation_delta <= 30.0
    assert 0.0 <= j.confidence <= 1.0


def test_stronger_words_push_harder():
    assert wording_delta(analyse(KIND)) < wording_delta(analyse(BRIEF_KIND)) < 0
    assert wording_delta(analyse("You idiot, get out or I'll call the police.")) > wording_delta(analyse("Relax.")) > 0


def test_explanation_quotes_the_evidence_and_says_what_would_work_better():
    j = combine(analyse("I understand, but calm down."), None)
    assert "'Calm down' tells them their feelings don't count; it usually inflames." in j.explanation
    assert any(s.startswith("You acknowledged how they feel: 'I understand'") for s in j.explanation)
    assert any(s.startswith("Better:") for s in j.explanation)
    good = combine(analyse("I can see you're frustrated."), None)
    assert "You named the feeling: 'I can see you're frustrated'." in good.explanation
    plain = combine(analyse(PLAIN), None)
    assert any("naming the feeling" in s for s in plain.explanation)


def test_a_trigger_that_kind_words_outweighed_is_still_named():
    # Swearing about the situation beside an apology and an offer: neutral, and the debrief says which words.
    j = combine(analyse("Aw mate, that's properly crap, I'm so sorry. Let me see what I can do."), None)
    assert j.intent == "neutral"
    assert "What you offered softened it, but 'crap' still raises the stakes." in j.explanation


# -- the judge ---------------------------------------------------------------------------------------------

def test_rubric_judge_is_a_judge_and_judges_text():
    judge: Judge = RubricJudge()
    j = judge.judge(Reply("I'm so sorry, Daniel, let me sort it."), JudgeContext(customer_name="Daniel Okafor"))
    assert isinstance(j, Judgement)
    assert j.intent == "deescalate"
    assert {"apologise", "use_name", "offer_options"} <= j.technique_names()
    assert j.tone is None and j.transcript is None


def test_the_customers_line_is_used_for_reflection():
    context = JudgeContext(customer_line="I've been queuing for twenty minutes and only one till is open!")
    j = RubricJudge().judge(Reply("twenty minutes with one till open, that's not on"), context)
    assert "reflect" in j.technique_names()


class FakeTone:
    def __init__(self, label: str = "calm") -> None:
        self.label = label
        self.calls: list[tuple[Path, object]] = []
        self.baselines: list[Path] = []

    def analyse(self, path: Path, baseline: object = None) -> ToneReading:
        self.calls.append((path, baseline))
        return tone(self.label)

    def load_baseline(self, path: Path) -> object:
        self.baselines.append(path)
        return f"baseline of {path.name}"


def test_spoken_replies_get_tone_and_transcript(tmp_path):
    audio, calibration = tmp_path / "reply.wav", tmp_path / "calibration.wav"
    audio.write_bytes(b"x")
    calibration.write_bytes(b"y")
    fake = FakeTone("shouting")
    judge = RubricJudge(analyse_tone=fake.analyse, load_baseline=fake.load_baseline)
    context = JudgeContext(baseline_audio=calibration)
    j = judge.judge(Reply("I understand", audio_path=audio, recognition_confidence=0.9), context)
    assert j.intent == "escalate" and j.tone is not None and j.tone.label == "shouting"
    assert j.transcript == "I understand"
    assert fake.calls == [(audio, "baseline of calibration.wav")]
    judge.judge(Reply("thanks", audio_path=audio), context)
    assert fake.baselines == [calibration], "the baseline is built once per calibration file"


def test_a_failing_tone_analysis_falls_back_to_the_words(tmp_path):
    def broken(path, baseline=None):
        raise ValueError("not a WAV file")

    judge = RubricJudge(analyse_tone=broken, load_baseline=lambda p: None)
    j = judge.judge(Reply("I understand", audio_path=tmp_path / "r.wav"), JudgeContext())
    assert j.intent == "deescalate" and j.tone is None
    assert any("could not be analysed for tone" in s for s in j.explanation)


def test_an_unusable_calibration_is_reported(tmp_path):
    fake = FakeTone()
    judge = RubricJudge(analyse_tone=fake.analyse, load_baseline=fake.load_baseline)
    j = judge.judge(Reply("ok", audio_path=tmp_path / "r.wav"), JudgeContext(baseline_audio=tmp_path / "missing.wav"))
    assert fake.calls and fake.calls[0][1] is None
    assert any("calibration recording could not be used" in s for s in j.explanation)


def test_unsure_recognition_lowers_confidence():
    fake = FakeTone()
    judge = RubricJudge(analyse_tone=fake.analyse, load_baseline=fake.load_baseline)
    sure = judge.judge(Reply("I understand", audio_path=Path("r.wav"), recognition_confidence=1.0), JudgeContext())
    unsure = judge.judge(Reply("I understand", audio_path=Path("r.wav"), recognition_confidence=0.2), JudgeContext())
    assert unsure.confidence < sure.confidence
    assert any("recogniser was unsure" in s for s in unsure.explanation)


@pytest.mark.skipif(not (shutil.which("espeak-ng") and shutil.which("sox")), reason="needs espeak-ng and sox")
def test_real_tone_analysis_on_synthesised_speech(tmp_path):
    pytest.importorskip("simulator.analysis.tone")
    wav = espeak_wav("I can see you are frustrated, let me help", tmp_path / "reply.wav")
    j = RubricJudge().judge(Reply("I can see you are frustrated, let me help", audio_path=wav),
                            JudgeContext(baseline_audio=wav))
    assert j.tone is not None and j.tone.label in ("calm", "raised", "shouting", "flat")
    assert "name_emotion" in j.technique_names()


def test_a_reply_whose_tone_is_known_is_judged_with_it_and_its_audio_is_not_measured_again(tmp_path):
    fake = FakeTone("calm")
    judge = RubricJudge(analyse_tone=fake.analyse, load_baseline=fake.load_baseline)
    known = tone("shouting", loudness_db=9.0)
    j = judge.judge(Reply("I understand", audio_path=tmp_path / "gone.wav", tone=known), JudgeContext())
    assert fake.calls == [] and j.tone == known
    assert j.intent == "escalate", "the known tone is combined with the words as a measured one is"
