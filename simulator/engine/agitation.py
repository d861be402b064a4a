"""How a judged reply moves the customer's agitation, given their temperament."""

from __future__ import annotations

from simulator.engine.model import Temperament


def clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def scaled_push(push: float, agitation: float, temperament: Temperament) -> float:
    """The change a reply's push makes to this customer's agitation.

    Pushes that raise agitation are multiplied by `heat`, pushes that lower it by `cool`. Calming
    gets harder as agitation rises (someone at 90 hears less than someone at 40), which is why a
    furious customer needs several good replies rather than one.
    """
    if push >= 0:
        return push * temperament.heat
    resistance = 1.0 - 0.35 * (agitation / 100.0)
    return push * temperament.cool * resistance


def next_agitation(agitation: float, push: float, temperament: Temperament) -> tuple[float, float]:
    """(applied change, new agitation), clamped to 0..100."""
    new = clamp(agitation + scaled_push(push, agitation, temperament))
    return new - agitation, new
