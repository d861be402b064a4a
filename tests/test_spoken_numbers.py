"""Numbers in words: the recogniser hears "hundred and", the wording judge leaves the "and" out."""

from __future__ import annotations

import pytest

from simulator.spoken_numbers import number_words


@pytest.mark.parametrize(("n", "judged", "heard"), [
    (0, "zero", "zero"),
    (25, "twenty five", "twenty five"),
    (200, "two hundred", "two hundred"),
    (205, "two hundred five", "two hundred and five"),
    (1005, "one thousand five", "one thousand five"),
    (2340, "two thousand three hundred forty", "two thousand three hundred and forty"),
    (1_000_000, "1000000", "1000000"),
])
def test_numbers_are_spelt_as_said(n, judged, heard):
    assert " ".join(number_words(n)) == judged
    assert " ".join(number_words(n, hundred_and=True)) == heard
