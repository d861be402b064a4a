"""The scenario's language model read back from the adaptation's ARPA file, as the ranking of
Whisper's candidate transcripts uses it (its effect on real speech: tests/speech/test_whisper.py)."""

from __future__ import annotations

import math

import pytest

from simulator.speech.adaptation import build_adaptation
from simulator.speech.rescoring import (
    LM_WEIGHT,
    OOV_LOG10,
    ReplyLanguageModel,
    language_model,
)


@pytest.fixture(scope="module")
def model() -> ReplyLanguageModel:
    adaptation = build_adaptation(["I can check the stockroom for you.", "Your order was misplaced."],
                                  ["Dana Whitfield"])
    return language_model(adaptation.arpa_path)


def test_the_scenarios_words_score_above_the_near_misses_whisper_makes(model):
    assert model.bonus("Your order was misplaced.") > model.bonus("You're ordered when displaced.")
    assert model.bonus("I can check the stockroom for you") > model.bonus("I can check the stock run for you")
    assert model.bonus("I hear you, Dana.") > model.bonus("I hear you, Donna.")


def test_a_word_the_model_never_saw_costs_a_fixed_penalty_not_everything(model):
    assert "xylophone" not in model.vocabulary
    unseen = model.log10_prob(["xylophone"])
    assert math.isfinite(unseen) and unseen <= OOV_LOG10
    # One unseen word in a sentence of known ones: the sentence keeps most of its score.
    assert model.bonus("I can check the xylophone for you") > LM_WEIGHT * math.log(10) * OOV_LOG10


def test_the_probabilities_are_the_arpa_files_with_its_backoff(tmp_path):
    arpa = tmp_path / "tiny.arpa"
    arpa.write_text("\\data\\\nngram 1=4\nngram 2=2\n\n\\1-grams:\n-1.0 </s>\n-99 <s> -0.5\n"
                    "-0.7 hello -0.3\n-0.9 there\n\n\\2-grams:\n-0.2 <s> hello\n-0.1 hello there\n\n"
                    "\\end\\\n", encoding="utf-8")
    lm = ReplyLanguageModel(arpa)
    # <s> hello (seen) + hello there (seen) + there </s> (unseen: there's unigram </s>, no backoff)
    assert lm.log10_prob(["hello", "there"]) == pytest.approx(-0.2 - 0.1 - 1.0)
    # <s> there: backs off from <s> (-0.5) to there's unigram (-0.9)
    assert lm.log10_prob(["there"]) == pytest.approx(-0.5 - 0.9 - 1.0)
    assert language_model(arpa) is language_model(arpa)  # read once
