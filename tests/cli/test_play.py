"""`simulator play`: which branch each reply took and why, with the real judge, through main()."""

from __future__ import annotations

import json

from simulator.cli import main
from tests.engine.conftest import MINI


def play(tmp_path, capsys, *replies: str, extra: tuple[str, ...] = ()) -> str:
    scenario = tmp_path / "mini.yaml"
    scenario.write_text(MINI)
    file = tmp_path / "replies.txt"
    file.write_text("\n".join(replies) + "\n")
    assert main(["play", str(scenario), "--replies", str(file), "--seed", "1", *extra]) == 0
    return capsys.readouterr().out


def test_play_says_which_branch_a_trigger_took(tmp_path, capsys):
    out = play(tmp_path, capsys, "Calm down, it's only an order.")
    assert "  took branch 1 of 4 at 'start' -> furious (ending: escalated)\n" in out
    assert "    because trigger calm_down found\n" in out
    assert "A late order (Retail, difficulty 1)" in out


def test_play_says_why_the_branches_before_were_not_taken(tmp_path, capsys):
    out = play(tmp_path, capsys, "I'm so sorry you've had to wait, that must be really frustrating.")
    assert "  took branch 2 of 4 at 'start' -> listening\n" in out
    assert "    because the reply was judged deescalate\n" in out
    assert "    branch 1 (-> furious) not taken: none of the triggers calm_down, threat found\n" in out


def test_the_otherwise_branch_says_so(tmp_path, capsys):
    out = play(tmp_path, capsys, "Okay.")
    assert "  took branch 4 of 4 at 'start' -> start\n" in out
    assert "    because no branch before it matched (it is the `otherwise` branch)\n" in out
    assert "    branch 3 (-> gave_up) not taken: the reply says none of 'manager'\n" in out


def test_json_carries_the_branch_and_why(tmp_path, capsys):
    out = play(tmp_path, capsys, "Calm down, it's only an order.", extra=("--json",))
    branch = json.loads(out)["turns"][0]["branch"]
    assert branch == {"index": 0, "taken": "branch 1 of 4 at 'start' -> furious (ending: escalated)",
                      "because": ["trigger calm_down found"], "not_taken": []}
