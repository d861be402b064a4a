"""Every way a scenario or phrase-list file can be wrong gives file:line and a plain message: on the
command line (as real subprocesses, never a traceback) and in the app (the library's problems
panel; a dialog for phrases.yaml)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine.loader import load_library
from tests.robustness.broken_files import RUNNING_AS_ROOT, make_broken_folder
from tests.robustness.rubric_text import excerpt


def simulator(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True,
                          timeout=60, cwd=cwd)


def _check(output: str, file: Path, says: str, number: int) -> None:
    """Some line of `output` names `file` (and line `number`, unless 0) and says `says`."""
    found = [ln for ln in output.splitlines() if ln.startswith(f"{file}:")]
    assert found, f"{file.name} is not named in:\n{output}"
    prefix = re.compile(rf"{re.escape(str(file))}:{number}: " if number else rf"{re.escape(str(file))}(:\d+)?: ")
    assert any(prefix.match(ln) and says.lower() in ln.lower() for ln in found), found


def test_validate_names_every_broken_scenario_file_and_line(tmp_path):
    folder = tmp_path / "scenarios"
    broken = make_broken_folder(folder)
    result = simulator("validate", str(folder))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    for name, expected in broken.items():
        _check(result.stderr, folder / name, expected.says, expected.line)
    assert f"{folder / 'good.yaml'}: ok" in result.stdout


@pytest.mark.skipif(not RUNNING_AS_ROOT, reason="covered by the folder test's unreadable.yaml")
def test_an_unreadable_file_as_root_is_a_folder_in_its_place(tmp_path):
    # chmod 000 does not stop root; a folder where the file should be fails the read the same way.
    (tmp_path / "x.yaml").mkdir()
    result = simulator("validate", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'x.yaml'}: this is a folder, not a scenario file" in result.stderr


def test_play_reports_a_broken_file_instead_of_starting(tmp_path):
    broken = make_broken_folder(tmp_path / "scenarios")
    for name in ("binary.yaml", "wrong_type.yaml", "new_version.yaml"):
        path = tmp_path / "scenarios" / name
        result = subprocess.run([sys.executable, "-m", "simulator", "play", str(path)], capture_output=True,
                                text=True, timeout=60, input="")
        assert result.returncode == 2 and "Traceback" not in result.stderr
        _check(result.stderr, path, broken[name].says, broken[name].line)


@pytest.mark.gui
def test_the_library_lists_every_broken_file_and_plays_the_good_one(qtbot, make_context, tmp_path):
    from simulator.ui.library.view import LibraryPage

    folder = tmp_path / "broken"
    broken = make_broken_folder(folder)
    context = make_context()
    context.library_loader = lambda: load_library([folder])
    page = LibraryPage(context)
    qtbot.addWidget(page)
    page.refresh()
    assert [c.scenario.id for c in page.cards] == ["mini"]
    assert page.problems_panel.isVisibleTo(page)
    assert page.problems_title.text() == f"{len(broken)} scenario files could not be loaded"
    text = page.problems_text.toPlainText()
    assert "Traceback" not in text
    for name, expected in broken.items():
        _check(text, folder / name, expected.says, expected.line)


# -- phrases.yaml --------------------------------------------------------------------------------

RUBRIC = excerpt()
RUBRIC_LINES = RUBRIC.splitlines()


def _broken_rubric(indices: list[int], junk: str) -> str:
    lines = list(RUBRIC_LINES)
    for index in indices:
        lines[index] = junk
    return "\n".join(lines)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          derandomize=True)
@given(st.lists(st.integers(0, len(RUBRIC_LINES) - 1), min_size=1, max_size=3, unique=True),
       st.sampled_from(["techniques: [", "    weight: heavy", "      - '{a|'", "\x00\x01", "  bogus: 1", ""]))
def test_assess_with_a_broken_rubric_never_shows_a_traceback(tmp_path, lines, junk):
    path = tmp_path / "phrases.yaml"
    path.write_text(_broken_rubric(lines, junk), encoding="utf-8")
    result = simulator("assess", "--rubric", str(path), "--text", "I'm sorry, that must be frustrating")
    assert "Traceback" not in result.stderr
    if result.returncode != 0:
        assert result.returncode == 2
        assert re.match(rf"{re.escape(str(path))}:\d+: \S", result.stderr), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00b\x00i\x00n", b"techniques: {}\ntriggers: {}\nversion: 3\n"])
def test_assess_names_the_rubric_file_and_line(tmp_path, content):
    path = tmp_path / "phrases.yaml"
    path.write_bytes(content)
    result = simulator("assess", "--rubric", str(path), "--text", "hello")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.match(rf"{re.escape(str(path))}:\d+: \S", result.stderr), result.stderr


@pytest.mark.gui
def test_a_broken_phrase_list_at_start_is_a_dialog_and_the_library_stays(qtbot, make_context, monkeypatch, tmp_path):
    from simulator.analysis.judge import RubricJudge
    from simulator.analysis.wording import load_rubric
    from simulator.ui import dialogs
    from simulator.ui.main_window import MainWindow

    broken = tmp_path / "phrases.yaml"
    broken.write_text(RUBRIC.replace("    patterns:", "    paterns:", 1), encoding="utf-8")
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "tell", lambda parent, title, text, warning=False: told.append((title, text)))
    context = make_context()
    context.judge_factory = lambda: RubricJudge(load_rubric(broken))
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.start_scenario("parcel")
    assert win.stack.currentWidget() is win.library
    (title, text), = told
    assert "phrase list" in title
    assert re.search(rf"{re.escape(str(broken))}:\d+: unknown field 'paterns'.*did you mean 'patterns'", text)
