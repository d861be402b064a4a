"""The wording judge on the phrasing new users tried: over-broad patterns, orders, mixed replies, "never say" lines."""

from __future__ import annotations

import pytest

from simulator.analysis.wording import analyse


def found(text: str, **context: str) -> dict[str, str]:
    result = analyse(text, **context)
    return {h.name: h.evidence for h in (*result.techniques, *result.triggers)}


@pytest.mark.parametrize(("text", "absent"), [
    ("Maybe we can look at a refund together.", "dismissal"),
    ("Perhaps I could get the manager for you.", "dismissal"),
    ("Do you think it would help if I called the warehouse?", "argue"),
    ("I'll put the coffee on you, on us I mean.", "blame"),
    ("Morning sunshine, how can I help?", "insult"),
    ("Some people find the self-checkout confusing, I'll show you how it works.", "sarcasm"),
    ("It looks as if the parcel went to the wrong depot.", "sarcasm"),
])
def test_supportive_words_are_not_read_as_triggers(text, absent):
    result = analyse(text)
    assert absent not in {h.name for h in result.triggers}
    assert result.intent != "escalate"


@pytest.mark.parametrize(("text", "trigger"), [
    ("Maybe try another store next time.", "dismissal"),
    ("Do you really think I'd lie to you?", "argue"),
    ("That's on you, not us.", "blame"),
    ("Listen sunshine, I've had enough of you.", "insult"),
    ("Some people just can't read a sign.", "sarcasm"),
    ("Oh, as if.", "sarcasm"),
])
def test_the_mocking_uses_still_count(text, trigger):
    assert trigger in found(text)


@pytest.mark.parametrize(("text", "evidence"), [
    ("Move. Now.", "Move"),
    ("Right, you. Up. You can't sit here, get out of the doorway now.", "get out of the doorway"),
    ("Get out.", "Get out"),
    ("Leave now.", "Leave now"),
    ("I'm in charge here.", "I'm in charge"),
    ("I won't argue with you, just leave.", "just leave"),
])
def test_bare_orders_and_power_moves_are_commands(text, evidence):
    result = analyse(text)
    assert result.intent == "escalate"
    assert found(text)["command"] == evidence


@pytest.mark.parametrize("text", [
    "I can't let you in tonight, but I can call you a taxi or you can wait here.",
    "You can't sit in the doorway, but you're welcome to wait inside or I can call you a taxi.",
    "Could you step back a little for me, please?",
    "Let's sort this out now. Where do you need to get to?",
    "We'll get you on your way in a couple of minutes.",
    "You can go now, thanks for waiting.",
    "If you have to go, we'll deliver it free tomorrow.",
])
def test_a_respectful_limit_or_request_is_not_a_command(text):
    assert "command" not in found(text)


def test_a_dismissal_does_not_reflect_their_words():
    result = analyse("I don't care what your name is. Calm down and move it, or I'm calling the police.",
                     customer_line="I care about this and I want your name. What is your name?")
    assert result.intent == "escalate"
    assert "reflect" not in {h.name for h in result.techniques}


def test_promising_to_find_out_is_no_open_question():
    names = found("Let me find out what happened.")
    assert "open_question" not in names
    assert "offer_options" in names
    assert "open_question" in found("Can you tell me what happened?")


@pytest.mark.parametrize("text", ["Sorry, but you should have read the sign.", "Sorry, but you're wrong.",
                                  "I'm sorry but you need to leave now."])
def test_sorry_but_you_is_no_apology(text):
    result = analyse(text)
    assert "apologise" not in {h.name for h in result.techniques}
    assert result.intent == "escalate"


def test_refusing_to_argue_is_not_empathy():
    result = analyse("I'm not going to argue with you.")
    assert "empathy" not in {h.name for h in result.techniques}
    assert result.intent != "deescalate"


@pytest.mark.parametrize("text", ["It's our policy.", "You'll have to fill out this form.",
                                  "You should have called us sooner."])
def test_never_say_phrases_escalate(text):
    assert analyse(text).intent == "escalate"


@pytest.mark.parametrize(("text", "intent"), [
    ("I hear you, but you're wrong.", "escalate"),
    ("I understand, but rules are rules.", "escalate"),
    ("I'm sorry you've had to wait. Still, back off.", "escalate"),
    ("I'm not saying you're wrong, let me check.", "deescalate"),
    ("Nobody thinks you stole anything, it's the tag.", "deescalate"),
    ("I'm not going to call the police, let's talk.", "deescalate"),
    ("I don't think you're stupid at all.", "deescalate"),
])
def test_mixed_and_negated_replies_are_judged_as_a_trainer_would(text, intent):
    assert analyse(text).intent == intent


