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
# and whose evidence a misrecognition can produce: an insult is often a single word (one
# substituted word suffices); a threat needs two or more ("or else", "try me"), so it is unsure
# only when all of them are.
GRAVE_TRIGGERS = frozenset({"insult", "threat"})

# A word recognised with a posterior under this is unsure. Measured with
# `bench/asr_accuracy.py --word-confidence` (adapted recogniser, per hypothesis word; "wrong" =
# a substitution or insertion in a Levenshtein alignment with what was said):
UNSURE_WORD = 0.5


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
    """The evidence of the grave-trigger matches among `hits` (all of them, found in `text`) when
    every word of every one was recognised under `threshold`: the reply should be heard again.
    Empty when there is no grave trigger, when there are no recognised words (typed), and when any
    grave match rests on a sure word (the reply is grave whatever the unsure words were)."""
    if not words:
        return []
    spans = word_spans(text, words)
    if not spans:
        return []
    unsure: list[str] = []
    for hit in hits:
        if hit.name not in GRAVE_TRIGGERS:
            continue
        confidences = [c for start, end, c in spans if start < hit.end and hit.start < end]
        if not confidences or max(confidences) >= threshold:
            return []
        if hit.evidence not in unsure:
            unsure.append(hit.evidence)
    return unsure


def unsure_grave_triggers(rubric: Rubric, text: str, found: Iterable[str], words: Sequence[HeardWord],
                          threshold: float = UNSURE_WORD) -> list[str]:
    """`unsure_words` for a judged reply: `found` are the trigger names its judgement holds; every
    match of the grave ones is checked, not only the best one the judgement quotes."""
    grave = sorted(GRAVE_TRIGGERS.intersection(found))
    if not words or not grave:
        return []
    return unsure_words(text, rubric.matches(text, grave), words, threshold)
