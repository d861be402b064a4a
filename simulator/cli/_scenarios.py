"""Finding a scenario from the command line: by path, file name or id."""

from __future__ import annotations

from pathlib import Path

from simulator import paths
from simulator.engine.loader import Library, ScenarioError, load_library, load_scenario
from simulator.engine.model import Scenario


class NotFound(Exception):
    pass


def scenario_folders() -> list[Path]:
    return [paths.SCENARIOS_DIR, paths.user_scenarios_dir()]


def library() -> Library:
    return load_library(scenario_folders())


def find(key: str) -> Scenario:
    """A scenario by path or id. Raises ScenarioError for a broken file, NotFound otherwise."""
    path = Path(key)
    if path.suffix in {".yaml", ".yml"} or path.exists():
        return load_scenario(path)
    lib = library()
    scenario = lib.find(key)
    if scenario is not None:
        return scenario
    broken = [p for p in lib.problems if Path(p.file).stem == key]
    if broken:
        raise ScenarioError(broken)
    known = ", ".join(sorted(lib.scenarios)) or "none"
    raise NotFound(f"no scenario with id or file '{key}'. Scenarios available: {known}")