def test_a_technique_in_words_no_list_holds_is_found_and_quoted():
    # "crushed" is not on the emotion list; the sentence's meaning shows the technique.
    result = analyse("That must have left you feeling crushed. The lift is on the left.")
    hits = {h.name: h for h in result.techniques}
    assert "name_emotion" in hits
    assert hits["name_emotion"].evidence == "That must have left you feeling crushed"
    assert hits["name_emotion"].pattern.startswith("(reads like")
    assert result.intent == "deescalate"


def test_the_model_reads_words_a_negation_reaches_as_negated():
    from simulator.analysis.matching import Analysis
    from simulator.analysis.wording import load_rubric

    analysis = Analysis(load_rubric(), "It's not your fault. Nobody is going to throw you out, calm down.")
    words = analysis.model_words(0, len(analysis.tokens) - 1)
    assert {"not_fault", "not_throw", "not_you", "not_out"} <= set(words)
    # A new sentence or clause is out of its reach, and the negator itself is left as it is.
    assert "calm" in words and "not" in words


def test_the_model_is_trained_without_the_lists_triggers():
    # It is asked only when the lists found no trigger: trained with them, it leaned on them.
    from bench import train_wording_model

    names = train_wording_model.row_features({"reply": "You're an idiot, I'm sorry."})
    assert "t:apologise" in names and not any(n.startswith("g:") for n in names)


def test_the_model_learns_from_replies_written_one_at_a_time_but_never_their_check_rows():
    from bench import train_wording_model as training

    rows = training.training_rows()
    files = {r["file"] for r in rows}
    assert {training.HANDWRITTEN_FILE.name, *(f.name for f in training.WRITTEN_FILES)} <= files
    assert not any(r["split"] == "check" for r in rows)
    assert not {f.name for f in training.WRITTEN_APART} & files
    assert training.HANDWRITTEN_WEIGHT[training.HANDWRITTEN_FILE.name] > 1


def test_row_weights_tilt_the_model_towards_the_rows_that_weigh_more():
    from bench import train_wording_model as training

    feats = [["w:sure"], ["w:sure"], ["w:fine"], ["w:fine"], ["w:ok"], ["w:ok"]]
    labels = ["escalate", "deescalate", "neutral", "neutral", "escalate", "deescalate"]
    even = training.train(feats, labels, min_count=1)
    tilted = training.train(feats, labels, min_count=1, row_weight=[5, 1, 1, 1, 1, 1])
    # "sure" said once kindly and once not: weighed equally it leans neither way; weighed 5 to 1, it inflames.
    assert abs(even.weights["w:sure"][2] - even.weights["w:sure"][0]) < 0.05
    assert tilted.weights["w:sure"][2] > tilted.weights["w:sure"][0] + 0.1


@pytest.mark.parametrize(("text", "trigger"), [
    ("you'll be, you know, banned", "threat"),
    ("my hands are basically tied", "policy"),
    ("that's your, I mean, your fault", "blame"),
])
def test_spoken_fillers_inside_a_phrase_do_not_hide_it(text, trigger):
    assert trigger in found(text)


@pytest.mark.parametrize("text", ["Do you know where the lift is?", "I mean it, take your time."])
def test_you_know_and_i_mean_that_are_meant_are_kept(text):
    from simulator.analysis.matching import Analysis
    from simulator.analysis.wording import load_rubric

    joined = Analysis(load_rubric(), text).joined
    assert " you know " in joined or " i mean " in joined


def test_a_negation_reaches_past_hesitations_and_fillers():
    result = analyse("I'm not um like going to tell you to calm down")
    assert "calm_down" not in {h.name for h in result.triggers}
    assert result.intent != "escalate"


# -- session 8: phrasing from the hand-written set's tune rows (bench/data/wording_handwritten.tsv) --

