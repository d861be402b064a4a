"""One scenario file as the authoring screen sees it: its text, the scenario (even when only the graph checks failed), its problems and where each node's lines are. No Qt; runs on the task runner."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from simulator.engine.loader import Library, Problem, check_file, read_text
from simulator.engine.model import Scenario


@dataclass
class Inspection:
    """One scenario file as the authoring view sees it.

    `scenario` is built even when only the graph checks failed (a missing target, an unreachable
    node), so the graph can show where; `playable` says whether the validator accepted it.
    """

    path: Path
    text: str | None
    scenario: Scenario | None
    playable: bool
    problems: list[Problem]
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def node_at(self, line: int) -> str | None:
        """The node or ending whose lines hold `line`, if any."""
        for node_id, (first, last) in self.spans.items():
            if first <= line <= last:
                return node_id
        return None


def item_spans(text: str) -> dict[str, tuple[int, int]]:
    """The first and last line (1-based) of every node and ending in the YAML text."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    spans: dict[str, tuple[int, int]] = {}
    if not isinstance(root, yaml.MappingNode):
        return spans
    for key, value in root.value:
        if key.value in ("nodes", "endings") and isinstance(value, yaml.MappingNode):
            for k, v in value.value:
                # A block ends where the next key starts, so its end mark is one line past its text.
                last = v.end_mark.line if v.end_mark.column == 0 else v.end_mark.line + 1
                spans[str(k.value)] = (k.start_mark.line + 1, max(k.start_mark.line + 1, last))
    return spans


def inspect_file(path: Path) -> Inspection:
    text, problems = read_text(path)
    if text is None:
        return Inspection(path, None, None, False, problems)
    scenario, problems = check_file(path)
    playable = scenario is not None
    if scenario is None:
        try:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
            scenario = Scenario.model_validate(data)
        except Exception:  # noqa: BLE001 - anything that stops a model being built means: show the text
            scenario = None
    return Inspection(path, text, scenario, playable, problems, item_spans(text))


def library_files(library: Library) -> list[tuple[Path, str]]:
    """Every scenario file the library saw, loaded or not, with a name for the picker."""
    out: dict[Path, str] = {}
    for sid, path in library.files.items():
        out[path] = f"{library.scenarios[sid].title}  ({path.name})"
    for problem in library.problems:
        path = Path(problem.file)
        if path not in out and path.suffix in (".yaml", ".yml"):
            out[path] = f"{path.name}  (has errors)"
    return sorted(out.items(), key=lambda kv: kv[1].lower())
