"""Deciding: the intent a reply's findings add up to, and when the statistical model may overrule it."""

from __future__ import annotations

from simulator.analysis.rubric import Rubric
from simulator.engine.vocabulary import Intent


def decide(r: Rubric, t: float, g: float, strongest: float, n_tokens: int) -> tuple[Intent, float]:
    """The intent the scores add up to (rules documented at the top of phrases.yaml), and how sure."""
    if strongest >= r.strong_trigger:
        confidence = 0.62 + 0.3 * min(1.0, g / 1.5) - (0.08 if t > 0 else 0.0)
        return "escalate", clamp(confidence)
    if g > 0:
        if t >= r.outweigh * g:
            return "neutral", 0.55
        return "escalate", clamp(0.5 + 0.2 * min(1.0, g) - 0.1 * min(1.0, t))
    if t >= r.deescalate_threshold:
        return "deescalate", clamp(0.62 + 0.15 * (t - r.deescalate_threshold))
    if t > 0:
        return "neutral", clamp(0.7 - 0.25 * t / r.deescalate_threshold)
    # Nothing found: a short procedural line is clearly neutral; a long one may hold something missed.
    return "neutral", 0.8 if n_tokens <= 12 else 0.68


def blend(rule_intent: str, probabilities: dict[str, float], override: float,
          escalate_override: float | None = None, unkind: tuple[float, float] | None = None,
          quoted: bool = False) -> Intent:
    """The intent when the rules found no trigger: theirs, unless the model is `override` sure of another.

    Calling a reply escalating without a listed trigger takes `escalate_override` (when given): a
    false "escalate" on kind words costs a trainee more than a missed one. `unkind` is a lower
    certainty and a ceiling, (sure, kindness): the model this sure of "escalate" is enough when it
    gives "deescalate" less than the ceiling, because it reads nothing kind in the reply (a put-down
    it half knows, "bless you for trying"; kind words it half knows as hostile keep some kindness).
    Techniques the rules found (`quoted`, or a de-escalating rule intent) are quoted evidence;
    overruling them takes the model being surer still, halfway to certain: "Not a problem." is
    not "not my problem", whatever the averaged word vectors say.
    """
    best = max(probabilities, key=probabilities.__getitem__)
    needed = escalate_override if best == "escalate" and escalate_override is not None else override
    if rule_intent == "deescalate" or (quoted and best != "deescalate"):
        needed += (1.0 - needed) / 2
    elif best == "escalate" and unkind is not None and probabilities["deescalate"] < unkind[1]:
        needed = min(needed, unkind[0])
    if best != rule_intent and probabilities[best] >= needed:
        return best  # type: ignore[return-value]
    return rule_intent  # type: ignore[return-value]


def clamp(x: float) -> float:
    return round(max(0.05, min(0.97, x)), 3)