@pytest.mark.parametrize(("text", "trigger"), [
    ("Can't help you there, mate.", "dismissal"),
    ("Try the website, I dunno.", "dismissal"),
    ("Sounds like a you problem.", "dismissal"),
    ("We're very busy right now.", "dismissal"),
    ("Call the head office.", "dismissal"),
    ("Sorry, no receipt, no refund.", "policy"),
    ("No, we can't do that.", "policy"),
    ("Buddy, you need to leave, like, right now.", "command"),
    ("Sir, I'm gonna need you to exit the store right now.", "command"),
    ("Oi, off the counter.", "command"),
    ("Go on, hop it.", "command"),
    ("Security will deal with you.", "threat"),
    ("How are you this dim?", "insult"),
    ("Yeah, because that's totally what happened.", "sarcasm"),
])
def test_brush_offs_and_orders_in_words_the_lists_lacked(text, trigger):
    result = analyse(text)
    assert trigger in {h.name for h in result.triggers}
    assert result.intent == "escalate"


@pytest.mark.parametrize(("text", "absent"), [
    ("If I'm following you, the alarm went off after you'd already paid.", "policy"),
    ("You must feel like nobody cares, and I do.", "dismissal"),
    ("So what went on at the door earlier?", "dismissal"),
    ("I do apologise, that's not good enough from us.", "sarcasm"),
    ("Oh no, that's not what you needed today.", "argue"),
    ("Oh dear, let's see what's gone on.", "sarcasm"),
])
def test_kind_words_the_patterns_overreached_on(text, absent):
    assert absent not in {h.name for h in analyse(text).triggers}


@pytest.mark.parametrize(("text", "technique"), [
    ("Nobody's saying you did anything wrong.", "empathy"),
    ("No one's kicking you out.", "empathy"),
    ("I won't rush you.", "empathy"),
    ("Hey, no rush, I'm not going anywhere.", "empathy"),
    ("You look shattered, mate.", "name_emotion"),
    ("Let me get this straight, you paid online and nothing came through.", "reflect"),
    ("what exactly happened at the till", "open_question"),
    ("Where did it all go wrong, do you think?", "open_question"),
])
def test_reassurance_feelings_and_questions_in_everyday_words(text, technique):
    result = analyse(text)
    assert technique in {h.name for h in result.techniques}
    assert result.intent == "deescalate"


# -- session 10: the lists narrowed where they fired on supportive replies, widened where a family was missing --
# Each family: the supportive phrasing no longer triggers, and the hostile use of the same words still does.

@pytest.mark.parametrize(("text", "absent"), [
    # "No, ..." reassuring them, not contradicting them.
    ("No, it's not your fault at all.", "argue"),
    ("No, you haven't done anything wrong.", "argue"),
    ("No, you're not being difficult, it's a fair question.", "argue"),
    ("so um yeah no that's totally fair enough i'll sort that for you", "argue"),
    # "That's not right" said in sympathy.
    ("Oh, that's not right at all, let me fix it.", "argue"),
    ("Sorry, nobody updated you. That's not right. I'll find out.", "argue"),
    ("You were told the wrong thing, I'm sorry.", "argue"),
    ("How many times have you had to call about this?", "argue"),
    # "whatever", "deal with it", "next", "everyone else", "go home" as ordinary words.
    ("Whatever you're feeling right now is valid.", "dismissal"),
    ("We can take this at whatever pace feels right for you.", "dismissal"),
    ("We'll deal with it together, I promise.", "dismissal"),
    ("Leave it with me, I'll deal with it.", "dismissal"),
    ("I'll make sure you're seen next.", "dismissal"),
    ("It sounds like you've been putting everyone else first for a long time.", "dismissal"),
    ("So if I've got it right, you just want your jacket and to go home.", "dismissal"),
    ("You're not the only one who finds it confusing.", "dismissal"),
    ("so what your saying is the guy pushed in front of you", "dismissal"),
    ("So the sixty days is for online orders, that's how it's set up on the system.", "dismissal"),
    ("I can't let the bag in without a check, but you can leave it in the cloakroom for free.", "dismissal"),
    # Where they are or when they finish, and a choice that ends in "or you can leave it".
    ("How come you're out here and not inside?", "threat"),
    ("When you're done with the form, just give me a shout.", "threat"),
    ("We can go to the side room or you can leave the bag with me.", "threat"),
    # Sympathy and good wishes that borrow a sarcastic phrase.
    ("Oh, you poor thing, that sounds horrible.", "sarcasm"),
    ("Congratulations on the new baby, let's get this sorted.", "sarcasm"),
    ("Here we go, I've found your booking.", "sarcasm"),
    ("I'm sure someone will be able to help, let me find them.", "sarcasm"),
    # Blame words in reassurance, a passive "should have been told", a request to sign.
    ("None of this is on you.", "blame"),
    ("no ones gonna blame you for it", "blame"),
    ("You should have been told, and I'm sorry you weren't.", "blame"),
    ("If you didn't get an email, that's on us.", "blame"),
    ("Could you sign here?", "blame"),
    ("so what happened was you dropped it and the screen cracked", "blame"),
    # Insult words about themselves or a machine, "entitled to", a negated "liar", "sunshine" said fondly.
    ("Technically you're entitled to a full refund.", "insult"),
    ("I felt like an idiot when it happened to me too.", "insult"),
    ("The card reader is a bit dodgy today, sorry.", "insult"),
    ("Don't worry, nobody thinks you're lying.", "insult"),
    ("I'm not calling you a liar.", "insult"),
    ("Alright sunshine, let's get you sorted, what do you need?", "insult"),
    ("Sunshine, you've been through so much this year.", "insult"),
    # An invitation to rest or a breath taken together; "not going to tell you to calm down" as recognised.
    ("You can relax now, it's all sorted.", "calm_down"),
    ("Let's both take a deep breath and go through it.", "calm_down"),
    ("i'm not going right too tell you too calm down you've every right to be annoyed", "calm_down"),
    # Rules mentioned on the way to help.
    ("I know the policy says thirty days, but let me see if we can make an exception.", "policy"),
    ("I'm not allowed to give medical news, but I can get someone who can.", "policy"),
    ("Hands up for me, thanks.", "command"),
])
def test_supportive_phrasing_no_longer_triggers(text, absent):
    result = analyse(text)
    assert absent not in {h.name for h in result.triggers}
    assert result.intent != "escalate"


