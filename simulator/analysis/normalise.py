"""Normalising a reply's text: words in lower case with their spans, contractions and digits spelled out.

Typed replies and recognised speech read alike after it ("You're WRONG!" and "youre wrong" are both
"you are wrong ."); every token keeps the span of the original text it came from, so a finding can
quote the reply verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from simulator.spoken_numbers import ONES, TENS, number_words


@dataclass(frozen=True)
class Token:
    """One normalised word (or "," / "." for a clause or sentence break) and where it came from."""

    word: str
    start: int
    end: int

    @property
    def is_break(self) -> bool:
        return self.word in {",", "."}


_RAW_TOKEN = re.compile(
    r"[0-9]+(?:[.,:][0-9]+)*|[^\W\d_]+(?:['’‘`][^\W\d_]+)*|[.!?;]+|[,:\u2013\u2014]|(?<=\s)-(?=\s)"
)

# Contractions written out, with or without the apostrophe (recognisers and phone keyboards drop it).
_WHOLE_WORDS: dict[str, tuple[str, ...]] = {
    "can't": ("can", "not"), "cant": ("can", "not"), "cannot": ("can", "not"),
    "won't": ("will", "not"), "wont": ("will", "not"), "shan't": ("shall", "not"),
    "ain't": ("is", "not"), "aint": ("is", "not"), "let's": ("let", "us"), "lets": ("let", "us"),
    "dont": ("do", "not"), "doesnt": ("does", "not"), "didnt": ("did", "not"),
    "isnt": ("is", "not"), "arent": ("are", "not"), "wasnt": ("was", "not"),
    "werent": ("were", "not"), "havent": ("have", "not"), "hasnt": ("has", "not"),
    "hadnt": ("had", "not"), "wouldnt": ("would", "not"), "couldnt": ("could", "not"),
    "shouldnt": ("should", "not"), "mustnt": ("must", "not"),
    "youre": ("you", "are"), "theyre": ("they", "are"), "im": ("i", "am"),
    "ive": ("i", "have"), "youve": ("you", "have"), "weve": ("we", "have"),
    "theyve": ("they", "have"), "youll": ("you", "will"), "theyll": ("they", "will"),
    "itll": ("it", "will"), "thatll": ("that", "will"), "youd": ("you", "would"),
    "theyd": ("they", "would"), "thats": ("that", "is"), "theres": ("there", "is"),
    "whats": ("what", "is"), "hes": ("he", "is"), "shes": ("she", "is"),
    "heres": ("here", "is"), "wheres": ("where", "is"), "hows": ("how", "is"),
    "whos": ("who", "is"), "its": ("it", "is"), "shouldve": ("should", "have"),
    "couldve": ("could", "have"), "wouldve": ("would", "have"), "mightve": ("might", "have"),
    "mustve": ("must", "have"), "gonna": ("going", "to"), "wanna": ("want", "to"),
    "gotta": ("got", "to"), "u": ("you",), "ur": ("your",), "ya": ("you",), "ok": ("okay",),
    "cos": ("because",), "coz": ("because",), "cuz": ("because",), "pls": ("please",),
    "plz": ("please",), "thx": ("thanks",), "apologize": ("apologise",),
    "nobodys": ("nobody", "is"), "everyones": ("everyone", "is"), "someones": ("someone", "is"),
    "everythings": ("everything", "is"), "nothings": ("nothing", "is"),
}
# Pronouns whose 's is "is"; on other words it is a possessive and is dropped.
_S_IS = {"it", "that", "there", "what", "he", "she", "who", "here", "where", "how", "this", "everyone",
         "everything", "nobody", "noone", "somebody", "someone", "nothing"}

NUMBER_WORDS = frozenset([*ONES, *TENS[2:], "hundred", "thousand", "million", "half", "quarter"])


def _digits_to_words(raw: str) -> list[str]:
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+", raw):
        return number_words(int(raw.replace(",", "")))
    words: list[str] = []
    for part in re.split(r"[.,:]", raw):
        words.extend(number_words(int(part)) if len(part) <= 6 else [part])
    return words


def _expand(raw: str) -> tuple[str, ...]:
    word = raw.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    if word in _WHOLE_WORDS:
        return _WHOLE_WORDS[word]
    if "'" not in word:
        return (word,)
    base, _, suffix = word.partition("'")
    suffix = suffix.replace("'", "")
    if suffix == "t" and base.endswith("n"):
        return (base[:-1], "not")
    if suffix == "s":
        return (base, "is") if base in _S_IS else (base,)
    endings = {"re": "are", "m": "am", "ve": "have", "ll": "will", "d": "would"}
    if suffix in endings:
        return (base, endings[suffix])
    return (base + suffix,)


# After a noun, "'s" is a possessive ("the customer's bag") unless what follows reads as the rest of
# a sentence ("medication's fine", "water's coming"): then it is "is", and phrases like
# "is completely fine" can see it.
_IS_NEXT = frozenset("""
fine okay ok all right alright ready done gone here there on coming going not completely totally perfectly
absolutely just only really still been being always never broken closed open free available allowed safe
sorted a an the no nothing in out up down over back empty full late early due
""".split())


def _possessive_is(raw: str, following: str) -> bool:
    word = raw.lower().replace("’", "'")
    return word.endswith("'s") and word[:-2] not in _S_IS and following.lower() in _IS_NEXT


def raw_tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    matches = list(_RAW_TOKEN.finditer(text))
    for k, m in enumerate(matches):
        raw = m.group()
        if (k + 1 < len(matches) and raw[-2:-1] in ("'", "’") and raw[0].isalpha()
                and _possessive_is(raw, matches[k + 1].group())):
            base = raw[:-2].lower()
            tokens.append(Token(base, m.start(), m.end()))
            tokens.append(Token("is", m.start(), m.end()))
            continue
        if raw[0] in "0123456789":
            words: Iterable[str] = _digits_to_words(raw)
        elif raw[0] in ".!?;":
            words = (".",)
        elif not raw[0].isalpha():
            words = (",",)
        else:
            words = _expand(raw)
        for w in words:
            tokens.append(Token(w, m.start(), m.end()))
    return tokens



def respell(tokens: list[Token], rules: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> list[Token]:
    present = {t.word for t in tokens}
    for src, dst in rules:
        n = len(src)
        if src[0] not in present:
            continue
        present.update(dst)
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            if tokens[i].word == src[0] and tuple(t.word for t in tokens[i:i + n]) == src:
                start, end = tokens[i].start, tokens[i + n - 1].end
                out.extend(Token(w, start, end) for w in dst)
                i += n
            else:
                out.append(tokens[i])
                i += 1
        tokens = out
    return tokens
