"""The authoring screen: the graph of a real scenario, a broken file's problems, a typed play-through, reloads."""

from __future__ import annotations

import textwrap

import pytest

from simulator import paths
from simulator.engine.graph_layout import scenario_links
from simulator.engine.loader import load_scenario
from tests.ui.conftest import BROKEN, SCENARIO

pytestmark = pytest.mark.gui


@pytest.fixture
def authoring(window, scenario_dir):
    window.watcher.set_paths([scenario_dir])
    window.show_authoring()
    page = window.authoring
    assert window.stack.currentWidget() is page
    return page


def _open(page, name: str) -> None:
    index = [p.name for p, _ in page.files].index(name)
    page.picker.setCurrentIndex(index)
    page._on_picker_activated(index)


def test_a_shipped_scenario_draws_every_node_and_link(qtbot, make_context):
    from simulator.ui.authoring.view import AuthoringPage

    page = AuthoringPage(make_context())
    qtbot.addWidget(page)
    path = paths.SCENARIOS_DIR / "late-pickup.yaml"
    page.open_file(path)
    scenario = load_scenario(path)
    assert set(page.graph.nodes) == set(scenario.nodes) | set(scenario.endings)
    assert page.graph.layout_ is not None
    assert len(page.graph.layout_.routes) + len(page.graph.layout_.loops) == len(scenario_links(scenario))
    assert page.canvas.currentWidget() is page.graph
    assert page.problems_title.text() == "No problems"
    assert page.graph.nodes[scenario.start_node].selected


def test_clicking_a_node_shows_its_lines_and_branches(authoring):
    authoring.graph.nodes["options"].clicked.emit("options")
    assert authoring.selected == "options"
    text = authoring.details.toPlainText()
    assert "So what are you going to do about it?" in text
    assert "I can refund you now" in text
    assert "intent: deescalate → sorted" in text


