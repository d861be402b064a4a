"""The shared YAML reader: line marks, and the guards run before anything is built from the text."""

from __future__ import annotations

import yaml

from simulator import yamldoc

LAUGHS = "\n".join(
    ["a0: &a0 lol"] + [f"l{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]) + "\n"


def _measured(text: str) -> tuple[int, str] | None:
    loader = yamldoc.loader_for(text)
    return yamldoc.measure(yaml.compose(text, Loader=loader), text, loader, "rubric", "weights")


def test_marks_give_the_line_of_keys_values_and_duplicates():
    text = "a:\n  b: 1\n  c:\n    - x\n    - y\n  b: 2\n"
    marks = yamldoc.Marks(yaml.compose(text))
    assert marks.line(("a", "b")) == 6  # the second b wins, as in the data
    assert marks.line(("a", "c", 1)) == 5
    assert marks.line(("a", "c")) == 3  # the key
    assert marks.line(("a", "c"), prefer_value=True) == 4  # the list it holds
    assert marks.line(("a", "missing", "deeper")) == 1
    assert marks.duplicates == [(("a", "b"), 6)]


def test_an_alias_bomb_is_refused_at_its_alias_in_the_documents_words():
    line, message = _measured(LAUGHS)
    assert line > 1 and "*a" in message and "a rubric never needs that" in message


def test_complex_keys_and_absurd_numbers_are_refused_with_their_line():
    assert _measured("a: 1\n? [x, y]\n: z\n") == (2, _measured("a: 1\n? [x, y]\n: z\n")[1])
    line, message = _measured("a: 1\nb: " + "9" * 500 + "\n")
    assert line == 2 and "500 digits long" in message and "(weights)" in message


def test_plain_files_pass_and_deep_text_goes_to_the_pure_python_composer():
    assert _measured("a: {b: [1, 2, 3]}\n") is None
    assert yamldoc.loader_for("[" * 100 + "]" * 100) is yaml.SafeLoader
    assert yamldoc.loader_for("a: 1\n") is yamldoc.FAST_LOADER
