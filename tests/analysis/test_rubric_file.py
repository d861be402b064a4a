"""phrases.yaml is validated like a scenario: typed fields, keys written twice, patterns that match anything, file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.analysis.model import load_model
from simulator.analysis.wording import (
    DEFAULT_PATH,
    RubricError,
    analyse,
    load_rubric,
    reload_rubric,
)


def _rubric_with(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped rubric with its first `old` replaced by `new` (or `new` added at its end when `old` is "")."""
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "phrases.yaml"
    path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, nth: int = 1) -> int:
    lines = [i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    return lines[nth - 1]


def test_the_shipped_rubric_passes():
    assert reload_rubric().categories


_ANY_REPLY = ["*", "(please)", "...", "$", "(please|kindly) ...2", "* *"]

# (old text, new text, the line the error names (its text, which occurrence), what the message says)
_BROKEN = {
    "a key written twice, on its second line": (
        "  policy:\n    weight: 1.0\n", "  policy:\n    weight: 1.0\n    weight: 0.2\n",
        ("weight: 0.2", 1), "'weight' appears twice"),
    "a category written twice": (
        "", "\n  command:\n    weight: 1.0\n    said: x\n    rubric: y\n    better: z\n    patterns: [get out]\n",
        ("  command:", 2), "'command' appears twice in triggers"),
    **{f"a pattern that matches anything: {p}": (
        "      - calm down\n", f'      - calm down\n      - "{p}"\n', (f'- "{p}"', 1), "matches any reply")
       for p in _ANY_REPLY},
    "a pattern listed twice": (
        "      - calm down\n", "      - calm down\n      - calm down\n", ("- calm down", 2), "listed twice"),
    "a wrong type": ("  deescalate: 0.9\n", "  deescalate: lots\n", ("deescalate: lots", 1), "thresholds.deescalate"),
    "a misspelt field, with a suggestion": (
        "  policy:\n    weight: 1.0\n", "  policy:\n    wieght: 1.0\n", ("wieght", 1), "did you mean 'weight'"),
}


@pytest.mark.parametrize(("old", "new", "at", "says"), _BROKEN.values(), ids=_BROKEN.keys())
def test_a_broken_rubric_is_refused_at_its_line(tmp_path, old, new, at, says):
    path = _rubric_with(tmp_path, old, new)
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    message = str(err.value)
    assert "Traceback" not in message
    assert message.startswith(f"{path}:{_line_of(path, *at)}:")
    assert says in message


def test_a_trainer_fixes_a_false_trigger_by_editing_the_list(tmp_path):
    # Sincere praise read as a sneer; the trainer adds an exception and the judge follows at once.
    text = "You're a genius, thank you so much for spotting that."
    assert "insult" in {h.name for h in analyse(text).triggers}
    path = _rubric_with(tmp_path, "      - not stupid\n", "      - not stupid\n      - genius thank you\n")
    edited = load_rubric(path)
    assert "insult" not in {h.name for h in analyse(text, rubric=edited).triggers}
    # The shipped model does not bring the trigger back on its own.
    assert analyse(text, rubric=edited, model=load_model()).intent != "escalate"
