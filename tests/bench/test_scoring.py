"""The recognition benches' two scorings: the plain one counts spelling and contractions, the
standard one (Whisper's English normaliser, compounds joined) does not, and neither forgives a
misheard word."""

from __future__ import annotations

import pytest

from bench._scoring import Tally, join_compounds, score, standard_pair


@pytest.mark.parametrize(("said", "heard"), [
    ("I'm really sorry you've been waiting", "I am really sorry you have been waiting"),
    ("The price on the shelf was wrong so I'll honour it", "The price on the shelf was wrong, so I'll honor it."),
    ("Let me go and check the stockroom for you", "Let me go and check the stock room for you."),
    ("I can't give you a refund", "I cannot give you a refund"),
    ("We'll sort it out", "We will sort it out"),
])
def test_the_standard_scoring_forgives_writing_not_hearing(said, heard):
    tally = score(said, heard)
    assert tally.plain[0] > 0  # what every figure before session 8 counted
    assert tally.standard[0] == 0, standard_pair(said, heard)


@pytest.mark.parametrize(("said", "heard", "errors"), [
    ("You need to calm down", "You need to come down", 1),
    ("That was our mistake", "That was a dick", 2),
    ("Thank you Dana", "Thank you", 1),
    ("I hear you Marcus", "I hear you Marcus and Dana", 2),
])
def test_a_misheard_word_counts_under_both(said, heard, errors):
    tally = score(said, heard)
    assert tally.plain[0] == errors and tally.standard[0] == errors


def test_compounds_are_joined_on_either_side_only_when_the_other_side_has_the_word():
    assert join_compounds(["stock", "room"], ["stockroom"]) == ["stockroom"]
    assert join_compounds(["stock", "room"], ["stock", "room"]) == ["stock", "room"]
    ref, hyp = standard_pair("any one of us", "anyone of us")
    assert ref == hyp == ["anyone", "of", "us"]


def test_numbers_and_hyphens_score_alike_both_ways():
    for said, heard in [("It's only twenty minutes", "It's only 20 minutes."),
                        ("Your check-in is at the front desk", "Your check in is at the front desk")]:
        tally = score(said, heard)
        assert tally.plain[0] == tally.standard[0] == 0


def test_tallies_add_up_and_print_both_scorings():
    total = Tally()
    total += score("I'm sorry", "I am sorry")
    total += score("calm down", "come down")
    assert total.plain == (3, 4) and total.standard == (1, 5)
    assert str(total) == "75.0% plain (3/4), 20.0% standard (1/5)"
