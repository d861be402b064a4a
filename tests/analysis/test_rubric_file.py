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
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "phrases.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, nth: int = 1) -> int:
    lines = [i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    return lines[nth - 1]


def _error(path: Path) -> str:
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    message = str(err.value)
    assert "Traceback" not in message
    return message


def test_the_shipped_rubric_passes():
    assert reload_rubric().categories


def test_a_key_written_twice_is_an_error_on_its_second_line(tmp_path):
    path = _rubric_with(tmp_path, "  policy:\n    weight: 1.0\n", "  policy:\n    weight: 1.0\n    weight: 0.2\n")
    message = _error(path)
    assert message.startswith(f"{path}:{_line_of(path, 'weight: 0.2')}:")
    assert "'weight' appears twice" in message


def test_a_category_written_twice_is_an_error(tmp_path):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    path = tmp_path / "phrases.yaml"
    path.write_text(text + "\n  command:\n    weight: 1.0\n    said: x\n    rubric: y\n    better: z\n"
                    "    patterns: [get out]\n", encoding="utf-8")
    message = _error(path)
    assert message.startswith(f"{path}:{_line_of(path, '  command:', 2)}:")
    assert "'command' appears twice in triggers" in message


@pytest.mark.parametrize("pattern", ["*", "(please)", "...", "$", "(please|kindly) ...2", "* *"])
def test_a_pattern_that_matches_anything_is_an_error(tmp_path, pattern):
    path = _rubric_with(tmp_path, "      - calm down\n", f'      - calm down\n      - "{pattern}"\n')
    message = _error(path)
    needle = f'- "{pattern}"'
    assert message.startswith(f"{path}:{_line_of(path, needle)}:")
    assert "matches any reply" in message


def test_a_pattern_listed_twice_is_an_error(tmp_path):
    path = _rubric_with(tmp_path, "      - calm down\n", "      - calm down\n      - calm down\n")
    message = _error(path)
    assert message.startswith(f"{path}:{_line_of(path, '- calm down', 2)}:")
    assert "listed twice" in message


def test_a_wrong_type_names_its_line(tmp_path):
    path = _rubric_with(tmp_path, "  deescalate: 0.9\n", "  deescalate: lots\n")
    message = _error(path)
    assert message.startswith(f"{path}:{_line_of(path, 'deescalate: lots')}:")
    assert "thresholds.deescalate" in message


def test_a_misspelt_field_is_named_with_a_suggestion(tmp_path):
    path = _rubric_with(tmp_path, "  policy:\n    weight: 1.0\n", "  policy:\n    wieght: 1.0\n")
    message = _error(path)
    assert message.startswith(f"{path}:{_line_of(path, 'wieght')}:")
    assert "did you mean 'weight'" in message


def test_a_trainer_fixes_a_false_trigger_by_editing_the_list(tmp_path):
    # Sincere praise read as a sneer; the trainer adds an exception and the judge follows at once.
    text = "You're a genius, thank you so much for spotting that."
    assert "insult" in {h.name for h in analyse(text).triggers}
    path = _rubric_with(tmp_path, "      - not stupid\n", "      - not stupid\n      - genius thank you\n")
    edited = load_rubric(path)
    assert "insult" not in {h.name for h in analyse(text, rubric=edited).triggers}
    # The shipped model does not bring the trigger back on its own.
    assert analyse(text, rubric=edited, model=load_model()).intent != "escalate"
