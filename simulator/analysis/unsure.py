"""Grave triggers the recogniser may have made up: "never a silent wrong judgement".

A misheard word can become an insult ("that was our mistake" heard as "that was a dick") and
send the scenario down its worst branch. When every word that a grave trigger rests on was
recognised with a low word posterior, the reply is not judged on it: the customer asks to hear it
again, as for a reply whose whole confidence is low (see `simulator.speech.recognizer`).
Typed replies carry no recognised words, so they are never unsure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from simulator.analysis.wording import Hit, Rubric
from simulator.engine.judgement import HeardWord

# The triggers that, found once, wreck a session (they branch to a storm-off in the scenarios)
# and whose evidence a misrecognition can produce: an insult is often a single word, one
# substituted word, and a threat's two or more ("or else", "try me") need only one misheard word
# to make the match ("our mistake" -> "a dick"; "what was" -> "you lot was").
GRAVE_TRIGGERS = frozenset({"insult", "threat"})

# A word recognised with a posterior under this is unsure. Measured with
# `bench/asr_accuracy.py --word-confidence` (adapted recogniser, per hypothesis word; "wrong" =
# a substitution or insertion in a Levenshtein alignment with what was said), the share of wrong /
# of correct words under each threshold (two runs; espeak-ng's words vary most between them):
#                        0.3          0.4          0.5          0.6          0.7          0.8
#   natural voices     40% / 2.8%   54-56% / 3.9% 58% / 5.5%  65% / 9.1%   65% / 12%    67-69% / 15%
#     (flite, Festival: 52 wrong, 669 correct words)
#   espeak-ng          47-50% / 16-23%  56-57% / 23-27%  61-62% / 26-30%  66-69% / 31-35%  73-75% / 37-43%
#   read speech        46-51% / 13%  55-58% / 17%  59-62% / 22%  68-70% / 28-29%  77-79% / 36%
#   all (~400 / ~1450) 46-50% / 8-10%  55-57% / 11-12%  60-62% / 15%  68% / 20%  74-75% / 25-26%
# Medians: correct 0.96-0.97, wrong 0.30-0.35; a quarter of the wrong words score over 0.7, so no
# threshold catches every misrecognition. 0.6 is the knee for the natural voices (wrong words
# caught stop rising there: 65% up to 0.7) and catches two thirds of all wrong words. A correct
# word under it costs only a "say that again" when it is the evidence of an insult or threat
# actually said (a repeat, typing offered), while a wrong word over it wrecks the session, so the
# threshold errs high. The bench's made-up grave triggers: "you lot" for "you what" ("lot" 0.13),
# "are you dim" for "I can't give you" ("dim" 0.00), "dick" for "by mistake" (0.12): all caught
# (from a threshold of 0.3 already).
UNSURE_WORD = 0.6


def word_spans(text: str, words: Sequence[HeardWord]) -> list[tuple[int, int, float]] | None:
    """(start, end, confidence) of each recognised word in `text`, found in order; None when the
    words do not spell the text (then nothing can be said about any part of it)."""
    spans: list[tuple[int, int, float]] = []
    lowered = text.lower()
    cursor = 0
    for word in words:
        token = word.text.strip().lower()
        if not token:
            continue
        at = lowered.find(token, cursor)
        if at < 0:
            return None
        spans.append((at, at + len(token), word.confidence))
        cursor = at + len(token)
    return spans


def unsure_words(text: str, hits: Iterable[Hit], words: Sequence[HeardWord],
                 threshold: float = UNSURE_WORD) -> list[str]:
    """The words recognised under `threshold` that the grave-trigger matches among `hits` (all of
    them, found in `text`) rest on, when every such match has one: the reply should be heard
    again. A match needs all its words, so one unsure word makes it doubtful ("you lot" heard for
    "what": "you" 0.96, "lot" 0.13). Empty when there is no grave trigger, when there are no
    recognised words (typed), and when any grave match is sure in every word (the reply is grave
    whatever the unsure words were)."""
    if not words:
        return []
    spans = word_spans(text, words)
    if not spans:
        return []
    unsure: list[str] = []
    for hit in hits:
        if hit.name not in GRAVE_TRIGGERS:
            continue
        heard = [(start, end, c) for start, end, c in spans if start < hit.end and hit.start < end]
        doubtful = [text[start:end] for start, end, c in heard if c < threshold]
        if not doubtful:
            return []  # sure in every word (or not among the recognised words: nothing to doubt)
        unsure += [w for w in doubtful if w not in unsure]
    return unsure


def unsure_grave_triggers(rubric: Rubric, text: str, found: Iterable[str], words: Sequence[HeardWord],
                          threshold: float = UNSURE_WORD) -> list[str]:
    """`unsure_words` for a judged reply: `found` are the trigger names its judgement holds; every
    match of the grave ones is checked, not only the best one the judgement quotes."""
    grave = sorted(GRAVE_TRIGGERS.intersection(found))
    if not words or not grave:
        return []
    return unsure_words(text, rubric.matches(text, grave), words, threshold)
