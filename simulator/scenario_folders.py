"""Where scenarios are found (the shipped folder and the user's), the library read from them, and one
scenario by path, file name or id: for the command line and the app alike."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from simulator import paths

# The scenario models (pydantic) load only when scenarios are read: the app's first frame needs
# no more than the folders' names (for the library's signature and the file watcher).
if TYPE_CHECKING:
    from simulator.engine.loader import Library
    from simulator.engine.model import Scenario


class NotFound(Exception):
    """No scenario by that path or id (the message lists those there are)."""


def scenario_folders() -> list[Path]:
    """The shipped scenarios, then the user's own (a user's file with the same id is reported as a clash)."""
    return [paths.SCENARIOS_DIR, paths.user_scenarios_dir()]


def library() -> Library:
    """Every scenario in the folders, with the files that failed to load."""
    from simulator.engine.loader import load_library

    return load_library(scenario_folders())


def find(key: str) -> Scenario:
    """A scenario by path or id. Raises ScenarioError for a broken file, NotFound otherwise."""
    from simulator.engine.loader import ScenarioError, load_scenario

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
