"""Wording analysis: the techniques and triggers a reply's words show, and the intent they add up to.

The public entry. The rubric (phrases, weights, debrief texts) lives in phrases.yaml so trainers
can edit it; the work is done in:
  normalise.py  the reply as words: lower case, contractions and digits spelled out, spans kept
  patterns.py   the rubric's pattern language compiled to regular expressions
  rubric.py     phrases.yaml read and checked (rubric_file.py holds its typed shape), cached
  matching.py   one reply matched against the rubric and the sentence vectors
  decision.py   the intent the findings add up to, and when the statistical model may overrule it
Matching runs on the normalised form so typed replies and recognised speech read alike, and every
finding keeps the span of the original text that showed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from simulator.analysis import embedding, matching, sentence_encoder
from simulator.analysis.decision import blend
from simulator.analysis.matching import Hit, WordingResult
from simulator.analysis.model import WordingModel, load_model
from simulator.analysis.normalise import Token
from simulator.analysis.rubric import (
    DEFAULT_PATH,
    Category,
    Rubric,
    RubricError,
    load_rubric,
    reload_rubric,
)

__all__ = ["DEFAULT_PATH", "Category", "Hit", "Rubric", "RubricError", "Token", "WordingResult", "analyse",
           "blend", "load_rubric", "matches", "normalise_text", "reload_rubric", "warm"]


def analyse(text: str, customer_line: str = "", customer_name: str = "",
            rubric: Rubric | None = None, model: WordingModel | None | bool = True) -> WordingResult:
    """Judge the words of one reply against the rubric (the shipped one unless given) and the model.

    The shipped statistical model is consulted only with the shipped rubric; pass `model=False`
    for the rules alone, or a `WordingModel` to use that one.
    """
    return matching.analyse(rubric or load_rubric(), text, customer_line, customer_name, model)


def matches(rubric: Rubric, text: str, names: Iterable[str]) -> list[Hit]:
    """Every match in `text` of the named categories (`analyse` keeps each one's best only)."""
    return matching.matches(rubric, text, names)


def normalise_text(text: str) -> str:
    """The reply as the rubric's patterns see it: "You're WRONG!" -> "you are wrong ."."""
    return " ".join(t.word for t in load_rubric().normalise(text))


def prefetch(replies: Sequence[str]) -> None:
    """Read many replies in context at once, in batches (a file of replies: `simulator assess
    --batch`), so judging each one finds its vectors ready: the replies the lists find a trigger
    in are not (the model is not asked about them), and each reply's matching, done here to tell,
    is kept for judging it. Nothing without the context encoder."""
    model = load_model()
    encoder = sentence_encoder.encoder() if model is not None and model.uses_context else None
    if encoder is None:
        return
    analyses = matching.prepare(load_rubric(), replies)
    encoder.prefetch([a.text for a in analyses if a.needs_context()])


def warm() -> None:
    """Load what the first reply would otherwise wait for: the shipped rubric, the statistical model
    and its sentence vectors (0.3-0.6 s together, and the context encoder 0.3 s, 0.8 s the first time it is converted). Safe to call from any thread, more than once."""
    load_rubric()
    model = load_model()
    if model is not None and model.uses_vectors:
        embedding.encoder()
    if model is not None and model.uses_context:
        sentence_encoder.encoder()
