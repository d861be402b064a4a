"""Grave triggers the recogniser may have made up: "never a silent wrong judgement".

A misheard word can become an insult ("that was our mistake" heard as "that was a dick") and
send the scenario down its worst branch. When every word that a grave trigger rests on was
recognised with a low word posterior, the reply is not judged on it: the customer asks to hear it
again, as for a reply whose whole confidence is low (see `simulator.speech.recognizer`).
Typed replies carry no recognised words, so they are never unsure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from simulator.engine.judgement import HeardWord

if TYPE_CHECKING:
    from simulator.analysis.wording import Hit, Rubric

# The triggers that, found once, wreck a session (they branch to a storm-off in the scenarios)
# and whose evidence a misrecognition can produce: an insult is often a single word, one
# substituted word, and a threat's two or more ("or else", "try me") need only one misheard word
# to make the match ("our mistake" -> "a dick"; "what was" -> "you lot was").
GRAVE_TRIGGERS = frozenset({"insult", "threat"})

# A word recognised with a probability under this is unsure. The words are Whisper tiny.en's (the
# default recogniser; its per-word probability from the alignment of its tokens), or PocketSphinx's
# posteriors when it stands in. Measured with `bench/asr_accuracy.py --word-confidence` (Whisper,
# per hypothesis word; "wrong" = a substitution or insertion in a Levenshtein alignment with what
# was said), the share of wrong / of correct words under each threshold:
#                        0.4           0.5           0.6           0.7           0.8
#   natural voices     17% / 0.9%    31% / 1.2%    48% / 2.4%    55% / 6.7%    62% / 13%
#     (flite: 29 wrong, 328 correct words)
#   espeak-ng          36% / 2.5%    43% / 5.7%    55% / 9.1%    67% / 16%     79% / 24%
#   read speech        10% / 0.7%    25% / 1.6%    36% / 5.3%    43% / 9.0%    49% / 14%
#   all (132 / 1345)   20% / 1.2%    32% / 2.5%    45% / 5.5%    53% / 10%     61% / 16%
# Medians: correct 0.98, wrong 0.67. Whisper makes fewer wrong words than PocketSphinx did (132 in
# 1477 against ~400 in ~1850) but is surer of them, so no threshold catches most. 0.6 stays the
# knee for the natural voices (past it, correct words flagged almost treble for 7 more points of
# wrong ones) and catches about half of all wrong words. A correct word under it costs only a "say
# that again" when it is the evidence of an insult or threat actually said; a wrong word over it
# wrecks the session, so the threshold errs high. No grave trigger was made up in these 131 replies.
# With PocketSphinx (before): under 0.6 wrong 68%, correct 20% (all); its made-up triggers ("you
# lot" for "you what": "lot" 0.13; "are you dim": "dim" 0.00; "dick" for "by mistake": 0.12) were
# all caught. With beam search (session 8, tried and not kept; see BEAM_SIZE in speech/whisper.py):
# fewer wrong words (94 in 1501), under 0.6 wrong 47%, correct 6.8%; no grave trigger made up.
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


def unsure_spans(text: str, words: Sequence[HeardWord], threshold: float = UNSURE_WORD) -> list[tuple[int, int]]:
    """(start, end) in `text` of each recognised word under `threshold`, for the screens to mark as
    "may be misheard" (the live transcript, the debrief). Empty when typed or when the words do not
    spell the text."""
    return [(start, end) for start, end, c in word_spans(text, words) or () if c < threshold]


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
    # Deferred: the screens import this module to mark unsure words, and the wording judge's pattern
    # machinery (a quarter of a second) is not needed before their first frame (ui/heard.py).
    from simulator.analysis.wording import matches

    return unsure_words(text, matches(rubric, text, grave), words, threshold)
