"""The authoring screen's presenters against plain fake views (no window): files listed and opened, a broken
file's lines, problems placed on their nodes, the chosen node kept across a reload, a stale reading dropped;
the typed play-through advancing, ending, restarting with its seed, and a judge that fails."""

from __future__ import annotations

import pytest

from simulator.engine.loader import load_library
from simulator.ui.authoring.presenter import AuthoringPresenter, PlayPresenter
from tests.support.tasks import Later
from tests.ui.conftest import BROKEN, SCENARIO


class FakePage:
    """Records what the page presenter shows (AuthoringView)."""

    def __init__(self) -> None:
        self.files: list = []
        self.selected_index: int | None = None
        self.status = ""
        self.problems: list = []
        self.unreadable: tuple[str, list[int]] | None = None
        self.graph: tuple | None = None
        self.node: tuple | None = None
        self.start: str | None = None
        self.played: list = []

    def show_files(self, files): self.files = list(files)
    def select_file(self, index): self.selected_index = index
    def show_status(self, text): self.status = text
    def show_problems(self, problems): self.problems = list(problems)
    def show_unreadable(self, text, lines): self.unreadable, self.graph = (text, list(lines)), None
    def show_graph(self, scenario, problems_by_node):
        self.graph, self.unreadable = (scenario.id, dict(problems_by_node)), None
        return [*scenario.nodes, *scenario.endings]
    def show_node(self, scenario, node_id, problems): self.node = (node_id, list(problems))
    def show_start(self, node_id): self.start = node_id
    def play_scenario(self, scenario): self.played.append(scenario.id if scenario else None)
    def show_coverage(self, scenario): self.covered = scenario.id if scenario else None

    def names(self) -> list[str]:
        return [path.name for path, _ in self.files]


@pytest.fixture
def authoring(make_context):
    view = FakePage()
    ctx = make_context()
    return AuthoringPresenter(view, ctx), view, ctx


def test_the_files_are_listed_and_the_first_drawn_from_its_start(authoring, scenario_dir):
    presenter, view, _ = authoring
    (scenario_dir / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    presenter.refresh()
    assert view.names() == ["broken.yaml", "parcel.yaml"]  # by the name shown: "broken.yaml (has errors)" first
    assert view.selected_index == 0 and view.unreadable is not None
    text, lines = view.unreadable
    assert text.startswith("format_version: 1") and 5 in lines  # difficulty: 9
    assert view.status.endswith("errors") and view.played == [None]

    presenter.pick(1)
    assert view.graph == ("parcel", {}) and view.status == "2 nodes · 2 endings"
    assert view.node == ("start", []) and view.start == "start" and view.played[-1] == "parcel"


def test_a_problem_is_placed_on_its_node_and_the_chosen_node_kept_across_a_reload(authoring, scenario_dir):
    presenter, view, _ = authoring
    presenter.refresh()
    presenter.select_node("options")
    view.start = None
    (scenario_dir / "parcel.yaml").write_text(SCENARIO.replace("        goto: sorted", "        goto: sortd"),
                                              encoding="utf-8")
    presenter.refresh()
    scenario_id, by_node = view.graph
    assert any("sortd" in problem.message for problem in by_node["options"])  # its branch's missing target
    assert "sorted" in by_node  # no longer reached
    assert view.node[0] == "options" and view.start is None  # same file: the view stays where it was
    assert view.played[-1] is None  # the validator refuses it, so it cannot be played
    presenter.pick(0)
    assert view.node[0] == "start" and presenter.selected == "start"


def test_a_file_read_after_another_was_picked_is_dropped(authoring, scenario_dir):
    presenter, view, ctx = authoring
    (scenario_dir / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    presenter.refresh()
    later = ctx.tasks = Later()
    presenter.pick(1)  # parcel.yaml, still being read
    presenter.pick(0)  # broken.yaml after all
    later.run()
    assert view.unreadable is not None and presenter.inspection.path.name == "broken.yaml"


class FakePanel:
    """Records what the play-through presenter shows (PlayView)."""

    def __init__(self) -> None:
        self.seed = 1
        self.transcript: list[str] = []
        self.unplayable = 0
        self.agitation: int | None = None
        self.controls = (False, False)
        self.taken = 0
        self.nodes: list[str] = []

    def chosen_seed(self): return self.seed
    def show_unplayable(self): self.unplayable += 1
    def clear_transcript(self): self.transcript = []
    def append(self, markup): self.transcript.append(markup)
    def show_agitation(self, value): self.agitation = value
    def set_controls(self, can_reply, can_restart): self.controls = (can_reply, can_restart)
    def reply_taken(self): self.taken += 1
    def show_current_node(self, node_id): self.nodes.append(node_id)


@pytest.fixture
def play(make_context, scenario_dir):
    view = FakePanel()
    presenter = PlayPresenter(view, make_context())
    presenter.set_scenario(load_library([scenario_dir]).scenarios["parcel"])
    return presenter, view


def test_the_play_through_advances_ends_and_restarts_with_its_seed(play):
    presenter, view = play
    assert view.nodes == ["start"] and view.controls == (True, True) and view.agitation == 60
    presenter.send("I'm so sorry, I understand")
    assert presenter.runner.state.node_id == "options" and view.nodes[-1] == "options" and view.taken == 1
    assert any("intent <b>deescalate</b>" in line for line in view.transcript) and view.agitation < 60
    presenter.send("You need to calm down")
    assert presenter.runner.outcome == "escalated" and view.nodes[-1] == "blows_up"
    assert "Outcome: escalated" in view.transcript[-1] and view.controls == (False, True)
    presenter.send("Hello?")  # over: nothing more is judged
    assert len(presenter.runner.state.turns) == 2
    view.seed = 5
    presenter.restart()
    assert presenter.runner.state.seed == 5 and not presenter.runner.state.turns and view.nodes[-1] == "start"
    assert len(view.transcript) == 1  # the customer's first line again


def test_a_file_that_cannot_be_played_says_so(play):
    presenter, view = play
    presenter.set_scenario(None)
    assert view.unplayable == 1 and view.controls == (False, False) and view.nodes[-1] == ""
    presenter.send("Hello")
    assert presenter.runner is None


def test_a_judge_that_fails_is_said_and_the_reply_can_be_typed_again(play):
    presenter, view = play

    class Broken:
        def judge(self, *args, **kwargs):
            raise RuntimeError("the rubric is missing")

    presenter.ctx.judge_factory = lambda: Broken()
    presenter.send("Hello")
    assert "The reply could not be judged: the rubric is missing" in view.transcript[-1]
    assert view.controls == (True, True) and not presenter.busy and not presenter.runner.state.turns
