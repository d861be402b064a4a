"""The shipped JSON Schema is the one the models generate, and it describes real scenarios."""

from __future__ import annotations

import json

from simulator import paths
from simulator.engine.schema import schema_text


def test_shipped_schema_is_up_to_date():
    assert paths.SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), \
        "scenarios/scenario.schema.json is stale: run `simulator schema`"


def test_schema_lists_the_rubric_names():
    schema = json.loads(schema_text())
    text = json.dumps(schema)
    for name in ("set_boundary", "calm_down", "shouting", "otherwise", "format_version"):
        assert name in text
