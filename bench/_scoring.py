"""How the recognition benches score a transcript against what was said: the word error rate under
two normalisations, applied identically to every engine, split and data set.

- plain: `simulator.speech.recognizer.word_error_rate`, case and punctuation dropped and digits
  spelt out; every figure before session 8 was scored this way. "I am" for "I'm" counts as two
  errors, "honor" for "honour" and "stock room" for "stockroom" as one or two.
- standard: OpenAI Whisper's English text normaliser, the one its own evaluation scores with
  (appendix C of the Whisper paper; the `whisper-normalizer` package holds its code and its
  British-to-American spelling list): contractions expanded ("I'm" -> "i am", "can't" ->
  "can not"), British spellings made American ("honour" -> "honor"), spelt numbers made digits,
  fillers ("um", "uh") and bracketed text dropped, hyphens made spaces. Then a closed compound
  written as one word on one side and as two on the other ("stockroom" / "stock room") is joined,
  on either side, so it counts as the same word. Whisper's normaliser does not do that last step;
  it is applied after it, to both texts alike.

Both are printed side by side, so a figure is never compared with one scored the other way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from simulator.speech.recognizer import word_error_rate

SCORINGS = ("plain", "standard")


@cache
def _whisper_normaliser():
    try:
        from whisper_normalizer.english import EnglishTextNormalizer
    except ImportError:
        raise SystemExit("the standard scoring needs the whisper-normalizer package, which the "
                         "test extra installs: scripts/setup --test") from None
    return EnglishTextNormalizer()


def standard_words(text: str) -> list[str]:
    """`text` through Whisper's English normaliser, as words."""
    return _whisper_normaliser()(text).split()


def join_compounds(words: list[str], other: list[str]) -> list[str]:
    """`words` with every adjacent pair joined whose concatenation is a word of `other`
    ("stock", "room" -> "stockroom" when `other` says "stockroom")."""
    known = set(other)
    out: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and words[i] + words[i + 1] in known:
            out.append(words[i] + words[i + 1])
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


def standard_pair(reference: str, hypothesis: str) -> tuple[list[str], list[str]]:
    """Both texts normalised the standard way, compounds joined against each other."""
    ref, hyp = standard_words(reference), standard_words(hypothesis)
    return join_compounds(ref, hyp), join_compounds(hyp, ref)


@dataclass
class Tally:
    """Errors and reference words under each scoring, added up over utterances."""

    plain: tuple[int, int] = (0, 0)
    standard: tuple[int, int] = (0, 0)

    def add(self, reference: str, hypothesis: str) -> Tally:
        e, n = word_error_rate(reference, hypothesis)
        self.plain = (self.plain[0] + e, self.plain[1] + n)
        e, n = word_error_rate(*standard_pair(reference, hypothesis))
        self.standard = (self.standard[0] + e, self.standard[1] + n)
        return self

    def __iadd__(self, other: Tally) -> Tally:
        self.plain = (self.plain[0] + other.plain[0], self.plain[1] + other.plain[1])
        self.standard = (self.standard[0] + other.standard[0], self.standard[1] + other.standard[1])
        return self

    def rate(self, scoring: str) -> float:
        e, n = getattr(self, scoring)
        return e / n if n else 0.0

    def __str__(self) -> str:
        """'10.5% plain (42/400), 6.1% standard (25/410)'."""
        return ", ".join(f"{self.rate(s):.1%} {s} ({getattr(self, s)[0]}/{getattr(self, s)[1]})"
                         for s in SCORINGS)


def score(reference: str, hypothesis: str) -> Tally:
    """One utterance's tally."""
    return Tally().add(reference, hypothesis)
