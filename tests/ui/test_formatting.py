"""What the screens share for writing times, difficulty and length (simulator/ui/formatting.py)."""

from __future__ import annotations

from datetime import datetime

from simulator.engine.loader import load_library
from simulator.ui.formatting import (
    difficulty_dots,
    difficulty_words,
    estimated_minutes,
    friendly_time,
)


def test_a_stored_time_reads_in_the_computers_own_time_zone():
    stored = "2026-03-01T09:05:00+00:00"
    local = datetime.fromisoformat(stored).astimezone()
    assert friendly_time(stored) == local.strftime("%d %b %Y, %H:%M")


def test_text_that_is_not_a_time_is_shown_as_it_is():
    assert friendly_time("yesterday") == "yesterday"


def test_difficulty_as_dots_and_words():
    assert difficulty_dots(2) == "●●○○○" and difficulty_dots(5) == "●●●●●"
    assert difficulty_words(1) == "Difficulty 1 of 5: Introductory"


def test_a_scenarios_length_is_its_own_estimate_else_from_its_exchanges(scenario_dir):
    [scenario] = load_library([scenario_dir]).scenarios.values()
    assert scenario.minutes == 4 and estimated_minutes(scenario) == 4
    assert estimated_minutes(scenario.model_copy(update={"minutes": None})) == 3  # a short one: at least 3
