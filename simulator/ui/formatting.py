"""How the screens write what they share: times (library, debrief, history, classes), difficulty (library,
classroom) and a scenario's length in minutes (library, conversation)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from simulator.engine.vocabulary import DIFFICULTY_NAMES

if TYPE_CHECKING:
    from simulator.engine.model import Scenario


def friendly_time(iso: str) -> str:
    """An ISO time in the computer's time zone, as '06 Dec 2026, 14:05'; text that is not a time as it is."""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return when.strftime("%d %b %Y, %H:%M")


def difficulty_dots(level: int) -> str:
    """A scenario's difficulty as five dots, as many filled as its level ('●●○○○' for 2)."""
    level = max(0, min(5, level))
    return "●" * level + "○" * (5 - level)


def difficulty_words(level: int) -> str:
    """'Difficulty 2 of 5: Easy'."""
    return f"Difficulty {level} of 5: {DIFFICULTY_NAMES.get(level, str(level))}"


def estimated_minutes(scenario: Scenario) -> int:
    """The scenario's own estimate, else about a minute per exchange on a typical path."""
    if scenario.minutes:
        return scenario.minutes
    return max(3, min(20, round(len(scenario.nodes) * 0.75)))