@pytest.mark.parametrize(("text", "trigger"), [
    ("No, that's not what happened at all.", "argue"),
    ("No, you don't understand.", "argue"),
    ("no no no you're not listening", "argue"),
    ("That's not right, sir.", "argue"),
    ("How many times do I have to tell you?", "argue"),
    ("Yeah, whatever.", "dismissal"),
    ("whatever mate move on", "dismissal"),
    ("Whatever you say.", "dismissal"),
    ("Deal with it.", "dismissal"),
    ("Apologies, but you'll just have to deal with it.", "dismissal"),
    ("Okay, noted. Next.", "dismissal"),
    ("Everyone else manages.", "dismissal"),
    ("You'll have to wait like everyone else.", "dismissal"),
    ("Sorry love, but you're not the only one waiting.", "dismissal"),
    ("You're drunk, go home.", "dismissal"),
    ("I'll check it, but it's usually the ticket, not the scanner.", "dismissal"),
    ("Keep it up and you're out.", "threat"),
    ("You're done here. Get moving.", "threat"),
    ("Open the bag or you're not coming in.", "threat"),
    ("Oh, an hour? You poor thing.", "sarcasm"),
    ("Oh, here we go, another one complaining about the queue.", "sarcasm"),
    ("Here we go again.", "sarcasm"),
    ("That's on you, not us.", "blame"),
    ("You signed for it, so that's kind of on you.", "blame"),
    ("You should have kept the receipt.", "blame"),
    ("You're an idiot.", "insult"),
    ("You're lying.", "insult"),
    ("Listen sunshine, nobody cares.", "insult"),
    ("Calm down, mate.", "calm_down"),
    ("Policy says no, sorry.", "policy"),
    ("I'm afraid I'm not permitted to give out any information.", "policy"),
])
def test_the_hostile_use_still_triggers(text, trigger):
    result = analyse(text)
    assert trigger in {h.name for h in result.triggers}
    assert result.intent == "escalate"


