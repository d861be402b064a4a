"""Property tests: however phrases.yaml is broken, load_rubric loads it or raises RubricError naming file:line.

The rubric is the one file trainers are invited to edit by hand, so every mutation a tired editor
(or a bad copy) could make is tried: lines deleted, lines replaced, values of the wrong type,
broken patterns, bytes that are not text. Mutations work on an excerpt of the real file (all of
its sections, three of its categories) because compiling the whole rubric takes a third of a second.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.analysis.wording import DEFAULT_PATH, RubricError, load_rubric
from tests.robustness.rubric_text import excerpt

TEXT = excerpt()
LINES = TEXT.splitlines()
WHERE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.+)", re.DOTALL)
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=20),
    st.lists(st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
BAD_PATTERNS = st.one_of(
    st.sampled_from(["(", ")", "{a|", "a|b}", "{}", "()", "<nope>", "<>", "...", "...x", "$", "^", "*", "!",
                     "!!", "", "   ", "{a|{b|c}", "((a))", "a ... ... b", "[a-z", "\\", "(?P<x>", "{|}", "a**",
                     "{pattern: 3}", "{weight: high}", "{pattern: calm down, weight: [1]}"]),
    st.text(alphabet="(){}|<>$^*!.?,[]\\ abc", max_size=15),
)


def check(path: Path) -> None:
    """Loading `path` either works or raises RubricError with the file, a line and a plain message."""
    try:
        load_rubric(path)
    except RubricError as exc:
        found = WHERE.match(str(exc))
        assert found, f"no file:line in {exc}"
        assert found["file"] == str(path)
        assert int(found["line"]) <= max(1, len(path.read_bytes().splitlines()) + 1)
        assert found["message"].strip() and "Traceback" not in found["message"]


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "phrases.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_the_excerpt_and_the_shipped_file_load(tmp_path):
    assert set(load_rubric(write(tmp_path, TEXT)).categories) == {"use_name", "thank", "calm_down"}
    assert len(load_rubric(DEFAULT_PATH).categories) > 10


@SETTINGS
@given(st.lists(st.integers(0, len(LINES) - 1), min_size=1, max_size=6, unique=True))
def test_deleting_lines(tmp_path, dropped):
    check(write(tmp_path, "\n".join(ln for i, ln in enumerate(LINES) if i not in dropped)))


@SETTINGS
@given(st.integers(0, len(LINES) - 1), st.one_of(st.text(max_size=40), BAD_PATTERNS.map(lambda p: f"      - {p}")))
def test_replacing_a_line_with_anything(tmp_path, index, junk):
    lines = list(LINES)
    lines[index] = junk
    check(write(tmp_path, "\n".join(lines)))


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data[:3]):
            yield prefix + (i,)
            yield from _paths(value, prefix + (i,))


DATA = yaml.safe_load(TEXT)
ALL_PATHS = list(_paths(DATA))
PATTERN_PATHS = [p for p in ALL_PATHS if len(p) == 4 and p[2] in ("patterns", "unless")]


def _set(path, value) -> str:
    data = yaml.safe_load(TEXT)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@SETTINGS
@given(st.sampled_from(ALL_PATHS), VALUES)
def test_wrong_types_anywhere(tmp_path, path, value):
    check(write(tmp_path, _set(path, value)))


@SETTINGS
@given(st.sampled_from(PATTERN_PATHS), BAD_PATTERNS)
def test_bad_patterns(tmp_path, path, pattern):
    check(write(tmp_path, _set(path, pattern)))


@SETTINGS
@given(st.binary(max_size=300), st.integers(0, len(TEXT)))
def test_bytes_that_are_not_text(tmp_path, blob, at):
    raw = TEXT.encode()
    check(write(tmp_path, raw[:at] + blob + raw[at:]))
    check(write(tmp_path, blob))


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("   \n# only a comment\n", "only comments"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
    ("version: 1\x00\n", "not text"),
    ("version: 2\n" + TEXT.replace("version: 1\n", ""), "version 2"),
    (TEXT.replace("techniques:", "technique:"), "did you mean 'techniques'"),
    (TEXT.replace("    patterns:", "    paterns:", 1), "did you mean 'patterns'"),
    (TEXT.replace("  use_name:", "  use_names:"), "not a known technique"),
    ("a: " + "[" * 1200 + "]" * 1200, "nested"),
    ("- a list\n- not a mapping\n", "must be a mapping"),
    ("thresholds: {deescalate: high}\ntechniques: {}\ntriggers: {}\n", "must be a number"),
])
def test_each_kind_of_broken_file_is_named(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(RubricError, match=message) as caught:
        load_rubric(path)
    assert WHERE.match(str(caught.value))["file"] == str(path)


def test_an_enormous_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "phrases.yaml"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: no time spent writing it
    with pytest.raises(RubricError, match="probably not phrases.yaml"):
        load_rubric(path)


def test_unreadable_files(tmp_path):
    folder = tmp_path / "phrases.yaml"
    folder.mkdir()
    with pytest.raises(RubricError, match="folder"):
        load_rubric(folder)
    with pytest.raises(RubricError, match="No such file"):
        load_rubric(tmp_path / "missing.yaml")


def test_an_alias_bomb_in_the_rubric_is_refused_at_its_line(tmp_path):
    """A trainer-edited phrases.yaml goes through the same guard as a scenario: 1 KB of aliases
    that would expand to 10**9 entries is refused at once, naming file:line."""
    import time

    bomb = "\n".join(["a0: &a0 lol"] + [f"l{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)])
    path = tmp_path / "phrases.yaml"
    path.write_text(TEXT + "\n" + bomb + "\nmacros: {boom: *a9}\n", encoding="utf-8")
    began = time.perf_counter()
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert time.perf_counter() - began < 5
    where = WHERE.match(str(caught.value))
    assert where and where["file"] == str(path) and int(where["line"]) > len(LINES)
    assert "alias" in where["message"]
