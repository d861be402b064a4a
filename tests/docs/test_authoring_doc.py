"""docs/authoring.md: its complete worked example validates and plays, and its error table quotes real messages."""

from __future__ import annotations

import json
import re
from pathlib import Path

from simulator import paths
from simulator.engine.judgement import Reply
from simulator.engine.loader import parse
from simulator.engine.session import Runner
from tests.ui.conftest import ScriptedJudge

DOC = paths.ROOT / "docs" / "authoring.md"
MARKER = "<!-- worked-example: complete -->"


def _final_example() -> str:
    text = DOC.read_text(encoding="utf-8")
    after = text[text.index(MARKER) + len(MARKER):]
    match = re.search(r"```yaml\n(.*?)```", after, re.S)
    assert match, "no ```yaml block after the worked-example marker"
    return match.group(1)


def test_the_worked_example_validates_cleanly():
    example = _final_example()
    assert example.startswith("# yaml-language-server: $schema=")
    scenario, problems = parse(example, "docs/authoring.md")
    assert scenario is not None, "\n".join(map(str, problems))
    assert problems == []
    assert scenario.id == "cold-coffee"


def test_the_worked_example_reaches_every_outcome():
    scenario, _ = parse(_final_example(), "docs/authoring.md")
    assert scenario is not None
    outcomes = set()
    for replies in (["I'm so sorry, I understand", "I can refund you"], ["You need to calm down", "Just calm down"], ["Hm", "Hm"]):
        runner = Runner(scenario, seed=1)
        for text in replies:
            if not runner.ended:
                runner.respond(Reply(text), ScriptedJudge())
        outcomes.add(runner.outcome)
    assert outcomes == {"resolved", "escalated", "unresolved"}


def test_the_vscode_settings_point_at_the_shipped_schema():
    settings = json.loads((paths.ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    (schema, globs), = settings["yaml.schemas"].items()
    assert (paths.ROOT / schema).resolve() == paths.SCHEMA_FILE.resolve()
    assert "scenarios/*.yaml" in globs


def test_the_steps_add_up_to_the_complete_example():
    """Every line of the step-by-step snippets appears in the complete example, so they cannot drift apart."""
    text = DOC.read_text(encoding="utf-8")
    steps = text[text.index("### Step 1"):text.index(MARKER)]
    final = set(_final_example().splitlines())
    for block in re.findall(r"```yaml\n(.*?)```", steps, re.S):
        for line in block.splitlines():
            assert not line.strip() or line in final, line


def test_condition_fields_are_all_documented():
    from simulator.engine.model import Condition

    text = DOC.read_text(encoding="utf-8")
    for name in Condition.model_fields:
        assert f"| `{name}` |" in text, name


def test_the_doc_is_where_the_validator_sends_writers_of_empty_files(tmp_path: Path):
    _, problems = parse("", "empty.yaml")
    assert "docs/authoring.md" in problems[0].message
    assert DOC.exists()