def test_a_broken_file_shows_its_problems_and_text(authoring, scenario_dir):
    (scenario_dir / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    authoring.refresh()
    _open(authoring, "broken.yaml")
    assert authoring.canvas.currentWidget() is authoring.raw
    assert 5 in authoring.raw.error_lines  # difficulty: 9
    assert all(line >= 1 for line in authoring.problem_lines())
    assert authoring.problems.count() >= 2
    assert not authoring.play.reply.isEnabled()


def test_a_graph_problem_is_marked_on_its_node(authoring, scenario_dir):
    text = SCENARIO.replace("        goto: sorted", "        goto: sortd")
    (scenario_dir / "parcel.yaml").write_text(text, encoding="utf-8")
    authoring.refresh()
    assert authoring.canvas.currentWidget() is authoring.graph
    assert authoring.graph.nodes["options"].problem_count == 1
    assert authoring.graph.nodes["sortd"].kind == "missing"
    authoring.problems.itemClicked.emit(authoring.problems.item(0))
    assert authoring.selected in {"options", "sorted"}
    assert not authoring.play.reply.isEnabled()  # the validator refuses it, so it cannot be played


def test_the_play_through_advances_and_restarts(authoring, judge):
    play = authoring.play
    play.reply.setText("I'm so sorry, I understand")
    play._on_reply_return_pressed()
    assert play.runner.state.node_id == "options"
    assert authoring.graph.nodes["options"].current
    assert "deescalate" in play.transcript.toPlainText()
    assert play.agitation_bar.value() < 60
    play.send("You need to calm down")
    assert play.runner.outcome == "escalated"
    assert authoring.graph.nodes["blows_up"].current
    assert not play.reply.isEnabled()
    play.seed.setValue(5)
    play.restart()
    assert play.runner.state.seed == 5 and not play.runner.state.turns
    assert authoring.graph.nodes["start"].current


def test_a_file_changed_on_disk_is_reloaded(qtbot, authoring, scenario_dir):
    extra = textwrap.dedent("""\
      waiting:
        say: I'm still waiting.
        branches:
          - otherwise: true
            goto: sorted
    """)
    text = SCENARIO.replace("endings:\n", textwrap.indent(extra, "  ") + "endings:\n")
    text = text.replace("      - otherwise: true\n        goto: start", "      - otherwise: true\n        goto: waiting")
    # Saved the way many editors do: a new file renamed over the old one.
    tmp = scenario_dir / ".parcel.yaml.tmp"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(scenario_dir / "parcel.yaml")
    qtbot.waitUntil(lambda: "waiting" in authoring.graph.nodes, timeout=5000)
    assert "5 nodes" not in authoring.status.text()
    # And again, after the rename: the watcher still sees the file.
    (scenario_dir / "parcel.yaml").write_text(text.replace("I'm still waiting.", "Still here."), encoding="utf-8")
    qtbot.waitUntil(lambda: "Still here." in authoring.graph.nodes["waiting"].lines[0], timeout=5000)


def test_a_broken_phrases_file_keeps_the_previous_rubric(qtbot, window, tmp_path):
    from simulator.analysis.wording import DEFAULT_PATH

    phrases = tmp_path / "phrases.yaml"
    phrases.write_text(DEFAULT_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    window.watcher.set_paths([phrases])
    before = window.ctx.make_judge()
    phrases.write_text("techniques: [unclosed\n", encoding="utf-8")
    qtbot.waitUntil(lambda: window.authoring.rubric_banner.isVisibleTo(window.authoring), timeout=5000)
    assert f"{phrases}:" in window.authoring.rubric_banner.text.text()
    assert window.ctx.make_judge() is before


def test_edited_phrases_give_a_new_rubric_judge(qtbot, window, tmp_path):
    from simulator.analysis.judge import RubricJudge
    from simulator.analysis.wording import DEFAULT_PATH
    from simulator.ui.context import default_judge

    phrases = tmp_path / "phrases.yaml"
    phrases.write_text(DEFAULT_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    window.ctx.judge_factory = default_judge
    window.watcher.set_paths([phrases])
    before = window.ctx.make_judge()
    phrases.write_text(phrases.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    qtbot.waitUntil(lambda: window.ctx.make_judge() is not before, timeout=5000)
    judge = window.ctx.make_judge()
    assert isinstance(judge, RubricJudge) and judge.rubric is not before.rubric
    assert not window.authoring.rubric_banner.isVisibleTo(window.authoring)


def test_fit_keeps_a_large_graph_readable_at_1280x720_and_scrolls_for_the_rest(qtbot, window):
    from simulator.ui.authoring.view import GraphView

    window.resize(1280, 720)
    window.show_authoring()
    page = window.authoring
    page.open_file(paths.SCENARIOS_DIR / "door-no-id.yaml")
    qtbot.wait(10)
    graph = page.graph
    from PySide6.QtWidgets import QPushButton

    fit = next(b for b in page.findChildren(QPushButton) if b.text() == "Fit")
    fit.click()
    scale = graph.transform().m11()
    assert scale >= GraphView.MIN_READABLE, f"fitted at {scale:.2f}: too small to read"
    rect = graph.scene().sceneRect()
    assert rect.height() * scale > graph.viewport().height(), "a large graph scrolls, it is not squeezed"
    assert graph.verticalScrollBar().maximum() > 0 and graph.verticalScrollBar().value() == 0
    start = graph.nodes[load_scenario(paths.SCENARIOS_DIR / "door-no-id.yaml").start_node]
    assert graph.mapFromScene(start.sceneBoundingRect()).boundingRect().intersects(graph.viewport().rect())


def test_the_coverage_tab_shows_what_trainees_have_never_reached(authoring, window):
    from tests.records.factories import played

    scenario = authoring.inspection.scenario
    assert scenario is not None and scenario.id == "parcel"
    window.ctx.store.save(played(scenario, "+ sorry", "+ a refund"))  # start 2 -> options 2 -> sorted
    window.ctx.store.save(played(scenario, "hmm", trainee="Alex"))  # start 3 (otherwise), unfinished
    authoring.tabs.setCurrentWidget(authoring.coverage)  # counted again each time it is shown
    text = authoring.coverage.text.toPlainText()
    assert "2 sessions in the records · branches taken: 3 of 6 · endings reached: 1 of 2" in text
    never = text[text.index("Never reached by a trainee:"):text.index("Branches")]
    assert "start, branch 1: triggers: calm_down, threat, insult, +1 → blows_up" in never
    assert "options, branch 3: otherwise → options" in never
    assert "ending blows_up (escalated)" in never
    assert "sorted" not in never
