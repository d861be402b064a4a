"""When the statistical model may overrule the rules (simulator/analysis/decision.py)."""

from simulator.analysis.decision import blend


def probs(de: float, ne: float, es: float) -> dict[str, float]:
    return {"deescalate": de, "neutral": ne, "escalate": es}


def test_escalating_without_a_listed_trigger_takes_more_certainty():
    assert blend("neutral", probs(0.1, 0.3, 0.6), 0.4, 0.65) == "neutral"
    assert blend("neutral", probs(0.05, 0.25, 0.7), 0.4, 0.65) == "escalate"
    # Any other intent needs only the ordinary certainty.
    assert blend("neutral", probs(0.45, 0.35, 0.2), 0.4, 0.65) == "deescalate"


def test_less_certainty_is_enough_when_the_model_reads_nothing_kind():
    unkind = (0.55, 0.18)
    # "bless you for trying, really": the model is 0.6 sure it inflames and sees no kindness.
    assert blend("neutral", probs(0.1, 0.3, 0.6), 0.4, 0.65, unkind) == "escalate"
    # The same certainty with some kindness read in it stays with the rules.
    assert blend("neutral", probs(0.2, 0.2, 0.6), 0.4, 0.65, unkind) == "neutral"
    # Below the lower certainty, nothing changes.
    assert blend("neutral", probs(0.1, 0.4, 0.5), 0.4, 0.65, unkind) == "neutral"


def test_techniques_the_rules_found_are_not_overruled_by_the_lower_certainty():
    # The rules quoted a technique: overruling it takes halfway between 0.65 and certain.
    assert blend("deescalate", probs(0.1, 0.3, 0.6), 0.4, 0.65, (0.55, 0.18)) == "deescalate"
    assert blend("deescalate", probs(0.02, 0.1, 0.88), 0.4, 0.65, (0.55, 0.18)) == "escalate"
