"""Property tests: however a scenario file is broken, the loader answers with file:line messages, never a traceback."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine.loader import parse
from tests.engine.conftest import MINI

LINES = MINI.splitlines()
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
    st.text(max_size=20), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def assert_clean(text: str) -> None:
    scenario, problems = parse(text, "broken.yaml")
    for p in problems:
        assert p.file == "broken.yaml"
        assert p.line >= 0 and p.message
        assert "Traceback" not in p.message
    if scenario is None:
        assert any(p.severity == "error" for p in problems)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, len(LINES) - 1), min_size=1, max_size=4, unique=True))
def test_deleting_lines(dropped):
    assert_clean("\n".join(ln for i, ln in enumerate(LINES) if i not in dropped))


@settings(max_examples=80, deadline=None)
@given(st.integers(0, len(LINES) - 1), st.text(max_size=40))
def test_replacing_a_line_with_anything(index, junk):
    lines = list(LINES)
    lines[index] = junk
    assert_clean("\n".join(lines))


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield prefix + (i,)
            yield from _paths(value, prefix + (i,))


ALL_PATHS = list(_paths(yaml.safe_load(MINI)))


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(ALL_PATHS), VALUES)
def test_wrong_types_anywhere(path, value):
    data = yaml.safe_load(MINI)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert_clean(yaml.safe_dump(data, sort_keys=False))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes(blob):
    assert_clean(blob.decode("utf-8", errors="replace"))
