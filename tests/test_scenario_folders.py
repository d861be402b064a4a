"""Finding scenarios: the shipped folder and the user's, by path, file name or id (CLI and app alike)."""

from __future__ import annotations

import pytest

from simulator import paths
from simulator.engine.loader import ScenarioError
from simulator.scenario_folders import NotFound, find, library, scenario_folders


def test_the_shipped_folder_comes_first_then_the_users(private_data_dir):
    assert scenario_folders() == [paths.SCENARIOS_DIR, paths.user_scenarios_dir()]


def test_a_scenario_by_id_by_path_and_a_users_own(private_data_dir):
    shipped = sorted(paths.SCENARIOS_DIR.glob("*.yaml"))[0]
    by_path = find(str(shipped))
    assert find(by_path.id).id == by_path.id
    own = paths.user_scenarios_dir()
    own.mkdir(parents=True, exist_ok=True)
    text = shipped.read_text(encoding="utf-8").replace(f"id: {by_path.id}", "id: my-own", 1)
    (own / "my-own.yaml").write_text(text, encoding="utf-8")
    assert "my-own" in library().scenarios
    assert find("my-own").id == "my-own"


def test_an_unknown_id_lists_those_there_are_and_a_broken_file_says_why(private_data_dir):
    with pytest.raises(NotFound, match="Scenarios available: .*"):
        find("no-such-scenario")
    own = paths.user_scenarios_dir()
    own.mkdir(parents=True, exist_ok=True)
    (own / "broken.yaml").write_text("id: broken\nnodes: [\n", encoding="utf-8")
    with pytest.raises(ScenarioError):
        find("broken")
