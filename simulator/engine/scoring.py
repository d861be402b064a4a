"""The debrief's overall score: a plain rubric over a session's turns, each line explained.

    score = score_session(state.turns, state.outcome, start_agitation=55)
    score.total            # 0..100
    for line in score.lines: line.behaviour, line.points, line.max_points, line.detail

Five behaviours, each worth a fixed share; a behaviour that could not be measured (tone when every
reply was typed) is left out and the total is scaled to 100 over the rest, so typing is not
penalised. The weights say what the training values most: how it ended, then what was said,
then what was avoided, then how it sounded and whether each reply moved the customer the right way.

A turn whose transcript the trainee corrected (misheard words; TurnRecord.correction) is scored on
what they said: its techniques, triggers and tone are the corrected judgement's (`TurnRecord.assessed`;
the tone is the recording's either way). How it ended and the effect on the customer stay as played,
since the customer reacted to what was heard. The debrief and the reports show both transcripts, so
a trainer can check a correction against the recording.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.engine.session import TurnRecord
from simulator.engine.vocabulary import TECHNIQUES, TRIGGERS

WEIGHTS = {
    "outcome": 35.0,
    "techniques": 25.0,
    "triggers": 20.0,
    "tone": 10.0,
    "calming": 10.0,
}

OUTCOME_SHARE = {"resolved": 1.0, "unresolved": 0.4, "escalated": 0.0}

# How much of the tone points each label earns: a calm voice all of them, shouting none.
TONE_SHARE = {"calm": 1.0, "flat": 0.5, "raised": 0.25, "shouting": 0.0}

# Two different techniques in one reply earn a turn's full technique points.
TECHNIQUES_FOR_FULL_TURN = 2

GRADES = [(85.0, "Excellent"), (70.0, "Good"), (50.0, "Getting there"), (0.0, "Keep practising")]


@dataclass(frozen=True)
class RubricLine:
    key: str
    behaviour: str
    points: float
    max_points: float
    detail: str
    measured: bool = True


@dataclass(frozen=True)
class Score:
    total: float
    grade: str
    lines: list[RubricLine]
    # Why the parts do not add up to the total (a behaviour not measured, the rest scaled), or None.
    note: str | None = None

    def line(self, key: str) -> RubricLine:
        return next(item for item in self.lines if item.key == key)


def _names(counter: Counter[str], labels: dict[str, str]) -> str:
    return ", ".join(f"{labels.get(name, name).lower()} ×{n}" if n > 1 else labels.get(name, name).lower()
                     for name, n in counter.most_common())


def _outcome_line(outcome: str | None) -> RubricLine:
    weight = WEIGHTS["outcome"]
    if outcome is None:
        return RubricLine("outcome", "How it ended", 0.0, weight,
                          "The conversation was not finished, so it earns no outcome points.")
    detail = {
        "resolved": "Resolved: the customer left with the problem dealt with.",
        "unresolved": "Unresolved: the customer gave up or left unhappy, but nothing escalated.",
        "escalated": "Escalated: the conversation ended in a confrontation or a complaint about you.",
    }[outcome]
    return RubricLine("outcome", "How it ended", round(weight * OUTCOME_SHARE[outcome], 1), weight, detail)


def _techniques_line(turns: Sequence[TurnRecord]) -> RubricLine:
    weight = WEIGHTS["techniques"]
    used: Counter[str] = Counter()
    share = 0.0
    turns_with = 0
    for turn in turns:
        names = turn.assessed.technique_names()
        used.update(names)
        turns_with += bool(names)
        share += min(len(names), TECHNIQUES_FOR_FULL_TURN) / TECHNIQUES_FOR_FULL_TURN
    points = weight * share / len(turns)
    if used:
        detail = (f"You used a de-escalation technique in {turns_with} of {len(turns)} replies "
                  f"({_names(used, TECHNIQUES)}). Two different techniques in a reply earn its full share.")
    else:
        detail = "No de-escalation technique was found in your replies: try acknowledging the feeling or apologising."
    return RubricLine("techniques", "Techniques used", round(points, 1), weight, detail)


def _triggers_line(turns: Sequence[TurnRecord]) -> RubricLine:
    weight = WEIGHTS["triggers"]
    found: Counter[str] = Counter()
    clean = 0
    for turn in turns:
        names = turn.assessed.trigger_names()
        found.update(names)
        clean += not names
    points = weight * clean / len(turns)
    if found:
        detail = f"{clean} of {len(turns)} replies were free of triggers. Found: {_names(found, TRIGGERS)}."
    else:
        detail = "None of your replies contained a trigger (ordering calm, blaming, threats, sarcasm...)."
    return RubricLine("triggers", "Triggers avoided", round(points, 1), weight, detail)


def _tone_line(turns: Sequence[TurnRecord]) -> RubricLine:
    weight = WEIGHTS["tone"]
    labels = [t.assessed.tone.label for t in turns if t.assessed.tone is not None]
    if not labels:
        return RubricLine("tone", "Tone of voice", 0.0, weight,
                          "Not measured: every reply was typed. Speak your replies to have your tone assessed.",
                          measured=False)
    points = weight * sum(TONE_SHARE[label] for label in labels) / len(labels)
    counts = Counter(labels)
    spread = ", ".join(f"{label} ×{n}" if n > 1 else label for label, n in counts.most_common())
    detail = f"Across {len(labels)} spoken replies your voice sounded: {spread}. A calm, warm voice earns full points."
    return RubricLine("tone", "Tone of voice", round(points, 1), weight, detail)


def _calming_line(turns: Sequence[TurnRecord]) -> RubricLine:
    weight = WEIGHTS["calming"]
    calmed = sum(1 for t in turns if t.applied_delta <= 0)
    points = weight * calmed / len(turns)
    detail = f"{calmed} of {len(turns)} replies lowered the customer's agitation or held it steady."
    return RubricLine("calming", "Effect on the customer", round(points, 1), weight, detail)


def grade_for(total: float) -> str:
    return next(label for floor, label in GRADES if total >= floor)


def score_session(turns: Sequence[TurnRecord], outcome: str | None) -> Score:
    """The rubric for a session. With no turns at all, every line is zero and the total is 0."""
    if not turns:
        lines = [_outcome_line(outcome)]
        return Score(0.0, grade_for(0.0), lines)
    lines = [_outcome_line(outcome), _techniques_line(turns), _triggers_line(turns), _tone_line(turns),
             _calming_line(turns)]
    measured = [item for item in lines if item.measured]
    possible = sum(item.max_points for item in measured)
    earned = round(sum(item.points for item in measured), 1)
    total = round(100.0 * earned / possible, 1) if possible else 0.0
    return Score(total, grade_for(total), lines, _scaling_note(lines, earned, possible, total))


def _scaling_note(lines: Sequence[RubricLine], earned: float, possible: float, total: float) -> str | None:
    """The debrief shows the parts beside the total: when they cannot add up to it, say why."""
    missing = [item.behaviour for item in lines if not item.measured]
    if not missing or not possible:
        return None
    names = " and ".join(missing)
    return (f"{names[:1].upper()}{names[1:].lower()} {'was' if len(missing) == 1 else 'were'} not measured, "
            f"so the {earned:g} points earned out of {possible:g} are scaled to {total:g} out of 100.")
