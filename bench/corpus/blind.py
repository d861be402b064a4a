"""The blind corpus: replies written apart from dev.py (other places, frames, words and slips), never trained or tuned on.

Its purpose is to say how the judge does on phrasing it was not built from: the situations are
different shops and doors, the sentences are built differently, and the trigger and support
lines were written without looking at the development lists or the rubric's phrases.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from bench.corpus.dev import Row

PLACES = [
    ("retail", "The self-checkout keeps saying unexpected item and nobody comes to help!",
     ["the machine keeps stopping you and nobody's come over", "you've been stuck at the self-checkout with no help"],
     ["I'll clear it for you now", "I can put it through on a staffed till"]),
    ("retail", "I was told my glasses would be ready Friday and now you say two more weeks?",
     ["you were promised them for Friday and now it's another two weeks", "the date you were given has slipped by a fortnight"],
     ["I'll phone the lab and chase it", "I can lend you a spare pair in the meantime"]),
    ("retail", "This hotel room hasn't been cleaned and I've been travelling all day.",
     ["you've travelled all day and the room wasn't ready", "your room hasn't been made up after a long journey"],
     ["I'll move you to another room straight away", "I can get housekeeping up there in ten minutes"]),
    ("retail", "The pharmacy lost my prescription again!",
     ["your prescription has gone missing for the second time", "this is the second time the prescription has been lost"],
     ["I'll call your surgery myself", "I can get an emergency supply sorted today"]),
    ("security", "I've got a ticket, why are you stopping me at the turnstile?",
     ["you've got a valid ticket and you've been stopped anyway", "the turnstile won't take the ticket you paid for"],
     ["I'll scan it on the handheld", "we can go to the ticket office together"]),
    ("security", "I just want to get on my coach, stop searching my stuff!",
     ["you're worried about missing your coach", "you just want to get on your coach and the check is holding you up"],
     ["I'll be quick and get you to your bay", "I can radio the driver to wait two minutes"]),
    ("security", "The bouncer pushed my brother, that's assault!",
     ["your brother was pushed by one of our staff", "you saw your brother get shoved"],
     ["I'll take both your statements now", "I can pull the camera footage tonight"]),
    ("security", "You're treating me like a shoplifter because of how I look.",
     ["you feel you're being judged on how you look", "you think you were picked out for your appearance"],
     ["I'll explain exactly why the alarm went", "we can check the receipt together and you're on your way"]),
]

# Feelings named in words the development set does not use much.
FEELINGS = ["gutted", "really hacked off", "at the end of your tether", "panicky", "mortified", "pretty shaken up",
            "insulted", "worn out", "stressed out", "quite distressed", "really let down", "cheesed off",
            "anxious about it", "nervous", "pretty fed up", "upset and tired", "scared", "ticked off", "frazzled"]
FEEL_SENTENCES = [
    "you're {f}, aren't you?", "I'm guessing you're feeling {f}.", "anyone can see you're {f}.",
    "you must be {f} by now.", "I'd imagine you feel {f}.", "it's obvious you're {f}, and I don't blame you.",
    "that would leave anyone {f}.", "you seem {f}.", "sounds like you're {f}.", "I can tell it's got you {f}.",
    "you look {f}, honestly.", "I think I'd be {f} as well.",
]
ECHO = ["so {e}, right?", "okay, {e}.", "hang on, so {e}?", "let me get this straight: {e}.", "so you're saying {e}.",
        "if I've heard you right, {e}.", "right, {e}, that's what happened?", "what you're telling me is {e}.",
        "so the problem is {e}.", "let me say it back to you: {e}."]
ASKS = ["what's been going on?", "can you tell me from the start?", "what would sort this out for you?",
        "what happened when you got to the door?", "how do you want to handle this?", "what would you like to happen now?",
        "how's your day been up to now?", "what can we do to put it right?", "which would suit you better?",
        "where do you need to be and by when?", "what did the last person tell you?", "how can I make this easier?",
        "what would you need from us to feel okay about this?", "how are you holding up?", "what's worrying you most?"]
KIND = ["I really do get it.", "that's rotten luck, and it's on us.", "I'd be cross as well.", "you've been more patient than I would be.",
        "honestly, that's a fair point.", "that isn't how it should have gone.", "you're not wrong to be annoyed.",
        "let's get this fixed together.", "I want to make this right for you.", "you're fine, nobody's in trouble.",
        "thank you for telling me straight.", "I'm sorry, that shouldn't have happened to you.", "we messed up there, I'm sorry.",
        "maybe a cup of tea while I sort it?", "perhaps I could grab you a chair?", "do you think a quieter spot would help?",
        "the parking's on me today.", "some people get caught out by that sign, it's badly placed.",
        "you look frozen, sunshine, come in out of the cold.", "it seems as if the booking never went through, that's on us.",
        "it's alright to be upset, really.", "I'm with you on this.", "no need to apologise, you've done nothing wrong.",
        "there's no rush at all, take whatever time you need.", "you did the right thing telling me.",
        "I'm not going to rush you.", "nobody's calling anyone, it's fine.", "I can't promise, but I'll do everything I can."]
PLAIN = ["the office opens at nine.", "it's platform six.", "your booking reference is on the confirmation.", "pay at the kiosk.",
         "the turnstile only takes paper tickets.", "I need a surname.", "okay, one sec.", "the cash machine's by the entrance.",
         "lost property is downstairs.", "we're open till ten.", "that'll be fourteen ninety-nine.", "bags go on the belt.",
         "the coach leaves at quarter past.", "room service stops at eleven.", "this lane's for baskets only.", "alright.",
         "the pharmacist is on her break.", "I'll have to check with the office.", "fill in your email there.", "sure."]
NASTY = {
    "insult": ["you're a proper idiot, you know that?", "God, you're thick.", "what a complete waste of oxygen.",
               "are you simple or what?", "nobody wants to hear your whining.", "you look like a tramp.",
               "what are you, twelve?", "you absolute muppet.", "christ, you're annoying.", "you're a nasty little man.",
               "take your stupid complaint and shove it.", "you clown.", "pathetic, honestly.", "go cry to your mum.",
               "you're a liar and everyone knows it.", "shut your mouth.", "bloody hell, give it a rest.",
               "you thick git.", "listen here, you dozy cow.", "get lost, you freak."],
    "never_say": ["It's our policy.", "You'll have to fill out this form.", "You should have called us sooner.",
                  "That's not my department.", "There's nothing I can do about it.", "You need to calm down.",
                  "I'm just following the rules.", "You'll have to speak to someone else.", "It's not my fault.",
                  "That's just how it is.", "I don't make the rules.", "We can't do anything without a receipt, sorry.",
                  "You must have done something to it.", "You're the first person to complain.", "What do you want me to do about it?",
                  "Rules are rules, I'm afraid.", "You should have read the terms.", "Policy says no.", "That's impossible.",
                  "Not my problem, mate."],
    "command": ["move.", "out. now.", "get out of the way.", "you, up, now.", "leave. right now.", "back away from the desk.",
                "I'm in charge here, not you.", "I said move it.", "turn around and go.", "out of my sight.",
                "get your stuff and get out.", "go on, out.", "don't argue, just leave.", "this is my door, you do what I say.",
                "off the premises, now."],
    "brush": ["yeah, okay, whatever you say.", "can't help you, next please.", "I honestly couldn't care less.",
              "it's a few quid, get over it.", "right, are we finished?", "ask someone who cares.", "mm, sure.",
              "go moan at head office.", "not interested.", "I've heard worse.", "I'm not paid enough for this.",
              "you're holding everyone up."],
    "order_calm": ["relax, will you?", "stop making a fuss.", "calm yourself down.", "quit yelling at me.",
                   "lower your voice or we're done.", "don't get hysterical."],
    "accuse": ["you obviously broke it yourself.", "you should've checked before you left.", "that's your own fault, that is.",
               "if you'd listened the first time we wouldn't be here.", "did you actually bother to read it?",
               "you were told twice."],
    "mock": ["oh, poor you.", "wow, what a crisis.", "sure, and I'm the queen.", "well done, genius.",
             "oh, here we go.", "lovely, another complaint."],
    "threaten": ["carry on and you'll be leaving in handcuffs.", "keep it up and see what happens.", "I'll have you thrown out.",
                 "you're one word from a ban.", "I'm ringing the police right now.", "final warning."],
    "contradict": ["no, that's rubbish.", "you're making that up.", "that's not how it works.", "wrong.",
                   "you're confused.", "nope, you didn't pay."],
}
TRIGGER_OF = {"insult": "insult", "never_say": "", "command": "command", "brush": "dismissal", "order_calm": "calm_down",
              "accuse": "blame", "mock": "sarcasm", "threaten": "threat", "contradict": "argue"}
GLUE = [" but ", ", but ", " — still, ", ". Anyway, ", ", although "]
FILL = ["er", "hmm", "you see", "to be fair", "honestly", "look"]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _speech(s: str, rng: random.Random) -> str:
    s = re.sub(r"[^\w\s']", "", s.lower())
    words = s.split()
    if len(words) > 3 and rng.random() < 0.3:
        k = rng.randrange(1, len(words))
        words.insert(k, rng.choice(FILL))
    if rng.random() < 0.15:
        words = [{"you're": "your", "i'm": "am", "i'll": "all", "that's": "thats", "sorry": "saury"}.get(w, w) for w in words]
    return " ".join(words)


def generate(n: int, seed: int = 1916) -> Iterator[Row]:
    rng = random.Random(seed)
    seen: set[str] = set()
    made = 0
    while made < n:
        setting, line, echoes, offers = rng.choice(PLACES)
        roll = rng.random()
        techniques: list[str] = []
        triggers: list[str] = []
        if roll < 0.45:
            bits = []
            pick = rng.sample(["feel", "echo", "ask", "kind", "offer"], k=rng.choice([1, 2, 2, 3]))
            for b in pick:
                if b == "feel":
                    bits.append(rng.choice(FEEL_SENTENCES).format(f=rng.choice(FEELINGS)))
                    techniques.append("name_emotion")
                elif b == "echo":
                    bits.append(rng.choice(ECHO).format(e=rng.choice(echoes)))
                    techniques.append("reflect")
                elif b == "ask":
                    bits.append(rng.choice(ASKS))
                    techniques.append("open_question")
                elif b == "kind":
                    bits.append(rng.choice(KIND))
                    techniques.append("empathy")
                else:
                    bits.append(rng.choice(offers) + ".")
                    techniques.append("offer_options")
            text, intent = " ".join(_cap(b) for b in bits), "deescalate"
            kind = "supportive" if pick[0] == "kind" else pick[0]
        elif roll < 0.63:
            text, intent, kind = " ".join(_cap(p) for p in rng.sample(PLAIN, k=rng.choice([1, 1, 2]))), "neutral", "procedural"
        else:
            group = rng.choice(list(NASTY))
            nasty = rng.choice(NASTY[group])
            if TRIGGER_OF[group]:
                triggers.append(TRIGGER_OF[group])
            kind = "insult" if group == "insult" else "never_say" if group == "never_say" else TRIGGER_OF[group]
            r = rng.random()
            if r < 0.6:
                text = _cap(nasty)
            elif r < 0.8:
                text = _cap(rng.choice(PLAIN)) + " " + _cap(nasty)
            else:
                good = rng.choice(["I'm sorry", "I hear you", "I know you're upset", "thanks for waiting", "I get that"])
                text = _cap(good) + rng.choice(GLUE) + nasty
                kind = "mixed"
            intent = "escalate"
        if rng.random() < 0.3:
            text, style = _speech(text, rng), "spoken"
        else:
            style = "typed"
        if text in seen:
            continue
        seen.add(text)
        made += 1
        yield Row(text, intent, tuple(techniques), tuple(triggers), kind, setting, line, style)
