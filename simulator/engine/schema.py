"""The JSON Schema of the scenario format, generated from the typed models so the two never differ."""

from __future__ import annotations

import json

from simulator.engine.model import Scenario


def scenario_schema() -> dict:
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "scenario.schema.json"
    schema["title"] = "De-escalation simulator scenario"
    return schema


def schema_text() -> str:
    return json.dumps(scenario_schema(), indent=2, sort_keys=True) + "\n"