@pytest.mark.parametrize(("text", "trigger"), [
    ("Get away from the bar.", "command"),
    ("Step out of the queue.", "command"),
    ("Stand still.", "command"),
    ("Off the escalator, now.", "command"),
    ("You will leave when I tell you to leave.", "command"),
    ("I'm sorry, but you're going to have to leave.", "command"),
    ("I've explained it three times, are you slow?", "insult"),
    ("Here's a tip: use your brain.", "insult"),
    ("Listen, princess, the world doesn't revolve around you.", "insult"),
    ("We can't make exceptions.", "policy"),
    ("It's more than my job's worth.", "policy"),
    ("The system doesn't allow it.", "policy"),
    ("So?", "dismissal"),
    ("who asked", "dismissal"),
    ("Sorry to hear that, but it's not our problem.", "dismissal"),
    ("Carry on like that and you'll be sleeping in a cell.", "threat"),
    ("Say that again, I dare you.", "threat"),
    ("Do you want a medal?", "sarcasm"),
    ("Yeah, and pigs might fly.", "sarcasm"),
    ("Prove it.", "argue"),
    ("Says who?", "argue"),
    ("Cool your jets.", "calm_down"),
    ("Stop panicking.", "calm_down"),
    ("You started it.", "blame"),
    ("Dude, you're such a tool.", "insult"),
    ("What planet are you on?", "insult"),
    ("I'm the boss here, not you.", "command"),
    ("Come on, out the door, I won't say it twice.", "command"),
    ("Still, buddy, get off the counter, now!", "command"),
    ("Look, we don't make exceptions.", "policy"),
    ("You'll have to put it in writing.", "policy"),
    ("It's in aisle five. Ask them, not me.", "dismissal"),
    ("I wouldn't know, would I.", "dismissal"),
    ("Wow, real grown up.", "sarcasm"),
    ("Shall I fetch you a medal?", "sarcasm"),
    ("Nah, you've got that wrong.", "argue"),
    ("We get this all the time.", "dismissal"),
    ("You're the first person to ever have a problem with this.", "dismissal"),
    ("You'll need to speak to your bank about that, not us.", "dismissal"),
    ("We're not responsible for items left in the cloakroom.", "dismissal"),
    ("That's just the way we do things here.", "policy"),
    ("Look, the system won't let me.", "policy"),
    ("As I've said a few times now, the booking's non-transferable.", "argue"),
    ("Did you not see the signs? They're everywhere.", "argue"),
    ("I'm not going to keep repeating myself.", "argue"),
    ("okay well there's no need to be rude", "calm_down"),
])
def test_hostile_phrasing_families_the_lists_missed(text, trigger):
    result = analyse(text)
    assert trigger in {h.name for h in result.triggers}
    assert result.intent == "escalate"


@pytest.mark.parametrize("text", [
    "Get in the car, it's warmer, I'll drive you home.",
    "I'm on the phone to the warehouse now for you.",
    "Let's see what happens with the refund and go from there.",
    "Do it again and it should work this time.",
    "I'll have your card ready in a minute.",
    "Let me hurry this up for you.",
    "That's a different team, but I'll walk you over myself.",
    "Let me finish this and I'll be right with you.",
    "You can exit the building here, it's quicker.",
    "Stay there, I'll come to you.",
    "Take care now.",
    "Put your bag on the table, please.",
])
def test_the_new_families_leave_the_kind_use_of_their_words_alone(text):
    assert not analyse(text).triggers


@pytest.mark.parametrize("text", [
    "No no, you didn't do anything wrong.",
    "None of this is your fault.",
    "No, you don't need to apologise.",
    "I'm not saying it's your fault at all.",
    "You don't have to go through this on your own.",
    "I won't be calling anyone, you're fine.",
])
def test_telling_them_they_did_nothing_wrong_is_empathy(text):
    result = analyse(text)
    assert "empathy" in {h.name for h in result.techniques}
    assert result.intent == "deescalate"


@pytest.mark.parametrize("text", ["Not a problem.", "Sure, no problem."])
def test_no_problem_is_never_inflaming(text):
    result = analyse(text)
    assert "empathy" in {h.name for h in result.techniques}
    assert result.intent != "escalate"


@pytest.mark.parametrize("text", ["Yeah, yeah.", "Yes, yes, yes."])
def test_a_word_said_twice_on_purpose_still_matches_the_listed_phrase(text):
    # Words said twice in a false start are dropped before matching ("get get out"); "yeah, yeah"
    # is said twice on purpose, so the listed "yeah yeah" and "yes yes" must still find it.
    assert "sarcasm" in found(text)


def test_you_absolute_star_is_praise():
    assert "insult" not in found("You absolute star, thank you.")
    assert "insult" in found("Well, you absolute muppet.")


@pytest.mark.parametrize(("text", "absent", "hostile"), [
    # Patterns whose optional first words left a single common word to match on.
    ("It's not your job to know all the rules.", "policy", "It's the rules."),
    ("We have a special offer on today, let me show you.", "sarcasm", "Oh, are you special?"),
    ("What a dramatic day you've had.", "dismissal", "Stop being so dramatic."),
    ("I'm not up for a fight either, let's just talk.", "policy", "It's not up for discussion."),
    ("Let me pull up the returns policy.", "policy", "We can't do that, it's policy."),
    ("Ugh, I hate when that happens, let me take a look.", "dismissal", "Ugh. Next."),
])
def test_a_pattern_matches_its_whole_phrase_not_only_its_last_word(text, absent, hostile):
    assert absent not in found(text)
    assert absent in found(hostile)


