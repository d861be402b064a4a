"""The face for a line: the line's own mood where it has one, and never a warmer face than the words."""

from __future__ import annotations

import pytest

from simulator.engine.vocabulary import MOODS, mood_for_agitation, mood_for_line


def test_a_line_that_sets_a_mood_shows_it_whatever_the_agitation():
    for agitation in (0, 40, 90):
        assert mood_for_line("annoyed", agitation, ending=False) == "annoyed"
        assert mood_for_line("calm", agitation, ending=False, calming=True) == "calm"


@pytest.mark.parametrize("agitation", [0, 5, 14.9])
def test_no_pleased_face_before_the_ending(agitation):
    assert mood_for_agitation(agitation) == "pleased"
    assert mood_for_line(None, agitation, ending=False) == "calm"
    assert mood_for_line(None, agitation, ending=True) == "pleased"


def test_calming_down_shows_a_calmer_face_not_a_worried_one():
    assert mood_for_agitation(42) == "uneasy"
    assert mood_for_line(None, 42, ending=False, calming=False) == "uneasy"
    assert mood_for_line(None, 42, ending=False, calming=True) == "calm"
    # Only the worried face is swapped: an annoyed customer who is cooling is still annoyed.
    assert mood_for_line(None, 60, ending=False, calming=True) == "annoyed"


def test_the_face_is_never_warmer_than_the_agitation_allows_without_a_mood_of_its_own():
    for agitation in range(0, 101, 5):
        for calming in (False, True):
            shown = mood_for_line(None, agitation, ending=False, calming=calming)
            assert shown != "pleased"
            assert MOODS.index(shown) >= MOODS.index(mood_for_agitation(agitation)) - 1


@pytest.mark.parametrize(("setting", "shown"), [
    ("retail", "Retail"), ("healthcare", "Healthcare reception"), ("transport", "Transport"),
    ("hotel", "Hotel"), ("call_centre", "Call centre"), ("front-desk", "Front desk"),
])
def test_settings_are_shown_by_name(setting, shown):
    from simulator.engine.vocabulary import setting_name

    assert setting_name(setting) == shown
