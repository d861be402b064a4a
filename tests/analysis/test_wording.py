"""The wording analysis: techniques, triggers, speech-like input, negation, mixed replies, the rubric file."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from simulator.analysis.wording import (
    DEFAULT_PATH,
    RubricError,
    analyse,
    load_rubric,
    normalise_text,
)
from simulator.engine.vocabulary import TECHNIQUES, TRIGGERS

DEV_SET = Path(__file__).resolve().parents[2] / "bench" / "data" / "wording_dev.tsv"


def names(text: str, **context: str) -> set[str]:
    result = analyse(text, **context)
    return {h.name for h in (*result.techniques, *result.triggers)}


# -- each technique and trigger ----------------------------------------------------------------

TECHNIQUE_EXAMPLES = [
    ("empathy", "I understand why that would upset anyone."),
    ("empathy", "That must be really hard after a long day."),
    ("name_emotion", "I can see you're frustrated."),
    ("name_emotion", "you sound really worried about it"),
    ("reflect", "So what you're saying is the parcel never came."),
    ("reflect", "You've been waiting a long time for this."),
    ("apologise", "I'm so sorry about the mix-up."),
    ("apologise", "My apologies, that should not have happened."),
    ("offer_options", "I can offer you store credit or an exchange."),
    ("offer_options", "Let me check the stockroom for you."),
    ("explain_why", "We check ID because the licence requires it."),
    ("open_question", "What would help you most right now?"),
    ("open_question", "Can you tell me what happened?"),
    ("thank", "Thank you for your patience."),
    ("set_boundary", "You can wait here with me or head out; those are the two options."),
    ("set_boundary", "I can't let you in tonight, but I can call you a taxi."),
]


@pytest.mark.parametrize(("name", "text"), TECHNIQUE_EXAMPLES)
def test_each_technique_is_found(name, text):
    result = analyse(text)
    assert name in {h.name for h in result.techniques}
    # A reason or a thank-you on its own is polite rather than calming in the rules (see
    # phrases.yaml weights); the model, from writers who mostly marked sincere thanks as calming,
    # may credit a thank-you, never count it against the trainee.
    if name == "thank":
        assert result.rule_intent == "neutral" and result.intent != "escalate"
    else:
        assert result.intent == ("neutral" if name == "explain_why" else "deescalate")


def test_weaker_techniques_add_up():
    assert analyse("Thank you for your patience.").rule_intent == "neutral"
    assert analyse("We check ID because the licence requires it.").intent == "neutral"
    # In the rules. The model, trained on replies from many writers, hears a reason after a thank-you
    # as matter-of-fact and may judge the whole neutral; the rules' sum is what a trainer edits.
    both = analyse("Thank you for your patience, we check ID because the licence requires it.")
    assert both.rule_intent == "deescalate"
    assert both.intent != "escalate"


TRIGGER_EXAMPLES = [
    ("calm_down", "Calm down, please."),
    ("calm_down", "just relax"),
    ("calm_down", "Chill out, mate."),
    ("calm_down", "Settle down."),
    ("blame", "You should have kept the receipt."),
    ("blame", "That's your fault, not ours."),
    ("blame", "If you had read the email you'd know."),
    ("policy", "Rules are rules."),
    ("policy", "There's nothing I can do."),
    ("policy", "It's policy."),
    ("policy", "Not allowed, end of."),
    ("threat", "Leave now or I'll call the police."),
    ("threat", "This is your last warning."),
    ("sarcasm", "Oh great, another one."),
    ("sarcasm", "Sure, because everyone loses their receipt."),
    ("sarcasm", "Wow, congratulations."),
    ("dismissal", "Whatever."),
    ("dismissal", "Not my problem."),
    ("dismissal", "I don't care."),
    ("dismissal", "Take it up with someone else."),
    ("insult", "Don't be an idiot."),
    ("insult", "This is a load of crap."),
    ("argue", "Technically you're wrong."),
    ("argue", "That's not true."),
    ("argue", "Actually you're mistaken."),
    ("argue", "You're wrong."),
]


@pytest.mark.parametrize(("name", "text"), TRIGGER_EXAMPLES)
def test_each_trigger_is_found_and_escalates(name, text):
    result = analyse(text)
    assert name in {h.name for h in result.triggers}
    assert result.intent == "escalate"


def test_every_rubric_entry_uses_a_vocabulary_id():
    rubric = load_rubric()
    for name, category in rubric.categories.items():
        assert name in (TECHNIQUES if category.kind == "technique" else TRIGGERS)
        assert category.said and category.rubric
        if category.kind == "trigger":
            assert category.better
    assert set(rubric.categories) == set(TECHNIQUES) | set(TRIGGERS)


def test_plain_procedural_replies_are_neutral():
    for text in ("Can I see your receipt?", "The store closes at nine.", "ID please.", "Okay."):
        result = analyse(text)
        assert result.intent == "neutral", text
        assert not result.triggers


# -- evidence ----------------------------------------------------------------------------------

def test_evidence_is_the_matched_span_of_the_original_text():
    text = "Honestly, I can SEE you're frustrated -- but calm down!"
    result = analyse(text)
    for hit in (*result.techniques, *result.triggers):
        assert text[hit.start:hit.end] == hit.evidence
    by_name = {h.name: h.evidence for h in (*result.techniques, *result.triggers)}
    assert by_name["name_emotion"] == "I can SEE you're frustrated"
    assert by_name["calm_down"] == "calm down"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
# A sentence the technique heads quote is trimmed of its punctuation, and its span with it.
@example("F,")
def test_any_text_is_judged_without_error_and_evidence_is_verbatim(text):
    result = analyse(text, customer_line="I have been waiting forever", customer_name="Sam Price")
    assert result.intent in ("deescalate", "neutral", "escalate")
    assert 0.0 <= result.confidence <= 1.0
    for hit in (*result.techniques, *result.triggers):
        assert text[hit.start:hit.end] == hit.evidence


# -- recognised speech ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("i can see your frustrated", "name_emotion"),
    ("eye under stand why you are angry", "empathy"),
    ("im sorry for the weight", "apologise"),
    ("i here you", "empathy"),
    ("your wrong", "argue"),
    ("calm down calm down", "calm_down"),
    ("thats not my problem", "dismissal"),
    ("theres nothing i can do its policy", "policy"),
    ("leave now or ill call the police", "threat"),
    ("THANK YOU FOR WAITING", "thank"),
])
def test_recognised_speech_forms(text, expected):
    assert expected in names(text)


def test_normalisation_spells_out_contractions_and_numbers():
    assert normalise_text("You're WRONG! It's 10 quid.") == "you are wrong . it is ten quid ."
    assert normalise_text("dont youre cant") == "do not you are can not"
    assert normalise_text("It cost £14.99") == "it cost fourteen ninety nine"


def test_digits_and_number_words_read_alike():
    assert names("You look about 15") == names("you look about fifteen") == {"insult"}


# -- negation --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "absent"), [
    ("I'm not blaming you.", "blame"),
    ("It's not your fault.", "blame"),
    ("I don't want to argue with you.", "argue"),
    ("I'm not saying you're wrong.", "argue"),
    ("There's nothing I can't do to help.", "policy"),
    ("I'm not going to call the police.", "threat"),
    ("Nobody is going to call security.", "threat"),
    ("I'm not telling you to calm down.", "calm_down"),
    ("I don't understand.", "empathy"),
    ("I'm not sorry.", "apologise"),
])
def test_negation_cancels_a_phrase(text, absent):
    assert absent not in names(text)


def test_negated_triggers_read_as_reassurance():
    for text in ("I'm not blaming you, I just want to fix it.", "it's not your fault at all",
                 "i'm not going to call the police i just want to talk"):
        assert analyse(text).intent == "deescalate", text


def test_negative_orders_are_still_triggers():
    assert "argue" in names("Don't argue with me.")
    assert "calm_down" in names("Don't get so worked up.")
    assert "threat" in names("Don't make me call the police.")


def test_negation_does_not_reach_across_a_clause():
    assert "argue" in names("I'm not arguing with you, you're wrong.")
    assert "calm_down" in names("No, calm down.")


# -- mixed replies -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "I understand, but calm down.",
    "I'm sorry, but rules are rules.",
    "i hear you but you should have kept the receipt",
    "Thanks for waiting. Whatever, next.",
])
def test_a_trigger_outweighs_techniques(text):
    result = analyse(text)
    assert result.techniques and result.triggers
    assert result.intent == "escalate"


def test_respectful_boundary_versus_ultimatum():
    assert analyse("You can wait here with me or head out; those are the two options.").intent == "deescalate"
    assert analyse("Leave now or I'll have you removed.").intent == "escalate"


def test_a_reluctant_mention_of_the_police_is_a_weaker_threat():
    strong = analyse("Leave now or I'll call the police.")
    weak = analyse("I'll have to call the police if you don't leave.")
    assert weak.intent == "escalate"
    assert weak.triggers[0].weight < strong.triggers[0].weight
    boundary = analyse("I don't want to, but I'd have to call the police. You can wait here with me, "
                       "or I can call you a taxi, those are the options. I'm sorry it's come to this.")
    assert "threat" in {h.name for h in boundary.triggers}
    assert boundary.intent == "neutral"


# -- name and reflection -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "evidence"), [
    ("I hear you, Daniel.", "Daniel"),
    ("mr okafor let me check", "mr okafor"),
    ("thanks mister okafer", "mister okafer"),
    ("Sorry Danial, one moment", "Danial"),
])
def test_using_the_name_tolerates_small_recognition_errors(text, evidence):
    result = analyse(text, customer_name="Daniel Okafor")
    found = {h.name: h.evidence for h in result.techniques}
    assert found.get("use_name") == evidence


def test_a_name_that_is_also_a_word_needs_to_look_like_a_name():
    assert "use_name" not in names("thank you for your grace", customer_name="Grace Okoye")
    assert "use_name" in names("Thank you, Grace.", customer_name="Grace Okoye")
    assert "use_name" in names("thank you mrs okoye", customer_name="Grace Okoye")
    assert "use_name" not in names("I hear you, Daniel.", customer_name="")


def test_reflecting_their_own_words():
    line = "I've been waiting forty minutes for my prescription and nobody has told me anything!"
    result = analyse("So you've been waiting forty minutes and nobody told you anything.", customer_line=line)
    assert "reflect" in {h.name for h in result.techniques}
    unrelated = analyse("The pharmacist is on a break.", customer_line=line)
    assert "reflect" not in {h.name for h in unrelated.techniques}


def test_shared_words_alone_do_not_make_a_statement_about_the_store_a_reflection():
    line = "I want a refund and I lost the receipt."
    assert "reflect" not in names("A refund needs a receipt.", customer_line=line)
    assert "reflect" in names("so you lost the receipt and want a refund", customer_line=line)


# -- the dev set -----------------------------------------------------------------------------------------

def _dev_rows() -> list[dict[str, str]]:
    with DEV_SET.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_dev_set_is_large_balanced_and_well_formed():
    rows = _dev_rows()
    assert len(rows) >= 300
    counts = {i: sum(r["intent"] == i for r in rows) for i in ("deescalate", "neutral", "escalate")}
    assert min(counts.values()) >= 0.28 * len(rows)
    assert {r["setting"] for r in rows} == {"retail", "security"}
    assert {r["split"] for r in rows} == {"dev", "holdout"}


# Replies the rubric gets wrong, kept in the dev set on purpose: their rudeness is in the situation
# or the rhetoric, not in any phrase a rule could name without catching polite replies too.
KNOWN_MISSES = {
    "If you want the online price buy it online.",
    "she's busy and quite frankly so am i",
    "Do you want it done fast or done right?",
    "It's not just water though is it.",
    "Did you check the number you gave us was right?",
}


@pytest.mark.parametrize("row", _dev_rows()[::7], ids=lambda r: r["reply"][:40])
def test_dev_set_slice(row):
    if row["reply"] in KNOWN_MISSES:
        pytest.xfail("a known miss of the rubric")
    result = analyse(row["reply"], row["customer_line"], row["customer_name"])
    assert result.intent == row["intent"]


def test_dev_set_macro_f1_meets_the_goal():
    rows = _dev_rows()
    pairs = [(r["intent"], analyse(r["reply"], r["customer_line"], r["customer_name"]).intent) for r in rows]
    f1s = []
    for label in ("deescalate", "neutral", "escalate"):
        tp = sum(a == p == label for a, p in pairs)
        predicted = sum(p == label for _, p in pairs)
        actual = sum(a == label for a, _ in pairs)
        f1s.append(2 * tp / (predicted + actual))
    assert sum(f1s) / 3 >= 0.9


def test_a_thousand_replies_are_judged_quickly():
    rows = _dev_rows()
    load_rubric()
    analyse("warm-up")
    # CPU time, not wall time: the suite shares the machine, and other processes' load is not ours.
    started = time.process_time()
    for i in range(1000):
        r = rows[i % len(rows)]
        analyse(r["reply"], r["customer_line"], r["customer_name"])
    assert time.process_time() - started < 4.0


# -- the rubric file -------------------------------------------------------------------------------------

def test_the_default_rubric_is_loaded_once():
    assert load_rubric() is load_rubric()
    assert load_rubric(DEFAULT_PATH) is load_rubric()


def _rubric_with(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "phrases.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_broken_yaml_names_file_and_line(tmp_path):
    path = _rubric_with(tmp_path, "      - calm down\n", "      - calm down\n    : oops [\n")
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    message = str(err.value)
    assert message.startswith(f"{path}:")
    assert int(message.split(":")[1]) in range(_line_of(path, "oops") - 1, _line_of(path, "oops") + 3)
    assert "Traceback" not in message


def test_a_bad_pattern_names_its_line(tmp_path):
    path = _rubric_with(tmp_path, "      - calm down\n", "      - calm {down\n")
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    assert str(err.value).startswith(f"{path}:{_line_of(path, 'calm {down')}:")
    assert "calm {down" in str(err.value)


def test_an_unknown_technique_is_refused(tmp_path):
    path = _rubric_with(tmp_path, "  thank:\n", "  thankyou:\n")
    with pytest.raises(RubricError, match=r":\d+: 'thankyou' is not a known technique"):
        load_rubric(path)


def test_an_unknown_macro_is_refused(tmp_path):
    path = _rubric_with(tmp_path, "      - calm down\n", "      - calm <nothing>\n")
    with pytest.raises(RubricError, match="unknown macro <nothing>"):
        load_rubric(path)


def test_a_missing_file_is_a_rubric_error(tmp_path):
    with pytest.raises(RubricError, match="cannot read"):
        load_rubric(tmp_path / "nope.yaml")


def test_pattern_syntax(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(
        "techniques:\n"
        "  empathy:\n"
        "    said: \"x {evidence}\"\n"
        "    rubric: why\n"
        "    patterns:\n"
        "      - i {understand|get} (you|that|why)\n"
        "      - frustrat*\n"
        "      - you can ... or\n"
        "      - fair $\n"
        "      - \"* sorted\"\n"
        "triggers: {}\n", encoding="utf-8")
    rubric = load_rubric(path)

    def found(text: str) -> list[str]:
        return [h.evidence for h in analyse(text, rubric=rubric).techniques]

    assert found("I get why.") == ["I get why"]
    assert found("i understand") == ["i understand"]
    assert found("so frustrating") == ["frustrating"]
    assert found("you can stay in here or") == ["you can stay in here or"]
    assert found("you can stay in here for a bit longer or") == []
    assert found("That's fair.") == ["fair"]
    assert found("fair enough") == []
    assert found("let's get it sorted") == ["it sorted"]


# -- disagreements found by the scenario writer ---------------------------------------------------------

@pytest.mark.parametrize(("text", "absent"), [
    ("Which would suit you better?", "threat"),
    ("Don't worry, you'll be out of here in a couple of minutes.", "threat"),
    ("Oh, that's really tough. I'm sorry, I can see why you're worried.", "dismissal"),
    ("My colleague Jess can check it at the screened table over there, just her and you.", "dismissal"),
    ("I get it. That is rubbish.", "argue"),
    ("Don't be silly, it's no trouble at all.", "insult"),
])
def test_friendly_words_are_not_read_as_triggers(text, absent):
    assert absent not in names(text)
    assert analyse(text).intent != "escalate"


@pytest.mark.parametrize(("text", "expected"), [
    ("Don't be silly.", "insult"),
    ("Open the bag or you're not coming in.", "threat"),
    ("it's only one pound seventy", "dismissal"),
    ("The till price is the correct price.", "argue"),
    ("That is complete rubbish.", "argue"),
    ("Tough.", "dismissal"),
])
def test_plain_triggers_are_found(text, expected):
    assert expected in names(text)
    assert analyse(text).intent == "escalate"


@pytest.mark.parametrize("text", [
    "You can't come back in tonight, Kayleigh, but you can wait here with me till your taxi comes.",
    "That's not something I can do. What I can do is call you a cab.",
])
def test_a_plain_limit_with_a_way_forward_is_a_boundary(text):
    result = analyse(text, customer_name="Kayleigh Brennan")
    assert {"set_boundary", "offer_options"} <= {h.name for h in result.techniques}
    assert result.intent == "deescalate" and not result.triggers


@pytest.mark.parametrize("text", [
    "Hi there, sorry to bother you. I'm Alex from centre security. Can I ask your name?",
    "Medication's completely fine, and nobody's going to ask about it.",
    "No more drinks tonight. Water's fine though, I'll grab you one.",
    "I'm not going to search you in front of everyone. We have a private area.",
    "It got put on the wrong shelf. It's coming now.",
])
def test_reassurance_without_rubric_keywords_deescalates(text):
    result = analyse(text)
    assert result.intent == "deescalate", [(h.name, h.evidence) for h in result.techniques]
    assert not result.triggers


def test_a_possessive_s_before_a_predicate_reads_as_is():
    assert normalise_text("Water's fine") == "water is fine"
    assert normalise_text("the customer's bag") == "the customer bag"


@pytest.mark.parametrize("text", [
    "You can have it checked privately, or leave it in the cloakroom. Those are the choices.",
    "You can wait here while a friend brings it, or go and get it and I'll hold your place.",
    "The bakery has stopped making it, so no shop can get it now.",
    "Tell me who it's for and I'll do what I can.",
])
def test_choices_and_promises_are_not_threats(text):
    assert "threat" not in names(text)


def test_barked_orders_and_bare_ultimatums_are_still_threats():
    assert "threat" in names("Open the bag now.")
    assert "threat" in names("Give me the bag or leave.")
    assert "threat" in names("Do what I say.")


def test_reload_rubric_reads_an_edited_file_and_a_broken_one_keeps_the_old(tmp_path, monkeypatch):
    from simulator.analysis import rubric, wording

    edited = tmp_path / "phrases.yaml"
    text = wording.DEFAULT_PATH.read_text(encoding="utf-8")
    edited.write_text(text, encoding="utf-8")
    monkeypatch.setattr(rubric, "DEFAULT_PATH", edited)
    rubric._default_rubric.cache_clear()
    try:
        before = wording.load_rubric()
        assert wording.reload_rubric() is not before
        now = wording.load_rubric()
        assert now is not before
        edited.write_text(text + "\n  broken: [\n", encoding="utf-8")
        with pytest.raises(wording.RubricError, match=r"phrases.yaml:\d+"):
            wording.reload_rubric()
        assert wording.load_rubric() is now, "a broken edit keeps the rubric already in use"
    finally:
        monkeypatch.undo()
        rubric._default_rubric.cache_clear()