@pytest.mark.parametrize("text", ["You're not in any trouble, I promise.", "There's no wrong answer here.",
                                  "You weren't to know."])
def test_more_reassurance_is_empathy(text):
    assert "empathy" in found(text)
    assert analyse(text).intent == "deescalate"


def test_the_reason_for_a_limit_followed_by_what_can_be_done_is_no_policy_hiding():
    # The door-no-id scenario's model answer; said on its own, the same reason hides behind the rule.
    assert "policy" not in found("If I did it for you I'd have to do it for everyone. What I can do is help "
                                 "you get your ID here.")
    assert "policy" in found("If I do it for you, I'd have to do it for everyone.")


@pytest.mark.parametrize("text", [
    "Get home safe.", "Take care now.", "Mind how you go.", "Stay safe out there.", "Stop by any time.",
    "Look after yourself.", "Get some rest.", "Go easy on yourself.",
])
def test_a_kind_wish_as_they_leave_is_not_an_order(text):
    """Short kind imperatives were judged escalating by the model (0.65-0.75 sure), with no trigger."""
    result = analyse(text)
    assert result.intent != "escalate" and "empathy" in found(text), (text, result.intent)


@pytest.mark.parametrize("text", ["Take care of it yourself, I'm busy.", "Get out and stay out.",
                                  "Leave and don't come back."])
def test_a_brush_off_that_shares_their_words_is_not_kind(text):
    assert "empathy" not in found(text) and analyse(text).intent == "escalate", text


@pytest.mark.parametrize(("text", "evidence"), [
    ("Nobody asked.", "Nobody asked"),
    ("Imagine thinking anyone cares about your little complaint.", "Imagine thinking"),
    ("You must be fun at parties.", "fun at parties"),
    ("Sounds like a skill issue honestly.", "skill issue"),
    ("Stay mad.", "Stay mad"),
    ("Okay sweetie, whatever you say.", "Okay sweetie"),
    ("Honestly, who raised you?", "who raised you"),
    ("Do us all a favour and leave.", "Do us all a favour and leave"),
    ("Get over yourself.", "Get over yourself"),
    ("You sound unhinged.", "You sound unhinged"),
])
def test_online_put_downs_are_insults(text, evidence):
    result = analyse(text)
    assert found(text)["insult"] == evidence
    assert result.intent == "escalate"


@pytest.mark.parametrize(("text", "hostile"), [
    ("Nobody asked you to pay for it, it's on us.", "Nobody asked for your opinion."),
    ("Imagine being stuck in that queue for an hour, no wonder you're fed up.", "Imagine being this slow."),
    ("Do you need help with that bag?", "You clearly need help."),
    ("They're not worth your energy.", "You're not worth my time."),
])
def test_the_kind_use_of_those_words_is_no_insult(text, hostile):
    assert "insult" not in found(text)
    assert "insult" in found(hostile)


@pytest.mark.parametrize("text", [
    "Don't give up, you've got this.",
    "You're stronger than you think.",
    "Don't be so hard on yourself.",
    "Well done for speaking up.",
    "Forget about them, they're not worth your energy.",
    "I'm really proud of you for coming in today.",
    "You're a good dad, one missed parents' evening doesn't change that.",
    "You're allowed to cry. Here, have a tissue.",
    "You're not weird for missing your old job.",
    "It's not a silly question at all.",
    "Don't let him make you doubt yourself.",
    "You did brilliantly to stay calm with him.",
])
def test_encouragement_is_empathy(text):
    result = analyse(text)
    assert "empathy" in {h.name for h in result.techniques}
    assert result.intent != "escalate"


