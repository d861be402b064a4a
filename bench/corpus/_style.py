"""Ways the same reply reaches the judge: typed or spoken, British or American, cleanly or with recogniser slips."""

from __future__ import annotations

import random
import re

UK_TO_US = [
    ("queue", "line"), ("queuing", "waiting in line"), ("shop", "store"), ("mobile", "cell"),
    ("car park", "parking lot"), ("mate", "buddy"), ("madam", "ma'am"), ("trolley", "cart"),
    ("till", "register"), ("bin", "trash"), ("post", "mail"), ("fortnight", "two weeks"),
    ("ring", "call"), ("straight away", "right away"), ("colour", "color"), ("cheque", "check"),
    ("apologise", "apologize"), ("organise", "organize"), ("realise", "realize"), ("toilet", "restroom"),
    ("pounds", "dollars"), ("quid", "bucks"), ("mum", "mom"), ("lift", "elevator"), ("cinema", "movie theater"),
]
FILLERS = ["um", "uh", "erm", "like", "you know", "so", "well", "I mean", "okay so", "right", "look", "basically"]
# Words a recogniser writes for others it heard.
MISHEARD = {
    "your": ["you're", "you", "yer"], "you're": ["your", "you"], "there": ["their", "they're"],
    "to": ["too", "two"], "for": ["four", "fer"], "I'll": ["ill", "I"], "can't": ["can", "cant"],
    "I'm": ["im", "I"], "we'll": ["well", "we"], "it's": ["its", "is"], "the": ["a", "thee"],
    "understand": ["under stand"], "sorry": ["sore", "story"], "wait": ["weight"], "here": ["hear"],
    "know": ["no"], "right": ["write"], "sure": ["shore"], "would": ["wood"], "our": ["are", "hour"],
    "check": ["cheque", "chuck"], "receipt": ["recede", "reset"], "manager": ["manger"],
    "refund": ["re fund"], "frustrated": ["frustrate", "frost rated"], "let's": ["lets"],
}


def americanise(text: str) -> str:
    for uk, us in UK_TO_US:
        text = re.sub(rf"\b{re.escape(uk)}\b", us, text)
        text = re.sub(rf"\b{re.escape(uk.capitalize())}\b", us.capitalize(), text)
    return text


def spoken(text: str, rng: random.Random, slips: float = 0.12) -> str:
    """As a recogniser might write it: lower case, no punctuation, fillers, a false start, misheard words."""
    words = re.sub(r"[.!?,;:\"()]", " ", text).split()
    out: list[str] = []
    for i, w in enumerate(words):
        if i == 0 and rng.random() < 0.3:
            out.append(rng.choice(FILLERS))
        if i > 0 and rng.random() < 0.04:
            out.append(rng.choice(FILLERS))
        if i == 1 and rng.random() < 0.12:
            out.append(words[0])  # a false start: "I I can"
        if w in MISHEARD and rng.random() < slips:
            out.append(rng.choice(MISHEARD[w]))
        else:
            out.append(w)
    if rng.random() < 0.1 and len(out) > 4:
        del out[rng.randrange(1, len(out))]  # a word the recogniser dropped
    return " ".join(out).lower()


def typed(text: str, rng: random.Random) -> str:
    """As a hurried trainee might type it: sometimes no capitals, no final stop, no apostrophes."""
    if rng.random() < 0.2:
        text = text.lower()
    if rng.random() < 0.2:
        text = text.rstrip(".")
    if rng.random() < 0.1:
        text = text.replace("'", "")
    return text


def render(text: str, rng: random.Random, spoken_share: float = 0.35, us_share: float = 0.4) -> tuple[str, str]:
    """One way of saying `text`, and which ("typed-uk", "spoken-us"...)."""
    variety = "uk"
    if rng.random() < us_share:
        text, variety = americanise(text), "us"
    if rng.random() < spoken_share:
        return spoken(text, rng), "spoken-" + variety
    return typed(text, rng), "typed-" + variety
