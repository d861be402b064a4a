"""Numbers spelt out in words, as a trainee says them: for the recogniser's language model and
for the wording judge, which must read "25" and "twenty five" alike."""

from __future__ import annotations

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int, hundred_and: bool = False) -> list[str]:
    """Spell out 0..999,999 ("twenty five"); a million or more stays in digits. `hundred_and`
    says "two hundred and five" as British speech does (what the recogniser should expect to
    hear); without it the "and" is left out (the wording judge's form, where "and" is a word of
    its own in a reply)."""
    if n < 20:
        return [ONES[n]]
    if n < 100:
        return [TENS[n // 10]] + ([ONES[n % 10]] if n % 10 else [])
    if n < 1000:
        rest = number_words(n % 100, hundred_and) if n % 100 else []
        return [ONES[n // 100], "hundred"] + (["and"] if rest and hundred_and else []) + rest
    if n < 1_000_000:
        rest = number_words(n % 1000, hundred_and) if n % 1000 else []
        return [*number_words(n // 1000, hundred_and), "thousand", *rest]
    return [str(n)]