@pytest.mark.parametrize(("text", "absent"), [
    ("lol no you're not being dramatic at all, that would freak anyone out", "insult"),
    ("lol no you're not being dramatic at all.", "argue"),
    ("Honestly, no need to be embarrassed, we get card declines every day.", "calm_down"),
    ("The trolley was fine when you picked it up and the wheel came off.", "blame"),
    ("Which branch did you open the account at?", "blame"),
    ("That's enough to rattle anyone.", "calm_down"),
    ("They've charged you for a bag you didn't check in.", "blame"),
    ("What a rotten thing to be on the end of.", "policy"),
    ("You can pay the difference, or I'll put you on the list for the gate.", "threat"),
    ("ugh that's so annoying, you've been waiting ages haven't you", "dismissal"),
    ("How was the rest of your shift?", "command"),
    ("It must be so hard watching your mum go through that.", "sarcasm"),
    ("I'm so sorry, we really let you down today.", "sarcasm"),
    ("I know that's a nuisance, let me sort it.", "insult"),
    ("Give it time, there's no right way to grieve.", "command"),
    ("The card reader's been dodgy all day.", "insult"),
    ("no worries we get that fixed for you", "dismissal"),
    ("honestly don't stress, we've all hit the wrong button at some point", "dismissal"),
    ("try the other card maybe, sometimes the chip's a bit dodgy", "insult"),
])
def test_supportive_replies_the_lists_misread(text, absent):
    assert absent not in found(text)


@pytest.mark.parametrize(("text", "trigger"), [
    ("Shift.", "command"),
    ("It must be so hard.", "sarcasm"),
    ("So sorry our queue inconvenienced you.", "sarcasm"),
    ("You're such a nuisance.", "insult"),
    ("No. End of.", "policy"),
    ("Give it here.", "command"),
    ("shut the hell up and show me your ticket", "insult"),
    ("Don't let the door hit you on the way out.", "insult"),
    ("Thoughts and prayers for your late parcel.", "sarcasm"),
    ("and this is my problem how?", "dismissal"),
])
def test_the_hostile_forms_of_those_words_still_count(text, trigger):
    assert trigger in found(text)


@pytest.mark.parametrize("text", ["You're a good liar.", "You did it wrong.", "You're not allowed in, and that's that."])
def test_praise_patterns_leave_the_hostile_forms_alone(text):
    assert "empathy" not in found(text)


@pytest.mark.parametrize("text", ["Got it.", "Have a good night.", "ok", "Right, okay.", "Mind the step.",
                                  "Bear with me.", "Sir, your change."])
def test_a_short_plain_line_no_list_knows_is_not_inflaming(text):
    """The model once had a feature for "short, nothing found" and learnt from the many short put-downs
    it was trained on that such a line is probably one: "Got it." was judged escalating."""
    assert analyse(text).intent == "neutral", text


@pytest.mark.parametrize(("text", "trigger"), [
    ("we've always done it this way", "policy"),
    ("It's in the small print, you agreed to it.", "policy"),
    ("you shoulda read the fine print, man", "policy"),
    ("I'm just following the script, mate", "policy"),
    ("I can only do what the screen lets me do", "policy"),
    ("As stated on our website, we reserve the right to refuse entry.", "policy"),
    ("We don't do refunds. It says so on the wall.", "policy"),
    ("Please note that we will not respond to further correspondence on this matter.", "dismissal"),
    ("Our investigation found no error on our part, so we consider the matter closed.", "dismissal"),
    ("I can't discuss it further.", "dismissal"),
    ("We've followed the correct procedure, so there's nothing to discuss.", "dismissal"),
    ("I can't talk about other customers' bookings, that's final.", "dismissal"),
    ("I'll pass it on, but don't expect anything", "dismissal"),
    ("The manager will say no, so I wouldn't bother.", "dismissal"),
    ("sorry pal, out of my control", "dismissal"),
])
def test_service_lines_that_close_the_matter_inflame(text, trigger):
    """Session 12's service writers: the fine print, the script, "we consider the matter closed"."""
    result = analyse(text)
    assert trigger in {h.name for h in result.triggers} and result.intent == "escalate", text


@pytest.mark.parametrize("text", [
    "touch some grass and come back when youre normal",
    "um hate to break it to you but the world doesn't revolve around you",
    "there's a reason you're single, isn't there",
    "this is why nobody takes you seriously",
    "nobody likes a snitch",
    "youre literally the worst kind of customer",
    "youve got the memory of a goldfish",
    "go crawl back into your hole",
    "reading comprehension isnt your strong suit huh",
    "honestly you're doing my head in",
    "which part of no don't you understand?",
    "Some customers are just never happy.",
    "right, and who exactly made you the expert",
    "Oh wow, ninety whole minutes on hold, however did you survive.",
    "I'm sure you're very important where you come from",
    "wow you must be so smart",
    "yeah well life's not fair is it",
    "lol your loss",
    "it's not that deep, honestly",
    "mate, that's a you issue",
    "suck it up",
    "i don't need to explain myself to you",
    "this conversation's over",
    "cheer up, it might never happen",
    "goodness me, what a fuss over nothing",
    "i'm sure it's not as bad as you're making out",
    "stop wasting everyones time",
    "we are under no obligation to respond to you",
    "We've had no other complaints about it.",
    "Honestly there's not a lot of point complaining, they won't change it.",
    "you're gonna have to pay the fine whether you like it or not",
    "nothing to see here, move along",
])
def test_put_downs_and_brush_offs_in_other_words_inflame(text):
    """Session 12's hostile writers: the same families of put-down and brush-off in words the lists lacked."""
    assert analyse(text).intent == "escalate", text


