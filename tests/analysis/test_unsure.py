"""Grave triggers resting on unsure words: the reply is heard again, not judged on them."""

from __future__ import annotations

from simulator.analysis.judge import RubricJudge
from simulator.analysis.unsure import (
    GRAVE_TRIGGERS,
    UNSURE_WORD,
    unsure_grave_triggers,
    unsure_spans,
    unsure_words,
    word_spans,
)
from simulator.analysis.wording import analyse, load_rubric, matches
from simulator.engine.judgement import HeardWord, JudgeContext, Judgement, Reply

MISHEARD = "sorry it was put on the wrong shelf in the stockroom that was a dick"


def heard(text: str, low: dict[str, float] | None = None, sure: float = 0.95) -> tuple[HeardWord, ...]:
    """The words of `text`, each at `sure` unless `low` gives it a confidence."""
    low = low or {}
    return tuple(HeardWord(w, low.get(w, sure)) for w in text.split())


def triggers(text: str):
    """Every match of the grave triggers the judgement of `text` holds."""
    rubric = load_rubric()
    found = {h.name for h in analyse(text).triggers}
    return matches(rubric, text, sorted(found & GRAVE_TRIGGERS))


def test_an_insult_heard_on_one_unsure_word_is_unsure():
    words = heard(MISHEARD, {"dick": UNSURE_WORD - 0.1})
    assert [h.name for h in triggers(MISHEARD)] == ["insult"]
    assert unsure_words(MISHEARD, triggers(MISHEARD), words) == ["dick"]


def test_an_insult_heard_surely_stands():
    words = heard(MISHEARD, {"dick": UNSURE_WORD + 0.05})
    assert unsure_words(MISHEARD, triggers(MISHEARD), words) == []
    # The threshold is the caller's to choose.
    assert unsure_words(MISHEARD, triggers(MISHEARD), words, threshold=UNSURE_WORD + 0.1) == ["dick"]


def test_other_unsure_words_do_not_matter():
    words = heard(MISHEARD, {"shelf": 0.1, "stockroom": 0.1, "a": 0.1})
    assert unsure_words(MISHEARD, triggers(MISHEARD), words) == []


def test_a_typed_reply_has_no_words_and_is_never_unsure():
    assert unsure_words(MISHEARD, triggers(MISHEARD), ()) == []


def test_one_unsure_word_makes_a_match_doubtful():
    text = "sort it out or else"
    assert [h.name for h in triggers(text)] == ["threat"]
    assert unsure_words(text, triggers(text), heard(text)) == []
    assert unsure_words(text, triggers(text), heard(text, {"else": 0.2})) == ["else"]
    assert unsure_words(text, triggers(text), heard(text, {"or": 0.3, "else": 0.2})) == ["or", "else"]
    # The bench's case: "what" heard as "lot", a sure "you" before it.
    text = "i'm sorry nobody told you lot was happening"
    assert unsure_words(text, triggers(text), heard(text, {"lot": 0.13})) == ["lot"]


def test_every_match_counts_not_only_the_one_the_judgement_quotes():
    text = "you can leave now or else"
    assert [h.evidence for h in analyse(text).triggers] == ["leave now or"]
    assert {h.evidence for h in triggers(text)} == {"leave now or", "or else"}
    assert unsure_words(text, triggers(text), heard(text, {"else": 0.1})) == []  # "leave now or" stands
    assert unsure_words(text, triggers(text), heard(text, {"or": 0.1})) == ["or"]  # both rest on "or"


def test_a_sure_grave_trigger_keeps_the_reply_grave():
    text = "you idiot that was a dick"
    found = triggers(text)
    assert unsure_words(text, found, heard(text, {"dick": 0.1})) == []
    assert set(unsure_words(text, found, heard(text, {"dick": 0.1, "idiot": 0.1}))) == {"idiot", "dick"}
    assert unsure_words(text, found, heard(text, {"dick": 0.1, "that": 0.1})) == []


def test_milder_triggers_are_not_guarded():
    text = "calm down please"
    assert [h.name for h in analyse(text).triggers] == ["calm_down"]
    assert unsure_words(text, matches(load_rubric(), text, ["calm_down"]), heard(text, sure=0.1)) == []
    assert unsure_grave_triggers(load_rubric(), text, ["calm_down"], heard(text, sure=0.1)) == []


def test_the_judged_reply_is_checked_on_its_grave_triggers():
    rubric = load_rubric()
    words = heard(MISHEARD, {"dick": 0.2})
    assert unsure_grave_triggers(rubric, MISHEARD, ["insult"], words) == ["dick"]
    assert unsure_grave_triggers(rubric, MISHEARD, [], words) == []
    assert unsure_grave_triggers(rubric, MISHEARD, ["insult"], ()) == []


def test_words_that_do_not_spell_the_text_decide_nothing():
    assert word_spans("that was a dick", heard("that was our mistake")) is None
    assert unsure_words(MISHEARD, triggers(MISHEARD), heard("that was our mistake", sure=0.1)) == []


def test_words_are_found_in_the_text_whatever_its_case():
    assert word_spans("I'm Sorry", (HeardWord("i'm", 0.5), HeardWord("sorry", 0.7))) == [(0, 3, 0.5), (4, 9, 0.7)]


def test_the_judge_marks_an_unsure_insult_and_says_why():
    judge = RubricJudge()
    unsure = judge.judge(Reply(MISHEARD, recognition_confidence=0.8, words=heard(MISHEARD, {"dick": 0.2})),
                         JudgeContext())
    assert unsure.unsure_words == ["dick"]
    assert unsure.trigger_names() == {"insult"}
    assert any("asks to hear it again" in line for line in unsure.explanation)
    sure = judge.judge(Reply(MISHEARD, recognition_confidence=0.8, words=heard(MISHEARD)), JudgeContext())
    assert sure.unsure_words == [] and sure.trigger_names() == {"insult"}
    typed = judge.judge(Reply(MISHEARD), JudgeContext())
    assert typed.unsure_words == [] and typed.intent == "escalate"


def test_a_judgement_saved_before_the_field_existed_still_loads():
    saved = {"intent": "escalate", "confidence": 0.9, "triggers": [{"name": "insult", "evidence": "dick"}]}
    assert Judgement.model_validate(saved).unsure_words == []
    again = Judgement(intent="escalate", confidence=0.9, unsure_words=["dick"])
    assert Judgement.model_validate_json(again.model_dump_json()) == again


def test_the_unsure_words_of_a_transcript_are_found_where_they_are_for_the_screens_to_mark():
    text = "Sorry, that was our mistake."
    words = (HeardWord("Sorry,", 0.97), HeardWord("that", 0.9), HeardWord("was", 0.95), HeardWord("our", 0.41),
             HeardWord("mistake.", 0.55))
    assert [text[a:b] for a, b in unsure_spans(text, words)] == ["our", "mistake."]
    assert unsure_spans(text, ()) == [], "a typed reply has nothing unsure"
    assert unsure_spans("something else entirely", words) == [], "words that do not spell the text mark nothing"
