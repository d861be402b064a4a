"""`simulator validate`: exit codes and file:line messages, on real files."""

from __future__ import annotations

import subprocess
import sys

from simulator import paths
from simulator.cli import main
from tests.engine.conftest import MINI


def test_every_shipped_scenario_is_valid(capsys):
    assert main(["validate", str(paths.SCENARIOS_DIR)]) == 0
    out = capsys.readouterr()
    assert "error" not in out.err
    assert "warning" not in out.out


def test_broken_file_exits_1_with_file_and_line(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(MINI)
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.replace("id: mini", "id: other").replace("difficulty: 1", "difficulty: 11"))
    assert main(["validate", str(good), str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:5: difficulty" in err


def test_as_a_real_command(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [")
    result = subprocess.run([sys.executable, "-m", "simulator", "validate", str(bad)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}:" in result.stderr


def test_validate_warns_about_a_stage_direction_left_in_a_spoken_line(tmp_path, capsys):
    spoken = tmp_path / "spoken.yaml"
    spoken.write_text(MINI.replace("say: Thank you.", "say: Thank you. [He smiles.]"))
    assert main(["validate", str(spoken)]) == 0  # a warning: the scenario still plays
    out = capsys.readouterr()
    line = spoken.read_text().splitlines().index("    say: Thank you. [He smiles.]") + 1
    assert f"{spoken}:{line}: warning:" in out.out + out.err


def test_a_misspelt_target_is_reported_with_the_other_errors_and_a_suggestion(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.replace("        goto: furious\n", "        goto: furios\n", 1)
                   .replace("difficulty: 1", "difficulty: 11"))
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    goto_line = next(i for i, ln in enumerate(bad.read_text().splitlines(), 1) if "goto: furios" in ln)
    assert f"{bad}:5: difficulty" in err
    assert (f"{bad}:{goto_line}: branch goes to 'furios', which is neither a node nor an ending; "
            "did you mean 'furious'?") in err