@pytest.mark.parametrize("text", [
    "The small print is confusing, I get it, let me explain it.",
    "Honestly, I'd read the fine print with you if you like.",
    "I know it's out of my control but I'm so sorry.",
    "I wouldn't bother queuing, I'll bring it over to you.",
    "You agreed to meet your friend here? Let's find her.",
    "You must be so tired, let me get you a chair.",
    "That must be doing your head in, I'm so sorry.",
    "how did you manage to get here so fast, thank you",
    "I know the world doesn't revolve around this shop, but I'll be quick.",
    "Nobody takes you seriously at work? That sounds really isolating.",
    "you're the worst for apologising, you've done nothing wrong",
    "honestly the reading comprehension on that form is hard, it's badly written",
    "I'm sure you're important to the team, they'll want you back.",
    "which part of the form don't you understand? I can go through it.",
    "I'm so sorry for your loss.",
    "I know, life's not fair sometimes, and I'm sorry it landed on you.",
    "You don't need to explain yourself to me, it's fine.",
    "Please don't think it's a fuss over nothing, it matters.",
    "You're under no obligation to buy anything today.",
    "Is it a you thing or a them thing? Let's work it out together.",
    "Nothing to see here now, the alarm was a false one, you're all fine to carry on.",
    "Hands down the best coffee in town, honestly, enjoy.",
    "Phones away during the film please, thanks so much.",
    "Eyes front for the photo, lovely, thank you.",
    "Nobody leaves until everyone is safe, so let's wait together.",
    "Honestly, I think you've handled this better than most people would.",
    "so you're the one who found him. that must have been so traumatic",
    "so the scammers had your details and the bank's saying it's your fault for clicking the link",
    "hey sweetheart, you dropped your glove",
    "let's just take a breath together for a sec ok",
    "take a breath, there's no rush, i'm listening",
    "oh you poor thing, you must be frozen and fed up",
    "you seem frightened about what he'll do next",
    "I think you're doing brilliantly honestly, most people would have crumbled",
    "what would happen if you didn't this time?",
    "how do you think he'd react if you didn't answer till 9?",
    "where would you ideally want to live next?",
    "what would you like us to do next? i'm happy to go either way",
    "right whatever's gone on we'll figure it out",
])
def test_the_same_words_said_to_help_do_not_inflame(text):
    """The kind look-alikes of session 12's additions (service lines, put-downs, brush-offs, orders), and
    its calm training rows on which a listed trigger fired (bench/wording_false_triggers.py)."""
    assert analyse(text).intent != "escalate", text


@pytest.mark.parametrize("text", [
    "Face down.", "Mouth shut, eyes front.", "hood down", "I'm not telling you again, phone down",
    "phone away. I won't ask twice.", "Nobody leaves till I say so.", "Stand there and don't move till I tell you.",
])
def test_clipped_orders_and_repeats_are_bare_orders(text):
    assert "command" in {h.name for h in analyse(text).triggers}, text


@pytest.mark.parametrize(("text", "kind"), [
    ("Do you need me to explain it slower for you?", "Sorry, I was rushing. Let me explain it more slowly."),
    ("do you need me to say it again more slowly", "Would it help if I went through it again more slowly?"),
])
def test_asking_if_they_need_it_said_slower_is_a_put_down(text, kind):
    """Found trying the judge as a user (session 14): the reason it gives ("to explain") had made
    the put-down de-escalating; offering to go slower stays kind."""
    assert "insult" in found(text) and analyse(text).intent == "escalate", text
    assert "insult" not in found(kind) and analyse(kind).intent != "escalate", kind
    # Nor is it credited as explaining why: "to explain" lies inside the put-down's own words.
    assert "explain_why" not in {h.name for h in analyse(text).techniques}
